use super::*;
use crate::api::options::WriteOptions;
use crate::client::Client;
use crate::controllers::testutil::TestCluster;
use crate::runtime::Component;
use std::collections::BTreeSet;

fn ds(extra_spec: Value) -> Value {
    let mut d = json!({
        "metadata": {"name": "agent", "namespace": "kube-system"},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "agent"}},
            "template": {"metadata": {"labels": {"k8s-app": "agent"}},
                         "spec": {"containers": [{"name": "a", "image": "agent:1"}]}},
        },
    });
    if let (Some(s), Some(extra)) = (
        d["spec"]["template"]["spec"].as_object_mut(),
        extra_spec.as_object(),
    ) {
        for (k, v) in extra {
            s.insert(k.clone(), v.clone());
        }
    }
    d
}

/// With the node controller, which lifts the not-ready taint new nodes are admitted with.
fn controllers() -> Vec<Box<dyn Component>> {
    vec![
        Box::new(DaemonSetController::default()),
        Box::new(crate::controllers::node_lifecycle::NodeLifecycleController::default()),
    ]
}

/// Where this test's DaemonSet (`agent`) runs; kube-system also holds the cluster's own
/// kube-proxy and static pods.
fn pods_by_node(t: &TestCluster) -> Vec<String> {
    let mut v: Vec<String> = agent_pods(t).iter().map(placement::node_of).collect();
    v.sort();
    v
}

fn agent_pods(t: &TestCluster) -> Vec<Value> {
    t.list("pods", Some("kube-system"))
        .into_iter()
        .filter(|p| c::name(p).starts_with("agent-"))
        .collect()
}

#[test]
fn one_pod_per_schedulable_node_pinned_and_tolerant() {
    let t = TestCluster::new("ds");
    t.create("daemonsets", Some("kube-system"), ds(json!({})));
    t.settle(controllers());
    // master's control-plane taint is not tolerated.
    assert_eq!(pods_by_node(&t), ["node01", "node02"]);
    let pod = &agent_pods(&t)[0];
    assert!(c::name(pod).starts_with("agent-"));
    assert_eq!(pod["metadata"]["ownerReferences"][0]["kind"], "DaemonSet");
    let hash = pod["metadata"]["labels"][HASH_LABEL]
        .as_str()
        .expect("hash");
    assert!((9..=10).contains(&hash.len()));
    assert_eq!(pod["metadata"]["labels"][GENERATION_LABEL], "1");
    let tols = pod["spec"]["tolerations"].to_string();
    for key in [
        "not-ready",
        "unreachable",
        "disk-pressure",
        "memory-pressure",
        "pid-pressure",
        "unschedulable",
    ] {
        assert!(
            tols.contains(&format!("node.kubernetes.io/{key}")),
            "{key}: {tols}"
        );
    }
    let term = &pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        ["nodeSelectorTerms"][0];
    assert_eq!(term["matchFields"][0]["key"], "metadata.name");
    let got = t
        .get("daemonsets", Some("kube-system"), "agent")
        .expect("ds");
    let s = &got["status"];
    assert_eq!(s["desiredNumberScheduled"], 2);
    assert_eq!(s["currentNumberScheduled"], 2);
    assert_eq!(s["numberMisscheduled"], 0);
    assert_eq!(s["numberReady"], 0);
    assert_eq!(s["numberUnavailable"], 2);
    let creates = t
        .list("events", Some("kube-system"))
        .iter()
        .filter(|e| e["reason"] == "SuccessfulCreate" && e["involvedObject"]["name"] == "agent")
        .count();
    assert_eq!(creates, 2);
    // Ready pods show in the status; a settled pass writes nothing.
    for (i, p) in agent_pods(&t).iter().enumerate() {
        t.run_pod(p, &placement::node_of(p), &format!("10.244.{}.5", i + 1));
    }
    t.settle(controllers());
    let got = t
        .get("daemonsets", Some("kube-system"), "agent")
        .expect("ds");
    assert_eq!(got["status"]["numberReady"], 2);
    assert_eq!(got["status"]["numberAvailable"], 2);
    assert!(got["status"].get("numberUnavailable").is_none());
    let mut dc = DaemonSetController::default();
    assert!(!crate::runtime::settle_once(&mut dc, t.c(), t.now, 0).expect("sync"));
}

