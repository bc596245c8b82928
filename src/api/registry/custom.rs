//! Custom resources: what a CustomResourceDefinition defines, as `&'static Resource`s like
//! the built-in ones, so every layer (storage keys, conversion, printing, routes, name
//! resolution) handles them alike.
//!
//! Each distinct definition (one version of one CRD as written: names, scope, printer
//! columns, subresources, storage version) is interned once for the life of the process,
//! and the same definition read again gives the same reference. Memory is bounded by the
//! number of distinct definitions a process ever sees, not by how often CRDs are read.
//! Which definitions a cluster serves now is the API server's business
//! (`apiserver::custom_resources`); this module only builds and remembers them.

use super::Resource;
use crate::api::json::{str_at, strings_at};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Mutex;

/// The group, resource and storage prefix of CustomResourceDefinitions themselves.
pub const CRD_GROUP: &str = "apiextensions.k8s.io";
pub const CRD_PLURAL: &str = "customresourcedefinitions";
/// The finalizer that holds a deleted CRD until its objects are gone.
pub const CLEANUP_FINALIZER: &str = "customresourcecleanup.apiextensions.k8s.io";

/// One `additionalPrinterColumns` entry (or the default Age column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterColumn {
    pub name: String,
    /// `string`, `integer`, `number`, `boolean` or `date`.
    pub type_: String,
    pub format: String,
    pub description: String,
    pub priority: i64,
    /// `.spec.replicas`; empty for none.
    pub json_path: String,
}

/// Where the scale subresource reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalePaths {
    pub spec_replicas: String,
    pub status_replicas: String,
    pub label_selector: Option<String>,
}

/// One version of one custom resource.
#[derive(Debug, PartialEq, Eq)]
pub struct Definition {
    pub resource: Resource,
    /// The CRD's name (`foos.example.com`).
    pub crd: &'static str,
    pub list_kind: &'static str,
    /// The version objects are stored at, when it is not this one.
    pub storage: Option<&'static Resource>,
    pub served: bool,
    /// `additionalPrinterColumns` as written (an empty list means the default Age column).
    pub columns: Vec<PrinterColumn>,
    pub status: bool,
    pub scale: Option<ScalePaths>,
    /// Where the version is in the CRD's `spec.versions` (kube's order of equivalent
    /// resources, which admission's `matchPolicy: Equivalent` tries in turn).
    pub position: usize,
}

static INTERNED: Mutex<Vec<&'static Definition>> = Mutex::new(Vec::new());
static STRINGS: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);

/// A string that lives as long as the process, each distinct one leaked once.
fn leak(s: &str) -> &'static str {
    let Ok(mut guard) = STRINGS.lock() else {
        return Box::leak(s.to_string().into_boxed_str());
    };
    let set = guard.get_or_insert_with(HashSet::new);
    if let Some(found) = set.get(s) {
        return found;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

fn leak_list(items: &[String]) -> &'static [&'static str] {
    let leaked: Vec<&'static str> = items.iter().map(|s| leak(s)).collect();
    if leaked.is_empty() {
        return &[];
    }
    Box::leak(leaked.into_boxed_slice())
}

/// The interned copy of `d`: the one already known if equal, else `d` leaked.
fn intern(d: Definition) -> &'static Definition {
    let Ok(mut known) = INTERNED.lock() else {
        return Box::leak(Box::new(d));
    };
    if let Some(found) = known.iter().find(|k| ***k == d) {
        return found;
    }
    let leaked: &'static Definition = Box::leak(Box::new(d));
    known.push(leaked);
    leaked
}

/// The definition behind a resource, if it is a custom one.
pub fn definition_of(r: &Resource) -> Option<&'static Definition> {
    let known = INTERNED.lock().ok()?;
    known.iter().find(|d| std::ptr::eq(&d.resource, r)).copied()
}

/// Whether `r` came from a CustomResourceDefinition.
pub fn is_custom(r: &Resource) -> bool {
    definition_of(r).is_some()
}

