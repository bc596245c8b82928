//! NodeResourcesFit: the pod's requests must fit in the node's allocatable minus what the
//! pods already bound there request, and the node must have room for one more pod. Every
//! shortfall is a reason of its own (`Insufficient cpu`, `Insufficient memory`,
//! `Too many pods`); preemption could free room, so the code is Unschedulable.

use super::{Code, Unfit};
use crate::scheduler::model::{NodeInfo, PodInfo};

pub const TOO_MANY_PODS: &str = "Too many pods";
pub const INSUFFICIENT_CPU: &str = "Insufficient cpu";
pub const INSUFFICIENT_MEMORY: &str = "Insufficient memory";

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
    let mut reasons = Vec::new();
    if node.pod_count + 1 > node.allowed_pods {
        reasons.push(TOO_MANY_PODS.to_string());
    }
    let want = &pod.requests;
    let free_cpu = node.allocatable.milli_cpu - node.requested.milli_cpu;
    if want.milli_cpu > 0 && want.milli_cpu > free_cpu {
        reasons.push(INSUFFICIENT_CPU.to_string());
    }
    let free_memory = node.allocatable.memory - node.requested.memory;
    if want.memory > 0 && want.memory > free_memory {
        reasons.push(INSUFFICIENT_MEMORY.to_string());
    }
    if reasons.is_empty() {
        None
    } else {
        Some(Unfit {
            code: Code::Unschedulable,
            reasons,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing::{GI, node, pod};

    fn reasons(p: &PodInfo, n: &NodeInfo) -> Vec<String> {
        filter(p, n).map(|u| u.reasons).unwrap_or_default()
    }

    #[test]
    fn fits_in_what_is_left() {
        let mut n = node("n");
        n.requested.milli_cpu = 1500;
        assert!(reasons(&pod("p", 500, 0), &n).is_empty());
        assert_eq!(reasons(&pod("p", 501, 0), &n), vec![INSUFFICIENT_CPU]);
    }

    #[test]
    fn every_shortfall_is_listed() {
        let mut n = node("n");
        n.pod_count = n.allowed_pods;
        let got = reasons(&pod("p", 3000, 8 * GI), &n);
        assert_eq!(
            got,
            vec![TOO_MANY_PODS, INSUFFICIENT_CPU, INSUFFICIENT_MEMORY]
        );
        assert_eq!(
            filter(&pod("p", 3000, 0), &n).map(|u| u.code),
            Some(Code::Unschedulable)
        );
    }

    #[test]
    fn zero_requests_fit_an_overcommitted_node() {
        let mut n = node("n");
        n.requested.milli_cpu = 5000;
        n.requested.memory = 10 * GI;
        assert!(reasons(&pod("p", 0, 0), &n).is_empty());
        assert_eq!(reasons(&pod("p", 0, 1), &n), vec![INSUFFICIENT_MEMORY]);
    }

    #[test]
    fn the_pod_limit_counts_bound_pods() {
        let mut n = node("n");
        n.allowed_pods = 2;
        n.pod_count = 1;
        assert!(reasons(&pod("p", 0, 0), &n).is_empty());
        n.pod_count = 2;
        assert_eq!(reasons(&pod("p", 0, 0), &n), vec![TOO_MANY_PODS]);
    }
}
