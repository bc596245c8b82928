//! apps/v1 workloads: Deployments, ReplicaSets and DaemonSets.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

const CONTAINERS_DOC: &str = "Names of each container in the template.";
const IMAGES_DOC: &str = "Images referenced by each container in the template.";

fn int_col(name: &str, description: &str) -> Value {
    integer_col(name, description)
}

/// The wide CONTAINERS / IMAGES / SELECTOR cells every workload shares.
fn template_cells(obj: &Value) -> [Value; 3] {
    let (names, images) = container_cells(field(obj, &["spec", "template", "spec"]));
    [
        json!(names),
        json!(images),
        json!(format_label_selector(field(obj, &["spec", "selector"]))),
    ]
}

/// `spec.replicas` as the API server stores it: defaulted to 1 when unset.
fn desired_replicas(obj: &Value) -> i64 {
    field(obj, &["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

pub fn deployment_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Ready", "Number of the pod with ready state"),
        int_col(
            "Up-to-date",
            "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
        ),
        int_col(
            "Available",
            "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
        ),
        age_col(),
        wide_col("Containers", CONTAINERS_DOC),
        wide_col("Images", IMAGES_DOC),
        wide_col(
            "Selector",
            "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
        ),
    ]
}

pub fn deployment_cells(d: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut cells = vec![
        json!(name_of(d)),
        json!(format!(
            "{}/{}",
            int_at(d, &["status", "readyReplicas"]),
            desired_replicas(d)
        )),
        json!(int_at(d, &["status", "updatedReplicas"])),
        json!(int_at(d, &["status", "availableReplicas"])),
        json!(creation_age(d, now)),
    ];
    cells.extend(template_cells(d));
    cells
}

pub fn replicaset_columns() -> Vec<Value> {
    vec![
        name_col(),
        int_col(
            "Desired",
            "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset",
        ),
        int_col(
            "Current",
            "Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset",
        ),
        int_col(
            "Ready",
            "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.",
        ),
        age_col(),
        wide_col("Containers", CONTAINERS_DOC),
        wide_col("Images", IMAGES_DOC),
        wide_col(
            "Selector",
            "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
        ),
    ]
}

pub fn replicaset_cells(rs: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut cells = vec![
        json!(name_of(rs)),
        json!(desired_replicas(rs)),
        json!(int_at(rs, &["status", "replicas"])),
        json!(int_at(rs, &["status", "readyReplicas"])),
        json!(creation_age(rs, now)),
    ];
    cells.extend(template_cells(rs));
    cells
}

pub fn daemonset_columns() -> Vec<Value> {
    vec![
        name_col(),
        int_col(
            "Desired",
            "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
        ),
        int_col(
            "Current",
            "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
        ),
        int_col(
            "Ready",
            "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.",
        ),
        int_col(
            "Up-to-date",
            "The total number of nodes that are running updated daemon pod",
        ),
        int_col(
            "Available",
            "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)",
        ),
        string_col(
            "Node Selector",
            "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
        ),
        age_col(),
        wide_col("Containers", CONTAINERS_DOC),
        wide_col("Images", IMAGES_DOC),
        wide_col(
            "Selector",
            "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
        ),
    ]
}

pub fn daemonset_cells(ds: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut cells = vec![
        json!(name_of(ds)),
        json!(int_at(ds, &["status", "desiredNumberScheduled"])),
        json!(int_at(ds, &["status", "currentNumberScheduled"])),
        json!(int_at(ds, &["status", "numberReady"])),
        json!(int_at(ds, &["status", "updatedNumberScheduled"])),
        json!(int_at(ds, &["status", "numberAvailable"])),
        json!(format_labels(map_at(
            ds,
            &["spec", "template", "spec", "nodeSelector"]
        ))),
        json!(creation_age(ds, now)),
    ];
    cells.extend(template_cells(ds));
    cells
}
