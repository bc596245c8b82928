use super::apply::{Applier, apply};
use super::*;
use crate::api::registry;
use serde_json::json;

fn deployments() -> &'static Resource {
    registry::find("deployments").expect("deployments")
}

fn deployment(replicas: i64, image: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]}}}})
}

fn managers(obj: &Value) -> Vec<(String, String, String)> {
    entries_of(obj)
        .into_iter()
        .map(|e| (e.manager, e.operation, e.subresource))
        .collect()
}

#[test]
fn a_create_records_an_update_entry_without_server_fields() {
    let mut obj = deployment(1, "nginx");
    obj["status"] = json!({"replicas": 0});
    record_update(
        deployments(),
        None,
        &mut obj,
        "kubectl-create",
        "",
        "2026-01-01T00:00:00Z",
    );
    let entry = &obj["metadata"]["managedFields"][0];
    assert_eq!(entry["manager"], "kubectl-create");
    assert_eq!(entry["operation"], "Update");
    assert_eq!(entry["apiVersion"], "apps/v1");
    assert_eq!(entry["time"], "2026-01-01T00:00:00Z");
    assert_eq!(entry["fieldsType"], "FieldsV1");
    let fields = &entry["fieldsV1"];
    assert!(fields.get("f:status").is_none());
    assert!(fields["f:metadata"].get("f:name").is_none());
    assert_eq!(fields["f:spec"]["f:replicas"], json!({}));
}

#[test]
fn an_update_takes_the_fields_it_changes() {
    let r = deployments();
    let mut old = deployment(1, "nginx");
    record_update(r, None, &mut old, "a", "", "2026-01-01T00:00:00Z");
    let mut new = old.clone();
    new["spec"]["replicas"] = json!(3);
    record_update(
        r,
        Some(&old),
        &mut new,
        "b",
        "scale",
        "2026-01-01T00:00:01Z",
    );
    let es = entries_of(&new);
    assert_eq!(managers(&new).len(), 2);
    let replicas = [Pe::Field("spec".into()), Pe::Field("replicas".into())];
    assert!(!es[0].set.contains(&replicas));
    assert!(es[1].set.contains(&replicas));
    assert_eq!(es[1].subresource, "scale");
    // Writing nothing new records nothing new.
    let mut same = new.clone();
    record_update(r, Some(&new), &mut same, "c", "", "2026-01-01T00:00:02Z");
    assert_eq!(same, new);
}

#[test]
fn apply_conflicts_with_another_owner_and_force_takes_over() {
    let r = deployments();
    let mut live = deployment(1, "nginx");
    record_update(
        r,
        None,
        &mut live,
        "kubectl-client-side-apply",
        "",
        "2026-01-01T00:00:00Z",
    );
    let who = Applier {
        manager: "kubectl",
        force: false,
        now: "2026-01-01T00:00:05Z",
        subresource: "",
    };
    // Same values: shared ownership, no conflict.
    let shared = apply(r, Some(&live), &deployment(1, "nginx"), &who).expect("no conflict");
    assert_eq!(managers(&shared)[0].0, "kubectl");
    let err = apply(r, Some(&live), &deployment(2, "nginx"), &who).expect_err("conflict");
    assert_eq!(err.code, 409);
    assert_eq!(
        err.message,
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"
    );
    assert_eq!(
        err.details.as_deref(),
        Some(&json!({"causes": [{"reason": "FieldManagerConflict",
            "message": "conflict with \"kubectl-client-side-apply\" using apps/v1",
            "field": ".spec.replicas"}]}))
    );
    let err = apply(r, Some(&live), &deployment(2, "httpd"), &who).expect_err("conflicts");
    assert!(err.message.starts_with(
        "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image"
    ), "{}", err.message);
    let forced = Applier { force: true, ..who };
    let out = apply(r, Some(&live), &deployment(2, "nginx"), &forced).expect("forced");
    assert_eq!(out["spec"]["replicas"], 2);
    let es = entries_of(&out);
    let replicas = [Pe::Field("spec".into()), Pe::Field("replicas".into())];
    let other = es.iter().find(|e| e.manager != "kubectl").expect("other");
    assert!(!other.set.contains(&replicas));
}

