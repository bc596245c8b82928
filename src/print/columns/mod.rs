//! Server-side printing: the meta.k8s.io/v1 Table kube-apiserver returns for
//! `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, one printer per resource.
//!
//! Like the real server, every row carries all cells (wide ones too); the client decides
//! which columns to show from each column's priority.

mod admission;
mod apps;
mod autoscaling;
mod batch;
mod certificates;
mod common;
mod component_status;
mod custom;

pub use autoscaling::quantity_text as hpa_quantity_text;
pub use certificates::{condition as csr_condition, requested_duration as csr_requested_duration};
pub use common::format_labels;
pub use storage::{
    access_modes as access_modes_text, class_of as storage_class_of,
    is_default_class as is_default_storage_class,
};
mod config;
mod coordination;
mod discovery;
mod events;
mod flowcontrol;
mod generic;
mod namespaces;
mod networking;
mod nodes;
mod pods;
mod policy;
mod quota;
mod rbac;
mod services;
mod statefulset;
mod storage;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// What each row's `object` holds (the `includeObject` query parameter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeObject {
    /// No `object` in the rows.
    None,
    /// `PartialObjectMetadata` with the object's metadata: kubectl's default.
    Metadata,
    /// The whole object: what kubectl asks for with `--sort-by`.
    Object,
}

impl IncludeObject {
    /// What a request's `includeObject` flag asks for: the whole object, or kubectl's default.
    pub fn whole_if(include_object: bool) -> IncludeObject {
        if include_object {
            IncludeObject::Object
        } else {
            IncludeObject::Metadata
        }
    }
}

type CellsFn = fn(&Value, DateTime<Utc>) -> Vec<Value>;

/// apiVersion and kind of the resources with printers: whole objects embedded in rows must
/// carry them (list items are stored without), or kubectl cannot decode the rows.
fn type_meta(resource: &str) -> Option<(&'static str, &'static str)> {
    let plural = resource.split('.').next().unwrap_or(resource);
    Some(match plural {
        "pods" => ("v1", "Pod"),
        "nodes" => ("v1", "Node"),
        "namespaces" => ("v1", "Namespace"),
        "services" => ("v1", "Service"),
        "endpoints" => ("v1", "Endpoints"),
        "events" => ("v1", "Event"),
        "configmaps" => ("v1", "ConfigMap"),
        "secrets" => ("v1", "Secret"),
        "serviceaccounts" => ("v1", "ServiceAccount"),
        "endpointslices" => ("discovery.k8s.io/v1", "EndpointSlice"),
        "deployments" => ("apps/v1", "Deployment"),
        "replicasets" => ("apps/v1", "ReplicaSet"),
        "daemonsets" => ("apps/v1", "DaemonSet"),
        "jobs" => ("batch/v1", "Job"),
        "cronjobs" => ("batch/v1", "CronJob"),
        "leases" => ("coordination.k8s.io/v1", "Lease"),
        "statefulsets" => ("apps/v1", "StatefulSet"),
        "controllerrevisions" => ("apps/v1", "ControllerRevision"),
        "persistentvolumeclaims" => ("v1", "PersistentVolumeClaim"),
        "persistentvolumes" => ("v1", "PersistentVolume"),
        "storageclasses" => ("storage.k8s.io/v1", "StorageClass"),
        "csidrivers" => ("storage.k8s.io/v1", "CSIDriver"),
        "csinodes" => ("storage.k8s.io/v1", "CSINode"),
        "csistoragecapacities" => ("storage.k8s.io/v1", "CSIStorageCapacity"),
        "volumeattachments" => ("storage.k8s.io/v1", "VolumeAttachment"),
        "roles" => ("rbac.authorization.k8s.io/v1", "Role"),
        "clusterroles" => ("rbac.authorization.k8s.io/v1", "ClusterRole"),
        "rolebindings" => ("rbac.authorization.k8s.io/v1", "RoleBinding"),
        "clusterrolebindings" => ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
        "poddisruptionbudgets" => ("policy/v1", "PodDisruptionBudget"),
        "priorityclasses" => ("scheduling.k8s.io/v1", "PriorityClass"),
        "flowschemas" => ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),
        "prioritylevelconfigurations" => (
            "flowcontrol.apiserver.k8s.io/v1",
            "PriorityLevelConfiguration",
        ),
        "runtimeclasses" => ("node.k8s.io/v1", "RuntimeClass"),
        "replicationcontrollers" => ("v1", "ReplicationController"),
        "podtemplates" => ("v1", "PodTemplate"),
        "ingresses" => ("networking.k8s.io/v1", "Ingress"),
        "ingressclasses" => ("networking.k8s.io/v1", "IngressClass"),
        "networkpolicies" => ("networking.k8s.io/v1", "NetworkPolicy"),
        "horizontalpodautoscalers" => ("autoscaling/v2", "HorizontalPodAutoscaler"),
        "certificatesigningrequests" => ("certificates.k8s.io/v1", "CertificateSigningRequest"),
        "resourcequotas" => ("v1", "ResourceQuota"),
        "componentstatuses" => ("v1", "ComponentStatus"),
        "apiservices" => ("apiregistration.k8s.io/v1", "APIService"),
        "validatingwebhookconfigurations" => (
            "admissionregistration.k8s.io/v1",
            "ValidatingWebhookConfiguration",
        ),
        "mutatingwebhookconfigurations" => (
            "admissionregistration.k8s.io/v1",
            "MutatingWebhookConfiguration",
        ),
        "validatingadmissionpolicies" => (
            "admissionregistration.k8s.io/v1",
            "ValidatingAdmissionPolicy",
        ),
        "validatingadmissionpolicybindings" => (
            "admissionregistration.k8s.io/v1",
            "ValidatingAdmissionPolicyBinding",
        ),
        _ => return None,
    })
}

