//! Name completion on a big cluster (release build: `cargo bench --bench completion`):
//! a TAB after `kubelite get pods pod-0999` with 10,000 pods stored. Target: under 50 ms wall,
//! process start to candidates printed.

use kubelite::api::options::WriteOptions;
use kubelite::api::registry;
use kubelite::client::{Client, NewObject};
use kubelite::clock::Clock;
use serde_json::json;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PODS: usize = 10_000;

/// Stores `PODS` pods straight through the API server (no control plane run: only names
/// matter here).
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
                    "metadata": {"name": format!("pod-{i:05}"), "labels": {"app": "bench"}},
                    "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}
                }),
            })
            .collect();
        for r in client.create_many(objects, &WriteOptions::default()) {
            r.expect("create pod");
        }
    }
}

/// One TAB: the completion request a shell script sends for the last word of `words`.
fn tab(home: &Path, words: &[&str]) -> (Duration, String) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .arg("--")
        .args(words)
        .env("KUBELITE_COMPLETE", "bash")
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .stderr(Stdio::null())
        .output()
        .expect("run kubelite");
    (
        start.elapsed(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn report(home: &Path, words: &[&str], expect_lines: usize) {
    let mut walls = Vec::new();
    let mut lines = 0;
    for _ in 0..20 {
        let (wall, out) = tab(home, words);
        lines = out.lines().count();
        walls.push(wall);
    }
    assert_eq!(lines, expect_lines, "candidates of {words:?}");
    let worst = walls.iter().max().copied().unwrap_or_default();
    println!(
        "TAB after `{}`: median {:?}, worst {worst:?} over 20 ({lines} candidates; target under 50 ms)",
        words.join(" "),
        median(walls)
    );
}

fn main() {
    let home = match std::env::var_os("BENCH_HOME") {
        Some(h) => std::path::PathBuf::from(h),
        None => {
            std::env::temp_dir().join(format!("kubelite-bench-completion-{}", std::process::id()))
        }
    };
    let keep = std::env::var_os("BENCH_HOME").is_some();
    let _ = std::fs::remove_dir_all(&home);
    let started = Instant::now();
    fill(&home);
    println!("stored {PODS} pods in {:?}", started.elapsed());
    report(&home, &["kubelite", "get", "pods", "pod-0999"], 10);
    report(&home, &["kubelite", "get", "pods", "pod-"], PODS);
    report(&home, &["kubelite", "describe", "pod/pod-0999"], 10);
    report(&home, &["kubelite", "-n", "kube-"], 3);
    report(&home, &["kubelite", "get", "po"], 3);
    if !keep {
        let _ = std::fs::remove_dir_all(&home);
    }
}
