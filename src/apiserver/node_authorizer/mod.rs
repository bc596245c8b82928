//! kube-apiserver's Node authorizer (`--authorization-mode=Node,RBAC`): a kubelet,
//! identified as user `system:node:<name>` in group `system:nodes`, may read only what
//! the pods bound to its node need (their secrets, config maps, claims and volumes, and
//! tokens of their service accounts), its own Node and Lease, and what every kubelet needs
//! (the node rules). Where it has no opinion it says why, and RBAC decides next; writes it
//! lets through (nodes, mirror pods, pod status) are narrowed by NodeRestriction admission.
//!
//! kube keeps a graph of pods, claims and volumes fed by informers; kubelite asks the
//! store the same questions when a node asks, which gives the same answers.

mod references;
mod rules;

pub use references::{config_maps, secrets};
pub use rules::node_rules;

use super::ApiServer;
use super::authorizer::{Attributes, ResourceAttributes, User};
use crate::api::json::str_at as s;
use crate::api::options::ListOptions;
use crate::api::registry;
use serde_json::Value;

/// The user name prefix and group that make a user a node.
pub const NODE_USER_PREFIX: &str = "system:node:";
pub const NODES_GROUP: &str = "system:nodes";
/// The annotation a kubelet puts on the pods it mirrors from static manifests.
pub const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// The namespace of the nodes' heartbeat leases.
const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";

/// The node a user is, when it is one: `Some("")` for a node user with no name.
pub fn node_of<'a>(user_name: &'a str, groups: &[String]) -> Option<&'a str> {
    let name = user_name.strip_prefix(NODE_USER_PREFIX)?;
    groups.iter().any(|g| g == NODES_GROUP).then_some(name)
}

/// What an authorizer in the chain says: allow, or pass to the next one with a reason
/// (possibly empty) that the 403 and the access reviews repeat.
#[derive(Debug, Clone, PartialEq)]
pub enum Opinion {
    Allow,
    NoOpinion(String),
}

fn no(reason: impl Into<String>) -> Opinion {
    Opinion::NoOpinion(reason.into())
}

/// The kinds of objects a node reaches through its pods.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Vertex {
    Pod,
    Secret,
    ConfigMap,
    Claim,
    Volume,
    ServiceAccount,
    Attachment,
}

impl ApiServer {
    /// The Node authorizer's opinion of `what` asked by `user`; `None` when the user is
    /// not a node (the authorizer stays silent).
    pub fn node_opinion(&self, user: &User, what: &Attributes) -> Option<Opinion> {
        let node = node_of(&user.name, &user.groups)?;
        if node.is_empty() {
            return Some(no(format!("unknown node for user {:?}", user.name)));
        }
        let opinion = match &what.resource {
            Some(r) => self.on_resource(node, &what.verb, r),
            None => None,
        };
        Some(opinion.unwrap_or_else(|| {
            if rules::allow(what) {
                Opinion::Allow
            } else {
                no("")
            }
        }))
    }

    /// The subdivided resources' opinion; `None` for the rest, which the node rules judge.
    fn on_resource(&self, node: &str, verb: &str, r: &ResourceAttributes) -> Option<Opinion> {
        Some(match (r.group.as_str(), r.resource.as_str()) {
            ("", "secrets") => self.read_namespaced(node, Vertex::Secret, verb, r),
            ("", "configmaps") => self.read_namespaced(node, Vertex::ConfigMap, verb, r),
            ("", "persistentvolumeclaims") if r.subresource == "status" => match verb {
                "update" | "patch" => self.related(node, Vertex::Claim, r),
                _ => no("can only get/update/patch this type"),
            },
            ("", "persistentvolumeclaims") => self.get_only(node, Vertex::Claim, verb, r),
            ("", "persistentvolumes") => self.get_only(node, Vertex::Volume, verb, r),
            ("storage.k8s.io", "volumeattachments") => {
                self.get_only(node, Vertex::Attachment, verb, r)
            }
            ("", "serviceaccounts") => self.create_token(node, verb, r),
            ("coordination.k8s.io", "leases") => own_object(node, verb, r, Lease),
            ("storage.k8s.io", "csinodes") => own_object(node, verb, r, CsiNode),
            ("", "nodes") => own_node(node, verb, r),
            ("", "pods") => self.pods(node, verb, r)?,
            _ => return None,
        })
    }

