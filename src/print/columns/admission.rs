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
