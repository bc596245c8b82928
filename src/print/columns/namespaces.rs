//! Namespaces: STATUS is the phase.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Status", "The status of the namespace"),
        age_col(),
    ]
}

pub fn cells(ns: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(ns)),
        json!(str_at(ns, &["status", "phase"])),
        json!(creation_age(ns, now)),
    ]
}
