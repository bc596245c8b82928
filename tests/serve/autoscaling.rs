//! HorizontalPodAutoscalers served at autoscaling/v2: the real kubectl against `kubelite
//! serve` and kubelite against the same server print the same bytes for the api-resources
//! row, get, describe (metrics, behavior) and kube-apiserver's defaults and validation.

use super::support::{
    Run, Server, TempDir, kubectl_available, kubelite, manifest, manifests, same,
};

const OBJECTS: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
        resources:
          requests: {cpu: 100m}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: mixed
  labels: {team: a}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 6
  metrics:
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  - type: Pods
    pods:
      metric: {name: requests}
      target: {type: AverageValue, averageValue: '10'}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
";

const BAD: &[&str] = &[
    "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad
spec:
  scaleTargetRef: {kind: Deployment, name: ''}
  minReplicas: 0
  maxReplicas: 0
",
    "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 2
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}}
",
    "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  maxReplicas: 2
  behavior:
    scaleUp:
      selectPolicy: Sometimes
      policies: [{type: Pods, value: 0, periodSeconds: 15}]
",
];

const CASES: &[&[&str]] = &[
    &["get", "hpa"],
    &["get", "hpa", "-o", "wide"],
    &[
        "get",
        "horizontalpodautoscalers.autoscaling",
        "web",
        "-o",
        "yaml",
    ],
    // Events' ages: kubectl counts from the wall clock, the serve under test runs on a
    // pinned one.
    &["describe", "hpa", "web", "--show-events=false"],
    &["describe", "hpa", "mixed", "--show-events=false"],
];

#[test]
fn horizontal_pod_autoscalers_match_kubectl() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("hpa-files");
    let objects = manifest(&files.0, "objects.yaml", OBJECTS);
    let objects = objects.to_str().unwrap();
    let bad = manifests(&files.0, "bad", BAD);
    server
        .kubectl(&["create", "-f", objects])
        .ok("create on serve");
    server.wait_until_settled();
    let resources = server.kubectl(&["api-resources"]).ok("api-resources");
    let row = "horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler";
    let words: Vec<&str> = row.split_whitespace().collect();
    assert!(
        resources
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == words),
        "no row {row:?} in\n{resources}"
    );
    let cache = TempDir::new("hpa-cache");
    let cache = cache.0.to_str().unwrap();
    let mut cases: Vec<Vec<&str>> = CASES.iter().map(|c| c.to_vec()).collect();
    for b in &bad {
        cases.push(vec!["create", "-f", b]);
    }
    for args in &cases {
        let want = server.kubectl(args);
        let mut remote = vec!["--cache-dir", cache];
        remote.extend_from_slice(args);
        same(
            "remote",
            &kubelite(&server.home.0, true, &remote),
            &want,
            args,
        );
    }
    // kube-apiserver's defaults: one minimum replica, 80% CPU, behavior completed.
    let fresh = manifest(
        &files.0,
        "fresh.yaml",
        &OBJECTS
            .split("---\n")
            .nth(1)
            .unwrap()
            .replace("name: web\nspec", "name: fresh\nspec"),
    );
    let web = server
        .kubectl(&["create", "--dry-run=server", "-f", fresh.to_str().unwrap(), "-o", "jsonpath={.spec.minReplicas} {.spec.metrics[0].resource.target.averageUtilization} {.status}"])
        .ok("jsonpath");
    assert_eq!(web, r#"1 80 {"currentMetrics":null,"desiredReplicas":0}"#);
    let mixed = server
        .kubectl(&["get", "hpa", "mixed", "-o", "jsonpath={.spec.behavior.scaleUp.policies[*].type} {.spec.behavior.scaleDown.stabilizationWindowSeconds}"])
        .ok("jsonpath");
    assert_eq!(mixed, "Pods Percent 60");
    let listed = server.kubectl(&["get", "hpa"]).ok("get");
    assert!(
        listed.contains("memory: 4194304/100Mi, cpu: 50%/50% + 1 more..."),
        "{listed}"
    );
    let invalid = server.kubectl(&["create", "-f", &bad[1]]);
    assert!(
        invalid.stderr.contains(
            "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"
        ),
        "{}",
        invalid.stderr
    );
    let described = server.kubectl(&["describe", "hpa", "mixed"]).ok("describe");
    assert!(
        described
            .contains("  resource cpu on pods  (as a percentage of request):  50% (50m) / 50%"),
        "{described}"
    );
}

