//! kube-controller-manager: each controller is a small level-triggered component that
//! reconciles what changed since its last pass (everything on a full resync).

mod common;
mod replicaset;

#[cfg(test)]
mod testutil;

use crate::runtime::Component;

/// Every controller, in the order they run within a pass.
pub fn all() -> Vec<Box<dyn Component>> {
    vec![Box::new(replicaset::ReplicaSetController::default())]
}
