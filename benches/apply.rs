//! `apply -f` one-shot on the embedded cluster (release build: `cargo bench --bench apply`):
//! - a 1,000-object file on a new cluster (target: under 1.5 s);
//! - the same file again, unchanged (target: under 300 ms, and no write: the store's
//!   revision must not move).

#[path = "support/manifests.rs"]
mod manifests;

use manifests::{median, pods};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A pinned cluster clock: a settled cluster then has nothing left to do between commands.
const NOW: &str = "2026-11-29T01:42:16Z";

fn kubelite(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubelite"));
    c.env("KUBELITE_HOME", home)
        .env("KUBELITE_NOW", NOW)
        .env_remove("KUBECONFIG")
        .stderr(Stdio::null());
    c
}

/// Runs a command to completion (it must succeed); returns its wall time.
fn timed(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let out = cmd.stdout(Stdio::null()).status().expect("run kubelite");
    let wall = start.elapsed();
    assert!(out.success(), "kubelite failed");
    wall
}

/// The store's revision, as `etcdctl endpoint status` reports it.
fn revision(home: &Path) -> u64 {
    let out = kubelite(home)
        .args(["etcdctl", "endpoint", "status", "-w", "json"])
        .output()
        .expect("run kubelite");
    assert!(out.status.success(), "etcdctl endpoint status failed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v[0]["Status"]["header"]["revision"]
        .as_u64()
        .expect("a revision")
}

/// Lets the control plane finish what the apply started: bounded, until the revision
/// stands still between two reads.
fn settle(home: &Path) -> u64 {
    let mut last = revision(home);
    for _ in 0..50 {
        let now = revision(home);
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("the cluster did not settle");
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kubelite-bench-apply-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let file = dir.join("pods.yaml");
    std::fs::write(&file, pods(1000)).expect("manifest");

    let mut creates = Vec::new();
    for round in 0..3 {
        let home = dir.join(format!("home-{round}"));
        timed(kubelite(&home).args(["get", "ns"]));
        creates.push(timed(kubelite(&home).arg("apply").arg("-f").arg(&file)));
    }
    println!(
        "apply -f of 1,000 pods on a new cluster: median {:?} over 3 (target 1.5 s)",
        median(creates)
    );

    let home = dir.join("home-0");
    let before = settle(&home);
    let mut again = Vec::new();
    for _ in 0..5 {
        again.push(timed(kubelite(&home).arg("apply").arg("-f").arg(&file)));
    }
    let after = revision(&home);
    println!(
        "apply -f of the same 1,000 pods, unchanged: median {:?} over 5 (target 300 ms); store revision {before} before, {after} after",
        median(again)
    );
    assert_eq!(before, after, "an unchanged apply wrote to the store");
    let _ = std::fs::remove_dir_all(&dir);
}
