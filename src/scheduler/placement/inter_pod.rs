//! InterPodAffinity: the pod's required affinity (a node's domain must already hold a pod
//! matching every term, unless no pod anywhere does and the pod matches its own terms: the
//! first of a group), its required anti-affinity (no matching pod in the domain), and the
//! bound pods' required anti-affinity against it; scores from preferred terms both ways.

use super::{NamespaceLabels, PodsOn};
use crate::scheduler::filter::{Code, Unfit};
use crate::scheduler::model::{AffinityTerm, NodeInfo, PodAffinity, PodInfo};
use crate::scheduler::score::MAX_NODE_SCORE;
use serde_json::{Map, Value};
use std::collections::HashMap;

pub const AFFINITY_REASON: &str = "node(s) didn't match pod affinity rules";
pub const ANTI_AFFINITY_REASON: &str = "node(s) didn't match pod anti-affinity rules";
pub const EXISTING_ANTI_AFFINITY_REASON: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// kube-scheduler's default hardPodAffinityWeight: what a bound pod's required affinity
/// term that the incoming pod matches adds to its domain's score.
const HARD_POD_AFFINITY_WEIGHT: i64 = 1;

type Pair = (String, String);

pub struct InterPod {
    /// Domains holding pods that match all of the pod's required affinity terms.
    affinity: HashMap<Pair, i64>,
    /// Domains holding pods that match one of its required anti-affinity terms.
    anti_affinity: HashMap<Pair, i64>,
    /// Domains where a bound pod's required anti-affinity term matches the pod.
    existing_anti_affinity: HashMap<Pair, i64>,
    /// Preferred terms both ways, summed per topology key and value.
    score: HashMap<String, HashMap<String, i64>>,
    required: Vec<AffinityTerm>,
    required_anti: Vec<AffinityTerm>,
    /// The first pod of a group that must be together: no pod anywhere matches its
    /// affinity yet, and it matches its own terms, so any node with the keys will do.
    first_of_group: bool,
}

/// Whether a pod in `namespace` with `labels` is one a term selects.
fn term_matches(
    t: &AffinityTerm,
    namespace: &str,
    labels: &Map<String, Value>,
    namespaces: &NamespaceLabels,
) -> bool {
    let in_namespace = t.all_namespaces
        || t.namespaces.iter().any(|n| n == namespace)
        || t.namespace_selector
            .as_ref()
            .is_some_and(|s| s.matches(namespaces.get(namespace)));
    in_namespace && t.selector.matches(Some(labels))
}

fn add(map: &mut HashMap<Pair, i64>, node: &NodeInfo, key: &str) {
    if let Some(v) = node.labels.get(key) {
        *map.entry((key.to_string(), v.clone())).or_insert(0) += 1;
    }
}

