//! The verbs that were first compared only against kubelite's own `serve`, now against the
//! mock with the real kubectl beside them: apply, run, expose, the create generators,
//! replace, the node verbs, set, wait and events. Same requests, same output.

use super::world::World;
use super::{check, check_with, cluster, run};
use serde_json::json;

/// `cluster`, plus two nodes, a ReplicaSet's and a DaemonSet's pod on `node-2`, a
/// Service, a ServiceAccount, namespaces and events.
fn nodes(w: &World) {
    cluster(w);
    for n in ["node-1", "node-2"] {
        w.add(
            "nodes",
            json!({"apiVersion": "v1", "kind": "Node",
                   "metadata": {"name": n, "labels": {"kubernetes.io/hostname": n}},
                   "spec": {},
                   "status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
        );
    }
    let owned = |name: &str, kind: &str, owner: &str| {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": "default",
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": kind, "name": owner,
                                                 "uid": format!("uid-{owner}"), "controller": true}]},
               "spec": {"containers": [{"name": "app", "image": "nginx:1"}], "nodeName": "node-2"},
               "status": {"phase": "Running"}})
    };
    w.add("pods", owned("worker-abc", "ReplicaSet", "worker"));
    w.add("pods", owned("agent-xyz", "DaemonSet", "agent"));
    w.add(
        "services",
        json!({"apiVersion": "v1", "kind": "Service",
               "metadata": {"name": "web", "namespace": "default"},
               "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
                        "type": "ClusterIP", "clusterIP": "10.96.0.20"}}),
    );
    w.add(
        "serviceaccounts",
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
               "metadata": {"name": "default", "namespace": "default"}}),
    );
    for ns in ["default", "kube-system"] {
        w.add(
            "namespaces",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns},
                   "status": {"phase": "Active"}}),
        );
    }
    for (i, (ns, reason, kind, name)) in [
        ("default", "Scheduled", "Pod", "web-1"),
        ("default", "ScalingReplicaSet", "Deployment", "web"),
        ("kube-system", "Started", "Pod", "etcd"),
    ]
    .into_iter()
    .enumerate()
    {
        w.add(
            "events",
            json!({"apiVersion": "v1", "kind": "Event",
                   "metadata": {"name": format!("ev-{i}"), "namespace": ns},
                   "involvedObject": {"kind": kind, "name": name, "namespace": ns,
                                      "apiVersion": "v1", "uid": format!("uid-{name}")},
                   "reason": reason, "message": format!("{reason} {name}"), "type": "Normal",
                   "source": {"component": "mock"}, "count": 1,
                   "firstTimestamp": "2026-11-29T00:00:00Z", "lastTimestamp": "2026-11-29T00:00:00Z"}),
        );
    }
}

/// `nodes`, where the ConfigMap `settings` exists, applied earlier with other data.
fn applied(w: &World) {
    nodes(w);
    let last = r#"{"apiVersion":"v1","data":{"a":"old"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"settings","namespace":"default"}}"#;
    w.add(
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "settings", "namespace": "default",
                            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": format!("{last}\n")}},
               "data": {"a": "old"}}),
    );
}

/// `nodes`, where the ConfigMap `settings` was last applied with exactly `cm.yaml`.
fn unchanged(w: &World) {
    nodes(w);
    let last = r#"{"apiVersion":"v1","data":{"a":"b"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"settings","namespace":"default"}}"#;
    w.add(
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "settings", "namespace": "default",
                            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": format!("{last}\n")}},
               "data": {"a": "b"}}),
    );
}

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: app\n        image: nginx:2\n";

#[test]
fn apply_matches_kubectl() {
    require_kubectl!();
    let files = [("deploy.yaml", DEPLOY)];
    check_with(
        &nodes,
        &files,
        &[
            &["apply", "-f", "cm.yaml"],
            &["apply", "-f", "deploy.yaml"],
            &["apply", "--server-side", "-f", "cm.yaml"],
            &["apply", "--server-side", "-f", "deploy.yaml"],
        ],
    );
    check_with(&applied, &files, &[&["apply", "-f", "cm.yaml"]]);
    check_with(&unchanged, &files, &[&["apply", "-f", "cm.yaml"]]);
}

