//! HorizontalPodAutoscaler between autoscaling/v1 and autoscaling/v2 (the stored version),
//! as kube-apiserver 1.32 converts it. v1 has one metric (`targetCPUUtilizationPercentage`)
//! and no conditions or behavior; what it cannot hold travels in annotations, written in
//! v1's older metric shapes (and, for behavior, with Go's field names, because kube
//! marshals its internal type there), so that a v1 read-modify-write keeps the v2 fields.

use crate::api::status::ApiError;
use serde_json::{Map, Value, json};

const METRICS: &str = "autoscaling.alpha.kubernetes.io/metrics";
const CURRENT_METRICS: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
const CONDITIONS: &str = "autoscaling.alpha.kubernetes.io/conditions";
const BEHAVIOR: &str = "autoscaling.alpha.kubernetes.io/behavior";
const ROUND_TRIP: &[&str] = &[METRICS, BEHAVIOR, CURRENT_METRICS, CONDITIONS];

/// The CPU target kube gives a v1 autoscaler that names none.
const DEFAULT_CPU_UTILIZATION: i64 = 80;

pub fn drop_round_trip_annotations(obj: &mut Value) {
    if let Some(meta) = obj.get_mut("metadata") {
        drop_round_trip_annotations_in(meta);
    }
}

/// Copies the fields of `from` named in `keys`, in that order, leaving out absent ones.
fn pick(from: &Value, keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|k| Some((k.to_string(), from.get(*k)?.clone())))
        .collect()
}

fn is_cpu_resource(m: &Value) -> bool {
    m.get("type").and_then(Value::as_str) == Some("Resource")
        && m.pointer("/resource/name").and_then(Value::as_str) == Some("cpu")
}

fn array<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Go's `json.Marshal` of the annotation's value: compact, with `<`, `>`, `&` escaped.
fn go_json(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

// ---- v2 (stored) to v1 ----

pub fn v2_to_v1(obj: Value) -> Value {
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    let status = obj.get("status").cloned();
    let mut out = Map::new();
    if obj.get("apiVersion").is_some() {
        out.insert("apiVersion".into(), json!("autoscaling/v1"));
    }
    if let Some(k) = obj.get("kind") {
        out.insert("kind".into(), k.clone());
    }
    let mut meta = obj.get("metadata").cloned().unwrap_or_else(|| json!({}));
    drop_round_trip_annotations_in(&mut meta);

    let metrics = array(&spec, "/metrics");
    let others: Vec<Value> = metrics
        .iter()
        .filter(|m| {
            !(is_cpu_resource(m) && m.pointer("/resource/target/averageUtilization").is_some())
        })
        .map(metric_spec_to_v1)
        .collect();
    let mut notes: Vec<(&str, String)> = Vec::new();
    if !others.is_empty() {
        notes.push((METRICS, go_json(&Value::Array(others))));
    }
    if let Some(s) = &status {
        let current = array(s, "/currentMetrics");
        if !current.is_empty() {
            let v1: Vec<Value> = current.iter().map(metric_status_to_v1).collect();
            notes.push((CURRENT_METRICS, go_json(&Value::Array(v1))));
        }
        let conditions = array(s, "/conditions");
        if !conditions.is_empty() {
            let v1: Vec<Value> = conditions
                .iter()
                .map(|c| {
                    let mut m = pick(c, &["type", "status"]);
                    m.insert(
                        "lastTransitionTime".into(),
                        c.get("lastTransitionTime").cloned().unwrap_or(Value::Null),
                    );
                    m.extend(pick(c, &["reason", "message"]));
                    Value::Object(m)
                })
                .collect();
            notes.push((CONDITIONS, go_json(&Value::Array(v1))));
        }
    }
    if let Some(b) = spec.get("behavior").filter(|b| b.is_object()) {
        notes.push((BEHAVIOR, go_json(&internal_behavior(b))));
    }
    if !notes.is_empty()
        && let Some(m) = meta.as_object_mut()
    {
        let mut annotations = m
            .get("annotations")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (k, v) in notes {
            annotations.insert(k.into(), json!(v));
        }
        // A Go map: written in key order.
        annotations.sort_keys();
        crate::api::order::set_ordered(
            m,
            crate::api::order::OBJECT_META,
            "annotations",
            Value::Object(annotations),
        );
    }
    out.insert("metadata".into(), meta);

    let mut v1_spec = pick(&spec, &["scaleTargetRef", "minReplicas", "maxReplicas"]);
    if let Some(cpu) = metrics.iter().find(|m| is_cpu_resource(m))
        && let Some(u) = cpu.pointer("/resource/target/averageUtilization")
    {
        v1_spec.insert("targetCPUUtilizationPercentage".into(), u.clone());
    }
    out.insert("spec".into(), Value::Object(v1_spec));

    if let Some(s) = status {
        let mut v1 = pick(&s, &["observedGeneration", "lastScaleTime"]);
        v1.insert(
            "currentReplicas".into(),
            s.get("currentReplicas").cloned().unwrap_or(json!(0)),
        );
        v1.insert(
            "desiredReplicas".into(),
            s.get("desiredReplicas").cloned().unwrap_or(json!(0)),
        );
        // The last CPU utilization wins, as kube's loop leaves it.
        if let Some(u) = array(&s, "/currentMetrics")
            .iter()
            .filter(|m| is_cpu_resource(m))
            .filter_map(|m| m.pointer("/resource/current/averageUtilization"))
            .next_back()
        {
            v1.insert("currentCPUUtilizationPercentage".into(), u.clone());
        }
        out.insert("status".into(), Value::Object(v1));
    }
    Value::Object(out)
}

fn drop_round_trip_annotations_in(meta: &mut Value) {
    if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
        for k in ROUND_TRIP {
            a.shift_remove(*k);
        }
        if a.is_empty()
            && let Some(m) = meta.as_object_mut()
        {
            m.shift_remove("annotations");
        }
    }
}

