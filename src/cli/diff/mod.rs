//! `diff -f`: what `apply` would change, shown as kubectl 1.32 shows it. Each object's
//! live state and its server dry-run merge are written to two temp trees, then
//! `KUBECTL_EXTERNAL_DIFF` (or `diff -u -N`) compares them. Exit 0: no differences, 1:
//! differences, above 1: an error (kubectl's convention, so errors are 2 here). With
//! `--prune`, what `apply --prune` would delete is in the live tree only.

mod merged;
mod program;

use super::apply::prune;
use super::errors::{CliError, api_error_text};
use super::manifest;
use super::{GlobalFlags, Io};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::client::Client;
use clap::Args;
use merged::How;
use program::TreeDir;
use serde_json::Value;

/// kubectl's tries at a dry run of an object that keeps changing.
const MAX_TRIES: usize = 4;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Filename, directory, or URL to files contains the configuration to diff
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Process the kustomization directory (not supported by kubelite).
    #[arg(short = 'k', long)]
    pub kustomize: Option<String>,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// If true, apply runs in the server instead of the client.
    #[arg(long)]
    pub server_side: bool,
    /// If true, server-side apply will force the changes against conflicts.
    #[arg(long)]
    pub force_conflicts: bool,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-client-side-apply")]
    pub field_manager: String,
    /// If true, include managed fields in the diff.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// Number of objects to process in parallel when diffing against the live version.
    #[arg(long, default_value_t = 1)]
    pub concurrency: i64,
    /// Include resources that would be deleted by pruning. Can be used with -l and default shows all resources would be pruned
    #[arg(long)]
    pub prune: bool,
    /// Overwrite the default allowlist with <group/version/kind> for --prune
    #[arg(long)]
    pub prune_allowlist: Vec<String>,
}

/// Runs `diff`; its errors are reported here, with kubectl diff's exit status 2.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &DiffArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    match diff(client, global, args, io) {
        Ok(code) => Ok(code),
        Err(e) => {
            e.report(io.err);
            Ok(2)
        }
    }
}

fn check(args: &DiffArgs) -> Result<(), CliError> {
    super::kustomize::check_one_of(&args.filenames, args.recursive, args.kustomize.as_deref())?;
    if args.filenames.is_empty() && args.kustomize.is_none() {
        return Err(CliError::message("must specify one of -f and -k"));
    }
    if args.force_conflicts && !args.server_side {
        return Err(CliError::message(
            "--force-conflicts only works with --server-side",
        ));
    }
    Ok(())
}

fn diff(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &DiffArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    check(args)?;
    let selector = match args.selector.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(crate::api::selector::LabelSelector::parse(s).map_err(CliError::message)?),
        None => None,
    };
    let sources = super::kustomize::sources(
        &args.filenames,
        args.recursive,
        args.kustomize.as_deref(),
        &mut *io.err,
    )?;
    // kubectl's server-side diff names itself "kubectl" unless told otherwise.
    let field_manager = if args.server_side && args.field_manager == "kubectl-client-side-apply" {
        "kubectl"
    } else {
        args.field_manager.as_str()
    };
    let how = How {
        server_side: args.server_side,
        force_conflicts: args.force_conflicts,
        field_manager,
    };
    // A given allow-list is checked before anything is read.
    let prune_kinds = if args.prune {
        for e in &args.prune_allowlist {
            prune::validate(true, true, None, std::slice::from_ref(e))?;
        }
        prune::explicit_kinds(client, global, &args.prune_allowlist)?
    } else {
        None
    };
    let mut visited = prune::Visited::default();
    let live_dir = TreeDir::new("LIVE-").map_err(|e| CliError::message(e.to_string()))?;
    let merged_dir = TreeDir::new("MERGED-").map_err(|e| CliError::message(e.to_string()))?;
    for doc in manifest::documents_for(&sources, client, global) {
        let doc = doc.map_err(|e| CliError::Raw(e.render(false)))?;
        if let Some(sel) = &selector {
            let labels = doc
                .value
                .pointer("/metadata/labels")
                .and_then(Value::as_object);
            if !sel.matches(labels) {
                continue;
            }
        }
        let ns = doc.namespace_in(global.namespace()).map(str::to_string);
        // The object goes as kubectl's builder holds it: in its namespace.
        let mut local = doc.value.clone();
        if let (Some(n), Some(m)) = (
            &ns,
            local.get_mut("metadata").and_then(Value::as_object_mut),
        ) {
            m.insert("namespace".into(), Value::String(n.clone()));
        }
        let (live, merged) = one(client, doc.resource, ns.as_deref(), &local, &how, io)?;
        visited.add(doc.resource, live.as_ref().unwrap_or(&local));
        let file = file_name(doc.resource, ns.as_deref().unwrap_or(""), doc.name());
        let (live, merged) = mask_secret(doc.resource, live, merged);
        if let Some(l) = live {
            live_dir
                .write(&file, &shown(l, args.show_managed_fields))
                .map_err(|e| CliError::message(e.to_string()))?;
        }
        merged_dir
            .write(&file, &shown(merged, args.show_managed_fields))
            .map_err(|e| CliError::message(e.to_string()))?;
    }
    if args.prune {
        // What apply --prune would delete: live only, nothing merged.
        let pruner = prune::Pruner {
            client,
            global,
            selector: args.selector.as_deref(),
            dry_run: super::dry_run::DryRun::Client,
            kinds: prune_kinds,
        };
        let mut pruned = Vec::new();
        let outcome = pruner.prune(&visited, io, &mut |obj, r, _| pruned.push((obj, r)));
        match outcome {
            Ok(()) => {
                for (obj, r) in pruned {
                    let s = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or("");
                    let file = file_name(r, s("/metadata/namespace"), s("/metadata/name"));
                    live_dir
                        .write(&file, &crate::print::yaml::to_yaml(&obj))
                        .map_err(|e| CliError::message(e.to_string()))?;
                }
            }
            // kubectl diffs the rest and says why it could not tell what would be pruned.
            Err(e) => {
                let why = match e {
                    CliError::Message(m) => m,
                    CliError::Api(a) => api_error_text(&a),
                    CliError::Raw(t) | CliError::Partial { message: t, .. } => t,
                };
                warn_at(
                    io,
                    "diff.go:760",
                    &format!("pruning failed and could not be evaluated err: {why}"),
                );
            }
        }
    }
    let _ = io.out.flush();
    let _ = io.err.flush();
    program::run(&live_dir.0, &merged_dir.0).map_err(CliError::message)
}

