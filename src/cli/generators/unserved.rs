//! Resources of the generators whose kinds kubelite does not serve yet (rbac, ...).
//! They are not in the registry, so the cluster answers a create of them as kube-apiserver
//! answers a resource it does not have; the generators still need their address and names.

use crate::api::registry::Resource;

const fn resource(
    kind: &'static str,
    group: &'static str,
    plural: &'static str,
    singular: &'static str,
    namespaced: bool,
) -> Resource {
    Resource {
        kind,
        group,
        version: "v1",
        plural,
        singular,
        short_names: &[],
        namespaced,
        categories: &[],
        storage_prefix: plural,
    }
}

pub static PRIORITYCLASSES: Resource = resource(
    "PriorityClass",
    "scheduling.k8s.io",
    "priorityclasses",
    "priorityclass",
    false,
);
pub static PODDISRUPTIONBUDGETS: Resource = resource(
    "PodDisruptionBudget",
    "policy",
    "poddisruptionbudgets",
    "poddisruptionbudget",
    true,
);
pub static INGRESSES: Resource =
    resource("Ingress", "networking.k8s.io", "ingresses", "ingress", true);
