//! Defaults of autoscaling/v2 HorizontalPodAutoscalers, as kube-apiserver 1.32 applies them:
//! one minimum replica, a CPU target of 80% when no metric is given, and a given `behavior`
//! completed with the default scale-up and scale-down rules.

use super::order::{TOP_LEVEL, insert_ordered, normalize_meta, object_at, reorder};
use serde_json::{Map, Value, json};

const SPEC: &[&str] = &[
    "scaleTargetRef",
    "minReplicas",
    "maxReplicas",
    "metrics",
    "behavior",
];
const BEHAVIOR: &[&str] = &["scaleUp", "scaleDown"];
const RULES: &[&str] = &["stabilizationWindowSeconds", "selectPolicy", "policies"];
const STATUS: &[&str] = &[
    "observedGeneration",
    "lastScaleTime",
    "currentReplicas",
    "desiredReplicas",
    "currentMetrics",
    "conditions",
];

fn top(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let o = obj.as_object_mut()?;
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    Some(o)
}

/// The rules kube uses for a direction the user left out (or the fields of it left out).
fn default_rules(up: bool) -> Value {
    if up {
        json!({
            "stabilizationWindowSeconds": 0,
            "selectPolicy": "Max",
            "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ],
        })
    } else {
        // No window: the controller's --horizontal-pod-autoscaler-downscale-stabilization
        // (300 s) applies.
        json!({
            "selectPolicy": "Max",
            "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
        })
    }
}

fn complete_rules(given: Option<&Value>, up: bool) -> Value {
    let mut rules = default_rules(up);
    let Some(given) = given.and_then(Value::as_object) else {
        return rules;
    };
    let out = rules.as_object_mut().expect("object");
    for key in RULES {
        if let Some(v) = given.get(*key).filter(|v| !v.is_null()) {
            out.insert((*key).to_string(), v.clone());
        }
    }
    reorder(out, RULES);
    rules
}

pub fn default_hpa(obj: &mut Value) {
    // Annotations only autoscaling/v1 reads its v2 fields from are never stored.
    crate::api::conversion::drop_round_trip_annotations("HorizontalPodAutoscaler", obj);
    let Some(spec) = top(obj).and_then(|o| object_at(o, TOP_LEVEL, "spec")) else {
        return;
    };
    insert_ordered(spec, SPEC, "minReplicas", json!(1));
    let no_metrics = spec
        .get("metrics")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty);
    if no_metrics {
        spec.insert(
            "metrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 80}}}]),
        );
    }
    if let Some(behavior) = spec.get_mut("behavior").and_then(Value::as_object_mut) {
        let up = complete_rules(behavior.get("scaleUp"), true);
        let down = complete_rules(behavior.get("scaleDown"), false);
        behavior.insert("scaleUp".into(), up);
        behavior.insert("scaleDown".into(), down);
        reorder(behavior, BEHAVIOR);
    }
    reorder(spec, SPEC);
}

/// A new HPA starts with an empty status (what the user sent is dropped), which v2 writes
/// as `desiredReplicas: 0` and `currentMetrics: null`.
pub fn prepare_hpa_for_create(obj: &mut Value) {
    if let Some(o) = obj.as_object_mut() {
        let mut status = Map::new();
        status.insert("desiredReplicas".into(), json!(0));
        status.insert("currentMetrics".into(), Value::Null);
        reorder(&mut status, STATUS);
        o.insert("status".into(), Value::Object(status));
        reorder(o, TOP_LEVEL);
    }
}
