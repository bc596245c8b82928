//! The verbs besides get and describe, against a remote server, compared with kubectl:
//! scale, rollout, set image, logs, exec, delete, cluster-info, api-resources, version.

use super::compare::{Both, Comparison};
use super::get_describe::{ETCDCTL_NAMESPACE_KEYS, populated_server, web_pod};
use super::support::{Server, TempDir, manifest};

#[test]
fn workload_verbs_match_kubectl() {
    require_kubectl!();
    let s = populated_server();
    let mut c = Comparison::default();
    let back_to_two: &[&[&str]] = &[&["scale", "deploy", "web", "--replicas=2"]];
    c.same_after(&s, back_to_two, &["scale", "deploy", "web", "--replicas=3"]);
    c.same_after(&s, back_to_two, &["scale", "deploy/web", "--replicas=1"]);
    // `rollout status` prints what it waits through: both tools start from a finished one.
    s.wait_until_settled();
    for args in [
        &[
            "scale",
            "deploy",
            "web",
            "--replicas=2",
            "--current-replicas=5",
        ][..],
        &["scale", "deploy", "nope", "--replicas=2"],
        &["scale", "deploy", "nope", "gone", "--replicas=2"],
        &["scale", "deploy", "--replicas=2"],
        &["rollout", "status", "deploy/web"],
        &["rollout", "status", "ds/kube-proxy", "-n", "kube-system"],
        &["rollout", "history", "deploy/web"],
        &["rollout", "history", "deploy/nope"],
        &["rollout", "history", "deploy/web", "--revision=1"],
        &["rollout", "history", "deploy/web", "--revision=9"],
        &["rollout", "history", "ds/kube-proxy", "-n", "kube-system"],
        &["rollout", "undo", "ds/kube-proxy", "-n", "kube-system"],
        &["rollout", "pause", "ds/kube-proxy", "-n", "kube-system"],
        &["set", "image", "deploy/web", "nginx=nginx:1.25"],
        &["set", "image", "deploy/nope", "nginx=nginx:1.26"],
    ] {
        c.same(&s, args);
    }
    let resume: &[&[&str]] = &[&["rollout", "resume", "deploy/web"]];
    c.same_after(&s, resume, &["rollout", "pause", "deploy/web"]);
    c.same_after(&s, resume, &["rollout", "resume", "deploy/web"]);
    let pause: &[&[&str]] = &[&["rollout", "pause", "deploy/web"]];
    c.same_after(&s, pause, &["rollout", "pause", "deploy/web"]);
    c.same_after(&s, pause, &["rollout", "resume", "deploy/web"]);
    let image_back: &[&[&str]] = &[&["set", "image", "deploy/web", "nginx=nginx:1.25"]];
    c.same_after(
        &s,
        image_back,
        &["set", "image", "deploy/web", "nginx=nginx:1.26"],
    );
    c.assert_none();
}

#[test]
fn logs_exec_and_cluster_verbs_match_kubectl() {
    require_kubectl!();
    let s = populated_server();
    let pod = web_pod(&s);
    let pod = pod.as_str();
    let mut c = Comparison::default();
    for args in [
        &["logs", pod][..],
        &["logs", pod, "--tail=1"],
        &["logs", pod, "--timestamps"],
        &["logs", pod, "-c", "nginx"],
        &["logs", pod, "-c", "nope"],
        &["logs", "deploy/web"],
        &["logs", "deployment/web", "--tail=2"],
        &["logs", "db"],
        &["logs", "nope"],
        &["logs", "deploy/nope"],
        &["logs", "etcd-master", "-n", "kube-system", "--tail=3"],
        &["exec", pod, "--", "echo", "hi"],
        &["exec", pod, "--", "sh", "-c", "exit 3"],
        &["exec", pod, "-c", "nginx", "--", "cat", "/etc/hostname"],
        &["exec", "nope", "--", "true"],
        ETCDCTL_NAMESPACE_KEYS,
        &["cluster-info"],
        &["cluster-info", "-n", "default"],
        &["api-resources"],
        &["api-resources", "-o", "wide"],
        &["api-resources", "-o", "name"],
        &["api-resources", "--namespaced=false"],
        &["api-resources", "--api-group=apps", "--no-headers"],
        &["api-resources", "--verbs=list,watch", "--sort-by=kind"],
        &["api-resources", "--sort-by=name", "-o", "wide"],
    ] {
        c.same(&s, args);
    }
    c.assert_none();
}

#[test]
fn version_reports_the_servers() {
    require_kubectl!();
    let s = Server::start(true);
    for args in [
        &["version"][..],
        &["version", "-o", "json"],
        &["version", "-o", "yaml"],
    ] {
        let ours = s.kubelite(args);
        let theirs = s.kubectl(args);
        assert_eq!(
            (ours.code, theirs.code),
            (0, 0),
            "{args:?}: {}",
            ours.stderr
        );
        // The client halves differ by design (kubelite is its own client); the server's
        // half must be the same bytes.
        let server_part = |text: &str| match text.find("serverVersion") {
            Some(i) => text[i..].to_string(),
            None => text
                .lines()
                .filter(|l| l.starts_with("Server Version"))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        assert_eq!(
            server_part(&ours.stdout),
            server_part(&theirs.stdout),
            "{args:?}"
        );
        assert!(!server_part(&ours.stdout).is_empty(), "{}", ours.stdout);
    }
}

#[test]
fn delete_matches_kubectl() {
    require_kubectl!();
    let s = populated_server();
    let dir = TempDir::new("delete");
    let file = manifest(
        &dir.0,
        "pods.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: d1\n  labels:\n    app: del\nspec:\n  containers:\n  - name: c\n    image: busybox\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: d2\n  labels:\n    app: del\nspec:\n  containers:\n  - name: c\n    image: busybox\n",
    );
    let file = file.to_str().expect("path");
    // Both pods, freshly made, before each tool's turn.
    let fresh: &[&[&str]] = &[
        &[
            "delete",
            "pods",
            "-l",
            "app=del",
            "--grace-period=0",
            "--force",
            "--ignore-not-found",
        ],
        &["create", "-f", file],
        // Started and quiet, so no status update races the deletion.
        &[
            "wait",
            "--for=condition=Ready",
            "pod",
            "-l",
            "app=del",
            "--timeout=60s",
        ],
    ];
    let mut c = Comparison::default();
    for args in [
        &["delete", "pod", "d1"][..],
        &["delete", "pod", "d1", "d2", "--wait=false"],
        &["delete", "pod/d1", "pod/d2"],
        &["delete", "pods", "-l", "app=del"],
        &["delete", "pod", "d1", "--grace-period=0", "--force"],
        &["delete", "pod", "d1", "--dry-run=server"],
        &["delete", "pod", "d1", "-o", "name"],
        &["delete", "-f", file],
        &["delete", "pod", "d1", "nope"],
    ] {
        c.same_after(&s, fresh, args);
    }
    for args in [
        &["delete", "pod", "nope"][..],
        &["delete", "pod", "nope", "--ignore-not-found"],
        &["delete", "pods"],
        &["delete"],
        &["delete", "nothing", "x"],
    ] {
        c.same(&s, args);
    }
    c.assert_none();
}
