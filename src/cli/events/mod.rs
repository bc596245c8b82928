//! `events` (kubectl events): the events of a namespace, of all namespaces or of one
//! object, sorted by when they were last seen; `-w` goes on watching a server.

mod table;
mod typed;

use super::errors::CliError;
use super::targets::Catalog;
use super::{GlobalFlags, Io};
use crate::api::options::ListOptions;
use crate::client::{Client, WatchRequest};
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct EventsArgs {
    /// Ignored, as kubectl ignores them.
    #[arg(hide = true)]
    pub args: Vec<String>,
    /// Filter events to only those pertaining to the specified resource.
    #[arg(long = "for")]
    pub for_: Option<String>,
    /// Output only events of given types.
    #[arg(long, value_delimiter = ',')]
    pub types: Vec<String>,
    /// If present, list the requested object(s) across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Output format. One of: (json, yaml).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// When using the default output format, don't print headers.
    #[arg(long)]
    pub no_headers: bool,
    /// After listing the requested events, watch for more events.
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Return large lists in chunks rather than all at once. Pass 0 to disable.
    #[arg(long, default_value_t = 500)]
    pub chunk_size: i64,
}

/// How the events are printed.
#[derive(PartialEq)]
enum Format {
    Table,
    Json,
    Yaml,
}

/// kubectl's checks of an `events` command line, in its order.
pub(super) fn validate(args: &EventsArgs) -> Result<(), CliError> {
    format(args)?;
    if let Some(f) = &args.for_
        && !f.contains('/')
    {
        return Err(CliError::message("--for must be in resource/name form"));
    }
    for t in &args.types {
        if !["normal", "warning"].contains(&t.trim().to_lowercase().as_str()) {
            return Err(CliError::message("valid --types are Normal or Warning"));
        }
    }
    Ok(())
}

