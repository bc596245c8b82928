//! `taint node NAME... KEY=VALUE:EFFECT KEY:EFFECT- KEY-`: add or remove node taints, with
//! kubectl's checks, its strategic merge patch of `spec.taints` and its `node/NAME tainted`.

use super::dry_run::DryRun;
use super::errors::{CliError, api_error_text};
use super::nodes::{self, NodeSelection};
use super::taint_spec::{self, Taint};
use super::{GlobalFlags, Io};
use crate::api::options::{PatchType, WriteOptions};
use crate::client::Client;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct TaintArgs {
    /// node NAME... KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N
    pub args: Vec<String>,
    /// Select all nodes in the cluster
    #[arg(long)]
    pub all: bool,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.
    #[arg(long)]
    pub overwrite: bool,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-taint")]
    pub field_manager: String,
    /// Output format. One of: (json, yaml, name, go-template=..., go-template-file=..., template=..., templatefile=..., jsonpath=..., jsonpath-as-json=..., jsonpath-file=...).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[command(flatten)]
    pub templates: super::output::TemplateArgs,
}

/// The command line, split and parsed.
struct Plan {
    names: Vec<String>,
    add: Vec<Taint>,
    remove: Vec<Taint>,
}

fn usage(what: &str) -> CliError {
    CliError::Raw(format!(
        "error: {what}\nSee 'kubectl taint -h' for help and examples\n"
    ))
}

