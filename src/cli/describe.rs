//! `describe`: details of resources, with their related objects and events.

use super::errors::CliError;
use super::targets;
use super::{GlobalFlags, Io};
use crate::api::options::ListOptions;
use crate::api::registry::{self, Resource};
use crate::client::Client;
use crate::print::describe::{self, Answer, Query, Related, Select};
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct DescribeArgs {
    /// (TYPE[.VERSION][.GROUP] [NAME_PREFIX | -l label] | TYPE[.VERSION][.GROUP]/NAME)
    pub args: Vec<String>,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// If present, list the requested object(s) across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// If true, display events related to the described object.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", default_value = "true")]
    pub show_events: String,
    /// Return large lists in chunks rather than all at once.
    #[arg(long, default_value_t = 500)]
    pub chunk_size: i64,
}

fn resource_for(name: &str) -> Result<&'static Resource, String> {
    registry::find(name)
        .ok_or_else(|| format!("the server doesn't have a resource type \"{name}\""))
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &DescribeArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    if args.args.is_empty() {
        return Err(CliError::message(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        ));
    }
    let opts = Options {
        show_events: args.show_events != "false",
        now: now(),
    };
    let targets = targets::resolve(client, global, &args.args)?;
    // `describe TYPE NAME` of a missing name describes the objects whose names start
    // with it instead (kubectl: only with exactly these two arguments).
    let prefix_allowed = targets.len() == 1 && args.args.len() == 2 && !args.args[0].contains('/');
    // Like kubectl, every object is read first, then each is described.
    let mut selected: Vec<(&Resource, Value)> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for target in &targets {
        let r = target.resource;
        let ns = namespace_for(r, global, args);
        if target.names.is_empty() {
            let list = client.list(r, ns, &ListOptions::labels(args.selector.as_deref()))?;
            selected.extend(items(&list).iter().map(|o| (r, o.clone())));
            continue;
        }
        for name in &target.names {
            let read =
                super::builder_read::get(client, super::builder_read::Reader::Json, r, ns, name);
            match read {
                Ok(obj) => selected.push((r, obj)),
                Err(e) if e.code == 404 && prefix_allowed => {
                    return describe_prefixed(client, r, ns, name, e, &opts, io);
                }
                Err(e) => {
                    let text = super::errors::api_error_text(&e);
                    if !errors.contains(&text) {
                        errors.push(text);
                    }
                }
            }
        }
    }
    for (i, (r, obj)) in selected.iter().enumerate() {
        let text = describe_one(client, r, obj, &opts)?;
        if i > 0 {
            let _ = io.out.write_all(b"\n\n");
        }
        let _ = io.out.write_all(text.as_bytes());
    }
    for e in &errors {
        let _ = writeln!(io.err, "{e}");
    }
    // kubectl names the namespace here even for cluster-scoped types.
    if selected.is_empty() && errors.is_empty() {
        if args.all_namespaces {
            let _ = writeln!(io.err, "No resources found");
        } else {
            let _ = writeln!(
                io.err,
                "No resources found in {} namespace.",
                global.namespace()
            );
        }
    }
    Ok(i32::from(!errors.is_empty()))
}

/// Describes the objects of `r` whose names start with `prefix`, or fails with the
/// not-found error of the exact name when there are none.
fn describe_prefixed(
    client: &dyn Client,
    r: &'static Resource,
    ns: Option<&str>,
    prefix: &str,
    not_found: crate::api::status::ApiError,
    opts: &Options,
    io: &mut Io,
) -> Result<i32, CliError> {
    let list = client.list(r, ns, &ListOptions::default())?;
    let matching: Vec<&Value> = items(&list)
        .iter()
        .filter(|o| {
            o.pointer("/metadata/name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect();
    if matching.is_empty() {
        return Err(not_found.into());
    }
    for obj in matching {
        let text = describe_one(client, r, obj, opts)?;
        let _ = writeln!(io.out, "{text}");
    }
    Ok(0)
}

fn namespace_for<'a>(
    r: &Resource,
    global: &'a GlobalFlags,
    args: &DescribeArgs,
) -> Option<&'a str> {
    (r.namespaced && !args.all_namespaces).then(|| global.namespace())
}

fn items(list: &Value) -> &[Value] {
    list["items"].as_array().map_or(&[], Vec::as_slice)
}

/// What every object's description is made with.
struct Options {
    /// `--show-events`: false leaves the events out of the plan, so no Events section.
    show_events: bool,
    /// The instant ages are measured from.
    now: chrono::DateTime<chrono::Utc>,
}

/// One object's description: read afresh by name (kubectl's describers each start so),
/// then its plan fetched, then rendered. apiVersion/kind are filled in where missing, as
/// kubectl's decoding does: the generic describer prints them.
fn describe_one(
    client: &dyn Client,
    r: &Resource,
    selected: &Value,
    opts: &Options,
) -> Result<String, CliError> {
    let meta = |k: &str| {
        selected
            .pointer(&format!("/metadata/{k}"))
            .and_then(Value::as_str)
    };
    let fresh = client.get(r, meta("namespace"), meta("name").unwrap_or_default())?;
    let obj = crate::print::list::with_type_meta(fresh, &r.api_version(), r.kind);
    // kubectl picks a describer by group and kind: a resource of another group that
    // shares a plural (metrics.k8s.io's `nodes`, a custom resource) gets the generic one.
    let builtin = registry::find_by_kind(&r.api_version(), r.kind).is_some();
    let describer = if builtin { r.plural } else { "" };
    let plan = describe::plan(describer, &obj, opts.show_events).map_err(CliError::message)?;
    let related = fetch(client, &plan).map_err(CliError::message)?;
    Ok(describe::render(describer, &obj, &related, opts.now))
}

/// Runs a plan's queries in order, gathering the answers; stops at the first failure of
/// a query the describe cannot do without.
fn fetch(client: &dyn Client, plan: &[Query]) -> Result<Related, String> {
    let mut related = Related::default();
    for query in plan {
        related.record(query, ask(client, query))?;
    }
    Ok(related)
}

/// Sends one query through the client.
fn ask(client: &dyn Client, query: &Query) -> Result<Answer, String> {
    let r = resource_for(query.resource)?;
    let namespace = query.namespace.as_deref();
    match &query.select {
        Select::List { labels, fields } => {
            let opts = ListOptions {
                label_selector: labels.clone(),
                field_selector: fields.clone(),
                ..Default::default()
            };
            let list = client.list(r, namespace, &opts).map_err(|e| e.message)?;
            Ok(Answer::Objects(items(&list).to_vec()))
        }
        Select::Named(name) => match client.get(r, namespace, name) {
            Ok(v) => Ok(Answer::Object(Some(v))),
            Err(e) if e.code == 404 => Ok(Answer::Object(None)),
            Err(e) => Err(e.message),
        },
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    crate::clock::Clock::from_env()
        .map(|c| c.now())
        .unwrap_or_else(|_| chrono::Utc::now())
}
