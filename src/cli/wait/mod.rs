//! `wait`: until named objects meet a condition, are created or deleted. Against a
//! server it lists then watches each object, as kubectl's informer does; the embedded
//! cluster has already run its control plane to quiescence, so what it holds now is final.

mod condition;
pub(super) mod duration;
mod live;

use super::errors::CliError;
use super::selected::{self, Selection};
use super::{GlobalFlags, Io};
use crate::api::registry::Resource;
use crate::client::Client;
use clap::Args;
use condition::For;
use serde_json::Value;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct WaitArgs {
    /// (TYPE NAME... | TYPE/NAME... | TYPE -l selector | TYPE --all)
    pub args: Vec<String>,
    /// The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.
    #[arg(long = "for", default_value = "")]
    pub for_: String,
    /// The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week.
    #[arg(long, default_value = "30s", allow_hyphen_values = true)]
    pub timeout: String,
    /// Select all resources in the namespace of the specified resource types
    #[arg(long)]
    pub all: bool,
    /// If present, list the requested object(s) across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.
    #[arg(long)]
    pub field_selector: Option<String>,
    /// identifying the resource.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long, default_value = "true", num_args = 0..=1, default_missing_value = "true")]
    pub recursive: String,
    /// Output format. kubelite supports name (the default prints "condition met").
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

/// kubectl's checks of a `wait` command line, in its order, before anything is requested.
pub(super) fn validate(args: &WaitArgs) -> Result<(), CliError> {
    timeout(args)?;
    if let Some(o) = args
        .output
        .as_deref()
        .filter(|o| !o.is_empty() && *o != "name")
    {
        return Err(CliError::message(format!(
            "kubelite wait prints \"condition met\" or -o name; the output format {o:?} is not supported"
        )));
    }
    if args.args.is_empty() && args.filenames.is_empty() {
        return Err(CliError::message(super::arg_rules::NO_RESOURCES));
    }
    For::parse(&args.for_)?;
    Ok(())
}

fn timeout(args: &WaitArgs) -> Result<Duration, CliError> {
    duration::parse_go(&args.timeout)
        .map(duration::wait_timeout)
        .map_err(|e| {
            CliError::Raw(format!(
                "Error: invalid argument \"{}\" for \"--timeout\" flag: {e}\nSee 'kubectl wait --help' for usage.\n",
                args.timeout
            ))
        })
}

/// Runs a validated `wait`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &WaitArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let wait_for = For::parse(&args.for_)?;
    let limit = timeout(args)?;
    let sel = Selection {
        args: &args.args,
        filenames: &args.filenames,
        recursive: args.recursive != "false",
        selector: args.selector.as_deref().filter(|s| !s.trim().is_empty()),
        field_selector: args
            .field_selector
            .as_deref()
            .filter(|s| !s.trim().is_empty()),
        all: args.all,
        all_namespaces: args.all_namespaces,
    };
    let is_delete = matches!(wait_for, For::Delete);
    let mut errors = Vec::new();
    let mut visited = 0;
    if matches!(wait_for, For::Create) {
        wait_for_creation(client, global, args, limit)?;
    }
    for item in selected::read(client, global, &sel)? {
        let item = match item {
            Ok(item) => item,
            // Waiting for deletion: an object that is already gone is done.
            Err(CliError::Api(e)) if is_delete && e.code == 404 => continue,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        visited += 1;
        let ns = item.namespace.as_deref();
        // kubectl reads the object once more before waiting for its deletion (for its
        // uid); gone by then is done.
        let already_gone = is_delete
            && client.live()
            && matches!(client.get(item.resource, ns, &item.name), Err(e) if e.code == 404);
        let met = if already_gone {
            Ok(())
        } else if client.live() {
            live::until_met(client, item.resource, ns, &item.name, &wait_for, limit)
        } else {
            settled(client, item.resource, ns, &item.name, &wait_for)
        };
        match met {
            Ok(()) => print_met(item.resource, &item.name, args, io),
            Err(e) => errors.push(e),
        }
    }
    if visited == 0 && !is_delete && errors.is_empty() {
        return Err(CliError::message("no matching resources found"));
    }
    // kubectl reports every failure after the objects that met the condition.
    let Some(last) = errors.pop() else {
        return Ok(0);
    };
    for e in &errors {
        e.report(io.err);
    }
    Err(last)
}

fn print_met(r: &Resource, name: &str, args: &WaitArgs, io: &mut Io) {
    let what = format!("{}/{name}", r.qualified_singular());
    if args.output.as_deref() == Some("name") {
        let _ = writeln!(io.out, "{what}");
    } else {
        let _ = writeln!(io.out, "{what} condition met");
    }
    let _ = io.out.flush();
}

/// `--for=create` waits for each named object to exist before anything else is read.
fn wait_for_creation(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &WaitArgs,
    limit: Duration,
) -> Result<(), CliError> {
    if !args.filenames.is_empty()
        || args.selector.is_some()
        || args.field_selector.is_some()
        || args.all
    {
        return Ok(());
    }
    for target in super::targets::resolve(client, global, &args.args)? {
        let r = target.resource;
        let ns = r.namespaced.then(|| global.namespace());
        for name in &target.names {
            if client.live() {
                live::until_exists(client, r, ns, name, limit)?;
            } else if client.get(r, ns, name).is_err() {
                return Err(CliError::message(format!(
                    "{}/{name} does not exist and the embedded cluster is quiescent at its current time: waiting cannot create it",
                    r.qualified_plural()
                )));
            }
        }
    }
    Ok(())
}

/// The embedded cluster's answer: the condition holds now, or it never will without
/// another command changing the cluster.
fn settled(
    client: &dyn Client,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
    wait_for: &For,
) -> Result<(), CliError> {
    let obj = match client.get(r, ns, name) {
        Ok(obj) => Some(obj),
        Err(e) if e.code == 404 => None,
        Err(e) => return Err(e.into()),
    };
    let met = match (&obj, wait_for) {
        (None, For::Delete) => true,
        (None, _) => return Err(gone(r, name)),
        (Some(o), w) => w.met(o)?,
    };
    if met {
        return Ok(());
    }
    Err(CliError::message(format!(
        "condition not met for {}/{name}: the embedded cluster is quiescent at its current time, so waiting cannot change it",
        r.qualified_plural()
    )))
}

fn gone(r: &Resource, name: &str) -> CliError {
    CliError::message(format!(
        "{}/{name} was deleted before the condition was met",
        r.qualified_plural()
    ))
}

/// The object's name, for watch events.
fn name_of(obj: &Value) -> &str {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}
