//! PodDisruptionBudget, PriorityClass, RuntimeClass, ReplicationController and PodTemplate,
//! with kube-apiserver 1.32's field paths and messages.

use super::field_error::{FieldError, child, go_string_map, nonnegative};
use super::label_selector::validate_label_selector;
use super::{meta, names, pod};
use serde_json::{Value, json};

/// The highest value a PriorityClass not named `system-` may have.
pub const HIGHEST_USER_PRIORITY: i64 = 1_000_000_000;
/// The built-in classes: name and value (neither is a global default).
pub const SYSTEM_PRIORITY_CLASSES: [(&str, i64); 2] = [
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

pub fn validate_pdb(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("PodDisruptionBudget", obj, old);
    let spec = obj.get("spec");
    let min = spec
        .and_then(|s| s.get("minAvailable"))
        .filter(|v| !v.is_null());
    let max = spec
        .and_then(|s| s.get("maxUnavailable"))
        .filter(|v| !v.is_null());
    if min.is_some() && max.is_some() {
        errs.push(FieldError::invalid_repr(
            "spec",
            "policy.PodDisruptionBudgetSpec{...}".to_string(),
            "minAvailable and maxUnavailable cannot be both set",
        ));
    }
    for (k, v) in [("minAvailable", min), ("maxUnavailable", max)] {
        if let Some(v) = v {
            int_or_percent(v, &format!("spec.{k}"), &mut errs);
        }
    }
    if let Some(sel) = spec
        .and_then(|s| s.get("selector"))
        .filter(|s| !s.is_null())
    {
        errs.extend(validate_label_selector(sel, "spec.selector"));
    }
    if let Some(p) = spec
        .and_then(|s| s.get("unhealthyPodEvictionPolicy"))
        .and_then(Value::as_str)
        && !matches!(p, "IfHealthyBudget" | "AlwaysAllow")
    {
        errs.push(FieldError::not_supported(
            "spec.unhealthyPodEvictionPolicy",
            json!(p),
            &["AlwaysAllow", "IfHealthyBudget"],
        ));
    }
    errs
}

/// kube's ValidatePositiveIntOrPercent plus the 100% ceiling.
fn int_or_percent(v: &Value, path: &str, errs: &mut Vec<FieldError>) {
    match v {
        Value::Number(n) if n.as_i64().is_some_and(|i| i < 0) => {
            errs.push(FieldError::invalid(
                path,
                v.clone(),
                "must be greater than or equal to 0",
            ));
        }
        Value::String(s) => {
            // kube reports the IntOrString itself, which Go prints as its struct.
            let repr = format!(
                "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
                super::go_quote(s)
            );
            let pct = s
                .strip_suffix('%')
                .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            match pct.and_then(|d| d.parse::<i64>().ok()) {
                None => errs.push(FieldError::invalid_repr(
                    path,
                    repr,
                    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                )),
                Some(p) if p > 100 => errs.push(FieldError::invalid_repr(
                    path,
                    repr,
                    "must not be greater than 100%",
                )),
                Some(_) => {}
            }
        }
        _ => {}
    }
}

pub fn validate_priority_class(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("PriorityClass", obj, old);
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let value = obj.get("value").and_then(Value::as_i64).unwrap_or(0);
    let global = obj
        .get("globalDefault")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if name.starts_with("system-") {
        if let Some(problem) = system_class_problem(name, value, global) {
            errs.push(FieldError::forbidden(
                "metadata.name",
                &format!(
                    "priority class names with 'system-' prefix are reserved for system use only. error: {problem}"
                ),
            ));
        }
    } else if value > HIGHEST_USER_PRIORITY {
        errs.push(FieldError::forbidden(
            "value",
            &format!("maximum allowed value of a user defined priority is {HIGHEST_USER_PRIORITY}"),
        ));
    }
    if let Some(p) = obj.get("preemptionPolicy").and_then(Value::as_str)
        && !matches!(p, "Never" | "PreemptLowerPriority")
    {
        errs.push(FieldError::not_supported(
            "preemptionPolicy",
            json!(p),
            &["Never", "PreemptLowerPriority"],
        ));
    }
    if let Some(old) = old {
        if old.get("value") != obj.get("value") {
            errs.push(FieldError::forbidden(
                "value",
                "may not be changed in an update.",
            ));
        }
        if old.get("preemptionPolicy") != obj.get("preemptionPolicy") {
            errs.push(FieldError::invalid(
                "preemptionPolicy",
                obj.get("preemptionPolicy").cloned().unwrap_or(Value::Null),
                "field is immutable",
            ));
        }
    }
    errs
}

/// Why a `system-` class is not one of the built-in ones, as kube words it.
fn system_class_problem(name: &str, value: i64, global: bool) -> Option<String> {
    match SYSTEM_PRIORITY_CLASSES.iter().find(|(n, _)| *n == name) {
        None => Some(format!("{name} is not a known system priority class")),
        Some((_, v)) if *v != value => Some(format!("value of {name} PriorityClass must be {v}")),
        Some(_) if global => Some(format!(
            "globalDefault of {name} PriorityClass must be false"
        )),
        Some(_) => None,
    }
}

pub fn validate_runtime_class(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("RuntimeClass", obj, old);
    let handler = obj.get("handler").and_then(Value::as_str).unwrap_or("");
    for m in names::is_dns1123_label(handler) {
        errs.push(FieldError::invalid("handler", json!(handler), &m));
    }
    if let Some(old) = old
        && old.get("handler") != obj.get("handler")
    {
        errs.push(FieldError::invalid(
            "handler",
            json!(handler),
            "field is immutable",
        ));
    }
    errs
}

pub fn validate_replication_controller(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("ReplicationController", obj, old);
    let spec = obj.get("spec");
    nonnegative(spec, "replicas", "spec", &mut errs);
    nonnegative(spec, "minReadySeconds", "spec", &mut errs);
    let selector = spec
        .and_then(|s| s.get("selector"))
        .and_then(Value::as_object)
        .filter(|m| !m.is_empty());
    match selector {
        None => errs.push(FieldError::required("spec.selector", "")),
        Some(sel) => errs.extend(meta::validate_labels(Some(sel), "spec.selector")),
    }
    let template = spec
        .and_then(|s| s.get("template"))
        .filter(|t| !t.is_null());
    let Some(template) = template else {
        errs.push(FieldError::required("spec.template", ""));
        return errs;
    };
    let labels = template
        .pointer("/metadata/labels")
        .and_then(Value::as_object);
    if let Some(sel) = selector {
        let matches = sel
            .iter()
            .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
        if !matches {
            errs.push(FieldError::invalid_repr(
                "spec.template.metadata.labels",
                go_string_map(labels),
                "`selector` does not match template `labels`",
            ));
        }
    }
    errs.extend(pod::validate_pod_template(Some(template), "spec.template"));
    let rp = template
        .pointer("/spec/restartPolicy")
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

pub fn validate_pod_template_object(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("PodTemplate", obj, old);
    errs.extend(pod::validate_pod_template(
        obj.get("template"),
        &child("", "template"),
    ));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn pdb_bounds() {
        let pdb = json!({"metadata": {"name": "p", "namespace": "d"},
                         "spec": {"minAvailable": "150%"}});
        assert_eq!(
            messages(&validate_pdb(&pdb, None)),
            [
                "spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"
            ]
        );
        let pdb = json!({"metadata": {"name": "p", "namespace": "d"},
                         "spec": {"maxUnavailable": -1}});
        assert_eq!(
            messages(&validate_pdb(&pdb, None)),
            ["spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"]
        );
    }

    #[test]
    fn priority_class_limits() {
        let pc = json!({"metadata": {"name": "big"}, "value": 1_000_000_001});
        assert_eq!(
            messages(&validate_priority_class(&pc, None)),
            ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]
        );
        let pc = json!({"metadata": {"name": "system-x"}, "value": 1});
        assert_eq!(
            messages(&validate_priority_class(&pc, None)),
            [
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class"
            ]
        );
        let pc = json!({"metadata": {"name": "system-node-critical"}, "value": 2_000_001_000});
        assert!(validate_priority_class(&pc, None).is_empty());
    }

    #[test]
    fn rc_selector_must_match_template() {
        let rc = json!({"metadata": {"name": "r", "namespace": "d"}, "spec": {
            "replicas": 1, "selector": {"app": "x"},
            "template": {"metadata": {"labels": {"app": "y"}},
                         "spec": {"containers": [{"name": "c", "image": "i",
                             "imagePullPolicy": "Always", "terminationMessagePolicy": "File"}],
                             "restartPolicy": "Always", "dnsPolicy": "ClusterFirst"}}}});
        let m = messages(&validate_replication_controller(&rc, None));
        assert!(
            m.contains(&"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"y\"}: `selector` does not match template `labels`".to_string()),
            "{m:?}"
        );
    }
}