/// A v2 metric target as v1's `target*` fields: (utilization, value, average value).
fn target(t: Option<&Value>) -> (Option<Value>, Option<Value>, Option<Value>) {
    let get = |k: &str| t.and_then(|t| t.get(k)).cloned();
    (get("averageUtilization"), get("value"), get("averageValue"))
}

fn metric_identifier(m: Option<&Value>, name_key: &str, selector_key: &str) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert(
        name_key.into(),
        m.and_then(|m| m.get("name")).cloned().unwrap_or(json!("")),
    );
    if let Some(s) = m.and_then(|m| m.get("selector")) {
        out.insert(selector_key.into(), s.clone());
    }
    out
}

fn metric_spec_to_v1(m: &Value) -> Value {
    let mut out = pick(m, &["type"]);
    let zero = || json!("0");
    if let Some(o) = m.get("object") {
        let (_, value, average) = target(o.get("target"));
        let mut v = Map::new();
        v.insert(
            "target".into(),
            o.get("describedObject").cloned().unwrap_or(json!({})),
        );
        let id = metric_identifier(o.get("metric"), "metricName", "selector");
        v.insert("metricName".into(), id["metricName"].clone());
        v.insert("targetValue".into(), value.unwrap_or_else(zero));
        if let Some(s) = id.get("selector") {
            v.insert("selector".into(), s.clone());
        }
        if let Some(a) = average {
            v.insert("averageValue".into(), a);
        }
        out.insert("object".into(), Value::Object(v));
    }
    if let Some(p) = m.get("pods") {
        let (_, _, average) = target(p.get("target"));
        let id = metric_identifier(p.get("metric"), "metricName", "selector");
        let mut v = Map::new();
        v.insert("metricName".into(), id["metricName"].clone());
        v.insert("targetAverageValue".into(), average.unwrap_or_else(zero));
        if let Some(s) = id.get("selector") {
            v.insert("selector".into(), s.clone());
        }
        out.insert("pods".into(), Value::Object(v));
    }
    for key in ["resource", "containerResource"] {
        if let Some(r) = m.get(key) {
            let (utilization, _, average) = target(r.get("target"));
            let mut v = pick(r, &["name"]);
            if let Some(u) = utilization {
                v.insert("targetAverageUtilization".into(), u);
            }
            if let Some(a) = average {
                v.insert("targetAverageValue".into(), a);
            }
            v.extend(pick(r, &["container"]));
            out.insert(key.into(), Value::Object(v));
        }
    }
    if let Some(e) = m.get("external") {
        let (_, value, average) = target(e.get("target"));
        let mut v = metric_identifier(e.get("metric"), "metricName", "metricSelector");
        if let Some(x) = value {
            v.insert("targetValue".into(), x);
        }
        if let Some(a) = average {
            v.insert("targetAverageValue".into(), a);
        }
        out.insert("external".into(), Value::Object(v));
    }
    Value::Object(out)
}

