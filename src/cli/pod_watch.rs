//! Waiting on one pod as kubectl's attaching verbs do (`debug`, `run -i`): list it by
//! name, then watch it, until a condition holds; and printing a container's log once,
//! their fallback when there is nothing (left) to attach to.

use super::Io;
use super::errors::CliError;
use crate::api::options::ListOptions;
use crate::client::{Client, LogRequest, Remote, WatchRequest};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Lists then watches pod `name` until `done` says so, and hands back the pod it judged.
/// A deleted pod ends the wait with kubectl's NotFound. The watch is renewed when the
/// server closes it; `limit` (`run`'s `--pod-running-timeout`) ends the wait with
/// client-go's timeout error, and without one (`debug`) the wait has no end of its own.
pub(super) fn until(
    remote: &Remote,
    (ns, name): (&str, &str),
    limit: Option<Duration>,
    io: &mut Io,
    mut done: impl FnMut(&Value, &mut Io) -> bool,
) -> Result<Value, CliError> {
    let deadline = limit.map(|l| Instant::now() + l);
    let late = || deadline.is_some_and(|d| Instant::now() >= d);
    let timed_out = || CliError::message("timed out waiting for the condition");
    let pods = crate::api::registry::find("pods")
        .ok_or_else(|| CliError::message("pods are not served"))?;
    let opts = ListOptions {
        field_selector: Some(format!("metadata.name={name}")),
        ..Default::default()
    };
    loop {
        let req = WatchRequest {
            bookmarks: true,
            timeout_seconds: Some(crate::client::informer_watch_seconds()),
            typed: true,
            // The stream is cut at the deadline, whatever the server does.
            timeout: deadline.map(|d| d.saturating_duration_since(Instant::now())),
            ..Default::default()
        };
        let (list, stream) = remote.list_then_watch(pods, Some(ns), &opts, &req)?;
        if let Some(pod) = list["items"].as_array().and_then(|i| i.first())
            && done(pod, io)
        {
            return Ok(pod.clone());
        }
        for event in stream {
            let event = match event {
                Ok(e) => e,
                Err(_) if late() => return Err(timed_out()),
                Err(e) => return Err(e.into()),
            };
            if event.object["metadata"]["name"] != name {
                continue;
            }
            match event.kind {
                "BOOKMARK" => continue,
                "DELETED" => {
                    return Err(crate::api::status::ApiError::new(
                        404,
                        "NotFound",
                        "pods \"\" not found",
                    )
                    .into());
                }
                _ if done(&event.object, io) => return Ok(event.object),
                _ => {}
            }
        }
        if late() {
            return Err(timed_out());
        }
    }
}

/// The container's log, once, to stdout.
pub(super) fn print_log(
    remote: &Remote,
    ns: &str,
    name: &str,
    container: &str,
    io: &mut Io,
) -> Result<i32, CliError> {
    let req = LogRequest {
        container: Some(container.to_string()),
        ..Default::default()
    };
    let mut reader = remote.logs(ns, name, &req)?;
    std::io::copy(&mut reader, io.out).map_err(|e| CliError::message(e.to_string()))?;
    Ok(0)
}
