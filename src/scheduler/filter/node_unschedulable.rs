//! NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes only pods that tolerate
//! the `node.kubernetes.io/unschedulable:NoSchedule` taint.

use super::Unfit;
use crate::scheduler::model::{NodeInfo, PodInfo, tolerated};

pub const REASON: &str = "node(s) were unschedulable";
const TAINT: &str = "node.kubernetes.io/unschedulable";

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
    if !node.unschedulable || tolerated(&pod.tolerations, TAINT, "", "NoSchedule") {
        return None;
    }
    Some(Unfit::unresolvable(REASON))
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::*;
    use crate::scheduler::model::Toleration;
    use crate::scheduler::testing::{node, pod};

    #[test]
    fn cordoned_nodes_are_refused() {
        let mut n = node("n");
        assert_eq!(filter(&pod("p", 0, 0), &n), None);
        n.unschedulable = true;
        let unfit = filter(&pod("p", 0, 0), &n);
        assert_eq!(unfit, Some(Unfit::unresolvable(REASON)));
        assert_eq!(
            unfit.map(|u| u.code),
            Some(Code::UnschedulableAndUnresolvable)
        );
    }

    #[test]
    fn the_unschedulable_toleration_lets_a_pod_in() {
        let mut n = node("n");
        n.unschedulable = true;
        let mut p = pod("p", 0, 0);
        p.tolerations.push(Toleration {
            key: TAINT.into(),
            exists: true,
            value: String::new(),
            effect: "NoSchedule".into(),
        });
        assert_eq!(filter(&p, &n), None);
    }
}
