//! PodTopologySpread: `whenUnsatisfiable: DoNotSchedule` constraints filter (a node may not
//! raise its domain's count of matching pods more than `maxSkew` above the emptiest
//! domain's), `ScheduleAnyway` constraints score (fewer matching pods in a node's domain
//! scores higher).

use super::PodsOn;
use crate::scheduler::filter::{Code, Unfit, node_affinity, taint_toleration};
use crate::scheduler::model::{NodeInfo, PodInfo, RunningPod, SpreadConstraint};
use crate::scheduler::score::MAX_NODE_SCORE;
use std::collections::{HashMap, HashSet};

pub const REASON: &str = "node(s) didn't match pod topology spread constraints";
pub const MISSING_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

const HOSTNAME: &str = "kubernetes.io/hostname";

/// The constraints of one pod, with the matching pods counted.
pub struct Spread {
    hard: Vec<Counted>,
    soft: Vec<SpreadConstraint>,
    /// For the soft constraints: per node (in node order), whether it counts (has every
    /// soft key and passes each constraint's inclusion policies), and its matching pods per
    /// constraint.
    soft_counts: Vec<(bool, Vec<i64>)>,
}

/// A DoNotSchedule constraint with its domains' counts.
struct Counted {
    constraint: SpreadConstraint,
    per_domain: HashMap<String, i64>,
    /// The smallest domain count (0 when there are fewer domains than `minDomains`).
    min: i64,
    /// Whether the pod itself matches the selector (it will count once placed).
    self_match: i64,
}

/// The matching pods among those bound to a node: same namespace, selector matches, not
/// being deleted.
fn matching(pods: Option<&Vec<&RunningPod>>, c: &SpreadConstraint, namespace: &str) -> i64 {
    pods.map_or(0, |pods| {
        pods.iter()
            .filter(|p| !p.preempted && p.namespace == namespace)
            .filter(|p| c.selector.matches(Some(&p.labels)))
            .count() as i64
    })
}

/// Whether a node counts for a constraint: its node affinity and taint policies.
fn included(c: &SpreadConstraint, pod: &PodInfo, node: &NodeInfo) -> bool {
    (!c.honor_node_affinity || node_affinity::filter(pod, node).is_none())
        && (!c.honor_node_taints || taint_toleration::filter(pod, node).is_none())
}

fn has_keys(node: &NodeInfo, constraints: &[SpreadConstraint]) -> bool {
    constraints
        .iter()
        .all(|c| node.labels.contains_key(&c.topology_key))
}

impl Spread {
    pub fn new(pod: &PodInfo, nodes: &[NodeInfo], pods_on: &PodsOn) -> Option<Spread> {
        if pod.spread.is_empty() {
            return None;
        }
        let (hard, soft): (Vec<SpreadConstraint>, Vec<SpreadConstraint>) =
            pod.spread.iter().cloned().partition(|c| c.hard);
        let mut counted: Vec<Counted> = hard
            .iter()
            .map(|c| Counted {
                constraint: c.clone(),
                per_domain: HashMap::new(),
                min: 0,
                self_match: i64::from(c.selector.matches(Some(&pod.labels))),
            })
            .collect();
        for node in nodes.iter().filter(|n| has_keys(n, &hard)) {
            let pods = pods_on.get(node.name.as_str());
            for k in &mut counted {
                if !included(&k.constraint, pod, node) {
                    continue;
                }
                let domain = node.labels[&k.constraint.topology_key].clone();
                *k.per_domain.entry(domain).or_insert(0) +=
                    matching(pods, &k.constraint, &pod.namespace);
            }
        }
        for k in &mut counted {
            let domains = k.per_domain.len() as i64;
            k.min = if k.constraint.min_domains.is_some_and(|m| domains < m) {
                0
            } else {
                // No domain at all: nothing to be skewed against.
                k.per_domain.values().copied().min().unwrap_or(i64::MIN / 4)
            };
        }
        let soft_counts = if soft.is_empty() {
            Vec::new()
        } else {
            nodes
                .iter()
                .map(|node| {
                    let pods = pods_on.get(node.name.as_str());
                    let counts = soft
                        .iter()
                        .map(|c| matching(pods, c, &pod.namespace))
                        .collect();
                    let counts_at_all =
                        has_keys(node, &soft) && soft.iter().all(|c| included(c, pod, node));
                    (counts_at_all, counts)
                })
                .collect()
        };
        Some(Spread {
            hard: counted,
            soft,
            soft_counts,
        })
    }

