//! `attach`: joins the streams of a container's running process (its output; its stdin
//! with `-i`; a terminal with `-t`) over `pods/attach`, WebSocket v5.channel.k8s.io, as
//! kubectl 1.30+ does. kubelite's own containers are simulated and run no process: the
//! embedded cluster refuses here, and serve answers `pods/attach` with the same reason.

use super::errors::CliError;
use super::exec::terminal;
use super::{GlobalFlags, Io};
use crate::client::{Client, Remote};
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct AttachArgs {
    /// (POD | TYPE/NAME | TYPE NAME)
    pub target: Vec<String>,
    /// Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running
    #[arg(long = "pod-running-timeout", default_value = "1m0s")]
    pub pod_running_timeout: String,
    /// Only print output from the remote session
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Pass stdin to the container
    #[arg(short = 'i', long)]
    pub stdin: bool,
    /// Stdin is a TTY
    #[arg(short = 't', long)]
    pub tty: bool,
}

/// The message for the embedded cluster (no `serve`).
pub const SIMULATED: &str = "attach joins a container's running process, and the embedded cluster's containers are simulated: they run no process to attach to (what they print is in their log: kubelite logs POD)";

/// kubectl's checks of the command line.
pub(super) fn validate(args: &AttachArgs) -> Result<(), CliError> {
    // kubelite attaches to pods by name, which kubectl does not wait for either: the
    // timeout is only checked.
    super::pod_running_timeout::parse(
        &args.pod_running_timeout,
        "attach",
        super::pod_running_timeout::Refusal::Usage,
    )?;
    match args.target.len() {
        0 => Err(CliError::message(
            "at least 1 argument is required for attach",
        )),
        1 | 2 => Ok(()),
        n => Err(CliError::message(format!(
            "expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw {n}: [{}]",
            args.target.join(" ")
        ))),
    }
}

/// The pod a command line names: `POD`, `pod/NAME` or `pod NAME` (any name of the pods
/// resource). Another type is refused: kubelite attaches to pods by name.
fn pod_name<'a>(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &'a AttachArgs,
) -> Result<&'a str, CliError> {
    let (kind, name) = match args.target.as_slice() {
        [one] => match one.split_once('/') {
            Some((kind, name)) => (Some(kind), name),
            None => (None, one.as_str()),
        },
        [kind, name] => (Some(kind.as_str()), name.as_str()),
        _ => {
            return Err(CliError::message(
                "at least 1 argument is required for attach",
            ));
        }
    };
    if let Some(kind) = kind {
        let resource = super::targets::Catalog { client, global }.resource(kind)?;
        if resource.plural != "pods" {
            return Err(CliError::message(format!(
                "kubelite attaches to pods by name: name one of the pods of {kind}/{name}"
            )));
        }
    }
    Ok(name)
}

/// Runs a validated `attach` against a server.
pub fn run(
    remote: &Remote,
    global: &GlobalFlags,
    args: &AttachArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let name = pod_name(remote, global, args)?;
    let pods = super::targets::Catalog {
        client: remote,
        global,
    }
    .resource("pods")?;
    let pod = remote.get_typed(pods, Some(global.namespace()), name)?;
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return Err(CliError::message(format!(
            "cannot attach a container in a completed pod; current phase is {phase}"
        )));
    }
    let containers = crate::api::pod::container_names(&pod);
    if let Some(c) = &args.container
        && !containers.contains(&c.as_str())
    {
        return Err(CliError::message(format!(
            "cannot attach to the container: container {c} not found in pod {name}"
        )));
    }
    let container =
        super::exec::choose_container(&pod, name, args.container.as_deref(), args.quiet, io.err)?;
    let session = Session {
        stdin: args.stdin,
        tty: args.tty,
        quiet: args.quiet,
    };
    join(remote, global, &pod, name, &container, session, io)
}

/// How a caller wants to be attached (`attach`'s flags, or `debug`'s).
#[derive(Clone, Copy, Debug)]
pub struct Session {
    pub stdin: bool,
    pub tty: bool,
    pub quiet: bool,
}

/// Joins `container` of `pod` (already read, and running): kubectl's terminal rules, its
/// prompt hint, then the attach stream. `debug` comes here once its container runs.
pub(super) fn join(
    remote: &Remote,
    global: &GlobalFlags,
    pod: &Value,
    name: &str,
    container: &str,
    session: Session,
    io: &mut Io,
) -> Result<i32, CliError> {
    let result = join_raw(remote, global, pod, name, container, session, io);
    super::exec::outcome(result, io)
}

/// `join`, handing back how the stream ended (`debug` falls back to the log on failure).
pub(super) fn join_raw(
    remote: &Remote,
    global: &GlobalFlags,
    pod: &Value,
    name: &str,
    container: &str,
    session: Session,
    io: &mut Io,
) -> Result<i32, crate::kubelet::exec::ExecError> {
    let Session { stdin, quiet, .. } = session;
    // kubectl's terminal rules: the container must have asked for one, and stdin must be
    // one.
    let mut tty = session.tty;
    let allocated = ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|list| {
            pod.pointer(&format!("/spec/{list}"))
                .and_then(Value::as_array)
        })
        .flatten()
        .find(|c| c["name"] == container)
        .is_some_and(|c| c["tty"] == true);
    if tty && !allocated {
        tty = false;
        let _ = writeln!(
            io.err,
            "error: Unable to use a TTY - container {container} did not allocate one"
        );
    }
    if tty && !stdin {
        tty = false;
    }
    if tty && !terminal::stdin_is_terminal() {
        tty = false;
        if !quiet {
            let _ = writeln!(
                io.err,
                "Unable to use a TTY - input is not a terminal or the right kind of file"
            );
        }
    }
    if !quiet {
        let _ = writeln!(
            io.err,
            "If you don't see a command prompt, try pressing enter."
        );
    }
    let _raw = if tty {
        terminal::RawMode::enter()
    } else {
        None
    };
    let streams = crate::client::ExecStreams {
        stdin,
        tty,
        size: if tty { terminal::size } else { || None },
    };
    remote.attach_with(global.namespace(), name, container, streams, io.out, io.err)
}
