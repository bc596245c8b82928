//! Deployment, ReplicaSet and DaemonSet defaults (apps/v1), including their pod templates.

use super::order::{TOP_LEVEL, insert_ordered, normalize_meta, object_at, reorder, sort_map_at};
use super::pod::default_pod_spec;
use serde_json::{Map, Value, json};

const DEPLOYMENT_SPEC: &[&str] = &[
    "replicas",
    "selector",
    "template",
    "strategy",
    "minReadySeconds",
    "revisionHistoryLimit",
    "paused",
    "progressDeadlineSeconds",
];
const REPLICA_SET_SPEC: &[&str] = &["replicas", "minReadySeconds", "selector", "template"];
const DAEMON_SET_SPEC: &[&str] = &[
    "selector",
    "template",
    "updateStrategy",
    "minReadySeconds",
    "revisionHistoryLimit",
];
const STRATEGY: &[&str] = &["type", "rollingUpdate"];
const ROLLING: &[&str] = &["maxUnavailable", "maxSurge"];
const TEMPLATE: &[&str] = &["metadata", "spec"];
const SELECTOR: &[&str] = &["matchLabels", "matchExpressions"];

fn spec_of(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let o = obj.as_object_mut()?;
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    object_at(o, TOP_LEVEL, "spec")
}

/// Template metadata always carries `creationTimestamp: null` (a zero time in Go).
pub(super) fn default_template(spec: &mut Map<String, Value>) {
    let Some(t) = object_at(spec, &["selector", "template"], "template") else {
        return;
    };
    if let Some(md) = object_at(t, TEMPLATE, "metadata") {
        insert_ordered(
            md,
            super::order::OBJECT_META,
            "creationTimestamp",
            Value::Null,
        );
        normalize_meta(md);
    }
    if let Some(ps) = object_at(t, TEMPLATE, "spec") {
        default_pod_spec(ps);
    }
    reorder(t, TEMPLATE);
}

pub(super) fn default_selector(spec: &mut Map<String, Value>) {
    if let Some(sel) = spec.get_mut("selector").and_then(Value::as_object_mut) {
        sort_map_at(sel, "matchLabels");
        reorder(sel, SELECTOR);
    }
}

pub fn default_deployment(obj: &mut Value) {
    let Some(spec) = spec_of(obj) else {
        return;
    };
    insert_ordered(spec, DEPLOYMENT_SPEC, "replicas", json!(1));
    default_selector(spec);
    default_template(spec);
    if let Some(strategy) = object_at(spec, DEPLOYMENT_SPEC, "strategy") {
        insert_ordered(strategy, STRATEGY, "type", json!("RollingUpdate"));
        if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate")
            && let Some(ru) = object_at(strategy, STRATEGY, "rollingUpdate")
        {
            insert_ordered(ru, ROLLING, "maxUnavailable", json!("25%"));
            insert_ordered(ru, ROLLING, "maxSurge", json!("25%"));
        }
    }
    insert_ordered(spec, DEPLOYMENT_SPEC, "revisionHistoryLimit", json!(10));
    insert_ordered(spec, DEPLOYMENT_SPEC, "progressDeadlineSeconds", json!(600));
    reorder(spec, DEPLOYMENT_SPEC);
}

pub fn default_replica_set(obj: &mut Value) {
    let Some(spec) = spec_of(obj) else {
        return;
    };
    insert_ordered(spec, REPLICA_SET_SPEC, "replicas", json!(1));
    default_selector(spec);
    default_template(spec);
    reorder(spec, REPLICA_SET_SPEC);
}

pub fn default_daemon_set(obj: &mut Value) {
    let Some(spec) = spec_of(obj) else {
        return;
    };
    default_selector(spec);
    default_template(spec);
    if let Some(us) = object_at(spec, DAEMON_SET_SPEC, "updateStrategy") {
        insert_ordered(us, STRATEGY, "type", json!("RollingUpdate"));
        if us.get("type").and_then(Value::as_str) == Some("RollingUpdate")
            && let Some(ru) = object_at(us, STRATEGY, "rollingUpdate")
        {
            insert_ordered(ru, ROLLING, "maxUnavailable", json!(1));
            insert_ordered(ru, ROLLING, "maxSurge", json!(0));
        }
    }
    insert_ordered(spec, DAEMON_SET_SPEC, "revisionHistoryLimit", json!(10));
    reorder(spec, DAEMON_SET_SPEC);
}

/// On create: generation 1 and the empty status each kind serializes.
pub fn prepare_for_create(kind: &str, obj: &mut Value) {
    let status = match kind {
        "Deployment" => json!({}),
        "ReplicaSet" => json!({"replicas": 0}),
        "DaemonSet" => json!({
            "currentNumberScheduled": 0,
            "numberMisscheduled": 0,
            "desiredNumberScheduled": 0,
            "numberReady": 0
        }),
        _ => return,
    };
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = object_at(o, TOP_LEVEL, "metadata") {
        meta.insert("generation".into(), json!(1));
        normalize_meta(meta);
    }
    o.insert("status".into(), status);
}
