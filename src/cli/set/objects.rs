//! What the `set` verbs share: the flags that choose objects and say how to write them,
//! where an object keeps its pod spec, and the loop that edits each object, sends the
//! strategic merge patch of the edit and reports it as kubectl does.

use super::smp_diff;
use crate::api::options::{PatchType, WriteOptions};
use crate::api::registry::Resource;
use crate::cli::dry_run::DryRun;
use crate::cli::errors::CliError;
use crate::cli::output;
use crate::cli::selected::{self, Item, Selection};
use crate::cli::{GlobalFlags, Io};
use crate::client::Client;
use clap::Args;
use serde_json::Value;

/// The resources and the value after them (the last argument), for verbs shaped like
/// `set serviceaccount TYPE NAME ACCOUNT`.
pub fn resources_and_last(args: &[String]) -> Option<(&[String], &str)> {
    args.split_last().map(|(last, rest)| (rest, last.as_str()))
}

/// `-f`, `-R` and `--all`.
#[derive(Args, Debug)]
pub struct Choose {
    /// Filename, directory, or URL to files the resource to update is read from.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Select all resources of the given types in the namespace.
    #[arg(long)]
    pub all: bool,
}

/// `--dry-run`, `-o` and `--field-manager`.
#[derive(Args, Debug)]
pub struct Write {
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format. One of: (json, yaml, name, jsonpath=...).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-set")]
    pub field_manager: String,
}

/// How one verb reports.
pub struct Words {
    /// What follows `kind/name`: `env updated`.
    pub done: &'static str,
    /// sa and selector report (and print) even an edit that changed nothing.
    pub always: bool,
    /// What goes before a failed patch's message (`None`: the API error as itself).
    pub failed: Option<&'static str>,
}

/// Where a pod spec lives in an object of this kind, if it has one.
pub fn pod_spec_path(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("/spec"),
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => Some("/spec/template/spec"),
        "CronJob" => Some("/spec/jobTemplate/spec/template/spec"),
        _ => None,
    }
}

/// kubectl's error for an object without a pod template (it names the Go type).
pub fn no_template(item: &Item) -> CliError {
    let r = item.resource;
    named(
        item,
        &format!(
            "the object is not a pod or does not have a pod template: *{}.{}",
            r.version, r.kind
        ),
    )
}

/// An error of the edit of one object, as kubectl words it: `error: TYPE/NAME ...` and a
/// newline of its own, so that in a list of errors a blank line follows it.
pub fn named(item: &Item, inner: &str) -> CliError {
    CliError::Raw(format!(
        "error: {}/{} {inner}\n",
        item.resource.plural, item.name
    ))
}

/// The objects chosen; any that could not be read stops the verb before any change.
pub fn read_all(
    client: &dyn Client,
    global: &GlobalFlags,
    selection: &Selection,
) -> Result<Vec<Item>, CliError> {
    let mut items = Vec::new();
    let mut failed = Vec::new();
    for item in selected::read_typed(client, global, selection)? {
        match item {
            Ok(i) => items.push(i),
            Err(e) => failed.push(e),
        }
    }
    if failed.is_empty() {
        Ok(items)
    } else {
        selected::finish(failed).map(|_| Vec::new())
    }
}

/// The end of a run that went on past failures: one error as itself, several one a line
/// (a `named` one then ends in a blank line).
pub fn finish(errors: Vec<CliError>) -> Result<i32, CliError> {
    if errors.len() < 2 {
        return selected::finish(errors);
    }
    let mut text = String::new();
    for e in errors {
        match e {
            CliError::Raw(t) => {
                text.push_str(&t);
                text.push('\n');
            }
            CliError::Message(m) | CliError::Partial { message: m, .. } => {
                text.push_str(&m);
                text.push('\n');
            }
            CliError::Api(e) => {
                text.push_str(&crate::cli::errors::api_error_text(&e));
                text.push('\n');
            }
        }
    }
    Err(CliError::Raw(text))
}

/// The pod spec of an object, or kubectl's error.
pub fn pod_spec<'v>(item: &Item, obj: &'v mut Value) -> Result<&'v mut Value, CliError> {
    match pod_spec_path(item.resource.kind).and_then(|p| obj.pointer_mut(p)) {
        Some(spec) => Ok(spec),
        None => Err(no_template(item)),
    }
}

/// Runs `edit` on each chosen object, then patches and reports the ones it changed.
/// Errors of single objects are collected, and the run goes on, as kubectl's.
#[allow(clippy::too_many_arguments)]
pub fn each(
    client: &dyn Client,
    global: &GlobalFlags,
    selection: &Selection,
    write: &Write,
    words: &Words,
    io: &mut Io,
    edit: impl FnMut(&Item, &mut Value, &mut Io) -> Result<(), CliError>,
) -> Result<i32, CliError> {
    each_checked(
        client,
        global,
        selection,
        write,
        words,
        io,
        |_| Ok(()),
        edit,
    )
}

