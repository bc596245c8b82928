//! `label` and `annotate`: set or remove keys of an object's labels or annotations. The two
//! verbs are one: they differ in the metadata map they change and in their words. The
//! change goes to the server as the JSON merge patch kubectl sends (only the changed keys,
//! plus `resourceVersion` when `--resource-version` pins it).

use super::arg_rules::Naming;
use super::dry_run::DryRun;
use super::errors::CliError;
use super::output::{self, Output};
use super::selected::{self, Item, Selection};
use super::{GlobalFlags, Io};
use crate::api::options::{PatchType, WriteOptions};
use crate::client::Client;
use clap::Args;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Args, Debug)]
pub struct LabelArgs {
    /// (-f FILENAME | TYPE NAME | TYPE/NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]
    pub args: Vec<String>,
    /// If true, allow the keys to be overwritten, otherwise reject updates that overwrite existing keys.
    #[arg(long)]
    pub overwrite: bool,
    /// If true, display the keys for a given resource.
    #[arg(long)]
    pub list: bool,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Select all resources, in the namespace of the specified resource types.
    #[arg(long)]
    pub all: bool,
    /// If true, check the specified action in all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// If non-empty, the update will only succeed if this is the current resource-version for the object.
    #[arg(long)]
    pub resource_version: Option<String>,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format. One of: (json, yaml, name, go-template=..., go-template-file=..., template=..., templatefile=..., jsonpath=..., jsonpath-as-json=..., jsonpath-file=...).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[command(flatten)]
    pub templates: output::TemplateArgs,
    /// Filename, directory, or URL to files identifying the resource to update.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Name of the manager used to track field ownership.
    #[arg(long)]
    pub field_manager: Option<String>,
}

/// Which metadata map a run changes, and how kubectl words it.
#[derive(Clone, Copy, PartialEq)]
pub enum MetaMap {
    Labels,
    Annotations,
}

impl MetaMap {
    fn field(self) -> &'static str {
        match self {
            MetaMap::Labels => "labels",
            MetaMap::Annotations => "annotations",
        }
    }
    fn noun(self) -> &'static str {
        match self {
            MetaMap::Labels => "label",
            MetaMap::Annotations => "annotation",
        }
    }
    fn verb(self) -> &'static str {
        match self {
            MetaMap::Labels => "label",
            MetaMap::Annotations => "annotate",
        }
    }
}

/// The requested change: keys to set (in the order given) and keys to remove.
#[derive(Debug, Default, PartialEq)]
struct Change {
    set: Vec<(String, String)>,
    remove: Vec<String>,
}

/// kubectl's checks of a `label` or `annotate` command line, in its order, before anything
/// is requested.
pub(super) fn validate(args: &LabelArgs, which: MetaMap) -> Result<(), CliError> {
    let (resources, pairs) = split_args(&args.args, which)?;
    let change = parse_change(&pairs, which)?;
    DryRun::parse(&args.dry_run)?;
    if args.list && args.output.is_some() {
        return Err(CliError::message(
            "--list and --output may not be specified together",
        ));
    }
    let naming = Naming {
        args: &resources,
        label_selector: args.selector.as_deref(),
        all: args.all,
        from_files: !args.filenames.is_empty(),
        ..Default::default()
    };
    if args.all
        && args
            .selector
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty())
    {
        return Err(CliError::message(
            "cannot set --all and --selector at the same time",
        ));
    }
    if resources.is_empty() && args.filenames.is_empty() {
        return Err(CliError::message(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if change.set.is_empty() && change.remove.is_empty() && !args.list {
        return Err(CliError::message(format!(
            "at least one {} update is required",
            which.noun()
        )));
    }
    naming.check()
}

/// Runs a validated `label` or `annotate`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &LabelArgs,
    which: MetaMap,
    io: &mut Io,
) -> Result<i32, CliError> {
    let (resources, pairs) = split_args(&args.args, which)?;
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = selected::object_output(args.output.as_deref(), &args.templates.flags())?;
    let change = parse_change(&pairs, which)?;
    let selection = Selection {
        args: &resources,
        filenames: &args.filenames,
        recursive: args.recursive,
        selector: args.selector.as_deref(),
        all: args.all,
        all_namespaces: args.all_namespaces,
        field_selector: None,
    };
    let items = selected::read(client, global, &selection)?;
    let by_selector = args.all || args.selector.is_some();
    if args.resource_version.is_some() && (items.len() != 1 || by_selector) {
        return Err(CliError::message(
            "--resource-version may only be used with a single resource",
        ));
    }
    // kubectl heads each object's list unless one object was named.
    let many = items.len() > 1 || by_selector;
    let separator = output::YamlSeparator::default();
    let mut errors = Vec::new();
    for item in items {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let step = Step {
            client,
            args,
            which,
            change: &change,
            dry_run,
            output: output.as_ref(),
            many,
            separator: &separator,
        };
        if let Err(e) = step.one(item, io) {
            errors.push(e);
        }
    }
    selected::finish(errors)
}

/// Splits the arguments into resources and `key=value` / `key-` pairs; resources come first.
fn split_args(args: &[String], which: MetaMap) -> Result<(Vec<String>, Vec<String>), CliError> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        let is_pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        if is_pair {
            pairs.push(a.clone());
        } else if pairs.is_empty() {
            resources.push(a.clone());
        } else {
            return Err(CliError::message(format!(
                "all resources must be specified before {} changes: {a}",
                which.noun()
            )));
        }
    }
    Ok((resources, pairs))
}

