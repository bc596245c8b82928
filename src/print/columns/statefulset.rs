//! apps/v1 StatefulSets and ControllerRevisions.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn statefulset_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Ready", "Ready pods out of the desired replicas."),
        age_col(),
        wide_col("Containers", "Names of each container in the template."),
        wide_col(
            "Images",
            "Images referenced by each container in the template.",
        ),
    ]
}

pub fn statefulset_cells(sts: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let desired = field(sts, &["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let (names, images) = container_cells(field(sts, &["spec", "template", "spec"]));
    vec![
        json!(name_of(sts)),
        json!(format!(
            "{}/{desired}",
            int_at(sts, &["status", "readyReplicas"])
        )),
        json!(creation_age(sts, now)),
        json!(names),
        json!(images),
    ]
}

pub fn revision_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Controller", "The object that owns this revision."),
        integer_col("Revision", "The revision number of the stored state."),
        age_col(),
    ]
}

/// The controlling owner as `kind.group/name` in lower case, `<none>` without one.
fn controller_name(obj: &Value) -> String {
    let Some(owner) = array_at(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|o| o["controller"] == json!(true))
    else {
        return "<none>".into();
    };
    let group = str_at(owner, &["apiVersion"])
        .rsplit_once('/')
        .map_or("", |(g, _)| g);
    let kind = str_at(owner, &["kind"]).to_ascii_lowercase();
    let name = str_at(owner, &["name"]);
    if group.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}.{group}/{name}")
    }
}

pub fn revision_cells(cr: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(cr)),
        json!(controller_name(cr)),
        json!(int_at(cr, &["revision"])),
        json!(creation_age(cr, now)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_names_its_controller() {
        let cr = json!({"metadata": {"name": "web-7d9f", "ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "controller": true}]},
            "revision": 2});
        let cells = revision_cells(&cr, Utc::now());
        assert_eq!(cells[1], "statefulset.apps/web");
        assert_eq!(cells[2], 2);
        let orphan = json!({"metadata": {"name": "x"}, "revision": 1});
        assert_eq!(revision_cells(&orphan, Utc::now())[1], "<none>");
    }
}
