//! LabelSelector objects (`matchLabels`, `matchExpressions`) as kube-apiserver checks them
//! wherever a spec carries one.

use super::field_error::{FieldError, child};
use super::meta;
use serde_json::{Value, json};

/// Syntax of a LabelSelector object: matchLabels like labels, each expression's operator,
/// key and values.
pub(super) fn validate_label_selector(sel: &Value, path: &str) -> Vec<FieldError> {
    validate_label_selector_with(sel, path, false)
}

/// [`validate_label_selector`], with kube's `AllowInvalidLabelValueInSelector`: the values
/// of expressions go unchecked (an update keeping what an older server accepted).
pub(super) fn validate_label_selector_with(
    sel: &Value,
    path: &str,
    allow_invalid_values: bool,
) -> Vec<FieldError> {
    let mut errs = meta::validate_labels(
        sel.get("matchLabels").and_then(Value::as_object),
        &child(path, "matchLabels"),
    );
    let exprs = sel.get("matchExpressions").and_then(Value::as_array);
    for (i, e) in exprs.into_iter().flatten().enumerate() {
        let p = super::field_error::index(&child(path, "matchExpressions"), i);
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_str().unwrap_or("")).collect())
            .unwrap_or_default();
        match e.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" | "NotIn" if values.is_empty() => errs.push(FieldError::required(
                &child(&p, "values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !values.is_empty() => errs.push(FieldError::forbidden(
                &child(&p, "values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(FieldError::invalid(
                &child(&p, "operator"),
                json!(other),
                "not a valid selector operator",
            )),
        }
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        for m in super::names::is_qualified_name(key) {
            errs.push(FieldError::invalid(&child(&p, "key"), json!(key), &m));
        }
        let checked = if allow_invalid_values {
            &[][..]
        } else {
            &values[..]
        };
        for (j, v) in checked.iter().enumerate() {
            for m in super::names::is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    &super::field_error::index(&child(&p, "values"), j),
                    json!(v),
                    &m,
                ));
            }
        }
    }
    errs
}
