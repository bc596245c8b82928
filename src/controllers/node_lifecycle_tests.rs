use super::*;
use crate::client::Client;
use crate::controllers::testutil::TestCluster;
use crate::runtime::Component;
use crate::runtime::events::micro_time;

fn controllers() -> Vec<Box<dyn Component>> {
    vec![Box::new(NodeLifecycleController::default())]
}

/// Plays the kubelets of these nodes: renew their Leases now.
fn renew(t: &TestCluster, nodes: &[&str]) {
    let r = crate::api::registry::find("leases").expect("leases");
    for n in nodes {
        let lease = json!({"metadata": {"name": n, "namespace": "kube-node-lease"},
                           "spec": {"holderIdentity": n, "leaseDurationSeconds": 40,
                                    "renewTime": micro_time(t.now)}});
        match t.c().get(r, Some("kube-node-lease"), n) {
            Ok(_) => {
                t.c()
                    .update(
                        r,
                        Some("kube-node-lease"),
                        n,
                        lease,
                        &WriteOptions::default(),
                    )
                    .expect("renew");
            }
            Err(_) => {
                t.create("leases", Some("kube-node-lease"), lease);
            }
        }
    }
}

fn pod_on(t: &TestCluster, name: &str, tolerations: Value) -> Value {
    pod_on_node(t, "node02", name, tolerations)
}

