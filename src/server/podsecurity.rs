//! PodSecurity's warnings on a create served over HTTP (`Warning:` headers kubectl prints):
//! read the namespace's labels after the object was admitted.

use crate::api::podsecurity;
use crate::api::registry::{self, Resource};
use crate::client::Client;
use serde_json::Value;

/// Whether objects of `r` can draw PodSecurity warnings (a copy is kept for them).
pub fn concerns(r: &Resource) -> bool {
    matches!(
        r.kind,
        "Pod"
            | "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "CronJob"
            | "ReplicationController"
            | "PodTemplate"
    )
}

/// The warnings for `obj`, created in `ns`.
pub fn warnings(client: &dyn Client, r: &Resource, ns: Option<&str>, obj: &Value) -> Vec<String> {
    let (Some(ns), Some(nr)) = (ns, registry::find("namespaces")) else {
        return Vec::new();
    };
    match client.get(nr, None, ns) {
        Ok(namespace) => podsecurity::create_warnings(&namespace, r.kind, obj),
        Err(_) => Vec::new(),
    }
}

/// The namespace before a write, when the write may change its PodSecurity levels.
pub fn before(client: &dyn Client, r: &Resource, name: &str) -> Option<Value> {
    (r.kind == "Namespace" && r.group.is_empty())
        .then(|| client.get(r, None, name).ok())
        .flatten()
}

/// The warnings about existing pods once a namespace's enforce level changed.
pub fn relabel_warnings(client: &dyn Client, old: Option<&Value>, new: &Value) -> Vec<String> {
    let (Some(old), Some(pods_r)) = (old, registry::find("pods")) else {
        return Vec::new();
    };
    let name = new
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let opts = crate::api::options::ListOptions::default();
    match client.list(pods_r, Some(name), &opts) {
        Ok(list) => {
            let pods = list["items"].as_array().cloned().unwrap_or_default();
            podsecurity::relabel_warnings(old, new, &pods)
        }
        Err(_) => vec!["failed to list pods while checking new PodSecurity enforce level".into()],
    }
}
