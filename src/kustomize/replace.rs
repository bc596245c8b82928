//! `replacements`: a value read from one object of the build (its source) written into
//! fields of others (its targets), after every other transformer of the kustomization.
//! Field paths are kustomize's: dot-separated, `[name=web]` picks a list element by a field,
//! `[a.b/c]` a key with dots, `*` every element, a number a list index.

use super::file::Kustomization;
use super::load::{self, group, version};
use super::pattern::Pattern;
use super::{Error, Res};
use crate::api::selector::LabelSelector;
use serde_json::{Map, Value};
use std::path::Path;

pub fn run(k: &Kustomization, dir: &Path, all: &mut [Res]) -> Result<(), Error> {
    for entry in k.objects("replacements")? {
        let replacements = match entry.get("path").and_then(Value::as_str) {
            Some(path) => {
                let bytes = load::read_relative(dir, path, k.restrict)?;
                let text = String::from_utf8_lossy(&bytes);
                match load::parse_yaml(&text).map_err(Error::Kustomize)? {
                    Some(Value::Array(items)) => items,
                    Some(one) => vec![one],
                    None => Vec::new(),
                }
            }
            None => vec![Value::Object(entry.clone())],
        };
        for r in &replacements {
            replace(r, all)?;
        }
    }
    Ok(())
}

fn replace(r: &Value, all: &mut [Res]) -> Result<(), Error> {
    let source = &r["source"];
    let chosen: Vec<usize> = (0..all.len())
        .filter(|i| selects(source, &all[*i]))
        .collect();
    let index = match chosen.as_slice() {
        [one] => *one,
        [] => {
            return Err(Error::Kustomize(format!(
                "nothing selected by {}",
                selector_text(source)
            )));
        }
        _ => {
            return Err(Error::Kustomize(format!(
                "multiple matches for selector {}",
                selector_text(source)
            )));
        }
    };
    let field_path = source["fieldPath"].as_str().unwrap_or("metadata.name");
    let mut found = Vec::new();
    get(&all[index].value, &split_path(field_path), &mut found);
    let Some(mut value) = found.into_iter().next() else {
        return Err(Error::Kustomize(format!(
            "fieldPath `{field_path}` is missing for replacement source {}",
            selector_text(source)
        )));
    };
    if let Some(delimiter) = source["options"]["delimiter"].as_str() {
        let text = scalar_text(&value);
        let at = source["options"]["index"].as_u64().unwrap_or(0) as usize;
        let part = text.split(delimiter).nth(at).ok_or_else(|| {
            Error::Kustomize(format!(
                "options.index {at} is out of bounds for value {text}"
            ))
        })?;
        value = Value::String(part.to_string());
    }
    for target in r["targets"].as_array().into_iter().flatten() {
        let rejects: Vec<&Value> = target["reject"].as_array().into_iter().flatten().collect();
        let create = target["options"]["create"].as_bool().unwrap_or(false);
        for res in all.iter_mut() {
            if !selects(&target["select"], res) || rejects.iter().any(|rj| selects(rj, res)) {
                continue;
            }
            for path in target["fieldPaths"].as_array().into_iter().flatten() {
                let path = path.as_str().unwrap_or("");
                let mut hits = 0;
                set(&mut res.value, &split_path(path), create, &mut |slot| {
                    hits += 1;
                    *slot = new_value(slot, &value, &target["options"]);
                });
                if hits == 0 {
                    return Err(Error::Kustomize(format!(
                        "unable to find field \"{path}\" in replacement target"
                    )));
                }
            }
            res.remember();
        }
    }
    Ok(())
}

