//! ResourceQuota's server-side columns: used/hard per resource, limits.* in their own column.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn quota_columns() -> Vec<Value> {
    vec![
        name_col(),
        age_col(),
        string_col(
            "Request",
            "Request represents a minimum amount of cpu/memory that a container may consume.",
        ),
        string_col(
            "Limit",
            "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
        ),
    ]
}

pub fn quota_cells(q: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut names: Vec<&String> = map_at(q, &["spec", "hard"])
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    names.sort();
    let figure = |part: &str, name: &str| -> String {
        match q.pointer(&format!(
            "/status/{part}/{}",
            name.replace('~', "~0").replace('/', "~1")
        )) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => "0".to_string(),
        }
    };
    let (mut requests, mut limits) = (Vec::new(), Vec::new());
    for name in names {
        let cell = format!("{name}: {}/{}", figure("used", name), figure("hard", name));
        let limit = name
            .split_once('.')
            .is_some_and(|(head, _)| head == "limits");
        if limit {
            limits.push(cell);
        } else {
            requests.push(cell);
        }
    }
    vec![
        json!(name_of(q)),
        json!(creation_age(q, now)),
        json!(requests.join(", ")),
        json!(limits.join(", ")),
    ]
}
