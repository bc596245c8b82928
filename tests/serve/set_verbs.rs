//! `set env`, `set resources`, `set serviceaccount`, `set selector` and `set subject`: the real kubectl
//! against one `kubelite serve`, kubelite against a second one (remote mode) and against an
//! embedded cluster, step by step. Each step must print the same bytes, exit the same way
//! and leave the workload the same; the deployment then rolls out the same.

use super::node_verbs::normalized;
use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};

/// A deployment of two containers, the sources of `--from`, a service and a bare pod.
const OBJECTS: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: nginx, env: [{name: A, value: '1'}]}
      - {name: side, image: busybox}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ini}
spec:
  replicas: 1
  selector: {matchLabels: {app: ini}}
  template:
    metadata: {labels: {app: ini}}
    spec:
      initContainers:
      - name: boot
        image: busybox
        env:
        - {name: P, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: R, valueFrom: {resourceFieldRef: {resource: limits.cpu, containerName: boot}}}
        - {name: M, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
      containers:
      - {name: app, image: nginx}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {X: '1', y.z: '2'}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {PASS: p, U: u}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: p1, labels: {app: p}}
spec:
  containers: [{name: c, image: nginx}]
";

/// `FILE` stands for the manifest above.
#[rustfmt::skip]
const STEPS: &[&[&str]] = &[
    &["set", "env", "deploy/web", "--list"],
    &["set", "env", "deploy/web", "B=2"],
    &["set", "env", "deploy/web", "B=2"],
    &["set", "env", "deploy/web", "B=3", "--overwrite=false"],
    &["set", "env", "deploy/web", "-c", "app", "C=1", "A-"],
    &["set", "env", "deploy/web", "--list", "-c", "side"],
    // One key: kubectl walks the ConfigMap's Go map, so with several keys its order is random.
    &["set", "env", "deploy/web", "--from=configmap/cm", "--keys=X", "--dry-run=client", "-o", "jsonpath={.spec.template.spec.containers[0].env}"],
    &["set", "env", "deploy/web", "--from=configmap/cm", "--keys=y.z", "-c", "app"],
    &["set", "env", "deploy/web", "--from=secret/sec", "--prefix=S_", "--keys=PASS", "-c", "app"],
    &["set", "env", "deploy/web", "--list"],
    &["set", "env", "deploy/web", "--list", "--resolve"],
    &["set", "env", "pod/p1", "X=1"],
    &["set", "env", "deploy/web"],
    &["set", "env"],
    &["set", "env", "deploy/web", "-c", "nope", "X=1"],
    &["set", "env", "deploy/web", "A-"],
    &["set", "env", "deploy/web", "1X=1"],
    &["set", "env", "deploy/web", "X=1", "-o", "name", "--dry-run=server"],
    &["set", "env", "deploy/web", "X=1", "--dry-run=client"],
    &["set", "env", "deploy/web", "--list", "-o", "yaml"],
    &["set", "env", "deploy/web", "--from=secret/nope"],
    &["set", "env", "deploy/web", "--from=svc/svc"],
    &["set", "env", "deploy/web", "--keys=Q"],
    &["set", "env", "deploy/web", "X=1", "X-"],
    &["set", "env", "deploy/web", "X"],
    &["set", "env", "deploy/web", "-e", "Y=1"],
    &["set", "env", "deploy/nope", "Y=1"],
    &["set", "env", "deploy", "Y=1"],
    &["set", "env", "deploy", "--all", "Z=1"],
    &["set", "env", "deploy", "-l", "app=web", "Q=2"],
    &["set", "env", "svc/svc", "Z=1"],
    &["set", "env", "svc/svc", "cm/cm", "Z=1"],
    &["set", "env", "svc/svc", "deploy/nope", "Z=1"],
    &["set", "env", "svc/svc", "deploy/web", "-c", "app", "--overwrite=false", "B=5"],
    &["set", "env", "-f", "FILE", "Q=1", "--dry-run=client"],
    &["set", "env", "deploy/web", "pod/p1", "W=1"],
    &["set", "env", "deploy/ini", "--list"],
    &["set", "env", "deploy/ini", "--list", "--resolve"],
    &["set", "env", "deploy/ini", "-c", "b*", "K=1", "-o", "jsonpath={.spec.template.spec.initContainers[0].env}"],
    &["set", "resources", "deploy/ini", "--limits=cpu=1500m,memory=1G", "-o", "jsonpath={.spec.template.spec}"],
    &["set", "env", "deploy/ini", "--list", "--resolve"],
    &["set", "resources", "deploy/web", "--limits=cpu=200m,memory=512Mi", "--requests=cpu=0.1"],
    &["set", "resources", "deploy/web", "--limits=cpu=200m,memory=512Mi", "--requests=cpu=0.1"],
    &["set", "resources", "deploy/web", "-c", "side", "--limits=cpu=1000m,memory=1Gi", "--dry-run=client", "-o", "jsonpath={.spec.template.spec.containers[*].resources}"],
    &["set", "resources", "deploy/web", "-c", "nope", "--limits=cpu=1"],
    &["set", "resources", "deploy/web"],
    &["set", "resources", "deploy/web", "--limits=cpu=abc"],
    &["set", "resources", "deploy/web", "--limits=cpu"],
    &["set", "resources", "deploy/web", "--requests=cpu=2"],
    &["set", "resources", "pod/p1", "--limits=cpu=1"],
    &["set", "resources", "svc/svc", "--limits=cpu=1"],
    &["set", "resources"],
    &["set", "resources", "deploy/web", "--limits=cpu=1", "--dry-run=bogus"],
    &["set", "resources", "-f", "FILE", "--limits=cpu=1", "--dry-run=server"],
    &["set", "sa", "deploy/web", "mysa"],
    &["set", "sa", "deploy/web", "mysa"],
    &["set", "serviceaccount", "deploy/web"],
    &["set", "sa", "deploy/web", "a", "b"],
    &["set", "sa", "pod/p1", "x"],
    &["set", "sa", "svc/svc", "x"],
    &["set", "sa", "deploy/web", "other", "--dry-run=client", "-o", "name"],
    &["set", "sa"],
    &["set", "sa", "deploy/web", "x", "-l", "app=web"],
    &["set", "sa", "-f", "FILE", "x", "--dry-run=client"],
    &["set", "selector", "svc/svc", "app=web2"],
    &["set", "selector", "svc/svc", "app=web2"],
    &["set", "selector", "svc/svc", "app in (a)"],
    &["set", "selector", "svc", "svc", "x=y,z=w", "--dry-run=client", "-o", "jsonpath={.spec.selector}"],
    &["set", "selector", "svc/svc"],
    &["set", "selector", "deploy/web", "app=web"],
    &["set", "selector", "svc/svc", "a=b", "--resource-version=1"],
    &["set", "selector", "svc", "--all", "a=b", "--dry-run=client"],
    &["set", "selector"],
    &["set", "selector", "svc/svc", "a=b", "-l", "x=y"],
    &["set", "selector", "svc/svc", "a!=b"],
    &["set", "selector", "svc/svc", "a"],
    &["set", "selector", "svc/svc", "a==b"],
    &["set", "selector", "svc/svc", "deploy/web", "c=d"],
    &["set", "selector", "svc/svc", ""],
    &["set", "selector", "-f", "FILE", "x=y", "--dry-run=client"],
    &["set", "selector", "svc/svc", "a=b", "--dry-run=server", "-o", "json"],
    &["set", "env", "deploy/web", "--from=configmap/cm", "--keys=X", "--dry-run=client", "-o", "json"],
    &["set", "env", "deploy/ini", "--list"],
];

