//! metrics-server's API as kube-apiserver serves it once metrics-server's APIService is
//! registered: the `metrics.k8s.io` group in discovery (after the built-in groups) and
//! GET/LIST of NodeMetrics and PodMetrics. The usage itself is simulated by the API server
//! (`apiserver::metrics`).

use super::State;
use super::message::{Request, Response, json, json_as};
use super::negotiate::{Representation, TABLE_CONTENT_TYPE, choose};
use crate::api::metrics::{self, GROUP, RESOURCES, VERBS, VERSION};
use crate::api::options::ListOptions;
use crate::api::quantity::Quantity;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::client::Client;
use hyper::Method;
use serde_json::{Value, json};

fn group_version() -> String {
    format!("{GROUP}/{VERSION}")
}

/// The group's entry in an aggregated `/apis` (APIGroupDiscovery).
pub fn aggregated_group() -> Value {
    let resources: Vec<Value> = RESOURCES
        .iter()
        .map(|r| {
            json!({
                "resource": r.plural,
                "responseKind": {"group": GROUP, "version": VERSION, "kind": r.kind},
                "scope": if r.namespaced { "Namespaced" } else { "Cluster" },
                "verbs": VERBS,
            })
        })
        .collect();
    json!({
        "metadata": {"name": GROUP},
        "versions": [{"version": VERSION, "resources": resources, "freshness": "Current"}]
    })
}

/// The group as a legacy `APIGroup` (`/apis/metrics.k8s.io`, and in `/apis`).
pub fn api_group() -> Value {
    let gv = json!({"groupVersion": group_version(), "version": VERSION});
    json!({
        "kind": "APIGroup",
        "apiVersion": "v1",
        "name": GROUP,
        "versions": [gv],
        "preferredVersion": gv,
    })
}

/// Legacy `/apis/metrics.k8s.io/v1beta1`.
pub fn resource_list() -> Value {
    let resources: Vec<Value> = RESOURCES
        .iter()
        .map(|r| {
            json!({
                "name": r.plural,
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": r.kind,
                "verbs": VERBS,
            })
        })
        .collect();
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version(),
        "resources": resources,
    })
}

pub fn is_metrics(r: &Resource) -> bool {
    r.group == GROUP
}

/// GET of one NodeMetrics/PodMetrics or of a list; metrics-server serves nothing else.
pub fn handle(
    state: &State,
    r: &Resource,
    namespace: Option<&str>,
    name: Option<&str>,
    sub: Option<&str>,
    req: &Request,
) -> Result<Response, ApiError> {
    // metrics-server has no watch.
    if req.method != Method::GET || matches!(req.param("watch"), Some("true" | "1")) {
        return Err(ApiError::method_not_allowed());
    }
    if sub.is_some() {
        return Err(ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ));
    }
    let opts = ListOptions {
        label_selector: req.param("labelSelector").map(str::to_string),
        field_selector: req.param("fieldSelector").map(str::to_string),
        ..ListOptions::default()
    };
    let r = if r.namespaced {
        metrics::pods()
    } else {
        metrics::nodes()
    };
    let out = state.client.metrics(r, namespace, name, &opts)?;
    if choose(req.header("accept"), &[Representation::Table]) == Representation::Table {
        return Ok(json_as(200, TABLE_CONTENT_TYPE, &table(&out)));
    }
    Ok(json(200, &out))
}

/// metrics-server's server-side printing: name, CPU, memory and window (a pod's usage is
/// the sum of its containers').
fn table(found: &Value) -> Value {
    let items: Vec<&Value> = match found["items"].as_array() {
        Some(items) => items.iter().collect(),
        None => vec![found],
    };
    let column = |name: &str, format: &str| json!({"name": name, "type": "string", "format": format, "description": "", "priority": 0});
    let rows: Vec<Value> = items
        .iter()
        .map(|m| {
            let mut usage = metrics::Usage::default();
            let mut add = |u: &Value| {
                let q = |k: &str| u.get(k).and_then(Quantity::from_json).unwrap_or_default();
                usage.add(metrics::Usage {
                    cpu_nanos: q("cpu").nanos(),
                    memory_bytes: q("memory").value(),
                });
            };
            match m["containers"].as_array() {
                Some(cs) => cs.iter().for_each(|c| add(&c["usage"])),
                None => add(&m["usage"]),
            }
            let u = usage.to_json();
            json!({
                "cells": [m["metadata"]["name"], u["cpu"], u["memory"], m["window"]],
                "object": {
                    "kind": "PartialObjectMetadata",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": m["metadata"],
                },
            })
        })
        .collect();
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": ""},
        "columnDefinitions": [
            column("Name", "name"),
            column("CPU", ""),
            column("Memory", ""),
            column("Window", ""),
        ],
        "rows": rows,
    })
}