/// A custom resource of this apiVersion and kind, among those this process has seen
/// (used only to name things in messages; serving asks the API server's catalog).
pub fn seen_kind(api_version: &str, kind: &str) -> Option<&'static Resource> {
    let known = INTERNED.lock().ok()?;
    known
        .iter()
        .rev()
        .map(|d| &d.resource)
        .find(|r| r.kind == kind && r.api_version() == api_version)
}

/// A resource among `resources` by any name kubectl accepts: plural, singular, short name or
/// kind (any case), optionally `.group` or `.version.group` qualified; the first wins.
pub fn find_in(resources: &[&'static Resource], name: &str) -> Option<&'static Resource> {
    let name = name.to_ascii_lowercase();
    let matches = |r: &Resource, base: &str| {
        r.plural == base
            || r.singular == base
            || r.short_names.contains(&base)
            || r.kind.eq_ignore_ascii_case(base)
    };
    resources
        .iter()
        .copied()
        .find(|r| matches(r, &name))
        .or_else(|| {
            let (base, group) = name.split_once('.')?;
            resources.iter().copied().find(|r| {
                matches(r, base)
                    && (group == r.group || group == format!("{}.{}", r.version, r.group))
            })
        })
}

/// The resources of a category among `resources`, one version per resource.
pub fn category_in(resources: &[&'static Resource], name: &str) -> Vec<&'static Resource> {
    let mut out: Vec<&'static Resource> = Vec::new();
    for r in resources {
        if r.categories.contains(&name)
            && !out
                .iter()
                .any(|o| (o.group, o.plural) == (r.group, r.plural))
        {
            out.push(r);
        }
    }
    out
}

/// The definitions of a CRD's versions, the storage version's included even when it is
/// not served, ordered as kube-apiserver prefers them (discovery's order; the first served
/// one is the group's preferred version). Empty for a CRD without a group, names or a
/// storage version.
pub fn definitions_of(crd: &Value) -> Vec<&'static Definition> {
    let group = str_at(crd, "/spec/group");
    let plural = str_at(crd, "/spec/names/plural");
    let kind = str_at(crd, "/spec/names/kind");
    let versions = crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(storage_version) = versions
        .iter()
        .find(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
    else {
        return Vec::new();
    };
    if group.is_empty() || plural.is_empty() || kind.is_empty() {
        return Vec::new();
    }
    let singular = match str_at(crd, "/spec/names/singular") {
        "" => kind.to_ascii_lowercase(),
        s => s.to_string(),
    };
    let list_kind = match str_at(crd, "/spec/names/listKind") {
        "" => format!("{kind}List"),
        s => s.to_string(),
    };
    let short_names = leak_list(&strings_at(crd, "/spec/names/shortNames"));
    let categories = leak_list(&strings_at(crd, "/spec/names/categories"));
    let namespaced = str_at(crd, "/spec/scope") != "Cluster";
    let name = leak(str_at(crd, "/metadata/name"));
    let storage_prefix = leak(&format!("{group}/{plural}"));
    let build = |v: &Value, position: usize, storage: Option<&'static Resource>| Definition {
        resource: Resource {
            kind: leak(kind),
            group: leak(group),
            version: leak(str_at(v, "/name")),
            plural: leak(plural),
            singular: leak(&singular),
            short_names,
            namespaced,
            categories,
            storage_prefix,
        },
        crd: name,
        list_kind: leak(&list_kind),
        storage,
        served: v.get("served").and_then(Value::as_bool).unwrap_or(false),
        columns: columns_of(v),
        status: v.pointer("/subresources/status").is_some(),
        scale: scale_of(v),
        position,
    };
    let storage_position = versions
        .iter()
        .position(|v| std::ptr::eq(v, storage_version))
        .unwrap_or(0);
    let stored = intern(build(storage_version, storage_position, None));
    let mut out: Vec<&'static Definition> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i == storage_position {
                stored
            } else {
                intern(build(v, i, Some(&stored.resource)))
            }
        })
        .collect();
    out.sort_by(|a, b| compare_versions(a.resource.version, b.resource.version));
    out
}

