//! `kubectl describe daemonset` (kubectl prints no Namespace line for it).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{at, int, s};
use super::meta::{annotations_block, format_label_selector, format_labels, labels_block};
use super::related::{Query, Related};
use super::template::pod_template;
use super::workloads::{pod_status_counts, pods_query};
use super::writer::Out;

/// The DaemonSet's pods (kubectl gives up without them), then its events.
pub fn plan(ds: &Value, show_events: bool) -> Vec<Query> {
    let mut plan = vec![pods_query(ds).required()];
    if show_events {
        plan.push(query_for(ds, "DaemonSet"));
    }
    plan
}

pub fn render(ds: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(ds, &["metadata", "name"]);
    let uid = s(ds, &["metadata", "uid"]);
    let pods = related.pods.as_deref().unwrap_or_default();
    let (running, waiting, succeeded, failed) = pod_status_counts(pods, uid);
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(at(ds, &["spec", "selector"]))
        ),
    );
    let node_selector = format_labels(at(ds, &["spec", "template", "spec", "nodeSelector"]));
    w.w(
        0,
        &format!(
            "Node-Selector:\t{}\n",
            if node_selector.is_empty() {
                "<none>"
            } else {
                &node_selector
            }
        ),
    );
    labels_block(&mut w, "Labels", at(ds, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(ds, &["metadata", "annotations"]));
    let status = |k: &str| int(ds, &["status", k]);
    w.w(
        0,
        &format!(
            "Desired Number of Nodes Scheduled: {}\n",
            status("desiredNumberScheduled")
        ),
    );
    w.w(
        0,
        &format!(
            "Current Number of Nodes Scheduled: {}\n",
            status("currentNumberScheduled")
        ),
    );
    w.w(
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            status("updatedNumberScheduled")
        ),
    );
    w.w(
        0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            status("numberAvailable")
        ),
    );
    w.w(
        0,
        &format!(
            "Number of Nodes Misscheduled: {}\n",
            status("numberMisscheduled")
        ),
    );
    w.w(0, &format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"));
    pod_template(&mut w, at(ds, &["spec", "template"]));
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}
