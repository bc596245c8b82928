//! `drain`: the real kubectl against one `kubelite serve`, kubelite against a second one and
//! against an embedded cluster, each holding the same workload. kubectl evicts in parallel
//! and groups its refusals and warnings in maps, so the order of its lines and of the parts
//! of a line varies from run to run: outputs are compared as sorted lines, with sorted parts,
//! and with the random suffixes of generated pod names masked (each cluster draws its own).

use super::node_verbs::{nodes_met, normalized};
use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};
use std::time::{Duration, Instant};

/// On node01: two managed pods, one with an emptyDir volume, one without a controller; on
/// node02 a pod without a controller that a finalizer keeps once deleted.
const WORKLOAD: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node01}
      containers: [{name: c, image: nginx}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache}
spec:
  replicas: 1
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node01}
      volumes: [{name: scratch, emptyDir: {}}]
      containers: [{name: c, image: nginx, volumeMounts: [{name: scratch, mountPath: /scratch}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: solo}
spec:
  nodeName: node01
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: held, finalizers: [example.com/hold]}
spec:
  nodeName: node02
  containers: [{name: c, image: nginx}]
";

/// The steps, in order; the last leaves `held` terminating for good.
#[rustfmt::skip]
const STEPS: &[&[&str]] = &[
    &["drain"],
    &["drain", "nope"],
    &["drain", "node01", "-l", "a=b"],
    &["drain", "node01", "--timeout=soon"],
    &["drain", "node01"],
    &["drain", "node01", "--ignore-daemonsets", "--force"],
    &["drain", "node01", "--ignore-daemonsets", "--delete-emptydir-data"],
    &["drain", "node01", "--ignore-daemonsets", "--force", "--delete-emptydir-data", "--dry-run=client"],
    &["drain", "node01", "--ignore-daemonsets", "--force", "--delete-emptydir-data", "--dry-run=server"],
    &["drain", "master", "--ignore-daemonsets", "--dry-run=client"],
    &["drain", "-l", "kubernetes.io/os=linux", "--dry-run=client"],
    &["drain", "node01", "--ignore-daemonsets", "--pod-selector=app=web"],
    &["drain", "node01", "--ignore-daemonsets", "--force", "--delete-emptydir-data"],
    &["drain", "node01", "--ignore-daemonsets"],
    &["uncordon", "node01"],
    &["drain", "node01", "--ignore-daemonsets", "--delete-emptydir-data", "--disable-eviction"],
    &["drain", "node02", "--ignore-daemonsets", "--force", "--timeout=2s"],
];

/// Masks the 5-character suffix kube appends to generated names (`web-6c9f8d7b5-x4k2z`).
fn masked(text: &str) -> String {
    const ALPHABET: &str = "bcdfghjklmnpqrstvwxz2456789";
    let b = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let word_end = |j: usize| j >= b.len() || !(b[j].is_ascii_alphanumeric() || b[j] == b'-');
        if b[i] == b'-'
            && i + 6 <= b.len()
            && b[i + 1..i + 6]
                .iter()
                .all(|c| ALPHABET.as_bytes().contains(c))
            && word_end(i + 6)
        {
            out.push_str("-XXXXX");
            i += 6;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Sorts the parts of kubectl's map-ordered lines: `[e1, e2]` aggregates and `; `-joined
/// warnings.
fn sorted_parts(line: &str) -> String {
    if let Some(rest) = line.strip_prefix("Warning: ") {
        let mut parts: Vec<&str> = rest.split("; ").collect();
        parts.sort();
        return format!("Warning: {}", parts.join("; "));
    }
    if let (Some(open), Some(close)) = (line.find("[cannot delete "), line.rfind(']')) {
        let inner = &line[open + 1..close];
        let mut parts: Vec<String> = inner
            .split(", cannot delete ")
            .map(|p| p.trim_start_matches("cannot delete ").to_string())
            .collect();
        parts.sort();
        return format!(
            "{}[{}]{}",
            &line[..open],
            parts.join(" | "),
            &line[close + 1..]
        );
    }
    line.to_string()
}

fn canonical(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = masked(text).lines().map(sorted_parts).collect();
    lines.sort();
    lines
}

/// Waits (bounded) until nothing is being created or removed: reads half a second apart
/// the same, and no pod terminating but `held`. Pending pods (with nowhere to go) stay.
fn settle(get: impl Fn() -> String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = String::new();
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        let now = get();
        let busy = now.contains("ContainerCreating")
            || now
                .lines()
                .any(|l| l.contains("Terminating") && !l.contains(" held "));
        if !busy && now == last {
            return;
        }
        last = now;
    }
    panic!("the cluster did not settle:\n{last}");
}

#[test]
fn drain_matches_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let served = Server::start(false);
    let embedded = TempDir::new("embedded-drain");
    let dir = TempDir::new("drain-workload");
    let file = manifest(&dir.0, "workload.yaml", WORKLOAD);
    let file = file.to_str().expect("utf-8 path");
    oracle.wait_until_settled();
    served.wait_until_settled();
    oracle
        .kubectl(&["create", "-f", file])
        .ok("create the workload");
    for home in [&served.home.0, &embedded.0] {
        kubelite(home, false, &["create", "-f", file]).ok("create the workload");
    }
    let pods = ["get", "pods", "-A", "-o", "wide"];
    settle(|| oracle.kubectl(&pods).stdout);
    settle(|| kubelite(&served.home.0, false, &pods).stdout);
    for step in STEPS {
        let line = step.join(" ");
        let want = oracle.kubectl(step);
        settle(|| oracle.kubectl(&pods).stdout);
        let want_pods = canonical(&oracle.kubectl(&pods).stdout);
        for (mode, home) in [("serve", &served.home.0), ("embedded", &embedded.0)] {
            let got: Run = kubelite(home, false, step);
            if mode == "serve" {
                settle(|| kubelite(home, false, &pods).stdout);
            }
            let at = format!("{mode}: {line}");
            let same = |what: &str, want: &[String], got: &[String]| {
                assert_eq!(
                    want, got,
                    "{at}: {what} differs (left kubectl, right kubelite)"
                );
            };
            same("stdout", &canonical(&want.stdout), &canonical(&got.stdout));
            same(
                "stderr",
                &canonical(&normalized(&want.stderr)),
                &canonical(&normalized(&got.stderr)),
            );
            assert_eq!(want.code, got.code, "{at}: exit code");
            let (want_nodes, got_nodes) = nodes_met(&oracle, home);
            assert_eq!(want_nodes, got_nodes, "{at}: nodes");
            // Which pods are left, where, in which state (ages and IPs aside).
            let columns = |rows: &[String]| -> Vec<String> {
                rows.iter()
                    .map(|r| {
                        let c: Vec<&str> = r.split_whitespace().collect();
                        format!("{} {} {}", c[1], c[3], c.get(7).unwrap_or(&""))
                    })
                    .collect()
            };
            let got_pods = canonical(&kubelite(home, false, &pods).stdout);
            same("pods", &columns(&want_pods), &columns(&got_pods));
        }
    }
}

#[test]
fn masking_and_sorting() {
    assert_eq!(
        masked("evicting pod default/web-696db4bc69-s4f9m\npod/solo evicted"),
        "evicting pod default/web-696db4bc69-XXXXX\npod/solo evicted"
    );
    assert_eq!(
        masked("kube-system/kube-proxy-4wmxd,"),
        "kube-system/kube-proxy-XXXXX,"
    );
    assert_eq!(sorted_parts("Warning: b: x; a: y"), "Warning: a: y; b: x");
    assert_eq!(
        sorted_parts("e: [cannot delete B: d/x, d/y, cannot delete A: d/z], go"),
        "e: [A: d/z | B: d/x, d/y], go"
    );
}
