//! Admission of the namespace policies: ResourceQuota refusals and usage, compared between
//! the real kubectl against `kubelite serve`, kubelite against the same server, and the
//! embedded kubelite.

use super::support::{Server, TempDir, kubectl_available, kubelite, manifest, same};
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
    services.nodeports: '1'
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
    // Updates are charged what they add: a service turning NodePort needs two node ports.
    let svc = [
        "create",
        "service",
        "clusterip",
        "s",
        "--tcp=80:80",
        "--tcp=81:81",
    ];
    server.kubectl(&svc).ok("service on serve");
    kubelite(&home.0, true, &svc).ok("service embedded");
    let patch = [
        "patch",
        "service",
        "s",
        "-p",
        r#"{"spec":{"type":"NodePort"}}"#,
    ];
    let want = server.kubectl(&patch);
    let mut remote = vec!["--cache-dir", cache];
    remote.extend_from_slice(&patch);
    same(
        "remote",
        &kubelite(&server.home.0, true, &remote),
        &want,
        &patch,
    );
    same("embedded", &kubelite(&home.0, true, &patch), &want, &patch);
    assert_eq!(
        want.stderr,
        "Error from server (Forbidden): services \"s\" is forbidden: exceeded quota: compute, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1\n"
    );
    // A refusal writes nothing.
    let pods = server.kubectl(&["get", "pods", "-o", "name"]).ok("pods");
    assert_eq!(pods, "pod/b\n");
}

/// One resource per item: kubectl's describe walks a Go map per item, so two resources in
/// one item come out in either order.
const LIMITS: &str = "apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    max: {cpu: '1'}
    min: {cpu: 100m}
    maxLimitRequestRatio: {cpu: '4'}
  - type: Container
    defaultRequest: {memory: 64Mi}
  - type: PersistentVolumeClaim
    min: {storage: 1Gi}
---
apiVersion: v1
kind: Pod
metadata:
  name: defaulted
spec:
  containers:
  - name: c
    image: nginx
";

const BIG: &str = "apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: c
    image: nginx
    resources: {limits: {cpu: '2'}, requests: {cpu: 200m}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: small
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 100Mi}}
";

#[test]
fn limit_ranges_default_and_refuse_as_kube_apiserver() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("limits-files");
    let limits = manifest(&files.0, "limits.yaml", LIMITS);
    let big = manifest(&files.0, "big.yaml", BIG);
    let (limits, big) = (limits.to_str().unwrap(), big.to_str().unwrap());
    server
        .kubectl(&["create", "-f", limits])
        .ok("create on serve");
    let home = TempDir::new("limits-embedded");
    kubelite(&home.0, true, &["create", "-f", limits]).ok("create embedded");
    let cache = TempDir::new("limits-cache");
    let cache = cache.0.to_str().unwrap();
    let resources =
        "jsonpath={.metadata.annotations}|{.spec.containers[0].resources}|{.status.qosClass}";
    let cases: &[&[&str]] = &[
        &["describe", "limits", "limits"],
        &["get", "limits", "limits", "-o", "yaml"],
        &["get", "pod", "defaulted", "-o", resources],
        &["create", "-f", big],
    ];
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
        if args[0] != "get" || args[1] != "limits" {
            // (The stored object's uid differs between two clusters.)
            same("embedded", &kubelite(&home.0, true, args), &want, args);
        }
    }
    let pod = server
        .kubectl(&["get", "pod", "defaulted", "-o", resources])
        .ok("pod");
    assert_eq!(
        pod,
        "{\"kubernetes.io/limit-ranger\":\"LimitRanger plugin set: cpu, memory request for container c; cpu limit for container c\"}|{\"limits\":{\"cpu\":\"1\"},\"requests\":{\"cpu\":\"1\",\"memory\":\"64Mi\"}}|Burstable"
    );
    let refused = server.kubectl(&["create", "-f", big]);
    assert!(
        refused.stderr.contains("pods \"big\" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000]"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("persistentvolumeclaims \"small\" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 100Mi"),
        "{}",
        refused.stderr
    );
}

const SECURED: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: secured
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: watched
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.32
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: v1
kind: Pod
metadata:
  name: good
  namespace: secured
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: c
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
";

