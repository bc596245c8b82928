//! The `autoscaling/v1` Scale view of a Deployment's or ReplicaSet's `spec.replicas`, as
//! `serve`'s scale subresource and the embedded cluster's scale patches present it.

use crate::api::selector::LabelSelector;
use serde_json::{Value, json};

/// A workload's selector: a LabelSelector, or a ReplicationController's plain label map.
fn selector(sel: &Value) -> Option<LabelSelector> {
    let structured = sel.get("matchLabels").is_some() || sel.get("matchExpressions").is_some();
    match sel.as_object() {
        Some(map) if !structured && !map.is_empty() => Some(LabelSelector::from_map(map)),
        _ => LabelSelector::from_object(sel).ok(),
    }
}

/// The Scale of an object.
pub fn scale_of(obj: &Value) -> Value {
    let meta = &obj["metadata"];
    let mut metadata = serde_json::Map::new();
    for k in [
        "name",
        "namespace",
        "uid",
        "resourceVersion",
        "creationTimestamp",
    ] {
        if let Some(v) = meta.get(k) {
            metadata.insert(k.to_string(), v.clone());
        }
    }
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": metadata,
        "spec": {"replicas": obj.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1)},
        "status": {
            "replicas": obj.pointer("/status/replicas").and_then(Value::as_i64).unwrap_or(0),
            "selector": obj.pointer("/spec/selector").and_then(selector).map(|s| s.to_string()).unwrap_or_default(),
        }
    })
}
