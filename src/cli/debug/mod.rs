//! `debug`: a debugging session for a pod or a node, as kubectl 1.32 makes it: an
//! ephemeral container added to the pod (`pods/ephemeralcontainers`), a copy of the pod
//! (`--copy-to`), or a pod in a node's host namespaces (`node/NAME`); then, with `-i` or
//! `--attach`, it waits for the container to run and attaches to it. The objects are
//! real in every cluster; the embedded cluster's containers run no process, so attaching
//! there is refused as `attach` refuses it.

mod container;
mod copy;
mod custom;
mod ephemeral;
mod node;
mod profile;
mod reference;
mod session;
mod suffix;

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::client::{Client, Remote};
use clap::Args;
use profile::{Keep, Profile};
use serde_json::Value;

#[derive(Args, Debug)]
pub struct DebugArgs {
    /// (POD | TYPE[[.VERSION].GROUP]/NAME)
    #[arg(value_name = "TARGET")]
    pub names: Vec<String>,
    /// The command (or, with --arguments-only, the arguments) of the debug container
    #[arg(last = true)]
    pub args: Vec<String>,
    /// If specified, everything after -- will be passed to the new container as Args instead of Command.
    #[arg(long)]
    pub arguments_only: bool,
    /// If true, wait for the container to start running, and then attach as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub attach: Option<bool>,
    /// Container name to use for debug container.
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Create a copy of the target Pod with this name.
    #[arg(long)]
    pub copy_to: Option<String>,
    /// Path to a JSON or YAML file containing a partial container spec to customize built-in debug profiles.
    #[arg(long)]
    pub custom: Option<String>,
    /// Environment variables to set in the container.
    #[arg(long)]
    pub env: Vec<String>,
    /// identifying the resource to debug
    #[arg(short = 'f', long)]
    pub filename: Vec<String>,
    /// Container image to use for debug container.
    #[arg(long)]
    pub image: Option<String>,
    /// The image pull policy for the container. If left empty, this value will not be specified by the client and defaulted by the server.
    #[arg(long)]
    pub image_pull_policy: Option<String>,
    /// If true, keep the original pod annotations.(This flag only works when used with '--copy-to')
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true", default_value = "false")]
    pub keep_annotations: bool,
    /// Run the init containers for the pod. Defaults to true.(This flag only works when used with '--copy-to')
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true", default_value = "true")]
    pub keep_init_containers: bool,
    /// If true, keep the original pod labels.(This flag only works when used with '--copy-to')
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true", default_value = "false")]
    pub keep_labels: bool,
    /// If true, keep the original pod liveness probes.(This flag only works when used with '--copy-to')
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true", default_value = "false")]
    pub keep_liveness: bool,
    /// If true, keep the original pod readiness probes.(This flag only works when used with '--copy-to')
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true", default_value = "false")]
    pub keep_readiness: bool,
    /// If true, keep the original startup probes.(This flag only works when used with '--copy-to')
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true", default_value = "false")]
    pub keep_startup: bool,
    /// Options are "legacy", "general", "baseline", "netadmin", "restricted" or "sysadmin".
    #[arg(long, default_value = "legacy")]
    pub profile: String,
    /// If true, suppress informational messages.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// When used with '--copy-to', delete the original Pod.
    #[arg(long)]
    pub replace: bool,
    /// When used with '--copy-to', schedule the copy of target Pod on the same node.
    #[arg(long)]
    pub same_node: bool,
    /// When used with '--copy-to', a list of name=image pairs for changing container images, similar to how 'kubectl set image' works.
    #[arg(long)]
    pub set_image: Vec<String>,
    /// When used with '--copy-to', enable process namespace sharing in the copy.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub share_processes: Option<bool>,
    /// Keep stdin open on the container(s) in the pod, even if nothing is attached.
    #[arg(short = 'i', long)]
    pub stdin: bool,
    /// When using an ephemeral container, target processes in this container name.
    #[arg(long)]
    pub target: Option<String>,
    /// Allocate a TTY for the debugging container.
    #[arg(short = 't', long)]
    pub tty: bool,
}

