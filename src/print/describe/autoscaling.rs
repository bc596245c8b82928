//! `kubectl describe hpa` (autoscaling/v2): the reference, each metric as `current / target`,
//! the replica bounds, the scaling behavior, the target's pod counts, conditions and events.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::events_block;
use super::json::{arr, at, int, s};
use super::meta::{annotations_block, labels_block};
use super::related::Related;
use super::time::rfc1123;
use super::writer::Out;
use crate::print::columns::hpa_quantity_text as q;

const UNKNOWN: &str = "<unknown>";

fn set(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

pub fn render(hpa: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(hpa, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(hpa, &["metadata", "namespace"])),
    );
    labels_block(&mut w, "Labels", at(hpa, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(hpa, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123(hpa, &["metadata", "creationTimestamp"])
        ),
    );
    let kind = s(hpa, &["spec", "scaleTargetRef", "kind"]);
    w.w(
        0,
        &format!(
            "Reference:\t{kind}/{}\n",
            s(hpa, &["spec", "scaleTargetRef", "name"])
        ),
    );
    w.w(0, "Metrics:\t( current / target )\n");
    let statuses = arr(hpa, &["status", "currentMetrics"]);
    for (i, metric) in arr(hpa, &["spec", "metrics"]).iter().enumerate() {
        metric_lines(&mut w, metric, statuses.get(i));
    }
    let min = at(hpa, &["spec", "minReplicas"])
        .and_then(Value::as_i64)
        .map_or("<unset>".to_string(), |m| m.to_string());
    w.w(0, &format!("Min replicas:\t{min}\n"));
    w.w(
        0,
        &format!("Max replicas:\t{}\n", int(hpa, &["spec", "maxReplicas"])),
    );
    if let Some(behavior) = set(at(hpa, &["spec", "behavior"])) {
        w.w(0, "Behavior:\n");
        direction(&mut w, "Scale Up", set(behavior.get("scaleUp")));
        direction(&mut w, "Scale Down", set(behavior.get("scaleDown")));
    }
    w.w(0, &format!("{kind} pods:\t"));
    w.w(
        0,
        &format!(
            "{} current / {} desired\n",
            int(hpa, &["status", "currentReplicas"]),
            int(hpa, &["status", "desiredReplicas"])
        ),
    );
    let conditions = arr(hpa, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tReason\tMessage\n");
        w.w(1, "----\t------\t------\t-------\n");
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// The current value of a metric source's status (`current.<field>`), `<unknown>` if absent.
fn current(status: Option<&Value>, key: &str, field: &str) -> String {
    status
        .and_then(|st| set(st.get(key)))
        .map_or(UNKNOWN.to_string(), |src| q(src["current"].get(field)))
}

fn metric_lines(w: &mut Out, metric: &Value, status: Option<&Value>) {
    let ty = s(metric, &["type"]);
    match ty {
        "External" => {
            let src = &metric["external"];
            let name = go_quote(src["metric"]["name"].as_str().unwrap_or(""));
            if let Some(avg) = set(src["target"].get("averageValue")) {
                let cur = status
                    .and_then(|st| set(st.get("external")))
                    .and_then(|e| set(e["current"].get("averageValue")))
                    .map_or(UNKNOWN.to_string(), |v| q(Some(v)));
                w.w(
                    1,
                    &format!("{name} (target average value):\t{cur} / {}\n", q(Some(avg))),
                );
            } else {
                let cur = current(status, "external", "value");
                let target = q(src["target"].get("value"));
                w.w(1, &format!("{name} (target value):\t{cur} / {target}\n"));
            }
        }
        "Pods" => {
            let src = &metric["pods"];
            let name = go_quote(src["metric"]["name"].as_str().unwrap_or(""));
            let cur = current(status, "pods", "averageValue");
            let target = q(src["target"].get("averageValue"));
            w.w(1, &format!("{name} on pods:\t{cur} / {target}\n"));
        }
        "Object" => {
            let src = &metric["object"];
            w.w(
                1,
                &format!(
                    "\"{}\" on {}/{} ",
                    s(src, &["metric", "name"]),
                    s(src, &["describedObject", "kind"]),
                    s(src, &["describedObject", "name"])
                ),
            );
            if s(src, &["target", "type"]) == "AverageValue" {
                let cur = current(status, "object", "averageValue");
                let target = q(src["target"].get("averageValue"));
                w.w(0, &format!("(target average value):\t{cur} / {target}\n"));
            } else {
                let cur = current(status, "object", "value");
                let target = q(src["target"].get("value"));
                w.w(0, &format!("(target value):\t{cur} / {target}\n"));
            }
        }
        "Resource" | "ContainerResource" => {
            let key = if ty == "Resource" {
                "resource"
            } else {
                "containerResource"
            };
            let src = &metric[key];
            let name = s(src, &["name"]);
            if ty == "Resource" {
                w.w(1, &format!("resource {name} on pods"));
            } else {
                w.w(
                    1,
                    &format!(
                        "resource {name} of container \"{}\" on pods",
                        s(src, &["container"])
                    ),
                );
            }
            if let Some(avg) = set(src["target"].get("averageValue")) {
                let cur = current(status, key, "averageValue");
                w.w(0, &format!(":\t{cur} / {}\n", q(Some(avg))));
            } else {
                let cur = status
                    .and_then(|st| set(st.get(key)))
                    .and_then(|m| {
                        let util = m["current"]["averageUtilization"].as_i64()?;
                        Some(format!("{util}% ({})", q(m["current"].get("averageValue"))))
                    })
                    .unwrap_or_else(|| UNKNOWN.to_string());
                let target = src["target"]["averageUtilization"]
                    .as_i64()
                    .map_or("<auto>".to_string(), |u| format!("{u}%"));
                w.w(
                    1,
                    &format!("(as a percentage of request):\t{cur} / {target}\n"),
                );
            }
        }
        other => w.w(1, &format!("<unknown metric type {}>\n", go_quote(other))),
    }
}

fn go_quote(text: &str) -> String {
    crate::api::validation::go_quote(text)
}

/// One direction of `spec.behavior`: its window, select policy and policies.
fn direction(w: &mut Out, title: &str, rules: Option<&Value>) {
    let Some(rules) = rules else {
        return;
    };
    w.w(1, &format!("{title}:\n"));
    if let Some(window) = rules["stabilizationWindowSeconds"].as_i64() {
        w.w(2, &format!("Stabilization Window: {window} seconds\n"));
    }
    let policies = arr(rules, &["policies"]);
    if policies.is_empty() {
        return;
    }
    let select = rules["selectPolicy"].as_str().unwrap_or("Max");
    w.w(2, &format!("Select Policy: {select}\n"));
    w.w(2, "Policies:\n");
    for p in policies {
        w.w(
            3,
            &format!(
                "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                s(p, &["type"]),
                int(p, &["value"]),
                int(p, &["periodSeconds"])
            ),
        );
    }
}
