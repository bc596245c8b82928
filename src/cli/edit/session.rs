//! kubectl's edit loop: print the objects under the header, open the editor, check what
//! came back, send one patch per changed object, and reopen the file with the reasons at
//! the top when the server found an edit invalid. The file is kept (and named) whenever
//! the user's changes could be lost.

use super::editor::Editor;
use super::text::{self, Header, Reason};
use crate::api::options::{PatchType, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::Client;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// One object being edited.
pub struct Target {
    pub resource: &'static Resource,
    pub namespace: Option<String>,
    pub name: String,
    /// The object as read (all of it, managedFields too).
    pub object: Value,
}

/// What is edited: the objects, or their last-applied configurations.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Object,
    LastApplied,
}

/// The format of the file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Everything one edit shares.
pub struct Session<'a> {
    pub client: &'a dyn Client,
    pub mode: Mode,
    pub format: Format,
    pub windows_line_endings: bool,
    pub validate: bool,
    pub field_validation: Option<&'static str>,
    pub field_manager: &'a str,
    pub output_patch: bool,
    pub save_config: bool,
    pub show_managed_fields: bool,
    pub subresource: Option<&'static str>,
    /// The namespace of the command (`-n`, or the context's).
    pub namespace: &'a str,
    /// `-o` was given: the objects are printed in that format, not named.
    pub print_objects: bool,
}

/// How one round of patches went, as kubectl counts it.
#[derive(Default)]
struct Round {
    reasons: Vec<Reason>,
    invalid: usize,
    not_found: usize,
    retryable: usize,
}

/// The program's name as the user ran it: the temp files and hints carry it.
fn program() -> String {
    crate::cli::command_line::args_os()
        .into_iter()
        .next()
        .map(PathBuf::from)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "kubelite".into())
}

/// kubectl's note when a file with the user's changes is left behind.
fn kept(io: &mut Io, file: Option<&Path>) {
    if let Some(f) = file.filter(|f| f.exists()) {
        let _ = writeln!(
            io.err,
            "A copy of your changes has been stored to {}",
            crate::go::quote(&f.to_string_lossy())
        );
    }
}

