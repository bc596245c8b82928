//! rbac.authorization.k8s.io defaults: a user or group subject without an apiGroup gets
//! RBAC's, and fields sit where the Go structs put them (`rules: null` on a role without
//! rules, as kube's encoder writes a nil slice it does not omit).

use super::order::{TOP_LEVEL, normalize_meta, reorder};
use serde_json::{Map, Value};

/// The RBAC API group: a user or group subject's default apiGroup.
pub const GROUP: &str = "rbac.authorization.k8s.io";

const ROLE: &[&str] = &["kind", "apiVersion", "metadata", "rules", "aggregationRule"];
const BINDING: &[&str] = &["kind", "apiVersion", "metadata", "subjects", "roleRef"];
const RULE: &[&str] = &[
    "verbs",
    "apiGroups",
    "resources",
    "resourceNames",
    "nonResourceURLs",
];
const SUBJECT: &[&str] = &["kind", "apiGroup", "name", "namespace"];
const ROLE_REF: &[&str] = &["apiGroup", "kind", "name"];

pub fn default_rbac(kind: &str, obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    match kind {
        "Role" | "ClusterRole" => {
            if !o.contains_key("rules") {
                o.insert("rules".into(), Value::Null);
            }
            reorder(o, &[TOP_LEVEL, ROLE].concat());
            for rule in items(o, "rules") {
                reorder(rule, RULE);
            }
        }
        _ => {
            reorder(o, &[TOP_LEVEL, BINDING].concat());
            for s in items(o, "subjects") {
                let group_default = match s.get("kind").and_then(Value::as_str) {
                    Some("User" | "Group") => Some(GROUP),
                    Some("ServiceAccount") => Some(""),
                    _ => None,
                };
                let empty = s
                    .get("apiGroup")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty);
                if let (Some(g), true) = (group_default, empty)
                    && !g.is_empty()
                {
                    s.insert("apiGroup".into(), g.into());
                }
                reorder(s, SUBJECT);
            }
            if let Some(r) = o.get_mut("roleRef").and_then(Value::as_object_mut) {
                reorder(r, ROLE_REF);
            }
        }
    }
}

fn items<'a>(o: &'a mut Map<String, Value>, key: &str) -> Vec<&'a mut Map<String, Value>> {
    match o.get_mut(key) {
        Some(Value::Array(a)) => a.iter_mut().filter_map(Value::as_object_mut).collect(),
        _ => Vec::new(),
    }
}
