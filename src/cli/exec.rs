//! `exec`: run a command in a container. kubelite's containers are simulated, so only the
//! commands the simulation provides run: `etcdctl` in the etcd pod (on the cluster's own
//! store, as the seed's `kubectl exec etcd-master -n kube-system -- etcdctl ...` shows).

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::client::{Client, Embedded, Remote};
use crate::kubelet::exec::{ExecError, run_in_container};
use clap::Args;
use serde_json::Value;

pub(super) mod terminal;

#[derive(Args, Debug)]
pub struct ExecArgs {
    /// POD [--] COMMAND [args...]
    pub pod: Option<String>,
    /// Container name. If omitted, the first container in the pod is chosen.
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Pass stdin to the container
    #[arg(short = 'i', long)]
    pub stdin: bool,
    /// Stdin is a TTY
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Only print output from the remote session
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running
    #[arg(long = "pod-running-timeout", default_value = "1m0s")]
    pub pod_running_timeout: String,
    /// The command and its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// Where the command runs: in this process's embedded cluster, or through `kubelite serve`.
pub enum Runner<'a> {
    Embedded(&'a Embedded),
    Remote(&'a Remote),
}

/// kubectl's checks of an `exec` command line, in its order, before anything is requested.
pub(super) fn validate(args: &ExecArgs) -> Result<(), CliError> {
    // kubelite runs commands in pods named as such, which kubectl does not wait for
    // either: the timeout is only checked.
    super::pod_running_timeout::parse(
        &args.pod_running_timeout,
        "exec",
        super::pod_running_timeout::Refusal::Usage,
    )?;
    if args.pod.is_none() {
        return Err(CliError::message(
            "pod, type/name or --filename must be specified",
        ));
    }
    if args.command.is_empty() {
        return Err(CliError::message(
            "you must specify at least one command for the container",
        ));
    }
    Ok(())
}

/// The container a command runs in: the one asked for (which must exist), else kubectl's
/// default, the annotated container or the first; with several, it says which on `err`
/// (unless `quiet`).
pub(super) fn choose_container(
    pod: &Value,
    pod_name: &str,
    requested: Option<&str>,
    quiet: bool,
    err: &mut dyn std::io::Write,
) -> Result<String, CliError> {
    let containers = crate::api::pod::container_names(pod);
    match requested {
        Some(c) if containers.contains(&c) => Ok(c.to_string()),
        Some(c) => Err(CliError::Api(crate::api::status::ApiError::bad_request(
            format!("container {c} is not valid for pod {pod_name}"),
        ))),
        None => {
            let annotation = pod
                .pointer("/metadata/annotations/kubectl.kubernetes.io~1default-container")
                .and_then(Value::as_str);
            let chosen = annotation
                .or_else(|| containers.first().copied())
                .unwrap_or_default()
                .to_string();
            if containers.len() > 1 && annotation.is_none() && !quiet {
                let _ = writeln!(
                    err,
                    "Defaulted container \"{chosen}\" out of: {}",
                    containers.join(", ")
                );
            }
            Ok(chosen)
        }
    }
}

/// Runs a validated `exec`.
pub fn run(
    runner: Runner<'_>,
    global: &GlobalFlags,
    args: &ExecArgs,
    dashed: bool,
    io: &mut Io,
) -> Result<i32, CliError> {
    let pod_name = args.pod.as_deref().unwrap_or_default();
    if !dashed {
        let _ = writeln!(
            io.err,
            "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead."
        );
    }
    let client: &dyn Client = match runner {
        Runner::Embedded(c) => c,
        Runner::Remote(c) => c,
    };
    // kubectl resolves the type through discovery, as for any named resource.
    let pods = super::targets::Catalog { client, global }.resource("pods")?;
    let pod = client.get_typed(pods, Some(global.namespace()), pod_name)?;
    let container = choose_container(
        &pod,
        pod_name,
        args.container.as_deref(),
        args.quiet,
        io.err,
    )?;
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return Err(CliError::message(format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    // kubectl's rules: stdin only with -i; a terminal only with -i, -t and a terminal
    // on stdin (else a warning, and the command runs without one).
    let tty = args.tty && args.stdin && terminal::stdin_is_terminal();
    if args.tty && args.stdin && !tty && !args.quiet {
        let _ = writeln!(
            io.err,
            "Unable to use a TTY - input is not a terminal or the right kind of file"
        );
    }
    let result = match runner {
        Runner::Embedded(client) => {
            let stdin = std::io::stdin();
            let mut input: Box<dyn std::io::BufRead> = if args.stdin {
                Box::new(stdin.lock())
            } else {
                Box::new(std::io::empty())
            };
            if tty {
                // The user's terminal stays in cooked mode and is the container's pty:
                // it echoes and edits lines; output is written as the pty would.
                let mut out = terminal::PtyOutput::new(&mut *io.out);
                let mut err = out.clone();
                let mut pty = Io {
                    out: &mut out,
                    err: &mut err,
                };
                run_in_container(
                    client,
                    &pod,
                    &container,
                    &args.command,
                    &mut input,
                    &mut pty,
                )
            } else {
                run_in_container(client, &pod, &container, &args.command, &mut input, io)
            }
        }
        Runner::Remote(remote) => {
            let _raw = if tty {
                terminal::RawMode::enter()
            } else {
                None
            };
            let streams = crate::client::ExecStreams {
                stdin: args.stdin,
                tty,
                size: if tty { terminal::size } else { || None },
            };
            remote.exec_with(
                global.namespace(),
                pod_name,
                &container,
                &args.command,
                streams,
                io.out,
                io.err,
            )
        }
    };
    outcome(result, io)
}

/// A remote exec's (or attach's) outcome as kubectl reports it: its exit code, after
/// `command terminated with exit code N` when the command ran and failed.
pub(super) fn outcome(result: Result<i32, ExecError>, io: &mut Io) -> Result<i32, CliError> {
    match result {
        Ok(0) => Ok(0),
        Ok(code) => {
            let _ = io.out.flush();
            let _ = writeln!(io.err, "command terminated with exit code {code}");
            Ok(code)
        }
        Err(ExecError::Api(e)) => Err(e.into()),
        Err(ExecError::Unsupported(message)) => Err(CliError::message(message)),
    }
}