/// kubelite embedded, one command per step of the cluster clock: the controller scales the
/// Deployment up from the pods' simulated usage (at most doubling a sync), and scales down
/// only once the 300 s stabilization window has passed.
#[test]
fn the_controller_scales_on_the_cluster_clock() {
    let home = TempDir::new("hpa-clock");
    // The Deployment and the `web` HPA (80% CPU, 1 to 5 replicas) only.
    let objects = OBJECTS.split("---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: mixed").next().unwrap();
    let files = TempDir::new("hpa-clock-files");
    let busy = manifest(
        &files.0,
        "busy.yaml",
        &objects.replace(
            "      labels: {app: web}\n    spec:",
            "      labels: {app: web}\n      annotations: {kubelite.io/cpu-usage: 200m}\n    spec:",
        ),
    );
    let at = |secs: i64, args: &[&str]| -> String {
        let now = format!("2026-01-01T00:{:02}:{:02}Z", secs / 60, secs % 60);
        let out = std::process::Command::new(super::support::BIN)
            .args(args)
            .env("KUBELITE_HOME", &home.0)
            .env("KUBELITE_NOW", now)
            .env_remove("KUBECONFIG")
            .output()
            .expect("run kubelite");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let replicas = |secs: i64| {
        at(
            secs,
            &["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"],
        )
    };
    at(0, &["apply", "-f", busy.to_str().unwrap()]);
    // 200m used of 100m requested: 200% against 80%; 2 -> 5 wanted, 4 allowed (doubling)
    // in the sync once the pods run, within the same command.
    assert_eq!(replicas(0), "4");
    let listed = at(0, &["get", "hpa", "web"]);
    assert!(listed.contains("cpu: 200%/80%"), "{listed}");
    assert_eq!(replicas(20), "5", "max 5 replicas");
    let idle =
        r#"{"spec":{"template":{"metadata":{"annotations":{"kubelite.io/cpu-usage":"10m"}}}}}"#;
    at(
        20,
        &["patch", "deploy", "web", "--type", "merge", "-p", idle],
    );
    // 10% now: the recommendation is 1, but within 300 s of the last scale it holds.
    assert_eq!(replicas(120), "5");
    assert_eq!(replicas(310), "5");
    assert_eq!(replicas(330), "1");
    let described = at(330, &["describe", "hpa", "web"]);
    assert!(
        described.contains(
            "New size: 5; reason: cpu resource utilization (percentage of request) above target"
        ),
        "{described}"
    );
    assert!(
        described.contains("New size: 1; reason: All metrics below target"),
        "{described}"
    );
}

/// kubectl's klog line for a missing required flag carries a time and a process id.
fn without_klog_prefix(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("run.go:72]") {
            Some(at) if l.starts_with('E') => &l[at..],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn same_masked(what: &str, got: &Run, want: &Run) {
    assert_eq!(got.stdout, want.stdout, "{what}: stdout");
    assert_eq!(
        without_klog_prefix(&got.stderr),
        without_klog_prefix(&want.stderr),
        "{what}: stderr"
    );
    assert_eq!(got.code, want.code, "{what}: exit code");
}

/// `autoscale` as the real kubectl does it, against serve: kubectl in namespace `k`,
/// kubelite through serve in `l`, and kubelite on its own embedded cluster in `k`, each
/// print the same bytes, and the autoscalers they made are alike (read at v2 and v1).
#[test]
fn autoscale_matches_kubectl() {
    require_kubectl!();
    let server = Server::start(true);
    let embedded = TempDir::new("autoscale-embedded");
    let files = TempDir::new("autoscale-files");
    let deploy = manifest(
        &files.0,
        "deploy.yaml",
        OBJECTS.split("---\n").next().unwrap(),
    );
    let deploy = deploy.to_str().unwrap();
    for ns in ["k", "l"] {
        server.kubectl(&["create", "namespace", ns]).ok("namespace");
        server
            .kubectl(&["create", "-f", deploy, "-n", ns])
            .ok("deployment");
        server
            .kubectl(&["create", "configmap", "cm1", "-n", ns])
            .ok("configmap");
    }
    for args in [
        &["create", "namespace", "k"][..],
        &["create", "-f", deploy, "-n", "k"],
        &["create", "configmap", "cm1", "-n", "k"],
    ] {
        kubelite(&embedded.0, true, args).ok("embedded setup");
    }
    let cases: &[&[&str]] = &[
        &[
            "deployment",
            "web",
            "--min=2",
            "--max=5",
            "--cpu-percent=70",
        ],
        &["deploy/web", "--max=3", "--name=w2", "-o", "name"],
        &["deployment", "web", "--max=3", "--name=w3", "--save-config"],
        &["-f", deploy, "--max=4", "--name=w4"],
        &["deployment", "web", "--max=3"],
        &["deployment", "web"],
        &["deployment", "web", "--max=2", "--min=3"],
        &["deployment", "web", "--max=0"],
        &["cm", "cm1", "--max=2"],
        &["--max=3"],
        &["deployment", "nope", "--max=3"],
        &["deployment", "--max=3"],
        &["deploy", "web", "rs/x", "--max=3"],
        &["deploy", "web", "--max=3", "--name=Bad_Name"],
        &[
            "deployment",
            "web",
            "--max=3",
            "--name=w9",
            "--cpu-percent=0",
        ],
        &[
            "deployment",
            "web",
            "--max=3",
            "--name=d1",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "deployment",
            "web",
            "--max=3",
            "--min=2",
            "--cpu-percent=50",
            "--name=d2",
            "--dry-run=client",
            "-o",
            "json",
            "--save-config",
        ],
        &[
            "deployment",
            "web",
            "--max=3",
            "--name=d3",
            "--dry-run=server",
        ],
        &[
            "deployment",
            "web",
            "--max=3",
            "--name=d4",
            "--dry-run=client",
        ],
    ];
    for case in cases {
        let args = |ns: &'static str| [&["autoscale", "-n", ns][..], case].concat();
        let want = server.kubectl(&args("k"));
        let what = case.join(" ");
        same_masked(
            &format!("serve: {what}"),
            &kubelite(&server.home.0, true, &args("l")),
            &want,
        );
        same_masked(
            &format!("embedded: {what}"),
            &kubelite(&embedded.0, true, &args("k")),
            &want,
        );
    }
    server.wait_until_settled();
    // kubectl sends autoscaling/v1; both versions read the one stored object.
    for name in ["web", "w2", "w3", "w4"] {
        for view in [
            "jsonpath={.spec} {.metadata.annotations}",
            "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage} {.spec.minReplicas} {.spec.maxReplicas}",
        ] {
            let kind = if view.contains("targetCPU") {
                "horizontalpodautoscalers.v1.autoscaling"
            } else {
                "hpa"
            };
            let get = |ns: &'static str| ["get", kind, name, "-n", ns, "-o", view];
            let want = server.kubectl(&get("k")).ok("kubectl's autoscaler");
            assert_eq!(
                server.kubectl(&get("l")).ok("serve's autoscaler"),
                want,
                "{name} {view}"
            );
            assert_eq!(
                kubelite(&embedded.0, true, &get("k")).ok("embedded autoscaler"),
                want,
                "{name} {view}"
            );
        }
    }
    let v1 = server
        .kubectl(&[
            "get",
            "horizontalpodautoscalers.v1.autoscaling",
            "web",
            "-n",
            "k",
            "-o",
            "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage} {.spec.minReplicas}",
        ])
        .ok("v1");
    assert_eq!(v1, "autoscaling/v1 70 2");
    // kubelite prints a v1 read (annotations and all) as kubectl does.
    for args in [
        &[
            "get",
            "horizontalpodautoscalers.v1.autoscaling",
            "-n",
            "k",
            "-o",
            "yaml",
        ][..],
        &["get", "hpa.v1.autoscaling", "-n", "k"],
        &[
            "get",
            "horizontalpodautoscalers.v1.autoscaling",
            "w2",
            "-n",
            "k",
            "-o",
            "json",
        ],
    ] {
        let want = server.kubectl(args);
        same_masked(
            &args.join(" "),
            &kubelite(&server.home.0, true, args),
            &want,
        );
    }
}
