//! Filter plugins: each decides, for one pod and one node, whether the node can take it,
//! with kube-scheduler's reason string when it cannot.

pub mod node_affinity;
pub mod node_ready;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod taint_toleration;
