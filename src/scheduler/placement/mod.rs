//! The plugins that look beyond one node: PodTopologySpread and InterPodAffinity. Where
//! the other plugins judge a node alone, these count the pods of whole topology domains
//! (all nodes with the same value of a label), so they first gather, once per pod, what
//! every node holds (kube's PreFilter and PreScore), then judge and score each node from
//! that.
//!
//! Differences from kube-scheduler, on purpose: the system default spread constraints
//! (which softly spread the pods of a Service or controller when a pod has none of its own)
//! are not applied; preemption does not evict pods to satisfy these plugins (a node they
//! reject counts as one where no victims were found); nominated pods of other pods are
//! not counted in domains.

mod inter_pod;
mod spread;

use super::filter::Unfit;
use super::model::{NodeInfo, PodInfo, RunningPod};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The bound pods of each node, by node name.
pub type PodsOn<'a> = HashMap<&'a str, Vec<&'a RunningPod>>;

/// Namespace labels by namespace name (for namespaceSelectors).
pub type NamespaceLabels = HashMap<String, Map<String, Value>>;

/// kube-scheduler's default weights of the two score plugins.
const SPREAD_WEIGHT: i64 = 2;
const INTER_POD_WEIGHT: i64 = 2;

/// What these plugins gathered for one pod over every node.
pub struct Placement {
    spread: Option<spread::Spread>,
    inter_pod: Option<inter_pod::InterPod>,
}

impl Placement {
    /// Gathers for `pod` over `nodes` (sorted by name) and the pods bound to them; None when
    /// neither plugin has anything to say (the pod has no constraints and no bound pod has
    /// pod affinity).
    pub fn new(
        pod: &PodInfo,
        nodes: &[NodeInfo],
        pods_on: &PodsOn,
        namespaces: &NamespaceLabels,
    ) -> Option<Placement> {
        let spread = spread::Spread::new(pod, nodes, pods_on);
        let inter_pod = inter_pod::InterPod::new(pod, nodes, pods_on, namespaces);
        (spread.is_some() || inter_pod.is_some()).then_some(Placement { spread, inter_pod })
    }

    /// Whether a pod needs this at all, before anything is gathered.
    pub fn applies(pod: &PodInfo, any_bound_pod_affinity: bool) -> bool {
        !pod.spread.is_empty() || pod.pod_affinity.is_some() || any_bound_pod_affinity
    }

    /// The filters, in kube's order (PodTopologySpread, then InterPodAffinity).
    pub fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
        self.spread
            .as_ref()
            .and_then(|s| s.filter(pod, node))
            .or_else(|| self.inter_pod.as_ref().and_then(|a| a.filter(pod, node)))
    }

    /// The weighted scores of the feasible nodes (indices into the nodes given to `new`),
    /// in that order.
    pub fn scores(&self, nodes: &[NodeInfo], feasible: &[usize]) -> Vec<i64> {
        let mut total = vec![0; feasible.len()];
        if let Some(s) = &self.spread {
            for (t, s) in total.iter_mut().zip(s.scores(nodes, feasible)) {
                *t += s * SPREAD_WEIGHT;
            }
        }
        if let Some(a) = &self.inter_pod {
            for (t, s) in total.iter_mut().zip(a.scores(nodes, feasible)) {
                *t += s * INTER_POD_WEIGHT;
            }
        }
        total
    }
}

/// Whether any term of a pod (or of the bound pods) selects namespaces by their labels, so
/// that the namespaces must be read.
pub fn needs_namespace_labels<'a>(
    pod: &PodInfo,
    bound: impl Iterator<Item = &'a RunningPod>,
) -> bool {
    let uses = |a: &super::model::PodAffinity| {
        a.required
            .iter()
            .chain(&a.required_anti)
            .chain(a.preferred.iter().map(|(_, t)| t))
            .chain(a.preferred_anti.iter().map(|(_, t)| t))
            .any(|t| t.namespace_selector.is_some())
    };
    pod.pod_affinity.as_deref().is_some_and(uses)
        || bound.filter_map(|p| p.pod_affinity.as_deref()).any(uses)
}

#[cfg(test)]
mod tests;
