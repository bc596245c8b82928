//! Printers of the policy and scheduling kinds and the core kinds that came with them:
//! PodDisruptionBudgets, PriorityClasses, RuntimeClasses, ReplicationControllers and
//! PodTemplates, with kube-apiserver 1.32's columns.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

const CONTAINERS_DOC: &str = "Names of each container in the template.";
const IMAGES_DOC: &str = "Images referenced by each container in the template.";

/// An IntOrString as Go's `String()` writes it; `N/A` when unset.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => "N/A".to_string(),
    }
}

pub fn pdb_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Min Available",
            "The minimum number of pods that must be available.",
        ),
        string_col(
            "Max Unavailable",
            "The maximum number of pods that may be unavailable.",
        ),
        integer_col(
            "Allowed Disruptions",
            "Calculated number of pods that may be disrupted at this time.",
        ),
        age_col(),
    ]
}

pub fn pdb_cells(pdb: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(pdb)),
        json!(int_or_string(field(pdb, &["spec", "minAvailable"]))),
        json!(int_or_string(field(pdb, &["spec", "maxUnavailable"]))),
        json!(int_at(pdb, &["status", "disruptionsAllowed"])),
        json!(creation_age(pdb, now)),
    ]
}

pub fn priorityclass_columns() -> Vec<Value> {
    vec![
        name_col(),
        integer_col(
            "Value",
            "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.",
        ),
        column(
            "Global-Default",
            "boolean",
            "",
            "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.",
            0,
        ),
        age_col(),
        string_col(
            "PreemptionPolicy",
            "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.",
        ),
    ]
}

pub fn priorityclass_cells(pc: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(pc)),
        json!(int_at(pc, &["value"])),
        json!(
            field(pc, &["globalDefault"])
                .and_then(Value::as_bool)
                .unwrap_or(false)
        ),
        json!(creation_age(pc, now)),
        json!(str_at(pc, &["preemptionPolicy"])),
    ]
}

pub fn runtimeclass_columns() -> Vec<Value> {
    // kube describes Handler with a key ObjectMeta's docs lack: an empty description.
    vec![name_col(), string_col("Handler", ""), age_col()]
}

pub fn runtimeclass_cells(rc: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(rc)),
        json!(str_at(rc, &["handler"])),
        json!(creation_age(rc, now)),
    ]
}

pub fn replicationcontroller_columns() -> Vec<Value> {
    vec![
        name_col(),
        integer_col(
            "Desired",
            "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
        ),
        integer_col(
            "Current",
            "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
        ),
        integer_col(
            "Ready",
            "The number of ready replicas for this replication controller.",
        ),
        age_col(),
        wide_col("Containers", CONTAINERS_DOC),
        wide_col("Images", IMAGES_DOC),
        wide_col(
            "Selector",
            "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
        ),
    ]
}

pub fn replicationcontroller_cells(rc: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (names, images) = container_cells(field(rc, &["spec", "template", "spec"]));
    vec![
        json!(name_of(rc)),
        json!(
            field(rc, &["spec", "replicas"])
                .and_then(Value::as_i64)
                .unwrap_or(1)
        ),
        json!(int_at(rc, &["status", "replicas"])),
        json!(int_at(rc, &["status", "readyReplicas"])),
        json!(creation_age(rc, now)),
        json!(names),
        json!(images),
        json!(format_labels(map_at(rc, &["spec", "selector"]))),
    ]
}

pub fn podtemplate_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Containers", CONTAINERS_DOC),
        string_col("Images", IMAGES_DOC),
        string_col("Pod Labels", "The labels for the pod template."),
    ]
}

pub fn podtemplate_cells(pt: &Value, _now: DateTime<Utc>) -> Vec<Value> {
    let (names, images) = container_cells(field(pt, &["template", "spec"]));
    vec![
        json!(name_of(pt)),
        json!(names),
        json!(images),
        json!(format_labels(map_at(
            pt,
            &["template", "metadata", "labels"]
        ))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdb_cells_show_na_for_the_unset_bound() {
        let pdb = json!({"metadata": {"name": "p"}, "spec": {"minAvailable": "50%"},
                         "status": {"disruptionsAllowed": 2}});
        let cells = pdb_cells(&pdb, Utc::now());
        assert_eq!(cells[1], "50%");
        assert_eq!(cells[2], "N/A");
        assert_eq!(cells[3], 2);
    }

    #[test]
    fn rc_wide_cells_format_the_map_selector() {
        let rc = json!({"metadata": {"name": "r"}, "spec": {"replicas": 3,
            "selector": {"b": "2", "a": "1"},
            "template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}}});
        let cells = replicationcontroller_cells(&rc, Utc::now());
        assert_eq!(cells[1], 3);
        assert_eq!(cells[5], "c");
        assert_eq!(cells[7], "a=1,b=2");
    }
}
