use super::*;
use crate::client::Client;
use crate::controllers::testutil::TestCluster;
use crate::runtime::Component;

fn rs(replicas: i64) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
            },
        },
    })
}

fn controllers() -> Vec<Box<dyn Component>> {
    vec![Box::new(ReplicaSetController::default())]
}

fn pods(t: &TestCluster) -> Vec<Value> {
    t.list("pods", Some("default"))
}

#[test]
fn creates_pods_from_the_template_with_owner_and_events() {
    let t = TestCluster::new("rs-create");
    let owner = t.create("replicasets", Some("default"), rs(3));
    t.settle(controllers());
    let ps = pods(&t);
    assert_eq!(ps.len(), 3);
    for p in &ps {
        assert!(c::name(p).starts_with("web-"));
        assert_eq!(p["metadata"]["generateName"], "web-");
        assert_eq!(p["metadata"]["labels"]["app"], "web");
        let r = &p["metadata"]["ownerReferences"][0];
        assert_eq!(r["uid"], owner["metadata"]["uid"]);
        assert_eq!(r["controller"], true);
        assert_eq!(r["blockOwnerDeletion"], true);
        assert_eq!(r["kind"], "ReplicaSet");
    }
    let events = t.events("default");
    assert_eq!(events.len(), 3);
    assert!(
        events
            .iter()
            .all(|e| e.starts_with("SuccessfulCreate: Created pod: web-"))
    );
    let got = t.get("replicasets", Some("default"), "web").expect("rs");
    assert_eq!(
        got["status"],
        json!({"replicas": 3, "fullyLabeledReplicas": 3, "observedGeneration": 1})
    );
    // A settled cluster: another pass writes nothing.
    let mut rc = ReplicaSetController::default();
    let rev = crate::runtime::Checkpoint::revision(t.c().server().as_ref()).expect("rev");
    assert!(!crate::runtime::settle_once(&mut rc, t.c(), t.now, 0).expect("sync"));
    assert_eq!(
        crate::runtime::Checkpoint::revision(t.c().server().as_ref()).expect("rev"),
        rev
    );
}

#[test]
fn replaces_deleted_pods_and_counts_ready_ones() {
    let t = TestCluster::new("rs-replace");
    t.create("replicasets", Some("default"), rs(2));
    t.settle(controllers());
    t.run_all("default");
    t.settle(controllers());
    let got = t.get("replicasets", Some("default"), "web").expect("rs");
    assert_eq!(got["status"]["readyReplicas"], 2);
    assert_eq!(got["status"]["availableReplicas"], 2);
    let victim = c::name(&pods(&t)[0]).to_string();
    let r = crate::api::registry::find("pods").expect("pods");
    t.c()
        .delete(r, Some("default"), &victim, &DeleteOptions::default())
        .expect("delete");
    t.settle(controllers());
    let names: Vec<String> = pods(&t).iter().map(|p| c::name(p).to_string()).collect();
    assert_eq!(names.len(), 2);
    assert!(!names.contains(&victim));
    let got = t.get("replicasets", Some("default"), "web").expect("rs");
    assert_eq!(got["status"]["readyReplicas"], 1);
}