#[test]
fn fields_an_applier_drops_are_removed_unless_owned_by_another() {
    let r = deployments();
    let who = Applier {
        manager: "kubectl",
        force: false,
        now: "2026-01-01T00:00:00Z",
        subresource: "",
    };
    let mut config = deployment(1, "nginx");
    config["metadata"]["labels"] = json!({"a": "1", "b": "2"});
    let first = apply(r, None, &config, &who).expect("create");
    let mut second_config = deployment(1, "nginx");
    second_config["metadata"]["labels"] = json!({"a": "1"});
    let second = apply(r, Some(&first), &second_config, &who).expect("apply");
    assert_eq!(second["metadata"]["labels"], json!({"a": "1"}));
    // Another manager's label survives the applier dropping it.
    let mut third = second.clone();
    third["metadata"]["labels"]["c"] = json!("3");
    record_update(
        r,
        Some(&second),
        &mut third,
        "kubectl-label",
        "",
        "2026-01-01T00:00:01Z",
    );
    let mut with_c = second_config.clone();
    with_c["metadata"]["labels"]["c"] = json!("3");
    let fourth = apply(r, Some(&third), &with_c, &who).expect("shared");
    let fifth = apply(r, Some(&fourth), &second_config, &who).expect("drop c");
    assert_eq!(fifth["metadata"]["labels"], json!({"a": "1", "c": "3"}));
}

#[test]
fn a_status_write_owns_only_status_fields() {
    let pods = registry::find("pods").expect("pods");
    let mut old = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "i"}]}});
    record_update(
        pods,
        None,
        &mut old,
        "kubectl-create",
        "",
        "2026-01-01T00:00:00Z",
    );
    let mut new = old.clone();
    new["status"] = json!({"phase": "Running",
        "conditions": [{"type": "Ready", "status": "True"}]});
    new["spec"]["containers"][0]["image"] = json!("ignored-by-status-writes");
    record_update(
        pods,
        Some(&old),
        &mut new,
        "kubelet",
        "status",
        "2026-01-01T00:00:01Z",
    );
    let kubelet = entries_of(&new)
        .into_iter()
        .find(|e| e.manager == "kubelet")
        .expect("kubelet entry");
    assert_eq!(kubelet.subresource, "status");
    assert_eq!(
        kubelet.set.to_fields_v1(),
        json!({"f:status": {"f:conditions": {".": {}, "k:{\"type\":\"Ready\"}": {".": {},
            "f:status": {}, "f:type": {}}}, "f:phase": {}}})
    );
    assert_eq!(
        new["metadata"]["managedFields"][1]["subresource"],
        json!("status")
    );
}

#[test]
fn malformed_entries_are_dropped_and_entries_sort_as_kube_sorts_them() {
    let mut obj = json!({"metadata": {"managedFields": [
        {"manager": "b", "operation": "Update", "apiVersion": "v1", "time": "2026-01-01T00:00:02Z",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {}}},
        {"manager": "bad", "operation": "Update", "fieldsV1": {"nonsense": {}}},
        {"manager": "a", "operation": "Update", "apiVersion": "v1", "time": "2026-01-01T00:00:03Z",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {}}},
        {"manager": "z", "operation": "Apply", "apiVersion": "v1", "time": "2026-01-01T00:00:09Z",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {}}}]}});
    let entries = entries_of(&obj);
    assert_eq!(entries.len(), 3);
    set_entries(&mut obj, entries);
    let order: Vec<&str> = obj["metadata"]["managedFields"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["manager"].as_str())
        .collect();
    assert_eq!(order, ["z", "b", "a"]);
}

#[test]
fn apply_orders_lists_as_the_configuration_does() {
    let r = deployments();
    let who = Applier {
        manager: "kubectl",
        force: false,
        now: "2026-01-01T00:00:00Z",
        subresource: "",
    };
    let with = |names: &[&str]| {
        let mut d = deployment(1, "x");
        d["spec"]["template"]["spec"]["containers"] = Value::Array(
            names
                .iter()
                .map(|n| json!({"name": n, "image": "x"}))
                .collect(),
        );
        d
    };
    let mut live = apply(r, None, &with(&["a", "s", "b"]), &who).expect("create");
    // "s" becomes someone else's before the applier drops it.
    let mut next = live.clone();
    next["spec"]["template"]["spec"]["containers"][1]["image"] = json!("y");
    record_update(
        r,
        Some(&live),
        &mut next,
        "other",
        "",
        "2026-01-01T00:00:01Z",
    );
    live = next;
    let out = apply(r, Some(&live), &with(&["b", "c", "a"]), &who).expect("apply");
    let names: Vec<&str> = out["spec"]["template"]["spec"]["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["s", "b", "c", "a"]);
}