/// What the steps change: the deployment's pod spec and the service's selector.
fn workload(get: impl Fn(&[&str]) -> Run) -> String {
    let deploy = get(&[
        "get",
        "deploy",
        "web",
        "-o",
        "jsonpath={.spec.template.spec}",
    ]);
    let svc = get(&["get", "svc", "svc", "-o", "jsonpath={.spec.selector}"]);
    format!(
        "{}\n{}",
        deploy.ok("read the deployment"),
        svc.ok("read the service")
    )
}

/// Each ReplicaSet of the deployment as `replicas env`, sorted (their names are hashes).
fn rollout(get: impl Fn(&[&str]) -> Run) -> Vec<String> {
    let text = get(&[
        "get",
        "rs",
        "-l",
        "app=web",
        "-o",
        "jsonpath={range .items[*]}{.spec.replicas} {.spec.template.spec.containers[0].env}{\"\\n\"}{end}",
    ])
    .ok("read the replica sets");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// kubectl's stderr with its usage hints (`See 'kubectl set -h' ...`) naming kubelite,
/// which names itself there.
fn as_kubelite(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match l.strip_prefix("See 'kubectl ") {
            Some(rest) => format!("See 'kubelite {rest}\n"),
            None => format!("{l}\n"),
        })
        .collect()
}

