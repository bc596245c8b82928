//! kube-controller-manager: each controller is a small level-triggered component that
//! reconciles what changed since its last pass (everything on a full resync).

mod backends;
mod common;
mod daemonset;
mod deployment;
mod endpoints;
mod endpointslice;
mod garbage_collector;
mod namespace;
mod node_lifecycle;
mod replicaset;
mod serviceaccount;
mod template_hash;

#[cfg(test)]
mod testutil;

use crate::runtime::Component;

/// Every controller, in the order they run within a pass. They share one reading of the
/// change log per pass.
pub fn all() -> Vec<Box<dyn Component>> {
    let changes = common::Changes::default();
    vec![
        Box::new(deployment::DeploymentController::with_changes(
            changes.clone(),
        )),
        Box::new(replicaset::ReplicaSetController::with_changes(
            changes.clone(),
        )),
        Box::new(daemonset::DaemonSetController::with_changes(
            changes.clone(),
        )),
        Box::new(namespace::NamespaceController::with_changes(
            changes.clone(),
        )),
        Box::new(node_lifecycle::NodeLifecycleController::with_changes(
            changes.clone(),
        )),
        Box::new(garbage_collector::GarbageCollector::with_changes(
            changes.clone(),
        )),
        Box::new(serviceaccount::ServiceAccountController::with_changes(
            changes.clone(),
        )),
        Box::new(endpoints::EndpointsController::with_changes(
            changes.clone(),
        )),
        Box::new(endpointslice::EndpointSliceController::with_changes(
            changes.clone(),
        )),
    ]
}