impl Session<'_> {
    /// The object shown in the file for a target.
    fn shown(&self, t: &Target) -> Result<Value, CliError> {
        match self.mode {
            Mode::Object => {
                let mut o = t.object.clone();
                if !self.show_managed_fields
                    && let Some(m) = o.get_mut("metadata").and_then(Value::as_object_mut)
                {
                    m.shift_remove("managedFields");
                }
                Ok(o)
            }
            Mode::LastApplied => crate::cli::merge::last_applied::of(&t.object).ok_or_else(|| {
                CliError::message(format!(
                    "no last-applied-configuration annotation found on resource: {}",
                    t.name
                ))
            }),
        }
    }

    fn render(&self, shown: &[Value]) -> String {
        let value = if shown.len() == 1 {
            shown[0].clone()
        } else {
            let mut list = Map::new();
            list.insert("apiVersion".into(), Value::String("v1".into()));
            list.insert("items".into(), Value::Array(shown.to_vec()));
            list.insert("kind".into(), Value::String("List".into()));
            list.insert("metadata".into(), Value::Object(Map::new()));
            Value::Object(list)
        };
        match self.format {
            Format::Yaml => crate::print::yaml::to_yaml(&value),
            Format::Json => crate::print::json::to_json(&value),
        }
    }

    fn crlf(&self, text: Vec<u8>) -> Vec<u8> {
        if !self.windows_line_endings {
            return text;
        }
        let mut out = Vec::with_capacity(text.len());
        for b in text {
            if b == b'\n' {
                out.push(b'\r');
            }
            out.push(b);
        }
        out
    }

    /// Runs the loop over `targets` (read already); the exit status.
    pub fn run(&self, targets: &[Target], io: &mut Io) -> Result<i32, CliError> {
        let editor = Editor::from_env();
        let header = match self.mode {
            Mode::Object => Header::Object,
            Mode::LastApplied => Header::LastApplied,
        };
        let suffix = match self.format {
            Format::Yaml => ".yaml",
            Format::Json => ".json",
        };
        let prefix = format!("{}-edit-", program());
        let shown: Vec<Value> = targets
            .iter()
            .map(|t| self.shown(t))
            .collect::<Result<_, _>>()?;
        let mut reasons: Vec<Reason> = Vec::new();
        let mut original: Vec<u8> = Vec::new();
        let mut edited: Vec<u8> = Vec::new();
        let mut file: Option<PathBuf> = None;
        let mut failed = false;
        loop {
            // JSON has no comments: kubectl writes no header (nor reasons) there.
            let mut buf = match self.format {
                Format::Yaml => text::header(header, &reasons).into_bytes(),
                Format::Json => Vec::new(),
            };
            if failed {
                // The user's last text comes back, under the new header.
                buf.extend(text::manual_strip(&edited));
            } else {
                buf.extend(self.render(&shown).into_bytes());
                original = buf.clone();
            }
            let buf = self.crlf(buf);
            let _ = io.out.flush();
            let _ = io.err.flush();
            let before = std::mem::take(&mut edited);
            let (now, path) = match editor.edit_temp(&prefix, suffix, &buf) {
                Ok(x) => x,
                Err(e) => {
                    kept(io, file.as_deref());
                    return Err(CliError::message(e));
                }
            };
            edited = now;
            if failed && text::same(&before, &edited) {
                kept(io, Some(&path));
                return Err(CliError::message(
                    "Edit cancelled, no valid changes were saved.",
                ));
            }
            if let Some(old) = file.take() {
                let _ = std::fs::remove_file(old);
            }
            if self.validate && self.client.live() {
                // kubectl's validator reads the schemas of the kinds being edited.
                let mut versions: Vec<String> =
                    targets.iter().map(|t| t.resource.api_version()).collect();
                versions.dedup();
                crate::cli::openapi_probe::fetch_versions(self.client, &versions);
            }
            if self.validate
                && let Err(why) = text::validate(&edited)
            {
                file = Some(path);
                failed = true;
                let t = &targets[0];
                let what = format!(
                    "{} {}",
                    t.resource.qualified_plural(),
                    crate::go::quote(&t.name)
                );
                let _ = writeln!(io.err, "error: {what} is invalid");
                reasons = vec![Reason {
                    head: format!("{what} was not valid"),
                    causes: vec![format!(
                        "<nil>: Invalid value: \"The edited file failed validation\": {why}"
                    )],
                }];
                continue;
            }
            if text::same(&original, &edited) {
                let _ = std::fs::remove_file(&path);
                let _ = writeln!(io.err, "Edit cancelled, no changes made.");
                return Ok(0);
            }
            if !text::has_lines(&edited) {
                let _ = std::fs::remove_file(&path);
                let _ = writeln!(io.err, "Edit cancelled, saved file was empty.");
                return Ok(0);
            }
            file = Some(path.clone());
            let objects = match text::objects(&edited) {
                Ok(o) => o,
                Err(e) => {
                    failed = true;
                    reasons = vec![Reason {
                        head: format!("The edited file had a syntax error: {e}"),
                        causes: vec![],
                    }];
                    continue;
                }
            };
            let round = match self.submit(targets, &shown, objects, io) {
                Ok(r) => r,
                Err(e) => {
                    kept(io, Some(&path));
                    return Err(e);
                }
            };
            if round.retryable > 0 {
                let _ = writeln!(
                    io.err,
                    "You can run `{} replace -f {}` to try this update again.",
                    program(),
                    path.display()
                );
                return Ok(1);
            }
            if round.not_found > 0 {
                let _ = writeln!(
                    io.err,
                    "The edits you made on deleted resources have been saved to {}",
                    crate::go::quote(&path.to_string_lossy())
                );
                return Ok(1);
            }
            if round.invalid == 0 {
                let _ = std::fs::remove_file(&path);
                return Ok(0);
            }
            reasons = round.reasons;
            failed = true;
        }
    }

    /// Matches each edited object to the one it came from (by uid), checks it, and patches
    /// the changed ones.
    fn submit(
        &self,
        targets: &[Target],
        shown: &[Value],
        objects: Vec<Value>,
        io: &mut Io,
    ) -> Result<Round, CliError> {
        let uid = |v: &Value| {
            v.pointer("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let mut pairs = Vec::new();
        for mut obj in objects {
            // A last-applied configuration has no uid: it is found by its kind and name.
            let key = |v: &Value| match self.mode {
                Mode::Object => uid(v),
                Mode::LastApplied => format!(
                    "{}/{}",
                    v.get("kind").and_then(Value::as_str).unwrap_or(""),
                    v.pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                ),
            };
            let at = shown
                .iter()
                .position(|s| key(s) == key(&obj))
                .ok_or_else(|| {
                    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
                    let name = obj
                        .pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    CliError::message(format!("no original object found for {kind}/{name}"))
                })?;
            let t = &targets[at];
            if t.resource.namespaced {
                let ns = obj
                    .pointer("/metadata/namespace")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if ns.is_empty() {
                    obj["metadata"]["namespace"] = Value::String(self.namespace.to_string());
                } else if ns != self.namespace {
                    return Err(CliError::message(format!(
                        "the namespace from the provided object {} does not match the namespace {}. You must pass '--namespace={ns}' to perform this operation.",
                        crate::go::quote(ns),
                        crate::go::quote(self.namespace)
                    )));
                }
            }
            if self.mode == Mode::Object && !self.show_managed_fields {
                // The fields kubectl hid from the file go back before anything is compared.
                if let Some(mf) = t.object.pointer("/metadata/managedFields")
                    && let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut)
                {
                    m.insert("managedFields".into(), mf.clone());
                }
            }
            if self.save_config && self.mode == Mode::Object {
                obj = crate::cli::merge::last_applied::annotated(&obj);
            }
            pairs.push((at, obj));
        }
        let mut round = Round::default();
        for (at, edited) in pairs {
            let t = &targets[at];
            let mut before = shown[at].clone();
            if self.mode == Mode::Object
                && let Some(mf) = t.object.pointer("/metadata/managedFields")
            {
                before["metadata"]["managedFields"] = mf.clone();
            }
            let line = format!("{}/{}", t.resource.qualified_singular(), t.name);
            if before == edited {
                self.report(io, &line, "skipped", t.resource, edited)?;
                continue;
            }
            let (patch_type, patch) = match self.mode {
                Mode::Object => object_patch(t.resource, &before, &edited)?,
                Mode::LastApplied => (PatchType::Merge, last_applied_patch(&edited)),
            };
            let body = crate::print::json::to_json_compact(&patch);
            if self.output_patch {
                let _ = writeln!(io.out, "Patch: {body}");
            }
            let opts = WriteOptions {
                field_manager: Some(self.field_manager.to_string()),
                field_validation: self.field_validation,
                subresource: self.subresource,
                ..Default::default()
            };
            match self.client.patch_raw(
                t.resource,
                t.namespace.as_deref(),
                &t.name,
                patch_type,
                body.as_bytes(),
                &opts,
            ) {
                // kubectl shows what it patched with: the object, or the configuration.
                Ok(obj) => {
                    let shown = match self.mode {
                        Mode::Object => obj,
                        Mode::LastApplied => edited,
                    };
                    self.report(io, &line, "edited", t.resource, shown)?;
                }
                Err(e) => {
                    let _ = writeln!(io.err, "{}", round.add(&e, t));
                }
            }
        }
        Ok(round)
    }
}

