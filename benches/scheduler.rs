//! Scheduler benchmarks (release build: `cargo bench --bench scheduler`). Target: the
//! filter+score+bind loop places at least 10,000 pods/s on 1,000 nodes.
//!
//! 1. The algorithm alone: 1,000 nodes and 20,000 pods already parsed in memory, every pod
//!    filtered and scored against every node, each binding recorded in a Vec and counted on
//!    its node before the next pod.
//! 2. End to end: a cluster with 1,000 worker nodes in a redb file, pods created through the
//!    API server in one commit, then one scheduler pass (list, parse, place, `pods/binding`,
//!    `Scheduled` event per pod). Binding alone and event recording alone are timed too, to
//!    show where that path spends its time.

use chrono::{DateTime, Utc};
use kubelite::api::options::{ListOptions, WriteOptions};
use kubelite::api::registry;
use kubelite::client::{Client, NewObject};
use kubelite::clock::Clock;
use kubelite::runtime::events::{NewEvent, Reporter, record};
use kubelite::runtime::{Checkpoint, Context, settle_once};
use kubelite::scheduler::Scheduler;
use kubelite::scheduler::framework::schedule_one;
use kubelite::scheduler::model::{NodeInfo, PodInfo, Readiness, Resources, Taint, Toleration};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const NODES: usize = 1000;
const GI: i64 = 1024 * 1024 * 1024;

fn node(i: usize) -> NodeInfo {
    let mut labels = BTreeMap::new();
    labels.insert("kubernetes.io/hostname".to_string(), format!("node{i:04}"));
    labels.insert("zone".to_string(), format!("zone-{}", i % 3));
    let mut taints = Vec::new();
    if i.is_multiple_of(100) {
        taints.push(Taint {
            key: "dedicated".into(),
            value: "infra".into(),
            effect: "NoSchedule".into(),
        });
    }
    NodeInfo {
        name: format!("node{i:04}"),
        labels,
        taints,
        unschedulable: i % 250 == 7,
        readiness: Readiness::Ready,
        allocatable: Resources {
            milli_cpu: 16_000,
            memory: 64 * GI,
        },
        allowed_pods: 110,
        requested: Resources::default(),
        non_zero_requested: Resources::default(),
        pod_count: 0,
    }
}

fn pod(i: usize) -> PodInfo {
    let requests = Resources {
        milli_cpu: 100 + (i % 5) as i64 * 50,
        memory: (128 + (i % 7) as i64 * 64) * 1024 * 1024,
    };
    let default_toleration = |key: &str| Toleration {
        key: key.into(),
        exists: true,
        value: String::new(),
        effect: "NoExecute".into(),
    };
    PodInfo {
        namespace: "default".into(),
        name: format!("pod-{i:05}"),
        uid: format!("uid-{i}"),
        priority: 0,
        created: "2026-11-29T01:42:16Z".into(),
        requests,
        non_zero_requests: requests,
        node_selector: if i.is_multiple_of(10) {
            vec![("zone".into(), "zone-1".into())]
        } else {
            Vec::new()
        },
        required_terms: None,
        tolerations: vec![
            default_toleration("node.kubernetes.io/not-ready"),
            default_toleration("node.kubernetes.io/unreachable"),
        ],
        never_preempts: false,
        volume_nodes: None,
        ..Default::default()
    }
}