fn pod_on_node(t: &TestCluster, node: &str, name: &str, tolerations: Value) -> Value {
    let mut p = json!({"metadata": {"name": name},
                       "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]}});
    if !tolerations.is_null() {
        p["spec"]["tolerations"] = tolerations;
    }
    let p = t.create("pods", Some("default"), p);
    t.run_pod(&p, node, "10.244.2.9");
    p
}

fn taints(t: &TestCluster, node: &str) -> Vec<String> {
    let n = t.get("nodes", None, node).expect("node");
    n["spec"]["taints"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    format!(
                        "{}:{}",
                        t["key"].as_str().unwrap_or(""),
                        t["effect"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn exists(t: &TestCluster, pod: &str) -> bool {
    t.get("pods", Some("default"), pod).is_some()
}

#[test]
fn a_silent_node_goes_unknown_and_its_pods_are_evicted_on_time() {
    let mut t = TestCluster::new("node-fail");
    let all = ["master", "node01", "node02"];
    renew(&t, &all);
    pod_on(&t, "default-tolerations", Value::Null);
    pod_on(
        &t,
        "forever",
        json!([{"key": UNREACHABLE, "operator": "Exists", "effect": "NoExecute"}]),
    );
    pod_on(
        &t,
        "ten-seconds",
        json!([{"key": UNREACHABLE, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10}]),
    );
    // On a healthy node: neither marked nor evicted.
    pod_on_node(&t, "node01", "bystander", json!([]));
    t.settle(controllers());

    t.advance(30);
    renew(&t, &["master", "node01"]);
    t.settle(controllers());
    assert!(taints(&t, "node02").is_empty());

    t.advance(10);
    renew(&t, &["master", "node01"]);
    t.settle(controllers());
    let node = t.get("nodes", None, "node02").expect("node02");
    for cond in node["status"]["conditions"].as_array().expect("conditions") {
        assert_eq!(cond["status"], "Unknown");
        assert_eq!(cond["reason"], "NodeStatusUnknown");
        assert_eq!(cond["message"], "Kubelet stopped posting node status.");
    }
    assert_eq!(
        taints(&t, "node02"),
        [
            format!("{UNREACHABLE}:NoSchedule"),
            format!("{UNREACHABLE}:NoExecute")
        ]
    );
    assert!(taints(&t, "node01").is_empty());
    let events = t.events("default");
    assert!(
        events.contains(&"NodeNotReady: Node node02 status is now: NodeNotReady".to_string()),
        "{events:?}"
    );
    assert!(events.contains(&"NodeNotReady: Node is not ready".to_string()));
    let p = t.get("pods", Some("default"), "forever").expect("pod");
    assert!(!c::pod_is_ready(&p));
    assert!(exists(&t, "ten-seconds"));

    t.advance(10);
    renew(&t, &["master", "node01"]);
    t.settle(controllers());
    assert!(!exists(&t, "ten-seconds"));
    assert!(exists(&t, "default-tolerations"));
    assert!(t.events("default").contains(
        &"TaintManagerEviction: Marking for deletion Pod default/ten-seconds".to_string()
    ));

    // The default 300 s tolerations (added at admission) run out 300 s after the taint.
    t.advance(289);
    renew(&t, &["master", "node01"]);
    t.settle(controllers());
    assert!(exists(&t, "default-tolerations"));
    t.advance(1);
    renew(&t, &["master", "node01"]);
    t.settle(controllers());
    assert!(!exists(&t, "default-tolerations"));
    assert!(exists(&t, "forever"));
    let bystander = t
        .get("pods", Some("default"), "bystander")
        .expect("bystander");
    assert!(c::pod_is_ready(&bystander));

    // The kubelet comes back: fresh lease and Ready=True; the taints go.
    renew(&t, &all);
    let mut n = t.get("nodes", None, "node02").expect("node");
    for cond in n["status"]["conditions"].as_array_mut().expect("conds") {
        let ready = cond["type"] == "Ready";
        cond["status"] = json!(if ready { "True" } else { "False" });
    }
    let r = crate::api::registry::find("nodes").expect("nodes");
    t.c()
        .update_status(r, None, "node02", n, &WriteOptions::default())
        .expect("status");
    t.settle(controllers());
    assert!(taints(&t, "node02").is_empty());
}

#[test]
fn next_due_is_when_the_first_lease_goes_stale() {
    let t = TestCluster::new("node-due");
    renew(&t, &["master", "node01", "node02"]);
    // The first pass removes the not-ready:NoSchedule taint nodes are admitted with.
    let mut nc = NodeLifecycleController::default();
    assert!(crate::runtime::settle_once(&mut nc, t.c(), t.now, 0).expect("sync"));
    assert!(taints(&t, "node01").is_empty());
    assert_eq!(
        taints(&t, "master"),
        ["node-role.kubernetes.io/control-plane:NoSchedule"]
    );
    assert!(!crate::runtime::settle_once(&mut nc, t.c(), t.now, 0).expect("sync"));
    assert_eq!(
        nc.next_due(),
        Some(t.now + Duration::seconds(GRACE_SECONDS))
    );
}

#[test]
fn tolerations_match_by_key_effect_and_operator() {
    use super::eviction::tolerates;
    let taint = json!({"key": UNREACHABLE, "effect": "NoExecute"});
    assert!(tolerates(&json!({"operator": "Exists"}), &taint));
    assert!(tolerates(
        &json!({"key": UNREACHABLE, "operator": "Exists"}),
        &taint
    ));
    assert!(!tolerates(
        &json!({"key": UNREACHABLE, "operator": "Exists", "effect": "NoSchedule"}),
        &taint
    ));
    assert!(!tolerates(
        &json!({"key": NOT_READY, "operator": "Exists"}),
        &taint
    ));
    assert!(tolerates(
        &json!({"key": "k", "value": "v"}),
        &json!({"key": "k", "value": "v", "effect": "NoExecute"})
    ));
    assert!(!tolerates(
        &json!({"key": "k", "value": "w"}),
        &json!({"key": "k", "value": "v", "effect": "NoExecute"})
    ));
}

#[test]
fn a_cordoned_node_gets_the_unschedulable_taint_until_uncordoned() {
    let t = TestCluster::new("node-cordon");
    renew(&t, &["master", "node01", "node02"]);
    t.settle(controllers());
    let mut n = t.get("nodes", None, "node01").expect("node");
    n["spec"]["unschedulable"] = json!(true);
    t.update("nodes", n);
    t.settle(controllers());
    assert_eq!(
        taints(&t, "node01"),
        [format!("{UNSCHEDULABLE}:NoSchedule")]
    );
    let mut n = t.get("nodes", None, "node01").expect("node");
    if let Some(spec) = n["spec"].as_object_mut() {
        spec.remove("unschedulable");
    }
    t.update("nodes", n);
    t.settle(controllers());
    assert!(taints(&t, "node01").is_empty());
}

#[test]
fn toleration_seconds_beyond_a_timestamp_tolerate_forever() {
    let now = crate::controllers::testutil::start();
    let taint =
        json!({"key": UNREACHABLE, "effect": "NoExecute", "timeAdded": "2026-11-29T01:00:00Z"});
    let pod = |secs: Value| {
        json!({"spec": {"tolerations": [{"key": UNREACHABLE, "operator": "Exists",
            "effect": "NoExecute", "tolerationSeconds": secs}]}})
    };
    let at = |p: &Value| eviction::eviction_time(p, &[&taint], now);
    assert_eq!(at(&pod(json!(i64::MAX))), None);
    assert_eq!(at(&pod(json!(9_000_000_000_000_000_i64))), None);
    assert_eq!(at(&pod(json!(i64::MIN))), Some(now));
    assert_eq!(at(&pod(json!(60))), Some(now + Duration::seconds(60)));
}
