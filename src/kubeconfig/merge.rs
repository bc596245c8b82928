//! kubectl's merge of several kubeconfig files: a cluster, user or context comes whole from
//! the first file that names it; current-context from the first file that sets one;
//! `preferences.colors` is on if any file turns it on; extensions by name, first wins.

use super::files::File;
use super::schema::{self, Unknown};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A named entry and the file (index into the loaded files) that defined it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The inner struct (`cluster:`, `user:` or `context:`), in canonical form.
    pub body: Value,
    pub origin: usize,
}

/// The merged configuration. Maps are ordered by name, as kubectl prints them.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    pub clusters: BTreeMap<String, Entry>,
    pub users: BTreeMap<String, Entry>,
    pub contexts: BTreeMap<String, Entry>,
    pub current_context: String,
    pub colors: bool,
    pub preference_extensions: BTreeMap<String, Value>,
    pub extensions: BTreeMap<String, Value>,
}

pub fn merge(files: &[File]) -> Merged {
    let mut m = Merged::default();
    for (i, file) in files.iter().enumerate() {
        // Files were checked when read; a failure here leaves the file out rather than panic.
        let Ok(doc) = schema::canonical(&schema::CONFIG, &file.raw, Unknown::Drop) else {
            continue;
        };
        add_entries(&mut m.clusters, &doc, "clusters", "cluster", i);
        add_entries(&mut m.users, &doc, "users", "user", i);
        add_entries(&mut m.contexts, &doc, "contexts", "context", i);
        let current = doc["current-context"].as_str().unwrap_or("");
        if m.current_context.is_empty() {
            m.current_context = current.to_string();
        }
        m.colors |= doc["preferences"]["colors"].as_bool().unwrap_or(false);
        add_extensions(
            &mut m.preference_extensions,
            &doc["preferences"]["extensions"],
        );
        add_extensions(&mut m.extensions, &doc["extensions"]);
    }
    m
}

fn add_entries(
    into: &mut BTreeMap<String, Entry>,
    doc: &Value,
    list: &str,
    inner: &str,
    origin: usize,
) {
    for item in doc[list].as_array().into_iter().flatten() {
        let name = item["name"].as_str().unwrap_or("").to_string();
        into.entry(name).or_insert_with(|| Entry {
            body: item[inner].clone(),
            origin,
        });
    }
}

fn add_extensions(into: &mut BTreeMap<String, Value>, list: &Value) {
    for item in list.as_array().into_iter().flatten() {
        let name = item["name"].as_str().unwrap_or("").to_string();
        into.entry(name)
            .or_insert_with(|| item["extension"].clone());
    }
}

impl Merged {
    /// The merged configuration as kubectl prints it (`config view`): its v1 form.
    pub fn to_document(&self) -> Value {
        let mut preferences = Map::new();
        if self.colors {
            preferences.insert("colors".into(), Value::Bool(true));
        }
        if !self.preference_extensions.is_empty() {
            preferences.insert(
                "extensions".into(),
                extension_list(&self.preference_extensions),
            );
        }
        let mut doc = Map::new();
        doc.insert("kind".into(), "Config".into());
        doc.insert("apiVersion".into(), "v1".into());
        doc.insert("preferences".into(), Value::Object(preferences));
        doc.insert("clusters".into(), named_list(&self.clusters, "cluster"));
        doc.insert("users".into(), named_list(&self.users, "user"));
        doc.insert("contexts".into(), named_list(&self.contexts, "context"));
        doc.insert(
            "current-context".into(),
            Value::String(self.current_context.clone()),
        );
        if !self.extensions.is_empty() {
            doc.insert("extensions".into(), extension_list(&self.extensions));
        }
        Value::Object(doc)
    }
}

/// `[{name, <inner>: body}]`, or null when empty (a nil Go slice).
fn named_list(entries: &BTreeMap<String, Entry>, inner: &str) -> Value {
    if entries.is_empty() {
        return Value::Null;
    }
    entries
        .iter()
        .map(|(name, e)| {
            let mut item = Map::new();
            item.insert("name".into(), Value::String(name.clone()));
            item.insert(inner.into(), e.body.clone());
            Value::Object(item)
        })
        .collect()
}

fn extension_list(exts: &BTreeMap<String, Value>) -> Value {
    exts.iter()
        .map(|(name, v)| serde_json::json!({"name": name, "extension": v}))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file(raw: Value) -> File {
        File { path: None, raw }
    }

    #[test]
    fn first_file_wins_each_name_and_current_context() {
        let a = file(json!({
            "clusters": [{"name": "shared", "cluster": {"server": "https://a"}}],
            "contexts": [{"name": "both", "context": {"cluster": "shared", "user": "ua"}}],
            "current-context": "",
        }));
        let b = file(json!({
            "clusters": [{"name": "shared", "cluster": {"server": "https://b"}},
                         {"name": "bonly", "cluster": {"server": "https://bo"}}],
            "contexts": [{"name": "both", "context": {"cluster": "bonly", "user": "ub", "namespace": "n"}}],
            "current-context": "both",
            "preferences": {"colors": true},
        }));
        let m = merge(&[a, b]);
        assert_eq!(m.clusters["shared"].body["server"], "https://a");
        assert_eq!(m.clusters["shared"].origin, 0);
        assert_eq!(m.clusters["bonly"].origin, 1);
        // The whole context comes from the first file: no namespace from the second.
        assert_eq!(
            m.contexts["both"].body,
            json!({"cluster": "shared", "user": "ua"})
        );
        assert_eq!(m.current_context, "both");
        assert!(m.colors);
        let names: Vec<_> = m.clusters.keys().cloned().collect();
        assert_eq!(names, ["bonly", "shared"]);
    }
}
