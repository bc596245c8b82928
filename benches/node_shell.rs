//! `kubelite node ssh master -- ps aux` (release build: `cargo bench --bench node_shell`):
//! a line of plain words naming a node program runs without the shell, and `ps` reads a
//! settled cluster read-only. Target: 30 ms, after the first login (which writes the node's
//! files and certificates, measured apart). Beside it, the same `ps` through bash in the
//! node's namespaces (`ps aux | cat`) and the shell alone (`true`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ssh(home: &Path, line: &str) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .args(["node", "ssh", "master", "--", line])
        .env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run kubelite");
    let elapsed = start.elapsed();
    assert!(status.success(), "node ssh failed");
    elapsed
}

fn main() {
    let home =
        std::env::temp_dir().join(format!("kubelite-bench-node-shell-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).expect("mkdir");
    // The cluster is made first, so the first login measures only the node's files.
    let made = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .args(["get", "nodes"])
        .env("KUBELITE_HOME", &home)
        .env_remove("KUBECONFIG")
        .stdout(Stdio::null())
        .status()
        .expect("run kubelite");
    assert!(made.success());
    let first = ssh(&home, "true");
    println!("first node ssh master (writes kubeconfigs and certificates): {first:?}");
    let walls: Vec<Duration> = (0..20).map(|_| ssh(&home, "ps aux")).collect();
    println!(
        "node ssh master -- ps aux: median {:?}, max {:?} over 20 runs (target 30 ms)",
        median(walls.clone()),
        walls.iter().max().expect("runs")
    );
    let walls: Vec<Duration> = (0..20).map(|_| ssh(&home, "ps aux | cat")).collect();
    println!(
        "node ssh master -- 'ps aux | cat' (through bash): median {:?}",
        median(walls)
    );
    let walls: Vec<Duration> = (0..20).map(|_| ssh(&home, "true")).collect();
    println!(
        "node ssh master -- true (the shell alone): median {:?}",
        median(walls)
    );
    let _ = std::fs::remove_dir_all(&home);
}
