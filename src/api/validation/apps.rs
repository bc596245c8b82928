//! Deployment, ReplicaSet and DaemonSet: selectors, template labels, replicas, strategies.

use super::field_error::{FieldError, go_label_selector, go_string_map, nonnegative};
use super::label_selector::validate_label_selector;
use super::{meta, pod};
use crate::api::selector::LabelSelector;
use serde_json::{Value, json};

pub fn validate_deployment(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("Deployment", obj, old);
    let spec = obj.get("spec");
    nonnegative(spec, "replicas", "spec", &mut errs);
    errs.extend(selector_and_template(spec, "deployment", true));
    if let Some(strategy) = spec.and_then(|s| s.get("strategy")) {
        validate_strategy(strategy, &mut errs);
    }
    nonnegative(spec, "minReadySeconds", "spec", &mut errs);
    nonnegative(spec, "revisionHistoryLimit", "spec", &mut errs);
    if let Some(pds) = int(spec, "progressDeadlineSeconds") {
        if pds < 0 {
            nonnegative(spec, "progressDeadlineSeconds", "spec", &mut errs);
        } else if pds <= int(spec, "minReadySeconds").unwrap_or(0) {
            errs.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                json!(pds),
                "must be greater than minReadySeconds",
            ));
        }
    }
    if let Some(old) = old {
        selector_immutable(obj, old, &mut errs);
    }
    errs
}

pub fn validate_replica_set(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("ReplicaSet", obj, old);
    let spec = obj.get("spec");
    nonnegative(spec, "replicas", "spec", &mut errs);
    nonnegative(spec, "minReadySeconds", "spec", &mut errs);
    // The apiserver says "deployment" here too.
    errs.extend(selector_and_template(spec, "deployment", true));
    if let Some(old) = old {
        selector_immutable(obj, old, &mut errs);
    }
    errs
}

pub fn validate_daemon_set(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("DaemonSet", obj, old);
    let spec = obj.get("spec");
    errs.extend(selector_and_template(spec, "daemonset", false));
    nonnegative(spec, "minReadySeconds", "spec", &mut errs);
    nonnegative(spec, "revisionHistoryLimit", "spec", &mut errs);
    if let Some(us) = spec.and_then(|s| s.get("updateStrategy")) {
        match us.get("type").and_then(Value::as_str).unwrap_or("") {
            "RollingUpdate" | "OnDelete" => {}
            "" => errs.push(FieldError::required("spec.updateStrategy.type", "")),
            other => errs.push(FieldError::not_supported(
                "spec.updateStrategy.type",
                json!(other),
                &["OnDelete", "RollingUpdate"],
            )),
        }
    }
    if let Some(old) = old {
        selector_immutable(obj, old, &mut errs);
    }
    errs
}

fn int(spec: Option<&Value>, k: &str) -> Option<i64> {
    spec.and_then(|s| s.get(k)).and_then(Value::as_i64)
}

/// Selector presence and syntax, template labels matching it, the template itself, and
/// restartPolicy Always.
pub(super) fn selector_and_template(
    spec: Option<&Value>,
    what: &str,
    required: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let sel = spec
        .and_then(|s| s.get("selector"))
        .filter(|s| !s.is_null());
    let template = spec.and_then(|s| s.get("template"));
    let labels = template
        .and_then(|t| t.get("metadata"))
        .and_then(|m| m.get("labels"))
        .and_then(Value::as_object);
    let mut template_errs = Vec::new();
    match sel {
        None => {
            if required {
                errs.push(FieldError::required("spec.selector", ""));
            }
            // A missing selector selects nothing, so the template never matches.
            template_errs.push(labels_mismatch(labels));
        }
        Some(sel) => {
            errs.extend(validate_label_selector(sel, "spec.selector"));
            let n = sel
                .get("matchLabels")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len())
                + sel
                    .get("matchExpressions")
                    .and_then(Value::as_array)
                    .map_or(0, |a| a.len());
            match LabelSelector::from_object(sel) {
                // Deployments and ReplicaSets stop here; DaemonSets go on to the template.
                Err(_) if required => {
                    errs.push(FieldError::invalid_repr(
                        "spec.selector",
                        go_label_selector(sel),
                        "invalid label selector",
                    ));
                    return errs;
                }
                Err(_) => {}
                Ok(parsed) => {
                    if !parsed.is_empty() && !parsed.matches(labels) {
                        template_errs.push(labels_mismatch(labels));
                    }
                }
            }
            let empty_err = FieldError::invalid_repr(
                "spec.selector",
                go_label_selector(sel),
                &format!("empty selector is invalid for {what}"),
            );
            if n == 0 {
                if what == "daemonset" {
                    template_errs.push(empty_err);
                } else {
                    errs.push(empty_err);
                }
            }
        }
    }
    errs.extend(template_errs);
    errs.extend(pod::validate_pod_template(template, "spec.template"));
    let rp = template
        .and_then(|t| t.get("spec"))
        .and_then(|s| s.get("restartPolicy"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if !rp.is_empty() && rp != "Always" {
        errs.push(FieldError::not_supported(
            "spec.template.spec.restartPolicy",
            json!(rp),
            &["Always"],
        ));
    }
    errs
}

fn labels_mismatch(labels: Option<&serde_json::Map<String, Value>>) -> FieldError {
    FieldError::invalid_repr(
        "spec.template.metadata.labels",
        go_string_map(labels),
        "`selector` does not match template `labels`",
    )
}

fn validate_strategy(strategy: &Value, errs: &mut Vec<FieldError>) {
    match strategy.get("type").and_then(Value::as_str).unwrap_or("") {
        "Recreate" => {
            if strategy.get("rollingUpdate").is_some_and(|r| !r.is_null()) {
                errs.push(FieldError::forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => {}
        "" => errs.push(FieldError::required("spec.strategy.type", "")),
        other => errs.push(FieldError::not_supported(
            "spec.strategy.type",
            json!(other),
            &["Recreate", "RollingUpdate"],
        )),
    }
}

pub(super) fn selector_immutable(obj: &Value, old: &Value, errs: &mut Vec<FieldError>) {
    let new_sel = obj.get("spec").and_then(|s| s.get("selector"));
    let old_sel = old.get("spec").and_then(|s| s.get("selector"));
    let norm = |v: Option<&Value>| v.map(|v| LabelSelector::from_object(v).map(|s| s.to_string()));
    if norm(new_sel) != norm(old_sel) {
        errs.push(FieldError::invalid_repr(
            "spec.selector",
            go_label_selector(new_sel.unwrap_or(&Value::Null)),
            "field is immutable",
        ));
    }
}
