//! kubelite's remote mode against an API server that is not kubelite: a small mock that
//! records every request and answers like kube-apiserver from a script. kubelite and the
//! real kubectl are each run against a fresh mock with the same script; their stdout,
//! stderr, exit status AND the requests they sent must be the same (see `run.rs` for the
//! few normalisations).

mod attach;
mod container;
mod discovery;
mod http;
mod portforward;
mod protobuf;
mod run;
mod tables;
mod websocket;
mod world;

use serde_json::json;
use world::World;

/// Skips (with a note) where the real kubectl is missing; the oracle cannot run there.
macro_rules! require_kubectl {
    () => {
        if run::kubectl_program().is_none() {
            eprintln!("kubectl is not on the PATH: SKIPPED");
            return;
        }
    };
}

mod autoscale;
mod certificates;
mod cp;
mod debug;
mod describe;
mod discovery_cache;
mod edit_diff;
mod last_stop;
mod proxy;
mod run_attach;
mod tokens;

/// A two-container pod, a pod held by a finalizer, a Deployment and a DaemonSet mid-rollout.
pub(crate) fn cluster(w: &World) {
    let containers =
        json!([{"name": "app", "image": "nginx:1"}, {"name": "sidecar", "image": "busybox"}]);
    w.add(
        "pods",
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "web-1", "namespace": "default", "labels": {"app": "web"}},
               "spec": {"containers": containers, "nodeName": "node-1"},
               "status": {"phase": "Running"}}),
    );
    w.add(
        "pods",
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "doomed", "namespace": "default", "labels": {"app": "held"},
                            "finalizers": ["mock.example/hold"]},
               "spec": {"containers": [{"name": "app", "image": "nginx:1"}]},
               "status": {"phase": "Running"}}),
    );
    w.add(
        "pods",
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "doomed-2", "namespace": "default", "labels": {"app": "held"},
                            "finalizers": ["mock.example/hold"]},
               "spec": {"containers": [{"name": "app", "image": "nginx:1"}]},
               "status": {"phase": "Running"}}),
    );
    w.add(
        "deployments",
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "web", "namespace": "default", "generation": 2, "labels": {"app": "web"}},
               "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                        "template": {"metadata": {"labels": {"app": "web"}},
                                     "spec": {"containers": [{"name": "app", "image": "nginx:1"}, {"name": "sidecar", "image": "busybox"}]}}},
               "status": {"observedGeneration": 2, "replicas": 3, "updatedReplicas": 1, "readyReplicas": 2, "availableReplicas": 2}}),
    );
    w.script(
        "deployments",
        "default",
        "web",
        vec![
            json!({"status": {"replicas": 3, "updatedReplicas": 2, "availableReplicas": 2}}),
            json!({"status": {"replicas": 2, "updatedReplicas": 2, "availableReplicas": 1}}),
            json!({"status": {"replicas": 2, "updatedReplicas": 2, "availableReplicas": 2, "readyReplicas": 2}}),
        ],
        false,
    );
    w.add(
        "daemonsets",
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
               "metadata": {"name": "agent", "namespace": "default", "generation": 1},
               "spec": {"selector": {"matchLabels": {"app": "agent"}}, "updateStrategy": {"type": "RollingUpdate"},
                        "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "a", "image": "a"}]}}},
               "status": {"observedGeneration": 1, "desiredNumberScheduled": 2, "updatedNumberScheduled": 1, "numberAvailable": 1}}),
    );
    w.script(
        "daemonsets",
        "default",
        "agent",
        vec![
            json!({"status": {"updatedNumberScheduled": 2, "numberAvailable": 1}}),
            json!({"status": {"updatedNumberScheduled": 2, "numberAvailable": 2}}),
        ],
        false,
    );
}

/// `cluster`, where the pod `web-1` changes phase twice and then the server ends the watch.
fn changing_pod(w: &World) {
    cluster(w);
    w.script(
        "pods",
        "default",
        "web-1",
        vec![
            json!({"status": {"phase": "Succeeded"}}),
            json!({"status": {"phase": "Failed"}}),
        ],
        true,
    );
}

fn check(setup: &dyn Fn(&World), cases: &[&[&str]]) {
    check_with(setup, &[], cases);
}