fn parse_change(pairs: &[String], which: MetaMap) -> Result<Change, CliError> {
    let mut change = Change::default();
    for p in pairs {
        if let Some((key, value)) = split_pair(p, which)? {
            change.set.retain(|(k, _)| *k != key);
            change.set.push((key, value));
        } else if let Some(key) = p.strip_suffix('-') {
            change.remove.push(key.to_string());
        }
    }
    let both: Vec<&str> = change
        .remove
        .iter()
        .filter(|r| change.set.iter().any(|(k, _)| k == *r))
        .map(String::as_str)
        .collect();
    if !both.is_empty() {
        return Err(CliError::message(match which {
            MetaMap::Labels => "can not both modify and remove a label in the same command".into(),
            MetaMap::Annotations => format!(
                "can not both modify and remove the following annotation(s) in the same command: {}",
                both.join(", ")
            ),
        }));
    }
    Ok(change)
}

/// `key=value`: a label's value is checked here (kubectl checks values, the server keys);
/// an annotation's value may hold anything, `=` included.
fn split_pair(pair: &str, which: MetaMap) -> Result<Option<(String, String)>, CliError> {
    if !pair.contains('=') {
        return Ok(None);
    }
    match which {
        MetaMap::Annotations => Ok(pair
            .split_once('=')
            .map(|(k, v)| (k.to_string(), v.to_string()))),
        MetaMap::Labels => {
            let parts: Vec<&str> = pair.split('=').collect();
            let [key, value] = parts[..] else {
                return Err(CliError::message(format!("invalid label spec: {pair}")));
            };
            if let Some(problem) = label_value_problem(value) {
                return Err(CliError::message(format!(
                    "invalid label value: {pair:?}: {problem}"
                )));
            }
            Ok(Some((key.to_string(), value.to_string())))
        }
    }
}

