//! DefaultPreemption, kube-scheduler's PostFilter: when a pod fits no node, find a node
//! where evicting pods of lower priority would make room, and the fewest and least
//! important such pods (`victims`), then pick the best node among those (`pick`).
//! PodDisruptionBudgets make some victims costlier (`budgets`).
//!
//! This module decides; `cycle` acts on the decision (marks and deletes the victims with
//! a `Preempted` event, sets the pod's nominatedNodeName). The pod binds on a later pass,
//! once the victims are gone.
//!
//! Differences from kube-scheduler, on purpose: every node is dry-run (kube samples at
//! least 100 nodes or a tenth of them, from a random offset), and ties go to the node whose
//! name sorts first.

pub mod budgets;
pub mod pick;
pub mod victims;

use super::fit_error::{NEVER_PREEMPTS, NOT_HELPFUL, VICTIMS_TERMINATING, nodes_available};
use super::framework::{Code, Diagnosis};
use super::model::{NodeInfo, PodInfo, RunningPod};
use super::placement::Placement;
use crate::api::status::ApiError;
use budgets::Budget;
use std::collections::HashMap;

/// What preemption decided for a pod that fits nowhere.
#[derive(Debug)]
pub enum Verdict<'a> {
    /// Evicting `victims` makes room on `nodes[node]`.
    Nominate {
        node: usize,
        victims: Vec<&'a RunningPod>,
    },
    /// Preemption cannot help: what it says (after `preemption: ` in the message), and
    /// whether the pod's nomination, if any, is to be cleared.
    Refused {
        message: String,
        clear_nomination: bool,
    },
}

/// The bound pods of each node, by node name.
pub type PodsByNode<'a> = HashMap<&'a str, Vec<&'a RunningPod>>;

/// Decides preemption for `pod`, which fits none of `nodes` for the reasons in
/// `diagnosis` (one per node, in node order). `budgets` is read only when some node could
/// be helped. `now` stands in for the start time of pods not started yet.
pub fn preempt<'a>(
    pod: &PodInfo,
    nodes: &[NodeInfo],
    diagnosis: &Diagnosis,
    pods_on: &PodsByNode<'a>,
    placement: Option<&Placement>,
    budgets: &mut dyn FnMut() -> Result<Vec<Budget>, ApiError>,
    now: &str,
) -> Result<Verdict<'a>, ApiError> {
    let refused = |message: &str| Verdict::Refused {
        message: message.to_string(),
        clear_nomination: false,
    };
    if pod.never_preempts {
        return Ok(refused(NEVER_PREEMPTS));
    }
    if waiting_for_victims(pod, nodes, diagnosis, pods_on) {
        return Ok(refused(VICTIMS_TERMINATING));
    }
    let potential: Vec<usize> = (0..nodes.len())
        .filter(|&i| diagnosis.statuses.get(i).map(|s| s.code) == Some(Code::Unschedulable))
        .collect();
    let mut reasons: Vec<Vec<String>> = vec![vec![NOT_HELPFUL.to_string()]; nodes.len()];
    let mut candidates = Vec::new();
    let mut candidate_nodes = Vec::new();
    if !potential.is_empty() {
        let budgets = budgets()?;
        for i in potential {
            let node = &nodes[i];
            // The cluster-wide filters (topology spread, inter-pod affinity) are judged with
            // every pod in place: this scheduler does not evict pods to satisfy them.
            if placement.is_some_and(|p| p.filter(pod, node).is_some()) {
                reasons[i] = vec![super::fit_error::NO_VICTIMS.to_string()];
                continue;
            }
            let on_node = pods_on
                .get(node.name.as_str())
                .map_or(&[][..], Vec::as_slice);
            match victims::select(pod, node, on_node, &budgets, now) {
                Ok(v) if !v.pods.is_empty() => {
                    candidates.push(v);
                    candidate_nodes.push(i);
                }
                Ok(_) => reasons[i] = vec![super::fit_error::NO_VICTIMS.to_string()],
                Err(why) => reasons[i] = why,
            }
        }
    }
    match pick::pick(&candidates, now) {
        Some(c) => Ok(Verdict::Nominate {
            node: candidate_nodes[c],
            victims: std::mem::take(&mut candidates[c].pods),
        }),
        None => Ok(Verdict::Refused {
            message: nodes_available(nodes.len(), reasons.iter().flatten().map(String::as_str)),
            clear_nomination: true,
        }),
    }
}

/// A pod that already preempted waits while its victims terminate: on its nominated node
/// (unless that node can no longer take it at all) a pod of lower priority is still being
/// deleted by preemption.
fn waiting_for_victims(
    pod: &PodInfo,
    nodes: &[NodeInfo],
    diagnosis: &Diagnosis,
    pods_on: &PodsByNode,
) -> bool {
    if pod.nominated_node.is_empty() {
        return false;
    }
    let Ok(i) = nodes.binary_search_by(|n| n.name.as_str().cmp(&pod.nominated_node)) else {
        return false;
    };
    if diagnosis.statuses.get(i).map(|s| s.code) == Some(Code::UnschedulableAndUnresolvable) {
        return false;
    }
    pods_on
        .get(pod.nominated_node.as_str())
        .is_some_and(|pods| {
            pods.iter()
                .any(|p| p.priority < pod.priority && p.preempted)
        })
}

#[cfg(test)]
mod tests;
