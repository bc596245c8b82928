//! The policy, scheduling, networking and node kinds and the ReplicationController: the real
//! kubectl against `kubelite serve` and kubelite itself print the same rows, wide rows and
//! descriptions, and discovery lists them as a kubeadm 1.32 cluster does.

use super::support::{FIXED_NOW, Server, TempDir, kubectl_available, manifest};
use std::process::Command;

const MANIFESTS: &str = r#"apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 25%
  selector:
    matchLabels:
      app: web
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: rc1
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: rc1
    spec:
      containers:
      - name: c
        image: nginx
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector: {}
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [10.1.0.0/16]
    ports:
    - port: 80
    - port: 8000
      endPort: 9000
  - {}
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          team: a
      podSelector:
        matchLabels:
          x: z
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
  parameters:
    apiGroup: k8s.example.com
    kind: IngressParameters
    name: external-lb
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  tls:
  - hosts: [a.example.com]
    secretName: cert
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high
value: 1000
description: for the important ones
---
apiVersion: v1
kind: PodTemplate
metadata:
  name: pt
template:
  metadata:
    labels:
      a: b
  spec:
    containers:
    - name: c
      image: busybox
"#;

/// kubelite in embedded mode on the server's home (it reaches the server over HTTP).
fn kubelite(server: &Server, args: &[&str]) -> (String, String, i32) {
    let out = Command::new(super::support::BIN)
        .args(args)
        .env("KUBELITE_HOME", &server.home.0)
        .env("KUBELITE_NOW", FIXED_NOW)
        .env_remove("KUBECONFIG")
        .output()
        .expect("run kubelite");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn served_like_kubeadm_and_printed_like_kubectl() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("policy-kinds");
    let file = manifest(&dir.0, "kinds.yaml", MANIFESTS);
    let out = s
        .kubectl(&["create", "-f", file.to_str().expect("path")])
        .ok("create");
    assert_eq!(out.lines().count(), 8, "{out}");
    s.wait_until_settled();

    let rows = s.kubectl(&["api-resources"]).ok("api-resources");
    for want in [
        ["podtemplates", "v1", "true", "PodTemplate"].as_slice(),
        &[
            "replicationcontrollers",
            "rc",
            "v1",
            "true",
            "ReplicationController",
        ],
        &[
            "ingressclasses",
            "networking.k8s.io/v1",
            "false",
            "IngressClass",
        ],
        &[
            "ingresses",
            "ing",
            "networking.k8s.io/v1",
            "true",
            "Ingress",
        ],
        &[
            "networkpolicies",
            "netpol",
            "networking.k8s.io/v1",
            "true",
            "NetworkPolicy",
        ],
        &["runtimeclasses", "node.k8s.io/v1", "false", "RuntimeClass"],
        &[
            "poddisruptionbudgets",
            "pdb",
            "policy/v1",
            "true",
            "PodDisruptionBudget",
        ],
        &[
            "priorityclasses",
            "pc",
            "scheduling.k8s.io/v1",
            "false",
            "PriorityClass",
        ],
    ] {
        assert!(
            rows.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == want),
            "{want:?} missing:\n{rows}"
        );
    }
    let all = s.kubectl(&["api-resources", "--categories=all", "-o", "name"]);
    assert!(
        all.stdout.contains("replicationcontrollers\n"),
        "{}",
        all.stdout
    );

    let mut diffs = Vec::new();
    for args in [
        [
            "get",
            "pdb,rc,netpol,ingressclass,ing,runtimeclass,podtemplate",
            "-o",
            "wide",
        ]
        .as_slice(),
        &["get", "pc", "high"],
        &["describe", "pdb", "web"],
        &["describe", "rc", "rc1", "--show-events=false"],
        &["describe", "netpol", "deny"],
        &["describe", "ingressclass", "nginx"],
        &["describe", "ing", "web"],
        &["describe", "runtimeclass", "gvisor"],
        &["describe", "podtemplate", "pt"],
        &["describe", "pc", "high"],
    ] {
        let want = s.kubectl(args);
        let (out, err, code) = kubelite(&s, args);
        assert_eq!(want.code, 0, "kubectl {args:?}: {}", want.stderr);
        if (want.stdout.as_str(), want.stderr.as_str(), want.code) != (&out, &err, code) {
            diffs.push(format!(
                "{args:?}\n--- kubectl\n{}{}--- kubelite\n{out}{err}",
                want.stdout, want.stderr
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));

    // Stored under kube-apiserver's keys.
    for key in [
        "/registry/poddisruptionbudgets/default/web",
        "/registry/controllers/default/rc1",
        "/registry/ingress/default/web",
        "/registry/priorityclasses/high",
    ] {
        let run = s.kubectl(&[
            "exec",
            "etcd-master",
            "-n",
            "kube-system",
            "--",
            "etcdctl",
            "get",
            key,
            "--keys-only",
        ]);
        assert_eq!((run.code, run.stdout.trim()), (0, key), "{}", run.stderr);
    }
}

#[test]
fn validation_messages_are_kube_apiservers() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("policy-invalid");
    for (doc, want) in [
        (
            "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: huge\nvalue: 2000000000\n",
            "The PriorityClass \"huge\" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000\n",
        ),
        (
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\nspec:\n  minAvailable: 120%\n",
            "The PodDisruptionBudget \"p\" is invalid: spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be greater than 100%\n",
        ),
        (
            "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: r\nspec:\n  selector:\n    app: x\n  template:\n    metadata:\n      labels:\n        app: other\n    spec:\n      containers:\n      - name: c\n        image: i\n",
            "The ReplicationController \"r\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`\n",
        ),
        (
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
            "The Ingress \"i\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified\n",
        ),
    ] {
        let file = manifest(&dir.0, "bad.yaml", doc);
        let run = s.kubectl(&["create", "-f", file.to_str().expect("path")]);
        assert_eq!((run.code, run.stderr.as_str()), (1, want), "{doc}");
    }
}

