//! Output: kustomize's legacy order (a fixed kind order first and last, everything else by
//! group, version and kind, then namespace and name), printed as kubectl prints YAML.

use super::load::{group, version};
use super::{Error, Res};
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
fn rank(kind: &str, first: &[&str], last: &[&str]) -> isize {
    if let Some(i) = first.iter().position(|k| *k == kind) {
        return i as isize - first.len() as isize;
    }
    last.iter()
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

/// The top kustomization's `sortOptions`: `fifo` keeps the build's order; `legacy` (the
/// default) sorts, with its own first and last kinds when given.
pub fn sort(all: &mut [Res], options: Option<&Value>) -> Result<(), Error> {
    let Some(options) = options.filter(|o| !o.is_null()) else {
        legacy_sort(all, FIRST, LAST);
        return Ok(());
    };
    let kinds = |f: &str| -> Vec<String> {
        options["legacySortOptions"][f]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    match options["order"].as_str().unwrap_or("") {
        "fifo" => Ok(()),
        "legacy" | "" => {
            let first = kinds("orderFirst");
            let last = kinds("orderLast");
            if first.is_empty() && last.is_empty() {
                legacy_sort(all, FIRST, LAST);
            } else {
                let first: Vec<&str> = first.iter().map(String::as_str).collect();
                let last: Vec<&str> = last.iter().map(String::as_str).collect();
                legacy_sort(all, &first, &last);
            }
            Ok(())
        }
        _ => Err(Error::Kustomize(
            "the field 'sortOptions.order' must be one of [fifo, legacy]".to_string(),
        )),
    }
}

/// Sorts in place by kind rank, group/version/kind, namespace and name.
fn legacy_sort(all: &mut [Res], first: &[&str], last: &[&str]) {
    all.sort_by_cached_key(|r| {
        let ns = if r.namespace().is_empty() {
            "~X".to_string()
        } else {
            r.namespace().to_string()
        };
        (
            rank(r.kind(), first, last),
            gvk_text(r),
            ns,
            r.name().to_string(),
        )
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