const INSECURE: &str = "apiVersion: v1
kind: Pod
metadata:
  name: bad
  namespace: secured
spec:
  hostNetwork: true
  volumes:
  - name: host
    hostPath: {path: /}
  containers:
  - name: a
    image: nginx
    ports: [{containerPort: 80, hostPort: 80}]
    securityContext: {privileged: true}
  - name: b
    image: nginx
";

const PRIVILEGED: &str = "apiVersion: v1
kind: Pod
metadata:
  name: root
  namespace: watched
spec:
  containers:
  - name: c
    image: nginx
    securityContext: {privileged: true}
";

#[test]
fn pod_security_refuses_and_warns_as_kube_apiserver() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("psa-files");
    let secured = manifest(&files.0, "secured.yaml", SECURED);
    let insecure = manifest(&files.0, "insecure.yaml", INSECURE);
    let privileged = manifest(&files.0, "privileged.yaml", PRIVILEGED);
    let (secured, insecure, privileged) = (
        secured.to_str().unwrap(),
        insecure.to_str().unwrap(),
        privileged.to_str().unwrap(),
    );
    server
        .kubectl(&["create", "-f", secured])
        .ok("create on serve");
    let home = TempDir::new("psa-embedded");
    kubelite(&home.0, true, &["create", "-f", secured]).ok("create embedded");
    let cache = TempDir::new("psa-cache");
    let cache = cache.0.to_str().unwrap();
    // Refusals: the same through serve and embedded.
    for args in [["create", "-f", insecure], ["create", "-f", privileged]] {
        let want = server.kubectl(&args);
        let mut remote = vec!["--cache-dir", cache];
        remote.extend_from_slice(&args);
        same(
            "remote",
            &kubelite(&server.home.0, true, &remote),
            &want,
            &args,
        );
        same("embedded", &kubelite(&home.0, true, &args), &want, &args);
    }
    let refused = server.kubectl(&["create", "-f", insecure]);
    assert_eq!(
        refused.stderr,
        format!(
            "Error from server (Forbidden): error when creating \"{insecure}\": pods \"bad\" is forbidden: violates PodSecurity \"restricted:latest\": host namespaces (hostNetwork=true), hostPort (container \"a\" uses hostPort 80), privileged (container \"a\" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (containers \"a\", \"b\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]), restricted volume types (volume \"host\" uses restricted volume type \"hostPath\"), runAsNonRoot != true (pod or containers \"a\", \"b\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")\n"
        )
    );
    // Warnings travel as headers: serve only (kubelite's embedded verbs do not print them).
    let warned: &[&[&str]] = &[
        &[
            "create",
            "deploy",
            "d",
            "--image=nginx",
            "-n",
            "secured",
            "--dry-run=server",
        ],
        &[
            "run",
            "p",
            "--image=nginx",
            "-n",
            "watched",
            "--dry-run=server",
        ],
    ];
    for args in warned {
        let want = server.kubectl(args);
        let mut remote = vec!["--cache-dir", cache];
        remote.extend_from_slice(args);
        same(
            "remote",
            &kubelite(&server.home.0, true, &remote),
            &want,
            args,
        );
        assert!(
            want.stderr.starts_with("Warning: would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container "),
            "{args:?}: {}",
            want.stderr
        );
    }
    let pods = server
        .kubectl(&[
            "get",
            "pods",
            "-A",
            "-o",
            "name",
            "--field-selector=metadata.namespace!=kube-system",
        ])
        .ok("pods");
    assert_eq!(pods, "pod/good\n");
    // A stricter enforce level warns about the namespace's existing pods.
    server
        .kubectl(&["run", "plain", "--image=nginx", "-n", "watched"])
        .ok("run");
    let label = [
        "label",
        "--overwrite",
        "ns",
        "watched",
        "pod-security.kubernetes.io/enforce=restricted",
        "--dry-run=server",
    ];
    let want = server.kubectl(&label);
    let mut remote = vec!["--cache-dir", cache];
    remote.extend_from_slice(&label);
    same(
        "remote",
        &kubelite(&server.home.0, true, &remote),
        &want,
        &label,
    );
    assert_eq!(
        want.stderr,
        "Warning: existing pods in namespace \"watched\" violate the new PodSecurity enforce level \"restricted:v1.32\"\nWarning: plain: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n"
    );
}