#[test]
fn tolerating_the_control_plane_taint_and_selecting_nodes() {
    let t = TestCluster::new("ds-master");
    t.create(
        "daemonsets",
        Some("kube-system"),
        ds(json!({"tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]})),
    );
    t.settle(controllers());
    assert_eq!(pods_by_node(&t), ["master", "node01", "node02"]);
    let t2 = TestCluster::new("ds-select");
    t2.create(
        "daemonsets",
        Some("kube-system"),
        ds(json!({"nodeSelector": {"kubernetes.io/hostname": "node02"}})),
    );
    t2.settle(controllers());
    assert_eq!(pods_by_node(&t2), ["node02"]);
}

#[test]
fn a_template_change_rolls_pods_one_node_at_a_time() {
    let t = TestCluster::new("ds-roll");
    t.create("daemonsets", Some("kube-system"), ds(json!({})));
    t.settle(controllers());
    let run = |t: &TestCluster| {
        for (i, p) in agent_pods(t).iter().enumerate() {
            if p["status"]["phase"] != "Running" {
                t.run_pod(
                    p,
                    &placement::node_of(p),
                    &format!("10.244.{}.{}", i + 1, 10 + i),
                );
            }
        }
    };
    run(&t);
    t.settle(controllers());
    let old: BTreeSet<String> = t
        .list("pods", Some("kube-system"))
        .iter()
        .map(|p| c::name(p).to_string())
        .collect();
    let mut d = t
        .get("daemonsets", Some("kube-system"), "agent")
        .expect("ds");
    d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("agent:2");
    t.update("daemonsets", d);
    t.settle(controllers());
    let pods = agent_pods(&t);
    let replaced = pods.iter().filter(|p| !old.contains(c::name(p))).count();
    assert_eq!(replaced, 1, "one node at a time");
    for _ in 0..5 {
        run(&t);
        t.settle(controllers());
    }
    let pods = agent_pods(&t);
    assert_eq!(pods.len(), 2);
    assert!(
        pods.iter()
            .all(|p| p["spec"]["containers"][0]["image"] == "agent:2")
    );
    let got = t
        .get("daemonsets", Some("kube-system"), "agent")
        .expect("ds");
    assert_eq!(got["status"]["updatedNumberScheduled"], 2);
}

/// The projection a sync lists the namespace's pods with keeps all it reads of them.
#[test]
fn a_projected_daemon_pod_reads_the_same() {
    let pod = json!({
        "metadata": {"name": "agent-x", "namespace": "kube-system", "uid": "p",
            "creationTimestamp": "2026-11-29T00:00:00Z", "deletionTimestamp": "2026-11-29T00:01:00Z",
            "labels": {HASH_LABEL: "abc", "k8s-app": "agent"}, "managedFields": [{"manager": "m"}],
            "ownerReferences": [{"kind": "DaemonSet", "name": "agent", "uid": "d", "controller": true}]},
        "spec": {"containers": [{"name": "a", "image": "agent:1", "env": [{"name": "A"}]}],
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchFields": [
                    {"key": "metadata.name", "operator": "In", "values": ["node02"]}]}]}}},
            "volumes": [{"name": "v", "emptyDir": {}}]},
        "status": {"phase": "Running", "podIP": "10.0.0.1",
            "conditions": [{"type": "Ready", "status": "True",
                "lastTransitionTime": "2026-11-29T00:00:10Z"}],
            "containerStatuses": [{"name": "a", "ready": true}]}
    });
    let now = crate::clock::parse_timestamp("2026-11-29T00:00:30Z").expect("time");
    let read = |p: &Value| {
        (
            c::controller_uid(p, "DaemonSet").map(str::to_string),
            c::is_terminating(p),
            placement::node_of(p),
            c::time_at(p, "/metadata/creationTimestamp"),
            c::name(p).to_string(),
            c::str_at(p, "/status/phase").to_string(),
            c::pod_is_ready(p),
            c::pod_is_available(p, 10, now),
            c::available_at(p, 60),
            c::str_at(p, &format!("/metadata/labels/{HASH_LABEL}")).to_string(),
        )
    };
    let bytes = serde_json::to_vec(&pod).expect("encode");
    let projected = crate::apiserver::project::decode(&bytes, &DAEMON_POD).expect("decode");
    assert!(projected.pointer("/spec/volumes").is_none());
    assert_eq!(read(&projected), read(&pod));
    assert_eq!(read(&pod).2, "node02");
}

