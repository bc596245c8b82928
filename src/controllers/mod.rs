//! kube-controller-manager: each controller is a small level-triggered component that
//! reconciles what changed since its last pass (everything on a full resync).

mod apf_ensurer;
mod backends;
mod clusterrole_aggregation;
mod common;
mod crd_finalizer;
mod crd_naming;
mod cronjob;
mod csrsigning;
mod daemonset;
mod deployment;
mod disruption;
mod endpoints;
mod endpointslice;
mod flow_schema_status;
mod garbage_collector;
mod hpa;
mod job;
mod job_indexes;
mod job_policy;
mod namespace;
mod node_lifecycle;
mod replicaset;
mod replicationcontroller;
mod resourcequota;
mod revisions;
mod root_ca_publisher;
mod serviceaccount;
pub mod statefulset;
mod template_hash;
pub mod volume;

#[cfg(test)]
pub(crate) mod testutil;

use crate::runtime::Component;

/// What kube-controller-manager's flags set, where kubelite models them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `--node-monitor-grace-period`, in seconds.
    pub node_monitor_grace_seconds: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            node_monitor_grace_seconds: node_lifecycle::GRACE_SECONDS,
        }
    }
}

/// The controllers kube-apiserver runs itself (its apiextensions half and its priority and
/// fairness configuration), not the controller manager.
pub const IN_API_SERVER: &[&str] = &[
    "crd-finalizer",
    "priority-and-fairness-config",
    "priority-and-fairness-ensurer",
];

/// Every controller, in the order they run within a pass. They share one reading of the
/// change log per pass (the runtime's pass cache).
pub fn all() -> Vec<Box<dyn Component>> {
    all_with(&Settings::default())
}

/// `all`, configured by `settings`.
pub fn all_with(settings: &Settings) -> Vec<Box<dyn Component>> {
    vec![
        Box::new(deployment::DeploymentController::default()),
        Box::new(replicaset::ReplicaSetController::default()),
        Box::new(replicationcontroller::ReplicationControllerController::default()),
        Box::new(daemonset::DaemonSetController::default()),
        Box::new(statefulset::StatefulSetController::default()),
        Box::new(job::JobController::default()),
        Box::new(cronjob::CronJobController::default()),
        Box::new(namespace::NamespaceController::default()),
        Box::new(node_lifecycle::NodeLifecycleController::new(
            node_lifecycle::Nodes::with_grace(settings.node_monitor_grace_seconds),
        )),
        Box::new(garbage_collector::GarbageCollector),
        Box::new(serviceaccount::ServiceAccountController::default()),
        Box::new(resourcequota::ResourceQuotaController::default()),
        Box::new(endpoints::EndpointsController::default()),
        Box::new(endpointslice::EndpointSliceController::default()),
        Box::new(volume::ClaimController::default()),
        Box::new(volume::VolumeController::default()),
        Box::new(clusterrole_aggregation::ClusterRoleAggregationController::default()),
        Box::new(disruption::DisruptionController::default()),
        Box::new(hpa::HpaController::default()),
        Box::new(csrsigning::CsrSigningController::default()),
        Box::new(crd_finalizer::CrdFinalizerController::default()),
        Box::new(crd_naming::CrdNamingController::default()),
        Box::new(apf_ensurer::ApfEnsurer::default()),
        Box::new(flow_schema_status::FlowSchemaStatusController::default()),
        // Last: its writes at a cluster's first settle come after every name the boot's
        // controllers generate (names are drawn from the revision they were made at).
        Box::new(root_ca_publisher::RootCaPublisherController::default()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::Checkpoint;
    use serde_json::json;

    /// A settled cluster gives the whole controller manager nothing to write, even on a
    /// full resync.
    /// Each controller reads what changed since a revision (not a full resync) without
    /// failing: every resource its triggers name can be watched. A trigger on a create-only
    /// resource (v1 bindings) failed every such pass with 405 and resynced in the next.
    #[test]
    fn every_controller_reads_a_window_of_changes() {
        let t = testutil::TestCluster::new("all-window");
        let since = t.c().server().revision().expect("revision");
        t.create(
            "configmaps",
            Some("default"),
            json!({"metadata": {"name": "cfg"}}),
        );
        for mut c in all() {
            let read = crate::runtime::settle_once(c.as_mut(), t.c(), t.now, since);
            assert!(read.is_ok(), "{}: {:?}", c.name(), read.err());
        }
    }

    #[test]
    fn a_full_resync_of_a_settled_cluster_writes_nothing() {
        let t = testutil::TestCluster::new("all-idempotent");
        t.create(
            "deployments",
            Some("default"),
            json!({"metadata": {"name": "web"}, "spec": {"replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "c", "image": "nginx",
                                                      "ports": [{"containerPort": 80}]}]}}}}),
        );
        t.create(
            "services",
            Some("default"),
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}),
        );
        t.create(
            "daemonsets",
            Some("kube-system"),
            json!({"metadata": {"name": "agent"}, "spec": {
                "selector": {"matchLabels": {"k8s-app": "agent"}},
                "template": {"metadata": {"labels": {"k8s-app": "agent"}},
                             "spec": {"containers": [{"name": "a", "image": "agent"}]}}}}),
        );
        t.create(
            "jobs",
            Some("default"),
            json!({"metadata": {"name": "pi"}, "spec": {"completions": 2, "template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "c", "image": "perl"}]}}}}),
        );
        t.create(
            "cronjobs",
            Some("default"),
            json!({"metadata": {"name": "tick"}, "spec": {"schedule": "*/5 * * * *",
                "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}}),
        );
        t.settle(all());
        t.run_all("default");
        // Daemon pods run on the node their affinity names.
        for (i, p) in t.list("pods", Some("kube-system")).iter().enumerate() {
            let node = p.pointer("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchFields/0/values/0")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("node01")
                .to_string();
            t.run_pod(p, &node, &format!("10.244.9.{i}"));
        }
        t.settle(all());
        let before = t.c().server().revision().expect("revision");
        for mut c in all() {
            let wrote = crate::runtime::settle_once(c.as_mut(), t.c(), t.now, 0).expect("sync");
            assert!(!wrote, "{} wrote on a settled cluster", c.name());
        }
        assert_eq!(t.c().server().revision().expect("revision"), before);
        let d = t
            .get("deployments", Some("default"), "web")
            .expect("deployment");
        assert_eq!(d["status"]["availableReplicas"], 2);
        let ep = t
            .get("endpoints", Some("default"), "web")
            .expect("endpoints");
        assert_eq!(
            ep["subsets"][0]["addresses"].as_array().map(Vec::len),
            Some(2)
        );
    }
}
