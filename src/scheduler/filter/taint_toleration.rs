//! TaintToleration: every NoSchedule and NoExecute taint of the node must be tolerated
//! (PreferNoSchedule only matters to scores). The first untolerated one is the reason.

use super::Unfit;
use crate::scheduler::model::{NodeInfo, PodInfo, tolerated};

/// kube-scheduler's wording: `node(s) had untolerated taint {key: value}`.
pub fn reason(key: &str, value: &str) -> String {
    format!("node(s) had untolerated taint {{{key}: {value}}}")
}

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
    node.taints
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .find(|t| !tolerated(&pod.tolerations, &t.key, &t.value, &t.effect))
        .map(|t| Unfit::unresolvable(reason(&t.key, &t.value)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::model::{Taint, Toleration};
    use crate::scheduler::testing::{node, pod};

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: value.into(),
            effect: effect.into(),
        }
    }

    fn toleration(key: &str, exists: bool, value: &str, effect: &str) -> Toleration {
        Toleration {
            key: key.into(),
            exists,
            value: value.into(),
            effect: effect.into(),
        }
    }

    #[test]
    fn control_plane_taint_is_reported_as_kube_scheduler_does() {
        let mut n = node("master");
        n.taints.push(taint(
            "node-role.kubernetes.io/control-plane",
            "",
            "NoSchedule",
        ));
        let unfit = filter(&pod("p", 0, 0), &n);
        assert_eq!(
            unfit.map(|u| u.reasons),
            Some(vec![
                "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
                    .to_string()
            ])
        );
    }

    #[test]
    fn values_are_printed_inside_the_braces() {
        let mut n = node("n");
        n.taints.push(taint("dedicated", "gpu", "NoExecute"));
        let unfit = filter(&pod("p", 0, 0), &n);
        assert_eq!(
            unfit.map(|u| u.reasons),
            Some(vec![
                "node(s) had untolerated taint {dedicated: gpu}".to_string()
            ])
        );
    }

    #[test]
    fn prefer_no_schedule_does_not_filter() {
        let mut n = node("n");
        n.taints.push(taint("soft", "", "PreferNoSchedule"));
        assert_eq!(filter(&pod("p", 0, 0), &n), None);
    }

    #[test]
    fn tolerations_match_by_key_value_and_effect() {
        let mut n = node("n");
        n.taints.push(taint("dedicated", "gpu", "NoSchedule"));
        let with = |t: Toleration| {
            let mut p = pod("p", 0, 0);
            p.tolerations.push(t);
            filter(&p, &n).is_none()
        };
        assert!(with(toleration("dedicated", false, "gpu", "NoSchedule")));
        assert!(with(toleration("dedicated", true, "", "")));
        assert!(with(toleration("", true, "", "")));
        assert!(!with(toleration("dedicated", false, "cpu", "NoSchedule")));
        assert!(!with(toleration("dedicated", true, "", "NoExecute")));
        assert!(!with(toleration("other", true, "", "")));
    }

    #[test]
    fn the_first_untolerated_taint_is_the_reason() {
        let mut n = node("n");
        n.taints.push(taint("a", "1", "NoSchedule"));
        n.taints.push(taint("b", "2", "NoSchedule"));
        let mut p = pod("p", 0, 0);
        p.tolerations.push(toleration("a", true, "", ""));
        assert_eq!(
            filter(&p, &n).map(|u| u.reasons),
            Some(vec![reason("b", "2")])
        );
    }
}
