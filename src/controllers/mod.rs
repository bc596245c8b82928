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

/// Every controller, in the order they run within a pass.
pub fn all() -> Vec<Box<dyn Component>> {
    vec![
        Box::new(deployment::DeploymentController::default()),
        Box::new(replicaset::ReplicaSetController::default()),
        Box::new(daemonset::DaemonSetController::default()),
        Box::new(namespace::NamespaceController::default()),
        Box::new(garbage_collector::GarbageCollector),
        Box::new(serviceaccount::ServiceAccountController),
        Box::new(node_lifecycle::NodeLifecycleController::default()),
        Box::new(endpoints::EndpointsController),
        Box::new(endpointslice::EndpointSliceController),
    ]
}
