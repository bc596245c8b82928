//! Server-side printing: the meta.k8s.io/v1 Table kube-apiserver returns for
//! `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, one printer per resource.
//!
//! Like the real server, every row carries all cells (wide ones too); the client decides
//! which columns to show from each column's priority.

mod apps;
mod common;
mod config;
mod coordination;
mod discovery;
mod events;
mod generic;
mod namespaces;
mod nodes;
mod pods;
mod services;

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
        "leases" => ("coordination.k8s.io/v1", "Lease"),
        _ => return None,
    })
}

/// The printer for a resource (plural name, optionally `.group`-qualified).
fn printer(resource: &str) -> Option<(Vec<Value>, CellsFn)> {
    let plural = resource.split('.').next().unwrap_or(resource);
    let found: (Vec<Value>, CellsFn) = match plural {
        "pods" => (pods::columns(), pods::cells),
        "nodes" => (nodes::columns(), nodes::cells),
        "namespaces" => (namespaces::columns(), namespaces::cells),
        "services" => (services::service_columns(), services::service_cells),
        "endpoints" => (services::endpoints_columns(), services::endpoints_cells),
        "endpointslices" => (discovery::columns(), discovery::cells),
        "deployments" => (apps::deployment_columns(), apps::deployment_cells),
        "replicasets" => (apps::replicaset_columns(), apps::replicaset_cells),
        "daemonsets" => (apps::daemonset_columns(), apps::daemonset_cells),
        "events" => (events::columns(), events::cells),
        "configmaps" => (config::configmap_columns(), config::configmap_cells),
        "secrets" => (config::secret_columns(), config::secret_cells),
        "serviceaccounts" => (
            config::serviceaccount_columns(),
            config::serviceaccount_cells,
        ),
        "leases" => (coordination::columns(), coordination::cells),
        _ => return None,
    };
    Some(found)
}

/// The Table for `objects` of `resource` (plural, e.g. `pods` or `deployments.apps`), ages
/// measured at `now`. `include_object` true puts whole objects in the rows (`includeObject=Object`),
/// false their metadata (`PartialObjectMetadata`, kubectl's default). `metadata` is left empty:
/// set the list's resourceVersion with [`set_resource_version`].
pub fn table(resource: &str, objects: &[Value], now: DateTime<Utc>, include_object: bool) -> Value {
    let include = if include_object {
        IncludeObject::Object
    } else {
        IncludeObject::Metadata
    };
    table_with(resource, objects, now, include)
}

/// [`table`] with every `includeObject` choice.
pub fn table_with(
    resource: &str,
    objects: &[Value],
    now: DateTime<Utc>,
    include: IncludeObject,
) -> Value {
    let (columns, cells) =
        printer(resource).unwrap_or_else(|| (generic::columns(), generic::cells));
    let is_pods = resource.split('.').next() == Some("pods");
    let rows: Vec<Value> = objects
        .iter()
        .map(|obj| {
            let mut row = Map::new();
            row.insert("cells".into(), Value::Array(cells(obj, now)));
            if is_pods && let Some(conditions) = pods::row_conditions(obj) {
                row.insert("conditions".into(), conditions);
            }
            if let Some(object) = row_object(obj, include, type_meta(resource)) {
                row.insert("object".into(), object);
            }
            Value::Object(row)
        })
        .collect();
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {},
        "columnDefinitions": columns,
        "rows": rows,
    })
}

fn row_object(
    obj: &Value,
    include: IncludeObject,
    type_meta: Option<(&str, &str)>,
) -> Option<Value> {
    match include {
        IncludeObject::None => None,
        IncludeObject::Object => Some(with_type_meta(obj, type_meta)),
        IncludeObject::Metadata => Some(json!({
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({})),
        })),
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
