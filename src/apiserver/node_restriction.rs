//! NodeRestriction admission (`--enable-admission-plugins=NodeRestriction`): what the Node
//! authorizer lets a kubelet write, narrowed to its own node: its Node (no taints, no
//! labels outside the kubelet's set), its Lease and CSINode, mirror pods bound to it that
//! reference nothing, the status of its pods and claims, evictions of its pods, and tokens
//! bound to its pods. Refusals are 403s worded as kube-apiserver words them.

use super::ApiServer;
use super::node_authorizer::{self, MIRROR_ANNOTATION};
use super::webhooks::{Attributes, Operation};
use crate::api::json::str_at as s;
use crate::api::options::Requester;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use serde_json::Value;
use std::collections::BTreeSet;

/// The labels a kubelet may set on its own Node, and the namespaces of such labels.
const KUBELET_LABELS: &[&str] = &[
    "kubernetes.io/hostname",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
    "beta.kubernetes.io/instance-type",
    "node.kubernetes.io/instance-type",
    "kubernetes.io/os",
    "kubernetes.io/arch",
    "beta.kubernetes.io/os",
    "beta.kubernetes.io/arch",
];
const KUBELET_LABEL_NAMESPACES: &[&str] = &["kubelet.kubernetes.io", "node.kubernetes.io"];
/// A label namespace no kubelet may set: what the cluster's admin reserves for steering
/// workloads to nodes.
const RESTRICTED_NAMESPACE: &str = "node-restriction.kubernetes.io";

/// The node behind a request, when a node sent it.
pub fn node_of(requester: Option<&Requester>) -> Option<&str> {
    let r = requester?;
    node_authorizer::node_of(&r.name, &r.groups)
}

/// admission.NewForbidden: `<resource> "<name>" is forbidden: <why>` (the name of the
/// request, else of the object).
fn forbidden(r: &Resource, name: &str, why: impl std::fmt::Display) -> ApiError {
    let what = r.qualified_plural();
    let message = if name.is_empty() {
        format!("{what} is forbidden: {why}")
    } else {
        format!("{what} \"{name}\" is forbidden: {why}")
    };
    ApiError::new(403, "Forbidden", message)
}

fn operation_name(op: Operation) -> &'static str {
    match op {
        Operation::Create => "CREATE",
        Operation::Update => "UPDATE",
        Operation::Delete => "DELETE",
    }
}

