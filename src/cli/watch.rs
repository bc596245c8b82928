//! `get -w`: after the list, print each change as a table row, aligned with the rows before
//! it. In one-shot mode this process holds the embedded cluster, so it keeps the control
//! plane running on the cluster's clock while it watches; it ends at `--request-timeout`
//! or on Ctrl-C.

use super::Io;
use super::errors::CliError;
use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::client::{Client, Embedded};
use crate::print::columns;
use crate::print::table_printer::{TablePrintOptions, table_text};
use crate::print::tabwriter::{REMEMBER_WIDTHS, TabWriter};
use serde_json::Value;
use std::time::{Duration, Instant};

/// How often the control plane runs and changes are read while watching.
const POLL: Duration = Duration::from_millis(500);

pub struct WatchRequest<'a> {
    pub resource: &'a Resource,
    pub namespace: Option<&'a str>,
    pub opts: &'a ListOptions,
    pub print: &'a TablePrintOptions,
    /// Skip the initial list (`--watch-only`).
    pub watch_only: bool,
    /// `--request-timeout`; none means until interrupted.
    pub timeout: Option<Duration>,
}

pub fn run(client: &Embedded, req: &WatchRequest, io: &mut Io) -> Result<i32, CliError> {
    let r = req.resource;
    let mut tw = TabWriter::new(6, 4, 3, ' ', REMEMBER_WIDTHS);
    let initial = client.list_table(r, req.namespace, req.opts)?;
    let mut since: i64 = initial
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut headers_printed = false;
    if !req.watch_only && initial["rows"].as_array().is_some_and(|r| !r.is_empty()) {
        tw.write_str(&table_text(&initial, req.print));
        headers_printed = true;
        emit(io, tw.flush())?;
    }
    let started = Instant::now();
    loop {
        if req.timeout.is_some_and(|t| started.elapsed() >= t) {
            return Ok(0);
        }
        std::thread::sleep(POLL);
        crate::cluster::settle(client).map_err(CliError::message)?;
        let (events, next) = client.watch(r, req.namespace, req.opts, since)?;
        since = next;
        let now = client.server().clock().now();
        for ev in events {
            let table = columns::table(r.plural, std::slice::from_ref(&ev.object), now, false);
            let opts = TablePrintOptions {
                no_headers: req.print.no_headers || headers_printed,
                ..req.print.clone()
            };
            headers_printed = true;
            tw.write_str(&table_text(&table, &opts));
            emit(io, tw.flush())?;
        }
    }
}

fn emit(io: &mut Io, text: String) -> Result<(), CliError> {
    io.out
        .write_all(text.as_bytes())
        .and_then(|_| io.out.flush())
        .map_err(|e| CliError::message(e.to_string()))
}

/// kubectl's durations: `0` (none), `30s`, `1m`, `500ms`, `1h`.
pub fn parse_timeout(s: &str) -> Result<Option<Duration>, CliError> {
    let bad = || {
        CliError::message(format!(
            "invalid timeout value {s:?}: timeouts must be a single integer with an optional unit (e.g. 1s, 2m, 3h)"
        ))
    };
    if s.is_empty() || s == "0" {
        return Ok(None);
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let d = match unit {
        "" | "s" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        _ => return Err(bad()),
    };
    Ok((n > 0).then_some(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts() {
        assert_eq!(parse_timeout("0").unwrap(), None);
        assert_eq!(parse_timeout("5s").unwrap(), Some(Duration::from_secs(5)));
        assert_eq!(parse_timeout("2").unwrap(), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_timeout("150ms").unwrap(),
            Some(Duration::from_millis(150))
        );
        assert!(parse_timeout("5x").is_err());
    }
}
