//! Helpers shared by the workload describers: asking for a controller's pods and counting
//! them by phase.

use serde_json::Value;

use super::json::{at, s};
use super::meta::{controller_uid, format_label_selector};
use super::related::{Query, Slot, list_in};

/// Pod counts by phase: (running, waiting, succeeded, failed).
pub type PodCounts = (usize, usize, usize, usize);

/// The query for a workload's pods: those its selector matches, in its namespace.
pub fn pods_query(o: &Value) -> Query {
    let selector = format_label_selector(at(o, &["spec", "selector"]));
    list_in(
        Slot::Pods,
        "pods",
        s(o, &["metadata", "namespace"]),
        &selector,
    )
}

/// Counts by phase those of `pods` whose controller is the object with `uid`.
pub fn pod_status_counts(pods: &[Value], uid: &str) -> PodCounts {
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
    counts
}

/// The desired replica count (`spec.replicas`, which the API server defaults to 1).
pub fn desired_replicas(o: &Value) -> i64 {
    at(o, &["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}
