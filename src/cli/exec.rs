//! `exec`: run a command in a container. kubelite's containers are simulated, so only the
//! commands the simulation provides run: `etcdctl` in the etcd pod (on the cluster's own
//! store, as the seed's `kubectl exec etcd-master -n kube-system -- etcdctl ...` shows).

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::api::registry;
use crate::client::{Client, Embedded, Remote};
use crate::kubelet::exec::{ExecError, run_in_container};
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct ExecArgs {
    /// POD [--] COMMAND [args...]
    pub pod: String,
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
    /// The command and its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// Where the command runs: in this process's embedded cluster, or through `kubelite serve`.
pub enum Runner<'a> {
    Embedded(&'a Embedded),
    Remote(&'a Remote),
}

pub fn run(
    runner: Runner<'_>,
    global: &GlobalFlags,
    args: &ExecArgs,
    dashed: bool,
    io: &mut Io,
) -> Result<i32, CliError> {
    if args.command.is_empty() {
        return Err(CliError::message(
            "you must specify at least one command for the container",
        ));
    }
    if !dashed {
        let _ = writeln!(
            io.err,
            "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead."
        );
    }
    let pods = registry::find("pods").ok_or_else(|| CliError::message("no pods resource"))?;
    let client: &dyn Client = match runner {
        Runner::Embedded(c) => c,
        Runner::Remote(c) => c,
    };
    let pod = client.get(pods, Some(global.namespace()), &args.pod)?;
    let containers: Vec<&str> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect();
    let container = match &args.container {
        Some(c) if containers.contains(&c.as_str()) => c.clone(),
        Some(c) => {
            return Err(CliError::Api(crate::api::status::ApiError::bad_request(
                format!("container {c} is not valid for pod {}", args.pod),
            )));
        }
        None => containers
            .first()
            .map(|c| c.to_string())
            .unwrap_or_default(),
    };
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return Err(CliError::message(format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    let result = match runner {
        Runner::Embedded(client) => {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            run_in_container(client, &pod, &container, &args.command, &mut input, io)
        }
        // kubelite serve does not forward stdin.
        Runner::Remote(remote) => remote.exec(
            global.namespace(),
            &args.pod,
            &container,
            &args.command,
            io.out,
            io.err,
        ),
    };
    match result {
        Ok(code) => Ok(code),
        Err(ExecError::Api(e)) => Err(e.into()),
        Err(ExecError::Unsupported(message)) => Err(CliError::message(message)),
    }
}
