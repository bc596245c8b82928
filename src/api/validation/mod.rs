//! Validation of API objects with kube-apiserver's rules and messages. Objects are validated
//! after defaulting (as the apiserver does), so fields that defaulting always fills are
//! reported as required when absent.

mod admission_policies;
mod affinity;
mod apps;
mod batch;
mod core;
mod crd;
mod ephemeral;
mod field_error;
mod flowcontrol;
mod job_policies;
mod label_selector;
mod meta;
mod networking;
/// The name syntax checks live below validation (selectors use them too).
pub use super::names;
mod autoscaling;
mod certificates;
pub use certificates::{Door as CsrDoor, validate_csr_through};
pub use crd::{
    ca_bundle_of, condition_true as crd_condition_true, conversion_ca_bundle, shared_by_versions,
    stored_versions_errors,
};
pub use webhooks::match_conditions_unchanged as webhook_match_conditions_unchanged;
mod pod;
pub mod policy;
pub mod rbac;
mod service;
mod storage;
mod webhooks;

pub use field_error::{
    ErrorType, FieldError, go_label_selector, go_quote, go_string_map, go_value,
};
pub use meta::{validate_annotations, validate_labels};

use serde_json::{Value, json};

/// Validates a pod written through `pods/ephemeralcontainers` over the stored `old`.
pub fn validate_pod_ephemeral(obj: &Value, old: &Value) -> Vec<FieldError> {
    ephemeral::validate_pod_ephemeral(obj, old)
}

/// The metadata of a custom object (names are DNS subdomains; scope from its CRD).
pub fn validate_custom_meta(obj: &Value, old: Option<&Value>, namespaced: bool) -> Vec<FieldError> {
    let mut errs = meta::validate_object_meta(
        obj.get("metadata"),
        namespaced,
        names::is_dns1123_subdomain,
        "metadata",
    );
    if let Some(old) = old {
        errs.extend(meta::validate_meta_update(
            obj.get("metadata"),
            old.get("metadata"),
        ));
    }
    errs
}

/// Validates `obj` of `kind` (on update, `old` is the stored object).
pub fn validate(kind: &str, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = match kind {
        "Pod" => pod::validate_pod(obj, old),
        "Deployment" => apps::validate_deployment(obj, old),
        "ReplicaSet" => apps::validate_replica_set(obj, old),
        "DaemonSet" => apps::validate_daemon_set(obj, old),
        "Job" => batch::validate_job(obj, old),
        "CronJob" => batch::validate_cron_job(obj, old),
        "Service" => service::validate_service(obj, old),
        "Namespace" => core::validate_namespace(obj, old),
        "ConfigMap" => core::validate_config_map(obj, old),
        "Secret" => core::validate_secret(obj, old),
        "Node" => core::validate_node(obj, old),
        "StatefulSet" => storage::validate_stateful_set(obj, old),
        "PersistentVolumeClaim" => storage::validate_pvc(obj, old),
        "PersistentVolume" => storage::validate_pv(obj, old),
        "StorageClass" => storage::validate_storage_class(obj, old),
        "Role" => rbac::validate_role(obj, old),
        "ClusterRole" => rbac::validate_cluster_role(obj, old),
        "RoleBinding" => rbac::validate_role_binding(obj, old),
        "ClusterRoleBinding" => rbac::validate_cluster_role_binding(obj, old),
        "PodDisruptionBudget" => policy::validate_pdb(obj, old),
        "PriorityClass" => policy::validate_priority_class(obj, old),
        "RuntimeClass" => policy::validate_runtime_class(obj, old),
        "ReplicationController" => policy::validate_replication_controller(obj, old),
        "PodTemplate" => policy::validate_pod_template_object(obj, old),
        "Ingress" => networking::validate_ingress(obj, old),
        "IngressClass" => networking::validate_ingress_class(obj, old),
        "NetworkPolicy" => networking::validate_network_policy(obj, old),
        "HorizontalPodAutoscaler" => autoscaling::validate_hpa(obj, old),
        "CertificateSigningRequest" => certificates::validate_csr(obj, old),
        "CustomResourceDefinition" => crd::validate_crd(obj, old),
        "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration" => {
            webhooks::validate_webhook_configuration(kind, obj, old)
        }
        "ValidatingAdmissionPolicy" => admission_policies::validate_policy(obj, old),
        "ValidatingAdmissionPolicyBinding" => admission_policies::validate_binding(obj, old),
        "FlowSchema" => flowcontrol::validate_flow_schema(obj, old),
        "PriorityLevelConfiguration" => flowcontrol::validate_priority_level(obj, old),
        _ => meta::validate_meta_for(kind, obj, old),
    };
    dedup(&mut errs);
    errs
}

/// Whether objects of `kind` live in a namespace.
pub fn is_namespaced(kind: &str) -> bool {
    !matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "StorageClass"
            | "CSIDriver"
            | "CSINode"
            | "VolumeAttachment"
            | "PriorityClass"
            | "IngressClass"
            | "RuntimeClass"
            | "CustomResourceDefinition"
            | "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "APIService"
            | "CertificateSigningRequest"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
    )
}

