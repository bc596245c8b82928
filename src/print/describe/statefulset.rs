//! `kubectl describe statefulset`: replicas, update strategy, pod counts, the pod template
//! and the volume claim templates.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, int, int_or_string, s, string_map};
use super::meta::{annotations_block, format_label_selector, labels_block};
use super::related::{Query, Related};
use super::template::pod_template;
use super::time::rfc1123;
use super::workloads::{desired_replicas, pod_status_counts, pods_query};
use super::writer::Out;
use crate::print::columns::storage_class_of;

/// The StatefulSet's pods (kubectl gives up without them), then its events.
pub fn plan(sts: &Value, show_events: bool) -> Vec<Query> {
    let mut plan = vec![pods_query(sts).required()];
    if show_events {
        plan.push(query_for(sts, "StatefulSet"));
    }
    plan
}

pub fn render(sts: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let pods = related.pods.as_deref().unwrap_or_default();
    let (running, waiting, succeeded, failed) =
        pod_status_counts(pods, s(sts, &["metadata", "uid"]));
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(sts, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(sts, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123(sts, &["metadata", "creationTimestamp"])
        ),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(at(sts, &["spec", "selector"]))
        ),
    );
    labels_block(&mut w, "Labels", at(sts, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(sts, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} total\n",
            desired_replicas(sts),
            int(sts, &["status", "replicas"])
        ),
    );
    w.w(
        0,
        &format!(
            "Update Strategy:\t{}\n",
            s(sts, &["spec", "updateStrategy", "type"])
        ),
    );
    if let Some(ru) =
        at(sts, &["spec", "updateStrategy", "rollingUpdate"]).filter(|v| v.is_object())
        && let Some(partition) = at(ru, &["partition"]).and_then(Value::as_i64)
    {
        w.w(1, &format!("Partition:\t{partition}\n"));
        if let Some(mu) = at(ru, &["maxUnavailable"]).filter(|v| !v.is_null()) {
            w.w(
                1,
                &format!("MaxUnavailable:\t{}\n", int_or_string(Some(mu))),
            );
        }
    }
    w.w(0, &format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"));
    pod_template(&mut w, at(sts, &["spec", "template"]));
    claim_templates(&mut w, arr(sts, &["spec", "volumeClaimTemplates"]));
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// `Volume Claims:` with each template's class, labels, annotations, size and modes.
fn claim_templates(w: &mut Out, claims: &[Value]) {
    if claims.is_empty() {
        w.w(0, "Volume Claims:\t<none>\n");
        return;
    }
    w.w(0, "Volume Claims:\n");
    for pvc in claims {
        w.w(1, &format!("Name:\t{}\n", s(pvc, &["metadata", "name"])));
        w.w(1, &format!("StorageClass:\t{}\n", storage_class_of(pvc)));
        indented_pairs(w, "Labels", at(pvc, &["metadata", "labels"]));
        indented_pairs(w, "Annotations", at(pvc, &["metadata", "annotations"]));
        let capacity = match at(pvc, &["spec", "resources", "requests", "storage"]) {
            Some(q) if !q.is_null() => super::json::scalar(q),
            _ => "<default>".to_string(),
        };
        w.w(1, &format!("Capacity:\t{capacity}\n"));
        let modes: Vec<String> = arr(pvc, &["spec", "accessModes"])
            .iter()
            .map(super::json::scalar)
            .collect();
        w.w(1, &format!("Access Modes:\t[{}]\n", modes.join(" ")));
    }
}

/// `  Title:\tk=v` with more pairs under the value column, two spaces in.
fn indented_pairs(w: &mut Out, title: &str, map: Option<&Value>) {
    let pairs = map.map(|m| string_map(m, &[])).unwrap_or_default();
    w.w(0, &format!("  {title}:\t"));
    if pairs.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            w.w(0, "  \t");
        }
        w.w(0, &format!("{k}={v}\n"));
    }
}
