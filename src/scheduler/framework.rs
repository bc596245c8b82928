//! The scheduling framework: filter plugins decide whether a node can take a pod, score
//! plugins rank the nodes that can, and `schedule_one` runs them for one pod over a snapshot
//! of the nodes. Each plugin is a plain function with one signature, so adding one is a new
//! file and a line in a table below.
//!
//! Node choice is deterministic where kube-scheduler draws at random among the best: of the
//! nodes with the highest total score, the one whose name sorts first wins. kube-scheduler
//! also scores only a sample of a large cluster (percentageOfNodesToScore); this one scores
//! every feasible node, so the result does not depend on where a search started.

use super::filter;
pub use super::filter::{Code, FilterFn, Unfit};
use super::model::{NodeInfo, PodInfo};
use super::placement::Placement;
use super::score;

/// A score plugin: 0 (worst) to 100 (best) for a node that passed every filter.
pub type ScoreFn = fn(&PodInfo, &NodeInfo) -> i64;

pub struct FilterPlugin {
    pub name: &'static str,
    pub run: FilterFn,
}

pub struct ScorePlugin {
    pub name: &'static str,
    pub weight: i64,
    pub run: ScoreFn,
}

/// Filters in kube-scheduler's default order; a node is reported by the first that rejects
/// it. NodeReady stands in for the not-ready/unreachable taints the node lifecycle controller
/// adds, so it runs after TaintToleration, which reports those taints once they are there.
pub const FILTERS: &[FilterPlugin] = &[
    FilterPlugin {
        name: "NodeUnschedulable",
        run: filter::node_unschedulable::filter,
    },
    FilterPlugin {
        name: "TaintToleration",
        run: filter::taint_toleration::filter,
    },
    FilterPlugin {
        name: "NodeReady",
        run: filter::node_ready::filter,
    },
    FilterPlugin {
        name: "NodeAffinity",
        run: filter::node_affinity::filter,
    },
    FilterPlugin {
        name: "NodeResourcesFit",
        run: filter::node_resources_fit::filter,
    },
    FilterPlugin {
        name: "VolumeBinding",
        run: filter::volume_binding::filter,
    },
];

/// Scores with kube-scheduler's default weights (both 1).
pub const SCORES: &[ScorePlugin] = &[
    ScorePlugin {
        name: "NodeResourcesFit",
        weight: 1,
        run: score::least_allocated::score,
    },
    ScorePlugin {
        name: "NodeResourcesBalancedAllocation",
        weight: 1,
        run: score::balanced_allocation::score,
    },
];

/// Runs every filter on a node; the first rejection wins.
pub fn run_filters(pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
    FILTERS.iter().find_map(|f| (f.run)(pod, node))
}

/// The weighted sum of every score.
pub fn run_scores(pod: &PodInfo, node: &NodeInfo) -> i64 {
    SCORES.iter().map(|s| (s.run)(pod, node) * s.weight).sum()
}

/// Why no node could take a pod: one verdict per node, in node order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    pub num_nodes: usize,
    pub statuses: Vec<Unfit>,
}

/// Picks the node for a pod: the index into `nodes` of the best feasible node, or why there
/// is none. `nodes` must be sorted by name for the tie-break to hold. `placement` is what
/// the cluster-wide plugins gathered for this pod, when they apply.
pub fn schedule_one(
    pod: &PodInfo,
    nodes: &[NodeInfo],
    placement: Option<&Placement>,
) -> Result<usize, Diagnosis> {
    let unfit = |node: &NodeInfo| {
        run_filters(pod, node).or_else(|| placement.and_then(|p| p.filter(pod, node)))
    };
    // A pod an earlier preemption nominated tries that node first, and takes it if it fits
    // (kube's evaluateNominatedNode); otherwise every node is tried as usual.
    if !pod.nominated_node.is_empty()
        && let Ok(i) = nodes.binary_search_by(|n| n.name.as_str().cmp(&pod.nominated_node))
        && unfit(&nodes[i]).is_none()
    {
        return Ok(i);
    }
    let mut feasible = Vec::new();
    let mut statuses = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        match unfit(node) {
            Some(u) if feasible.is_empty() => statuses.push(u),
            Some(_) => {}
            None => feasible.push(i),
        }
    }
    if feasible.is_empty() {
        return Err(Diagnosis {
            num_nodes: nodes.len(),
            statuses,
        });
    }
    let extra = placement.map_or_else(|| vec![0; feasible.len()], |p| p.scores(nodes, &feasible));
    let mut best: Option<(usize, i64)> = None;
    for (&i, extra) in feasible.iter().zip(extra) {
        let total = run_scores(pod, &nodes[i]) + extra;
        // Strictly greater: among equal scores the earlier (smaller) name stays.
        if best.is_none_or(|(_, s)| total > s) {
            best = Some((i, total));
        }
    }
    Ok(best.map_or(feasible[0], |(i, _)| i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing::{node, pod};

    fn schedule_one_alone(pod: &PodInfo, nodes: &[NodeInfo]) -> Result<usize, Diagnosis> {
        schedule_one(pod, nodes, None)
    }

    #[test]
    fn picks_the_least_allocated_node() {
        let mut busy = node("a");
        busy.requested.milli_cpu = 1500;
        busy.non_zero_requested.milli_cpu = 1500;
        let nodes = vec![busy, node("b"), node("c")];
        assert_eq!(schedule_one_alone(&pod("p", 100, 0), &nodes), Ok(1));
    }

    #[test]
    fn a_nominated_pod_takes_its_node_when_it_fits() {
        let mut busy = node("b");
        busy.requested.milli_cpu = 1000;
        busy.non_zero_requested.milli_cpu = 1000;
        let nodes = vec![node("a"), busy];
        let mut p = pod("p", 500, 0);
        p.nominated_node = "b".into();
        assert_eq!(schedule_one_alone(&p, &nodes), Ok(1));
        // Too big for it now: the best other node.
        p.requests.milli_cpu = 1500;
        assert_eq!(schedule_one_alone(&p, &nodes), Ok(0));
    }

    #[test]
    fn ties_go_to_the_first_name() {
        let nodes = vec![node("a"), node("b")];
        assert_eq!(schedule_one_alone(&pod("p", 100, 0), &nodes), Ok(0));
    }

    #[test]
    fn no_fit_reports_every_node() {
        let nodes = vec![node("a"), node("b")];
        let err = schedule_one_alone(&pod("p", 3000, 0), &nodes);
        let Err(d) = err else {
            panic!("a 3-cpu pod fitted a 2-cpu node: {err:?}");
        };
        assert_eq!(d.num_nodes, 2);
        assert_eq!(d.statuses.len(), 2);
        assert_eq!(d.statuses[0].reasons, vec!["Insufficient cpu"]);
    }

    #[test]
    fn a_node_full_for_scores_is_still_feasible_if_it_fits() {
        // Scores never exclude: a feasible node with score 0 still gets the pod.
        let mut full = node("a");
        full.non_zero_requested.milli_cpu = 5000;
        full.non_zero_requested.memory = i64::MAX / 2;
        assert_eq!(schedule_one_alone(&pod("p", 100, 0), &[full]), Ok(0));
    }
}
