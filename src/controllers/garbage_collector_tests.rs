use super::*;
use crate::client::Client;
use crate::controllers::deployment::DeploymentController;
use crate::controllers::replicaset::ReplicaSetController;
use crate::controllers::testutil::TestCluster;

fn controllers() -> Vec<Box<dyn Component>> {
    vec![
        Box::new(DeploymentController::default()),
        Box::new(ReplicaSetController::default()),
        Box::new(GarbageCollector),
    ]
}

fn deployment() -> Value {
    json!({
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}},
        },
    })
}

#[test]
fn deleting_a_deployment_takes_its_replica_sets_and_pods() {
    let t = TestCluster::new("gc-background");
    t.create("deployments", Some("default"), deployment());
    t.settle(controllers());
    assert_eq!(t.list("replicasets", Some("default")).len(), 1);
    assert_eq!(t.list("pods", Some("default")).len(), 2);
    let r = registry::find("deployments").expect("deployments");
    t.c()
        .delete(r, Some("default"), "web", &DeleteOptions::default())
        .expect("delete");
    t.settle(controllers());
    assert!(t.list("replicasets", Some("default")).is_empty());
    assert!(t.list("pods", Some("default")).is_empty());
}

#[test]
fn dependents_of_a_missing_owner_are_collected_on_a_full_resync() {
    let t = TestCluster::new("gc-dangling");
    t.create(
        "configmaps",
        Some("default"),
        json!({"metadata": {"name": "orphaned", "ownerReferences": [
            {"apiVersion": "v1", "kind": "ConfigMap", "name": "gone", "uid": "00000000-0000-4000-8000-000000000000"}]}}),
    );
    let owner = t.create(
        "configmaps",
        Some("default"),
        json!({"metadata": {"name": "owner"}}),
    );
    t.create(
        "configmaps",
        Some("default"),
        json!({"metadata": {"name": "two-owners", "ownerReferences": [
            {"apiVersion": "v1", "kind": "ConfigMap", "name": "gone", "uid": "00000000-0000-4000-8000-000000000000"},
            {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner["metadata"]["uid"]}]}}),
    );
    let mut gc = GarbageCollector;
    assert!(crate::runtime::settle_once(&mut gc, t.c(), t.now, 0).expect("gc"));
    assert!(t.get("configmaps", Some("default"), "orphaned").is_none());
    let kept = t
        .get("configmaps", Some("default"), "two-owners")
        .expect("kept");
    assert_eq!(
        kept["metadata"]["ownerReferences"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(!crate::runtime::settle_once(&mut gc, t.c(), t.now, 0).expect("gc"));
}

/// The owner as GC sees it once the API server has marked it (deletionTimestamp plus the
/// finalizer; that side is being written on main).
fn marked(t: &TestCluster, finalizer: &str) -> Value {
    let mut d = t.get("deployments", Some("default"), "web").expect("d");
    d["metadata"]["deletionTimestamp"] = json!("2026-11-29T01:00:00Z");
    d["metadata"]["finalizers"] = json!([finalizer]);
    d
}

#[test]
fn orphan_deletion_unlinks_dependents() {
    let t = TestCluster::new("gc-orphan");
    t.create("deployments", Some("default"), deployment());
    t.settle(controllers());
    let owner = marked(&t, ORPHAN);
    let r = registry::find("deployments").expect("d");
    let ctx = Context {
        client: t.c(),
        now: t.now,
        since: 0,
        pass: 0,
        shared: Default::default(),
    };
    assert!(finish_owner(&ctx, r, &owner).expect("finish"));
    let rs = &t.list("replicasets", Some("default"))[0];
    assert!(rs["metadata"].get("ownerReferences").is_none());
    assert_eq!(t.list("pods", Some("default")).len(), 2, "pods stay");
}

#[test]
fn foreground_deletion_deletes_dependents_then_releases_the_owner() {
    let t = TestCluster::new("gc-foreground");
    t.create("deployments", Some("default"), deployment());
    t.settle(controllers());
    assert_eq!(t.list("replicasets", Some("default")).len(), 1);
    let r = registry::find("deployments").expect("d");
    let foreground = DeleteOptions {
        propagation_policy: Some("Foreground".into()),
        ..Default::default()
    };
    t.c()
        .delete(r, Some("default"), "web", &foreground)
        .expect("delete");
    // The API server holds the Deployment (finalizer) until its dependents are gone.
    let held = t.get("deployments", Some("default"), "web").expect("held");
    assert!(
        held["metadata"]["finalizers"]
            .to_string()
            .contains(FOREGROUND)
    );
    t.settle(controllers());
    assert!(t.list("replicasets", Some("default")).is_empty());
    assert!(t.list("pods", Some("default")).is_empty());
    assert!(
        t.get("deployments", Some("default"), "web").is_none(),
        "the owner goes last"
    );
}

/// When an owner goes, its dependents are looked for where they can be: a namespaced
/// owner's in its namespace, a cluster-scoped owner's everywhere.
#[test]
fn a_gone_owner_takes_its_dependents_where_they_can_be() {
    let t = TestCluster::new("gc-scopes");
    t.create("namespaces", None, json!({"metadata": {"name": "other"}}));
    let owner = |name: &str, uid: &Value, kind: &str, api: &str| json!([{"apiVersion": api, "kind": kind, "name": name, "uid": uid}]);
    let cm = t.create(
        "configmaps",
        Some("default"),
        json!({"metadata": {"name": "owner"}}),
    );
    let cm_ref = owner("owner", &cm["metadata"]["uid"], "ConfigMap", "v1");
    let role = t.create(
        "clusterroles",
        None,
        json!({"metadata": {"name": "owner"}, "rules": []}),
    );
    let role_ref = owner(
        "owner",
        &role["metadata"]["uid"],
        "ClusterRole",
        "rbac.authorization.k8s.io/v1",
    );
    for (ns, name, refs) in [
        ("default", "of-cm", &cm_ref),
        ("default", "of-role", &role_ref),
        ("other", "of-role", &role_ref),
    ] {
        t.create(
            "configmaps",
            Some(ns),
            json!({"metadata": {"name": name, "ownerReferences": refs}}),
        );
    }
    t.create(
        "clusterroles",
        None,
        json!({"metadata": {"name": "of-role", "ownerReferences": role_ref}, "rules": []}),
    );
    t.settle(vec![Box::new(GarbageCollector)]);
    let opts = DeleteOptions::default();
    let configmaps = registry::find("configmaps").expect("configmaps");
    t.c()
        .delete(configmaps, Some("default"), "owner", &opts)
        .expect("delete");
    t.settle(vec![Box::new(GarbageCollector)]);
    assert!(t.get("configmaps", Some("default"), "of-cm").is_none());
    assert!(t.get("configmaps", Some("default"), "of-role").is_some());
    let roles = registry::find("clusterroles").expect("clusterroles");
    t.c().delete(roles, None, "owner", &opts).expect("delete");
    t.settle(vec![Box::new(GarbageCollector)]);
    assert!(t.get("configmaps", Some("default"), "of-role").is_none());
    assert!(t.get("configmaps", Some("other"), "of-role").is_none());
    assert!(t.get("clusterroles", None, "of-role").is_none());
}
