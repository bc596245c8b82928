//! VolumeBinding (its Filter half): a pod whose claims are bound to volumes pinned to nodes
//! (node affinity, as local volumes have) can run only there. What the claims allow is
//! worked out once per pod (`scheduler::volumes`) into `PodInfo::volume_nodes`.

use super::Unfit;
use crate::scheduler::model::{NodeInfo, PodInfo};

pub const REASON: &str = "node(s) had volume node affinity conflict";

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
    match &pod.volume_nodes {
        Some(allowed) if !allowed.contains(&node.name) => Some(Unfit::unresolvable(REASON)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing::{node, pod};

    #[test]
    fn pinned_volumes_keep_the_pod_on_their_node() {
        let mut p = pod("p", 0, 0);
        assert_eq!(filter(&p, &node("a")), None);
        p.volume_nodes = Some(vec!["b".to_string()]);
        assert_eq!(filter(&p, &node("a")), Some(Unfit::unresolvable(REASON)));
        assert_eq!(filter(&p, &node("b")), None);
    }
}
