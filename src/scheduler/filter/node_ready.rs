//! NodeReady: a node whose Ready condition is not True takes only pods that tolerate the
//! taint the node lifecycle controller puts on such a node (`node.kubernetes.io/not-ready`
//! for Ready=False, `node.kubernetes.io/unreachable` for Unknown, both NoSchedule). The
//! reason names that taint, as kube-scheduler's does once the taint is there, so the
//! message is the same whether or not the controller has caught up.

use super::Unfit;
use super::taint_toleration::reason;
use crate::scheduler::model::{NodeInfo, PodInfo, Readiness, tolerated};

pub const NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
    let key = match node.readiness {
        Readiness::Ready => return None,
        Readiness::NotReady => NOT_READY,
        Readiness::Unreachable => UNREACHABLE,
    };
    if tolerated(&pod.tolerations, key, "", "NoSchedule") {
        return None;
    }
    Some(Unfit::unresolvable(reason(key, "")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::model::Toleration;
    use crate::scheduler::testing::{node, pod};

    #[test]
    fn unknown_nodes_read_as_unreachable() {
        let mut n = node("node02");
        n.readiness = Readiness::Unreachable;
        assert_eq!(
            filter(&pod("p", 0, 0), &n).map(|u| u.reasons),
            Some(vec![
                "node(s) had untolerated taint {node.kubernetes.io/unreachable: }".to_string()
            ])
        );
        n.readiness = Readiness::NotReady;
        assert_eq!(
            filter(&pod("p", 0, 0), &n).map(|u| u.reasons),
            Some(vec![
                "node(s) had untolerated taint {node.kubernetes.io/not-ready: }".to_string()
            ])
        );
    }

    #[test]
    fn the_default_noexecute_tolerations_do_not_help() {
        let mut n = node("n");
        n.readiness = Readiness::Unreachable;
        let mut p = pod("p", 0, 0);
        p.tolerations.push(Toleration {
            key: UNREACHABLE.into(),
            exists: true,
            value: String::new(),
            effect: "NoExecute".into(),
        });
        assert!(filter(&p, &n).is_some());
        // A DaemonSet-style toleration of every effect does.
        p.tolerations.push(Toleration {
            key: UNREACHABLE.into(),
            exists: true,
            value: String::new(),
            effect: String::new(),
        });
        assert_eq!(filter(&p, &n), None);
    }

    #[test]
    fn ready_nodes_pass() {
        assert_eq!(filter(&pod("p", 0, 0), &node("n")), None);
    }
}
