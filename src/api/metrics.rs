//! `metrics.k8s.io/v1beta1`, the API metrics-server registers: NodeMetrics and PodMetrics.
//! kubelite has no real containers to measure, so usage is simulated, deterministically,
//! from what a pod declares:
//!
//! - a container's usage of a resource (cpu, memory) is its annotation if the pod has one:
//!   `kubelite.io/cpu-usage.<container>` (or `kubelite.io/memory-usage.<container>`) for
//!   that container, else `kubelite.io/cpu-usage` (`kubelite.io/memory-usage`) for every
//!   container of the pod; otherwise half of the container's request, else half of its
//!   limit, else 1m of CPU and 4Mi of memory;
//! - only running containers of running pods on Ready nodes are measured (metrics-server
//!   reports nothing for the others);
//! - a node's usage is the sum over the running pods bound to it, plus a fixed system
//!   overhead (kubelet, runtime, OS) of 100m CPU and 512Mi memory; a node that is not
//!   Ready has no metrics;
//! - `timestamp` is the cluster clock (whole seconds) and `window` metrics-server's
//!   resolution, 15s.
//!
//! CPU is written in nanocores and memory in Ki, as metrics-server writes them.

use super::quantity::Quantity;
use super::registry::Resource;
use serde_json::{Value, json};

pub const GROUP: &str = "metrics.k8s.io";
pub const VERSION: &str = "v1beta1";
/// The verbs metrics-server serves.
pub const VERBS: &[&str] = &["get", "list"];
pub const CPU_ANNOTATION: &str = "kubelite.io/cpu-usage";
pub const MEMORY_ANNOTATION: &str = "kubelite.io/memory-usage";
/// What a node uses besides its pods.
const NODE_OVERHEAD_CPU_NANOS: i128 = 100_000_000;
const NODE_OVERHEAD_MEMORY_BYTES: i128 = 512 * 1024 * 1024;
/// When nothing is declared.
const DEFAULT_CPU_NANOS: i128 = 1_000_000;
const DEFAULT_MEMORY_BYTES: i128 = 4 * 1024 * 1024;
pub const WINDOW: &str = "15s";

/// NodeMetrics then PodMetrics, as metrics-server's discovery lists them.
pub static RESOURCES: &[Resource] = &[
    Resource {
        kind: "NodeMetrics",
        group: GROUP,
        version: VERSION,
        plural: "nodes",
        singular: "",
        short_names: &[],
        namespaced: false,
        categories: &[],
        storage_prefix: "",
    },
    Resource {
        kind: "PodMetrics",
        group: GROUP,
        version: VERSION,
        plural: "pods",
        singular: "",
        short_names: &[],
        namespaced: true,
        categories: &[],
        storage_prefix: "",
    },
];

pub fn nodes() -> &'static Resource {
    &RESOURCES[0]
}

pub fn pods() -> &'static Resource {
    &RESOURCES[1]
}

/// Usage of one container or a sum: nanocores and bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub cpu_nanos: i128,
    pub memory_bytes: i128,
}

impl Usage {
    pub fn add(&mut self, other: Usage) {
        self.cpu_nanos += other.cpu_nanos;
        self.memory_bytes += other.memory_bytes;
    }

    /// `{"cpu":"…n","memory":"…Ki"}`.
    pub fn to_json(self) -> Value {
        json!({
            "cpu": format!("{}n", self.cpu_nanos.max(0)),
            "memory": format!("{}Ki", self.memory_bytes.max(0) / 1024),
        })
    }
}

/// The system overhead every Ready node adds to its pods' usage.
pub fn node_overhead() -> Usage {
    Usage {
        cpu_nanos: NODE_OVERHEAD_CPU_NANOS,
        memory_bytes: NODE_OVERHEAD_MEMORY_BYTES,
    }
}

/// The measured containers of a pod, with their usage; empty when metrics-server would
/// report nothing for it (not running, no running container).
pub fn pod_containers(pod: &Value) -> Vec<(String, Usage)> {
    if pod.pointer("/status/phase").and_then(Value::as_str) != Some("Running") {
        return Vec::new();
    }
    let running = |name: &str| {
        pod.pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|s| s["name"] == name && s.pointer("/state/running").is_some())
    };
    let annotations = pod.pointer("/metadata/annotations");
    let annotation = |key: &str, container: &str| {
        let a = annotations?;
        a.get(format!("{key}.{container}"))
            .or_else(|| a.get(key))
            .and_then(Quantity::from_json)
    };
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            let name = c["name"].as_str()?;
            if !running(name) {
                return None;
            }
            let declared = |resource: &str| {
                ["requests", "limits"].iter().find_map(|kind| {
                    c.pointer(&format!("/resources/{kind}/{resource}"))
                        .and_then(Quantity::from_json)
                        .filter(|q| !q.is_zero())
                })
            };
            let cpu = match annotation(CPU_ANNOTATION, name) {
                Some(q) => q.nanos(),
                None => declared("cpu").map_or(DEFAULT_CPU_NANOS, |q| q.nanos() / 2),
            };
            let memory = match annotation(MEMORY_ANNOTATION, name) {
                Some(q) => q.value(),
                None => declared("memory").map_or(DEFAULT_MEMORY_BYTES, |q| q.value() / 2),
            };
            Some((
                name.to_string(),
                Usage {
                    cpu_nanos: cpu,
                    memory_bytes: memory,
                },
            ))
        })
        .collect()
}

