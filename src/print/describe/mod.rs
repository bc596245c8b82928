//! `kubectl describe` output, byte-identical to kubectl 1.32 for Pods, Nodes, Services,
//! ReplicaSets, Deployments, Namespaces, DaemonSets and Endpoints (with their Events),
//! plus ConfigMap, Secret and ServiceAccount, and a generic field dump for anything else.
//!
//! Describing is two pure steps around one fetch: [`plan`] says which related objects
//! (events, pods, replica sets, endpoint slices, leases, quotas) an object's description
//! needs, as the queries kubectl sends; the caller runs them and gathers the answers into
//! a [`Related`]; [`render`] turns the object and that value into kubectl's text.

mod autoscaling;
mod certificates;
mod container;
mod daemonset;
mod deployment;
mod disruption;
mod endpoints;
mod endpointslice;
mod events;
mod generic;
mod ingress;
mod job;
mod json;
mod meta;
mod namespace;
mod node;
mod pod;
mod policy;
mod rbac;
mod related;
mod replicaset;
mod resources;
mod service;
mod statefulset;
mod storage;
mod template;
mod time;
mod volumes;
mod workloads;
mod writer;

use chrono::{DateTime, Utc};
use serde_json::Value;

pub use related::{Answer, Query, Related, Select, Slot};

/// The queries describing `obj` needs, in the order kubectl sends them. `resource` is the
/// plural resource name ("pods", "nodes", "services", "replicasets", "deployments",
/// "namespaces", "daemonsets", "endpoints", "endpointslices", "configmaps", "secrets",
/// "serviceaccounts", ...); `show_events` is `--show-events`.
/// A pod template described as kubectl's `rollout history --revision` prints it: the
/// `Pod Template:` block with its tabs left as they are.
pub fn pod_template_text(template: Option<&Value>) -> String {
    let mut w = writer::Out::raw();
    template::pod_template(&mut w, template);
    w.finish()
}

pub fn plan(resource: &str, obj: &Value, show_events: bool) -> Result<Vec<Query>, String> {
    if !obj.is_object() {
        return Err(format!(
            "cannot describe {resource}: the object is not a JSON object"
        ));
    }
    Ok(match resource {
        "pods" => pod::plan(obj, show_events),
        "nodes" => node::plan(obj, show_events),
        "services" => service::plan(obj, show_events),
        "replicasets" => replicaset::plan(obj, show_events),
        "deployments" => deployment::plan(obj, show_events),
        "namespaces" => namespace::plan(obj),
        "daemonsets" => daemonset::plan(obj, show_events),
        "jobs" => job::job_plan(obj, show_events),
        "cronjobs" => job::cronjob_plan(obj, show_events),
        "endpoints" => events::events_only(obj, "Endpoints", show_events),
        "endpointslices" => events::events_only(obj, "EndpointSlice", show_events),
        "configmaps" => events::events_only(obj, "ConfigMap", show_events),
        "secrets" | "limitranges" | "resourcequotas" => Vec::new(),
        "roles" | "clusterroles" | "rolebindings" | "clusterrolebindings" => Vec::new(),
        "serviceaccounts" => generic::serviceaccount_plan(obj, show_events),
        "statefulsets" => statefulset::plan(obj, show_events),
        "persistentvolumeclaims" => storage::pvc_plan(obj, show_events),
        "poddisruptionbudgets" => events::events_only(obj, "PodDisruptionBudget", show_events),
        "priorityclasses" => events::events_only(obj, "PriorityClass", show_events),
        "ingressclasses" => events::events_only(obj, "IngressClass", show_events),
        "replicationcontrollers" => disruption::rc_plan(obj, show_events),
        "networkpolicies" => Vec::new(),
        "ingresses" => ingress::plan(obj, show_events),
        _ => events::events_only(obj, json::s(obj, &["kind"]), show_events),
    })
}

/// Describes one object from what its [`plan`] fetched; ages are measured from `now`.
/// Anything without a describer of its own gets the generic field dump. Absolute times
/// print in the local zone (`TZ`), as kubectl does.
pub fn render(resource: &str, obj: &Value, related: &Related, now: DateTime<Utc>) -> String {
    match resource {
        "pods" => pod::render(obj, related, now),
        "nodes" => node::render(obj, related, now),
        "services" => service::render(obj, related, now),
        "replicasets" => replicaset::render(obj, related, now),
        "deployments" => deployment::render(obj, related, now),
        "namespaces" => namespace::render(obj, related),
        "daemonsets" => daemonset::render(obj, related, now),
        "jobs" => job::render_job(obj, related, now),
        "cronjobs" => job::render_cronjob(obj, related, now),
        "endpoints" => endpoints::render(obj, related, now),
        "endpointslices" => endpointslice::render(obj, related, now),
        "configmaps" => generic::render_configmap(obj, related, now),
        "secrets" => generic::render_secret(obj),
        "limitranges" => policy::describe_limitrange(obj),
        "resourcequotas" => policy::describe_resourcequota(obj),
        "serviceaccounts" => generic::render_serviceaccount(obj, related, now),
        "statefulsets" => statefulset::render(obj, related, now),
        "persistentvolumeclaims" => storage::render_pvc(obj, related, now),
        "persistentvolumes" => storage::render_pv(obj, related, now),
        "storageclasses" => storage::render_storage_class(obj, related, now),
        "roles" | "clusterroles" => rbac::render_role(obj),
        "rolebindings" | "clusterrolebindings" => rbac::render_binding(obj),
        "poddisruptionbudgets" => disruption::render_pdb(obj, related, now),
        "priorityclasses" => disruption::render_priority_class(obj, related, now),
        "ingressclasses" => disruption::render_ingress_class(obj, related, now),
        "replicationcontrollers" => disruption::render_rc(obj, related, now),
        "networkpolicies" => disruption::render_network_policy(obj),
        "ingresses" => ingress::render(obj, related, now),
        "horizontalpodautoscalers" => autoscaling::render(obj, related, now),
        "certificatesigningrequests" => certificates::render(obj, related, now),
        _ => generic::render_generic(obj, related, now),
    }
}