fn format(args: &EventsArgs) -> Result<Format, CliError> {
    match args.output.as_deref().unwrap_or("") {
        "" => Ok(Format::Table),
        "json" => Ok(Format::Json),
        "yaml" => Ok(Format::Yaml),
        o @ ("name" | "go-template" | "go-template-file" | "template" | "templatefile"
        | "jsonpath" | "jsonpath-as-json" | "jsonpath-file") => Err(CliError::message(format!(
            "kubelite events prints tables, json and yaml; -o {o} is not supported"
        ))),
        o if o.contains('=') => Err(CliError::message(format!(
            "kubelite events prints tables, json and yaml; -o {o} is not supported"
        ))),
        o => Err(CliError::message(format!(
            "unable to match a printer suitable for the output format \"{o}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        ))),
    }
}

/// Runs a validated `events`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &EventsArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let format = format(args)?;
    let events_resource = crate::api::registry::find("events")
        .ok_or_else(|| CliError::message("no events resource"))?;
    let ns = (!args.all_namespaces).then(|| global.namespace());
    let field_selector = match &args.for_ {
        Some(f) => Some(for_selector(client, global, f)?),
        None => None,
    };
    if args.watch && !client.live() {
        return Err(CliError::message(
            "events -w needs a server: the embedded cluster is quiescent at its current time, so no event would ever arrive (run without -w, or against kubelite serve)",
        ));
    }
    let mut items = Vec::new();
    let mut continue_token = None;
    let mut resource_version;
    loop {
        let opts = ListOptions {
            field_selector: field_selector.clone(),
            limit: (args.chunk_size > 0).then_some(args.chunk_size),
            continue_token: continue_token.take(),
            ..Default::default()
        };
        let page = client.list(events_resource, ns, &opts)?;
        resource_version = page
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        items.extend(crate::runtime::items(page.clone()));
        match page.pointer("/metadata/continue").and_then(Value::as_str) {
            Some(t) if !t.is_empty() => continue_token = Some(t.to_string()),
            _ => break,
        }
    }
    items.retain(|e| wanted(args, e));
    let mut tw = table::writer();
    if items.is_empty() {
        let _ = match ns {
            None => writeln!(io.err, "No events found."),
            Some(ns) => writeln!(io.err, "No events found in {ns} namespace."),
        };
    } else {
        print_list(&mut items, args, &format, &mut tw, io)?;
    }
    if !args.watch {
        return Ok(0);
    }
    let opts = ListOptions {
        field_selector,
        ..Default::default()
    };
    let from = Watched {
        resource: events_resource,
        namespace: ns,
        resource_version,
        headers_printed: args.no_headers || !items.is_empty(),
    };
    watch(client, from, &opts, args, &format, &mut tw, io)
}

/// The sorted list, printed in one piece.
fn print_list(
    items: &mut [Value],
    args: &EventsArgs,
    format: &Format,
    tw: &mut crate::print::tabwriter::TabWriter,
    io: &mut Io,
) -> Result<(), CliError> {
    table::sort(items);
    let text = match format {
        Format::Json => crate::print::json::to_json_in_order(&typed::list(items)),
        Format::Yaml => crate::print::yaml::to_yaml(&typed::list(items)),
        Format::Table => {
            let now = now()?;
            if !args.no_headers {
                tw.write_str(table::header(args.all_namespaces));
            }
            for e in items.iter() {
                tw.write_str(&table::row(e, args.all_namespaces, now));
            }
            tw.flush()
        }
    };
    let _ = write!(io.out, "{text}");
    let _ = io.out.flush();
    Ok(())
}

fn now() -> Result<chrono::DateTime<chrono::Utc>, CliError> {
    Ok(crate::clock::Clock::from_env()
        .map_err(CliError::message)?
        .now())
}

/// `--types`: events of those types only (any type when none is given).
fn wanted(args: &EventsArgs, e: &Value) -> bool {
    let t = e["type"].as_str().unwrap_or("").to_lowercase();
    args.types.is_empty() || args.types.iter().any(|w| w.trim().to_lowercase() == t)
}

/// `--for TYPE/NAME`: the field selector of the object's events. The type is resolved
/// as kubectl resolves it (discovery); the object itself is not read.
fn for_selector(client: &dyn Client, global: &GlobalFlags, f: &str) -> Result<String, CliError> {
    let (type_name, name) = f.split_once('/').unwrap_or((f, ""));
    let r = Catalog { client, global }
        .resource(type_name)
        .map_err(|e| match e {
            // kubectl prints this one without its `error: ` prefix.
            CliError::Message(m) => CliError::Raw(format!("{m}\n")),
            other => other,
        })?;
    Ok(format!(
        "involvedObject.kind={},involvedObject.apiVersion={},involvedObject.name={name}",
        r.kind,
        r.api_version()
    ))
}

/// Where `-w` goes on from: the list's resourceVersion.
struct Watched<'a> {
    resource: &'static crate::api::registry::Resource,
    namespace: Option<&'a str>,
    resource_version: String,
    headers_printed: bool,
}

/// `-w`: after the list, a watch from its resourceVersion, each event printed as it
/// comes (the table flushed after every row, so each row is aligned on its own, as
/// kubectl's is). Deleted events are not shown.
fn watch(
    client: &dyn Client,
    mut from: Watched,
    opts: &ListOptions,
    args: &EventsArgs,
    format: &Format,
    tw: &mut crate::print::tabwriter::TabWriter,
    io: &mut Io,
) -> Result<i32, CliError> {
    let req = WatchRequest {
        resource_version: from.resource_version.clone(),
        ..Default::default()
    };
    let stream = client.watch_stream(from.resource, from.namespace, opts, &req)?;
    for event in stream {
        let event = event?;
        if matches!(event.kind, "DELETED" | "BOOKMARK") || !wanted(args, &event.object) {
            continue;
        }
        let text = match format {
            Format::Json => crate::print::json::to_json_in_order(&typed::event(&event.object)),
            Format::Yaml => format!(
                "---\n{}",
                crate::print::yaml::to_yaml(&typed::event(&event.object))
            ),
            Format::Table => {
                if !from.headers_printed {
                    tw.write_str(table::header(args.all_namespaces));
                    from.headers_printed = true;
                }
                tw.write_str(&table::row(&event.object, args.all_namespaces, now()?));
                tw.flush()
            }
        };
        let _ = write!(io.out, "{text}");
        let _ = io.out.flush();
    }
    Ok(0)
}
