//! Admission of the namespace policies: ResourceQuota refusals and usage, compared between
//! the real kubectl against `kubelite serve`, kubelite against the same server, and the
//! embedded kubelite.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};
use std::time::{Duration, Instant};

const QUOTA: &str = "apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    pods: '2'
    requests.cpu: '1'
    requests.memory: 1Gi
    limits.cpu: '2'
    limits.memory: 2Gi
    configmaps: '3'
    count/deployments.apps: '1'
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: best-effort
spec:
  hard: {pods: '5'}
  scopes: [BestEffort]
---
apiVersion: v1
kind: Pod
metadata:
  name: b
spec:
  containers:
  - name: b
    image: nginx
    resources:
      requests: {cpu: 600m, memory: 100Mi}
      limits: {cpu: '1', memory: 200Mi}
";

/// Refused pods: no limits at all, then more cpu than is left.
const BARE: &str = "apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers:
  - name: a
    image: nginx
  - name: side
    image: busybox
";

const GREEDY: &str = "apiVersion: v1
kind: Pod
metadata:
  name: c
spec:
  containers:
  - name: c
    image: nginx
    resources:
      requests: {cpu: 600m, memory: 100Mi}
      limits: {cpu: '1', memory: 200Mi}
";

fn same(what: &str, got: &Run, want: &Run, args: &[&str]) {
    assert_eq!(got.stdout, want.stdout, "{what} {args:?}: stdout");
    assert_eq!(got.stderr, want.stderr, "{what} {args:?}: stderr");
    assert_eq!(got.code, want.code, "{what} {args:?}: exit code");
}

#[test]
fn resource_quota_counts_and_refuses_as_kube_apiserver() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("admission-files");
    let objects = manifest(&files.0, "quota.yaml", QUOTA);
    let bare = manifest(&files.0, "bare.yaml", BARE);
    let greedy = manifest(&files.0, "greedy.yaml", GREEDY);
    let (objects, bare, greedy) = (
        objects.to_str().unwrap(),
        bare.to_str().unwrap(),
        greedy.to_str().unwrap(),
    );
    server
        .kubectl(&["create", "-f", objects])
        .ok("create on serve");
    // The controller counts in the background: a bounded poll for its status.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let used = server
            .kubectl(&[
                "get",
                "quota",
                "compute",
                "-o",
                "jsonpath={.status.used.pods}",
            ])
            .ok("used");
        if used == "1" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "quota status never counted pod b: {used:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let cases: &[&[&str]] = &[
        &["get", "quota"],
        &["get", "quota", "-o", "wide"],
        &["describe", "quota", "compute"],
        &["describe", "quota", "best-effort"],
        &["create", "-f", bare],
        &["create", "-f", greedy],
    ];
    let cache = TempDir::new("admission-cache");
    let cache = cache.0.to_str().unwrap();
    let home = TempDir::new("admission-embedded");
    kubelite(&home.0, true, &["create", "-f", objects]).ok("create embedded");
    for args in cases {
        let want = server.kubectl(args);
        let mut remote = vec!["--cache-dir", cache];
        remote.extend_from_slice(args);
        same(
            "remote",
            &kubelite(&server.home.0, true, &remote),
            &want,
            args,
        );
        same("embedded", &kubelite(&home.0, true, args), &want, args);
    }
    let refused = server.kubectl(&["create", "-f", greedy]);
    assert!(
        refused.stderr.contains(
            "pods \"c\" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1"
        ),
        "{}",
        refused.stderr
    );
    let bare_refused = server.kubectl(&["create", "-f", bare]);
    assert!(
        bare_refused.stderr.contains(
            "failed quota: compute: must specify limits.cpu for: a,side; limits.memory for: a,side; requests.cpu for: a,side; requests.memory for: a,side"
        ),
        "{}",
        bare_refused.stderr
    );
    // A refusal writes nothing.
    let pods = server.kubectl(&["get", "pods", "-o", "name"]).ok("pods");
    assert_eq!(pods, "pod/b\n");
}
