//! NodeResourcesBalancedAllocation: prefers nodes where cpu and memory would be used in
//! the same proportion once the pod is added. With two resources the standard deviation of
//! the two used fractions is half their difference; the score is (1 - deviation) * 100,
//! truncated. It counts requests as written (no defaults for missing ones).

use super::MAX_NODE_SCORE;
use crate::scheduler::model::{NodeInfo, PodInfo};

pub fn score(pod: &PodInfo, node: &NodeInfo) -> i64 {
    let used = &node.requested;
    let want = &pod.requests;
    let pairs = [
        (used.milli_cpu + want.milli_cpu, node.allocatable.milli_cpu),
        (
            used.memory.saturating_add(want.memory),
            node.allocatable.memory,
        ),
    ];
    let mut fractions = [0.0f64; 2];
    let mut n = 0;
    for (requested, allocatable) in pairs {
        if allocatable == 0 {
            continue;
        }
        fractions[n] = (requested as f64 / allocatable as f64).min(1.0);
        n += 1;
    }
    let deviation = if n == 2 {
        ((fractions[0] - fractions[1]) / 2.0).abs()
    } else {
        0.0
    };
    ((1.0 - deviation) * MAX_NODE_SCORE as f64) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing::{GI, node, pod};

    #[test]
    fn even_use_scores_full() {
        let mut n = node("n");
        n.allocatable.memory = 4 * GI;
        assert_eq!(score(&pod("p", 1000, 2 * GI), &n), 100);
        assert_eq!(score(&pod("p", 0, 0), &n), 100);
    }

    #[test]
    fn lopsided_use_scores_lower() {
        let mut n = node("n");
        n.allocatable.memory = 4 * GI;
        // cpu 1.0 used, memory 0.0: deviation 0.5.
        assert_eq!(score(&pod("p", 2000, 0), &n), 50);
        // cpu 0.5, memory 0.25: deviation 0.125 -> 87.5 truncated.
        assert_eq!(score(&pod("p", 1000, GI), &n), 87);
        // Fractions are capped at 1.
        n.requested.milli_cpu = 10_000;
        assert_eq!(score(&pod("p", 0, 4 * GI), &n), 100);
    }
}
