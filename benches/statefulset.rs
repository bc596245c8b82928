//! Issue 14's StatefulSet target (release build: `cargo bench --bench statefulset`): one
//! one-shot `create -f` of a StatefulSet of 100 replicas with a volume claim template, on
//! a fresh embedded cluster, until every pod is Running and every claim Bound (provisioned
//! by the default StorageClass on the node the pod was scheduled to). Target: ≤ 1 s. The
//! median of 5 runs for OrderedReady (one pod after another) and for Parallel; each run
//! checks that the command left 100 Running pods and 100 Bound claims.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-29T01:42:16Z";

fn kubelite(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubelite"));
    c.env("KUBELITE_HOME", home)
        .env("KUBELITE_NOW", NOW)
        .env_remove("KUBECONFIG");
    c
}

fn statefulset(replicas: usize, policy: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: {replicas}
  podManagementPolicy: {policy}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"
    )
}

/// The last column values of `get` (STATUS of pods, STATUS of claims), counted.
fn count(home: &Path, what: &str, column: usize, value: &str) -> usize {
    let out = kubelite(home)
        .args(["get", what, "--no-headers"])
        .output()
        .expect("get");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.split_whitespace().nth(column) == Some(value))
        .count()
}

fn one_run(dir: &Path, run: usize, policy: &str) -> Duration {
    let home = dir.join(format!("home-{policy}-{run}"));
    let file = dir.join(format!("web-{policy}.yaml"));
    std::fs::write(&file, statefulset(100, policy)).unwrap();
    // The cluster exists before the timed command (its first boot is not the target).
    let boot = kubelite(&home)
        .args(["get", "ns"])
        .stdout(Stdio::null())
        .status()
        .expect("boot");
    assert!(boot.success());
    let start = Instant::now();
    let out = kubelite(&home)
        .arg("create")
        .arg("-f")
        .arg(&file)
        .output()
        .expect("create");
    let wall = start.elapsed();
    assert!(out.status.success(), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "the control plane did not finish: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&home, "pods", 2, "Running"), 100, "pods Running");
    assert_eq!(count(&home, "pvc", 1, "Bound"), 100, "claims Bound");
    wall
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kubelite-bench-sts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for policy in ["OrderedReady", "Parallel"] {
        let walls: Vec<Duration> = (0..5).map(|i| one_run(&dir, i, policy)).collect();
        println!(
            "create -f statefulset (100 replicas, claims, {policy}) to all Running: median {:?} over 5 runs (target ≤ 1 s)",
            median(walls)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