    fn read_namespaced(
        &self,
        node: &str,
        vertex: Vertex,
        verb: &str,
        r: &ResourceAttributes,
    ) -> Opinion {
        if !matches!(verb, "get" | "list" | "watch") {
            return no("can only read resources of this type");
        }
        if !r.subresource.is_empty() {
            return no("cannot read subresource");
        }
        if r.namespace.is_empty() {
            return no("can only read namespaced object of this type");
        }
        self.related(node, vertex, r)
    }

    fn get_only(&self, node: &str, vertex: Vertex, verb: &str, r: &ResourceAttributes) -> Opinion {
        if verb != "get" {
            return no("can only get individual resources of this type");
        }
        if !r.subresource.is_empty() {
            return no("cannot get subresource");
        }
        self.related(node, vertex, r)
    }

    fn create_token(&self, node: &str, verb: &str, r: &ResourceAttributes) -> Opinion {
        if verb != "create" || r.name.is_empty() {
            return no("can only create tokens for individual service accounts");
        }
        if r.subresource != "token" {
            return no("can only create token subresource of serviceaccount");
        }
        self.related(node, Vertex::ServiceAccount, r)
    }

    /// Pods (with AuthorizeNodeWithSelectors, on by default since 1.32): one related pod,
    /// lists and watches of the node's own pods by field selector; mirror pods' create and
    /// delete, status updates and evictions pass to NodeRestriction.
    fn pods(&self, node: &str, verb: &str, r: &ResourceAttributes) -> Option<Opinion> {
        Some(match (r.subresource.as_str(), verb) {
            ("", "get") => self.get_only(node, Vertex::Pod, verb, r),
            ("", "list" | "watch") => {
                if r.field_selector
                    .iter()
                    .any(|(f, v)| f == "spec.nodeName" && v == node)
                {
                    Opinion::Allow
                } else if !r.name.is_empty() {
                    self.related(node, Vertex::Pod, r)
                } else {
                    no("can only list/watch pods with spec.nodeName field selector")
                }
            }
            ("", "create" | "delete") | ("status", "update" | "patch") | ("eviction", "create") => {
                Opinion::Allow
            }
            _ => no(""),
        })
    }

    /// Whether the named object is reachable from `node` through the pods bound to it.
    fn related(&self, node: &str, vertex: Vertex, r: &ResourceAttributes) -> Opinion {
        if r.name.is_empty() {
            return no("No Object name found");
        }
        if self.reaches(node, vertex, &r.namespace, &r.name) {
            Opinion::Allow
        } else {
            no(format!(
                "no relationship found between node '{node}' and this object"
            ))
        }
    }

    fn reaches(&self, node: &str, vertex: Vertex, namespace: &str, name: &str) -> bool {
        match vertex {
            Vertex::Pod => self
                .object("pods", Some(namespace), name)
                .is_some_and(|p| s(&p, "/spec/nodeName") == node),
            Vertex::Attachment => self
                .object("volumeattachments.storage.k8s.io", None, name)
                .is_some_and(|va| s(&va, "/spec/nodeName") == node),
            Vertex::Volume => self
                .object("persistentvolumes", None, name)
                .is_some_and(|pv| self.volume_reaches(node, &pv)),
            Vertex::Secret => {
                self.any_pod_names(node, namespace, vertex, name)
                    || self.volumes().iter().any(|pv| {
                        references::volume_secrets(pv)
                            .iter()
                            .any(|(ns, n)| ns == namespace && n == name)
                            && self.volume_reaches(node, pv)
                    })
            }
            Vertex::ConfigMap | Vertex::Claim | Vertex::ServiceAccount => {
                self.any_pod_names(node, namespace, vertex, name)
            }
        }
    }

