use super::*;
use crate::clock::Clock;
use crate::runtime::settle_once;
use chrono::Duration;

struct Dir(std::path::PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cluster(tag: &str) -> (Dir, crate::client::Embedded, DateTime<Utc>) {
    let dir = std::env::temp_dir().join(format!("kubelite-kubelet-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let t0 = parse_timestamp("2026-11-29T01:42:16Z").unwrap_or_default();
    let client =
        crate::embedded::open_in(&dir, Clock::Fixed(t0), 2).unwrap_or_else(|e| panic!("{e}"));
    (Dir(dir), client, t0)
}

/// Runs the kubelets alone until they write nothing (as the settle loop does).
fn settle(k: &mut Kubelets, client: &dyn Client, now: DateTime<Utc>, since: &mut i64) {
    let pods = resource("pods").ok();
    for _ in 0..20 {
        let start = pods
            .and_then(|r| client.list(r, None, &ListOptions::default()).ok())
            .and_then(|l| {
                l.pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse().ok())
            })
            .unwrap_or(0);
        let wrote = settle_once(k, client, now, *since).unwrap_or_else(|e| panic!("{}", e.message));
        *since = start;
        if !wrote {
            return;
        }
    }
    panic!("the kubelets never settled");
}

fn create_pod(client: &dyn Client, name: &str, node: &str, annotations: Value) {
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "annotations": annotations},
        "spec": {"nodeName": node, "containers": [{"name": "nginx", "image": "nginx"}]}});
    let pods = resource("pods").unwrap_or_else(|e| panic!("{}", e.message));
    client
        .create(pods, Some("default"), pod, &WriteOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.message));
}

fn get(client: &dyn Client, plural: &str, ns: Option<&str>, name: &str) -> Value {
    let r = resource(plural).unwrap_or_else(|e| panic!("{}", e.message));
    client
        .get(r, ns, name)
        .unwrap_or_else(|e| panic!("{}", e.message))
}