fn metric_status_to_v1(m: &Value) -> Value {
    let mut out = pick(m, &["type"]);
    let zero = || json!("0");
    let current = |s: &Value, k: &str| s.get("current").and_then(|c| c.get(k)).cloned();
    if let Some(o) = m.get("object") {
        let id = metric_identifier(o.get("metric"), "metricName", "selector");
        let mut v = Map::new();
        v.insert(
            "target".into(),
            o.get("describedObject").cloned().unwrap_or(json!({})),
        );
        v.insert("metricName".into(), id["metricName"].clone());
        v.insert(
            "currentValue".into(),
            current(o, "value").unwrap_or_else(zero),
        );
        if let Some(s) = id.get("selector") {
            v.insert("selector".into(), s.clone());
        }
        if let Some(a) = current(o, "averageValue") {
            v.insert("averageValue".into(), a);
        }
        out.insert("object".into(), Value::Object(v));
    }
    if let Some(p) = m.get("pods") {
        let id = metric_identifier(p.get("metric"), "metricName", "selector");
        let mut v = Map::new();
        v.insert("metricName".into(), id["metricName"].clone());
        v.insert(
            "currentAverageValue".into(),
            current(p, "averageValue").unwrap_or_else(zero),
        );
        if let Some(s) = id.get("selector") {
            v.insert("selector".into(), s.clone());
        }
        out.insert("pods".into(), Value::Object(v));
    }
    for key in ["resource", "containerResource"] {
        if let Some(r) = m.get(key) {
            let mut v = pick(r, &["name"]);
            if let Some(u) = current(r, "averageUtilization") {
                v.insert("currentAverageUtilization".into(), u);
            }
            v.insert(
                "currentAverageValue".into(),
                current(r, "averageValue").unwrap_or_else(zero),
            );
            v.extend(pick(r, &["container"]));
            out.insert(key.into(), Value::Object(v));
        }
    }
    if let Some(e) = m.get("external") {
        let mut v = metric_identifier(e.get("metric"), "metricName", "metricSelector");
        v.insert(
            "currentValue".into(),
            current(e, "value").unwrap_or_else(zero),
        );
        if let Some(a) = current(e, "averageValue") {
            v.insert("currentAverageValue".into(), a);
        }
        out.insert("external".into(), Value::Object(v));
    }
    Value::Object(out)
}

/// kube's internal behavior type as Go marshals it: Go field names, nil pointers as null.
fn internal_behavior(b: &Value) -> Value {
    let rules = |r: Option<&Value>| match r.filter(|r| r.is_object()) {
        None => Value::Null,
        Some(r) => {
            let policies = match r.get("policies").and_then(Value::as_array) {
                None => Value::Null,
                Some(ps) => ps
                    .iter()
                    .map(|p| {
                        json!({
                            "Type": p.get("type").cloned().unwrap_or(json!("")),
                            "Value": p.get("value").cloned().unwrap_or(json!(0)),
                            "PeriodSeconds": p.get("periodSeconds").cloned().unwrap_or(json!(0)),
                        })
                    })
                    .collect(),
            };
            json!({
                "StabilizationWindowSeconds": r.get("stabilizationWindowSeconds").cloned().unwrap_or(Value::Null),
                "SelectPolicy": r.get("selectPolicy").cloned().unwrap_or(Value::Null),
                "Policies": policies,
            })
        }
    };
    json!({"ScaleUp": rules(b.get("scaleUp")), "ScaleDown": rules(b.get("scaleDown"))})
}

// ---- v1 to v2 (stored) ----