/// `each`, with kubectl's checks of a verb that reads its objects before it checks its
/// flags (`set subject`): `check` sees the objects read, before any is edited.
#[allow(clippy::too_many_arguments)]
pub fn each_checked(
    client: &dyn Client,
    global: &GlobalFlags,
    selection: &Selection,
    write: &Write,
    words: &Words,
    io: &mut Io,
    check: impl FnOnce(&[Item]) -> Result<(), CliError>,
    mut edit: impl FnMut(&Item, &mut Value, &mut Io) -> Result<(), CliError>,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse_and_warn(&write.dry_run, &mut *io.err)?;
    let shown =
        selected::object_output(write.output.as_deref(), &output::TemplateFlags::default())?;
    let items = read_all(client, global, selection)?;
    check(&items)?;
    let separator = output::YamlSeparator::default();
    let mut errors = Vec::new();
    for item in items {
        let mut step = || {
            let mut after = item.object.clone();
            edit(&item, &mut after, io)?;
            let patch = smp_diff::diff(&item.object, &after);
            if smp_diff::is_empty(&patch) && !words.always {
                return Ok(());
            }
            let result = send(client, &item, &patch, after, dry_run, write, words)?;
            if let Some(o) = &shown {
                let _ = io.out.write_all(separator.before(o).as_bytes());
            }
            report(&item, result, dry_run, shown.as_ref(), words, io)
        };
        if let Err(e) = step() {
            errors.push(e);
        }
    }
    finish(errors)
}

/// The patch to the server (or, in a client dry run, nowhere); the object as it now is.
fn send(
    client: &dyn Client,
    item: &Item,
    patch: &Value,
    after: Value,
    dry_run: DryRun,
    write: &Write,
    words: &Words,
) -> Result<Value, CliError> {
    if dry_run == DryRun::Client || smp_diff::is_empty(patch) {
        return Ok(after);
    }
    let opts = WriteOptions {
        dry_run: dry_run == DryRun::Server,
        field_manager: Some(write.field_manager.clone()),
        ..WriteOptions::default()
    };
    let r: &Resource = item.resource;
    // kubectl's set patches through its typed helper.
    client
        .patch_typed(
            r,
            item.namespace.as_deref(),
            &item.name,
            PatchType::Strategic,
            patch,
            &opts,
        )
        .map_err(|e| match words.failed {
            Some(prefix) => CliError::message(format!("{prefix}{}", e.message)),
            None => CliError::Api(e),
        })
}

fn report(
    item: &Item,
    object: Value,
    dry_run: DryRun,
    shown: Option<&output::Output>,
    words: &Words,
    io: &mut Io,
) -> Result<(), CliError> {
    match shown {
        // kubectl prints the object through its Go types, in their field order.
        Some(output::Output::Json) => {
            let mut object = crate::cli::generators::go_order::typed(&object);
            if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.shift_remove("managedFields");
            }
            let text = crate::print::json::to_json_in_order(&object);
            let _ = io.out.write_all(text.as_bytes());
        }
        Some(o) => {
            let text = output::render(o, vec![(object, item.resource)], true, false, false)?;
            let _ = io.out.write_all(text.as_bytes());
        }
        None => {
            let _ = writeln!(
                io.out,
                "{}/{} {}{}",
                item.resource.qualified_singular(),
                item.name,
                words.done,
                dry_run.suffix()
            );
        }
    }
    Ok(())
}

/// The containers of a pod spec whose names match `-c`, init containers after the others.
pub fn picked<'v>(spec: &'v mut Value, pattern: &str) -> Vec<&'v mut Value> {
    let (mut main, mut init) = (Vec::new(), Vec::new());
    if let Value::Object(m) = spec {
        for (list, v) in m.iter_mut() {
            let into = match list.as_str() {
                "containers" => &mut main,
                "initContainers" => &mut init,
                _ => continue,
            };
            for c in v.as_array_mut().into_iter().flatten() {
                if glob(pattern, c["name"].as_str().unwrap_or("")) {
                    into.push(c);
                }
            }
        }
    }
    main.append(&mut init);
    main
}

/// Whether a container's name matches a `-c` pattern (`*` any run of characters, `?` one).
pub fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some(('?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// The selection of a verb with the common flags and these resource arguments.
pub fn selection<'a>(
    choose: &'a Choose,
    selector: Option<&'a str>,
    resources: &'a [String],
) -> Selection<'a> {
    Selection {
        args: resources,
        filenames: &choose.filenames,
        recursive: choose.recursive,
        selector,
        all: choose.all,
        all_namespaces: false,
        field_selector: None,
    }
}