impl ApiServer {
    /// NodeRestriction for a create, update or delete; `obj` is the object written (none
    /// for a delete). Writes from anyone but a node pass.
    pub(super) fn restrict_nodes(
        &self,
        attrs: &Attributes,
        obj: Option<&Value>,
    ) -> Result<(), ApiError> {
        let Some(node) = node_of(attrs.user) else {
            return Ok(());
        };
        let r = attrs.resource;
        let name = match attrs.name {
            "" => obj.map_or("", |o| s(o, "/metadata/name")),
            n => n,
        };
        let refuse = |why: String| Err(forbidden(r, name, why));
        if node.is_empty() {
            return refuse(format!(
                "could not determine node from user {:?}",
                attrs.user.map_or("", |u| u.name.as_str())
            ));
        }
        let empty = Value::Null;
        let obj = obj.unwrap_or(&empty);
        let old = attrs.old.unwrap_or(&empty);
        let op = attrs.operation;
        match (r.group, r.plural, attrs.subresource.unwrap_or("")) {
            ("", "pods", "") => match op {
                Operation::Create => mirror_pod(self, node, obj).or_else(refuse),
                Operation::Delete if s(old, "/spec/nodeName") != node => refuse(format!(
                    "node {node:?} can only delete pods with spec.nodeName set to itself"
                )),
                Operation::Delete => Ok(()),
                Operation::Update => refuse(format!(
                    "unexpected operation {:?}, node {node:?} can only create and delete mirror pods",
                    operation_name(op)
                )),
            },
            ("", "pods", "status") => match op {
                Operation::Update if s(old, "/spec/nodeName") != node => refuse(format!(
                    "node {node:?} can only update pod status for pods with spec.nodeName set to itself"
                )),
                Operation::Update if labels(old) != labels(obj) => refuse(format!(
                    "node {node:?} cannot update labels through pod status"
                )),
                Operation::Update
                    if old.pointer("/status/resourceClaimStatuses")
                        != obj.pointer("/status/resourceClaimStatuses") =>
                {
                    refuse(format!(
                        "node {node:?} cannot update resource claim statues"
                    ))
                }
                Operation::Update => Ok(()),
                _ => refuse(format!("unexpected operation {:?}", operation_name(op))),
            },
            ("", "pods", "eviction") => Ok(()),
            ("", "pods", other) => refuse(format!(
                "unexpected pod subresource {other:?}, only 'status' and 'eviction' are allowed"
            )),
            ("", "nodes", _) => own_node(node, attrs.name, name, op, obj, old).or_else(refuse),
            ("", "persistentvolumeclaims", "status") => match op {
                Operation::Update => claim_status(node, obj, old).or_else(refuse),
                _ => refuse(format!("unexpected operation {:?}", operation_name(op))),
            },
            ("", "persistentvolumeclaims", _) => refuse("may only update PVC status".into()),
            ("coordination.k8s.io", "leases", _) => {
                if attrs.namespace != Some("kube-node-lease") {
                    refuse(
                        "can only access leases in the \"kube-node-lease\" system namespace".into(),
                    )
                } else if name != node {
                    refuse(
                        "can only access node lease with the same name as the requesting node"
                            .into(),
                    )
                } else {
                    Ok(())
                }
            }
            ("storage.k8s.io", "csinodes", _) if name != node => {
                refuse("can only access CSINode with the same name as the requesting node".into())
            }
            _ => Ok(()),
        }
    }

    /// An eviction sent by a node: only of pods bound to it.
    pub(super) fn restrict_node_eviction(
        &self,
        requester: Option<&Requester>,
        namespace: &str,
        pod: &str,
    ) -> Result<(), ApiError> {
        let Some(node) = node_of(requester) else {
            return Ok(());
        };
        let pods = registry::find("pods").ok_or_else(|| ApiError::internal("no pods"))?;
        let existing = self.get(pods, Some(namespace), pod)?;
        if s(&existing, "/spec/nodeName") != node {
            return Err(forbidden(
                pods,
                pod,
                format!("node {node} can only evict pods with spec.nodeName set to itself"),
            ));
        }
        Ok(())
    }

    /// A TokenRequest sent by a node: bound to a pod (by uid) that runs on the node.
    pub fn restrict_node_token(
        &self,
        requester: Option<&Requester>,
        namespace: &str,
        account: &str,
        request: &Value,
    ) -> Result<(), ApiError> {
        let Some(node) = node_of(requester) else {
            return Ok(());
        };
        let accounts = registry::find("serviceaccounts")
            .ok_or_else(|| ApiError::internal("no serviceaccounts"))?;
        let refuse = |why: String| Err(forbidden(accounts, account, why));
        let bound = request
            .pointer("/spec/boundObjectRef")
            .unwrap_or(&Value::Null);
        if s(bound, "/apiVersion") != "v1"
            || s(bound, "/kind") != "Pod"
            || s(bound, "/name").is_empty()
        {
            return refuse("node requested token not bound to a pod".into());
        }
        let uid = s(bound, "/uid");
        if uid.is_empty() {
            return refuse("node requested token with a pod binding without a uid".into());
        }
        let pods = registry::find("pods").ok_or_else(|| ApiError::internal("no pods"))?;
        let pod = self.get(pods, Some(namespace), s(bound, "/name"))?;
        if s(&pod, "/metadata/uid") != uid {
            return refuse(format!(
                "the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated"
            ));
        }
        if s(&pod, "/spec/nodeName") != node {
            return refuse(
                "node requested token bound to a pod scheduled on a different node".into(),
            );
        }
        Ok(())
    }
}

fn labels(obj: &Value) -> Option<&Value> {
    obj.pointer("/metadata/labels")
        .filter(|l| l.as_object().is_some_and(|m| !m.is_empty()))
}