/// kubectl's Complete and Validate of `taint`, in its order.
fn plan(args: &TaintArgs) -> Result<Plan, CliError> {
    let (mut resources, mut specs) = (Vec::new(), Vec::new());
    for word in &args.args {
        match (taint_spec::is_taint_arg(word), specs.is_empty()) {
            (true, _) => specs.push(word.clone()),
            (false, true) => resources.push(word.clone()),
            (false, false) => {
                return Err(CliError::message(format!(
                    "all resources must be specified before taint changes: {word}"
                )));
            }
        }
    }
    if resources.is_empty() {
        return Err(CliError::message(
            "one or more resources must be specified as <resource> <name>",
        ));
    }
    if specs.is_empty() {
        return Err(CliError::message("at least one taint update is required"));
    }
    let (add, remove) = taint_spec::parse_all(&specs).map_err(|e| usage(&e))?;
    let kind = resources[0].to_lowercase();
    match crate::api::registry::find(&kind) {
        Some(r) if r == nodes::resource() => {}
        Some(_) => {
            return Err(CliError::message(format!(
                "invalid resource type {kind}, only node types are supported"
            )));
        }
        // kubectl's REST mapper error, printed without `error: `.
        None => {
            return Err(CliError::Raw(format!(
                "the server doesn't have a resource type {kind:?}\n"
            )));
        }
    }
    let conflicts: Vec<String> = remove
        .iter()
        .flat_map(|r| {
            add.iter()
                .filter(move |a| a.key == r.key && (r.effect.is_empty() || a.effect == r.effect))
                .map(move |_| format!("{}={}", r.key, r.effect))
        })
        .collect();
    if !conflicts.is_empty() {
        return Err(CliError::message(format!(
            "can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        )));
    }
    if args.all && args.selector.is_some() {
        return Err(CliError::message(
            "setting 'all' parameter with a non empty selector is prohibited",
        ));
    }
    if !args.all && args.selector.is_none() && resources.len() < 2 {
        return Err(CliError::message(
            "at least one resource name must be specified since 'all' parameter is not set",
        ));
    }
    Ok(Plan {
        names: resources[1..].to_vec(),
        add,
        remove,
    })
}

pub(super) fn validate(args: &TaintArgs) -> Result<(), CliError> {
    DryRun::parse(&args.dry_run)?;
    plan(args).map(|_| ())
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &TaintArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let plan = plan(args)?;
    // With a selector or --all kubectl's builder ignores the names.
    let by_name = !args.all && args.selector.is_none();
    let names = if by_name {
        plan.names.clone()
    } else {
        Vec::new()
    };
    let selection = NodeSelection {
        names: &names,
        selector: args.selector.as_deref(),
    };
    // A format kubectl has no printer for is refused before any node is read or changed,
    // as the real kubectl 1.32 leaves the node alone (checked against serve).
    let output = super::selected::object_output(args.output.as_deref(), &args.templates.flags())?;
    let mut errors = Vec::new();
    for node in nodes::read(client, global, &selection)? {
        match taint_one(client, &node, &plan, args, dry_run) {
            // kubectl's taint printer says nothing of a dry run.
            Ok((operation, changed)) => match &output {
                Some(o) => {
                    let text = super::output::render(
                        o,
                        vec![(changed, nodes::resource())],
                        true,
                        false,
                        false,
                    )?;
                    let _ = io.out.write_all(text.as_bytes());
                }
                None => {
                    let _ = writeln!(io.out, "node/{} {operation}", nodes::name(&node));
                }
            },
            Err(e) => errors.extend(e),
        }
    }
    nodes::aggregate(errors)
}

/// Changes one node's taints; returns kubectl's word for what happened and the node as
/// changed (the server's answer, or the node with its new taints in a client dry run).
fn taint_one(
    client: &dyn Client,
    node: &Value,
    plan: &Plan,
    args: &TaintArgs,
    dry_run: DryRun,
) -> Result<(&'static str, Value), Vec<String>> {
    let name = nodes::name(node);
    let old: Vec<Value> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let same = |t: &Value, n: &Taint| text(t, "key") == n.key && text(t, "effect") == n.effect;
    if !args.overwrite {
        let existing: Vec<&str> = plan
            .add
            .iter()
            .filter(|n| old.iter().any(|t| same(t, n)))
            .map(|n| n.key.as_str())
            .collect();
        if !existing.is_empty() {
            return Err(vec![format!(
                "node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                existing.join(",")
            )]);
        }
    }
    // kubectl's reorganizeTaints: the new taints first, then the old ones they do not
    // replace, then the removals.
    let mut new: Vec<Value> = plan.add.iter().map(taint_json).collect();
    for t in &old {
        if !plan.add.iter().any(|n| same(t, n)) {
            new.push(t.clone());
        }
    }
    let added = old.len() != new.len();
    let mut problems = Vec::new();
    let mut deleted = false;
    for r in &plan.remove {
        let before = new.len();
        new.retain(|t| {
            !(text(t, "key") == r.key && (r.effect.is_empty() || text(t, "effect") == r.effect))
        });
        deleted = new.len() != before;
        if !deleted {
            problems.push(format!("taint {:?} not found", r.short()));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let operation = if (added && deleted) || args.overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    if dry_run == DryRun::Client {
        let mut changed = node.clone();
        // A listed node (--all, -l) came without the type its list named.
        if let Some(obj) = changed.as_object_mut() {
            obj.entry("apiVersion").or_insert_with(|| json!("v1"));
            obj.entry("kind").or_insert_with(|| json!("Node"));
        }
        if let Some(spec) = changed.get_mut("spec").and_then(Value::as_object_mut) {
            if new.is_empty() {
                spec.remove("taints");
            } else {
                spec.insert("taints".into(), Value::Array(new));
            }
        }
        return Ok((operation, changed));
    }
    let opts = WriteOptions {
        dry_run: dry_run == DryRun::Server,
        field_manager: Some(args.field_manager.clone()),
        field_validation: Some("Strict"),
        ..Default::default()
    };
    let patch = taints_patch(&new);
    // kubectl's taint patches through its typed helper (`Accept: application/json, */*`).
    let changed = client
        .patch_typed(
            nodes::resource(),
            None,
            name,
            PatchType::Strategic,
            &patch,
            &opts,
        )
        .map_err(|e| vec![api_error_text(&e)])?;
    Ok((operation, changed))
}

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get(field).and_then(Value::as_str).unwrap_or("")
}

fn taint_json(t: &Taint) -> Value {
    let mut m = Map::new();
    m.insert("effect".into(), json!(t.effect));
    m.insert("key".into(), json!(t.key));
    if !t.value.is_empty() {
        m.insert("value".into(), json!(t.value));
    }
    Value::Object(m)
}

/// kubectl's patch: `spec.taints` is replaced whole (the list has no merge key), or
/// dropped when no taint is left.
fn taints_patch(new: &[Value]) -> Value {
    if new.is_empty() {
        json!({"spec": {"taints": null}})
    } else {
        json!({"spec": {"taints": new}})
    }
}
