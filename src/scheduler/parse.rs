//! From API objects to the scheduler's model. Fields that are missing or malformed read as
//! absent: the API server has validated what it stored, and the scheduler must not fail a
//! whole pass on one odd object.

use super::model::{
    AffinityTerm, NodeInfo, NodeRequirement, NodeSelectorTerm, PodAffinity, PodInfo, Readiness,
    Resources, RunningPod, SelectorOp, SpreadConstraint, Taint, Toleration,
};
use super::requests::{milli, pod_requests, whole};
use crate::api::selector::{LabelSelector, Operator, Requirement};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The DisruptionTarget reason of a pod the scheduler preempted.
pub const PREEMPTION_BY_SCHEDULER: &str = "PreemptionByScheduler";

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn array<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The entries of a string map (labels, a node selector), a value that is not a string
/// read as empty.
fn string_pairs<'a>(v: &'a Value, pointer: &str) -> impl Iterator<Item = (String, String)> + 'a {
    v.pointer(pointer)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
}

/// A node as the filters and scores see it, with nothing bound to it yet.
pub fn node(obj: &Value) -> NodeInfo {
    let labels = string_pairs(obj, "/metadata/labels").collect();
    let taints = array(obj, "/spec/taints")
        .iter()
        .map(|t| Taint {
            key: text(t, "/key").to_string(),
            value: text(t, "/value").to_string(),
            effect: text(t, "/effect").to_string(),
        })
        .collect();
    let ready = array(obj, "/status/conditions")
        .iter()
        .find(|c| text(c, "/type") == "Ready")
        .map(|c| text(c, "/status"));
    let readiness = match ready {
        Some("True") => Readiness::Ready,
        Some("Unknown") => Readiness::Unreachable,
        _ => Readiness::NotReady,
    };
    let allocatable = obj.pointer("/status/allocatable");
    let amount =
        |name: &str, read: fn(&Value) -> i64| allocatable.and_then(|a| a.get(name)).map_or(0, read);
    NodeInfo {
        name: text(obj, "/metadata/name").to_string(),
        labels,
        taints,
        unschedulable: obj
            .pointer("/spec/unschedulable")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        readiness,
        allocatable: Resources {
            milli_cpu: amount("cpu", milli),
            memory: amount("memory", whole),
        },
        allowed_pods: amount("pods", whole),
        requested: Resources::default(),
        non_zero_requested: Resources::default(),
        pod_count: 0,
    }
}

/// A pod as the filters and scores see it.
pub fn pod(obj: &Value) -> PodInfo {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let (requests, non_zero_requests) = pod_requests(spec);
    let node_selector = string_pairs(spec, "/nodeSelector").collect();
    let required_terms = spec
        .pointer("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution")
        .filter(|r| r.is_object())
        .map(|r| array(r, "/nodeSelectorTerms").iter().map(term).collect());
    let tolerations = array(spec, "/tolerations")
        .iter()
        .map(|t| Toleration {
            key: text(t, "/key").to_string(),
            exists: text(t, "/operator") == "Exists",
            value: text(t, "/value").to_string(),
            effect: text(t, "/effect").to_string(),
        })
        .collect();
    let namespace = text(obj, "/metadata/namespace");
    let labels = labels_of(obj);
    PodInfo {
        spread: array(spec, "/topologySpreadConstraints")
            .iter()
            .map(|c| spread_constraint(c, &labels))
            .collect(),
        pod_affinity: pod_affinity(spec, namespace),
        namespace: namespace.to_string(),
        name: text(obj, "/metadata/name").to_string(),
        uid: text(obj, "/metadata/uid").to_string(),
        priority: spec.get("priority").and_then(Value::as_i64).unwrap_or(0),
        created: text(obj, "/metadata/creationTimestamp").to_string(),
        requests,
        non_zero_requests,
        node_selector,
        required_terms,
        tolerations,
        never_preempts: text(spec, "/preemptionPolicy") == "Never",
        volume_nodes: None,
        labels,
        nominated_node: text(obj, "/status/nominatedNodeName").to_string(),
    }
}