/// A mirror pod a node may create: annotated, bound to it, owned (as controller, without
/// blocking deletion) by its Node object, and referencing no other API object.
fn mirror_pod(server: &ApiServer, node: &str, pod: &Value) -> Result<(), String> {
    let has_annotation = pod
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(MIRROR_ANNOTATION))
        .is_some();
    if !has_annotation {
        return Err(format!(
            "pod does not have {MIRROR_ANNOTATION:?} annotation, node {node:?} can only create mirror pods"
        ));
    }
    if s(pod, "/spec/nodeName") != node {
        return Err(format!(
            "node {node:?} can only create pods with spec.nodeName set to itself"
        ));
    }
    let owners = pod
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let owner = match owners {
        [] => {
            return Err(format!(
                "node {node:?} can only create pods with an owner reference set to itself"
            ));
        }
        [one] => one,
        _ => {
            return Err(format!(
                "node {node:?} can only create pods with a single owner reference set to itself"
            ));
        }
    };
    if s(owner, "/apiVersion") != "v1" || s(owner, "/kind") != "Node" || s(owner, "/name") != node {
        return Err(format!(
            "node {node:?} can only create pods with an owner reference set to itself"
        ));
    }
    if owner.get("controller").and_then(Value::as_bool) != Some(true) {
        return Err(format!(
            "node {node:?} can only create pods with a controller owner reference set to itself"
        ));
    }
    if owner.get("blockOwnerDeletion").and_then(Value::as_bool) == Some(true) {
        return Err(format!(
            "node {node:?} must not set blockOwnerDeletion on an owner reference"
        ));
    }
    let nodes = registry::find("nodes").ok_or("no nodes")?;
    let uid = match server.get(nodes, None, node) {
        Ok(n) => s(&n, "/metadata/uid").to_string(),
        Err(e) => return Err(e.message),
    };
    if s(owner, "/uid") != uid {
        return Err(format!(
            "node {node} UID mismatch: expected {} got {uid}",
            s(owner, "/uid")
        ));
    }
    if !s(pod, "/spec/serviceAccountName").is_empty() {
        return Err(format!(
            "node {node:?} can not create pods that reference a service account"
        ));
    }
    if !node_authorizer::secrets(pod).is_empty() {
        return Err(format!(
            "node {node:?} can not create pods that reference secrets"
        ));
    }
    if !node_authorizer::config_maps(pod).is_empty() {
        return Err(format!(
            "node {node:?} can not create pods that reference configmaps"
        ));
    }
    let volumes = pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let trust_bundle = volumes.iter().any(|v| {
        v.pointer("/projected/sources")
            .and_then(Value::as_array)
            .is_some_and(|srcs| srcs.iter().any(|x| x.get("clusterTrustBundle").is_some()))
    });
    if trust_bundle {
        return Err(format!(
            "node {node:?} can not create pods that reference clustertrustbundles"
        ));
    }
    if volumes
        .iter()
        .any(|v| v.get("persistentVolumeClaim").is_some())
    {
        return Err(format!(
            "node {node:?} can not create pods that reference persistentvolumeclaims"
        ));
    }
    Ok(())
}

