//! Filter plugins: each decides, for one pod and one node, whether the node can take it,
//! with kube-scheduler's reason string when it cannot.

pub mod node_affinity;
pub mod node_ready;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod taint_toleration;
pub mod volume_binding;

use super::model::{NodeInfo, PodInfo};

/// How a node failed a filter. `Unresolvable` means evicting pods would not help (taints,
/// affinity, cordons); `Unschedulable` might be fixed by preemption (resources).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Unschedulable,
    UnschedulableAndUnresolvable,
}

/// A filter's verdict against one node, with kube-scheduler's reason strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfit {
    pub code: Code,
    pub reasons: Vec<String>,
}

impl Unfit {
    pub fn unresolvable(reason: impl Into<String>) -> Self {
        Unfit {
            code: Code::UnschedulableAndUnresolvable,
            reasons: vec![reason.into()],
        }
    }
}

/// A filter plugin: `None` when the node can take the pod.
pub type FilterFn = fn(&PodInfo, &NodeInfo) -> Option<Unfit>;
