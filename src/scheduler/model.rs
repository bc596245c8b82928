//! What the scheduling algorithm sees: pods and nodes reduced to the fields the plugins
//! read, parsed once per pass so the filter and score loop touches no JSON.

use crate::api::selector::LabelSelector;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// CPU in millicores and memory in bytes, the two resources scores weigh.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resources {
    pub milli_cpu: i64,
    pub memory: i64,
}

impl Resources {
    pub fn add(&mut self, other: &Resources) {
        self.milli_cpu = self.milli_cpu.saturating_add(other.milli_cpu);
        self.memory = self.memory.saturating_add(other.memory);
    }

    /// The larger of each resource (init containers run one at a time).
    pub fn max_with(&mut self, other: &Resources) {
        self.milli_cpu = self.milli_cpu.max(other.milli_cpu);
        self.memory = self.memory.max(other.memory);
    }

    pub fn is_zero(&self) -> bool {
        self.milli_cpu == 0 && self.memory == 0
    }
}

/// A node taint (`spec.taints[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

/// A pod toleration (`spec.tolerations[]`); an empty key with `Exists` tolerates every key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toleration {
    pub key: String,
    pub exists: bool,
    pub value: String,
    pub effect: String,
}

impl Toleration {
    /// Whether this toleration covers a taint with this key, value and effect.
    pub fn tolerates(&self, key: &str, value: &str, effect: &str) -> bool {
        if !self.effect.is_empty() && self.effect != effect {
            return false;
        }
        if !self.key.is_empty() && self.key != key {
            return false;
        }
        self.exists || self.value == value
    }
}

/// Whether any toleration covers the taint.
pub fn tolerated(tolerations: &[Toleration], key: &str, value: &str, effect: &str) -> bool {
    tolerations.iter().any(|t| t.tolerates(key, value, effect))
}

/// The node's Ready condition, as the scheduler reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// Ready=False, or no Ready condition yet.
    NotReady,
    /// Ready=Unknown: the kubelet stopped posting status.
    Unreachable,
}

/// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt` of a node selector requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorOp {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

/// One `matchExpressions` or `matchFields` requirement. An operator this scheduler does not
/// know makes the requirement match nothing, as an invalid selector does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRequirement {
    pub key: String,
    pub op: Option<SelectorOp>,
    pub values: Vec<String>,
}

/// One of `nodeSelectorTerms`: every requirement must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeSelectorTerm {
    pub expressions: Vec<NodeRequirement>,
    pub fields: Vec<NodeRequirement>,
}

/// One pod (anti-)affinity term: pods in `namespaces` (resolved against the pod that
/// carries the term; `all_namespaces` for an empty namespaceSelector) whose labels match
/// `selector`, counted per value of the node label `topology_key`.
#[derive(Debug, Clone, PartialEq)]
pub struct AffinityTerm {
    pub namespaces: Vec<String>,
    pub all_namespaces: bool,
    /// A non-empty `namespaceSelector`, matched against namespace labels.
    pub namespace_selector: Option<LabelSelector>,
    pub selector: LabelSelector,
    pub topology_key: String,
}

/// `spec.affinity.podAffinity` and `podAntiAffinity`: the required terms, and the
/// preferred ones with their weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodAffinity {
    pub required: Vec<AffinityTerm>,
    pub required_anti: Vec<AffinityTerm>,
    pub preferred: Vec<(i64, AffinityTerm)>,
    pub preferred_anti: Vec<(i64, AffinityTerm)>,
}

/// One `spec.topologySpreadConstraints` entry; `selector` already carries the
/// `matchLabelKeys` requirements taken from the pod's own labels.
#[derive(Debug, Clone, PartialEq)]
pub struct SpreadConstraint {
    pub max_skew: i64,
    pub topology_key: String,
    /// `whenUnsatisfiable: DoNotSchedule` (a filter); otherwise `ScheduleAnyway` (a score).
    pub hard: bool,
    pub selector: LabelSelector,
    pub min_domains: Option<i64>,
    /// `nodeAffinityPolicy: Honor` (the default): only nodes the pod's node selector and
    /// required node affinity accept are counted.
    pub honor_node_affinity: bool,
    /// `nodeTaintsPolicy: Honor`: only nodes whose taints the pod tolerates are counted.
    pub honor_node_taints: bool,
}