fn labels_of(obj: &Value) -> serde_json::Map<String, Value> {
    obj.pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// A bound pod as preemption sees it.
pub fn running_pod(obj: &Value) -> RunningPod {
    let (requests, non_zero_requests) = pod_requests(obj.get("spec").unwrap_or(&Value::Null));
    let preempted = obj.pointer("/metadata/deletionTimestamp").is_some()
        && array(obj, "/status/conditions").iter().any(|c| {
            text(c, "/type") == "DisruptionTarget"
                && text(c, "/status") == "True"
                && text(c, "/reason") == PREEMPTION_BY_SCHEDULER
        });
    RunningPod {
        namespace: text(obj, "/metadata/namespace").to_string(),
        name: text(obj, "/metadata/name").to_string(),
        uid: text(obj, "/metadata/uid").to_string(),
        priority: obj
            .pointer("/spec/priority")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        start: text(obj, "/status/startTime").to_string(),
        labels: labels_of(obj),
        requests,
        non_zero_requests,
        preempted,
        pod_affinity: obj
            .get("spec")
            .and_then(|spec| pod_affinity(spec, text(obj, "/metadata/namespace"))),
    }
}

/// A selector that matches nothing: what kube makes of a missing or invalid one.
fn nothing() -> LabelSelector {
    LabelSelector {
        requirements: Vec::new(),
        nothing: true,
    }
}

/// The pod (anti-)affinity of a pod spec, `None` when it has none.
fn pod_affinity(spec: &Value, namespace: &str) -> Option<Arc<PodAffinity>> {
    let required = |pointer: &str| -> Vec<AffinityTerm> {
        array(spec, pointer)
            .iter()
            .map(|t| affinity_term(t, namespace))
            .collect()
    };
    let preferred = |pointer: &str| -> Vec<(i64, AffinityTerm)> {
        array(spec, pointer)
            .iter()
            .map(|w| {
                let weight = w.get("weight").and_then(Value::as_i64).unwrap_or(0);
                let term = w.get("podAffinityTerm").unwrap_or(&Value::Null);
                (weight, affinity_term(term, namespace))
            })
            .collect()
    };
    let a = PodAffinity {
        required: required("/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution"),
        required_anti: required(
            "/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution",
        ),
        preferred: preferred(
            "/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution",
        ),
        preferred_anti: preferred(
            "/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution",
        ),
    };
    let empty = a.required.is_empty()
        && a.required_anti.is_empty()
        && a.preferred.is_empty()
        && a.preferred_anti.is_empty();
    (!empty).then(|| Arc::new(a))
}

/// One PodAffinityTerm, its namespaces resolved as kube resolves them: the listed ones plus
/// those the namespaceSelector picks (`{}`: all), or the pod's own when neither is given.
fn affinity_term(t: &Value, namespace: &str) -> AffinityTerm {
    let mut namespaces: Vec<String> = array(t, "/namespaces")
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let ns_selector = t.get("namespaceSelector").filter(|s| !s.is_null());
    let all_namespaces =
        ns_selector.is_some_and(|s| LabelSelector::from_object(s).is_ok_and(|sel| sel.is_empty()));
    let namespace_selector = ns_selector
        .filter(|_| !all_namespaces)
        .map(|s| LabelSelector::from_object(s).unwrap_or_else(|_| nothing()));
    if namespaces.is_empty() && ns_selector.is_none() {
        namespaces.push(namespace.to_string());
    }
    AffinityTerm {
        namespaces,
        all_namespaces,
        namespace_selector,
        selector: LabelSelector::from_object(t.get("labelSelector").unwrap_or(&Value::Null))
            .unwrap_or_else(|_| nothing()),
        topology_key: text(t, "/topologyKey").to_string(),
    }
}

/// One topology spread constraint; its `matchLabelKeys` become `In` requirements on the
/// pod's own values of those labels (keys the pod lacks are ignored).
fn spread_constraint(c: &Value, labels: &serde_json::Map<String, Value>) -> SpreadConstraint {
    let mut selector = LabelSelector::from_object(c.get("labelSelector").unwrap_or(&Value::Null))
        .unwrap_or_else(|_| nothing());
    if !selector.nothing {
        for key in array(c, "/matchLabelKeys").iter().filter_map(Value::as_str) {
            if let Some(v) = labels.get(key).and_then(Value::as_str) {
                selector.requirements.push(Requirement {
                    key: key.to_string(),
                    op: Operator::In,
                    values: vec![v.to_string()],
                });
            }
        }
        selector.requirements.sort_by(|a, b| a.key.cmp(&b.key));
    }
    SpreadConstraint {
        max_skew: c.get("maxSkew").and_then(Value::as_i64).unwrap_or(1),
        topology_key: text(c, "/topologyKey").to_string(),
        hard: text(c, "/whenUnsatisfiable") != "ScheduleAnyway",
        selector,
        min_domains: c.get("minDomains").and_then(Value::as_i64),
        honor_node_affinity: text(c, "/nodeAffinityPolicy") != "Ignore",
        honor_node_taints: text(c, "/nodeTaintsPolicy") == "Honor",
    }
}

fn term(t: &Value) -> NodeSelectorTerm {
    NodeSelectorTerm {
        expressions: array(t, "/matchExpressions")
            .iter()
            .map(requirement)
            .collect(),
        fields: array(t, "/matchFields").iter().map(requirement).collect(),
    }
}

fn requirement(r: &Value) -> NodeRequirement {
    let op = match text(r, "/operator") {
        "In" => Some(SelectorOp::In),
        "NotIn" => Some(SelectorOp::NotIn),
        "Exists" => Some(SelectorOp::Exists),
        "DoesNotExist" => Some(SelectorOp::DoesNotExist),
        "Gt" => Some(SelectorOp::Gt),
        "Lt" => Some(SelectorOp::Lt),
        _ => None,
    };
    NodeRequirement {
        key: text(r, "/key").to_string(),
        op,
        values: array(r, "/values")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
    }
}

/// Labels as a map, for tests that build nodes by hand.
pub fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_bootstrap_style_node() {
        let n = node(&json!({
            "metadata": {"name": "master", "labels": {"kubernetes.io/hostname": "master"}},
            "spec": {"taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
            "status": {
                "allocatable": {"cpu": "2", "memory": "3913156Ki", "pods": "110"},
                "conditions": [{"type": "Ready", "status": "True"}]
            }
        }));
        assert_eq!(n.name, "master");
        assert_eq!(n.allocatable.milli_cpu, 2000);
        assert_eq!(n.allocatable.memory, 3_913_156 * 1024);
        assert_eq!(n.allowed_pods, 110);
        assert_eq!(n.readiness, Readiness::Ready);
        assert_eq!(n.taints[0].value, "");
        assert_eq!(
            n.labels.get("kubernetes.io/hostname").map(String::as_str),
            Some("master")
        );
    }

    #[test]
    fn readiness_follows_the_ready_condition() {
        let with = |status: &str| {
            node(&json!({"status": {"conditions": [{"type": "Ready", "status": status}]}}))
                .readiness
        };
        assert_eq!(with("False"), Readiness::NotReady);
        assert_eq!(with("Unknown"), Readiness::Unreachable);
        assert_eq!(node(&json!({})).readiness, Readiness::NotReady);
    }

    #[test]
    fn reads_affinity_selector_and_tolerations() {
        let p = pod(&json!({
            "metadata": {"name": "p", "namespace": "default", "uid": "u"},
            "spec": {
                "priority": 7,
                "preemptionPolicy": "Never",
                "nodeSelector": {"disk": "ssd"},
                "tolerations": [{"operator": "Exists"}],
                "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}],
                                           "matchFields": [{"key": "metadata.name", "operator": "Bogus", "values": ["x"]}]}]
                }}},
                "containers": [{"name": "c"}]
            }
        }));
        assert_eq!(p.priority, 7);
        assert!(p.never_preempts);
        assert_eq!(
            p.node_selector,
            vec![("disk".to_string(), "ssd".to_string())]
        );
        assert!(p.tolerations[0].exists && p.tolerations[0].key.is_empty());
        let terms = p.required_terms.unwrap_or_default();
        assert_eq!(terms[0].expressions[0].op, Some(SelectorOp::In));
        assert_eq!(terms[0].expressions[0].values, vec!["a", "b"]);
        assert_eq!(terms[0].fields[0].op, None);
    }
}