impl Session<'_> {
    /// `KIND/NAME edited` (or `skipped`), or with `-o` the object in that format.
    fn report(
        &self,
        io: &mut Io,
        line: &str,
        what: &str,
        r: &'static Resource,
        obj: Value,
    ) -> Result<(), CliError> {
        if !self.print_objects {
            let _ = writeln!(io.out, "{line} {what}");
            return Ok(());
        }
        let output = match self.format {
            Format::Yaml => crate::cli::output::Output::Yaml,
            Format::Json => crate::cli::output::Output::Json,
        };
        let text = crate::cli::output::render(
            &output,
            vec![(obj, r)],
            true,
            false,
            self.show_managed_fields,
        )?;
        let _ = io.out.write_all(text.as_bytes());
        Ok(())
    }
}

impl Round {
    /// Counts a failed patch as kubectl does and returns its error line.
    fn add(&mut self, e: &ApiError, t: &Target) -> String {
        let what = format!(
            "{} {}",
            t.resource.qualified_plural(),
            crate::go::quote(&t.name)
        );
        match e.code {
            422 => {
                self.invalid += 1;
                let causes = e
                    .details
                    .as_ref()
                    .and_then(|d| d.get("causes"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|c| {
                        let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
                        format!("{}: {}", s("field"), s("message"))
                    })
                    .collect();
                self.reasons.push(Reason {
                    head: format!("{what} was not valid"),
                    causes,
                });
                format!("error: {what} is invalid")
            }
            404 => {
                self.not_found += 1;
                format!("error: {what} could not be found on the server")
            }
            _ => {
                self.retryable += 1;
                format!("error: {what} could not be patched: {}", e.message)
            }
        }
    }
}

/// kubectl's two-way patch: strategic for built-in kinds, a JSON merge patch for others.
/// Neither may touch apiVersion, kind, the name or managedFields.
fn object_patch(
    r: &Resource,
    before: &Value,
    after: &Value,
) -> Result<(PatchType, Value), CliError> {
    // Kinds kubectl compiles in (the static registry's); discovery's others are custom.
    let built_in = crate::api::registry::find_by_kind(&r.api_version(), r.kind).is_some();
    let (kind, patch) = if built_in {
        (
            PatchType::Strategic,
            crate::cli::merge::three_way::patch(Some(before), after, before),
        )
    } else {
        (PatchType::Merge, merge_patch(before, after))
    };
    let touched = ["apiVersion", "kind", "managedFields"]
        .iter()
        .any(|k| patch.get(*k).is_some())
        || patch.pointer("/metadata/name").is_some();
    if touched {
        return Err(CliError::message(
            "At least one of apiVersion, kind and name was changed",
        ));
    }
    Ok((kind, patch))
}

/// RFC 7386: the merge patch taking `from` to `to`.
fn merge_patch(from: &Value, to: &Value) -> Value {
    match (from, to) {
        (Value::Object(f), Value::Object(t)) => {
            let mut out = Map::new();
            for (k, tv) in t {
                match f.get(k) {
                    Some(fv) if fv == tv => {}
                    Some(fv @ Value::Object(_)) if tv.is_object() => {
                        out.insert(k.clone(), merge_patch(fv, tv));
                    }
                    _ => {
                        out.insert(k.clone(), tv.clone());
                    }
                }
            }
            for k in f.keys() {
                if !t.contains_key(k) {
                    out.insert(k.clone(), Value::Null);
                }
            }
            Value::Object(out)
        }
        _ => to.clone(),
    }
}

/// The merge patch that records `config` as the last-applied configuration.
fn last_applied_patch(config: &Value) -> Value {
    let text = format!("{}\n", crate::print::json::to_json_compact(config));
    let mut annotations = Map::new();
    annotations.insert(
        crate::cli::merge::last_applied::ANNOTATION.into(),
        Value::String(text),
    );
    serde_json::json!({"metadata": {"annotations": annotations}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_sets_changes_and_nulls_removals() {
        let a = json!({"a": 1, "b": {"c": 1, "d": 2}, "e": [1]});
        let b = json!({"a": 1, "b": {"c": 2}, "e": [2], "f": true});
        assert_eq!(
            merge_patch(&a, &b),
            json!({"b": {"c": 2, "d": null}, "e": [2], "f": true})
        );
    }

    #[test]
    fn renaming_is_refused() {
        let r = crate::api::registry::find("configmaps").expect("configmaps");
        let a = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}});
        let b = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}});
        assert!(object_patch(r, &a, &b).is_err());
        let c = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}});
        let (kind, p) = object_patch(r, &a, &c).expect("patch");
        assert_eq!(kind, PatchType::Strategic);
        assert_eq!(p, json!({"data": {"k": "v"}}));
    }
}