/// An object printed as JSON or YAML without what differs between two clusters: ids, times,
/// addresses and the status (a rollout may be further along in one).
fn masked(stdout: &str) -> String {
    let body = stdout.split("\n    \"status\": ").next().unwrap_or("");
    body.lines()
        .filter(|l| {
            ![
                "\"uid\"",
                "uid: ",
                "resourceVersion",
                "Timestamp",
                "\"generation\"",
                "clusterIP",
                "10.",
            ]
            .iter()
            .any(|w| l.contains(w))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn same(step: &str, what: &str, want: &str, got: &str) {
    assert_eq!(
        want, got,
        "{step}: {what} differs (left kubectl, right kubelite)"
    );
}

fn with_file<'a>(step: &[&'a str], file: &'a str) -> Vec<&'a str> {
    step.iter()
        .map(|a| if *a == "FILE" { file } else { *a })
        .collect()
}

#[test]
fn set_env_resources_serviceaccount_selector_match_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let served = Server::start(false);
    let embedded = TempDir::new("embedded");
    let dir = TempDir::new("objects");
    let file = manifest(&dir.0, "objects.yaml", OBJECTS);
    let file = file.to_str().expect("utf-8 path");
    oracle
        .kubectl(&["create", "-f", file])
        .ok("create (kubectl)");
    for home in [&served.home.0, &embedded.0] {
        kubelite(home, false, &["create", "-f", file]).ok("create (kubelite)");
    }
    oracle.wait_until_settled();
    served.wait_until_settled();
    for step in STEPS {
        let step = with_file(step, file);
        let line = step.join(" ");
        let want = oracle.kubectl(&step);
        let want_state = workload(|a| oracle.kubectl(a));
        for (mode, home) in [("serve", &served.home.0), ("embedded", &embedded.0)] {
            let got = kubelite(home, false, &step);
            let step = format!("{mode}: {line}");
            same(&step, "stdout", &masked(&want.stdout), &masked(&got.stdout));
            same(
                &step,
                "stderr",
                &normalized(&as_kubelite(&want.stderr)),
                &normalized(&got.stderr),
            );
            same(
                &step,
                "exit code",
                &want.code.to_string(),
                &got.code.to_string(),
            );
            same(
                &step,
                "objects",
                &want_state,
                &workload(|a| kubelite(home, false, a)),
            );
        }
    }
    // The template changes rolled the deployment out: the same ReplicaSets, the newest
    // holding the one replica.
    oracle.wait_until_settled();
    served.wait_until_settled();
    let want = rollout(|a| oracle.kubectl(a));
    assert!(want.len() > 1, "no rollout happened: {want:?}");
    for home in [&served.home.0, &embedded.0] {
        same(
            "rollout",
            "replica sets",
            &format!("{want:?}"),
            &format!("{:?}", rollout(|a| kubelite(home, false, a))),
        );
    }
}

/// Two bindings and a deployment for `set subject`.
const BINDINGS: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: bob}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: g1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nginx}]}
";

