//! The node rules: what every kubelet may do whatever it runs (kube 1.32's `NodeRules`),
//! for the resources the Node authorizer does not judge object by object. The bootstrap
//! `system:node` ClusterRole holds the same list, so it is kept here once, in kube's order
//! and in the form RBAC stores it (groups, resources and verbs sorted). The
//! DynamicResourceAllocation and ClusterTrustBundle gates are off in 1.32 (and kubelite
//! serves neither kind), so their rules are not in it.

use super::super::authorizer::{Attributes, rule_allows};
use serde_json::{Value, json};
use std::sync::LazyLock;

fn rule(group: &str, resources: &[&str], verbs: &[&str]) -> Value {
    json!({"verbs": verbs, "apiGroups": [group], "resources": resources})
}

const READ: &[&str] = &["get", "list", "watch"];

static NODE_RULES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    vec![
        rule("authentication.k8s.io", &["tokenreviews"], &["create"]),
        rule(
            "authorization.k8s.io",
            &["localsubjectaccessreviews", "subjectaccessreviews"],
            &["create"],
        ),
        // Services, for the environment variables of the pods it runs.
        rule("", &["services"], READ),
        rule("", &["nodes"], &["create", "get", "list", "watch"]),
        rule("", &["nodes/status"], &["patch", "update"]),
        rule("", &["nodes"], &["patch", "update"]),
        // Core events only: kube has not given kubelets events.k8s.io.
        rule("", &["events"], &["create", "patch", "update"]),
        rule("", &["pods"], READ),
        // Mirror pods.
        rule("", &["pods"], &["create", "delete"]),
        rule("", &["pods/status"], &["patch", "update"]),
        rule("", &["pods/eviction"], &["create"]),
        rule("", &["configmaps", "secrets"], READ),
        rule(
            "",
            &["persistentvolumeclaims", "persistentvolumes"],
            &["get"],
        ),
        rule("", &["endpoints"], &["get"]),
        // Its own client certificate, rotated.
        rule(
            "certificates.k8s.io",
            &["certificatesigningrequests"],
            &["create", "get", "list", "watch"],
        ),
        rule(
            "coordination.k8s.io",
            &["leases"],
            &["create", "delete", "get", "patch", "update"],
        ),
        rule("storage.k8s.io", &["volumeattachments"], &["get"]),
        rule("", &["serviceaccounts/token"], &["create"]),
        rule(
            "",
            &["persistentvolumeclaims/status"],
            &["get", "patch", "update"],
        ),
        rule("storage.k8s.io", &["csidrivers"], READ),
        rule(
            "storage.k8s.io",
            &["csinodes"],
            &["create", "delete", "get", "patch", "update"],
        ),
        rule("node.k8s.io", &["runtimeclasses"], READ),
    ]
});

/// The node rules, in kube's order.
pub fn node_rules() -> Vec<Value> {
    NODE_RULES.clone()
}

/// Whether the node rules allow `what`.
pub fn allow(what: &Attributes) -> bool {
    NODE_RULES.iter().any(|r| rule_allows(r, what))
}