/// What goes into one target field: the value, or, with a delimiter, the field's text with
/// one part exchanged. A string field stays a string.
fn new_value(old: &Value, value: &Value, options: &Value) -> Value {
    if let Some(delimiter) = options["delimiter"].as_str() {
        let at = options["index"].as_u64().unwrap_or(0) as usize;
        let old_text = scalar_text(old);
        let mut parts: Vec<String> = old_text.split(delimiter).map(String::from).collect();
        if at < parts.len() {
            parts[at] = scalar_text(value);
        } else {
            parts.push(scalar_text(value));
        }
        return Value::String(parts.join(delimiter));
    }
    match (old, value) {
        (Value::String(_), Value::Number(_) | Value::Bool(_)) => Value::String(scalar_text(value)),
        _ => value.clone(),
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The first value at a dotted field path (vars read their field this way).
pub fn field(v: &Value, path: &str) -> Option<Value> {
    let mut found = Vec::new();
    get(v, &split_path(path), &mut found);
    found.into_iter().next()
}

/// Whether a source, target or reject selector picks `r` (ids as anchored patterns).
fn selects(sel: &Value, r: &Res) -> bool {
    if !sel.is_object() {
        return false;
    }
    let field = |f: &str| sel[f].as_str().filter(|s| !s.is_empty());
    let matches = |f: &str, actual: &str| {
        field(f).is_none_or(|p| Pattern::new(p).is_some_and(|p| p.matches(actual)))
    };
    let named = field("name").is_none_or(|p| {
        Pattern::new(p).is_some_and(|p| r.history.iter().any(|(_, n)| p.matches(n)))
    });
    let labelled = |f: &str, meta: &str| {
        field(f).is_none_or(|s| {
            LabelSelector::parse(s).is_ok_and(|s| s.matches(r.value["metadata"][meta].as_object()))
        })
    };
    matches("group", group(r.api_version()))
        && matches("version", version(r.api_version()))
        && matches("kind", r.kind())
        && matches("namespace", r.namespace())
        && named
        && labelled("labelSelector", "labels")
        && labelled("annotationSelector", "annotations")
}

/// kustomize's text of a selector in its errors.
fn selector_text(sel: &Value) -> String {
    let field = |f: &str, none: &str| {
        sel[f]
            .as_str()
            .filter(|s| !s.is_empty())
            .unwrap_or(none)
            .to_string()
    };
    format!(
        "{}.{}.{}/{}.{}",
        field("kind", "[noKind]"),
        field("version", "[noVer]"),
        field("group", "[noGrp]"),
        field("name", "[noName]"),
        field("namespace", "[noNs]")
    )
}

/// A field path's elements: dots separate them, except inside brackets.
fn split_path(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => {
                depth += 1;
                current.push(c);
            }
            ']' => {
                depth -= 1;
                current.push(c);
            }
            '.' if depth == 0 => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    out.push(current);
    out
}

/// What one path element picks in a list or map.
enum Step<'a> {
    Key(&'a str),
    Match(&'a str, &'a str),
    Index(usize),
    All,
}

fn step(element: &str) -> Step<'_> {
    if element == "*" {
        return Step::All;
    }
    if let Some(inner) = element.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
        return match inner.split_once('=') {
            Some((k, v)) => Step::Match(k, v),
            None => Step::Key(inner),
        };
    }
    match element.parse::<usize>() {
        Ok(i) => Step::Index(i),
        Err(_) => Step::Key(element),
    }
}

/// The values at `path` under `v`.
fn get(v: &Value, path: &[String], out: &mut Vec<Value>) {
    let Some((first, rest)) = path.split_first() else {
        out.push(v.clone());
        return;
    };
    match (step(first), v) {
        (Step::Key(k), Value::Object(m)) => {
            if let Some(next) = m.get(k) {
                get(next, rest, out);
            }
        }
        (Step::Index(i), Value::Array(items)) => {
            if let Some(next) = items.get(i) {
                get(next, rest, out);
            }
        }
        (Step::Index(i), Value::Object(m)) => {
            if let Some(next) = m.get(&i.to_string()) {
                get(next, rest, out);
            }
        }
        (Step::Match(k, want), Value::Array(items)) => {
            for item in items.iter().filter(|i| element_is(i, k, want)) {
                get(item, rest, out);
            }
        }
        (Step::All, Value::Array(items)) => {
            for item in items {
                get(item, rest, out);
            }
        }
        _ => {}
    }
}

fn element_is(item: &Value, key: &str, want: &str) -> bool {
    let actual = if key.is_empty() { item } else { &item[key] };
    !actual.is_null() && scalar_text(actual) == want
}

/// Calls `f` on each field at `path` under `v`; with `create`, missing map keys are made.
fn set(v: &mut Value, path: &[String], create: bool, f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = path.split_first() else {
        f(v);
        return;
    };
    match (step(first), v) {
        (Step::Key(k), Value::Object(m)) => {
            if create && !m.contains_key(k) {
                let fresh = if rest.is_empty() {
                    Value::Null
                } else {
                    Value::Object(Map::new())
                };
                m.insert(k.to_string(), fresh);
            }
            if let Some(next) = m.get_mut(k) {
                set(next, rest, create, f);
            }
        }
        (Step::Index(i), Value::Array(items)) => {
            if let Some(next) = items.get_mut(i) {
                set(next, rest, create, f);
            }
        }
        (Step::Match(k, want), Value::Array(items)) => {
            for item in items.iter_mut().filter(|i| element_is(i, k, want)) {
                set(item, rest, create, f);
            }
        }
        (Step::All, Value::Array(items)) => {
            for item in items {
                set(item, rest, create, f);
            }
        }
        _ => {}
    }
}