/// `check`, with more files (relative path, text) beside `typo.yaml` and `cm.yaml`.
fn check_with(setup: &dyn Fn(&World), files: &[(&str, &str)], cases: &[&[&str]]) {
    let dir = run::Scratch::new("files");
    let base = [
        (
            "typo.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndataa:\n  a: b\n",
        ),
        (
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n",
        ),
    ];
    for (path, text) in base.iter().chain(files) {
        let p = dir.0.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let failures: Vec<String> = cases
        .iter()
        .map(|args| run::differences(setup, args, &dir.0))
        .filter(|d| !d.is_empty())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn logs_match_kubectl() {
    require_kubectl!();
    check(
        &cluster,
        &[
            &["logs", "web-1", "-c", "app"],
            &["logs", "web-1"],
            &["logs", "web-1", "-c", "app", "--tail=2", "--timestamps"],
            &[
                "logs",
                "web-1",
                "-c",
                "sidecar",
                "--since=1h",
                "--limit-bytes=20",
                "-p",
            ],
            &["logs", "web-1", "-c", "app", "-f"],
            &["logs", "nope"],
            // One pod matches, so kubectl's map order cannot change the requests' order.
            &["logs", "-l", "app=web", "-c", "sidecar", "--prefix"],
            &["logs", "-l", "app=web", "--tail=3"],
            &["logs", "-l", "app=web", "--prefix", "-f"],
            &["logs", "-l", "app=held", "-f", "--max-log-requests=1"],
            &["logs", "-l", "app=none"],
            &["logs", "web-1", "-c", "app", "--all-containers"],
            &[
                "logs",
                "-l",
                "app=web",
                "--all-containers",
                "-f",
                "--max-log-requests=1",
            ],
        ],
    );
}

#[test]
fn rollout_status_watches_the_rollout_to_its_end() {
    require_kubectl!();
    check(
        &cluster,
        &[
            &["rollout", "status", "deploy/web"],
            &["rollout", "status", "ds/agent"],
        ],
    );
}

#[test]
fn delete_waits_for_the_finalizer_by_watching() {
    require_kubectl!();
    check(
        &cluster,
        &[
            &["delete", "pod", "doomed"],
            &["delete", "pod", "web-1", "--wait=false"],
        ],
    );
}

#[test]
fn get_watch_streams_until_the_server_ends_it() {
    require_kubectl!();
    check(
        &changing_pod,
        &[
            &["get", "pods", "-w"],
            &["get", "pod", "web-1", "-w", "-o", "name"],
        ],
    );
}

#[test]
fn writes_match_kubectl() {
    require_kubectl!();
    check(
        &cluster,
        &[
            &["label", "pod", "web-1", "tier=front"],
            &["scale", "deploy", "web", "--replicas=3"],
            &["set", "image", "deploy/web", "app=nginx:2"],
            &["create", "-f", "typo.yaml"],
            &["create", "-f", "cm.yaml"],
            &["create", "-f", "cm.yaml", "--save-config"],
        ],
    );
}

#[test]
fn reads_match_kubectl() {
    require_kubectl!();
    check(
        &cluster,
        &[
            &["get", "pods"],
            &["get", "deploy", "web", "-o", "name"],
            &["get", "--raw", "/api/v1/namespaces/default/pods/web-1"],
            &["exec", "web-1", "--", "echo", "hi"],
        ],
    );
}

/// `exec` over a plain `http://` server (as through `kubectl proxy`): the WebSocket runs
/// on the bare connection, and what the container printed is what kubelite prints. (Not
/// compared with kubectl here: kubectl can drop frames that arrive before it registered
/// its streams, see kubectl-wire.md 5.4, and a mock that waits for that would need a
/// sleep.)
#[test]
fn exec_works_over_plain_http() {
    let dir = run::Scratch::new("exec");
    let setup = |w: &World| {
        cluster(w);
        w.run_exec("hi from the mock\n");
    };
    let got = run::run(
        run::Tool::Kubelite,
        &setup,
        &["exec", "web-1", "-c", "app", "--", "echo", "hi"],
        &dir.0,
    );
    assert_eq!(
        (got.stdout.as_str(), got.stderr.as_str(), got.code),
        ("hi from the mock\n", "", 0),
        "{got:?}"
    );
    let exec = got
        .requests
        .iter()
        .find(|r| r.contains("/exec?"))
        .expect("an exec request");
    assert!(
        exec.starts_with(
            "GET /api/v1/namespaces/default/pods/web-1/exec?command=echo&command=hi&container=app&stderr=true&stdout=true"
        ),
        "{exec}"
    );
    assert!(!exec.contains("authorization"), "{exec}");
}

/// 501 ConfigMaps: one more than kubectl's page, so a second page follows `continue`.
fn many_configmaps(w: &World) {
    for i in 0..501 {
        w.add(
            "configmaps",
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": format!("cm-{i:03}"), "namespace": "default"},
                   "data": {"k": "v"}}),
        );
    }
}

