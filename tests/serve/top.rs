//! `top node|pod`: the real kubectl against `kubelite serve` (whose metrics.k8s.io is the
//! simulated metrics-server), kubelite against the same server (remote) and kubelite on an
//! embedded cluster holding the same objects: the same bytes and exit codes.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};

/// Pods whose usage comes from each of the rule's sources: requests, limits, nothing, a
/// pod annotation and a container annotation; placed by hand, as serve's scheduler and the
/// embedded one may spread them differently.
const PODS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: requests
  labels: {app: busy}
spec:
  nodeName: node01
  containers:
  - name: app
    image: nginx
    resources: {requests: {cpu: 300m, memory: 256Mi}}
  - name: log
    image: busybox
    resources: {limits: {cpu: 50m, memory: 64Mi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: annotated
  labels: {app: busy}
  annotations:
    kubelite.io/cpu-usage: 750m
    kubelite.io/memory-usage.sidecar: 1Gi
spec:
  nodeName: node02
  containers:
  - name: main
    image: nginx
    resources: {requests: {cpu: 100m, memory: 100Mi}}
  - name: sidecar
    image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: bare
  labels: {app: idle}
spec:
  nodeName: node01
  containers:
  - name: c
    image: nginx
";

const CASES: &[&[&str]] = &[
    &["top", "node"],
    &["top", "nodes", "--no-headers", "--sort-by=cpu"],
    &["top", "node", "--sort-by=memory", "--show-capacity"],
    &["top", "no", "node01"],
    &["top", "node", "-l", "node-role.kubernetes.io/control-plane"],
    &["top", "node", "-l", "nothing=here"],
    &["top", "node", "nope"],
    &["top", "node", "a", "b"],
    &["top", "node", "master", "-l", "a=b"],
    &["top", "pod"],
    &["top", "pods", "-A"],
    &["top", "pod", "-A", "--sort-by=cpu", "--sum"],
    &[
        "top",
        "po",
        "-A",
        "--sort-by=memory",
        "--no-headers",
        "--sum",
    ],
    &["top", "pod", "--containers", "--sum"],
    &["top", "pod", "--containers", "--sort-by=memory"],
    &[
        "top",
        "pod",
        "-n",
        "kube-system",
        "--containers",
        "--no-headers",
    ],
    &["top", "pod", "-l", "app=busy", "--sort-by=cpu"],
    &["top", "pod", "--field-selector", "metadata.name=bare"],
    &["top", "pod", "annotated", "--containers"],
    &["top", "pod", "nope"],
    &["top", "pod", "-n", "empty"],
    &["top", "pod", "-A", "-l", "app=none"],
    &["top", "pod", "--sort-by=name"],
    &["top", "pod", "x", "--field-selector", "a=b"],
    &["top", "pod", "-l", "=x"],
];

fn check(what: &str, got: &Run, want: &Run, args: &[&str]) {
    assert_eq!(got.stdout, want.stdout, "{what} {args:?}: stdout");
    assert_eq!(got.stderr, want.stderr, "{what} {args:?}: stderr");
    assert_eq!(got.code, want.code, "{what} {args:?}: exit code");
}

#[test]
fn top_matches_kubectl_remote_and_embedded() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("top-files");
    let pods = manifest(&files.0, "pods.yaml", PODS);
    let pods = pods.to_str().expect("utf-8");
    server
        .kubectl(&["create", "-f", pods])
        .ok("create on serve");
    server.wait_until_settled();
    let embedded = TempDir::new("top-home");
    kubelite(&embedded.0, true, &["create", "-f", pods]).ok("create embedded");
    let cache = TempDir::new("top-cache");
    let cache = cache.0.to_str().expect("utf-8");
    let mut checked_usage = false;
    for args in CASES {
        let want = server.kubectl(args);
        if args == &["top", "pod"] {
            // The rule, visible: requests halved plus limits halved; the pod annotation.
            assert!(want.stdout.contains("requests    175m"), "{}", want.stdout);
            assert!(want.stdout.contains("annotated   1500m"), "{}", want.stdout);
            checked_usage = true;
        }
        let mut remote_args = vec!["--cache-dir", cache];
        remote_args.extend_from_slice(args);
        check(
            "remote",
            &kubelite(&server.home.0, true, &remote_args),
            &want,
            args,
        );
        check("embedded", &kubelite(&embedded.0, true, args), &want, args);
    }
    assert!(checked_usage);
}

/// A node whose kubelet stopped (NotReady once the node controller's grace has passed)
/// has no metrics, nor have its pods: kubectl prints `<unknown>` for the node. The
/// embedded cluster's clock is moved past the grace period.
#[test]
fn a_node_that_is_not_ready_has_no_metrics() {
    let home = TempDir::new("top-stopped");
    let at = |now: &str, args: &[&str]| -> Run {
        let mut cmd = std::process::Command::new(super::support::BIN);
        cmd.args(args)
            .env("KUBELITE_HOME", &home.0)
            .env("KUBELITE_NOW", now)
            .env_remove("KUBECONFIG");
        cmd.output().expect("run kubelite").into()
    };
    at("2026-11-29T01:42:16Z", &["node", "stop", "node02"]).ok("node stop");
    let later = "2026-11-29T01:50:16Z";
    let nodes = at(later, &["top", "node"]).ok("top node");
    assert_eq!(
        nodes,
        "NAME     CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   \n\
         master   426m         21%         578Mi           15%         \n\
         node01   151m         7%          551Mi           14%         \n\
         node02   <unknown>    <unknown>   <unknown>       <unknown>   \n"
    );
    let pods = at(later, &["top", "pod", "-A", "-l", "k8s-app=kube-proxy"]).ok("top pod");
    assert_eq!(pods.lines().count(), 3, "{pods}");
}