#[test]
fn pods_run_with_addresses_events_and_static_pods() {
    let (_dir, client, t0) = cluster("run");
    let mut k = Kubelets::new();
    let mut since = 0;
    settle(&mut k, &client, t0, &mut since);
    for c in static_pods::COMPONENTS {
        let p = get(&client, "pods", Some("kube-system"), &format!("{c}-master"));
        assert_eq!(p["status"]["phase"], "Running", "{c}");
        assert_eq!(p["status"]["podIP"], "192.168.56.10");
    }
    let lease = get(&client, "leases", Some(LEASE_NAMESPACE), "node01");
    assert_eq!(lease["spec"]["holderIdentity"], "node01");

    let mut k = Kubelets::new();
    create_pod(&client, "a", "node01", json!({}));
    create_pod(&client, "b", "node01", json!({}));
    settle(&mut k, &client, t0, &mut since);
    let a = get(&client, "pods", Some("default"), "a");
    let b = get(&client, "pods", Some("default"), "b");
    assert_eq!(a["status"]["phase"], "Running");
    assert_eq!(a["status"]["podIP"], "10.244.1.2");
    assert_eq!(b["status"]["podIP"], "10.244.1.3");
    assert_eq!(a["status"]["hostIP"], "192.168.56.11");
    let events = resource("events").unwrap_or_else(|e| panic!("{}", e.message));
    let opts = ListOptions {
        field_selector: Some(format!(
            "involvedObject.uid={}",
            str_at(&a, "/metadata/uid")
        )),
        ..Default::default()
    };
    let mut list = crate::runtime::items(
        client
            .list(events, Some("default"), &opts)
            .unwrap_or_default(),
    );
    // In the order they were recorded.
    list.sort_by_key(|e| {
        str_at(e, "/metadata/resourceVersion")
            .parse::<i64>()
            .unwrap_or(0)
    });
    let reasons: Vec<&str> = list.iter().map(|e| str_at(e, "/reason")).collect();
    assert_eq!(reasons, ["Pulling", "Pulled", "Created", "Started"]);
    assert_eq!(
        list[0]["source"],
        json!({"component": "kubelet", "host": "node01"})
    );

    // A mirror pod deleted is created again.
    let pods = resource("pods").unwrap_or_else(|e| panic!("{}", e.message));
    client
        .delete(
            pods,
            Some("kube-system"),
            "etcd-master",
            &DeleteOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
    let mut k = Kubelets::new();
    settle(&mut k, &client, t0, &mut since);
    let etcd = get(&client, "pods", Some("kube-system"), "etcd-master");
    assert_eq!(etcd["status"]["phase"], "Running");
}

/// A new process's kubelets learn the addresses earlier processes gave out (each node's
/// from its own pods) before they give out one.
#[test]
fn a_later_process_gives_out_only_addresses_not_held() {
    let (_dir, client, t0) = cluster("ips");
    let mut since = 0;
    settle(&mut Kubelets::new(), &client, t0, &mut since);
    create_pod(&client, "a", "node01", json!({}));
    create_pod(&client, "b", "node02", json!({}));
    settle(&mut Kubelets::new(), &client, t0, &mut since);
    create_pod(&client, "c", "node01", json!({}));
    create_pod(&client, "d", "node02", json!({}));
    settle(&mut Kubelets::new(), &client, t0, &mut since);
    let ip = |name: &str| get(&client, "pods", Some("default"), name)["status"]["podIP"].clone();
    assert_eq!(
        [ip("a"), ip("c"), ip("b"), ip("d")],
        ["10.244.1.2", "10.244.1.3", "10.244.2.2", "10.244.2.3"]
    );
}

#[test]
fn a_stopped_kubelet_does_not_renew_its_lease() {
    let (_dir, client, t0) = cluster("stop");
    let mut since = 0;
    settle(&mut Kubelets::new(), &client, t0, &mut since);
    set_running(&client, "node02", false).unwrap_or_else(|e| panic!("{}", e.message));
    create_pod(&client, "late", "node02", json!({}));
    let later = t0 + Duration::seconds(40);
    let mut k = Kubelets::new();
    settle(&mut k, &client, later, &mut since);
    let l1 = get(&client, "leases", Some(LEASE_NAMESPACE), "node01");
    let l2 = get(&client, "leases", Some(LEASE_NAMESPACE), "node02");
    assert_eq!(l1["spec"]["renewTime"], "2026-11-29T01:42:56.000000Z");
    assert_eq!(l2["spec"]["renewTime"], "2026-11-29T01:42:16.000000Z");
    assert_eq!(
        get(&client, "pods", Some("default"), "late")["status"]["phase"],
        "Pending"
    );
    assert_eq!(k.next_due(), Some(later + Duration::seconds(10)));

    set_running(&client, "node02", true).unwrap_or_else(|e| panic!("{}", e.message));
    settle(&mut Kubelets::new(), &client, later, &mut since);
    let l2 = get(&client, "leases", Some(LEASE_NAMESPACE), "node02");
    assert_eq!(l2["spec"]["renewTime"], "2026-11-29T01:42:56.000000Z");
    assert_eq!(
        get(&client, "pods", Some("default"), "late")["status"]["phase"],
        "Running"
    );
}

#[test]
fn a_crash_loop_continues_in_later_commands() {
    let (_dir, client, t0) = cluster("crash");
    let mut since = 0;
    settle(&mut Kubelets::new(), &client, t0, &mut since);
    create_pod(
        &client,
        "crash",
        "node01",
        json!({"kubelite.io/exit-code": "1"}),
    );
    let mut k = Kubelets::new();
    settle(&mut k, &client, t0, &mut since);
    let p = get(&client, "pods", Some("default"), "crash");
    assert_eq!(p["status"]["containerStatuses"][0]["restartCount"], 1);
    assert_eq!(k.next_due(), Some(t0 + Duration::seconds(10)));
    // A new process at the due instant finds the pod through the lease's note.
    let mut k = Kubelets::new();
    settle(&mut k, &client, t0 + Duration::seconds(10), &mut since);
    let p = get(&client, "pods", Some("default"), "crash");
    assert_eq!(p["status"]["containerStatuses"][0]["restartCount"], 2);
    assert_eq!(k.next_due(), Some(t0 + Duration::seconds(20)));
}

#[test]
fn a_running_kubelet_corrects_an_unknown_node_at_once() {
    let (_dir, client, t0) = cluster("unknown");
    let mut since = 0;
    settle(&mut Kubelets::new(), &client, t0, &mut since);
    let nodes = resource("nodes").unwrap_or_else(|e| panic!("{}", e.message));
    let mut node = get(&client, "nodes", None, "node01");
    node["status"]["conditions"][3]["status"] = json!("Unknown");
    node["status"]["conditions"][3]["reason"] = json!("NodeStatusUnknown");
    client
        .update_status(nodes, None, "node01", node, &WriteOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.message));
    let later = t0 + Duration::seconds(3);
    settle(&mut Kubelets::new(), &client, later, &mut since);
    let node = get(&client, "nodes", None, "node01");
    assert_eq!(node["status"]["conditions"][3]["status"], "True");
    assert_eq!(
        node["status"]["conditions"][3]["lastHeartbeatTime"],
        "2026-11-29T01:42:19Z"
    );
    // The lease was not due: only the status was posted.
    let lease = get(&client, "leases", Some(LEASE_NAMESPACE), "node01");
    assert_eq!(lease["spec"]["renewTime"], "2026-11-29T01:42:16.000000Z");
}

