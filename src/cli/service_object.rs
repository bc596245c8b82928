//! The Service object kubectl builds itself for `expose` and `run --expose`, field by field
//! in the order its Go structs print, so a client dry run prints kubectl's bytes.

use serde_json::{Map, Value, json};

/// One port of the Service before names and target ports are settled.
#[derive(Clone, Debug, Default)]
pub struct PortSpec {
    pub port: i64,
    pub protocol: String,
    /// Set when the Service has several ports (`port-N`, `port-N-proto`).
    pub name: Option<String>,
}

/// Everything the generated Service is made of.
#[derive(Debug, Default)]
pub struct ServiceSpec {
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Map<String, Value>,
    pub selector: Map<String, Value>,
    pub ports: Vec<PortSpec>,
    pub target_port: Option<String>,
    pub cluster_ip: Option<String>,
    pub service_type: Option<String>,
    pub external_ip: Option<String>,
    pub session_affinity: Option<String>,
    /// `expose --load-balancer-ip`, which kubectl keeps only for a LoadBalancer Service.
    pub load_balancer_ip: Option<String>,
}

/// The Service object, in kubectl's field order.
pub fn service(spec: &ServiceSpec) -> Value {
    let ports: Vec<Value> = spec
        .ports
        .iter()
        .map(|p| {
            let mut port = Map::new();
            if let Some(name) = &p.name {
                port.insert("name".into(), json!(name));
            }
            port.insert("protocol".into(), json!(p.protocol));
            port.insert("port".into(), json!(p.port));
            let target = match spec.target_port.as_deref() {
                Some(t) => t.parse::<i64>().map_or_else(|_| json!(t), |n| json!(n)),
                None => json!(p.port),
            };
            port.insert("targetPort".into(), target);
            Value::Object(port)
        })
        .collect();
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(spec.name));
    if let Some(ns) = &spec.namespace {
        metadata.insert("namespace".into(), json!(ns));
    }
    metadata.insert("creationTimestamp".into(), Value::Null);
    if !spec.labels.is_empty() {
        metadata.insert("labels".into(), Value::Object(spec.labels.clone()));
    }
    let mut body = Map::new();
    if !ports.is_empty() {
        body.insert("ports".into(), Value::Array(ports));
    }
    body.insert("selector".into(), Value::Object(spec.selector.clone()));
    let some = |v: &Option<String>| v.as_deref().filter(|v| !v.is_empty()).map(|v| json!(v));
    let ips = some(&spec.external_ip)
        .and_then(|v| v.as_str().map(|s| json!(s.split(',').collect::<Vec<_>>())));
    for (key, value) in [
        ("clusterIP", some(&spec.cluster_ip)),
        ("type", some(&spec.service_type)),
        ("externalIPs", ips),
        ("sessionAffinity", some(&spec.session_affinity)),
        (
            "loadBalancerIP",
            some(&spec.load_balancer_ip)
                .filter(|_| spec.service_type.as_deref() == Some("LoadBalancer")),
        ),
    ] {
        if let Some(v) = value {
            body.insert(key.into(), v);
        }
    }
    json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": body,
        "status": {"loadBalancer": {}},
    })
}