/// The live object (none when absent) and the dry-run merge, retried while it conflicts.
fn one(
    client: &dyn Client,
    r: &'static Resource,
    ns: Option<&str>,
    local: &Value,
    how: &How,
    io: &mut Io,
) -> Result<(Option<Value>, Value), CliError> {
    let name = local
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut last: Option<ApiError> = None;
    for attempt in 0..MAX_TRIES {
        let live = match client.get(r, ns, name) {
            Ok(v) => Some(v),
            Err(e) if e.code == 404 => None,
            Err(e) => return Err(e.into()),
        };
        let locked = attempt + 1 < MAX_TRIES;
        if !locked {
            let group = if r.group.is_empty() { "" } else { r.group };
            warn(
                io,
                &format!(
                    "Object ({group}/{}, Kind={}: {name}) keeps changing, diffing without lock",
                    r.version, r.kind
                ),
            );
        }
        match merged::merged(client, r, ns, local, live.as_ref(), locked, how) {
            Ok(m) => return Ok((live, m)),
            Err(e) if e.code == 409 => last = Some(e),
            Err(e) => return Err(CliError::Raw(format!("{}\n", api_error_text(&e)))),
        }
    }
    Err(last.map_or_else(|| CliError::message("diff failed"), CliError::Api))
}

/// A klog warning line, as kubectl's go-client logs them.
fn warn(io: &mut Io, text: &str) {
    warn_at(io, "diff.go:723", text);
}

fn warn_at(io: &mut Io, at: &str, text: &str) {
    let now = chrono::Utc::now();
    let _ = writeln!(
        io.err,
        "W{} {:>7} {at}] {text}",
        now.format("%m%d %H:%M:%S%.6f"),
        std::process::id()
    );
}

/// `[group.]version.Kind.namespace.name`, kubectl's file name for an object.
fn file_name(r: &Resource, ns: &str, name: &str) -> String {
    let group = if r.group.is_empty() {
        String::new()
    } else {
        format!("{}.", r.group)
    };
    format!("{group}{}.{}.{ns}.{name}", r.version, r.kind)
}

/// The object as the trees hold it: YAML, managedFields hidden unless asked for.
fn shown(mut obj: Value, keep_managed_fields: bool) -> String {
    if !keep_managed_fields && let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut)
    {
        m.shift_remove("managedFields");
    }
    crate::print::yaml::to_yaml(&obj)
}

/// A Secret's values are not shown: equal ones are `***`, changed ones
/// `*** (before)` / `*** (after)`, as kubectl masks them.
fn mask_secret(r: &Resource, live: Option<Value>, merged: Value) -> (Option<Value>, Value) {
    if !(r.group.is_empty() && r.kind == "Secret") {
        return (live, merged);
    }
    let mut live = live;
    let mut merged = merged;
    for field in ["data", "stringData"] {
        let before = live
            .as_ref()
            .and_then(|l| l.get(field))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let after = merged
            .get(field)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mask = |v: &mut Value, key: &str, other: &serde_json::Map<String, Value>, tag: &str| {
            if let Some(slot) = v.get_mut(field).and_then(|d| d.get_mut(key)) {
                // Only a value both sides have and that changed is told apart.
                let changed = other.get(key).is_some_and(|o| o != &*slot);
                *slot = Value::String(if changed {
                    format!("*** ({tag})")
                } else {
                    "***".into()
                });
            }
        };
        for key in before.keys() {
            if let Some(l) = live.as_mut() {
                mask(l, key, &after, "before");
            }
        }
        for key in after.keys() {
            mask(&mut merged, key, &before, "after");
        }
    }
    (live, merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn files_are_named_as_kubectl_names_them() {
        let deploy = crate::api::registry::find("deployments").expect("deployments");
        assert_eq!(
            file_name(deploy, "default", "web"),
            "apps.v1.Deployment.default.web"
        );
        let ns = crate::api::registry::find("namespaces").expect("namespaces");
        assert_eq!(file_name(ns, "", "x"), "v1.Namespace..x");
    }

    #[test]
    fn secrets_are_masked() {
        let s = crate::api::registry::find("secrets").expect("secrets");
        let live = json!({"data": {"a": "MQ==", "b": "Mg=="}});
        let merged = json!({"data": {"a": "MQ==", "b": "Mw==", "c": "Mw=="}});
        let (l, m) = mask_secret(s, Some(live), merged);
        assert_eq!(l.unwrap()["data"], json!({"a": "***", "b": "*** (before)"}));
        assert_eq!(
            m["data"],
            json!({"a": "***", "b": "*** (after)", "c": "***"})
        );
    }
}
