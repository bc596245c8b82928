use super::*;
use crate::controllers::replicaset::ReplicaSetController;
use crate::controllers::testutil::TestCluster;
use crate::runtime::Component;

fn controllers() -> Vec<Box<dyn Component>> {
    vec![
        Box::new(ReplicaSetController::default()),
        Box::new(DisruptionController::default()),
    ]
}

fn rs(replicas: i64) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
    })
}

fn pdb(spec: Value) -> Value {
    json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
           "metadata": {"name": "budget", "namespace": "default"}, "spec": spec})
}

fn status(t: &TestCluster) -> Value {
    t.get("poddisruptionbudgets", Some("default"), "budget")
        .expect("pdb")["status"]
        .clone()
}

#[test]
fn min_available_counts_ready_pods() {
    let t = TestCluster::new("pdb-min");
    t.create("replicasets", Some("default"), rs(3));
    t.create(
        "poddisruptionbudgets",
        Some("default"),
        pdb(json!({"minAvailable": 2, "selector": {"matchLabels": {"app": "web"}}})),
    );
    t.settle(controllers());
    let s = status(&t);
    assert_eq!(
        (
            &s["expectedPods"],
            &s["desiredHealthy"],
            &s["currentHealthy"],
            &s["disruptionsAllowed"]
        ),
        (&json!(3), &json!(2), &json!(0), &json!(0))
    );
    assert_eq!(s["conditions"][0]["reason"], "InsufficientPods");
    assert_eq!(s["conditions"][0]["status"], "False");
    assert_eq!(s["observedGeneration"], 1);
    t.run_all("default");
    t.settle(controllers());
    let s = status(&t);
    assert_eq!(
        (&s["currentHealthy"], &s["disruptionsAllowed"]),
        (&json!(3), &json!(1))
    );
    assert_eq!(s["conditions"][0]["reason"], "SufficientPods");
    assert_eq!(s["conditions"][0]["status"], "True");
}

#[test]
fn max_unavailable_percent_uses_the_controllers_scale() {
    let t = TestCluster::new("pdb-max");
    t.create("replicasets", Some("default"), rs(4));
    t.create(
        "poddisruptionbudgets",
        Some("default"),
        pdb(json!({"maxUnavailable": "30%", "selector": {"matchLabels": {"app": "web"}}})),
    );
    t.settle(controllers());
    t.run_all("default");
    t.settle(controllers());
    let s = status(&t);
    // 30% of 4 rounds up to 2 unavailable: 2 must stay healthy.
    assert_eq!(
        (
            &s["expectedPods"],
            &s["desiredHealthy"],
            &s["disruptionsAllowed"]
        ),
        (&json!(4), &json!(2), &json!(2))
    );
}

#[test]
fn recorded_evictions_expire_after_two_minutes() {
    let mut t = TestCluster::new("pdb-disrupted");
    t.create("replicasets", Some("default"), rs(2));
    t.create(
        "poddisruptionbudgets",
        Some("default"),
        pdb(json!({"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}})),
    );
    t.settle(controllers());
    t.run_all("default");
    t.settle(controllers());
    let pod = t.list("pods", Some("default"))[0].clone();
    let mut budget = t
        .get("poddisruptionbudgets", Some("default"), "budget")
        .expect("pdb");
    budget["status"]["disruptedPods"] = json!({ c::name(&pod): timestamp(t.now) });
    let r = registry::find("poddisruptionbudgets").expect("pdb");
    crate::client::Client::update_status(
        t.c(),
        r,
        Some("default"),
        "budget",
        budget,
        &Default::default(),
    )
    .expect("status");
    t.settle(controllers());
    let s = status(&t);
    assert_eq!(
        (&s["currentHealthy"], &s["disruptionsAllowed"]),
        (&json!(1), &json!(0))
    );
    t.advance(121);
    t.settle(controllers());
    let s = status(&t);
    assert_eq!(
        (&s["currentHealthy"], &s["disruptionsAllowed"]),
        (&json!(2), &json!(1))
    );
    assert!(s.get("disruptedPods").is_none(), "{s}");
}