#[test]
fn lists_are_read_in_pages_of_500() {
    require_kubectl!();
    check(
        &many_configmaps,
        &[&["get", "configmaps"], &["get", "cm", "-o", "name"]],
    );
}

/// `cluster`, where nothing more happens to the Deployment or the held pod.
fn stuck(w: &World) {
    cluster(w);
    w.script("deployments", "default", "web", Vec::new(), false);
}

#[test]
fn waits_end_at_their_timeout_as_kubectl_says() {
    require_kubectl!();
    check(
        &stuck,
        &[
            &["rollout", "status", "deploy/web", "--timeout=1s"],
            &["delete", "pod", "doomed", "--timeout=1s"],
        ],
    );
}

#[test]
fn more_verbs_match_kubectl() {
    require_kubectl!();
    check(
        &cluster,
        &[
            &["api-resources"],
            &["get", "pods", "-o", "yaml"],
            &["get", "pod", "web-1", "-o", "json"],
            &["get", "pods", "-l", "app=web"],
            &["logs", "deploy/web", "-c", "app"],
            &["annotate", "pod", "web-1", "a=b"],
            &[
                "patch",
                "pod",
                "web-1",
                "-p",
                r#"{"metadata":{"labels":{"x":"y"}}}"#,
            ],
            &["rollout", "pause", "deploy/web"],
            &["delete", "-f", "cm.yaml"],
        ],
    );
}

#[test]
fn explain_reads_the_servers_openapi_documents() {
    require_kubectl!();
    // The mock's documents have paths but no schemas: kubectl's error, after the same
    // requests (discovery, the OpenAPI index, the group-version's document).
    check(
        &cluster,
        &[
            &["explain", "pods"],
            &["explain", "deploy.spec"],
            &["explain", "nope"],
            &["explain", "pods", "--api-version=v2"],
        ],
    );
}

/// `cluster` with a metrics-server reporting on its two running pods.
fn with_metrics(w: &World) {
    cluster(w);
    let usage = |cpu: &str, memory: &str| json!({"cpu": cpu, "memory": memory});
    w.serve_metrics(vec![
        json!({"kind": "PodMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
               "metadata": {"name": "web-1", "namespace": "default", "labels": {"app": "web"}},
               "timestamp": "2026-11-29T00:00:00Z", "window": "15s",
               "containers": [{"name": "sidecar", "usage": usage("2500000n", "10240Ki")},
                              {"name": "app", "usage": usage("125m", "64Mi")}]}),
        json!({"kind": "PodMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
               "metadata": {"name": "doomed", "namespace": "default", "labels": {"app": "held"}},
               "timestamp": "2026-11-29T00:00:00Z", "window": "15s",
               "containers": [{"name": "app", "usage": usage("300m", "1Gi")}]}),
    ]);
}

/// `top` asks for the server's groups first: without the Metrics API it stops there.
#[test]
fn top_without_a_metrics_api_says_so_as_kubectl_does() {
    require_kubectl!();
    check(
        &cluster,
        &[
            &["top", "node"],
            &["top", "pod"],
            &["top", "pod", "web-1", "--containers"],
        ],
    );
}

#[test]
fn top_pod_sends_kubectls_requests() {
    require_kubectl!();
    check(
        &with_metrics,
        &[
            &["top", "pod"],
            &["top", "pod", "--containers", "--sum"],
            &["top", "pod", "--sort-by=memory", "--no-headers"],
            &["top", "pod", "web-1", "--containers"],
            &["top", "pod", "-l", "app=web"],
            &["top", "pod", "nope"],
            // No metrics: kubectl lists the namespace's pods to say why.
            &["top", "pod", "-n", "other"],
        ],
    );
}
