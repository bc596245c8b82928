//! autoscaling/v2 HorizontalPodAutoscalers: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;
use crate::api::quantity::Quantity;

pub fn hpa_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Reference",
            "The object whose replicas the autoscaler sets.",
        ),
        string_col(
            "Targets",
            "Current and target value of each metric (the first two).",
        ),
        string_col("MinPods", "Lowest replica count the autoscaler may set."),
        string_col("MaxPods", "Highest replica count the autoscaler may set."),
        string_col(
            "Replicas",
            "Replicas of the target as the autoscaler last saw them.",
        ),
        age_col(),
    ]
}

pub fn hpa_cells(hpa: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let reference = format!(
        "{}/{}",
        str_at(hpa, &["spec", "scaleTargetRef", "kind"]),
        str_at(hpa, &["spec", "scaleTargetRef", "name"])
    );
    let min = match field(hpa, &["spec", "minReplicas"]).and_then(Value::as_i64) {
        Some(n) => json!(n),
        None => json!("<unset>"),
    };
    vec![
        json!(name_of(hpa)),
        json!(reference),
        json!(targets(
            array_at(hpa, &["spec", "metrics"]),
            array_at(hpa, &["status", "currentMetrics"])
        )),
        min,
        json!(int_at(hpa, &["spec", "maxReplicas"])),
        json!(int_at(hpa, &["status", "currentReplicas"])),
        json!(creation_age(hpa, now)),
    ]
}

/// A quantity in its canonical form (`500m`, `1Gi`), as Go's `Quantity.String()` prints it.
pub fn quantity_text(v: Option<&Value>) -> String {
    v.and_then(Quantity::from_json)
        .map_or_else(|| "0".to_string(), |q| q.to_string())
}

fn set(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

/// One metric as `current/target`: `cpu: 42%/80%`, `<unknown>` before the controller has
/// measured it.
fn one_target(spec: &Value, status: Option<&Value>) -> String {
    const UNKNOWN: &str = "<unknown>";
    let source = |key: &str| status.and_then(|s| set(s.get(key)));
    match spec["type"].as_str().unwrap_or("") {
        "Resource" | "ContainerResource" => {
            let key = if spec["type"] == "Resource" {
                "resource"
            } else {
                "containerResource"
            };
            let src = &spec[key];
            let name = src["name"].as_str().unwrap_or("");
            let current = source(key);
            if let Some(avg) = set(src["target"].get("averageValue")) {
                let cur = current.map_or(UNKNOWN.to_string(), |c| {
                    quantity_text(c["current"].get("averageValue"))
                });
                format!("{name}: {cur}/{}", quantity_text(Some(avg)))
            } else {
                let cur = current
                    .and_then(|c| c["current"]["averageUtilization"].as_i64())
                    .map_or(UNKNOWN.to_string(), |u| format!("{u}%"));
                let target = src["target"]["averageUtilization"]
                    .as_i64()
                    .map_or("<auto>".to_string(), |u| format!("{u}%"));
                format!("{name}: {cur}/{target}")
            }
        }
        "Pods" => {
            let cur = source("pods").map_or(UNKNOWN.to_string(), |c| {
                quantity_text(c["current"].get("averageValue"))
            });
            format!(
                "{cur}/{}",
                quantity_text(spec["pods"]["target"].get("averageValue"))
            )
        }
        ty @ ("Object" | "External") => {
            let key = if ty == "Object" { "object" } else { "external" };
            let target = &spec[key]["target"];
            if let Some(avg) = set(target.get("averageValue")) {
                let cur = source(key)
                    .and_then(|c| set(c["current"].get("averageValue")))
                    .map_or(UNKNOWN.to_string(), |v| quantity_text(Some(v)));
                format!("{cur}/{} (avg)", quantity_text(Some(avg)))
            } else {
                let cur = source(key).map_or(UNKNOWN.to_string(), |c| {
                    quantity_text(c["current"].get("value"))
                });
                format!("{cur}/{}", quantity_text(target.get("value")))
            }
        }
        _ => "<unknown type>".to_string(),
    }
}

/// The TARGETS cell: the first two metrics, then `+ N more...`.
pub fn targets(specs: &[Value], statuses: &[Value]) -> String {
    if specs.is_empty() {
        return "<none>".into();
    }
    let list: Vec<String> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| one_target(s, statuses.get(i)))
        .collect();
    if list.len() > 2 {
        format!("{} + {} more...", list[..2].join(", "), list.len() - 2)
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_show_unknown_then_measured_utilization() {
        let spec = json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": 80}}});
        assert_eq!(
            targets(std::slice::from_ref(&spec), &[]),
            "cpu: <unknown>/80%"
        );
        let status = json!({"type": "Resource", "resource": {"name": "cpu",
            "current": {"averageUtilization": 42, "averageValue": "42m"}}});
        assert_eq!(
            targets(std::slice::from_ref(&spec), &[status]),
            "cpu: 42%/80%"
        );
        let three = [spec.clone(), spec.clone(), spec];
        assert_eq!(
            targets(&three, &[]),
            "cpu: <unknown>/80%, cpu: <unknown>/80% + 1 more..."
        );
        assert_eq!(targets(&[], &[]), "<none>");
    }

    #[test]
    fn average_value_targets_print_quantities() {
        let spec = json!({"type": "Resource", "resource": {"name": "memory",
            "target": {"type": "AverageValue", "averageValue": "512Mi"}}});
        assert_eq!(targets(&[spec], &[]), "memory: <unknown>/512Mi");
    }
}