/// A validated command line: what `Run` needs beyond the flags.
pub struct Plan<'a> {
    pub args: &'a DebugArgs,
    pub profile: Profile,
    pub keep: Keep,
    /// `--env` as name/value pairs, in the order given.
    pub env: Vec<(String, String)>,
    /// `--set-image` as container/image pairs.
    pub set_images: Vec<(String, String)>,
    /// Whether to wait and attach (`--attach`, or `-i` without `--attach=false`).
    pub attach: bool,
    /// `--custom`'s partial container spec.
    pub custom: Option<Value>,
}

impl Plan<'_> {
    pub fn image(&self) -> &str {
        self.args.image.as_deref().unwrap_or("")
    }

    pub fn pull_policy(&self) -> &str {
        self.args.image_pull_policy.as_deref().unwrap_or("")
    }

    /// The profile, then `--custom`, applied to debug container `name` of `pod`.
    pub fn shape(
        &self,
        pod: &mut Value,
        name: &str,
        style: profile::Style,
    ) -> Result<(), CliError> {
        self.profile.apply(pod, name, style, self.keep);
        match &self.custom {
            Some(spec) => custom::apply(pod, name, spec),
            None => Ok(()),
        }
    }
}

/// `a=1,b=2` lists (pflag's string-to-string flags), over every use of the flag.
fn pairs(values: &[String], flag: &str) -> Result<Vec<(String, String)>, CliError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for value in values {
        for item in value.split(',') {
            let Some((k, v)) = item.split_once('=') else {
                return Err(CliError::message(format!(
                    "invalid argument \"{value}\" for \"--{flag}\" flag: {item} must be formatted as key=value"
                )));
            };
            out.retain(|(old, _)| old != k);
            out.push((k.to_string(), v.to_string()));
        }
    }
    Ok(out)
}

/// kubectl's Complete and Validate: the checks of the command line, in its order. The
/// `Targeting container` notice is printed here, as kubectl prints it while validating.
pub(super) fn plan<'a>(args: &'a DebugArgs, io: &mut Io) -> Result<Plan<'a>, CliError> {
    let env = pairs(&args.env, "env")?;
    let set_images = pairs(&args.set_image, "set-image")?;
    let profile = Profile::parse(&args.profile)?;
    let custom = args.custom.as_deref().map(custom::read).transpose()?;
    let image = args.image.as_deref().unwrap_or("");
    let container = args.container.as_deref().unwrap_or("");
    if args.attach == Some(true) && image.is_empty() && container.is_empty() {
        return Err(CliError::message(
            "you must specify --container or create a new container using --image in order to attach.",
        ));
    }
    if args.copy_to.as_deref().is_some_and(|c| !c.is_empty()) {
        if image.is_empty() && set_images.is_empty() && args.args.is_empty() {
            return Err(CliError::message(
                "you must specify --image, --set-image or command arguments.",
            ));
        }
        if !args.args.is_empty() && container.is_empty() && image.is_empty() {
            return Err(CliError::message(
                "you must specify an existing container or a new image when specifying args.",
            ));
        }
    } else if args.replace {
        return Err(CliError::message(
            "--replace may only be used with --copy-to.",
        ));
    } else if args.same_node {
        return Err(CliError::message(
            "--same-node may only be used with --copy-to.",
        ));
    } else if !set_images.is_empty() {
        return Err(CliError::message(
            "--set-image may only be used with --copy-to.",
        ));
    } else if image.is_empty() {
        return Err(CliError::message(
            "you must specify --image when not using --copy-to.",
        ));
    }
    if !image.is_empty() && !reference::is_image_reference(image) {
        return Err(CliError::message(format!(
            "invalid image name \"{image}\": invalid reference format"
        )));
    }
    if args.names.is_empty() && args.filename.is_empty() {
        return Err(CliError::message("NAME or filename is required for debug"));
    }
    match args.image_pull_policy.as_deref().unwrap_or("") {
        "Always" | "IfNotPresent" | "Never" | "" => {}
        other => {
            return Err(CliError::message(format!(
                "invalid image pull policy: {other}"
            )));
        }
    }
    for (name, image) in &set_images {
        if !reference::is_image_reference(image) {
            return Err(CliError::message(format!(
                "invalid image name \"{image}\" for container \"{name}\": invalid reference format"
            )));
        }
    }
    if let Some(target) = args.target.as_deref().filter(|t| !t.is_empty()) {
        if args.copy_to.as_deref().is_some_and(|c| !c.is_empty()) {
            return Err(CliError::message(
                "--target is incompatible with --copy-to. Use --share-processes instead.",
            ));
        }
        if !args.quiet {
            let _ = writeln!(
                io.out,
                "Targeting container \"{target}\". If you don't see processes from this container it may be because the container runtime doesn't support this feature."
            );
        }
    }
    if args.tty && !args.stdin {
        return Err(CliError::message(
            "-i/--stdin is required for containers with -t/--tty=true",
        ));
    }
    if let Some(spec) = &custom {
        custom::check(spec)?;
    }
    if !args.filename.is_empty() {
        return Err(CliError::message(
            "kubelite debug takes its targets by name (POD, pod/NAME, node/NAME), not from -f files",
        ));
    }
    if profile == Profile::Legacy {
        let _ = writeln!(io.err, "{}", profile::LEGACY_DEPRECATED);
    }
    Ok(Plan {
        args,
        profile,
        keep: Keep {
            labels: args.keep_labels,
            annotations: args.keep_annotations,
            liveness: args.keep_liveness,
            readiness: args.keep_readiness,
            startup: args.keep_startup,
            init_containers: args.keep_init_containers,
        },
        env,
        set_images,
        attach: args.attach.unwrap_or(args.stdin),
        custom,
    })
}