#[test]
fn priority_admission_as_kube_does_it() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("priority");
    let out = s.kubectl(&["get", "pc", "-o", "name"]).ok("get pc");
    assert_eq!(
        out,
        "priorityclass.scheduling.k8s.io/system-cluster-critical\npriorityclass.scheduling.k8s.io/system-node-critical\n"
    );
    s.kubectl(&["create", "pc", "low", "--value=5", "--global-default"])
        .ok("create pc");
    let second = s.kubectl(&["create", "pc", "other", "--value=6", "--global-default"]);
    assert_eq!(
        (second.code, second.stderr.as_str()),
        (
            1,
            "error: failed to create priorityclass: priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass low is already marked as default. Only one default can exist\n"
        )
    );
    let pod = |name: &str, extra: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{extra}  containers:\n  - name: c\n    image: nginx\n"
        )
    };
    let create = |doc: String| {
        let file = manifest(&dir.0, "pod.yaml", &doc);
        s.kubectl(&["create", "-f", file.to_str().expect("path")])
    };
    create(pod("plain", "")).ok("plain pod");
    let out = s
        .kubectl(&[
            "get",
            "pod",
            "plain",
            "-o",
            "jsonpath={.spec.priorityClassName} {.spec.priority} {.spec.preemptionPolicy}",
        ])
        .ok("get pod");
    assert_eq!(out, "low 5 PreemptLowerPriority");
    let file = dir.0.join("pod.yaml");
    let file = file.to_str().expect("path");
    for (extra, message) in [
        (
            "  priorityClassName: nope\n",
            "pods \"p\" is forbidden: no PriorityClass with name nope was found",
        ),
        (
            "  priorityClassName: system-node-critical\n  priority: 7\n",
            "pods \"p\" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 2000001000 from the given PriorityClass name",
        ),
    ] {
        let run = create(pod("p", extra));
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (
                1,
                format!(
                    "Error from server (Forbidden): error when creating \"{file}\": {message}\n"
                )
                .as_str()
            ),
            "{extra}"
        );
    }
    let run = s.kubectl(&["delete", "pc", "system-node-critical"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "Error from server (Forbidden): priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system priority class and cannot be deleted\n"
        )
    );
}

const GUARDED: &str = "apiVersion: apps/v1
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
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
";

/// stdout and stderr as sorted lines (kubectl evicts pods in parallel, so its lines come
/// in any order), the parts of its bracketed aggregates sorted too.
fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| match (l.find('['), l.rfind(']')) {
            (Some(a), Some(b)) if a < b => {
                let inner = l[a + 1..b].replace(", error when", "\0error when");
                let mut parts: Vec<&str> = inner.split('\0').collect();
                parts.sort_unstable();
                format!("{}[{}]{}", &l[..a], parts.join(", "), &l[b + 1..])
            }
            _ => l.to_string(),
        })
        .collect();
    lines.sort();
    lines
}

