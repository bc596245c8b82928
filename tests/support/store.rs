//! A read-only object store over directories of API objects (JSON files, EventLists
//! expanded into their events), with the label and field selector forms kubectl sends:
//! enough of an API server to answer describe's fetch plans in tests.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use kubelite::print::describe::{self, Answer, Query, Related, Select};
use serde_json::Value;

/// The plural resource of an object kind.
fn resource_of(kind: &str) -> String {
    match kind {
        "Endpoints" => "endpoints".to_string(),
        other => format!("{}s", other.to_lowercase()),
    }
}

/// Objects by resource, as a read-only API server would hold them.
pub struct Store {
    objects: BTreeMap<String, Vec<Value>>,
}

impl Store {
    /// Loads every `*.json` of `dirs`.
    pub fn load(dirs: &[&Path]) -> Store {
        let mut objects: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            let entries = fs::read_dir(dir).expect("objects dir");
            files.extend(
                entries
                    .map(|e| e.expect("entry").path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json")),
            );
        }
        files.sort();
        for path in files {
            let text = fs::read_to_string(&path).expect("read object");
            let v: Value = serde_json::from_str(&text).expect("object JSON");
            let kind = v["kind"].as_str().unwrap_or_default().to_string();
            if let Some(list_kind) = kind.strip_suffix("List") {
                // An EventList: its items are the stored events.
                for item in v["items"].as_array().cloned().unwrap_or_default() {
                    let bucket = objects.entry(resource_of(list_kind)).or_default();
                    let key = |o: &Value| {
                        (
                            o["metadata"]["namespace"].clone(),
                            o["metadata"]["name"].clone(),
                        )
                    };
                    if !bucket.iter().any(|b| key(b) == key(&item)) {
                        bucket.push(item);
                    }
                }
            } else {
                objects.entry(resource_of(&kind)).or_default().push(v);
            }
        }
        for list in objects.values_mut() {
            list.sort_by_key(|o| {
                (
                    o["metadata"]["namespace"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    o["metadata"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                )
            });
        }
        Store { objects }
    }
}

/// A dotted field path's value as a string; missing counts as "".
fn field(o: &Value, path: &str) -> String {
    let mut cur = o;
    for part in path.split('.') {
        match cur.get(part) {
            Some(v) => cur = v,
            None => return String::new(),
        }
    }
    match cur {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Splits a label selector at commas outside parentheses.
fn selector_terms(selector: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    for c in selector.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out.into_iter().filter(|t| !t.is_empty()).collect()
}

/// Label selector terms: `k=v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`.
fn labels_match(o: &Value, selector: &str) -> bool {
    let labels = &o["metadata"]["labels"];
    selector_terms(selector).iter().all(|term| {
        let label = |k: &str| labels.get(k).and_then(Value::as_str);
        let set = |rest: &str| -> Vec<String> {
            rest.trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .split(',')
                .map(str::to_string)
                .collect()
        };
        if let Some((k, rest)) = term.split_once(" notin ") {
            !label(k).is_some_and(|v| set(rest).iter().any(|x| x == v))
        } else if let Some((k, rest)) = term.split_once(" in ") {
            label(k).is_some_and(|v| set(rest).iter().any(|x| x == v))
        } else if let Some((k, v)) = term.split_once("!=") {
            label(k) != Some(v)
        } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            label(k) == Some(v)
        } else if let Some(k) = term.strip_prefix('!') {
            label(k).is_none()
        } else {
            label(term).is_some()
        }
    })
}

/// Field selector terms: `k=v`, `k==v`, `k!=v`.
fn fields_match(o: &Value, selector: &str) -> bool {
    selector.split(',').filter(|t| !t.is_empty()).all(|term| {
        if let Some((k, v)) = term.split_once("!=") {
            field(o, k) != v
        } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            field(o, k) == v
        } else {
            false
        }
    })
}

impl Store {
    /// Lists a resource's objects in a namespace (or all), in namespace-then-name order.
    pub fn list(
        &self,
        resource: &str,
        namespace: Option<&str>,
        label_selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Vec<Value>, String> {
        let all = self.objects.get(resource).cloned().unwrap_or_default();
        Ok(all
            .into_iter()
            .filter(|o| namespace.is_none_or(|ns| o["metadata"]["namespace"].as_str() == Some(ns)))
            .filter(|o| label_selector.is_none_or(|s| labels_match(o, s)))
            .filter(|o| field_selector.is_none_or(|s| fields_match(o, s)))
            .collect())
    }

    /// One object by name, if stored.
    pub fn get(
        &self,
        resource: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<Value>, String> {
        Ok(self.objects.get(resource).and_then(|list| {
            list.iter()
                .find(|o| {
                    o["metadata"]["name"].as_str() == Some(name)
                        && o["metadata"]["namespace"].as_str() == namespace
                })
                .cloned()
        }))
    }
}

impl Store {
    /// Answers one query of a describe plan.
    fn answer(&self, q: &Query) -> Result<Answer, String> {
        let ns = q.namespace.as_deref();
        match &q.select {
            Select::List { labels, fields } => self
                .list(q.resource, ns, labels.as_deref(), fields.as_deref())
                .map(Answer::Objects),
            Select::Named(name) => self.get(q.resource, ns, name).map(Answer::Object),
        }
    }

    /// Describes `objects` as `kubectl describe` prints them (separated by two empty
    /// lines): each one's plan answered from the store, then rendered.
    pub fn describe_all(
        &self,
        resource: &str,
        objects: &[Value],
        show_events: bool,
        now: DateTime<Utc>,
    ) -> Result<String, String> {
        let mut out = String::new();
        for (i, obj) in objects.iter().enumerate() {
            let mut related = Related::default();
            for q in describe::plan(resource, obj, show_events)? {
                related.record(&q, self.answer(&q))?;
            }
            if i > 0 {
                out.push_str("\n\n");
            }
            out.push_str(&describe::render(resource, obj, &related, now));
        }
        Ok(out)
    }
}
