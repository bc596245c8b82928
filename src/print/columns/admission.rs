//! Printers of the admissionregistration.k8s.io kinds, with kube-apiserver 1.32's columns.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn webhook_configuration_columns() -> Vec<Value> {
    vec![
        name_col(),
        integer_col(
            "Webhooks",
            "Webhooks indicates the number of webhooks present in this configuration.",
        ),
        age_col(),
    ]
}

pub fn webhook_configuration_cells(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(obj)),
        json!(array_at(obj, &["webhooks"]).len()),
        json!(creation_age(obj, now)),
    ]
}

pub fn policy_columns() -> Vec<Value> {
    vec![
        name_col(),
        integer_col(
            "Validations",
            "Validations indicates the number of validation rules defined in this configuration",
        ),
        string_col(
            "ParamKind",
            "ParamKind specifies the kind of resources used to parameterize this policy",
        ),
        age_col(),
    ]
}

pub fn policy_cells(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let param_kind = match field(obj, &["spec", "paramKind"]).filter(|p| p.is_object()) {
        Some(_) => format!(
            "{}/{}",
            str_at(obj, &["spec", "paramKind", "apiVersion"]),
            str_at(obj, &["spec", "paramKind", "kind"])
        ),
        None => "<unset>".to_string(),
    };
    vec![
        json!(name_of(obj)),
        json!(array_at(obj, &["spec", "validations"]).len()),
        json!(param_kind),
        json!(creation_age(obj, now)),
    ]
}

pub fn binding_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "PolicyName",
            "PolicyName indicates the policy definition which the policy binding binded to",
        ),
        string_col(
            "ParamRef",
            "ParamRef indicates the param resource which the policy binding binded to",
        ),
        age_col(),
    ]
}

/// kube prints the param: `namespace/name`, `*/name` without a namespace, or the selector
/// as Go's generated `String()` of a LabelSelector.
pub fn binding_cells(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let param = match field(obj, &["spec", "paramRef"]).filter(|p| p.is_object()) {
        None => "<unset>".to_string(),
        Some(pr) => {
            let name = pr.get("name").and_then(Value::as_str).unwrap_or("");
            let ns = pr.get("namespace").and_then(Value::as_str).unwrap_or("");
            match (name, pr.get("selector").filter(|s| s.is_object())) {
                ("", Some(sel)) => selector_string(sel),
                ("", None) => "<unset>".to_string(),
                (n, _) if ns.is_empty() => format!("*/{n}"),
                (n, _) => format!("{ns}/{n}"),
            }
        }
    };
    vec![
        json!(name_of(obj)),
        json!(str_at(obj, &["spec", "policyName"])),
        json!(param),
        json!(creation_age(obj, now)),
    ]
}

/// The protobuf-generated `String()` of a metav1.LabelSelector.
fn selector_string(sel: &Value) -> String {
    let mut labels = String::from("map[string]string{");
    if let Some(m) = sel.get("matchLabels").and_then(Value::as_object) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            labels.push_str(&format!("{k}: {},", m[k].as_str().unwrap_or("")));
        }
    }
    labels.push('}');
    let mut exprs = String::from("[]LabelSelectorRequirement{");
    for e in array_at(sel, &["matchExpressions"]) {
        let values: Vec<&str> = array_at(e, &["values"])
            .iter()
            .map(|v| v.as_str().unwrap_or(""))
            .collect();
        exprs.push_str(&format!(
            "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
            str_at(e, &["key"]),
            str_at(e, &["operator"]),
            values.join(" ")
        ));
    }
    exprs.push('}');
    format!("&LabelSelector{{MatchLabels:{labels},MatchExpressions:{exprs},}}")
}