/// A budget that allows no disruption: the eviction is refused with kube's 429, kubectl
/// and kubelite retry every 5 s until `--timeout`, and the budget's status says why.
#[test]
fn drain_retries_evictions_a_budget_refuses() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("pdb-drain");
    let file = manifest(&dir.0, "guarded.yaml", GUARDED);
    s.kubectl(&["create", "-f", file.to_str().expect("path")])
        .ok("create");
    // Bounded poll: the budget reports both pods healthy.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let out = s.kubectl(&[
            "get",
            "pdb",
            "web",
            "-o",
            "jsonpath={.status.currentHealthy}/{.status.desiredHealthy}/{.status.disruptionsAllowed}",
        ]);
        if out.stdout == "2/2/0" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{}", out.stdout);
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let reason = s
        .kubectl(&[
            "get",
            "pdb",
            "web",
            "-o",
            "jsonpath={.status.conditions[0].type} {.status.conditions[0].status} {.status.conditions[0].reason}",
        ])
        .ok("condition");
    assert_eq!(reason, "DisruptionAllowed False InsufficientPods");
    let args = [
        "drain",
        "node01",
        "--ignore-daemonsets",
        "--pod-selector=app=web",
        "--timeout=6s",
    ];
    let want = s.kubectl(&args);
    assert_eq!(want.code, 1, "{}", want.stderr);
    assert!(
        want.stderr.contains("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n"),
        "{}",
        want.stderr
    );
    assert!(
        want.stderr.contains("global timeout reached: 6s"),
        "{}",
        want.stderr
    );
    s.kubectl(&["uncordon", "node01"]).ok("uncordon");
    let (out, err, code) = kubelite(&s, &args);
    assert_eq!(
        (
            sorted_lines(&want.stdout),
            sorted_lines(&want.stderr),
            want.code
        ),
        (sorted_lines(&out), sorted_lines(&err), code)
    );
}

/// ReplicationControllers: their controller keeps the replicas, `scale` and `expose` work
/// on them, and `rollout` refuses them in kubectl's words.
#[test]
fn replication_controllers_scale_expose_and_refuse_rollouts() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("rc");
    let file = manifest(
        &dir.0,
        "rc.yaml",
        "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc1}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: rc1}}\n    spec:\n      containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]\n",
    );
    s.kubectl(&["create", "-f", file.to_str().expect("path")])
        .ok("create");
    let count = |want: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let out = s
                .kubectl(&["get", "pods", "-l", "app=rc1", "-o", "name"])
                .stdout;
            let ready = s
                .kubectl(&["get", "rc", "rc1", "-o", "jsonpath={.status.readyReplicas}"])
                .stdout;
            if out.lines().count() == want && ready == want.to_string() {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "{out}");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };
    count(2);
    let (out, err, code) = kubelite(&s, &["scale", "rc", "rc1", "--replicas=3"]);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("replicationcontroller/rc1 scaled\n", "", 0)
    );
    count(3);
    let mut diffs = Vec::new();
    for args in [
        ["get", "rc", "-o", "wide"].as_slice(),
        // kubectl measures event ages on its own clock, not the server's fixed one.
        &["describe", "rc", "rc1", "--show-events=false"],
        &["rollout", "status", "rc/rc1"],
        &["rollout", "history", "rc/rc1"],
        &["rollout", "undo", "rc/rc1"],
        &["rollout", "restart", "rc/rc1"],
        &["scale", "rc", "rc1", "--current-replicas=2", "--replicas=1"],
    ] {
        let want = s.kubectl(args);
        let (out, err, code) = kubelite(&s, args);
        if (want.stdout.as_str(), want.stderr.as_str(), want.code) != (&out, &err, code) {
            diffs.push(format!(
                "{args:?}\n--- kubectl ({})\n{}{}--- kubelite ({code})\n{out}{err}",
                want.code, want.stdout, want.stderr
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    let (out, err, code) = kubelite(&s, &["expose", "rc", "rc1", "--port=80"]);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("service/rc1 exposed\n", "", 0)
    );
    let selector = s
        .kubectl(&["get", "svc", "rc1", "-o", "jsonpath={.spec.selector}"])
        .ok("svc");
    assert_eq!(selector, r#"{"app":"rc1"}"#);
}

/// DefaultIngressClass admission: an Ingress naming no class gets the default one.
#[test]
fn ingresses_without_a_class_get_the_default_one() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("ingress-class");
    let file = manifest(
        &dir.0,
        "class.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\nspec: {controller: k8s.io/ingress-nginx}\n",
    );
    s.kubectl(&["create", "-f", file.to_str().expect("path")])
        .ok("class");
    s.kubectl(&["create", "ingress", "a", "--rule=x.com/=s:80"])
        .ok("a");
    s.kubectl(&[
        "create",
        "ingress",
        "b",
        "--rule=x.com/=s:80",
        "--class=other",
    ])
    .ok("b");
    let out = s
        .kubectl(&[
            "get",
            "ing",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}={.spec.ingressClassName} {end}",
        ])
        .ok("get");
    assert_eq!(out, "a=nginx b=other ");
}
