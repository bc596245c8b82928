//! What kube-apiserver 1.32 fills in on create: scheme defaults (`apply_defaults`, which also
//! runs on update), the always-on mutating admission plugins (`admit_create`), and the
//! create strategies' initial status and generation (`prepare_for_create`).
//!
//! On create the apiserver order is: apply_defaults, prepare_for_create, admit_create,
//! (allocate cluster IP / node ports through the service hooks), validate.

mod admission;
mod admission_policies;
mod apps;
mod autoscaling;
mod batch;
mod core;
mod flowcontrol;
pub mod order;
mod pod;
mod policy;
mod rbac;
mod service;
mod storage;
mod webhooks;
pub use storage::{drop_disabled_stateful_set_fields, prepare_pv_for_create};

pub use admission::AdmissionContext;
pub use batch::{CONTROLLER_UID_LABELS, JOB_NAME_LABELS};
pub use core::base64;
pub use pod::qos_class;
pub use rbac::GROUP as RBAC_GROUP;

/// PodSpec fields in Go struct order (where the API server places a field it sets).
pub fn pod_spec_order() -> &'static [&'static str] {
    pod::POD_SPEC
}
pub use service::{
    needs_cluster_ip, patch_allocated_values, ports_needing_node_port, set_cluster_ip,
    set_node_port,
};

use serde_json::Value;

/// Scheme defaulting for `kind` (fields in Go struct order, maps sorted).
pub fn apply_defaults(kind: &str, obj: &mut Value) {
    match kind {
        "Pod" => pod::default_pod(obj),
        "Deployment" => apps::default_deployment(obj),
        "ReplicaSet" => apps::default_replica_set(obj),
        "DaemonSet" => apps::default_daemon_set(obj),
        "Job" => batch::default_job(obj),
        "CronJob" => batch::default_cron_job(obj),
        "Service" => service::default_service(obj),
        "Namespace" => core::default_namespace(obj),
        "Node" => core::default_node(obj),
        "Endpoints" => core::default_endpoints(obj),
        "ConfigMap" => core::default_config_map(obj),
        "Secret" => core::default_secret(obj),
        "Event" => core::default_event(obj),
        "Lease" => core::default_lease(obj),
        "StatefulSet" => storage::default_stateful_set(obj),
        "PersistentVolumeClaim" => storage::default_pvc(obj),
        "PersistentVolume" => storage::default_pv(obj),
        "StorageClass" => storage::default_storage_class(obj),
        "CSIDriver" => storage::default_csi_driver(obj),
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => {
            rbac::default_rbac(kind, obj);
        }
        "PriorityClass" => policy::default_priority_class(obj),
        "NetworkPolicy" => policy::default_network_policy(obj),
        "ReplicationController" => policy::default_replication_controller(obj),
        "PodTemplate" => policy::default_pod_template(obj),
        "HorizontalPodAutoscaler" => autoscaling::default_hpa(obj),
        "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration" => {
            webhooks::default_webhook_configuration(kind, obj);
        }
        "ValidatingAdmissionPolicy" => admission_policies::default_policy(obj),
        "ValidatingAdmissionPolicyBinding" => admission_policies::default_binding(obj),
        "FlowSchema" => flowcontrol::default_flow_schema(obj),
        "PriorityLevelConfiguration" => flowcontrol::default_priority_level(obj),
        "LimitRange" => {
            core::default_plain(obj);
            super::limitrange::default_limit_range(obj);
        }
        _ => core::default_plain(obj),
    }
}

/// The create strategy's reset: initial status (Pod Pending + QoS, Namespace Active,
/// Service load balancer, workload counters) and `generation: 1` for workloads.
pub fn prepare_for_create(kind: &str, obj: &mut Value) {
    match kind {
        "Pod" => pod::prepare_pod_for_create(obj),
        "Namespace" => core::prepare_namespace_for_create(obj),
        "Service" => service::prepare_service_for_create(obj),
        "Deployment" | "ReplicaSet" | "DaemonSet" => apps::prepare_for_create(kind, obj),
        "StatefulSet" => storage::prepare_stateful_set_for_create(obj),
        "Job" | "CronJob" => batch::prepare_for_create(kind, obj),
        "PodDisruptionBudget"
        | "ReplicationController"
        | "Ingress"
        | "NetworkPolicy"
        | "IngressClass" => policy::prepare_for_create(kind, obj),
        "HorizontalPodAutoscaler" => autoscaling::prepare_hpa_for_create(obj),
        "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding" => {
            admission_policies::prepare_for_create(obj);
        }
        "FlowSchema" | "PriorityLevelConfiguration" => flowcontrol::prepare_for_create(obj),
        _ => {}
    }
}

/// Mutating admission on create: Pods get their service account token volume, priority
/// and default tolerations; Nodes the not-ready taint. An error is the admission denial.
pub fn admit_create(kind: &str, obj: &mut Value, ctx: &mut AdmissionContext) -> Result<(), String> {
    match kind {
        "Pod" => admission::admit_pod(obj, ctx),
        "Node" => {
            admission::admit_node(obj);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Fills `metadata.name` from `metadata.generateName` (at most 58 characters of it) plus
/// five random characters, when no name was given. Returns the name it chose.
pub fn generate_name(obj: &mut Value, random: &mut dyn FnMut(usize) -> String) -> Option<String> {
    let meta = obj.get_mut("metadata")?.as_object_mut()?;
    let has_name = meta
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty());
    let base = meta
        .get("generateName")
        .and_then(Value::as_str)?
        .to_string();
    if has_name || base.is_empty() {
        return None;
    }
    let base: String = base.chars().take(58).collect();
    let name = format!("{base}{}", random(5));
    meta.remove("name");
    order::insert_ordered(
        meta,
        order::OBJECT_META,
        "name",
        Value::String(name.clone()),
    );
    Some(name)
}

/// Convenience: the whole create-time mutation chain in the apiserver's order.
pub fn default_for_create(
    kind: &str,
    obj: &mut Value,
    ctx: &mut AdmissionContext,
) -> Result<(), String> {
    apply_defaults(kind, obj);
    prepare_for_create(kind, obj);
    admit_create(kind, obj, ctx)
}

#[cfg(test)]
mod tests;
