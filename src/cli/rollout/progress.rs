//! `rollout status` against a server: watch the object (a list from the watch cache, then
//! a watch from it, as kubectl's informer does) and print kubectl's status line at every
//! change, until the rollout is done or `--timeout` passes.

use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::{Client, WatchRequest};
use serde_json::Value;
use std::time::{Duration, Instant};

pub fn until_done(
    client: &dyn Client,
    r: &Resource,
    ns: &str,
    name: &str,
    timeout: Option<Duration>,
    io: &mut Io,
) -> Result<(), CliError> {
    let deadline = timeout.map(|t| Instant::now() + t);
    let opts = ListOptions {
        field_selector: Some(format!("metadata.name={name}")),
        ..Default::default()
    };
    let gone = || CliError::message("object has been deleted");
    loop {
        let req = WatchRequest {
            bookmarks: true,
            timeout_seconds: Some(crate::client::informer_watch_seconds()),
            timeout: deadline.map(|d| d.saturating_duration_since(Instant::now())),
            ..Default::default()
        };
        let (list, stream) = client.list_then_watch(r, Some(ns), &opts, &req)?;
        let Some(obj) = list["items"].as_array().and_then(|i| i.first()) else {
            return Err(gone());
        };
        if report(r, obj, io)? {
            return Ok(());
        }
        for event in stream {
            let event = match event {
                Ok(e) => e,
                Err(_) if deadline.is_some_and(|d| Instant::now() >= d) => break,
                Err(e) => return Err(e.into()),
            };
            match event.kind {
                "BOOKMARK" => {}
                "DELETED" => return Err(gone()),
                _ => {
                    if report(r, &event.object, io)? {
                        return Ok(());
                    }
                }
            }
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(CliError::message("timed out waiting for the condition"));
        }
        // The server ended the watch: list and watch again, as the informer does.
    }
}

/// Prints the status line; `true` when the rollout is done.
fn report(r: &Resource, obj: &Value, io: &mut Io) -> Result<bool, CliError> {
    let (line, done) = super::status_line(r.kind, obj)?;
    let _ = writeln!(io.out, "{line}");
    let _ = io.out.flush();
    Ok(done)
}
