//! One-shot CLI benchmarks (release build: `cargo bench --bench cli`):
//! - `create -f` of 1,000 pods in one multi-document file (target: under 1 s);
//! - `get pods` with 1,000 pods stored (targets: under 30 ms wall, under 30 MiB peak RSS);
//! - a Deployment of 1,000 replicas on 100 nodes, from `create` to all Running (under 1 s);
//! - `get pods` with 10,000 Running pods (under 100 ms);
//! - every `create` generator and `run` with `--dry-run=client -o yaml` (under 20 ms each,
//!   with no cluster: the home is never created).

#[path = "support/manifests.rs"]
mod manifests;

use manifests::{median, pods};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn kubelite(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubelite"));
    c.env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs a command to completion; returns its wall time and peak RSS in KiB.
// The child is reaped by wait4 (which also reports its peak RSS), not by Child::wait.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> (Duration, i64) {
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn kubelite");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child; status and usage point to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert_eq!(status, 0, "kubelite failed");
    (elapsed, usage.ru_maxrss)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kubelite-bench-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pods.yaml");
    std::fs::write(&file, pods(1000)).unwrap();

    let mut creates = Vec::new();
    for round in 0..3 {
        let home = dir.join(format!("home-{round}"));
        measure(kubelite(&home).args(["get", "ns"]));
        let mut cmd = kubelite(&home);
        cmd.arg("create").arg("-f").arg(&file);
        creates.push(measure(&mut cmd).0);
    }
    println!(
        "create -f of 1,000 pods (one file): median {:?} over 3 new clusters",
        median(creates)
    );

    client_dry_runs(&dir);

    let home = dir.join("home-0");
    let mut walls = Vec::new();
    let mut peak = 0;
    for _ in 0..20 {
        let (wall, rss) = measure(kubelite(&home).args(["get", "pods"]));
        walls.push(wall);
        peak = peak.max(rss);
    }
    println!(
        "get pods with 1,000 pods stored: median {:?}, max {:?} over 20 runs; peak RSS {:.1} MiB",
        median(walls.clone()),
        walls.iter().max().unwrap(),
        peak as f64 / 1024.0
    );

    let deployment = |replicas: usize| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n"
        )
    };
    let d1000 = dir.join("d1000.yaml");
    std::fs::write(&d1000, deployment(1000)).unwrap();
    let mut rollouts = Vec::new();
    for round in 0..3 {
        let home = dir.join(format!("big-{round}"));
        measure(
            kubelite(&home)
                .env("KUBELITE_WORKERS", "100")
                .args(["get", "ns"]),
        );
        rollouts.push(measure(kubelite(&home).arg("create").arg("-f").arg(&d1000)).0);
        assert_all_running(&home, 1000);
    }
    println!(
        "Deployment of 1,000 replicas on 100 nodes, create to all Running: median {:?} over 3 new clusters",
        median(rollouts)
    );

    let home = dir.join("huge");
    let d10k = dir.join("d10k.yaml");
    std::fs::write(&d10k, deployment(10_000)).unwrap();
    measure(
        kubelite(&home)
            .env("KUBELITE_WORKERS", "100")
            .args(["get", "ns"]),
    );
    // A one-shot command works for at most 5 s, then the next command continues: count
    // the commands and the time until every replica is available.
    let started = Instant::now();
    measure(kubelite(&home).arg("create").arg("-f").arg(&d10k));
    let mut commands = 1;
    while available(&home) != 10_000 {
        assert!(
            commands < 50,
            "10,000 replicas not available after 50 commands"
        );
        measure(kubelite(&home).args(["get", "deploy", "web"]));
        commands += 1;
    }
    println!(
        "Deployment of 10,000 replicas on 100 nodes, create to all Running: {:?} in {commands} commands",
        started.elapsed()
    );
    let mut walls = Vec::new();
    for _ in 0..10 {
        walls.push(measure(kubelite(&home).args(["get", "pods"])).0);
    }
    println!(
        "get pods with 10,000 Running pods: median {:?} over 10 runs",
        median(walls)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The Deployment reports every replica available.
fn assert_all_running(home: &Path, n: usize) {
    assert_eq!(available(home), n, "not all replicas are available");
}

/// The Deployment's available replicas.
fn available(home: &Path) -> usize {
    let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .env("KUBELITE_HOME", home)
        .args([
            "get",
            "deploy",
            "web",
            "-o",
            "jsonpath={.status.availableReplicas}",
        ])
        .output()
        .expect("kubelite");
    String::from_utf8_lossy(&out.stdout).parse().unwrap_or(0)
}

/// Generators answer a client dry run offline: time each, and check no cluster was made.
fn client_dry_runs(dir: &Path) {
    let home = dir.join("never-created");
    let lines: &[&[&str]] = &[
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--replicas=3",
        ],
        &["create", "service", "clusterip", "web", "--tcp=80:8080"],
        &["create", "service", "nodeport", "web", "--tcp=80:8080"],
        &["create", "service", "loadbalancer", "web", "--tcp=80:8080"],
        &[
            "create",
            "service",
            "externalname",
            "web",
            "--external-name=example.com",
        ],
        &[
            "create",
            "configmap",
            "cfg",
            "--from-literal=a=1",
            "--from-literal=b=2",
        ],
        &[
            "create",
            "secret",
            "generic",
            "s",
            "--from-literal=password=x",
        ],
        &[
            "create",
            "secret",
            "docker-registry",
            "r",
            "--docker-server=r.io",
            "--docker-username=u",
            "--docker-password=p",
        ],
        &["create", "namespace", "team"],
        &["create", "serviceaccount", "bot"],
        &["create", "quota", "q", "--hard=cpu=1,memory=1G,pods=10"],
        &["run", "web", "--image=nginx", "--port=80", "--expose"],
    ];
    for line in lines {
        let mut walls = Vec::new();
        for _ in 0..20 {
            let mut cmd = kubelite(&home);
            cmd.args(*line).args(["--dry-run=client", "-o", "yaml"]);
            walls.push(measure(&mut cmd).0);
        }
        println!(
            "{} --dry-run=client -o yaml: median {:?}, max {:?} over 20 runs (target under 20 ms)",
            line.join(" "),
            median(walls.clone()),
            walls.iter().max().unwrap()
        );
    }
    assert!(!home.exists(), "a client dry run created a cluster");
}