#[test]
fn a_pod_with_a_run_duration_ends_when_its_time_is_up() {
    let (_dir, client, t0) = cluster("run-duration");
    let mut since = 0;
    settle(&mut Kubelets::new(), &client, t0, &mut since);
    create_pod(
        &client,
        "batch",
        "node01",
        json!({"kubelite.io/run-duration": "45s", "kubelite.io/exit-code": "2"}),
    );
    settle(&mut Kubelets::new(), &client, t0, &mut since);
    let p = get(&client, "pods", Some("default"), "batch");
    assert_eq!(p["status"]["phase"], "Running");
    assert_eq!(p["status"]["containerStatuses"][0]["restartCount"], 0);
    // A later command, past the run time: the container ended at its due instant, and
    // (restartPolicy Always) runs again.
    let later = t0 + Duration::seconds(100);
    settle(&mut Kubelets::new(), &client, later, &mut since);
    let p = get(&client, "pods", Some("default"), "batch");
    assert_eq!(p["status"]["containerStatuses"][0]["restartCount"], 1);
    let term = &p["status"]["containerStatuses"][0]["lastState"]["terminated"];
    assert_eq!(term["exitCode"], 2);
    assert_eq!(
        term["finishedAt"],
        crate::clock::timestamp(t0 + Duration::seconds(45))
    );
}

/// A server's settle reads the change log a window at a time: while it works through a
/// backlog, a pass's changes hold older versions of the Leases the kubelets wrote since.
/// The kubelets keep what they wrote and go on renewing (taking the old versions made every
/// renewal a conflict, and at 100,000 pods every node went NotReady).
#[test]
fn a_pass_reading_an_old_window_does_not_stop_the_heartbeats() {
    let (_dir, client, t0) = cluster("window");
    let mut since = 0;
    let mut k = Kubelets::new();
    settle(&mut k, &client, t0, &mut since);
    let first = client
        .server()
        .recent_revision()
        .unwrap_or_else(|e| panic!("{}", e.message));
    settle(&mut k, &client, t0 + Duration::seconds(10), &mut since);
    let renewed = |client: &crate::client::Embedded| {
        get(client, "leases", Some(LEASE_NAMESPACE), "node01")["spec"]["renewTime"].clone()
    };
    assert_eq!(renewed(&client), "2026-11-29T01:42:26.000000Z");
    // A pass whose window ends before those renewals (it reads the first Leases again).
    let ctx = Context {
        client: &client,
        now: t0 + Duration::seconds(20),
        since: 1,
        pass: 0,
        shared: crate::runtime::PassShared::upto(first, std::rc::Rc::default()),
    };
    k.sync(&ctx).unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(renewed(&client), "2026-11-29T01:42:36.000000Z");
}

#[test]
fn a_full_resync_gives_addresses_in_namespace_then_name_order() {
    let (_dir, client, t0) = cluster("resync-order");
    let w = WriteOptions::default();
    let r = |plural: &str| resource(plural).unwrap_or_else(|e| panic!("{}", e.message));
    // `web-2/x` comes before `web/y` in the store's key order ('-' sorts before '/').
    for (namespace, name) in [("web-2", "x"), ("web", "y")] {
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}});
        client
            .create(r("namespaces"), None, ns, &w)
            .unwrap_or_else(|e| panic!("{}", e.message));
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"nodeName": "node01", "containers": [{"name": "c", "image": "nginx"}]}});
        client
            .create(r("pods"), Some(namespace), pod, &w)
            .unwrap_or_else(|e| panic!("{}", e.message));
    }
    let mut k = Kubelets::new();
    let mut since = 0;
    settle(&mut k, &client, t0, &mut since);
    let ip = |ns: &str, name: &str| get(&client, "pods", Some(ns), name)["status"]["podIP"].clone();
    assert_eq!(ip("web", "y"), "10.244.1.2");
    assert_eq!(ip("web-2", "x"), "10.244.1.3");
}
