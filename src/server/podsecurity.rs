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
