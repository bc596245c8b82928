//! Kubelet benchmark: pods already bound (spec.nodeName) on many nodes, started by the
//! kubelets alone until they settle (pull, create, start events; statuses; addresses).
//! Run: `cargo bench --bench kubelet` (release). Sizes: `KUBELET_BENCH_PODS`,
//! `KUBELET_BENCH_NODES` (defaults 1000 and 100).

use kubelite::api::options::{ListOptions, WriteOptions};
use kubelite::api::registry;
use kubelite::client::{Client, NewObject};
use kubelite::clock::{Clock, parse_timestamp};
use kubelite::kubelet::Kubelets;
use kubelite::runtime::Settler;
use serde_json::json;
use std::time::Instant;

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), String> {
    let pods = size("KUBELET_BENCH_PODS", 1000);
    let nodes = size("KUBELET_BENCH_NODES", 100);
    let dir = std::env::temp_dir().join(format!("kubelite-bench-kubelet-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let now = parse_timestamp("2026-11-29T01:42:16Z").ok_or("bad time")?;
    let client = kubelite::embedded::open_in(&dir, Clock::Fixed(now), nodes)?;
    let pod_r = registry::find("pods").ok_or("no pods")?;
    // First settle: leases, static pods.
    let mut since = run(&client, now, 0)?;
    let objects = (0..pods)
        .map(|i| NewObject {
            resource: pod_r,
            namespace: Some("default".into()),
            object: json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": format!("web-{i}"), "labels": {"app": "web"}},
                "spec": {"nodeName": format!("node{:02}", i % nodes + 1),
                         "containers": [{"name": "nginx", "image": "nginx:1.27"}]}}),
        })
        .collect();
    for r in client.create_many(objects, &WriteOptions::default()) {
        r.map_err(|e| e.message)?;
    }
    let start = Instant::now();
    since = run(&client, now, since)?;
    let elapsed = start.elapsed();
    let list = client
        .list(pod_r, Some("default"), &ListOptions::default())
        .map_err(|e| e.message)?;
    let running = list["items"].as_array().map_or(0, |items| {
        items
            .iter()
            .filter(|p| p["status"]["phase"] == "Running")
            .count()
    });
    println!(
        "kubelets start {pods} pods on {nodes} nodes: {:.1} ms ({running} Running, settled at revision {since})",
        elapsed.as_secs_f64() * 1e3
    );
    let _ = std::fs::remove_dir_all(&dir);
    if running != pods {
        return Err(format!("only {running} of {pods} pods are Running"));
    }
    Ok(())
}

/// Settles the kubelets alone (as a command does, durability deferred to the end); returns
/// the revision reached.
fn run(
    client: &kubelite::client::Embedded,
    now: chrono::DateTime<chrono::Utc>,
    _since: i64,
) -> Result<i64, String> {
    let server = client.server().clone();
    Settler::new(vec![Box::new(Kubelets::new())])
        .settle(client, server.as_ref(), now)
        .map_err(|e| e.message)?;
    server.current_revision().map_err(|e| e.message)
}