/// Why a label value is not valid (at most 63 characters, alphanumeric at both ends,
/// `-`, `_` and `.` inside), or `None`.
fn label_value_problem(value: &str) -> Option<String> {
    let mut problems = Vec::new();
    if value.len() > 63 {
        problems.push("must be no more than 63 characters".to_string());
    }
    let alnum = |c: char| c.is_ascii_alphanumeric();
    let ok = value.is_empty()
        || (value.starts_with(alnum)
            && value.ends_with(alnum)
            && value
                .chars()
                .all(|c| alnum(c) || matches!(c, '-' | '_' | '.')));
    if !ok {
        problems.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// One object's turn.
struct Step<'a> {
    client: &'a dyn Client,
    args: &'a LabelArgs,
    which: MetaMap,
    change: &'a Change,
    dry_run: DryRun,
    output: Option<&'a Output>,
    many: bool,
    /// annotate prints every object with one printer (`---` between YAML objects); label
    /// makes a printer per object.
    separator: &'a output::YamlSeparator,
}

impl Step<'_> {
    fn one(&self, item: Item, io: &mut Io) -> Result<(), CliError> {
        let field = self.which.field();
        let before = item.object.clone();
        let current: Map<String, Value> = before
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        self.check_overwrite(&current)?;
        let mut after_map = current.clone();
        for (k, v) in &self.change.set {
            after_map.insert(k.clone(), Value::String(v.clone()));
        }
        for k in &self.change.remove {
            if after_map.shift_remove(k).is_none() && matches!(self.which, MetaMap::Labels) {
                let _ = writeln!(io.out, "{} {k:?} not found.", self.which.noun());
            }
        }
        let r = item.resource;
        if self.args.list {
            if self.many {
                let _ = writeln!(
                    io.out,
                    "Listing {} for {}.{}/{}:",
                    field, r.kind, r.group, item.name
                );
            }
            let indent = if self.many { " " } else { "" };
            for (k, v) in &after_map {
                let _ = writeln!(io.out, "{indent}{k}={}", v.as_str().unwrap_or(""));
            }
            return Ok(());
        }
        let mut after = before.clone();
        set_map(&mut after, field, after_map.clone());
        let pinned = self.args.resource_version.as_deref();
        if let Some(rv) = pinned {
            set_meta(&mut after, "resourceVersion", Value::String(rv.to_string()));
        }
        let patch = merge_patch(field, &current, &after_map, pinned);
        // kubectl compares against the object without its resourceVersion when one is
        // pinned, so a pinned run always counts as a change.
        let mut compared = before;
        if pinned.is_some()
            && let Some(meta) = compared.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.shift_remove("resourceVersion");
        }
        let message = self.message(&compared, &after);
        let shown = if self.dry_run == DryRun::Client {
            after
        } else {
            let opts = WriteOptions {
                dry_run: self.dry_run == DryRun::Server,
                field_manager: Some(
                    self.args
                        .field_manager
                        .clone()
                        .unwrap_or_else(|| format!("kubectl-{}", self.which.verb())),
                ),
                ..Default::default()
            };
            self.client.patch(
                r,
                item.namespace.as_deref(),
                &item.name,
                PatchType::Merge,
                &patch,
                &opts,
            )?
        };
        match self.output {
            Some(o) if !o.is_table() => {
                if self.which == MetaMap::Annotations {
                    let _ = io.out.write_all(self.separator.before(o).as_bytes());
                }
                let text = output::render(o, vec![(shown, r)], true, false, false)?;
                let _ = io.out.write_all(text.as_bytes());
            }
            _ => {
                let _ = writeln!(
                    io.out,
                    "{}/{} {message}{}",
                    r.qualified_singular(),
                    item.name,
                    self.dry_run.suffix()
                );
            }
        }
        Ok(())
    }

    /// Without `--overwrite`, a key that already holds another value stops this object.
    fn check_overwrite(&self, current: &Map<String, Value>) -> Result<(), CliError> {
        if self.args.overwrite {
            return Ok(());
        }
        let conflicts: Vec<String> = self
            .change
            .set
            .iter()
            .filter_map(|(k, v)| {
                let old = current.get(k)?.as_str().unwrap_or("");
                (old != v).then(|| format!("'{k}' already has a value ({old})"))
            })
            .collect();
        if conflicts.is_empty() {
            return Ok(());
        }
        Err(CliError::message(match self.which {
            MetaMap::Labels => format!("{}, and --overwrite is false", conflicts[0]),
            MetaMap::Annotations => format!(
                "--overwrite is false but found the following declared annotation(s): {}",
                conflicts.join("; ")
            ),
        }))
    }

    /// kubectl's words: annotate always says "annotated"; label says whether anything
    /// changed, and "unlabeled" when, without --overwrite, the object only got smaller.
    fn message(&self, before: &Value, after: &Value) -> &'static str {
        if matches!(self.which, MetaMap::Annotations) {
            return "annotated";
        }
        if before == after {
            return "not labeled";
        }
        let size = |v: &Value| serde_json::to_string(v).map(|s| s.len()).unwrap_or(0);
        if !self.args.overwrite && size(after) < size(before) {
            "unlabeled"
        } else {
            "labeled"
        }
    }
}