/// Whether a node's Ready condition is True.
pub fn node_ready(node: &Value) -> bool {
    node.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

/// The metadata metrics-server gives a metrics object: the measured object's name,
/// namespace and labels, created now.
fn metadata(of: &Value, now: &str) -> Value {
    let mut m = serde_json::Map::new();
    for key in ["name", "namespace"] {
        if let Some(v) = of.pointer(&format!("/metadata/{key}")) {
            m.insert(key.into(), v.clone());
        }
    }
    m.insert("creationTimestamp".into(), json!(now));
    if let Some(labels) = of.pointer("/metadata/labels") {
        m.insert("labels".into(), labels.clone());
    }
    Value::Object(m)
}

/// A PodMetrics object, or `None` when the pod is not measured.
pub fn pod_metrics(pod: &Value, now: &str) -> Option<Value> {
    let containers = pod_containers(pod);
    if containers.is_empty() {
        return None;
    }
    let containers: Vec<Value> = containers
        .into_iter()
        .map(|(name, usage)| json!({"name": name, "usage": usage.to_json()}))
        .collect();
    Some(json!({
        "kind": "PodMetrics",
        "apiVersion": format!("{GROUP}/{VERSION}"),
        "metadata": metadata(pod, now),
        "timestamp": now,
        "window": WINDOW,
        "containers": containers,
    }))
}

/// A NodeMetrics object from the node and every pod bound to it (any other pods are
/// ignored), or `None` when the node is not Ready.
pub fn node_metrics(node: &Value, pods: &[Value], now: &str) -> Option<Value> {
    if !node_ready(node) {
        return None;
    }
    let name = node.pointer("/metadata/name")?.as_str()?;
    let mut usage = node_overhead();
    for pod in pods
        .iter()
        .filter(|p| p.pointer("/spec/nodeName").and_then(Value::as_str) == Some(name))
    {
        for (_, u) in pod_containers(pod) {
            usage.add(u);
        }
    }
    Some(json!({
        "kind": "NodeMetrics",
        "apiVersion": format!("{GROUP}/{VERSION}"),
        "metadata": metadata(node, now),
        "timestamp": now,
        "window": WINDOW,
        "usage": usage.to_json(),
    }))
}

/// A `NodeMetricsList` or `PodMetricsList`.
pub fn list(r: &Resource, items: Vec<Value>) -> Value {
    json!({
        "kind": format!("{}List", r.kind),
        "apiVersion": format!("{GROUP}/{VERSION}"),
        "metadata": {},
        "items": items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(annotations: Value, resources: Value) -> Value {
        json!({
            "metadata": {"name": "p", "namespace": "default", "labels": {"app": "a"}, "annotations": annotations},
            "spec": {"nodeName": "node01", "containers": [
                {"name": "app", "resources": resources},
                {"name": "side"}
            ]},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "app", "state": {"running": {}}},
                {"name": "side", "state": {"running": {}}}
            ]}
        })
    }

    #[test]
    fn usage_is_half_the_request_or_limit_or_a_small_default() {
        let p = pod(
            json!({}),
            json!({"requests": {"cpu": "250m"}, "limits": {"memory": "128Mi"}}),
        );
        let c = pod_containers(&p);
        assert_eq!(c[0].1.cpu_nanos, 125_000_000);
        assert_eq!(c[0].1.memory_bytes, 64 * 1024 * 1024);
        assert_eq!(
            c[1].1,
            Usage {
                cpu_nanos: DEFAULT_CPU_NANOS,
                memory_bytes: DEFAULT_MEMORY_BYTES
            }
        );
        assert_eq!(
            c[0].1.to_json(),
            json!({"cpu": "125000000n", "memory": "65536Ki"})
        );
    }

    #[test]
    fn annotations_override_per_pod_and_per_container() {
        let p = pod(
            json!({"kubelite.io/cpu-usage": "300m", "kubelite.io/memory-usage.side": "1Gi"}),
            json!({"requests": {"cpu": "1", "memory": "10Mi"}}),
        );
        let c = pod_containers(&p);
        assert_eq!(c[0].1.cpu_nanos, 300_000_000);
        assert_eq!(c[1].1.cpu_nanos, 300_000_000);
        assert_eq!(c[0].1.memory_bytes, 5 * 1024 * 1024);
        assert_eq!(c[1].1.memory_bytes, 1024 * 1024 * 1024);
    }

    #[test]
    fn pending_pods_and_waiting_containers_are_not_measured() {
        let mut p = pod(json!({}), json!({}));
        p["status"]["containerStatuses"][1]["state"] = json!({"waiting": {}});
        assert_eq!(pod_containers(&p).len(), 1);
        p["status"]["phase"] = json!("Pending");
        assert!(pod_metrics(&p, "t").is_none());
    }

    #[test]
    fn a_ready_node_sums_its_pods_and_the_overhead() {
        let node = json!({"metadata": {"name": "node01", "labels": {"k": "v"}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
        let p = pod(
            json!({"kubelite.io/cpu-usage": "10m", "kubelite.io/memory-usage": "1Mi"}),
            json!({}),
        );
        let mut elsewhere = p.clone();
        elsewhere["spec"]["nodeName"] = json!("node02");
        let m = node_metrics(&node, &[p, elsewhere], "2026-01-01T00:00:00Z").expect("ready");
        assert_eq!(m["usage"]["cpu"], "120000000n");
        assert_eq!(
            m["usage"]["memory"],
            json!(format!("{}Ki", 512 * 1024 + 2 * 1024))
        );
        assert_eq!(m["metadata"]["labels"]["k"], "v");
        let mut not_ready = node;
        not_ready["status"]["conditions"][0]["status"] = json!("Unknown");
        assert!(node_metrics(&not_ready, &[], "t").is_none());
    }
}
