//! The node rules: what every kubelet may do whatever it runs (kube's `NodeRules`, the
//! same rules as the `system:node` ClusterRole), for the resources the Node authorizer does
//! not judge object by object.

use super::super::authorizer::{Attributes, rule_allows};
use serde_json::{Value, json};
use std::sync::LazyLock;

fn rule(group: &str, resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": [group], "resources": resources, "verbs": verbs})
}

const READ: &[&str] = &["get", "list", "watch"];

static NODE_RULES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    vec![
        rule("authentication.k8s.io", &["tokenreviews"], &["create"]),
        rule(
            "authorization.k8s.io",
            &["subjectaccessreviews", "localsubjectaccessreviews"],
            &["create"],
        ),
        // Services, for the environment variables of the pods it runs.
        rule("", &["services"], READ),
        rule("", &["nodes"], &["create", "get", "list", "watch"]),
        rule("", &["nodes/status"], &["update", "patch"]),
        rule("", &["nodes"], &["update", "patch"]),
        json!({"apiGroups": ["", "events.k8s.io"], "resources": ["events"],
            "verbs": ["create", "update", "patch"]}),
        rule("", &["pods"], READ),
        rule("", &["pods"], &["create", "delete"]),
        rule("", &["pods/status"], &["update", "patch"]),
        rule("", &["pods/eviction"], &["create"]),
        rule("", &["secrets", "configmaps"], READ),
        rule(
            "",
            &["persistentvolumeclaims", "persistentvolumes"],
            &["get"],
        ),
        rule("", &["endpoints"], &["get"]),
        rule(
            "certificates.k8s.io",
            &["certificatesigningrequests"],
            &["create", "get", "list", "watch"],
        ),
        rule(
            "coordination.k8s.io",
            &["leases"],
            &["get", "create", "update", "patch", "delete"],
        ),
        rule("storage.k8s.io", &["volumeattachments"], &["get"]),
        rule("", &["serviceaccounts/token"], &["create"]),
        rule(
            "",
            &["persistentvolumeclaims/status"],
            &["get", "update", "patch"],
        ),
        rule("storage.k8s.io", &["csidrivers"], READ),
        rule(
            "storage.k8s.io",
            &["csinodes"],
            &["get", "create", "update", "patch", "delete"],
        ),
        rule("node.k8s.io", &["runtimeclasses"], READ),
    ]
});

/// Whether the node rules allow `what`.
pub fn allow(what: &Attributes) -> bool {
    NODE_RULES.iter().any(|r| rule_allows(r, what))
}