impl InterPod {
    pub fn new(
        pod: &PodInfo,
        nodes: &[NodeInfo],
        pods_on: &PodsOn,
        namespaces: &NamespaceLabels,
    ) -> Option<InterPod> {
        let own = pod.pod_affinity.as_deref();
        let any_bound = pods_on.values().flatten().any(|p| p.pod_affinity.is_some());
        if own.is_none() && !any_bound {
            return None;
        }
        let none = PodAffinity::default();
        let own = own.unwrap_or(&none);
        let mut s = InterPod {
            affinity: HashMap::new(),
            anti_affinity: HashMap::new(),
            existing_anti_affinity: HashMap::new(),
            score: HashMap::new(),
            required: own.required.clone(),
            required_anti: own.required_anti.clone(),
            first_of_group: false,
        };
        let matches_pod =
            |t: &AffinityTerm| term_matches(t, &pod.namespace, &pod.labels, namespaces);
        for node in nodes {
            let Some(pods) = pods_on.get(node.name.as_str()) else {
                continue;
            };
            for other in pods.iter().filter(|p| !p.preempted) {
                let other_matches =
                    |t: &AffinityTerm| term_matches(t, &other.namespace, &other.labels, namespaces);
                if !own.required.is_empty() && own.required.iter().all(other_matches) {
                    for t in &own.required {
                        add(&mut s.affinity, node, &t.topology_key);
                    }
                }
                for t in own.required_anti.iter().filter(|t| other_matches(t)) {
                    add(&mut s.anti_affinity, node, &t.topology_key);
                }
                let mut credit = |key: &str, weight: i64| {
                    if let Some(v) = node.labels.get(key) {
                        *s.score
                            .entry(key.to_string())
                            .or_default()
                            .entry(v.clone())
                            .or_insert(0) += weight;
                    }
                };
                for (w, t) in own.preferred.iter().filter(|(_, t)| other_matches(t)) {
                    credit(&t.topology_key, *w);
                }
                for (w, t) in own.preferred_anti.iter().filter(|(_, t)| other_matches(t)) {
                    credit(&t.topology_key, -*w);
                }
                let Some(theirs) = other.pod_affinity.as_deref() else {
                    continue;
                };
                for t in theirs.required.iter().filter(|t| matches_pod(t)) {
                    credit(&t.topology_key, HARD_POD_AFFINITY_WEIGHT);
                }
                for (w, t) in theirs.preferred.iter().filter(|(_, t)| matches_pod(t)) {
                    credit(&t.topology_key, *w);
                }
                for (w, t) in theirs.preferred_anti.iter().filter(|(_, t)| matches_pod(t)) {
                    credit(&t.topology_key, -*w);
                }
                for t in theirs.required_anti.iter().filter(|t| matches_pod(t)) {
                    add(&mut s.existing_anti_affinity, node, &t.topology_key);
                }
            }
        }
        s.first_of_group = s.affinity.is_empty()
            && !own.required.is_empty()
            && own.required.iter().all(matches_pod);
        Some(s)
    }

    pub fn filter(&self, _pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
        let count = |map: &HashMap<Pair, i64>, key: &str, value: &str| {
            map.get(&(key.to_string(), value.to_string()))
                .copied()
                .unwrap_or(0)
        };
        if !self.required.is_empty() {
            let mut all_keys = true;
            let mut pods_exist = true;
            for t in &self.required {
                match node.labels.get(&t.topology_key) {
                    Some(v) if count(&self.affinity, &t.topology_key, v) > 0 => {}
                    Some(_) => pods_exist = false,
                    None => all_keys = false,
                }
            }
            if !all_keys || (!pods_exist && !self.first_of_group) {
                return Some(Unfit::unresolvable(AFFINITY_REASON));
            }
        }
        let unschedulable = |reason: &str| Unfit {
            code: Code::Unschedulable,
            reasons: vec![reason.to_string()],
        };
        for t in &self.required_anti {
            if let Some(v) = node.labels.get(&t.topology_key)
                && count(&self.anti_affinity, &t.topology_key, v) > 0
            {
                return Some(unschedulable(ANTI_AFFINITY_REASON));
            }
        }
        if node
            .labels
            .iter()
            .any(|(k, v)| count(&self.existing_anti_affinity, k, v) > 0)
        {
            return Some(unschedulable(EXISTING_ANTI_AFFINITY_REASON));
        }
        None
    }

    /// kube's InterPodAffinity score: each node's sum over topology keys of its domain's
    /// preferred weights, scaled so the lowest is 0 and the highest 100.
    pub fn scores(&self, nodes: &[NodeInfo], feasible: &[usize]) -> Vec<i64> {
        let raw: Vec<i64> = feasible
            .iter()
            .map(|&i| {
                self.score
                    .iter()
                    .filter_map(|(key, values)| {
                        nodes[i].labels.get(key).and_then(|v| values.get(v))
                    })
                    .sum()
            })
            .collect();
        let min = raw.iter().copied().min().unwrap_or(0);
        let max = raw.iter().copied().max().unwrap_or(0);
        raw.iter()
            .map(|s| {
                if max > min {
                    // In floating point, as kube computes it (truncation included).
                    (MAX_NODE_SCORE as f64 * ((s - min) as f64 / (max - min) as f64)) as i64
                } else {
                    0
                }
            })
            .collect()
    }
}
