//! The bootstrap policy as the store holds it, read and written through the API server for
//! its reconciliation at start.

use crate::api::json::str_at;
use crate::api::options::{DeleteOptions, ListOptions, WriteOptions};
use crate::api::registry::{self, Resource};
use crate::apiserver::{ApiServer, CreateRequest};
use serde_json::Value;
use std::collections::HashMap;

/// A policy object's place: plural, namespace, name.
pub type Key = (&'static str, Option<&'static str>, String);

/// The namespaces that hold bootstrap Roles and RoleBindings.
pub const NAMESPACES: [&str; 2] = ["kube-system", "kube-public"];
/// The policy's kinds that are cluster-wide.
pub const CLUSTER_WIDE: [&str; 2] = ["clusterroles", "clusterrolebindings"];
/// The policy's kinds that live in `NAMESPACES`.
pub const NAMESPACED: [&str; 2] = ["roles", "rolebindings"];

/// The RBAC objects of the places the policy writes to: every ClusterRole and
/// ClusterRoleBinding, and the Roles and RoleBindings of kube-system and kube-public (one
/// list each, so a cluster on etcd pays a few round trips, not one per object).
pub fn read(server: &ApiServer) -> Result<HashMap<Key, Value>, String> {
    let mut out = HashMap::new();
    let mut add = |plural: &'static str, ns: Option<&'static str>| -> Result<(), String> {
        let list = server
            .list(resource(plural)?, ns, &ListOptions::default())
            .map_err(|e| format!("cannot read the RBAC policy: {}", e.message))?;
        if let Some(Value::Array(items)) = list.get("items").cloned() {
            for item in items {
                let name = str_at(&item, "/metadata/name").to_string();
                out.insert((plural, ns, name), item);
            }
        }
        Ok(())
    };
    for plural in CLUSTER_WIDE {
        add(plural, None)?;
    }
    for ns in NAMESPACES {
        for plural in NAMESPACED {
            add(plural, Some(ns))?;
        }
    }
    Ok(out)
}

pub fn create_request(
    plural: &str,
    ns: Option<&str>,
    object: Value,
) -> Result<CreateRequest, String> {
    Ok(CreateRequest {
        resource: resource(plural)?,
        namespace: ns.map(str::to_string),
        object,
    })
}

/// Writes a reconciled object over the one it was computed from (its resourceVersion
/// guards the write); one changed or removed meanwhile is left for the next start.
pub fn update(
    server: &ApiServer,
    plural: &str,
    ns: Option<&str>,
    name: &str,
    object: Value,
) -> Result<(), String> {
    match server.update(
        resource(plural)?,
        ns,
        name,
        object,
        &WriteOptions::default(),
    ) {
        Ok(_) => Ok(()),
        Err(e) if e.code == 409 || e.code == 404 => Ok(()),
        Err(e) => Err(format!("cannot reconcile the RBAC policy: {}", e.message)),
    }
}

pub fn delete(
    server: &ApiServer,
    plural: &str,
    ns: Option<&str>,
    name: &str,
) -> Result<(), String> {
    match server.delete(resource(plural)?, ns, name, &DeleteOptions::default()) {
        Ok(_) => Ok(()),
        Err(e) if e.code == 404 => Ok(()),
        Err(e) => Err(format!("cannot reconcile the RBAC policy: {}", e.message)),
    }
}

pub fn resource(plural: &str) -> Result<&'static Resource, String> {
    registry::find(&format!("{plural}.rbac.authorization.k8s.io"))
        .ok_or_else(|| format!("no resource {plural}"))
}
