//! The objects `kubectl create <generator>` builds, field for field in the order kubectl's
//! Go structs serialise them (JSON output keeps that order; YAML sorts keys itself).

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// `metadata` as kubectl's generators fill it: the namespace only when `-n` was given.
pub fn metadata(
    name: &str,
    namespace: Option<&str>,
    labels: Option<&BTreeMap<String, String>>,
) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if let Some(ns) = namespace {
        meta.insert("namespace".into(), json!(ns));
    }
    meta.insert("creationTimestamp".into(), Value::Null);
    if let Some(labels) = labels {
        meta.insert("labels".into(), json!(labels));
    }
    Value::Object(meta)
}

/// The `app: NAME` label the deployment and service generators select on.
fn app_label(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("app".to_string(), name.to_string())])
}

/// What `create deployment` was asked for.
pub struct DeploymentSpec<'a> {
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub images: &'a [String],
    pub replicas: i32,
    /// Negative: no port (kubectl's default of -1).
    pub port: i64,
    pub command: &'a [String],
}

pub fn deployment(d: &DeploymentSpec, container_names: &[String]) -> Value {
    let labels = app_label(d.name);
    let containers: Vec<Value> = d
        .images
        .iter()
        .zip(container_names)
        .enumerate()
        .map(|(i, (image, cname))| {
            let mut c = Map::new();
            c.insert("name".into(), json!(cname));
            // Go leaves an empty image out (`--image=a,,b`).
            if !image.is_empty() {
                c.insert("image".into(), json!(image));
            }
            if i == 0 && !d.command.is_empty() {
                c.insert("command".into(), json!(d.command));
            }
            if i == 0 && d.port >= 0 {
                c.insert("ports".into(), json!([{ "containerPort": d.port }]));
            }
            c.insert("resources".into(), json!({}));
            Value::Object(c)
        })
        .collect();
    json!({
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": metadata(d.name, d.namespace, Some(&labels)),
        "spec": {
            "replicas": d.replicas,
            "selector": { "matchLabels": labels },
            "template": {
                "metadata": { "creationTimestamp": null, "labels": labels },
                "spec": { "containers": containers }
            },
            "strategy": {}
        },
        "status": {}
    })
}

/// A container's name from its image: the last path segment without tag or digest, with
/// `_` (invalid in a name) turned into `-`.
pub fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let no_tag = last.split(':').next().unwrap_or(last);
    let no_digest = no_tag.split('@').next().unwrap_or(no_tag);
    no_digest.replace('_', "-")
}

/// kubectl adds a random suffix to a container name it had to change.
pub fn needed_sanitizing(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    let no_tag = last.split(':').next().unwrap_or(last);
    no_tag.split('@').next().unwrap_or(no_tag).contains('_')
}

pub fn namespace(name: &str) -> Value {
    json!({
        "kind": "Namespace",
        "apiVersion": "v1",
        "metadata": metadata(name, None, None),
        "spec": {},
        "status": {}
    })
}

pub fn service_account(name: &str, namespace: Option<&str>) -> Value {
    json!({
        "kind": "ServiceAccount",
        "apiVersion": "v1",
        "metadata": metadata(name, namespace, None),
    })
}

pub fn config_map(name: &str, namespace: Option<&str>, data: &Data) -> Value {
    let mut obj = Map::new();
    obj.insert("kind".into(), json!("ConfigMap"));
    obj.insert("apiVersion".into(), json!("v1"));
    obj.insert("metadata".into(), metadata(name, namespace, None));
    if !data.text.is_empty() {
        obj.insert("data".into(), json!(data.text));
    }
    if !data.binary.is_empty() {
        obj.insert("binaryData".into(), base64_map(&data.binary));
    }
    Value::Object(obj)
}

pub fn secret(name: &str, namespace: Option<&str>, data: &Data, kind: &str) -> Value {
    let mut obj = Map::new();
    obj.insert("kind".into(), json!("Secret"));
    obj.insert("apiVersion".into(), json!("v1"));
    obj.insert("metadata".into(), metadata(name, namespace, None));
    let mut all = data.binary.clone();
    for (k, v) in &data.text {
        all.insert(k.clone(), v.clone().into_bytes());
    }
    if !all.is_empty() {
        obj.insert("data".into(), base64_map(&all));
    }
    if !kind.is_empty() {
        obj.insert("type".into(), json!(kind));
    }
    Value::Object(obj)
}

fn base64_map(m: &BTreeMap<String, Vec<u8>>) -> Value {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    Value::Object(
        m.iter()
            .map(|(k, v)| (k.clone(), json!(engine.encode(v))))
            .collect(),
    )
}

/// The keys of a ConfigMap or Secret: UTF-8 values and the rest.
#[derive(Default)]
pub struct Data {
    pub text: BTreeMap<String, String>,
    pub binary: BTreeMap<String, Vec<u8>>,
}

/// One `--tcp=port[:target]` of `create service`.
pub struct TcpPort {
    pub port: u16,
    /// A number, or a named container port.
    pub target: Value,
    pub name: String,
}

/// What `create service <type>` was asked for.
pub struct ServiceSpec<'a> {
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    pub kind: &'a str,
    pub ports: &'a [TcpPort],
    pub cluster_ip: Option<&'a str>,
    pub node_port: i64,
    pub external_name: Option<&'a str>,
}

pub fn service(s: &ServiceSpec) -> Value {
    let labels = app_label(s.name);
    let mut spec = Map::new();
    if !s.ports.is_empty() {
        let ports: Vec<Value> = s
            .ports
            .iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("name".into(), json!(p.name));
                m.insert("protocol".into(), json!("TCP"));
                m.insert("port".into(), json!(p.port));
                m.insert("targetPort".into(), p.target.clone());
                if s.node_port != 0 {
                    m.insert("nodePort".into(), json!(s.node_port));
                }
                Value::Object(m)
            })
            .collect();
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), json!(labels));
    if let Some(ip) = s.cluster_ip.filter(|ip| !ip.is_empty()) {
        spec.insert("clusterIP".into(), json!(ip));
    }
    spec.insert("type".into(), json!(s.kind));
    if let Some(ext) = s.external_name {
        spec.insert("externalName".into(), json!(ext));
    }
    json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata(s.name, s.namespace, Some(&labels)),
        "spec": Value::Object(spec),
        "status": { "loadBalancer": {} }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_drop_registry_tag_and_digest() {
        assert_eq!(container_name("nginx"), "nginx");
        assert_eq!(container_name("reg.io:5000/a/b_c:1.2"), "b-c");
        assert_eq!(container_name("q/r@sha256:ab"), "r");
    }

    #[test]
    fn service_ports_keep_kubectl_field_order() {
        let ports = [TcpPort {
            port: 80,
            target: json!(8080),
            name: "80-8080".into(),
        }];
        let s = service(&ServiceSpec {
            name: "s",
            namespace: None,
            kind: "NodePort",
            ports: &ports,
            cluster_ip: None,
            node_port: 30001,
            external_name: None,
        });
        let keys: Vec<&String> = s["spec"]["ports"][0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "protocol", "port", "targetPort", "nodePort"]);
    }
}
