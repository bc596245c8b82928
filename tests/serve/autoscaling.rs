//! HorizontalPodAutoscalers served at autoscaling/v2: the real kubectl against `kubelite
//! serve` and kubelite against the same server print the same bytes for the api-resources
//! row, get, describe (metrics, behavior) and kube-apiserver's defaults and validation.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};

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
    &["describe", "hpa", "web"],
    &["describe", "hpa", "mixed"],
];

fn same(what: &str, got: &Run, want: &Run, args: &[&str]) {
    assert_eq!(got.stdout, want.stdout, "{what} {args:?}: stdout");
    assert_eq!(got.stderr, want.stderr, "{what} {args:?}: stderr");
    assert_eq!(got.code, want.code, "{what} {args:?}: exit code");
}

#[test]
fn horizontal_pod_autoscalers_match_kubectl() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("hpa-files");
    let objects = manifest(&files.0, "objects.yaml", OBJECTS);
    let objects = objects.to_str().unwrap();
    let bad: Vec<String> = BAD
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let p = manifest(&files.0, &format!("bad{i}.yaml"), text);
            p.to_str().unwrap().to_string()
        })
        .collect();
    server
        .kubectl(&["create", "-f", objects])
        .ok("create on serve");
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
    let web = server
        .kubectl(&["get", "hpa", "web", "-o", "jsonpath={.spec.minReplicas} {.spec.metrics[0].resource.target.averageUtilization} {.status}"])
        .ok("jsonpath");
    assert_eq!(web, r#"1 80 {"currentMetrics":null,"desiredReplicas":0}"#);
    let mixed = server
        .kubectl(&["get", "hpa", "mixed", "-o", "jsonpath={.spec.behavior.scaleUp.policies[*].type} {.spec.behavior.scaleDown.stabilizationWindowSeconds}"])
        .ok("jsonpath");
    assert_eq!(mixed, "Pods Percent 60");
    let listed = server.kubectl(&["get", "hpa"]).ok("get");
    assert!(
        listed.contains("memory: <unknown>/100Mi, cpu: <unknown>/50% + 1 more..."),
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
            .contains("  resource cpu on pods  (as a percentage of request):  <unknown> / 50%"),
        "{described}"
    );
}
