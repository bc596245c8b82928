use super::*;
use crate::controllers::replicaset::ReplicaSetController;
use crate::controllers::testutil::TestCluster;
use crate::runtime::Component;

fn deployment(replicas: i64, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
        },
    })
}

fn controllers() -> Vec<Box<dyn Component>> {
    vec![
        Box::new(DeploymentController::default()),
        Box::new(ReplicaSetController::default()),
    ]
}

/// Settles, playing kubelet, until every pod runs and nothing changes.
fn converge(t: &TestCluster) {
    for _ in 0..50 {
        t.settle(controllers());
        if t.run_all("default") == 0 {
            return;
        }
    }
    panic!("did not converge");
}

fn set_image(t: &TestCluster, image: &str) {
    let mut d = t.get("deployments", Some("default"), "web").expect("d");
    d["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
    t.update("deployments", d);
}

fn replica_sets(t: &TestCluster) -> Vec<Value> {
    t.list("replicasets", Some("default"))
}

fn live_pods(t: &TestCluster) -> usize {
    t.list("pods", Some("default")).len()
}

#[test]
fn a_deployment_of_three_gets_one_replica_set_and_three_pods() {
    let t = TestCluster::new("deploy-create");
    t.create("deployments", Some("default"), deployment(3, "nginx:1.27"));
    converge(&t);
    let rss = replica_sets(&t);
    assert_eq!(rss.len(), 1);
    let rs = &rss[0];
    let hash = rs["metadata"]["labels"]["pod-template-hash"]
        .as_str()
        .expect("hash");
    assert_eq!(c::name(rs), format!("web-{hash}"));
    assert_eq!(
        rs["spec"]["selector"]["matchLabels"]["pod-template-hash"],
        hash
    );
    assert_eq!(
        rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"],
        hash
    );
    assert_eq!(
        rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "1"
    );
    assert_eq!(
        rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"],
        "3"
    );
    assert_eq!(
        rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"],
        "4"
    );
    assert_eq!(live_pods(&t), 3);
    let d = t.get("deployments", Some("default"), "web").expect("d");
    assert_eq!(
        d["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "1"
    );
    let s = &d["status"];
    assert_eq!(s["replicas"], 3);
    assert_eq!(s["updatedReplicas"], 3);
    assert_eq!(s["availableReplicas"], 3);
    assert!(s.get("unavailableReplicas").is_none());
    let conds: Vec<(&str, &str)> = s["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap_or(""),
                c["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        conds,
        [
            ("Available", "MinimumReplicasAvailable"),
            ("Progressing", "NewReplicaSetAvailable")
        ]
    );
    assert_eq!(
        s["conditions"][1]["message"],
        format!("ReplicaSet \"web-{hash}\" has successfully progressed.")
    );
    let events = t.events("default");
    assert!(events.contains(&format!(
        "ScalingReplicaSet: Scaled up replica set web-{hash} to 3"
    )));
}

#[test]
fn scaling_up_and_down_scales_the_replica_set() {
    let t = TestCluster::new("deploy-scale");
    t.create("deployments", Some("default"), deployment(3, "nginx:1.27"));
    converge(&t);
    let mut d = t.get("deployments", Some("default"), "web").expect("d");
    d["spec"]["replicas"] = json!(5);
    t.update("deployments", d);
    converge(&t);
    assert_eq!(live_pods(&t), 5);
    let mut d = t.get("deployments", Some("default"), "web").expect("d");
    d["spec"]["replicas"] = json!(1);
    t.update("deployments", d);
    converge(&t);
    assert_eq!(live_pods(&t), 1);
    let rs = &replica_sets(&t)[0];
    let events = t.events("default");
    assert!(
        events.contains(&format!(
            "ScalingReplicaSet: Scaled up replica set {} from 3 to 5",
            c::name(rs)
        )),
        "{events:?}"
    );
    assert!(events.contains(&format!(
        "ScalingReplicaSet: Scaled down replica set {} from 5 to 1",
        c::name(rs)
    )));
}

#[test]
fn a_new_image_rolls_out_and_undo_brings_back_the_old_replica_set() {
    let t = TestCluster::new("deploy-roll");
    t.create("deployments", Some("default"), deployment(4, "nginx:1.27"));
    converge(&t);
    let first = c::name(&replica_sets(&t)[0]).to_string();
    set_image(&t, "nginx:1.28");
    // Surge 1 (25% of 4): never more than 5 pods, never fewer than 3 available.
    for _ in 0..50 {
        t.settle(controllers());
        let total: i64 = replica_sets(&t)
            .iter()
            .map(|rs| c::int_at(rs, "/spec/replicas", 0))
            .sum();
        assert!(total <= 5, "surge exceeded: {total}");
        if t.run_all("default") == 0 {
            break;
        }
    }
    let rss = replica_sets(&t);
    assert_eq!(rss.len(), 2);
    let new = rss.iter().find(|rs| c::name(rs) != first).expect("new rs");
    let old = rss.iter().find(|rs| c::name(rs) == first).expect("old rs");
    assert_eq!(new["spec"]["replicas"], 4);
    assert_eq!(old["spec"]["replicas"], 0);
    assert_eq!(revision_of(new), 2);
    let pods = t.list("pods", Some("default"));
    assert_eq!(pods.len(), 4);
    assert!(
        pods.iter()
            .all(|p| p["spec"]["containers"][0]["image"] == "nginx:1.28")
    );
    // Undo: the template equals the first ReplicaSet's again.
    set_image(&t, "nginx:1.27");
    converge(&t);
    let back = t
        .get("replicasets", Some("default"), &first)
        .expect("first rs");
    assert_eq!(back["spec"]["replicas"], 4);
    assert_eq!(revision_of(&back), 3);
    assert_eq!(
        back["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"],
        "1"
    );
    assert_eq!(replica_sets(&t).len(), 2, "no third ReplicaSet");
    let d = t.get("deployments", Some("default"), "web").expect("d");
    assert_eq!(
        d["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "3"
    );
}

#[test]
fn recreate_scales_old_to_zero_before_creating_new() {
    let t = TestCluster::new("deploy-recreate");
    let mut d = deployment(2, "nginx:1.27");
    d["spec"]["strategy"] = json!({"type": "Recreate"});
    t.create("deployments", Some("default"), d);
    converge(&t);
    set_image(&t, "nginx:1.28");
    t.settle(controllers());
    // Old pods are deleted at once here (no graceful deletion yet), so the new ReplicaSet
    // may follow in the same settle; it must never run beside old pods.
    let pods = t.list("pods", Some("default"));
    let images: Vec<&str> = pods
        .iter()
        .filter_map(|p| p["spec"]["containers"][0]["image"].as_str())
        .collect();
    assert!(images.iter().all(|i| *i == "nginx:1.28"), "{images:?}");
    converge(&t);
    assert_eq!(live_pods(&t), 2);
}

#[test]
fn old_replica_sets_beyond_the_history_limit_are_deleted() {
    let t = TestCluster::new("deploy-history");
    let mut d = deployment(1, "nginx:1");
    d["spec"]["revisionHistoryLimit"] = json!(1);
    t.create("deployments", Some("default"), d);
    converge(&t);
    for image in ["nginx:2", "nginx:3", "nginx:4"] {
        set_image(&t, image);
        converge(&t);
    }
    let rss = replica_sets(&t);
    let mut revisions: Vec<i64> = rss.iter().map(revision_of).collect();
    revisions.sort();
    assert_eq!(revisions, [3, 4]);
}

#[test]
fn surge_and_unavailable_round_as_kube_does() {
    let d = |r: i64, s: Value, u: Value| json!({"spec": {"replicas": r, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": s, "maxUnavailable": u}}}});
    assert_eq!(
        rollout::surge_and_unavailable(&d(3, json!("25%"), json!("25%"))),
        (1, 0)
    );
    assert_eq!(
        rollout::surge_and_unavailable(&d(10, json!("25%"), json!("25%"))),
        (3, 2)
    );
    assert_eq!(
        rollout::surge_and_unavailable(&d(3, json!(0), json!(0))),
        (0, 1)
    );
    assert_eq!(
        rollout::surge_and_unavailable(
            &json!({"spec": {"replicas": 3, "strategy": {"type": "Recreate"}}})
        ),
        (0, 0)
    );
}

#[test]
fn a_rollout_without_progress_times_out_after_its_deadline() {
    let mut t = TestCluster::new("deploy-deadline");
    let mut d = deployment(1, "nginx:1.27");
    d["spec"]["progressDeadlineSeconds"] = json!(60);
    t.create("deployments", Some("default"), d);
    t.settle(controllers());
    // A later command, another process: the deadline is found again and kept.
    t.advance(59);
    t.settle(controllers());
    let reason = |t: &TestCluster| {
        let d = t.get("deployments", Some("default"), "web").expect("d");
        d["status"]["conditions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["type"] == "Progressing").cloned())
            .map(|c| {
                format!(
                    "{} {}",
                    c["status"].as_str().unwrap_or(""),
                    c["reason"].as_str().unwrap_or("")
                )
            })
    };
    assert_eq!(reason(&t).as_deref(), Some("True ReplicaSetUpdated"));
    t.advance(1);
    t.settle(controllers());
    assert_eq!(
        reason(&t).as_deref(),
        Some("False ProgressDeadlineExceeded")
    );
    let d = t.get("deployments", Some("default"), "web").expect("d");
    let msg = d["status"]["conditions"].to_string();
    assert!(msg.contains("has timed out progressing."), "{msg}");
}

#[test]
fn the_deployments_annotations_follow_onto_its_new_replica_set() {
    let t = TestCluster::new("deploy-annotations");
    let mut d = deployment(1, "nginx:1.27");
    d["metadata"]["annotations"] = json!({"kubernetes.io/change-cause": "first"});
    t.create("deployments", Some("default"), d);
    converge(&t);
    let rs = &replica_sets(&t)[0];
    assert_eq!(
        rs["metadata"]["annotations"]["kubernetes.io/change-cause"],
        "first"
    );
    let mut d = t.get("deployments", Some("default"), "web").expect("d");
    d["metadata"]["annotations"]["kubernetes.io/change-cause"] = json!("second");
    t.update("deployments", d);
    converge(&t);
    let rs = &replica_sets(&t)[0];
    assert_eq!(
        rs["metadata"]["annotations"]["kubernetes.io/change-cause"],
        "second"
    );
    // The Deployment's revision annotation is its own, not copied back and forth.
    assert_eq!(
        rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "1"
    );
}

#[test]
fn scaling_during_a_rollout_is_shared_out_proportionally() {
    let t = TestCluster::new("deploy-proportional");
    t.create("deployments", Some("default"), deployment(10, "nginx:1.27"));
    converge(&t);
    let first = c::name(&replica_sets(&t)[0]).to_string();
    // A rollout whose new pods never become ready: it stalls at old 8, new 5
    // (10 + 3 surge, at least 8 available).
    set_image(&t, "nginx:bad");
    for _ in 0..5 {
        t.settle(controllers());
    }
    let size = |name: &str| {
        t.get("replicasets", Some("default"), name)
            .map(|rs| c::int_at(&rs, "/spec/replicas", -1))
            .unwrap_or(-1)
    };
    let new_name = replica_sets(&t)
        .iter()
        .map(|rs| c::name(rs).to_string())
        .find(|n| *n != first)
        .expect("new rs");
    assert_eq!((size(&first), size(&new_name)), (8, 5));
    // Scale to 20: 25 allowed (20 + 5 surge), shared 8:5 -> 15 and 10.
    let mut d = t.get("deployments", Some("default"), "web").expect("d");
    d["spec"]["replicas"] = json!(20);
    t.update("deployments", d);
    let passes = t.settle(controllers());
    assert!(passes < 20, "settles ({passes} busy passes)");
    assert_eq!((size(&first), size(&new_name)), (15, 10));
    let events = t.events("default");
    assert!(
        events.contains(&format!(
            "ScalingReplicaSet: Scaled up replica set {first} from 8 to 15"
        )),
        "{events:?}"
    );
}

#[test]
fn a_fresh_controller_resyncing_mid_rollout_does_not_conflict_with_itself() {
    let t = TestCluster::new("deploy-resync");
    t.create("deployments", Some("default"), deployment(2, "nginx:1.27"));
    converge(&t);
    set_image(&t, "nginx:1.28");
    for _ in 0..5 {
        let mut fresh = DeploymentController::default();
        crate::runtime::settle_once(&mut fresh, t.c(), t.now, 0).expect("resync");
        let mut rs = ReplicaSetController::default();
        crate::runtime::settle_once(&mut rs, t.c(), t.now, 0).expect("rs resync");
        t.run_all("default");
    }
}

/// Overwrites a stored object as it is, bypassing the API server's checks (as a store
/// written by an older kubelite may hold it).
fn store_raw(t: &TestCluster, plural: &str, obj: &Value) {
    let r = crate::api::registry::find(plural).expect("resource");
    let key = r.storage_key(obj["metadata"]["namespace"].as_str(), c::name(obj));
    let mut stored = obj.clone();
    stored["metadata"]
        .as_object_mut()
        .expect("metadata")
        .remove("resourceVersion");
    let bytes = serde_json::to_vec(&stored).expect("json");
    t.c().server().put_unchecked(&key, &bytes);
}

#[test]
fn durations_beyond_any_timestamp_in_a_stored_deployment_do_not_panic() {
    let t = TestCluster::new("deploy-huge-durations");
    t.create("deployments", Some("default"), deployment(2, "nginx:1.27"));
    let mut d = t.get("deployments", Some("default"), "web").expect("d");
    d["spec"]["progressDeadlineSeconds"] = json!(i64::MAX);
    d["spec"]["strategy"]["rollingUpdate"] =
        json!({"maxSurge": "9223372036854775807%", "maxUnavailable": "-9223372036854775807%"});
    store_raw(&t, "deployments", &d);
    converge(&t);
    assert_eq!(live_pods(&t), 2);
    // Nothing the API server refuses to store stops the controllers: a rollout of a new
    // template goes through, and so does a Deployment whose update the server refuses.
    d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28");
    d["spec"]["minReadySeconds"] = json!(i64::MAX);
    d["spec"]["revisionHistoryLimit"] = json!(i64::MIN);
    store_raw(&t, "deployments", &d);
    converge(&t);
    assert!(live_pods(&t) >= 2);
}

#[test]
fn the_largest_deployment_rolls_out_in_bursts_within_int32() {
    let t = TestCluster::new("deploy-huge");
    let max = i64::from(i32::MAX);
    t.create(
        "deployments",
        Some("default"),
        deployment(max, "nginx:1.27"),
    );
    let pass = |t: &TestCluster| {
        let mut dc = DeploymentController::default();
        let mut rc = ReplicaSetController::default();
        crate::runtime::settle_once(&mut dc, t.c(), t.now, 0).expect("deployment sync");
        crate::runtime::settle_once(&mut rc, t.c(), t.now, 0).expect("replicaset sync");
    };
    pass(&t);
    assert_eq!(
        live_pods(&t),
        crate::controllers::replicaset::BURST_REPLICAS
    );
    assert_eq!(replica_sets(&t)[0]["spec"]["replicas"], max);
    // A new template: surge on top of int32's largest still asks for int32 sizes.
    set_image(&t, "nginx:1.28");
    pass(&t);
    pass(&t);
    let rss = replica_sets(&t);
    assert_eq!(rss.len(), 2);
    for rs in &rss {
        let n = rs["spec"]["replicas"].as_i64().expect("replicas");
        assert!((0..=max).contains(&n), "{n}");
    }
}