fn set_meta(obj: &mut Value, key: &str, value: Value) {
    if !obj.is_object() {
        *obj = Value::Object(Map::new());
    }
    if !obj["metadata"].is_object() {
        obj["metadata"] = Value::Object(Map::new());
    }
    obj["metadata"][key] = value;
}

fn set_map(obj: &mut Value, field: &str, map: Map<String, Value>) {
    set_meta(obj, field, Value::Object(map));
}

/// The merge patch from the old map to the new: changed keys (removed ones as null), keys
/// sorted as kubectl's JSON has them, and a pinned resourceVersion, which kubectl always
/// sends (even when it is the current one) so the server checks it.
fn merge_patch(
    field: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    pinned: Option<&str>,
) -> Value {
    let mut changed: BTreeMap<&String, Value> = BTreeMap::new();
    for (k, v) in new {
        if old.get(k) != Some(v) {
            changed.insert(k, v.clone());
        }
    }
    for k in old.keys() {
        if !new.contains_key(k) {
            changed.insert(k, Value::Null);
        }
    }
    let mut meta = Map::new();
    if !changed.is_empty() {
        let map: Map<String, Value> = changed.into_iter().map(|(k, v)| (k.clone(), v)).collect();
        meta.insert(field.to_string(), Value::Object(map));
    }
    if let Some(rv) = pinned {
        meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
    }
    if meta.is_empty() {
        return Value::Object(Map::new());
    }
    let mut patch = Map::new();
    patch.insert("metadata".into(), Value::Object(meta));
    Value::Object(patch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_split_into_resources_and_pairs() {
        let (r, p) = split_args(&strings(&["pod", "web", "a=1", "b-"]), MetaMap::Labels).unwrap();
        assert_eq!((r, p), (strings(&["pod", "web"]), strings(&["a=1", "b-"])));
        // `=1` and `-` are names, not pairs.
        let (r, p) = split_args(&strings(&["pod", "=1", "-"]), MetaMap::Labels).unwrap();
        assert_eq!(r.len(), 3);
        assert!(p.is_empty());
        let e = split_args(&strings(&["pod", "a=1", "web"]), MetaMap::Labels).unwrap_err();
        assert!(
            matches!(e, CliError::Message(m) if m == "all resources must be specified before label changes: web")
        );
    }

    #[test]
    fn label_pairs_are_checked_and_annotations_are_not() {
        assert!(
            matches!(parse_change(&strings(&["a=b=c"]), MetaMap::Labels),
            Err(CliError::Message(m)) if m == "invalid label spec: a=b=c")
        );
        assert!(
            matches!(parse_change(&strings(&["a=b c"]), MetaMap::Labels),
            Err(CliError::Message(m)) if m.starts_with("invalid label value: \"a=b c\": a valid label"))
        );
        let c = parse_change(&strings(&["a=b=c", "x-"]), MetaMap::Annotations).unwrap();
        assert_eq!(c.set, vec![("a".to_string(), "b=c".to_string())]);
        assert_eq!(c.remove, strings(&["x"]));
        assert!(parse_change(&strings(&["a=1", "a-"]), MetaMap::Labels).is_err());
    }

    #[test]
    fn the_patch_holds_only_what_changed() {
        let old = json!({"keep": "1", "gone": "2", "b": "x"});
        let old = old.as_object().unwrap().clone();
        let mut new = old.clone();
        new.shift_remove("gone");
        new.insert("b".into(), json!("y"));
        new.insert("a".into(), json!("z"));
        let p = merge_patch("labels", &old, &new, None);
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"metadata":{"labels":{"a":"z","b":"y","gone":null}}}"#
        );
        // A pinned resourceVersion goes out even with nothing else to change.
        let p = merge_patch("annotations", &old, &old, Some("9"));
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"metadata":{"resourceVersion":"9"}}"#
        );
        assert_eq!(merge_patch("labels", &old, &old, None), json!({}));
    }
}
