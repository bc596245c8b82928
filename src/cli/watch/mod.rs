//! `get -w`: after the list, print each change: a table row aligned with the rows before
//! it, or the object in the `-o` format. Against a remote server the changes come through
//! `Client::watch`; in one-shot mode this process holds the embedded cluster, so it also
//! keeps the control plane running on the cluster's clock while it watches. It ends at
//! `--request-timeout` or on Ctrl-C.

mod live;

use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::cli::output::Output;
use crate::client::{Client, Embedded};
use crate::print::columns;
use crate::print::list::with_type_meta;
use crate::print::table_printer::{TablePrintOptions, table_text};
use crate::print::tabwriter::{REMEMBER_WIDTHS, TabWriter};
use crate::print::{json, name, yaml};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// How often the control plane runs and changes are read while watching.
const POLL: Duration = Duration::from_millis(500);

pub struct WatchRequest<'a> {
    pub resource: &'a Resource,
    pub namespace: Option<&'a str>,
    pub opts: &'a ListOptions,
    pub output: &'a Output,
    pub print: &'a TablePrintOptions,
    /// Skip the initial list (`--watch-only`).
    pub watch_only: bool,
    /// `--output-watch-events`: say ADDED/MODIFIED/DELETED with every object.
    pub events: bool,
    /// `get TYPE NAME -w`: a missing object is an error, as kubectl's initial get is.
    pub name: Option<&'a str>,
    pub no_headers: bool,
    /// `--show-managed-fields`: keep them in -o yaml/json.
    pub show_managed_fields: bool,
    /// `--request-timeout`; none means until interrupted.
    pub timeout: Option<Duration>,
}

/// Watches through `client`. `embedded` is the cluster this process holds, if any: its
/// control plane runs between reads.
pub fn run(
    client: &dyn Client,
    embedded: Option<&Embedded>,
    req: &WatchRequest,
    io: &mut Io,
) -> Result<i32, CliError> {
    if embedded.is_none() && client.live() {
        return live::run(client, req, io);
    }
    let r = req.resource;
    let mut printer = EventPrinter::new(req);
    let mut since = if req.output.is_table() {
        let initial = client.list_table(r, req.namespace, req.opts)?;
        check_found(client, req, row_count(&initial))?;
        if !req.watch_only {
            emit(io, printer.table(&initial, "ADDED"))?;
        }
        resource_version(&initial)
    } else {
        let mut list = client.list(r, req.namespace, req.opts)?;
        let items = match list["items"].take() {
            Value::Array(items) => items,
            _ => Vec::new(),
        };
        check_found(client, req, items.len())?;
        if !req.watch_only {
            for obj in items {
                emit(io, printer.object(obj, "ADDED")?)?;
            }
        }
        resource_version(&list)
    };
    let started = Instant::now();
    loop {
        if req.timeout.is_some_and(|t| started.elapsed() >= t) {
            return Ok(0);
        }
        std::thread::sleep(POLL);
        let now = match embedded {
            Some(e) => {
                crate::embedded::settle(e).map_err(CliError::message)?;
                e.server().clock().now()
            }
            None => client_now(),
        };
        let (events, next) = client.watch(r, req.namespace, req.opts, since)?;
        since = next;
        for ev in events {
            let text = if req.output.is_table() {
                let table = columns::table(r.plural, std::slice::from_ref(&ev.object), now, false);
                printer.table(&table, ev.kind)
            } else {
                printer.object(ev.object, ev.kind)?
            };
            emit(io, text)?;
        }
    }
}

