//! Output: kustomize's legacy order (a fixed kind order first and last, everything else by
//! group, version and kind, then namespace and name), printed as kubectl prints YAML.

use super::Res;
use super::load::{group, version};
use serde_json::Value;

const FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

const LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The kind's rank: negative for the first kinds, 0 for the rest, positive for the last.
fn rank(kind: &str) -> isize {
    if let Some(i) = FIRST.iter().position(|k| *k == kind) {
        return i as isize - FIRST.len() as isize;
    }
    LAST.iter()
        .position(|k| *k == kind)
        .map_or(0, |i| i as isize + 1)
}

/// kustomize's text of a group, version and kind, with `~G`, `~V`, `~K` for the empty ones.
fn gvk_text(r: &Res) -> String {
    let or = |s: &str, none: &str| {
        if s.is_empty() {
            none.to_string()
        } else {
            s.to_string()
        }
    };
    let av = r.api_version();
    format!(
        "{}_{}_{}",
        or(group(av), "~G"),
        or(version(av), "~V"),
        or(r.kind(), "~K")
    )
}

/// Sorts in place (stable, as Go's sort.Stable... kustomize sorts ids, which are unique).
pub fn legacy_sort(all: &mut [Res]) {
    all.sort_by_cached_key(|r| {
        let ns = if r.namespace().is_empty() {
            "~X".to_string()
        } else {
            r.namespace().to_string()
        };
        (rank(r.kind()), gvk_text(r), ns, r.name().to_string())
    });
}

/// The objects as one YAML stream, `---` between them.
pub fn print(objects: &[Value]) -> String {
    objects
        .iter()
        .map(crate::print::yaml::to_yaml)
        .collect::<Vec<_>>()
        .join("---\n")
}
