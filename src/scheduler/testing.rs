//! Small builders for the plugins' unit tests.

use super::model::{NodeInfo, PodInfo, Readiness, Resources};
use std::collections::BTreeMap;

pub const GI: i64 = 1024 * 1024 * 1024;

/// A Ready node with 2 cpu, 3913156Ki of memory and room for 110 pods, like the bootstrap's.
pub fn node(name: &str) -> NodeInfo {
    NodeInfo {
        name: name.to_string(),
        labels: BTreeMap::new(),
        taints: Vec::new(),
        unschedulable: false,
        readiness: Readiness::Ready,
        allocatable: Resources {
            milli_cpu: 2000,
            memory: 3_913_156 * 1024,
        },
        allowed_pods: 110,
        requested: Resources::default(),
        non_zero_requested: Resources::default(),
        pod_count: 0,
    }
}

/// A pod in `default` requesting `milli_cpu` and `memory` (the same for scores).
pub fn pod(name: &str, milli_cpu: i64, memory: i64) -> PodInfo {
    let requests = Resources { milli_cpu, memory };
    PodInfo {
        namespace: "default".to_string(),
        name: name.to_string(),
        uid: format!("uid-{name}"),
        priority: 0,
        created: "2026-11-29T01:42:16Z".to_string(),
        requests,
        non_zero_requests: requests,
        node_selector: Vec::new(),
        required_terms: None,
        tolerations: Vec::new(),
        never_preempts: false,
        volume_nodes: None,
        labels: Default::default(),
        nominated_node: String::new(),
        spread: Vec::new(),
        pod_affinity: None,
    }
}