    /// A volume is reachable through the claim it is bound to.
    fn volume_reaches(&self, node: &str, pv: &Value) -> bool {
        let ns = s(pv, "/spec/claimRef/namespace");
        let claim = s(pv, "/spec/claimRef/name");
        !claim.is_empty() && self.any_pod_names(node, ns, Vertex::Claim, claim)
    }

    /// Whether a pod bound to `node` in `namespace` names the object. Mirror pods link to
    /// their node only: a node must not gain access by creating one.
    fn any_pod_names(&self, node: &str, namespace: &str, vertex: Vertex, name: &str) -> bool {
        let Some(pods) = registry::find("pods") else {
            return false;
        };
        let opts = ListOptions {
            field_selector: Some(format!("spec.nodeName={node}")),
            ..Default::default()
        };
        let mut found = false;
        let _ = self.visit_list(pods, Some(namespace), &opts, &mut |pod| {
            if found
                || s(&pod, "/spec/nodeName") != node
                || pod
                    .pointer("/metadata/annotations")
                    .and_then(|a| a.get(MIRROR_ANNOTATION))
                    .is_some()
            {
                return;
            }
            found = match vertex {
                Vertex::Secret => secrets(&pod).iter().any(|n| n == name),
                Vertex::ConfigMap => config_maps(&pod).iter().any(|n| n == name),
                Vertex::Claim => references::claims(&pod).iter().any(|n| n == name),
                Vertex::ServiceAccount => s(&pod, "/spec/serviceAccountName") == name,
                _ => false,
            };
        });
        found
    }

    fn object(&self, plural: &str, namespace: Option<&str>, name: &str) -> Option<Value> {
        let r = registry::find(plural)?;
        self.get(r, namespace, name).ok()
    }

    fn volumes(&self) -> Vec<Value> {
        let Some(r) = registry::find("persistentvolumes") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let _ = self.visit_list(r, None, &ListOptions::default(), &mut |pv| out.push(pv));
        out
    }
}

/// The objects a node may touch only under its own name (its Lease, its CSINode).
#[derive(Clone, Copy)]
enum Own {
    Lease,
    CsiNode,
}
use Own::{CsiNode, Lease};

fn own_object(node: &str, verb: &str, r: &ResourceAttributes, kind: Own) -> Opinion {
    if !matches!(verb, "get" | "create" | "update" | "patch" | "delete") {
        return no(match kind {
            Lease => "can only get, create, update, patch, or delete a node lease",
            CsiNode => "can only get, create, update, patch, or delete a CSINode",
        });
    }
    match kind {
        Lease if r.namespace != NODE_LEASE_NAMESPACE => {
            return no(format!(
                "can only access leases in the {NODE_LEASE_NAMESPACE:?} system namespace"
            ));
        }
        CsiNode if !r.subresource.is_empty() => {
            return no("cannot authorize CSINode subresources");
        }
        _ => {}
    }
    // The name of a create is in the body, which NodeRestriction checks.
    if verb != "create" && r.name != node {
        return no(match kind {
            Lease => "can only access node lease with the same name as the requesting node",
            CsiNode => "can only access CSINode with the same name as the requesting node",
        });
    }
    Opinion::Allow
}

/// Its own Node: read by name (even before it exists); writes pass to NodeRestriction.
fn own_node(node: &str, verb: &str, r: &ResourceAttributes) -> Opinion {
    match (r.subresource.as_str(), verb) {
        ("", "create" | "update" | "patch") | ("status", "update" | "patch") => Opinion::Allow,
        ("", "get" | "list" | "watch") if r.name == node => Opinion::Allow,
        ("", "get" | "list" | "watch") if r.name.is_empty() => no(format!(
            "node '{node}' cannot read all nodes, only its own Node object"
        )),
        ("", "get" | "list" | "watch") => no(format!(
            "node '{node}' cannot read '{}', only its own Node object",
            r.name
        )),
        _ => no(""),
    }
}

#[cfg(test)]
mod tests;