    pub fn filter(&self, _pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
        for k in &self.hard {
            let Some(domain) = node.labels.get(&k.constraint.topology_key) else {
                return Some(Unfit::unresolvable(MISSING_LABEL));
            };
            let here = k.per_domain.get(domain).copied().unwrap_or(0);
            let skew = here.saturating_add(k.self_match).saturating_sub(k.min);
            if skew > k.constraint.max_skew {
                return Some(Unfit {
                    code: Code::Unschedulable,
                    reasons: vec![REASON.to_string()],
                });
            }
        }
        None
    }

    /// kube's PodTopologySpread score, normalized: a node's raw score is, over the soft
    /// constraints, its domain's matching pods weighted by log(domains + 2), plus maxSkew-1;
    /// the fewest scores 100. Nodes without every key score 0.
    pub fn scores(&self, nodes: &[NodeInfo], feasible: &[usize]) -> Vec<i64> {
        if self.soft.is_empty() {
            return vec![0; feasible.len()];
        }
        let ignored: Vec<bool> = feasible
            .iter()
            .map(|&i| !has_keys(&nodes[i], &self.soft))
            .collect();
        let considered = ignored.iter().filter(|i| !**i).count();
        // The domains of the feasible nodes, and their pods over every counted node.
        let mut weights = Vec::new();
        let mut per_domain: Vec<HashMap<&str, i64>> = Vec::new();
        for (c, constraint) in self.soft.iter().enumerate() {
            let key = constraint.topology_key.as_str();
            let domains: HashSet<&str> = feasible
                .iter()
                .zip(&ignored)
                .filter(|(_, ignored)| !**ignored)
                .map(|(&i, _)| nodes[i].labels[key].as_str())
                .collect();
            let size = if key == HOSTNAME {
                considered
            } else {
                domains.len()
            };
            weights.push(((size + 2) as f64).ln());
            let mut counts: HashMap<&str, i64> = HashMap::new();
            if key != HOSTNAME {
                for (node, (counts_at_all, n)) in nodes.iter().zip(&self.soft_counts) {
                    let Some(v) = node.labels.get(key).map(String::as_str) else {
                        continue;
                    };
                    if *counts_at_all && domains.contains(v) {
                        *counts.entry(v).or_insert(0) += n[c];
                    }
                }
            }
            per_domain.push(counts);
        }
        let raw: Vec<Option<i64>> = feasible
            .iter()
            .zip(&ignored)
            .map(|(&i, ignored)| {
                if *ignored {
                    return None;
                }
                let node = &nodes[i];
                let mut score = 0.0;
                for (c, constraint) in self.soft.iter().enumerate() {
                    let key = constraint.topology_key.as_str();
                    let count = if key == HOSTNAME {
                        self.soft_counts[i].1[c]
                    } else {
                        per_domain[c]
                            .get(node.labels[key].as_str())
                            .copied()
                            .unwrap_or(0)
                    };
                    score += count as f64 * weights[c] + (constraint.max_skew - 1) as f64;
                }
                Some(score.round() as i64)
            })
            .collect();
        let min = raw.iter().flatten().copied().min().unwrap_or(0);
        let max = raw.iter().flatten().copied().max().unwrap_or(0);
        raw.iter()
            .map(|s| match s {
                None => 0,
                Some(_) if max == 0 => MAX_NODE_SCORE,
                Some(s) => MAX_NODE_SCORE * (max + min - s) / max,
            })
            .collect()
    }
}
