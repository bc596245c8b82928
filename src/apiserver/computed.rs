//! Resources the API server computes when asked instead of storing them
//! (`registry::is_computed`). They are read-only here: kube refuses writes of
//! ComponentStatuses; its APIServices are writable, kubelite refuses that cleanly (405,
//! saying why: it could not proxy to the extension API server an APIService names).
//!
//! - ComponentStatus: one object per component kube-apiserver checks. The store runs in
//!   this process, so answering means it is healthy. The scheduler and the controller
//!   manager run while their static pods run (`embedded::gate`): when a control-plane
//!   mirror pod of theirs is there but not running, or gone while the others are there (its
//!   manifest removed), kube-apiserver's health probe of their port would be refused, and
//!   the status says so in its words.
//! - APIService: kube-aggregator's local APIService per group-version this server serves
//!   (named `<version>.<group>`, available by definition), and the metrics-server's, whose
//!   API kubelite simulates in process but whose APIService names its Service as kube's
//!   manifest does. They date from the cluster's creation (its kube-system namespace's).

use super::ApiServer;
use crate::api::registry::{OTHER_VERSIONS, RESOURCES, Resource};
use crate::api::status::ApiError;
use serde_json::{Map, Value, json};

/// The refusal of a write of a computed resource: kube's own 405 for ComponentStatuses;
/// for APIServices, which kube-apiserver lets one register, a 405 that says why not here.
pub(super) fn write_refused(r: &Resource) -> ApiError {
    if r.plural != "apiservices" {
        return ApiError::method_not_allowed();
    }
    ApiError::new(
        405,
        "MethodNotAllowed",
        "kubelite does not register APIServices: it lists the local APIServices of the groups it serves and cannot proxy a group-version to an extension API server, so apiservices.apiregistration.k8s.io are read-only",
    )
}

/// The components, in the order they are listed: name, the static pod's `component` label
/// and the secure port kube-apiserver probes (`https://127.0.0.1:PORT/healthz`).
const COMPONENTS: &[(&str, Option<(&str, u16)>)] = &[
    ("scheduler", Some(("kube-scheduler", 10259))),
    (
        "controller-manager",
        Some(("kube-controller-manager", 10257)),
    ),
    ("etcd-0", None),
];

/// A healthy component's status, or one whose `healthz` port refused kube-apiserver's probe.
fn component_status(name: &str, refused_port: Option<u16>) -> Value {
    let condition = match refused_port {
        None => json!({"type": "Healthy", "status": "True", "message": "ok"}),
        Some(port) => json!({"type": "Healthy", "status": "False", "message": format!(
            "Get \"https://127.0.0.1:{port}/healthz\": dial tcp 127.0.0.1:{port}: connect: connection refused"
        )}),
    };
    json!({
        "kind": "ComponentStatus",
        "apiVersion": "v1",
        "metadata": {"name": name, "creationTimestamp": null},
        "conditions": [condition],
    })
}

/// kube-aggregator's priorities of the built-in group-versions (group minimum, version).
fn priority(group: &str, version: &str) -> (i64, i64) {
    match (group, version) {
        ("", _) => (18000, 1),
        ("apps", _) => (17800, 15),
        ("events.k8s.io", _) => (17750, 15),
        ("authentication.k8s.io", _) => (17700, 15),
        ("authorization.k8s.io", _) => (17600, 15),
        ("autoscaling", "v2") => (17500, 30),
        ("autoscaling", _) => (17500, 15),
        ("batch", _) => (17400, 15),
        ("certificates.k8s.io", _) => (17300, 15),
        ("networking.k8s.io", _) => (17200, 15),
        ("policy", _) => (17100, 15),
        ("rbac.authorization.k8s.io", _) => (17000, 15),
        ("storage.k8s.io", _) => (16800, 15),
        ("admissionregistration.k8s.io" | "apiextensions.k8s.io", _) => (16700, 15),
        ("scheduling.k8s.io", _) => (16600, 15),
        ("coordination.k8s.io", _) => (16500, 15),
        ("node.k8s.io", _) => (16300, 15),
        ("discovery.k8s.io", _) => (16200, 15),
        ("flowcontrol.apiserver.k8s.io", _) => (16100, 21),
        _ => (1000, 15),
    }
}

