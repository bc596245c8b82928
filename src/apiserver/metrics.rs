//! metrics-server's answers (`metrics.k8s.io/v1beta1`), simulated from the pods and nodes
//! the store holds by the rule of `api::metrics`.

use super::ApiServer;
use crate::api::metrics;
use crate::api::options::ListOptions;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use serde_json::Value;

fn stored(plural: &str) -> &'static Resource {
    registry::RESOURCES
        .iter()
        .find(|r| r.group.is_empty() && r.plural == plural)
        .expect("core resources are registered")
}

fn items(list: Value) -> Vec<Value> {
    match list {
        Value::Object(mut m) => match m.remove("items") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// metrics-server's NotFound: `podmetrics.metrics.k8s.io "default/web" not found`.
fn not_found(r: &Resource, namespace: Option<&str>, name: &str) -> ApiError {
    let what = format!(
        "{}metrics",
        r.kind.trim_end_matches("Metrics").to_lowercase()
    );
    let shown = match namespace.filter(|_| r.namespaced) {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    };
    ApiError::not_found(metrics::GROUP, &what, &shown)
}

impl ApiServer {
    /// A NodeMetrics or PodMetrics object (`name`), or a list of them (label and field
    /// selectors apply to the measured nodes or pods).
    pub fn metrics(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        let now = crate::clock::timestamp(self.clock().now());
        let all_pods = || self.list(stored("pods"), None, &ListOptions::default());
        let found = if r.namespaced {
            let pods = match name {
                Some(n) => match self.get(stored("pods"), namespace, n) {
                    Ok(p) => vec![p],
                    Err(e) if e.code == 404 => Vec::new(),
                    Err(e) => return Err(e),
                },
                None => items(self.list(stored("pods"), namespace, opts)?),
            };
            // A node that is not Ready reports nothing for its pods either.
            let ready: Vec<String> = if pods.is_empty() {
                Vec::new()
            } else {
                items(self.list(stored("nodes"), None, &ListOptions::default())?)
                    .iter()
                    .filter(|n| metrics::node_ready(n))
                    .filter_map(|n| n.pointer("/metadata/name")?.as_str().map(str::to_string))
                    .collect()
            };
            pods.iter()
                .filter(|p| {
                    p.pointer("/spec/nodeName")
                        .and_then(Value::as_str)
                        .is_some_and(|n| ready.iter().any(|r| r == n))
                })
                .filter_map(|p| metrics::pod_metrics(p, &now))
                .collect::<Vec<_>>()
        } else {
            let nodes = match name {
                Some(n) => match self.get(stored("nodes"), None, n) {
                    Ok(node) => vec![node],
                    Err(e) if e.code == 404 => Vec::new(),
                    Err(e) => return Err(e),
                },
                None => items(self.list(stored("nodes"), None, opts)?),
            };
            let pods = if nodes.is_empty() {
                Vec::new()
            } else {
                items(all_pods()?)
            };
            nodes
                .iter()
                .filter_map(|n| metrics::node_metrics(n, &pods, &now))
                .collect()
        };
        match name {
            Some(n) => found
                .into_iter()
                .next()
                .ok_or_else(|| not_found(r, namespace, n)),
            None => Ok(metrics::list(r, found)),
        }
    }
}