/// `Kind.group` as Status messages name it (`Deployment.apps`, plain `Pod` for core).
pub fn qualified_kind(kind: &str) -> String {
    let group = match kind {
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "ControllerRevision" => "apps",
        "HorizontalPodAutoscaler" => "autoscaling",
        "Lease" => "coordination.k8s.io",
        "EndpointSlice" => "discovery.k8s.io",
        "Job" | "CronJob" => "batch",
        "CertificateSigningRequest" => "certificates.k8s.io",
        "CustomResourceDefinition" => "apiextensions.k8s.io",
        "ValidatingWebhookConfiguration"
        | "MutatingWebhookConfiguration"
        | "ValidatingAdmissionPolicy"
        | "ValidatingAdmissionPolicyBinding" => "admissionregistration.k8s.io",
        "PriorityClass" => "scheduling.k8s.io",
        "FlowSchema" | "PriorityLevelConfiguration" => "flowcontrol.apiserver.k8s.io",
        "PodDisruptionBudget" => "policy",
        "Ingress" | "IngressClass" | "NetworkPolicy" => "networking.k8s.io",
        "RuntimeClass" => "node.k8s.io",
        "StorageClass" => "storage.k8s.io",
        "CSIDriver" | "CSINode" | "CSIStorageCapacity" | "VolumeAttachment" => "storage.k8s.io",
        "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding" => {
            "rbac.authorization.k8s.io"
        }
        _ => "",
    };
    if group.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}.{group}")
    }
}

/// The errors joined as one message: one error alone, several as `[a, b]` (repeats dropped).
pub fn aggregate_message(errs: &[FieldError]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        let m = e.to_string();
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    if seen.len() == 1 {
        seen.remove(0)
    } else {
        format!("[{}]", seen.join(", "))
    }
}

/// The Status `message` of a 422 Invalid response: `Pod "x" is invalid: spec.containers: Required value`.
pub fn invalid_status_message(kind: &str, name: &str, errs: &[FieldError]) -> String {
    let head = format!("{} {} is invalid", qualified_kind(kind), go_quote(name));
    if errs.is_empty() {
        head
    } else {
        format!("{head}: {}", aggregate_message(errs))
    }
}

/// The Status `details.causes` list: `{"reason", "message", "field"}` per error.
pub fn status_causes(errs: &[FieldError]) -> Vec<Value> {
    errs.iter()
        .map(|e| {
            json!({
                "reason": e.error_type.cause_reason(),
                "message": e.body(),
                "field": e.field,
            })
        })
        .collect()
}

/// The whole 422 Status object for an invalid object.
pub fn invalid_status(kind: &str, name: &str, errs: &[FieldError]) -> Value {
    let group = qualified_kind(kind)
        .split_once('.')
        .map(|(_, g)| g.to_string())
        .unwrap_or_default();
    invalid_status_in(&group, kind, name, errs)
}

/// [`invalid_status`] of a kind in `group` (a custom resource's, which `qualified_kind`
/// does not know).
pub fn invalid_status_in(group: &str, kind: &str, name: &str, errs: &[FieldError]) -> Value {
    let mut details = serde_json::Map::new();
    details.insert("name".into(), json!(name));
    if !group.is_empty() {
        details.insert("group".into(), json!(group));
    }
    details.insert("kind".into(), json!(kind));
    details.insert("causes".into(), Value::Array(status_causes(errs)));
    let qualified = if group.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}.{group}")
    };
    let head = format!("{qualified} {} is invalid", go_quote(name));
    let message = if errs.is_empty() {
        head
    } else {
        format!("{head}: {}", aggregate_message(errs))
    };
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "Invalid",
        "details": details,
        "code": 422,
    })
}

/// What kubectl prints (to stderr, exit 1) for a 422 Status: `The Pod "x" is invalid: a` for
/// one cause, or the heading (ending in ": ") and one `* cause` line per cause. Ends in "\n".
pub fn kubectl_invalid_message(status: &Value) -> String {
    let details = status.get("details");
    let s = |v: Option<&Value>, k: &str| {
        v.and_then(|d| d.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (kind, name) = (s(details, "kind"), s(details, "name"));
    let head = if !kind.is_empty() || !name.is_empty() {
        format!("The {kind} {} is invalid", go_quote(&name))
    } else {
        "The request is invalid".to_string()
    };
    let causes: Vec<String> = details
        .and_then(|d| d.get("causes"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| format!("{}: {}", s(Some(c), "field"), s(Some(c), "message")))
        .collect();
    match causes.len() {
        0 => format!("{head}\n"),
        1 => format!("{head}: {}\n", causes[0]),
        _ => {
            let mut out = format!("{head}: \n");
            for c in causes {
                out.push_str(&format!("* {c}\n"));
            }
            out
        }
    }
}

/// The same error twice (e.g. a shared template check) is reported once.
fn dedup(errs: &mut Vec<FieldError>) {
    let mut out: Vec<FieldError> = Vec::with_capacity(errs.len());
    for e in errs.drain(..) {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    *errs = out;
}

#[cfg(test)]
mod tests;
