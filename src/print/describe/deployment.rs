//! `kubectl describe deployment`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, int, int_or_string, s};
use super::meta::{
    annotations_block, controller_uid, format_label_selector, labels_block, selector_or_none,
};
use super::related::{Query, Related, Slot, list_in};
use super::replicaset::conditions;
use super::template::pod_template;
use super::time::{parse, rfc1123};
use super::workloads::desired_replicas;
use super::writer::Out;

/// The label the deployment controller adds to each ReplicaSet's template.
const HASH_LABEL: &str = "pod-template-hash";

/// The Deployment's events, then the ReplicaSets its selector matches (kubectl's order).
pub fn plan(d: &Value, show_events: bool) -> Vec<Query> {
    let mut plan = Vec::new();
    if show_events {
        plan.push(query_for(d, "Deployment"));
    }
    let selector = format_label_selector(at(d, &["spec", "selector"]));
    plan.push(list_in(
        Slot::ReplicaSets,
        "replicasets",
        s(d, &["metadata", "namespace"]),
        &selector,
    ));
    plan
}

pub fn render(d: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(d, &["metadata", "name"]);
    let namespace = s(d, &["metadata", "namespace"]);
    let replica_sets = related
        .replica_sets
        .as_deref()
        .map(|all| owned_replica_sets(d, all));
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{namespace}\n"));
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123(d, &["metadata", "creationTimestamp"])
        ),
    );
    labels_block(&mut w, "Labels", at(d, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(d, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            selector_or_none(at(d, &["spec", "selector"]))
        ),
    );
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            desired_replicas(d),
            int(d, &["status", "updatedReplicas"]),
            int(d, &["status", "replicas"]),
            int(d, &["status", "availableReplicas"]),
            int(d, &["status", "unavailableReplicas"])
        ),
    );
    w.w(
        0,
        &format!("StrategyType:\t{}\n", s(d, &["spec", "strategy", "type"])),
    );
    w.w(
        0,
        &format!(
            "MinReadySeconds:\t{}\n",
            int(d, &["spec", "minReadySeconds"])
        ),
    );
    if let Some(ru) = at(d, &["spec", "strategy", "rollingUpdate"]).filter(|v| v.is_object()) {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(at(ru, &["maxUnavailable"])),
                int_or_string(at(ru, &["maxSurge"]))
            ),
        );
    }
    pod_template(&mut w, at(d, &["spec", "template"]));
    conditions(&mut w, arr(d, &["status", "conditions"]));
    // kubectl leaves both lines out when the deployment owns no ReplicaSet at all.
    if let Ok((old, new)) = replica_sets
        && (new.is_some() || !old.is_empty())
    {
        w.w(0, &format!("OldReplicaSets:\t{}\n", replica_set_list(&old)));
        w.w(
            0,
            &format!(
                "NewReplicaSet:\t{}\n",
                replica_set_list(&new.into_iter().collect::<Vec<_>>())
            ),
        );
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// `name (2/3 replicas created), ...` or `<none>`.
fn replica_set_list(list: &[Value]) -> String {
    if list.is_empty() {
        return "<none>".to_string();
    }
    list.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                s(rs, &["metadata", "name"]),
                int(rs, &["status", "replicas"]),
                desired_replicas(rs)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The template with the controller's hash label removed, for comparing.
fn without_hash(template: Option<&Value>) -> Value {
    let mut t = template.cloned().unwrap_or(Value::Null);
    if let Some(labels) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove(HASH_LABEL);
        if labels.is_empty()
            && let Some(meta) = t.pointer_mut("/metadata").and_then(Value::as_object_mut)
        {
            meta.remove("labels");
        }
    }
    t
}

/// The deployment's ReplicaSets split into (every old one, oldest first; the new one):
/// the new one is the oldest whose template equals the deployment's, ignoring the hash.
fn owned_replica_sets(d: &Value, all: &[Value]) -> (Vec<Value>, Option<Value>) {
    let uid = s(d, &["metadata", "uid"]);
    let mut owned: Vec<Value> = all
        .iter()
        .filter(|rs| controller_uid(rs) == Some(uid))
        .cloned()
        .collect();
    owned.sort_by(|a, b| {
        let ta = parse(at(a, &["metadata", "creationTimestamp"]));
        let tb = parse(at(b, &["metadata", "creationTimestamp"]));
        ta.cmp(&tb)
            .then_with(|| s(a, &["metadata", "name"]).cmp(s(b, &["metadata", "name"])))
    });
    let wanted = without_hash(at(d, &["spec", "template"]));
    let new_index = owned
        .iter()
        .position(|rs| without_hash(at(rs, &["spec", "template"])) == wanted);
    let new = new_index.map(|i| owned.remove(i));
    (owned, new)
}
