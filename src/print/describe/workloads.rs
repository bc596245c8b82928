//! Helpers shared by the workload describers: counting a controller's pods by phase.

use serde_json::Value;

use super::Lookup;
use super::json::{at, s};
use super::meta::{controller_uid, format_label_selector};

/// Pod counts by phase: (running, waiting, succeeded, failed).
pub type PodCounts = (usize, usize, usize, usize);

/// Lists the pods matching `selector` in `namespace` and counts, by phase, those whose
/// controller is the object with `uid`.
pub fn pod_status_counts(
    lookup: &dyn Lookup,
    namespace: &str,
    selector: Option<&Value>,
    uid: &str,
) -> Result<PodCounts, String> {
    let sel = format_label_selector(selector);
    let pods = lookup.list(
        "pods",
        Some(namespace),
        if sel.is_empty() { None } else { Some(&sel) },
        None,
    )?;
    let mut counts = (0, 0, 0, 0);
    for pod in pods.iter().filter(|p| controller_uid(p) == Some(uid)) {
        match s(pod, &["status", "phase"]) {
            "Running" => counts.0 += 1,
            "Pending" => counts.1 += 1,
            "Succeeded" => counts.2 += 1,
            "Failed" => counts.3 += 1,
            _ => {}
        }
    }
    Ok(counts)
}

/// The desired replica count (`spec.replicas`, which the API server defaults to 1).
pub fn desired_replicas(o: &Value) -> i64 {
    at(o, &["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}
