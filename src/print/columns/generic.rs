//! Resources without a dedicated printer: kube-apiserver's default table convertor prints the
//! name and the creation time as an RFC 3339 date.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn columns() -> Vec<Value> {
    vec![name_col(), column("Created At", "date", "", AGE_DOC, 0)]
}

pub fn cells(obj: &Value, _now: DateTime<Utc>) -> Vec<Value> {
    let created = field(obj, &["metadata", "creationTimestamp"])
        .and_then(Value::as_str)
        .and_then(parse_time)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    // A zero Go time formats as the year-1 date.
    vec![
        json!(name_of(obj)),
        json!(created.unwrap_or_else(|| "0001-01-01T00:00:00Z".to_string())),
    ]
}