#[test]
fn scales_down_unscheduled_and_not_ready_pods_first() {
    let t = TestCluster::new("rs-scale-down");
    // Pods placed by hand (nodeName at creation), adopted by the ReplicaSet.
    let pod = |name: &str, node: Option<&str>| {
        let mut p = json!({"metadata": {"name": name, "labels": {"app": "web"}},
                           "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        if let Some(n) = node {
            p["spec"]["nodeName"] = json!(n);
        }
        t.create("pods", Some("default"), p)
    };
    let ready1 = pod("ready1", Some("node01"));
    let ready2 = pod("ready2", Some("node02"));
    pod("pending", Some("node01"));
    pod("unscheduled", None);
    t.run_pod(&ready1, "node01", "10.244.1.2");
    t.run_pod(&ready2, "node02", "10.244.2.2");
    t.create("replicasets", Some("default"), rs(4));
    t.settle(controllers());
    assert_eq!(pods(&t).len(), 4, "all four adopted, none created");
    let mut scaled = t.get("replicasets", Some("default"), "web").expect("rs");
    scaled["spec"]["replicas"] = json!(2);
    t.update("replicasets", scaled);
    t.settle(controllers());
    let left: Vec<String> = pods(&t).iter().map(|p| c::name(p).to_string()).collect();
    assert_eq!(left, ["ready1", "ready2"]);
    let deletes: Vec<String> = t
        .events("default")
        .into_iter()
        .filter(|e| e.starts_with("SuccessfulDelete"))
        .collect();
    assert_eq!(deletes.len(), 2);
    assert!(deletes.contains(&"SuccessfulDelete: Deleted pod: unscheduled".to_string()));
}

#[test]
fn adopts_orphans_and_releases_pods_that_stop_matching() {
    let t = TestCluster::new("rs-adopt");
    t.create(
        "pods",
        Some("default"),
        json!({"metadata": {"name": "stray", "labels": {"app": "web"}},
               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}),
    );
    let owner = t.create("replicasets", Some("default"), rs(2));
    t.settle(controllers());
    let stray = t.get("pods", Some("default"), "stray").expect("stray");
    assert_eq!(
        stray["metadata"]["ownerReferences"][0]["uid"],
        owner["metadata"]["uid"]
    );
    assert_eq!(pods(&t).len(), 2, "the orphan counts toward replicas");
    // Relabel it: released, and replaced.
    let mut relabeled = stray;
    relabeled["metadata"]["labels"]["app"] = json!("other");
    t.update("pods", relabeled);
    t.settle(controllers());
    let stray = t.get("pods", Some("default"), "stray").expect("stray");
    assert!(stray["metadata"].get("ownerReferences").is_none());
    assert_eq!(pods(&t).len(), 3);
}

#[test]
fn deletion_order_prefers_unscheduled_then_pending_then_newer() {
    let per_node = HashMap::new();
    let unscheduled = json!({"metadata": {"name": "a"}, "status": {"phase": "Pending"}});
    let pending = json!({"metadata": {"name": "b"}, "spec": {"nodeName": "n"}, "status": {"phase": "Pending"}});
    let running_old = json!({"metadata": {"name": "c", "creationTimestamp": "2026-01-01T00:00:00Z"}, "spec": {"nodeName": "n"}, "status": {"phase": "Running"}});
    let running_new = json!({"metadata": {"name": "d", "creationTimestamp": "2026-01-02T00:00:00Z"}, "spec": {"nodeName": "n"}, "status": {"phase": "Running"}});
    let mut v = [running_old, pending, running_new, unscheduled];
    v.sort_by(|a, b| deletion_order(a, b, &per_node));
    let names: Vec<&str> = v.iter().map(c::name).collect();
    assert_eq!(names, ["a", "b", "d", "c"]);
}

/// One sync of the ReplicaSet controller (every ReplicaSet looked at).
fn sync(t: &TestCluster) -> bool {
    let mut rc = ReplicaSetController::default();
    crate::runtime::settle_once(&mut rc, t.c(), t.now, 0).expect("sync")
}

#[test]
fn the_largest_replica_count_is_worked_through_one_burst_a_sync() {
    let t = TestCluster::new("rs-huge");
    t.create("replicasets", Some("default"), rs(i64::from(i32::MAX)));
    assert!(sync(&t));
    assert_eq!(pods(&t).len(), BURST_REPLICAS);
    assert!(sync(&t));
    assert_eq!(pods(&t).len(), 2 * BURST_REPLICAS);
    let got = t.get("replicasets", Some("default"), "web").expect("rs");
    assert_eq!(got["status"]["replicas"], 2 * BURST_REPLICAS);
    // Scaling down deletes one burst a sync too.
    let mut scaled = got;
    scaled["spec"]["replicas"] = json!(0);
    t.update("replicasets", scaled);
    assert!(sync(&t));
    let left = pods(&t)
        .iter()
        .filter(|p| p["metadata"].get("deletionTimestamp").is_none())
        .count();
    assert_eq!(left, BURST_REPLICAS);
}

#[test]
fn a_template_every_create_rejects_costs_one_attempt_a_sync() {
    let t = TestCluster::new("rs-slow-start");
    let mut bad = rs(5);
    bad["spec"]["template"]["spec"]["priorityClassName"] = json!("nope");
    t.create("replicasets", Some("default"), bad);
    assert!(sync(&t));
    assert!(pods(&t).is_empty());
    let events = t.events("default");
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].starts_with("FailedCreate: Error creating: pods \"web-"));
    assert!(events[0].ends_with("is forbidden: no PriorityClass with name nope was found"));
}

#[test]
fn counts_beyond_int32_in_a_stored_object_read_as_int32() {
    // Objects stored before the API server checked ranges: the nearest int32.
    let huge = json!({"spec": {"replicas": 9_223_372_036_854_775_807_i64, "minReadySeconds": -9_223_372_036_854_775_807_i64},
                      "status": {"replicas": 18_446_744_073_709_551_615_u64, "readyReplicas": 1e300}});
    assert_eq!(c::int_at(&huge, "/spec/replicas", 1), i64::from(i32::MAX));
    assert_eq!(
        c::int_at(&huge, "/spec/minReadySeconds", 0),
        i64::from(i32::MIN)
    );
    assert_eq!(c::int_at(&huge, "/status/replicas", 0), i64::from(i32::MAX));
    assert_eq!(
        c::int_at(&huge, "/status/readyReplicas", 0),
        i64::from(i32::MAX)
    );
    assert_eq!(c::int_at(&huge, "/spec/paused", 7), 7);
}