fn algorithm(pods: usize) -> Duration {
    let mut nodes: Vec<NodeInfo> = (0..NODES).map(node).collect();
    let queue: Vec<PodInfo> = (0..pods).map(pod).collect();
    let mut bindings: Vec<(usize, usize)> = Vec::with_capacity(pods);
    let start = Instant::now();
    for (p, info) in queue.iter().enumerate() {
        if let Ok(n) = schedule_one(info, &nodes, None) {
            nodes[n].add_pod(info);
            bindings.push((p, n));
        }
    }
    let took = start.elapsed();
    assert_eq!(bindings.len(), pods, "every pod fits somewhere");
    let busiest = nodes.iter().map(|n| n.pod_count).max().unwrap_or(0);
    let idlest = nodes
        .iter()
        .filter(|n| n.taints.is_empty() && !n.unschedulable)
        .map(|n| n.pod_count)
        .min()
        .unwrap_or(0);
    println!("  spread: {idlest}..{busiest} pods per schedulable node");
    took
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-29T01:42:16Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn pod_objects(prefix: &str, n: usize) -> Vec<NewObject> {
    let pods = registry::find("pods").unwrap_or_else(|| panic!("no pods resource"));
    (0..n)
        .map(|i| NewObject {
            resource: pods,
            namespace: Some("default".into()),
            object: json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": format!("{prefix}-{i:05}")},
                "spec": {"containers": [{"name": "app", "image": "nginx", "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}
            }),
        })
        .collect()
}

/// A fresh cluster of 1,000 workers with the admission's not-ready taint removed (the node
/// lifecycle controller's job), and `n` pods created in one commit.
fn cluster(tag: &str, n: usize) -> (std::path::PathBuf, kubelite::client::Embedded, i64) {
    let dir = std::env::temp_dir().join(format!(
        "kubelite-bench-scheduler-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let client = kubelite::embedded::open_in(&dir, Clock::Fixed(now()), NODES)
        .unwrap_or_else(|e| panic!("{e}"));
    let nodes = registry::find("nodes").unwrap_or_else(|| panic!("no nodes resource"));
    let list = client
        .list(nodes, None, &ListOptions::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    for mut node in kubelite::runtime::items(list) {
        let name = node["metadata"]["name"].as_str().unwrap_or("").to_string();
        if name != "master" {
            node["spec"]["taints"] = json!([]);
            client
                .update(nodes, None, &name, node, &WriteOptions::default())
                .unwrap_or_else(|e| panic!("{e:?}"));
        }
    }
    let since = client.server().revision().unwrap_or(0);
    for r in client.create_many(pod_objects("pod", n), &WriteOptions::default()) {
        r.unwrap_or_else(|e| panic!("{e:?}"));
    }
    (dir, client, since)
}

fn end_to_end(n: usize) {
    let (dir, client, since) = cluster("e2e", n);
    let start = Instant::now();
    let wrote = settle_once(&mut Scheduler::new(), &client, now(), since)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let took = start.elapsed();
    assert!(wrote);
    let pods = registry::find("pods").unwrap_or_else(|| panic!("no pods resource"));
    let bound = kubelite::runtime::items(
        client
            .list(pods, None, &ListOptions::default())
            .unwrap_or_else(|e| panic!("{e:?}")),
    )
    .iter()
    .filter(|p| p["spec"]["nodeName"].is_string())
    .count();
    assert_eq!(bound, n, "every pod bound");
    report("end to end, one scheduler pass", n, took);

    // Where the time goes: the same number of bare bindings, on new pods.
    for r in client.create_many(pod_objects("bare", n), &WriteOptions::default()) {
        r.unwrap_or_else(|e| panic!("{e:?}"));
    }
    let start = Instant::now();
    for i in 0..n {
        let node = format!("node{:02}", 1 + i % NODES);
        client
            .bind("default", &format!("bare-{i:05}"), &node)
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    report("  of which: pods/binding alone", n, start.elapsed());

    // ... and the same number of `Scheduled` events through the shared recorder.
    let ctx = Context {
        client: &client,
        now: now(),
        since: 0,
        pass: 0,
        shared: Default::default(),
    };
    let start = Instant::now();
    for i in 0..n {
        let pod = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": format!("bare-{i:05}"), "namespace": "default", "uid": format!("uid-bare-{i}")}});
        let message = format!("Successfully assigned default/bare-{i:05} to node01");
        record(
            &ctx,
            &NewEvent {
                involved: &pod,
                kind: "Normal",
                reason: "Scheduled",
                message: &message,
                field_path: None,
                reporter: Reporter::Controller {
                    name: "default-scheduler",
                    instance: "default-scheduler-master",
                    action: "Binding",
                },
            },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    }
    report("  of which: Scheduled events alone", n, start.elapsed());
    let _ = std::fs::remove_dir_all(&dir);
}

fn report(what: &str, n: usize, took: Duration) {
    println!(
        "{what}: {n} pods in {:.1} ms = {:.0} pods/s",
        took.as_secs_f64() * 1000.0,
        n as f64 / took.as_secs_f64()
    );
}

fn main() {
    println!("scheduler on {NODES} nodes");
    let n = 20_000;
    let mut runs: Vec<Duration> = (0..3).map(|_| algorithm(n)).collect();
    runs.sort();
    report(
        "algorithm (filter+score+bind in memory), median of 3",
        n,
        runs[1],
    );
    end_to_end(1000);
}