/// The printer for a resource (plural name, optionally `.group`-qualified).
/// A resource's printer: its column definitions and how to fill a row's cells.
struct Printer {
    columns: fn() -> Vec<Value>,
    cells: CellsFn,
}

/// The printer of a resource; the generic one (Name, Created At) for others.
fn printer(resource: &str) -> Printer {
    let plural = resource.split('.').next().unwrap_or(resource);
    let (columns, cells): (fn() -> Vec<Value>, CellsFn) = match plural {
        "pods" => (pods::columns, pods::cells),
        "nodes" => (nodes::columns, nodes::cells),
        "namespaces" => (namespaces::columns, namespaces::cells),
        "services" => (services::service_columns, services::service_cells),
        "endpoints" => (services::endpoints_columns, services::endpoints_cells),
        "endpointslices" => (discovery::columns, discovery::cells),
        "deployments" => (apps::deployment_columns, apps::deployment_cells),
        "replicasets" => (apps::replicaset_columns, apps::replicaset_cells),
        "daemonsets" => (apps::daemonset_columns, apps::daemonset_cells),
        "jobs" => (batch::job_columns, batch::job_cells),
        "cronjobs" => (batch::cronjob_columns, batch::cronjob_cells),
        "events" => (events::columns, events::cells),
        "configmaps" => (config::configmap_columns, config::configmap_cells),
        "secrets" => (config::secret_columns, config::secret_cells),
        "serviceaccounts" => (config::serviceaccount_columns, config::serviceaccount_cells),
        "leases" => (coordination::columns, coordination::cells),
        "statefulsets" => (
            statefulset::statefulset_columns,
            statefulset::statefulset_cells,
        ),
        "controllerrevisions" => (statefulset::revision_columns, statefulset::revision_cells),
        "persistentvolumeclaims" => (storage::pvc_columns, storage::pvc_cells),
        "persistentvolumes" => (storage::pv_columns, storage::pv_cells),
        "storageclasses" => (storage::storageclass_columns, storage::storageclass_cells),
        "csidrivers" => (storage::csidriver_columns, storage::csidriver_cells),
        "csinodes" => (storage::csinode_columns, storage::csinode_cells),
        "csistoragecapacities" => (storage::capacity_columns, storage::capacity_cells),
        "volumeattachments" => (storage::attachment_columns, storage::attachment_cells),
        "rolebindings" | "clusterrolebindings" => (rbac::binding_columns, rbac::binding_cells),
        "poddisruptionbudgets" => (policy::pdb_columns, policy::pdb_cells),
        "priorityclasses" => (policy::priorityclass_columns, policy::priorityclass_cells),
        "flowschemas" => (
            flowcontrol::flow_schema_columns,
            flowcontrol::flow_schema_cells,
        ),
        "prioritylevelconfigurations" => (
            flowcontrol::priority_level_columns,
            flowcontrol::priority_level_cells,
        ),
        "runtimeclasses" => (policy::runtimeclass_columns, policy::runtimeclass_cells),
        "replicationcontrollers" => (
            policy::replicationcontroller_columns,
            policy::replicationcontroller_cells,
        ),
        "podtemplates" => (policy::podtemplate_columns, policy::podtemplate_cells),
        "ingresses" => (networking::ingress_columns, networking::ingress_cells),
        "ingressclasses" => (
            networking::ingressclass_columns,
            networking::ingressclass_cells,
        ),
        "networkpolicies" => (
            networking::networkpolicy_columns,
            networking::networkpolicy_cells,
        ),
        "horizontalpodautoscalers" => (autoscaling::hpa_columns, autoscaling::hpa_cells),
        "certificatesigningrequests" => (certificates::csr_columns, certificates::csr_cells),
        "resourcequotas" => (quota::quota_columns, quota::quota_cells),
        "componentstatuses" => (component_status::columns, component_status::cells),
        "apiservices" => (
            component_status::apiservice_columns,
            component_status::apiservice_cells,
        ),
        "validatingwebhookconfigurations" | "mutatingwebhookconfigurations" => (
            admission::webhook_configuration_columns,
            admission::webhook_configuration_cells,
        ),
        "validatingadmissionpolicies" => (admission::policy_columns, admission::policy_cells),
        "validatingadmissionpolicybindings" => {
            (admission::binding_columns, admission::binding_cells)
        }
        _ => (generic::columns, generic::cells),
    };
    Printer { columns, cells }
}