#[test]
fn run_expose_and_generators_match_kubectl() {
    require_kubectl!();
    check(
        &nodes,
        &[
            &["run", "nginx", "--image=nginx"],
            &["run", "nginx", "--image=nginx", "--port=80", "--expose"],
            &[
                "run",
                "nginx",
                "--image=nginx",
                "--port=80",
                "--expose",
                "--override-type=strategic",
                r#"--overrides={"metadata":{"labels":{"x":"y"}},"spec":{"containers":[{"name":"nginx","env":[{"name":"A","value":"1"}]}],"bogus":1}}"#,
            ],
            &[
                "run",
                "nginx",
                "--image=nginx",
                "--dry-run=server",
                r#"--overrides={"spec":{"hostname":"h"}}"#,
            ],
            &[
                "run",
                "nginx",
                "--image=nginx",
                "--override-type=json",
                r#"--overrides=[{"op":"remove","path":"/spec/nope"}]"#,
            ],
            &["expose", "deploy", "web", "--port=80", "--name=web-2"],
            &[
                "expose",
                "deploy",
                "web",
                "--port=80",
                "--name=web-3",
                r#"--overrides={"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30080}]},"bogus":1}"#,
            ],
            &["expose", "pod", "web-1", "--port=8080", "--name=web-pod"],
            &["expose", "deploy", "web", "--port=80"],
            &[
                "create",
                "deployment",
                "api",
                "--image=nginx",
                "--replicas=2",
            ],
            &["create", "service", "clusterip", "api", "--tcp=80:8080"],
            &["create", "service", "nodeport", "api", "--tcp=80:8080"],
            &["create", "configmap", "c1", "--from-literal=a=b"],
            &["create", "secret", "generic", "s1", "--from-literal=a=b"],
            &["create", "namespace", "team"],
            &["create", "serviceaccount", "bot"],
            &["create", "quota", "q", "--hard=pods=10"],
            &["create", "configmap", "settings", "--from-literal=a=b"],
        ],
    );
}

#[test]
fn replace_matches_kubectl() {
    require_kubectl!();
    check(
        &applied,
        &[
            &["replace", "-f", "cm.yaml"],
            &["replace", "--force", "-f", "cm.yaml"],
        ],
    );
    check(&nodes, &[&["replace", "-f", "cm.yaml"]]);
}

#[test]
fn node_verbs_match_kubectl() {
    require_kubectl!();
    check(
        &nodes,
        &[
            &["cordon", "node-1"],
            &["uncordon", "node-1"],
            &["cordon", "nope"],
            &["taint", "nodes", "node-1", "dedicated=db:NoSchedule"],
            &["taint", "node", "node-1", "dedicated:NoSchedule-"],
            &["drain", "node-2", "--ignore-daemonsets"],
            &["drain", "node-2"],
            &["drain", "node-1"],
            &["drain", "node-1", "--force"],
            &["drain", "node-2", "--ignore-daemonsets", "--dry-run=client"],
            &[
                "drain",
                "node-2",
                "--ignore-daemonsets",
                "--disable-eviction",
            ],
        ],
    );
}

#[test]
fn set_matches_kubectl() {
    require_kubectl!();
    check(
        &nodes,
        &[
            &["set", "env", "deploy/web", "A=B"],
            &["set", "env", "deploy/web", "-c", "app", "A=B", "C=D"],
            &[
                "set",
                "resources",
                "deploy/web",
                "--limits=cpu=200m,memory=64Mi",
            ],
            &["set", "serviceaccount", "deploy/web", "bot"],
            &["set", "selector", "svc", "web", "app=api"],
            &["set", "env", "deploy/nope", "A=B"],
        ],
    );
}

/// `nodes`, where `web-1` becomes Ready and `doomed` is already being deleted.
fn becoming_ready(w: &World) {
    nodes(w);
    w.script(
        "pods",
        "default",
        "web-1",
        vec![json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}})],
        false,
    );
}

#[test]
fn wait_and_events_match_kubectl() {
    require_kubectl!();
    check(
        &becoming_ready,
        &[
            &[
                "wait",
                "--for=condition=Ready",
                "pod/web-1",
                "--timeout=10s",
            ],
            &["events"],
            &["events", "--for", "pod/web-1"],
            &["events", "-A"],
            &["events", "--types=Warning"],
        ],
    );
    let deleting = |w: &World| {
        nodes(w);
        w.delete_later("pods", "default", "doomed");
    };
    check(
        &deleting,
        &[
            &["wait", "--for=delete", "pod/doomed", "--timeout=10s"],
            &["wait", "--for=delete", "pod/nope", "--timeout=10s"],
        ],
    );
    check(
        &nodes,
        &[&["wait", "--for=condition=Ready", "pod/web-1", "--timeout=1s"]],
    );
}