/// The core pods resource.
fn pods() -> Result<&'static crate::api::registry::Resource, CliError> {
    crate::api::registry::find("pods").ok_or_else(|| CliError::message("pods are not served"))
}

/// What a visit made: the pod to attach to and its debug container (none when a copy
/// only changed images).
struct Made {
    pod: Value,
    container: Option<String>,
}

/// Runs `debug` for each target in turn, as kubectl visits them. `remote` is the server
/// to attach through; without one (the embedded cluster) attaching is refused.
pub fn run(
    client: &dyn Client,
    remote: Option<&Remote>,
    global: &GlobalFlags,
    args: &DebugArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let plan = plan(args, io)?;
    let catalog = super::targets::Catalog { client, global };
    let namespace = global.namespace();
    let mut targets: Vec<(&str, String)> = Vec::new();
    for word in &args.names {
        let (kind, name) = word.split_once('/').unwrap_or(("pods", word.as_str()));
        targets.push((kind, name.to_string()));
    }
    for (kind, name) in targets {
        let r = catalog.resource(kind)?;
        let ns = r.namespaced.then_some(namespace);
        let obj = client.get_typed(r, ns, &name)?;
        let made = match (r.group, r.plural) {
            ("", "pods") if plan.args.copy_to.as_deref().is_some_and(|c| !c.is_empty()) => {
                copy::debug_by_copy(client, &plan, &obj, io)?
            }
            ("", "pods") => ephemeral::debug_by_ephemeral_container(client, &plan, &obj, io)?,
            ("", "nodes") => node::debug_node(client, &plan, &obj, namespace, io)?,
            (group, _) => {
                let gv = if group.is_empty() {
                    format!("/{}", r.version)
                } else {
                    format!("{group}/{}", r.version)
                };
                return Err(CliError::message(format!(
                    "\"{gv}, Kind={}\" not supported by debug",
                    r.kind
                )));
            }
        };
        if let (true, Some(container)) = (plan.attach, made.container) {
            let Some(remote) = remote else {
                return Err(CliError::message(super::attach::SIMULATED));
            };
            let code = session::attach(remote, global, &plan, &made.pod, &container, io)?;
            if code != 0 {
                return Ok(code);
            }
        }
    }
    Ok(0)
}
