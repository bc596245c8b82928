//! `wait` against a server: a list of the one object (from the watch cache), then a watch
//! from that list, as kubectl's informer runs them, until the condition holds or the
//! timeout passes. A watch the server ends is listed and watched again.

use super::condition::For;
use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::cli::errors::CliError;
use crate::client::{Client, WatchRequest};
use serde_json::Value;
use std::time::{Duration, Instant};

/// What one look at the object decided.
enum Seen {
    Met,
    NotYet,
}

/// Waits until `name` meets `wait_for`; zero `limit` looks once.
pub fn until_met(
    client: &dyn Client,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
    wait_for: &For,
    limit: Duration,
) -> Result<(), CliError> {
    let what = format!("{}/{name}", r.qualified_plural());
    let judge = |obj: Option<&Value>| -> Result<Seen, CliError> {
        let met = match obj {
            None => matches!(wait_for, For::Delete),
            Some(o) => wait_for.met(o)?,
        };
        if obj.is_none() && !met {
            return Err(super::gone(r, name));
        }
        Ok(if met { Seen::Met } else { Seen::NotYet })
    };
    let timed_out = if limit.is_zero() {
        format!("condition not met for {what}")
    } else {
        format!("timed out waiting for the condition on {what}")
    };
    watch_until(client, r, ns, name, limit, &judge, &timed_out)
}

/// Waits until `name` exists (`--for=create`).
pub fn until_exists(
    client: &dyn Client,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
    limit: Duration,
) -> Result<(), CliError> {
    let judge = |obj: Option<&Value>| -> Result<Seen, CliError> {
        Ok(if obj.is_some() {
            Seen::Met
        } else {
            Seen::NotYet
        })
    };
    watch_until(
        client,
        r,
        ns,
        name,
        limit,
        &judge,
        "timed out waiting for the condition",
    )
}

fn watch_until(
    client: &dyn Client,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
    limit: Duration,
    judge: &dyn Fn(Option<&Value>) -> Result<Seen, CliError>,
    timed_out: &str,
) -> Result<(), CliError> {
    let deadline = Instant::now() + limit;
    let opts = ListOptions {
        field_selector: Some(format!("metadata.name={name}")),
        ..Default::default()
    };
    let late = || Instant::now() >= deadline;
    loop {
        let req = WatchRequest {
            bookmarks: true,
            timeout_seconds: Some(crate::client::informer_watch_seconds()),
            // A single look (zero timeout) still lets the list take its time.
            timeout: (!limit.is_zero()).then(|| deadline.saturating_duration_since(Instant::now())),
            ..Default::default()
        };
        let (list, stream) = client.list_then_watch(r, ns, &opts, &req)?;
        let first = list["items"].as_array().and_then(|i| i.first());
        if let Seen::Met = judge(first)? {
            return Ok(());
        }
        if limit.is_zero() {
            return Err(CliError::message(timed_out));
        }
        for event in stream {
            let event = match event {
                Ok(e) => e,
                Err(_) if late() => break,
                Err(e) => return Err(e.into()),
            };
            if super::name_of(&event.object) != name {
                continue;
            }
            let seen = match event.kind {
                "BOOKMARK" => continue,
                "DELETED" => judge(None)?,
                _ => judge(Some(&event.object))?,
            };
            if let Seen::Met = seen {
                return Ok(());
            }
        }
        if late() {
            return Err(CliError::message(timed_out));
        }
    }
}
