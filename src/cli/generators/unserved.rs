//! Resources of the generators whose kinds kubelite does not serve yet (batch, rbac, ...).
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

pub static JOBS: Resource = resource("Job", "batch", "jobs", "job", true);
pub static CRONJOBS: Resource = resource("CronJob", "batch", "cronjobs", "cronjob", true);
pub static ROLES: Resource = resource("Role", "rbac.authorization.k8s.io", "roles", "role", true);
pub static CLUSTERROLES: Resource = resource(
    "ClusterRole",
    "rbac.authorization.k8s.io",
    "clusterroles",
    "clusterrole",
    false,
);