/// A node with its allocatable resources and what the pods bound to it request.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    pub readiness: Readiness,
    pub allocatable: Resources,
    pub allowed_pods: i64,
    /// Sum of the requests of the non-terminated pods bound here.
    pub requested: Resources,
    /// The same, counting a container without a request as 100m cpu / 200Mi memory (for
    /// scores, so that pods without requests still spread).
    pub non_zero_requested: Resources,
    pub pod_count: i64,
}

impl NodeInfo {
    /// Accounts for a pod bound to this node.
    pub fn add_pod(&mut self, pod: &PodInfo) {
        self.requested.add(&pod.requests);
        self.non_zero_requested.add(&pod.non_zero_requests);
        self.pod_count += 1;
    }

    /// Takes a bound pod's share off this node (preemption's dry run).
    pub fn remove_pod(&mut self, pod: &RunningPod) {
        self.requested.milli_cpu -= pod.requests.milli_cpu;
        self.requested.memory -= pod.requests.memory;
        self.non_zero_requested.milli_cpu -= pod.non_zero_requests.milli_cpu;
        self.non_zero_requested.memory -= pod.non_zero_requests.memory;
        self.pod_count -= 1;
    }

    /// Gives a bound pod's share back to this node (a victim reprieved).
    pub fn restore_pod(&mut self, pod: &RunningPod) {
        self.requested.add(&pod.requests);
        self.non_zero_requested.add(&pod.non_zero_requests);
        self.pod_count += 1;
    }
}

/// A pod bound to a node, as preemption weighs it when looking for victims.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunningPod {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub priority: i64,
    /// `status.startTime` as written; empty when the kubelet has not started it (kube then
    /// counts it as started now).
    pub start: String,
    pub labels: Map<String, Value>,
    pub requests: Resources,
    pub non_zero_requests: Resources,
    /// Being deleted after the scheduler preempted it (a deletionTimestamp and a
    /// DisruptionTarget condition with reason PreemptionByScheduler).
    pub preempted: bool,
    /// Its pod (anti-)affinity, which incoming pods must respect (and may be drawn by).
    pub pod_affinity: Option<Arc<PodAffinity>>,
}

/// A pod waiting for a node.
#[derive(Debug, Clone, Default)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub priority: i64,
    /// `metadata.creationTimestamp` as written (RFC 3339, whole seconds: sorts as text).
    pub created: String,
    pub requests: Resources,
    pub non_zero_requests: Resources,
    pub node_selector: Vec<(String, String)>,
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, when set.
    pub required_terms: Option<Vec<NodeSelectorTerm>>,
    pub tolerations: Vec<Toleration>,
    /// `preemptionPolicy: Never`.
    pub never_preempts: bool,
    /// The nodes the pod's bound volumes can be used on (their node affinity); None: any.
    pub volume_nodes: Option<Vec<String>>,
    pub labels: Map<String, Value>,
    /// `status.nominatedNodeName`: the node an earlier preemption made room on.
    pub nominated_node: String,
    pub spread: Vec<SpreadConstraint>,
    pub pod_affinity: Option<Arc<PodAffinity>>,
}

impl PodInfo {
    /// The pod as it counts on a node once bound (it has not started yet).
    pub fn running(&self) -> RunningPod {
        RunningPod {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            uid: self.uid.clone(),
            priority: self.priority,
            start: String::new(),
            labels: self.labels.clone(),
            requests: self.requests,
            non_zero_requests: self.non_zero_requests,
            preempted: false,
            pod_affinity: self.pod_affinity.clone(),
        }
    }
}