#[test]
fn raw_writes_match_kubectl() {
    require_kubectl!();
    let files = [
        (
            "raw.json",
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raw1"}}"#,
        ),
        (
            "raw.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw2\n",
        ),
    ];
    check_with(
        &nodes,
        &files,
        &[
            &[
                "create",
                "--raw",
                "/api/v1/namespaces/default/configmaps",
                "-f",
                "raw.json",
            ],
            &[
                "create",
                "--raw",
                "/api/v1/namespaces/default/configmaps",
                "-f",
                "raw.yaml",
            ],
            &[
                "replace",
                "--raw",
                "/api/v1/namespaces/default/configmaps/settings",
                "-f",
                "raw.json",
            ],
            &["delete", "--raw", "/api/v1/namespaces/default/pods/web-1"],
            &[
                "delete",
                "--raw",
                "/api/v1/namespaces/default/pods/web-1",
                "-f",
                "raw.json",
            ],
            &["delete", "--raw", "/api/v1/namespaces/default/pods/nope"],
        ],
    );
}

/// `nodes`, where the DaemonSet `agent` has two revisions (the current one, 2, and an
/// older image, 1) and an unrelated revision its selector also matches.
fn revisions(w: &World) {
    nodes(w);
    let data = |image: &str| {
        json!({"spec": {"template": {"$patch": "replace",
            "metadata": {"creationTimestamp": null, "labels": {"app": "agent"}},
            "spec": {"containers": [{"image": image, "name": "a", "resources": {}}]}}}})
    };
    for (name, n, image, owner, cause) in [
        ("agent-1", 1, "a:0", "uid-agent", None),
        (
            "agent-2",
            2,
            "a",
            "uid-agent",
            Some("kubectl set image ds/agent a=a"),
        ),
        ("stranger-1", 3, "b", "uid-other", None),
    ] {
        let mut rev = json!({"apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "agent"},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent",
                                              "uid": owner, "controller": true}]},
            "revision": n, "data": data(image)});
        if let Some(c) = cause {
            rev["metadata"]["annotations"] = json!({"kubernetes.io/change-cause": c});
        }
        w.add("controllerrevisions", rev);
    }
}

#[test]
fn daemonset_history_and_undo_match_kubectl() {
    require_kubectl!();
    check(
        &revisions,
        &[
            &["rollout", "history", "ds/agent"],
            &["rollout", "history", "ds/agent", "--revision=1"],
            &["rollout", "history", "ds/agent", "--revision=3"],
            &["rollout", "undo", "ds/agent"],
            &["rollout", "undo", "ds/agent", "--to-revision=1"],
            &["rollout", "undo", "ds/agent", "--to-revision=2"],
            &["rollout", "undo", "ds/agent", "--to-revision=7"],
            &["rollout", "pause", "ds/agent"],
            &["rollout", "resume", "ds/agent"],
            &["rollout", "restart", "ds/agent"],
        ],
    );
    // No revisions at all.
    check(
        &nodes,
        &[
            &["rollout", "history", "ds/agent"],
            &["rollout", "undo", "ds/agent"],
        ],
    );
}

/// kubectl's builder, when a named object is not found in a namespace other than
/// `default`, reads the namespace and reports that missing instead.
#[test]
fn a_missing_namespace_is_reported_as_kubectl_does() {
    require_kubectl!();
    check(
        &nodes,
        &[
            &["get", "cm", "c1", "-n", "other"],
            &["get", "cm", "c1", "-n", "other", "-o", "yaml"],
            &["get", "cm", "c1", "-n", "kube-system"],
            &["get", "cm", "c1", "-n", "other", "-w"],
            &["describe", "cm", "c1", "-n", "other"],
            &["label", "cm", "c1", "a=b", "-n", "other"],
            &["annotate", "cm", "c1", "a=b", "-n", "other"],
            &["patch", "cm", "c1", "-p", "{}", "-n", "other"],
            &["set", "image", "deploy/x", "a=b", "-n", "other"],
            &["set", "env", "deploy/x", "A=B", "-n", "other"],
            &["rollout", "status", "deploy/x", "-n", "other"],
            &["rollout", "history", "deploy/x", "-n", "other"],
            &["rollout", "restart", "deploy/x", "-n", "other"],
            &["logs", "p1", "-n", "other"],
            &["scale", "deploy", "x", "--replicas=1", "-n", "other"],
            &[
                "wait",
                "--for=delete",
                "cm/c1",
                "-n",
                "other",
                "--timeout=1s",
            ],
            &[
                "wait",
                "--for=condition=Ready",
                "pod/p1",
                "-n",
                "other",
                "--timeout=1s",
            ],
            &["delete", "cm", "c1", "-n", "other"],
            &["expose", "deploy", "x", "--port=80", "-n", "other"],
        ],
    );
}
