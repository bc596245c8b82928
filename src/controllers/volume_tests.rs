use super::*;
use crate::client::Client;
use crate::controllers::testutil::TestCluster;
use serde_json::json;

fn class(mode: &str) -> Value {
    json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
           "metadata": {"name": "local"}, "provisioner": LOCAL_PATH,
           "volumeBindingMode": mode})
}

fn claim(name: &str, class: Option<&str>, size: &str) -> Value {
    let mut spec = json!({"accessModes": ["ReadWriteOnce"],
                          "resources": {"requests": {"storage": size}}});
    if let Some(c) = class {
        spec["storageClassName"] = json!(c);
    }
    json!({"metadata": {"name": name}, "spec": spec})
}

fn controllers() -> Vec<Box<dyn crate::runtime::Component>> {
    vec![
        Box::new(ClaimController::default()),
        Box::new(VolumeController::default()),
    ]
}

fn phase(t: &TestCluster, plural: &str, ns: Option<&str>, name: &str) -> String {
    t.get(plural, ns, name)
        .and_then(|o| {
            o.pointer("/status/phase")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_default()
}

#[test]
fn a_claim_binds_the_smallest_volume_that_fits() {
    let t = TestCluster::new("volume-static");
    for (name, size) in [("big", "10Gi"), ("small", "2Gi"), ("tiny", "500Mi")] {
        t.create(
            "persistentvolumes",
            None,
            json!({"metadata": {"name": name}, "spec": {"capacity": {"storage": size},
                   "accessModes": ["ReadWriteOnce"], "storageClassName": "",
                   "hostPath": {"path": "/data"}}}),
        );
    }
    t.create(
        "persistentvolumeclaims",
        Some("default"),
        claim("data", Some(""), "1Gi"),
    );
    t.settle(controllers());
    let pvc = t
        .get("persistentvolumeclaims", Some("default"), "data")
        .unwrap();
    assert_eq!(pvc["spec"]["volumeName"], "small");
    assert_eq!(pvc["status"]["phase"], "Bound");
    assert_eq!(pvc["status"]["capacity"]["storage"], "2Gi");
    assert_eq!(pvc["metadata"]["annotations"][BIND_COMPLETED], "yes");
    assert_eq!(phase(&t, "persistentvolumes", None, "small"), "Bound");
    assert_eq!(phase(&t, "persistentvolumes", None, "big"), "Available");
    assert_eq!(phase(&t, "persistentvolumes", None, "tiny"), "Available");
}

#[test]
fn immediate_classes_provision_at_once_and_delete_on_release() {
    let t = TestCluster::new("volume-immediate");
    t.create("storageclasses", None, class("Immediate"));
    t.create(
        "persistentvolumeclaims",
        Some("default"),
        claim("data", Some("local"), "1Gi"),
    );
    t.settle(controllers());
    let pvc = t
        .get("persistentvolumeclaims", Some("default"), "data")
        .unwrap();
    let volume = pvc["spec"]["volumeName"].as_str().unwrap().to_string();
    assert_eq!(
        volume,
        format!("pvc-{}", pvc["metadata"]["uid"].as_str().unwrap())
    );
    assert_eq!(pvc["status"]["phase"], "Bound");
    let pv = t.get("persistentvolumes", None, &volume).unwrap();
    assert_eq!(pv["spec"]["persistentVolumeReclaimPolicy"], "Delete");
    assert_eq!(pv["metadata"]["annotations"][PROVISIONED_BY], LOCAL_PATH);
    let events = t.events("default").join("\n");
    assert!(events.contains("ProvisioningSucceeded"), "{events}");
    // Deleting the claim releases the volume, whose policy deletes it.
    let r = crate::api::registry::find("pvc").unwrap();
    t.c()
        .delete(r, Some("default"), "data", &DeleteOptions::default())
        .unwrap();
    t.settle(controllers());
    assert!(
        t.get("persistentvolumeclaims", Some("default"), "data")
            .is_none()
    );
    assert!(t.get("persistentvolumes", None, &volume).is_none());
}

#[test]
fn wait_for_first_consumer_waits_for_the_selected_node() {
    let t = TestCluster::new("volume-wffc");
    t.create("storageclasses", None, class("WaitForFirstConsumer"));
    t.create(
        "persistentvolumeclaims",
        Some("default"),
        claim("data", Some("local"), "1Gi"),
    );
    t.settle(controllers());
    assert_eq!(
        phase(&t, "persistentvolumeclaims", Some("default"), "data"),
        "Pending"
    );
    assert!(t.list("persistentvolumes", None).is_empty());
    let mut pvc = t
        .get("persistentvolumeclaims", Some("default"), "data")
        .unwrap();
    pvc["metadata"]["annotations"] = json!({SELECTED_NODE: "node02"});
    t.update("persistentvolumeclaims", pvc);
    t.settle(controllers());
    let pvc = t
        .get("persistentvolumeclaims", Some("default"), "data")
        .unwrap();
    assert_eq!(pvc["status"]["phase"], "Bound");
    let pv = t
        .get(
            "persistentvolumes",
            None,
            pvc["spec"]["volumeName"].as_str().unwrap(),
        )
        .unwrap();
    assert_eq!(
        pv.pointer("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0"),
        Some(&json!("node02"))
    );
}

#[test]
fn a_claim_without_a_class_or_volume_stays_pending() {
    let t = TestCluster::new("volume-none");
    t.create(
        "persistentvolumeclaims",
        Some("default"),
        claim("data", Some(""), "1Gi"),
    );
    t.settle(controllers());
    assert_eq!(
        phase(&t, "persistentvolumeclaims", Some("default"), "data"),
        "Pending"
    );
    let events = t.events("default").join("\n");
    assert!(
        events.contains("no persistent volumes available for this claim"),
        "{events}"
    );
}
