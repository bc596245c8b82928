//! NodeResourcesFit's default scoring strategy, LeastAllocated: the share of cpu and of
//! memory left free once the pod is added (counting containers without requests at the
//! defaults, so that such pods spread too), averaged with equal weights in integers.

use super::MAX_NODE_SCORE;
use crate::scheduler::model::{NodeInfo, PodInfo};

pub fn score(pod: &PodInfo, node: &NodeInfo) -> i64 {
    let used = &node.non_zero_requested;
    let want = &pod.non_zero_requests;
    let pairs = [
        (used.milli_cpu + want.milli_cpu, node.allocatable.milli_cpu),
        (
            used.memory.saturating_add(want.memory),
            node.allocatable.memory,
        ),
    ];
    let mut total = 0;
    let mut weights = 0;
    for (requested, allocatable) in pairs {
        if allocatable == 0 {
            continue;
        }
        total += free_share(requested, allocatable);
        weights += 1;
    }
    if weights == 0 { 0 } else { total / weights }
}

fn free_share(requested: i64, capacity: i64) -> i64 {
    if requested > capacity {
        return 0;
    }
    // i128: memory in bytes times 100 overflows nothing, but stays exact.
    ((i128::from(capacity - requested) * i128::from(MAX_NODE_SCORE)) / i128::from(capacity)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing::{GI, node, pod};

    #[test]
    fn empty_node_scores_by_what_the_pod_takes() {
        let mut n = node("n");
        n.allocatable.memory = 4 * GI;
        // cpu: (2000-500)*100/2000 = 75; memory: (4-1)*100/4 = 75.
        assert_eq!(score(&pod("p", 500, GI), &n), 75);
        // cpu 199900/2000 = 99 (integer division), memory 50: mean 74.
        assert_eq!(score(&pod("p", 1, 2 * GI), &n), (99 + 50) / 2);
    }

    #[test]
    fn busier_nodes_score_lower_and_overfull_ones_zero() {
        let mut idle = node("a");
        idle.allocatable.memory = 4 * GI;
        let mut busy = idle.clone();
        busy.non_zero_requested.milli_cpu = 1000;
        let p = pod("p", 100, GI);
        assert!(score(&p, &idle) > score(&p, &busy));
        busy.non_zero_requested.milli_cpu = 4000;
        busy.non_zero_requested.memory = 8 * GI;
        assert_eq!(score(&p, &busy), 0);
    }
}
