//! Conversion between the versions a resource is served at: one stored object, read and
//! written at any served version, as kube-apiserver converts through its internal type.
//! Only the resources stored under another resource's keys need it
//! (`registry::stored_version_of`): autoscaling/v1 HorizontalPodAutoscalers (stored at v2)
//! and events.k8s.io/v1 Events (stored as core Events).

mod autoscaling;
mod events;

use super::registry::Resource;
use super::status::ApiError;
use serde_json::Value;

/// An object written at `r`'s version, as it is stored (at the preferred version).
pub fn to_stored(r: &Resource, obj: Value) -> Result<Value, ApiError> {
    // Custom resources convert with strategy None: only apiVersion changes.
    if let Some(stored) = super::registry::custom::definition_of(r).and_then(|d| d.storage) {
        return Ok(with_api_version(obj, &stored.api_version()));
    }
    match (r.group, r.version, r.kind) {
        ("autoscaling", "v1", "HorizontalPodAutoscaler") => autoscaling::v1_to_v2(obj),
        ("events.k8s.io", "v1", "Event") => events::events_to_core(obj),
        _ => Ok(obj),
    }
}

/// A stored object as `r`'s version shows it.
pub fn from_stored(r: &Resource, obj: Value) -> Value {
    // A Status (a delete's answer) or anything not of this kind passes as it is.
    if obj.get("kind").is_some_and(|k| k != r.kind) {
        return obj;
    }
    if super::registry::custom::is_custom(r) {
        return with_api_version(obj, &r.api_version());
    }
    match (r.group, r.version, r.kind) {
        ("autoscaling", "v1", "HorizontalPodAutoscaler") => autoscaling::v2_to_v1(obj),
        ("events.k8s.io", "v1", "Event") => events::core_to_events(obj),
        _ => obj,
    }
}

/// An object written at the stored version loses the annotations other versions use to
/// carry its fields (kube drops them when it converts any write to its internal type).
pub fn drop_round_trip_annotations(kind: &str, obj: &mut Value) {
    if kind == "HorizontalPodAutoscaler" {
        autoscaling::drop_round_trip_annotations(obj);
    }
}

fn with_api_version(mut obj: Value, api_version: &str) -> Value {
    if let Some(v) = obj.get_mut("apiVersion") {
        *v = Value::String(api_version.to_string());
    }
    obj
}