fn columns_of(version: &Value) -> Vec<PrinterColumn> {
    let Some(cols) = version
        .get("additionalPrinterColumns")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    cols.iter()
        .map(|c| PrinterColumn {
            name: str_at(c, "/name").to_string(),
            type_: str_at(c, "/type").to_string(),
            format: str_at(c, "/format").to_string(),
            description: str_at(c, "/description").to_string(),
            priority: c.get("priority").and_then(Value::as_i64).unwrap_or(0),
            json_path: str_at(c, "/jsonPath").to_string(),
        })
        .collect()
}

fn scale_of(version: &Value) -> Option<ScalePaths> {
    let s = version.pointer("/subresources/scale")?;
    Some(ScalePaths {
        spec_replicas: str_at(s, "/specReplicasPath").to_string(),
        status_replicas: str_at(s, "/statusReplicasPath").to_string(),
        label_selector: s
            .get("labelSelectorPath")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// Kube's version priority: GA before beta before alpha, higher numbers first, and versions
/// that do not look like Kubernetes versions last, alphabetically.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let (ka, kb) = (kube_version(a), kube_version(b));
    match (ka, kb) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// (stability, major, minor) where GA is 2, beta 1, alpha 0: larger is preferred.
fn kube_version(v: &str) -> Option<(u8, u64, u64)> {
    let rest = v.strip_prefix('v')?;
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let major: u64 = rest[..digits].parse().ok()?;
    if major == 0 {
        return None;
    }
    let tail = &rest[digits..];
    if tail.is_empty() {
        return Some((2, major, 0));
    }
    let (stability, minor) = if let Some(m) = tail.strip_prefix("beta") {
        (1, m)
    } else if let Some(m) = tail.strip_prefix("alpha") {
        (0, m)
    } else {
        return None;
    };
    let minor: u64 = minor.parse().ok()?;
    Some((stability, major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn crd(versions: Value) -> Value {
        json!({"metadata": {"name": "widgets.example.com"},
               "spec": {"group": "example.com", "scope": "Namespaced",
                        "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"]},
                        "versions": versions}})
    }

    #[test]
    fn one_definition_per_version_interned_once() {
        let c = crd(json!([
            {"name": "v1beta1", "served": true, "storage": false},
            {"name": "v1", "served": true, "storage": true,
             "subresources": {"status": {}}}
        ]));
        let defs = definitions_of(&c);
        let versions: Vec<_> = defs.iter().map(|d| d.resource.version).collect();
        assert_eq!(versions, ["v1", "v1beta1"]);
        assert_eq!(defs[0].resource.singular, "widget");
        assert_eq!(defs[0].list_kind, "WidgetList");
        assert!(defs[0].status && defs[0].storage.is_none());
        assert_eq!(defs[1].storage.map(|r| r.version), Some("v1"));
        assert_eq!(
            defs[0].resource.storage_key(Some("ns"), "a"),
            "/registry/example.com/widgets/ns/a"
        );
        // Read again: the very same references.
        let again = definitions_of(&c);
        assert!(std::ptr::eq(defs[0], again[0]) && std::ptr::eq(defs[1], again[1]));
        assert!(is_custom(&defs[1].resource));
        assert!(!is_custom(super::super::find("pods").unwrap()));
    }

    #[test]
    fn no_storage_version_no_definitions() {
        assert!(definitions_of(&crd(json!([{"name": "v1", "served": true}]))).is_empty());
    }

    #[test]
    fn version_priority_is_kubes() {
        let mut v = vec![
            "foo",
            "v1alpha1",
            "v2",
            "v1",
            "v1beta2",
            "v1beta1",
            "abc",
            "v12alpha1",
        ];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(
            v,
            [
                "v2",
                "v1",
                "v1beta2",
                "v1beta1",
                "v12alpha1",
                "v1alpha1",
                "abc",
                "foo"
            ]
        );
    }
}