fn annotation_list(meta: &Value, key: &str) -> Result<Option<Value>, ApiError> {
    let Some(text) = meta.pointer(&format!("/annotations/{}", key.replace('/', "~1"))) else {
        return Ok(None);
    };
    let text = text.as_str().unwrap_or("");
    serde_json::from_str(text).map(Some).map_err(|e| {
        ApiError::bad_request(format!(
            "HorizontalPodAutoscaler in version \"v1\" cannot be handled as a HorizontalPodAutoscaler: the annotation {key} is not valid JSON: {e}"
        ))
    })
}

fn as_list(v: Option<Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    }
}

pub fn v1_to_v2(obj: Value) -> Result<Value, ApiError> {
    let Value::Object(obj) = obj else {
        return Err(ApiError::bad_request(
            "HorizontalPodAutoscaler in version \"v1\" cannot be handled as a HorizontalPodAutoscaler: the object is not a JSON object",
        ));
    };
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    let status = obj.get("status").cloned();
    let mut meta = obj.get("metadata").cloned().unwrap_or(Value::Null);
    let other_metrics = as_list(annotation_list(&meta, METRICS)?);
    let current_metrics = annotation_list(&meta, CURRENT_METRICS)?;
    let conditions = annotation_list(&meta, CONDITIONS)?;
    let behavior = annotation_list(&meta, BEHAVIOR)?;
    drop_round_trip_annotations_in(&mut meta);

    let mut out = Map::new();
    for (k, v) in &obj {
        match k.as_str() {
            "apiVersion" => {
                out.insert(k.clone(), json!("autoscaling/v2"));
            }
            "metadata" => {
                out.insert(k.clone(), meta.clone());
            }
            "spec" | "status" => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    let mut v2_spec = pick(&spec, &["scaleTargetRef", "minReplicas", "maxReplicas"]);
    let mut metrics: Vec<Value> = other_metrics.iter().map(metric_spec_to_v2).collect();
    if let Some(cpu) = spec.get("targetCPUUtilizationPercentage") {
        metrics.push(cpu_metric(cpu.clone()));
    }
    if metrics.is_empty() {
        metrics.push(cpu_metric(json!(DEFAULT_CPU_UTILIZATION)));
    }
    v2_spec.insert("metrics".into(), Value::Array(metrics));
    if let Some(b) = behavior.filter(Value::is_object) {
        v2_spec.insert("behavior".into(), behavior_from_internal(&b));
    }
    if !spec.is_null() || !v2_spec.is_empty() {
        out.insert("spec".into(), Value::Object(v2_spec));
    }
    if let Some(s) = status {
        let mut v2 = pick(
            &s,
            &[
                "observedGeneration",
                "lastScaleTime",
                "currentReplicas",
                "desiredReplicas",
            ],
        );
        let current = match current_metrics {
            Some(list) => as_list(Some(list))
                .iter()
                .map(metric_status_to_v2)
                .collect(),
            None => match s.get("currentCPUUtilizationPercentage") {
                Some(u) => vec![json!({
                    "type": "Resource",
                    "resource": {"name": "cpu", "current": {"averageValue": "0", "averageUtilization": u}},
                })],
                None => Vec::new(),
            },
        };
        if !current.is_empty() {
            v2.insert("currentMetrics".into(), Value::Array(current));
        }
        let conditions = as_list(conditions);
        if !conditions.is_empty() {
            v2.insert("conditions".into(), Value::Array(conditions));
        }
        out.insert("status".into(), Value::Object(v2));
    }
    Ok(Value::Object(out))
}

fn cpu_metric(utilization: Value) -> Value {
    json!({
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": utilization}},
    })
}

/// A v2 `MetricTarget` from v1's target fields, typed as kube's conversion types it.
fn v2_target(
    kind: &str,
    value: Option<Value>,
    average: Option<Value>,
    utilization: Option<Value>,
) -> Value {
    let mut t = Map::new();
    t.insert("type".into(), json!(kind));
    for (k, v) in [
        ("value", value),
        ("averageValue", average),
        ("averageUtilization", utilization),
    ] {
        if let Some(v) = v {
            t.insert(k.into(), v);
        }
    }
    Value::Object(t)
}

fn identifier_v2(m: &Value, name_key: &str, selector_key: &str) -> Value {
    let mut id = Map::new();
    id.insert("name".into(), m.get(name_key).cloned().unwrap_or(json!("")));
    if let Some(s) = m.get(selector_key) {
        id.insert("selector".into(), s.clone());
    }
    Value::Object(id)
}

fn metric_spec_to_v2(m: &Value) -> Value {
    let mut out = pick(m, &["type"]);
    let get = |v: &Value, k: &str| v.get(k).cloned();
    if let Some(o) = m.get("object") {
        let average = get(o, "averageValue");
        let kind = if average.is_none() {
            "Value"
        } else {
            "AverageValue"
        };
        out.insert(
            "object".into(),
            json!({
                "describedObject": o.get("target").cloned().unwrap_or(json!({})),
                "target": v2_target(kind, Some(get(o, "targetValue").unwrap_or(json!("0"))), average, None),
                "metric": identifier_v2(o, "metricName", "selector"),
            }),
        );
    }
    if let Some(p) = m.get("pods") {
        out.insert(
            "pods".into(),
            json!({
                "metric": identifier_v2(p, "metricName", "selector"),
                "target": v2_target("AverageValue", None, Some(get(p, "targetAverageValue").unwrap_or(json!("0"))), None),
            }),
        );
    }
    for key in ["resource", "containerResource"] {
        if let Some(r) = m.get(key) {
            let utilization = get(r, "targetAverageUtilization");
            let kind = if utilization.is_none() {
                "AverageValue"
            } else {
                "Utilization"
            };
            let mut v = pick(r, &["name"]);
            v.insert(
                "target".into(),
                v2_target(kind, None, get(r, "targetAverageValue"), utilization),
            );
            v.extend(pick(r, &["container"]));
            out.insert(key.into(), Value::Object(v));
        }
    }
    if let Some(e) = m.get("external") {
        let value = get(e, "targetValue");
        let kind = if value.is_none() {
            "AverageValue"
        } else {
            "Value"
        };
        out.insert(
            "external".into(),
            json!({
                "metric": identifier_v2(e, "metricName", "metricSelector"),
                "target": v2_target(kind, value, get(e, "targetAverageValue"), None),
            }),
        );
    }
    Value::Object(out)
}

fn metric_status_to_v2(m: &Value) -> Value {
    let mut out = pick(m, &["type"]);
    let get = |v: &Value, k: &str| v.get(k).cloned();
    let current = |value: Option<Value>, average: Option<Value>, utilization: Option<Value>| {
        let mut c = Map::new();
        for (k, v) in [
            ("value", value),
            ("averageValue", average),
            ("averageUtilization", utilization),
        ] {
            if let Some(v) = v {
                c.insert(k.into(), v);
            }
        }
        Value::Object(c)
    };
    let zero = || Some(json!("0"));
    if let Some(o) = m.get("object") {
        out.insert(
            "object".into(),
            json!({
                "metric": identifier_v2(o, "metricName", "selector"),
                "current": current(get(o, "currentValue").or_else(zero), get(o, "averageValue"), None),
                "describedObject": o.get("target").cloned().unwrap_or(json!({})),
            }),
        );
    }
    if let Some(p) = m.get("pods") {
        out.insert(
            "pods".into(),
            json!({
                "metric": identifier_v2(p, "metricName", "selector"),
                "current": current(None, get(p, "currentAverageValue").or_else(zero), None),
            }),
        );
    }
    for key in ["resource", "containerResource"] {
        if let Some(r) = m.get(key) {
            let mut v = pick(r, &["name"]);
            v.insert(
                "current".into(),
                current(
                    None,
                    get(r, "currentAverageValue").or_else(zero),
                    get(r, "currentAverageUtilization"),
                ),
            );
            v.extend(pick(r, &["container"]));
            out.insert(key.into(), Value::Object(v));
        }
    }
    if let Some(e) = m.get("external") {
        out.insert(
            "external".into(),
            json!({
                "metric": identifier_v2(e, "metricName", "metricSelector"),
                "current": current(get(e, "currentValue").or_else(zero), get(e, "currentAverageValue"), None),
            }),
        );
    }
    Value::Object(out)
}

/// The behavior annotation (Go field names) back as v2's `behavior`.
fn behavior_from_internal(b: &Value) -> Value {
    let rules = |r: Option<&Value>| -> Option<Value> {
        let r = r.filter(|r| r.is_object())?;
        let mut out = Map::new();
        if let Some(w) = r.get("StabilizationWindowSeconds").filter(|v| !v.is_null()) {
            out.insert("stabilizationWindowSeconds".into(), w.clone());
        }
        if let Some(p) = r.get("SelectPolicy").filter(|v| !v.is_null()) {
            out.insert("selectPolicy".into(), p.clone());
        }
        if let Some(ps) = r.get("Policies").and_then(Value::as_array) {
            let ps: Vec<Value> = ps
                .iter()
                .map(|p| {
                    json!({
                        "type": p.get("Type").cloned().unwrap_or(json!("")),
                        "value": p.get("Value").cloned().unwrap_or(json!(0)),
                        "periodSeconds": p.get("PeriodSeconds").cloned().unwrap_or(json!(0)),
                    })
                })
                .collect();
            out.insert("policies".into(), Value::Array(ps));
        }
        Some(Value::Object(out))
    };
    let mut out = Map::new();
    if let Some(up) = rules(b.get("ScaleUp")) {
        out.insert("scaleUp".into(), up);
    }
    if let Some(down) = rules(b.get("ScaleDown")) {
        out.insert("scaleDown".into(), down);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_target_round_trips() {
        let v1 = json!({
            "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                     "minReplicas": 2, "maxReplicas": 5, "targetCPUUtilizationPercentage": 70},
            "status": {"currentReplicas": 0, "desiredReplicas": 0},
        });
        let v2 = v1_to_v2(v1.clone()).unwrap();
        assert_eq!(v2["apiVersion"], "autoscaling/v2");
        assert_eq!(
            v2["spec"]["metrics"],
            json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}])
        );
        assert_eq!(v2_to_v1(v2), v1);
    }

    #[test]
    fn no_target_means_eighty_percent() {
        let v2 = v1_to_v2(json!({"metadata": {"name": "a"}, "spec": {"maxReplicas": 3}})).unwrap();
        assert_eq!(
            v2.pointer("/spec/metrics/0/resource/target/averageUtilization"),
            Some(&json!(80))
        );
    }

    #[test]
    fn v2_only_fields_travel_in_annotations() {
        let v2 = json!({
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "annotations": {"a": "b"}},
            "spec": {"maxReplicas": 5, "metrics": [
                {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}},
            ], "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max",
                            "policies": [{"type": "Pods", "value": 1, "periodSeconds": 30}]}}},
            "status": {"currentReplicas": 2, "desiredReplicas": 2, "currentMetrics": [
                {"type": "Resource", "resource": {"name": "cpu", "current": {"averageValue": "5m", "averageUtilization": 3}}}],
                "conditions": [{"type": "AbleToScale", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z", "reason": "ReadyForNewScale", "message": "ok"}]},
        });
        let v1 = v2_to_v1(v2.clone());
        let a = &v1["metadata"]["annotations"];
        assert_eq!(
            a[METRICS],
            r#"[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]"#
        );
        assert_eq!(
            a[CURRENT_METRICS],
            r#"[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":3,"currentAverageValue":"5m"}}]"#
        );
        assert_eq!(
            a[BEHAVIOR],
            r#"{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":1,"PeriodSeconds":30}]}}"#
        );
        assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 50);
        assert_eq!(v1["status"]["currentCPUUtilizationPercentage"], 3);
        let keys: Vec<&String> = a.as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "a");
        // Back through v1 the stored object is whole again.
        let back = v1_to_v2(v1).unwrap();
        assert_eq!(back["metadata"], v2["metadata"]);
        assert_eq!(back["spec"]["behavior"], v2["spec"]["behavior"]);
        assert_eq!(back["spec"]["metrics"], v2["spec"]["metrics"]);
        assert_eq!(back["status"], v2["status"]);
    }

    #[test]
    fn bad_annotation_is_refused() {
        let mut v1 =
            json!({"metadata": {"name": "a", "annotations": {}}, "spec": {"maxReplicas": 1}});
        v1["metadata"]["annotations"][METRICS] = json!("{");
        assert_eq!(v1_to_v2(v1).unwrap_err().code, 400);
    }
}