/// Its own Node only; created without a config source or labels outside the kubelet's
/// set; updated without changing its config source, taints or such labels.
fn own_node(
    node: &str,
    requested: &str,
    name: &str,
    op: Operation,
    obj: &Value,
    old: &Value,
) -> Result<(), String> {
    // A create names its node in the body (the request has no name).
    let requested = if op == Operation::Create {
        name
    } else {
        requested
    };
    if requested != node {
        return Err(format!(
            "node {node:?} is not allowed to modify node {requested:?}"
        ));
    }
    let config_source = |o: &Value| {
        o.pointer("/spec/configSource")
            .filter(|c| !c.is_null())
            .cloned()
    };
    match op {
        Operation::Create => {
            if config_source(obj).is_some() {
                return Err(format!(
                    "node {node:?} is not allowed to create pods with a non-nil configSource"
                ));
            }
            let forbidden = forbidden_labels(&modified_labels(obj, &Value::Null));
            if !forbidden.is_empty() {
                return Err(format!(
                    "node {node:?} is not allowed to set the following labels: {}",
                    forbidden.join(", ")
                ));
            }
        }
        Operation::Update => {
            if config_source(obj).is_some() && config_source(obj) != config_source(old) {
                return Err(format!(
                    "node {node:?} is not allowed to update configSource to a new non-nil configSource"
                ));
            }
            let taints = |o: &Value| {
                o.pointer("/spec/taints")
                    .filter(|t| t.as_array().is_some_and(|a| !a.is_empty()))
                    .cloned()
            };
            if taints(obj) != taints(old) {
                return Err(format!("node {node:?} is not allowed to modify taints"));
            }
            let forbidden = forbidden_labels(&modified_labels(obj, old));
            if !forbidden.is_empty() {
                return Err(format!(
                    "is not allowed to modify labels: {}",
                    forbidden.join(", ")
                ));
            }
        }
        Operation::Delete => {}
    }
    Ok(())
}

/// The label keys added, removed or changed between two objects.
fn modified_labels(new: &Value, old: &Value) -> BTreeSet<String> {
    let map = |o: &Value| {
        o.pointer("/metadata/labels")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (a, b) = (map(new), map(old));
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .chain(b.iter().filter(|(k, v)| a.get(*k) != Some(v)))
        .map(|(k, _)| k.clone())
        .collect()
}

fn label_namespace(key: &str) -> &str {
    key.split_once('/').map_or("", |(ns, _)| ns)
}

fn in_namespace(namespace: &str, domain: &str) -> bool {
    namespace == domain
        || namespace
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The modified labels a node may not set: the node-restriction namespace, and the
/// kubernetes.io / k8s.io labels outside the kubelet's own (sorted, as kube lists them).
fn forbidden_labels(modified: &BTreeSet<String>) -> Vec<String> {
    modified
        .iter()
        .filter(|key| {
            let ns = label_namespace(key);
            let kubernetes = in_namespace(ns, "kubernetes.io") || in_namespace(ns, "k8s.io");
            let kubelets = KUBELET_LABELS.contains(&key.as_str())
                || KUBELET_LABEL_NAMESPACES
                    .iter()
                    .any(|allowed| in_namespace(ns, allowed));
            in_namespace(ns, RESTRICTED_NAMESPACE) || (kubernetes && !kubelets)
        })
        .cloned()
        .collect()
}

/// A claim's status written by a node: only the capacity, conditions and the resizing
/// fields may change.
fn claim_status(node: &str, obj: &Value, old: &Value) -> Result<(), String> {
    let strip = |o: &Value| {
        let mut o = o.clone();
        if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("resourceVersion");
            meta.remove("managedFields");
        }
        if let Some(status) = o.get_mut("status").and_then(Value::as_object_mut) {
            for k in [
                "capacity",
                "conditions",
                "allocatedResourceStatuses",
                "allocatedResources",
            ] {
                status.remove(k);
            }
        }
        o
    };
    let (a, b) = (strip(old), strip(obj));
    if a == b {
        return Ok(());
    }
    let changed: Vec<&str> = ["metadata", "spec", "status"]
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    Err(format!(
        "node {node:?} is not allowed to update fields other than status.capacity and status.conditions: {} changed",
        changed.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn a_kubelet_may_set_its_own_labels_only() {
        let modified = set(&[
            "app",
            "example.com/tier",
            "kubernetes.io/hostname",
            "node.kubernetes.io/instance-type",
            "team.kubelet.kubernetes.io/x",
            "node-role.kubernetes.io/control-plane",
            "node-restriction.kubernetes.io/secure",
            "sub.k8s.io/thing",
            "topology.kubernetes.io/zone",
        ]);
        assert_eq!(
            forbidden_labels(&modified),
            [
                "node-restriction.kubernetes.io/secure",
                "node-role.kubernetes.io/control-plane",
                "sub.k8s.io/thing"
            ]
        );
    }
}
