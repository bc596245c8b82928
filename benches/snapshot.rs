//! `etcdctl snapshot save` of a 10,000-pod cluster (release build: `cargo bench --bench
//! snapshot`). Target: under 500 ms. Measured two ways: the copy alone on an open store
//! (`Store::save_snapshot`: one read transaction copied into a new store file, hashed and
//! synced), and the whole `kubelite etcdctl snapshot save` process, start to exit.

use kubelite::api::options::WriteOptions;
use kubelite::api::registry;
use kubelite::client::{Client, NewObject};
use kubelite::clock::Clock;
use kubelite::store::Store;
use kubelite::store::redb::RedbStore;
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const PODS: usize = 10_000;
const RUNS: usize = 5;

/// Stores `PODS` pods, each with the spec and status a scheduled, running pod has, straight
/// through the API server.
fn fill(home: &Path) {
    let client = kubelite::embedded::open_in(home, Clock::Wall, 2).expect("open cluster");
    let pods = registry::find("pods").expect("pods");
    for chunk in 0..PODS / 1000 {
        let objects = (chunk * 1000..(chunk + 1) * 1000)
            .map(|i| NewObject {
                resource: pods,
                namespace: Some("default".into()),
                object: json!({
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": format!("web-{i:05}"), "labels": {"app": "web", "tier": "frontend"}},
                    "spec": {
                        "nodeName": format!("node-{:02}", i % 20),
                        "containers": [{
                            "name": "app",
                            "image": "nginx:1.27",
                            "ports": [{"containerPort": 80}],
                            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
                            "env": [{"name": "MODE", "value": "production"}]
                        }]
                    }
                }),
            })
            .collect();
        for r in client.create_many(objects, &WriteOptions::default()) {
            r.expect("create pod");
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kl-bench-snapshot-{}", std::process::id()));
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("home");
    fill(&home);
    let store_file = home.join("cluster.redb");
    let file = dir.join("snap.db");

    let mut copies = Vec::new();
    {
        let store = RedbStore::open(&store_file, Duration::from_secs(10)).expect("open store");
        for _ in 0..RUNS {
            let start = Instant::now();
            store.save_snapshot(&file).expect("save snapshot");
            copies.push(start.elapsed());
        }
    }
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let mut processes = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
            .args(["etcdctl", "snapshot", "save"])
            .arg(&file)
            .env("KUBELITE_HOME", &home)
            .env_remove("KUBECONFIG")
            .output()
            .expect("run kubelite");
        processes.push(start.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!(
        "snapshot save of {PODS} pods ({:.1} MB): store copy median {:?}, whole `kubelite etcdctl snapshot save` median {:?} (target under 500 ms)",
        size as f64 / 1e6,
        median(copies),
        median(processes)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
