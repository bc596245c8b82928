//! autoscaling/v2 HorizontalPodAutoscaler validation, with kube-apiserver 1.32's field paths
//! and messages.

use super::field_error::{FieldError, child, index};
use super::meta;
use crate::api::quantity::Quantity;
use serde_json::{Value, json};

const SOURCE_TYPES: &[&str] = &[
    "ContainerResource",
    "External",
    "Object",
    "Pods",
    "Resource",
];
const SOURCE_FIELDS: &[(&str, &str)] = &[
    ("Object", "object"),
    ("Pods", "pods"),
    ("Resource", "resource"),
    ("ContainerResource", "containerResource"),
    ("External", "external"),
];

fn int(v: Option<&Value>, k: &str) -> Option<i64> {
    v.and_then(|v| v.get(k)).and_then(Value::as_i64)
}

fn text<'a>(v: Option<&'a Value>, k: &str) -> &'a str {
    v.and_then(|v| v.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

pub fn validate_hpa(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("HorizontalPodAutoscaler", obj, old);
    let spec = obj.get("spec");
    let min = int(spec, "minReplicas");
    let max = int(spec, "maxReplicas").unwrap_or(0);
    if let Some(min) = min.filter(|m| *m < 1) {
        errs.push(FieldError::invalid(
            "spec.minReplicas",
            json!(min),
            "must be greater than or equal to 1",
        ));
    }
    if max < 1 {
        errs.push(FieldError::invalid(
            "spec.maxReplicas",
            json!(max),
            "must be greater than 0",
        ));
    }
    if min.is_some_and(|m| max < m) {
        errs.push(FieldError::invalid(
            "spec.maxReplicas",
            json!(max),
            "must be greater than or equal to `minReplicas`",
        ));
    }
    // As kube: metrics are checked only when the reference is sound, behavior only when both are.
    let reference = validate_reference(spec.and_then(|s| s.get("scaleTargetRef")));
    if !reference.is_empty() {
        errs.extend(reference);
        return errs;
    }
    let metrics = validate_metrics(spec.and_then(|s| s.get("metrics")));
    if !metrics.is_empty() {
        errs.extend(metrics);
        return errs;
    }
    errs.extend(validate_behavior(spec.and_then(|s| s.get("behavior"))));
    errs
}

/// A path segment name: not `.` or `..`, no `/` or `%`.
fn path_segment_errors(value: &str) -> Vec<String> {
    if value == "." || value == ".." {
        return vec![format!("may not be '{value}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| value.contains(*c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

fn validate_reference(r: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for field in ["kind", "name"] {
        let path = format!("spec.scaleTargetRef.{field}");
        let value = text(r, field);
        if value.is_empty() {
            errs.push(FieldError::required(&path, ""));
        }
        for msg in path_segment_errors(value) {
            errs.push(FieldError::invalid(&path, json!(value), &msg));
        }
    }
    errs
}

fn validate_metrics(metrics: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let items = metrics
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, m) in items.iter().enumerate() {
        let path = index("spec.metrics", i);
        let ty = text(Some(m), "type");
        if ty.is_empty() {
            errs.push(FieldError::required(
                &child(&path, "type"),
                "must specify a metric source type",
            ));
        }
        let Some((_, expected)) = SOURCE_FIELDS.iter().find(|(t, _)| *t == ty) else {
            errs.push(FieldError::not_supported(
                &child(&path, "type"),
                json!(ty),
                SOURCE_TYPES,
            ));
            continue;
        };
        let present = |f: &str| m.get(f).is_some_and(|v| !v.is_null());
        if !present(expected) {
            errs.push(FieldError::required(
                &child(&path, expected),
                "must populate information for the given metric source",
            ));
        }
        for (_, other) in SOURCE_FIELDS.iter().filter(|(_, f)| f != expected) {
            if present(other) {
                errs.push(FieldError::forbidden(
                    &child(&path, other),
                    "must populate the given metric source only",
                ));
            }
        }
        if let Some(src) = m.get(*expected).filter(|v| !v.is_null()) {
            validate_source(expected, src, &child(&path, expected), &mut errs);
        }
    }
    errs
}

fn validate_source(field: &str, src: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let target = src.get("target");
    let target_path = child(path, "target");
    match field {
        "resource" | "containerResource" => {
            if text(Some(src), "name").is_empty() {
                errs.push(FieldError::required(
                    &child(path, "name"),
                    "must specify a resource name",
                ));
            }
            if field == "containerResource" && text(Some(src), "container").is_empty() {
                errs.push(FieldError::required(
                    &child(path, "container"),
                    "must specify a container",
                ));
            }
            validate_target(target, &target_path, errs);
            let util = target
                .and_then(|t| t.get("averageUtilization"))
                .filter(|v| !v.is_null());
            let avg = target
                .and_then(|t| t.get("averageValue"))
                .filter(|v| !v.is_null());
            match (util, avg) {
                (None, None) => errs.push(FieldError::required(
                    &child(&target_path, "averageUtilization"),
                    "must set either a target raw value or a target utilization",
                )),
                (Some(_), Some(a)) => errs.push(FieldError::invalid(
                    &child(&target_path, "averageValue"),
                    a.clone(),
                    "may not set both a target raw value and a target utilization",
                )),
                _ => {}
            }
        }
        _ => {
            if text(src.get("metric"), "name").is_empty() {
                errs.push(FieldError::required(
                    &child(&child(path, "metric"), "name"),
                    "must specify a metric name",
                ));
            }
            validate_target(target, &target_path, errs);
        }
    }
}

fn validate_target(t: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    let ty = text(t, "type");
    if ty.is_empty() {
        errs.push(FieldError::required(
            &child(path, "type"),
            "must specify a metric target type",
        ));
    }
    if !matches!(ty, "Utilization" | "Value" | "AverageValue") {
        errs.push(FieldError::invalid(
            &child(path, "type"),
            json!(ty),
            "must be either Utilization, Value, or AverageValue",
        ));
    }
    for field in ["value", "averageValue"] {
        if let Some(v) = t.and_then(|t| t.get(field)).filter(|v| !v.is_null()) {
            let positive = Quantity::from_json(v).is_some_and(|q| q.nanos() > 0);
            if !positive {
                errs.push(FieldError::invalid(
                    &child(path, field),
                    v.clone(),
                    "must be positive",
                ));
            }
        }
    }
    if let Some(u) = int(t, "averageUtilization").filter(|u| *u < 1) {
        errs.push(FieldError::invalid(
            &child(path, "averageUtilization"),
            json!(u),
            "must be greater than 0",
        ));
    }
}

fn validate_behavior(b: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for dir in ["scaleUp", "scaleDown"] {
        let Some(rules) = b.and_then(|b| b.get(dir)).filter(|v| !v.is_null()) else {
            continue;
        };
        let path = format!("spec.behavior.{dir}");
        if let Some(w) = int(Some(rules), "stabilizationWindowSeconds") {
            let p = child(&path, "stabilizationWindowSeconds");
            if w < 0 {
                errs.push(FieldError::invalid(
                    &p,
                    json!(w),
                    "must be greater than or equal to zero",
                ));
            }
            if w > 3600 {
                errs.push(FieldError::invalid(
                    &p,
                    json!(w),
                    "must be less than or equal to 3600",
                ));
            }
        }
        let select = text(Some(rules), "selectPolicy");
        if rules.get("selectPolicy").is_some_and(|v| !v.is_null())
            && !matches!(select, "Max" | "Min" | "Disabled")
        {
            errs.push(FieldError::not_supported(
                &child(&path, "selectPolicy"),
                json!(select),
                &["Disabled", "Max", "Min"],
            ));
        }
        let policies = rules
            .get("policies")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let ppath = child(&path, "policies");
        if policies.is_empty() {
            errs.push(FieldError::required(
                &ppath,
                "must specify at least one Policy",
            ));
        }
        for (i, p) in policies.iter().enumerate() {
            let ip = index(&ppath, i);
            let ty = text(Some(p), "type");
            if !matches!(ty, "Pods" | "Percent") {
                errs.push(FieldError::not_supported(
                    &child(&ip, "type"),
                    json!(ty),
                    &["Percent", "Pods"],
                ));
            }
            let value = int(Some(p), "value").unwrap_or(0);
            if value <= 0 {
                errs.push(FieldError::invalid(
                    &child(&ip, "value"),
                    json!(value),
                    "must be greater than zero",
                ));
            }
            let period = int(Some(p), "periodSeconds").unwrap_or(0);
            if period <= 0 {
                errs.push(FieldError::invalid(
                    &child(&ip, "periodSeconds"),
                    json!(period),
                    "must be greater than zero",
                ));
            }
            if period > 1800 {
                errs.push(FieldError::invalid(
                    &child(&ip, "periodSeconds"),
                    json!(period),
                    "must be less than or equal to 1800",
                ));
            }
        }
    }
    errs
}
