//! What the API server computes: v1 ComponentStatuses (the Healthy condition's status,
//! message and error) and APIServices (where the API is served, whether it is available).

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

pub fn apiservice_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Service",
            "The reference to the service that hosts this API endpoint.",
        ),
        string_col("Available", "Whether this service is available."),
        age_col(),
    ]
}

pub fn apiservice_cells(svc: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let service = match svc.pointer("/spec/service").filter(|s| s.is_object()) {
        Some(s) => format!(
            "{}/{}",
            s.get("namespace").and_then(Value::as_str).unwrap_or(""),
            s.get("name").and_then(Value::as_str).unwrap_or("")
        ),
        None => "Local".to_string(),
    };
    let available = svc
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("Available"));
    let text = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let status = match available {
        None => "Unknown".to_string(),
        Some(c) if text(c, "status") == "True" => "True".to_string(),
        Some(c) => format!("{} ({})", text(c, "status"), text(c, "reason")),
    };
    vec![
        json!(name_of(svc)),
        json!(service),
        json!(status),
        json!(creation_age(svc, now)),
    ]
}
