//! What the Endpoints and EndpointSlice controllers share: which Services to look at after
//! a change, and each Service's pods with their ports resolved.

use super::common as c;
use crate::api::selector::LabelSelector;
use crate::runtime::{Kind, Mapping, Trigger, Triggers};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// One port of an endpoint: name, port number, protocol (and appProtocol).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EndpointPort {
    pub name: String,
    pub port: i64,
    pub protocol: String,
    pub app_protocol: Option<String>,
}

/// A pod behind a Service.
pub struct Backend {
    pub pod: Value,
    pub ip: String,
    pub ready: bool,
    pub terminating: bool,
    /// The Service's ports this pod serves, resolved to its container ports.
    pub ports: Vec<EndpointPort>,
}

/// What wakes a controller of Services' endpoints: its Services, and every Service of a
/// namespace where a pod changed.
pub fn triggers() -> Triggers {
    Triggers {
        kind: Kind {
            plural: "services",
            kind: "Service",
            api_version: "v1",
        },
        others: vec![Trigger {
            plural: "pods",
            mapping: Mapping::By(|_, ev, wake| {
                wake.namespace(c::namespace(&ev.object));
                Ok(())
            }),
        }],
        timed: None,
    }
}

/// The Service's selector, if it has one (Services without one are managed by hand).
pub fn selector(svc: &Value) -> Option<LabelSelector> {
    svc.pointer("/spec/selector")
        .and_then(Value::as_object)
        .filter(|m| !m.is_empty())
        .map(LabelSelector::from_map)
}

/// The pods behind a Service, in IP order. `include_terminating` keeps pods that are being
/// deleted (EndpointSlices report them; Endpoints drop them).
pub fn backends(svc: &Value, pods: &[Value], include_terminating: bool) -> Vec<Backend> {
    let Some(sel) = selector(svc) else {
        return Vec::new();
    };
    let publish_not_ready = svc
        .pointer("/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        == Some(true);
    let mut out: Vec<Backend> = pods
        .iter()
        .filter(|p| sel.matches(c::labels(p)))
        .filter(|p| !matches!(c::str_at(p, "/status/phase"), "Succeeded" | "Failed"))
        .filter_map(|p| {
            let ip = c::str_at(p, "/status/podIP");
            let terminating = c::is_terminating(p);
            if ip.is_empty() || (terminating && !include_terminating && !publish_not_ready) {
                return None;
            }
            Some(Backend {
                pod: p.clone(),
                ip: ip.to_string(),
                ready: c::pod_is_ready(p) || publish_not_ready,
                terminating,
                ports: resolve_ports(svc, p),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        ip_key(&a.ip)
            .cmp(&ip_key(&b.ip))
            .then(c::uid(&a.pod).cmp(c::uid(&b.pod)))
    });
    out
}

/// IPv4 addresses compare numerically.
fn ip_key(ip: &str) -> Vec<u32> {
    ip.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// The Service's ports served by a pod: numeric targetPorts as they are, named ones looked up
/// among the pod's container ports (a pod without that name does not serve that port).
fn resolve_ports(svc: &Value, pod: &Value) -> Vec<EndpointPort> {
    let ports = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for sp in &ports {
        let protocol = sp
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP")
            .to_string();
        let number = match sp.get("targetPort") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => match s.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => container_port(pod, s, &protocol),
            },
            _ => sp.get("port").and_then(Value::as_i64),
        };
        let Some(port) = number else { continue };
        out.push(EndpointPort {
            name: sp
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            port,
            protocol,
            app_protocol: sp
                .get("appProtocol")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
    out
}

fn container_port(pod: &Value, name: &str, protocol: &str) -> Option<i64> {
    let containers = pod.pointer("/spec/containers").and_then(Value::as_array)?;
    containers
        .iter()
        .filter_map(|ct| ct.get("ports").and_then(Value::as_array))
        .flatten()
        .find(|p| {
            p.get("name").and_then(Value::as_str) == Some(name)
                && p.get("protocol").and_then(Value::as_str).unwrap_or("TCP") == protocol
        })
        .and_then(|p| p.get("containerPort").and_then(Value::as_i64))
}

/// A pod reference as endpoints carry it.
pub fn target_ref(pod: &Value) -> Value {
    json!({
        "kind": "Pod",
        "namespace": c::namespace(pod),
        "name": c::name(pod),
        "uid": c::uid(pod),
    })
}

/// Labels for the Service's endpoints: the Service's own, plus `extra`, sorted by key.
pub fn endpoint_labels(svc: &Value, extra: &[(&str, &str)]) -> Map<String, Value> {
    let mut m: BTreeMap<String, Value> = c::labels(svc)
        .map(|l| l.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    if c::str_at(svc, "/spec/clusterIP") == "None" {
        m.insert("service.kubernetes.io/headless".into(), json!(""));
    }
    for (k, v) in extra {
        m.insert((*k).into(), json!(v));
    }
    m.into_iter().collect()
}

pub const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";