/// `get NAME -w` of a missing object fails with the server's NotFound, before watching.
fn check_found(client: &dyn Client, req: &WatchRequest, found: usize) -> Result<(), CliError> {
    match req.name {
        Some(name) if found == 0 => {
            client.get(req.resource, req.namespace, name)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn row_count(table: &Value) -> usize {
    table["rows"].as_array().map_or(0, Vec::len)
}

pub(super) fn resource_version(list: &Value) -> i64 {
    list.pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The time ages are measured at when rows are rendered here rather than by the server.
fn client_now() -> chrono::DateTime<chrono::Utc> {
    crate::clock::Clock::from_env()
        .map(|c| c.now())
        .unwrap_or_else(|_| chrono::Utc::now())
}

/// Prints a watch's objects one at a time, remembering what earlier ones need: the table's
/// column widths and whether its header is out, the YAML document separator.
pub(super) struct EventPrinter<'a> {
    req: &'a WatchRequest<'a>,
    tw: TabWriter,
    headers_printed: bool,
    printed: usize,
}

impl<'a> EventPrinter<'a> {
    pub(super) fn new(req: &'a WatchRequest<'a>) -> EventPrinter<'a> {
        EventPrinter {
            req,
            tw: TabWriter::new(6, 4, 3, ' ', REMEMBER_WIDTHS),
            headers_printed: false,
            printed: 0,
        }
    }

    /// Rows of a Table; with `--output-watch-events` an EVENT column leads.
    pub(super) fn table(&mut self, table: &Value, kind: &str) -> String {
        if row_count(table) == 0 {
            return String::new();
        }
        let opts = TablePrintOptions {
            no_headers: self.req.print.no_headers || self.headers_printed,
            ..self.req.print.clone()
        };
        let mut text = table_text(table, &opts);
        if self.req.events {
            let mut lines = text.lines();
            let mut prefixed = String::new();
            if !opts.no_headers
                && let Some(header) = lines.next()
            {
                prefixed.push_str(&format!("EVENT\t{header}\n"));
            }
            // kubectl pads the event type to the longest one's width (MODIFIED), so the
            // column does not grow when the first change arrives.
            for line in lines {
                prefixed.push_str(&format!("{kind:<8}\t{line}\n"));
            }
            text = prefixed;
        }
        self.headers_printed = true;
        self.tw.write_str(&text);
        self.tw.flush()
    }

    /// One object in the `-o` format (as a `{type, object}` event with
    /// `--output-watch-events`).
    pub(super) fn object(&mut self, obj: Value, kind: &str) -> Result<String, CliError> {
        let r = self.req.resource;
        let mut obj = with_type_meta(obj, &r.api_version(), r.kind);
        // kubectl hides managedFields from json and yaml unless --show-managed-fields, as in
        // a plain get; not inside a watch event, whose own top level has none to hide.
        if !self.req.events
            && !self.req.show_managed_fields
            && matches!(self.req.output, Output::Yaml | Output::Json)
            && let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.shift_remove("managedFields");
        }
        let first = self.printed == 0;
        self.printed += 1;
        let event = |obj: Value| json!({"type": kind, "object": obj});
        Ok(match self.req.output {
            Output::Yaml => {
                let doc = if self.req.events { event(obj) } else { obj };
                let sep = if first { "" } else { "---\n" };
                format!("{sep}{}", yaml::to_yaml(&doc))
            }
            Output::Json if self.req.events => format!(
                "{{\"type\":\"{kind}\",\"object\":{}}}\n",
                json::to_json_compact(&obj)
            ),
            Output::Json => json::to_json(&obj),
            Output::Name => {
                let n = obj
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                format!("{}\n", name::name_line(r.singular, r.group, n))
            }
            Output::JsonPath(_) | Output::JsonPathAsJson(_) | Output::GoTemplate(_) => {
                let doc = if self.req.events { event(obj) } else { obj };
                crate::cli::output::render_templated(self.req.output, &doc)?
            }
            Output::CustomColumns(cols) => {
                let no_headers = self.req.no_headers || !first;
                crate::print::custom_columns::render(cols, &[obj], no_headers)
                    .map_err(|e| CliError::message(e.message))?
            }
            Output::Table { .. } => String::new(),
        })
    }
}

pub(super) fn emit(io: &mut Io, text: String) -> Result<(), CliError> {
    if text.is_empty() {
        return Ok(());
    }
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
