//! What the Endpoints and EndpointSlice controllers share: which Services to look at after
//! a change, and each Service's pods with their ports resolved.

use super::common::{self as c, Key};
use crate::api::options::ListOptions;
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::runtime::Context;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

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

/// Services to reconcile: changed ones (deleted ones too, reported as such) and every
/// Service in a namespace where a pod changed.
pub struct Work {
    pub services: BTreeSet<Key>,
}

pub fn work(ctx: &Context, changes: &c::ChangeCache) -> Result<Work, ApiError> {
    let mut services = BTreeSet::new();
    if ctx.since == 0 {
        for s in ctx.list("services", None, &ListOptions::default())? {
            services.insert(c::key_of(&s));
        }
        return Ok(Work { services });
    }
    for ev in changes.changed(ctx, "services")?.iter() {
        services.insert(c::key_of(&ev.object));
    }
    let namespaces: BTreeSet<String> = changes
        .changed(ctx, "pods")?
        .iter()
        .map(|ev| c::namespace(&ev.object).to_string())
        .collect();
    for ns in namespaces {
        for s in ctx.list("services", Some(&ns), &ListOptions::default())? {
            services.insert(c::key_of(&s));
        }
    }
    Ok(Work { services })
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

/// Pods by namespace, listed once per pass. The pods a controller creates or deletes are
/// its own; it forgets a namespace when it changes whose pods are whose (adopt, release).
#[derive(Default)]
pub struct PodCache(BTreeMap<String, Vec<Value>>);

impl PodCache {
    pub fn get(&mut self, ctx: &Context, ns: &str) -> Result<&[Value], ApiError> {
        if !self.0.contains_key(ns) {
            let pods = ctx.list("pods", Some(ns), &ListOptions::default())?;
            self.0.insert(ns.to_string(), pods);
        }
        Ok(self.0.get(ns).map(Vec::as_slice).unwrap_or(&[]))
    }

    pub fn forget(&mut self, ns: &str) {
        self.0.remove(ns);
    }
}

pub const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";
