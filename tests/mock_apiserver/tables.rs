//! The mock's server-side printing: a `meta.k8s.io/v1` Table per kind, ages fixed at `5m`.

use serde_json::{Value, json};

fn col(name: &str, ty: &str, priority: u8) -> Value {
    let mut c =
        json!({"name": name, "type": ty, "format": "", "description": name, "priority": priority});
    if name == "Name" {
        c["format"] = json!("name");
    }
    c
}

/// The cells after the name, for one object.
type Cells = fn(&Value) -> Vec<Value>;

pub fn table(plural: &str, objects: &[Value], rv: &str) -> Value {
    let (columns, cells): (Vec<Value>, Cells) = match plural {
        "pods" => (
            vec![
                col("Name", "string", 0),
                col("Ready", "string", 0),
                col("Status", "string", 0),
                col("Restarts", "string", 0),
                col("Age", "string", 0),
            ],
            |o| {
                let n = o["spec"]["containers"].as_array().map_or(0, Vec::len);
                let phase = if o["metadata"]["deletionTimestamp"].is_string() {
                    "Terminating".to_string()
                } else {
                    o["status"]["phase"]
                        .as_str()
                        .unwrap_or("Pending")
                        .to_string()
                };
                vec![
                    json!(format!("{n}/{n}")),
                    json!(phase),
                    json!(0),
                    json!("5m"),
                ]
            },
        ),
        "deployments" => (
            vec![
                col("Name", "string", 0),
                col("Ready", "string", 0),
                col("Up-to-date", "string", 0),
                col("Available", "string", 0),
                col("Age", "string", 0),
            ],
            |o| {
                let int = |p: &str| o.pointer(p).and_then(Value::as_i64).unwrap_or(0);
                vec![
                    json!(format!(
                        "{}/{}",
                        int("/status/readyReplicas"),
                        int("/spec/replicas")
                    )),
                    json!(int("/status/updatedReplicas")),
                    json!(int("/status/availableReplicas")),
                    json!("5m"),
                ]
            },
        ),
        "configmaps" => (
            vec![
                col("Name", "string", 0),
                col("Data", "string", 0),
                col("Age", "string", 0),
            ],
            |o| {
                vec![
                    json!(o["data"].as_object().map_or(0, |d| d.len())),
                    json!("5m"),
                ]
            },
        ),
        _ => (
            vec![col("Name", "string", 0), col("Created At", "date", 0)],
            |o| vec![o["metadata"]["creationTimestamp"].clone()],
        ),
    };
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let mut c = vec![o["metadata"]["name"].clone()];
            c.extend(cells(o));
            json!({"cells": c, "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                          "metadata": o["metadata"]}})
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": rv},
           "columnDefinitions": columns, "rows": rows})
}
