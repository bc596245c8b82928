//! `kubectl describe` output, byte-identical to kubectl 1.32 for Pods, Nodes, Services,
//! ReplicaSets, Deployments, Namespaces, DaemonSets and Endpoints (with their Events),
//! plus ConfigMap, Secret and ServiceAccount, and a generic field dump for anything else.
//!
//! Each describer is handed the object and fetches related objects (events, pods, replica
//! sets, endpoint slices, leases, quotas) through [`Lookup`], with the same queries
//! kubectl sends.

mod container;
mod daemonset;
mod deployment;
mod endpoints;
mod endpointslice;
mod events;
mod generic;
mod json;
mod meta;
mod namespace;
mod node;
mod pod;
mod policy;
mod replicaset;
mod resources;
mod service;
mod template;
mod time;
mod volumes;
mod workloads;
mod writer;

use serde_json::Value;

/// Read access to the cluster, as describe needs it.
pub trait Lookup {
    /// Lists objects of a resource (plural, e.g. "pods", "events", "replicasets",
    /// "endpointslices", "resourcequotas", "limitranges", "secrets") in a namespace or in
    /// all (`None`), filtered by label and field selector strings exactly as kubectl sends
    /// them, in the API server's order (namespace, then name).
    fn list(
        &self,
        resource: &str,
        namespace: Option<&str>,
        label_selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Vec<Value>, String>;

    /// Gets one object; `Ok(None)` when it does not exist.
    fn get(
        &self,
        resource: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<Value>, String>;
}

pub struct DescribeOptions {
    /// `--show-events` (default true); false drops the Events section entirely.
    pub show_events: bool,
    /// The instant ages are measured from.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Describes one object. `resource` is the plural resource name ("pods", "nodes",
/// "services", "replicasets", "deployments", "namespaces", "daemonsets", "endpoints",
/// "endpointslices", "configmaps", "secrets", "serviceaccounts"); anything else gets the generic describer.
/// Absolute times print in the local zone (`TZ`), as kubectl does.
pub fn describe(
    resource: &str,
    obj: &Value,
    lookup: &dyn Lookup,
    opts: &DescribeOptions,
) -> Result<String, String> {
    if !obj.is_object() {
        return Err(format!(
            "cannot describe {resource}: the object is not a JSON object"
        ));
    }
    match resource {
        "pods" => pod::describe_pod(obj, lookup, opts),
        "nodes" => node::describe_node(obj, lookup, opts),
        "services" => service::describe_service(obj, lookup, opts),
        "replicasets" => replicaset::describe_replicaset(obj, lookup, opts),
        "deployments" => deployment::describe_deployment(obj, lookup, opts),
        "namespaces" => namespace::describe_namespace(obj, lookup, opts),
        "daemonsets" => daemonset::describe_daemonset(obj, lookup, opts),
        "endpoints" => endpoints::describe_endpoints(obj, lookup, opts),
        "endpointslices" => endpointslice::describe_endpointslice(obj, lookup, opts),
        "configmaps" => generic::describe_configmap(obj, lookup, opts),
        "secrets" => generic::describe_secret(obj),
        "limitranges" => Ok(policy::describe_limitrange(obj)),
        "resourcequotas" => Ok(policy::describe_resourcequota(obj)),
        "serviceaccounts" => generic::describe_serviceaccount(obj, lookup, opts),
        _ => generic::describe_generic(obj, lookup, opts),
    }
}

/// Describes several objects as `kubectl describe` prints them: separated by two empty lines.
pub fn describe_all(
    resource: &str,
    objs: &[Value],
    lookup: &dyn Lookup,
    opts: &DescribeOptions,
) -> Result<String, String> {
    let mut out = String::new();
    for (i, obj) in objs.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&describe(resource, obj, lookup, opts)?);
    }
    Ok(out)
}