/// The Table for `objects` of `resource` (plural, e.g. `pods` or `deployments.apps`), ages
/// measured at `now`. `include_object` true puts whole objects in the rows (`includeObject=Object`),
/// false their metadata (`PartialObjectMetadata`, kubectl's default). `metadata` is left empty:
/// set the list's resourceVersion with [`set_resource_version`].
pub fn table(resource: &str, objects: &[Value], now: DateTime<Utc>, include_object: bool) -> Value {
    table_with(
        resource,
        objects,
        now,
        IncludeObject::whole_if(include_object),
    )
}

/// [`table`] with every `includeObject` choice.
pub fn table_with(
    resource: &str,
    objects: &[Value],
    now: DateTime<Utc>,
    include: IncludeObject,
) -> Value {
    let rows = objects
        .iter()
        .map(|obj| row(resource, obj.clone(), now, include))
        .collect();
    table_of_rows(resource, rows)
}

/// A Table of rows made with [`row`].
pub fn table_of_rows(resource: &str, mut rows: Vec<Value>) -> Value {
    sort_rows(resource, &mut rows);
    // Built by hand: `json!` would serialize the rows into a copy.
    let mut table = Map::new();
    table.insert("kind".into(), json!("Table"));
    table.insert("apiVersion".into(), json!("meta.k8s.io/v1"));
    table.insert("metadata".into(), json!({}));
    table.insert(
        "columnDefinitions".into(),
        Value::Array((printer(resource).columns)()),
    );
    table.insert("rows".into(), Value::Array(rows));
    Value::Object(table)
}

/// Rows in the order kube-apiserver prints a list: FlowSchemas in matching order, the rest
/// as stored.
pub fn sort_rows(resource: &str, rows: &mut [Value]) {
    if resource.split('.').next() == Some("flowschemas") {
        flowcontrol::sort_flow_schema_rows(rows);
    }
}

/// The Table of a custom resource's rows made with [`custom_row`].
pub fn custom_table(d: &crate::api::custom::Definition, rows: Vec<Value>) -> Value {
    let mut table = Map::new();
    table.insert("kind".into(), json!("Table"));
    table.insert("apiVersion".into(), json!("meta.k8s.io/v1"));
    table.insert("metadata".into(), json!({}));
    table.insert("columnDefinitions".into(), Value::Array(custom::columns(d)));
    table.insert("rows".into(), Value::Array(rows));
    Value::Object(table)
}

/// One custom object's Table row, with the version's printer columns.
pub fn custom_row(
    d: &crate::api::custom::Definition,
    obj: Value,
    now: DateTime<Utc>,
    include: IncludeObject,
) -> Value {
    let mut row = Map::new();
    row.insert("cells".into(), Value::Array(custom::cells(d, &obj, now)));
    let api_version = d.resource.api_version();
    if let Some(object) = row_object(obj, include, Some((&api_version, d.resource.kind))) {
        row.insert("object".into(), object);
    }
    Value::Object(row)
}

/// One object's Table row. Takes the object so its metadata can move into the row.
pub fn row(resource: &str, obj: Value, now: DateTime<Utc>, include: IncludeObject) -> Value {
    let mut row = Map::new();
    row.insert(
        "cells".into(),
        Value::Array((printer(resource).cells)(&obj, now)),
    );
    if resource.split('.').next() == Some("pods")
        && let Some(conditions) = pods::row_conditions(&obj)
    {
        row.insert("conditions".into(), conditions);
    }
    if let Some(object) = row_object(obj, include, type_meta(resource)) {
        row.insert("object".into(), object);
    }
    Value::Object(row)
}

fn row_object(
    mut obj: Value,
    include: IncludeObject,
    type_meta: Option<(&str, &str)>,
) -> Option<Value> {
    match include {
        IncludeObject::None => None,
        IncludeObject::Object => Some(with_type_meta(&obj, type_meta)),
        IncludeObject::Metadata => {
            let metadata = match obj.get_mut("metadata") {
                Some(m) => m.take(),
                None => json!({}),
            };
            Some(json!({
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": metadata,
            }))
        }
    }
}

/// The object with `apiVersion` and `kind` first, filled in when missing.
fn with_type_meta(obj: &Value, type_meta: Option<(&str, &str)>) -> Value {
    let (Some(fields), Some((api_version, kind))) = (obj.as_object(), type_meta) else {
        return obj.clone();
    };
    let mut out = Map::new();
    let keep =
        |key: &str, default: &str| fields.get(key).cloned().unwrap_or_else(|| json!(default));
    out.insert("kind".into(), keep("kind", kind));
    out.insert("apiVersion".into(), keep("apiVersion", api_version));
    for (k, v) in fields {
        if k != "kind" && k != "apiVersion" {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Sets the Table's `metadata.resourceVersion` (kubectl's `get -w` watches from it).
pub fn set_resource_version(table: &mut Value, resource_version: &str) {
    if let Some(t) = table.as_object_mut() {
        t.insert(
            "metadata".into(),
            json!({ "resourceVersion": resource_version }),
        );
    }
}
