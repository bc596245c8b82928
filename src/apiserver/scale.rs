//! The `autoscaling/v1` Scale view of a Deployment's or ReplicaSet's `spec.replicas`, as
//! `serve`'s scale subresource and the embedded cluster's scale patches present it.

use crate::api::custom::ScalePaths;
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

/// The value at a CRD's dotted path (`.spec.replicas`).
fn at_path<'a>(obj: &'a Value, path: &str) -> Option<&'a Value> {
    path.trim_start_matches('.')
        .split('.')
        .try_fold(obj, |v, key| v.get(key))
}

/// Sets the value at a CRD's dotted path, making the objects on the way.
pub fn set_at_path(obj: &mut Value, path: &str, value: Value) {
    let keys: Vec<&str> = path.trim_start_matches('.').split('.').collect();
    let mut cur = obj;
    for (i, key) in keys.iter().enumerate() {
        if !cur.is_object() {
            *cur = json!({});
        }
        let Some(map) = cur.as_object_mut() else {
            return;
        };
        if i + 1 == keys.len() {
            map.insert((*key).to_string(), value);
            return;
        }
        cur = map.entry((*key).to_string()).or_insert_with(|| json!({}));
    }
}

/// The Scale of a custom object, read at its CRD's scale paths.
pub fn custom_scale_of(obj: &Value, paths: &ScalePaths) -> Value {
    let mut scale = scale_of(obj);
    let int = |p: &str| at_path(obj, p).and_then(Value::as_i64).unwrap_or(0);
    scale["spec"]["replicas"] = json!(int(&paths.spec_replicas));
    scale["status"] = json!({"replicas": int(&paths.status_replicas)});
    if let Some(sel) = paths
        .label_selector
        .as_deref()
        .and_then(|p| at_path(obj, p))
        .and_then(Value::as_str)
    {
        scale["status"]["selector"] = json!(sel);
    }
    scale
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