fn api_service(group: &str, version: &str, created: &Value) -> Value {
    let name = format!("{version}.{group}");
    let mut spec = Map::new();
    let mut meta = json!({"name": name, "creationTimestamp": created});
    let condition = if group == crate::api::metrics::GROUP {
        // As metrics-server's manifest registers it.
        meta["labels"] = json!({"k8s-app": "metrics-server"});
        spec.insert(
            "service".into(),
            json!({"namespace": "kube-system", "name": "metrics-server", "port": 443}),
        );
        spec.insert("group".into(), json!(group));
        spec.insert("version".into(), json!(version));
        spec.insert("insecureSkipTLSVerify".into(), json!(true));
        spec.insert("groupPriorityMinimum".into(), json!(100));
        spec.insert("versionPriority".into(), json!(100));
        json!({"type": "Available", "status": "True", "lastTransitionTime": created,
               "reason": "Passed", "message": "all checks passed"})
    } else {
        meta["labels"] = json!({"kube-aggregator.kubernetes.io/automanaged": "onstart"});
        if !group.is_empty() {
            spec.insert("group".into(), json!(group));
        }
        spec.insert("version".into(), json!(version));
        let (group_priority, version_priority) = priority(group, version);
        spec.insert("groupPriorityMinimum".into(), json!(group_priority));
        spec.insert("versionPriority".into(), json!(version_priority));
        json!({"type": "Available", "status": "True", "lastTransitionTime": created,
               "reason": "Local", "message": "Local APIServices are always available"})
    };
    json!({
        "kind": "APIService",
        "apiVersion": "apiregistration.k8s.io/v1",
        "metadata": meta,
        "spec": spec,
        "status": {"conditions": [condition]},
    })
}

impl ApiServer {
    /// When the cluster was made: its kube-system namespace's creation.
    fn cluster_created(&self) -> Value {
        crate::api::registry::find("namespaces")
            .and_then(|ns| self.get(ns, None, "kube-system").ok())
            .and_then(|ns| ns.pointer("/metadata/creationTimestamp").cloned())
            .unwrap_or(Value::Null)
    }

    fn api_services(&self) -> Vec<Value> {
        let created = self.cluster_created();
        let mut versions: Vec<(&str, &str)> = Vec::new();
        let served = RESOURCES
            .iter()
            .chain(OTHER_VERSIONS)
            .chain(crate::api::reviews::RESOURCES)
            .chain(crate::api::metrics::RESOURCES);
        for r in served {
            if !versions.contains(&(r.group, r.version)) {
                versions.push((r.group, r.version));
            }
        }
        let mut out: Vec<Value> = versions
            .into_iter()
            .map(|(g, v)| api_service(g, v, &created))
            .collect();
        // Listed in key order, as the store lists them.
        out.sort_by(|a, b| {
            a["metadata"]["name"]
                .as_str()
                .cmp(&b["metadata"]["name"].as_str())
        });
        out
    }

    /// Every object of a computed resource.
    pub(super) fn computed(&self, r: &Resource) -> Vec<Value> {
        match r.plural {
            "apiservices" => self.api_services(),
            _ => {
                let running = self.control_plane_running();
                COMPONENTS
                    .iter()
                    .map(|(name, pod)| {
                        let refused = pod.and_then(|(label, port)| {
                            running
                                .as_ref()
                                .is_some_and(|r| r.get(label) != Some(&true))
                                .then_some(port)
                        });
                        component_status(name, refused)
                    })
                    .collect()
            }
        }
    }

    /// Whether each control-plane component's mirror pod runs, by its `component` label;
    /// `None` while there are no mirror pods at all (a cluster whose kubelet has not made
    /// them yet runs its whole control plane, as the gate does).
    fn control_plane_running(&self) -> Option<std::collections::BTreeMap<String, bool>> {
        let pods = crate::api::registry::find("pods")?;
        let opts = crate::api::options::ListOptions {
            label_selector: Some("tier=control-plane".to_string()),
            ..Default::default()
        };
        let list = self.list(pods, Some("kube-system"), &opts).ok()?;
        let mut running = std::collections::BTreeMap::new();
        for pod in list["items"].as_array().into_iter().flatten() {
            if let Some((component, command)) = crate::api::pod::mirror_component(pod) {
                *running.entry(component).or_insert(false) |= command.is_some();
            }
        }
        (!running.is_empty()).then_some(running)
    }

    pub(super) fn computed_one(&self, r: &Resource, name: &str) -> Result<Value, ApiError> {
        self.computed(r)
            .into_iter()
            .find(|o| o["metadata"]["name"] == name)
            .ok_or_else(|| ApiError::not_found(r.group, r.plural, name))
    }
}
