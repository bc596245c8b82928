//! `run -i`, `-t`, `--attach` (and `--rm`): after the pod is made, kubectl's steps: wait
//! until it runs and is ready (or has ended), attach to its container as `attach` does,
//! print its log when it has ended or the attach fails, and with `--rm` delete it.

use super::attach::{Session, join_raw};
use super::errors::CliError;
use super::pod_watch;
use super::{GlobalFlags, Io};
use crate::api::exec::ExecError;
use crate::api::options::DeleteOptions;
use crate::client::{Client, Remote};
use serde_json::Value;
use std::time::Duration;

/// How `run` waits on its pod: its restart policy, and `--pod-running-timeout`, which
/// bounds each of kubectl's waits (for the pod to run, then for its exit code); whether
/// it waits for the exit code at all (not with `--leave-stdin-open`).
pub(super) struct Wait<'a> {
    pub restart: &'a str,
    pub limit: Duration,
    pub for_exit_code: bool,
}

/// Waits for pod `name`, then attaches to its one container (named as the pod) as
/// `session` asks.
pub(super) fn attach(
    remote: &Remote,
    global: &GlobalFlags,
    (ns, name): (&str, &str),
    session: Session,
    wait: &Wait,
    io: &mut Io,
) -> Result<i32, CliError> {
    let pod = pod_watch::until(remote, (ns, name), Some(wait.limit), io, |pod, _| {
        ended(pod) || running_and_ready(pod)
    })?;
    if ended(&pod) {
        return pod_watch::print_log(remote, ns, name, name, io);
    }
    let code = match join_raw(remote, global, &pod, name, name, session, io) {
        Ok(code) => super::exec::outcome(Ok(code), io)?,
        Err(e) => {
            let why = match e {
                ExecError::Api(e) => e.message,
                ExecError::Unsupported(m) => m,
            };
            let _ = writeln!(
                io.err,
                "warning: couldn't attach to pod/{name}, falling back to streaming logs: {why}"
            );
            pod_watch::print_log(remote, ns, name, name, io)?
        }
    };
    match wait.restart {
        "Never" | "OnFailure" if wait.for_exit_code => exit_code(remote, (ns, name), wait, io),
        _ => Ok(code),
    }
}

/// A pod that does not restart (or only on failure) is waited for until it has ended,
/// and kubectl exits with its container's code.
fn exit_code(
    remote: &Remote,
    (ns, name): (&str, &str),
    wait: &Wait,
    io: &mut Io,
) -> Result<i32, CliError> {
    // OnFailure waits for success only: a failed pod is restarted by its kubelet.
    let pod = pod_watch::until(
        remote,
        (ns, name),
        Some(wait.limit),
        io,
        |pod, _| match wait.restart {
            "OnFailure" => phase(pod) == "Succeeded",
            _ => ended(pod),
        },
    )?;
    match phase(&pod) {
        "Succeeded" => Ok(0),
        _ => {
            let code = pod
                .pointer("/status/containerStatuses/0/state/terminated/exitCode")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if code == 0 {
                return Err(CliError::message(format!(
                    "pod {ns}/{name} failed with unknown exit code"
                )));
            }
            // kubectl exits with the container's code, saying how it ended (no `error:`).
            let terminated = pod.pointer("/status/containerStatuses/0/state/terminated");
            let field = |f: &str| {
                terminated
                    .and_then(|t| t[f].as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let said = format!(
                "pod {ns}/{name} terminated ({})\n{}",
                field("reason"),
                field("message")
            );
            let _ = write!(io.err, "{said}");
            if !said.ends_with('\n') {
                let _ = writeln!(io.err);
            }
            Ok(i32::try_from(code).unwrap_or(1))
        }
    }
}

fn phase(pod: &Value) -> &str {
    pod.pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn ended(pod: &Value) -> bool {
    matches!(phase(pod), "Succeeded" | "Failed")
}

/// kubectl's wait before attaching: phase Running with the Ready condition true.
fn running_and_ready(pod: &Value) -> bool {
    phase(pod) == "Running"
        && pod
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True")
            })
}

/// `--rm`: deletes the pod as kubectl's delete does (read by name first, deleted in the
/// background; a pod already gone is no error) and prints its line; like kubectl, a
/// failure here is not reported.
pub(super) fn remove(client: &dyn Client, ns: &str, name: &str, quiet: bool, io: &mut Io) {
    let Some(pods) = crate::api::registry::find("pods") else {
        return;
    };
    if client.get_typed(pods, Some(ns), name).is_err() {
        return;
    }
    let opts = DeleteOptions {
        propagation_policy: Some("Background".into()),
        ..Default::default()
    };
    if client.delete_typed(pods, Some(ns), name, &opts).is_ok() && !quiet {
        let _ = writeln!(io.out, "pod \"{name}\" deleted");
    }
}