fn node_change(kind: &'static str, labels: Value, taints: Value, heartbeat: &str) -> WatchEvent {
    WatchEvent {
        kind,
        object: json!({
            "metadata": {"name": "node01", "labels": labels},
            "spec": {"taints": taints},
            "status": {"conditions": [{"type": "Ready", "status": "True",
                "lastHeartbeatTime": heartbeat}]},
        }),
    }
}

/// A node's heartbeat (its status rewritten) does not wake the DaemonSets once this
/// process has seen the node; a change of its labels or taints, or its deletion, does.
#[test]
fn only_node_changes_placement_reads_matter() {
    let mut r = DaemonSets::default();
    let labels = json!({"kubernetes.io/os": "linux"});
    let taint = json!([{"key": "example.com/drain", "effect": "NoSchedule"}]);
    let change = |kind, labels: &Value, taints: &Value, beat| {
        node_change(kind, labels.clone(), taints.clone(), beat)
    };
    // The first change this process sees of a node: nothing to compare it with.
    assert!(r.matters("nodes", &change("MODIFIED", &labels, &json!(null), "t1")));
    assert!(!r.matters("nodes", &change("MODIFIED", &labels, &json!(null), "t2")));
    assert!(r.matters("nodes", &change("MODIFIED", &labels, &taint, "t3")));
    assert!(!r.matters("nodes", &change("MODIFIED", &labels, &taint, "t4")));
    // The taint lifted again.
    assert!(r.matters("nodes", &change("MODIFIED", &labels, &json!(null), "t5")));
    let relabelled = json!({"kubernetes.io/os": "linux", "disk": "ssd"});
    assert!(r.matters(
        "nodes",
        &change("MODIFIED", &relabelled, &json!(null), "t6")
    ));
    assert!(r.matters("nodes", &change("DELETED", &relabelled, &json!(null), "t6")));
    // Made again with the same labels: new to this process.
    assert!(r.matters("nodes", &change("ADDED", &relabelled, &json!(null), "t7")));
    // Other kinds' changes are not looked at.
    assert!(r.matters("pods", &change("MODIFIED", &relabelled, &json!(null), "t8")));
}

fn list_revision(t: &TestCluster) -> i64 {
    let r = crate::api::registry::find("nodes").expect("nodes");
    let list = t.c().list(r, None, &ListOptions::default()).expect("list");
    c::str_at(&list, "/metadata/resourceVersion")
        .parse()
        .expect("revision")
}

fn live_agent_nodes(t: &TestCluster) -> Vec<String> {
    let mut v: Vec<String> = agent_pods(t)
        .iter()
        .filter(|p| !c::is_terminating(p))
        .map(placement::node_of)
        .collect();
    v.sort();
    v
}

/// One controller kept across passes, as in serve: heartbeats pass over it, and a taint
/// put on a node after them still takes the daemon pod off that node.
#[test]
fn a_taint_after_heartbeats_still_moves_the_daemon_pod() {
    let t = TestCluster::new("ds-beats");
    t.create("daemonsets", Some("kube-system"), ds(json!({})));
    t.settle(controllers());
    assert_eq!(live_agent_nodes(&t), ["node01", "node02"]);
    let nodes = crate::api::registry::find("nodes").expect("nodes");
    let beat = |i: usize| {
        let mut n = t.get("nodes", None, "node01").expect("node");
        n["status"]["conditions"] = json!([{"type": "Ready", "status": "True",
            "lastHeartbeatTime": format!("2026-11-29T01:00:0{i}Z")}]);
        t.c()
            .update_status(nodes, None, "node01", n, &WriteOptions::default())
            .expect("heartbeat");
    };
    let mut dc = DaemonSetController::default();
    let pass = |dc: &mut DaemonSetController, since: i64| {
        crate::runtime::settle_once(dc, t.c(), t.now, since).expect("sync")
    };
    let mut since = list_revision(&t);
    for i in 0..3 {
        beat(i);
        pass(&mut dc, since);
        since = list_revision(&t);
    }
    let mut n = t.get("nodes", None, "node01").expect("node");
    n["spec"]["taints"] = json!([{"key": "example.com/drain", "effect": "NoExecute"}]);
    t.update("nodes", n);
    assert!(pass(&mut dc, since), "the taint woke the DaemonSet");
    assert_eq!(live_agent_nodes(&t), ["node02"]);
}