#[rustfmt::skip]
const SUBJECT_STEPS: &[&[&str]] = &[
    &["set", "subject", "rolebinding", "rb", "--user=alice", "--dry-run=client"],
    // Already bound: nothing is patched or printed.
    &["set", "subject", "rolebinding", "rb", "--user=bob"],
    &["set", "subject", "rolebinding", "rb", "--user=b", "--user=a", "--user=b", "--serviceaccount=:sa", "--group=g"],
    &["set", "subject", "clusterrolebinding", "crb", "--serviceaccount=:sa"],
    &["set", "subject", "clusterrolebinding", "crb", "--serviceaccount=sa"],
    &["set", "subject", "clusterrolebinding", "crb", "--serviceaccount=kube-system:sa", "-o", "name"],
    &["set", "subject", "rolebinding", "rb"],
    &["set", "subject", "deploy", "web", "--user=x"],
    &["set", "subject", "rolebinding", "nope", "--user=x"],
    &["set", "subject", "rolebindings", "--all", "-l", "a=b", "--user=u"],
    &["set", "subject", "rolebinding", "rb", "--user=x", "-o", "json", "--dry-run=server"],
    &["set", "subject", "rolebinding/rb", "clusterrolebinding/crb", "--group=zz"],
    &["set", "subject", "rolebinding/rb", "deploy/web", "--group=yy"],
    &["set", "subject"],
    &["set", "subject", "rolebinding", "rb", "--user=q", "-o", "yaml"],
];

/// The subjects of both bindings.
fn subjects(get: impl Fn(&[&str]) -> Run) -> String {
    let jsonpath = "-o=jsonpath={.subjects}";
    let rb = get(&["get", "rolebinding", "rb", jsonpath]);
    let crb = get(&["get", "clusterrolebinding", "crb", jsonpath]);
    format!("{}\n{}", rb.stdout, crb.stdout)
}

/// `set subject`: kubectl 1.32 against serve, kubelite against a second serve and an
/// embedded cluster; the bytes, the exit codes and the subjects left behind agree.
#[test]
fn set_subject_matches_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let served = Server::start(false);
    let embedded = TempDir::new("subject-embedded");
    let dir = TempDir::new("subject-objects");
    let file = manifest(&dir.0, "bindings.yaml", BINDINGS);
    let file = file.to_str().expect("utf-8 path");
    oracle
        .kubectl(&["create", "-f", file])
        .ok("create (kubectl)");
    for home in [&served.home.0, &embedded.0] {
        kubelite(home, false, &["create", "-f", file]).ok("create (kubelite)");
    }
    for step in SUBJECT_STEPS {
        let line = step.join(" ");
        let want = oracle.kubectl(step);
        let want_state = subjects(|a| oracle.kubectl(a));
        for (mode, home) in [("serve", &served.home.0), ("embedded", &embedded.0)] {
            let got = kubelite(home, false, step);
            let step = format!("{mode}: {line}");
            same(&step, "stdout", &masked(&want.stdout), &masked(&got.stdout));
            same(
                &step,
                "stderr",
                &normalized(&as_kubelite(&want.stderr)),
                &normalized(&got.stderr),
            );
            same(
                &step,
                "exit code",
                &want.code.to_string(),
                &got.code.to_string(),
            );
            same(
                &step,
                "subjects",
                &want_state,
                &subjects(|a| kubelite(home, false, a)),
            );
        }
    }
}

/// `--local` (edit a file without a server) is refused as an unknown flag.
#[test]
fn set_local_is_an_unknown_flag() {
    let home = TempDir::new("subject");
    let local = kubelite(
        &home.0,
        false,
        &["set", "env", "deploy/web", "X=1", "--local"],
    );
    assert_eq!(local.code, 1);
    assert_eq!(
        local.stderr,
        "Error: unknown flag: --local\nSee 'kubelite set env --help' for usage.\n"
    );
}
