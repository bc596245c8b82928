//! After the debug container is made (with `-i` or `--attach`): wait, as kubectl does,
//! until the container runs or has ended, then attach to it; when it has ended or the
//! attach fails, print its log instead.

use super::Plan;
use crate::api::exec::ExecError;
use crate::cli::attach::{Session, join_raw};
use crate::cli::errors::CliError;
use crate::cli::pod_watch;
use crate::cli::{GlobalFlags, Io};
use crate::client::Remote;
use serde_json::Value;

pub(super) fn attach(
    remote: &Remote,
    global: &GlobalFlags,
    plan: &Plan,
    made: &Value,
    container: &str,
    io: &mut Io,
) -> Result<i32, CliError> {
    let name = made["metadata"]["name"].as_str().unwrap_or("");
    let ns = made["metadata"]["namespace"]
        .as_str()
        .unwrap_or(global.namespace());
    let pod = wait_for_container(remote, ns, name, container, plan.args.quiet, io)?;
    let ended =
        status_of(&pod, container).is_some_and(|s| s.pointer("/state/terminated").is_some());
    if ended {
        return pod_watch::print_log(remote, ns, name, container, io);
    }
    let session = Session {
        stdin: plan.args.stdin,
        tty: plan.args.tty,
        quiet: plan.args.quiet,
    };
    match join_raw(remote, global, &pod, name, container, session, io) {
        Ok(code) => super::super::exec::outcome(Ok(code), io),
        Err(e) => {
            let why = match e {
                ExecError::Api(e) => e.message,
                ExecError::Unsupported(m) => m,
            };
            let _ = writeln!(
                io.err,
                "warning: couldn't attach to pod/{name}, falling back to streaming logs: {why}"
            );
            pod_watch::print_log(remote, ns, name, container, io)
        }
    }
}

/// The status of `container` among the pod's init, regular and ephemeral containers.
fn status_of<'a>(pod: &'a Value, container: &str) -> Option<&'a Value> {
    [
        "initContainerStatuses",
        "containerStatuses",
        "ephemeralContainerStatuses",
    ]
    .iter()
    .filter_map(|k| {
        pod.pointer(&format!("/status/{k}"))
            .and_then(Value::as_array)
    })
    .flatten()
    .find(|s| s["name"] == container)
}

/// Waits until the container runs or has ended; waiting messages are printed as
/// warnings.
fn wait_for_container(
    remote: &Remote,
    ns: &str,
    name: &str,
    container: &str,
    quiet: bool,
    io: &mut Io,
) -> Result<Value, CliError> {
    pod_watch::until(remote, (ns, name), None, io, |pod, io| {
        let Some(s) = status_of(pod, container) else {
            return false;
        };
        if s.pointer("/state/running").is_some() || s.pointer("/state/terminated").is_some() {
            return true;
        }
        if let Some(m) = s
            .pointer("/state/waiting/message")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty() && !quiet)
        {
            let _ = writeln!(io.err, "Warning: container {container}: {m}");
        }
        false
    })
}
