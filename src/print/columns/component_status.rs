//! v1 ComponentStatuses: the Healthy condition's status, message and error.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Status", "Status of the component conditions"),
        string_col("Message", "Message of the component conditions"),
        string_col("Error", "Error of the component conditions"),
    ]
}

pub fn cells(cs: &Value, _now: DateTime<Utc>) -> Vec<Value> {
    let healthy = cs
        .get("conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("Healthy"));
    let text = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (status, message, error) = match healthy {
        None => ("Unknown".to_string(), String::new(), String::new()),
        Some(c) => (
            if text(c, "status") == "True" {
                "Healthy".to_string()
            } else {
                "Unhealthy".to_string()
            },
            text(c, "message"),
            text(c, "error"),
        ),
    };
    vec![
        json!(name_of(cs)),
        json!(status),
        json!(message),
        json!(error),
    ]
}
