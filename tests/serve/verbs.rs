//! More of the real kubectl's verbs against `kubelite serve` with its control plane running:
//! rollout status, wait, annotate, logs, describe of every described kind, and the ways of
//! deleting.

use super::support::{Server, kubectl_available};
use std::path::PathBuf;

fn manifest(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/manifests")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn rollout_wait_annotate_logs() {
    require_kubectl!();
    let s = Server::start(false);
    let out = s
        .kubectl(&[
            "create",
            "-f",
            &manifest("deployment.yaml"),
            "-f",
            &manifest("pod.yaml"),
        ])
        .ok("create");
    assert_eq!(out, "deployment.apps/web created\npod/myapp-pod created\n");
    let out = s
        .kubectl(&["rollout", "status", "deployment/web", "--timeout=60s"])
        .ok("rollout status");
    assert!(
        out.ends_with("deployment \"web\" successfully rolled out\n"),
        "{out}"
    );
    let out = s
        .kubectl(&[
            "wait",
            "--for=condition=Ready",
            "pod/myapp-pod",
            "--timeout=60s",
        ])
        .ok("wait");
    assert_eq!(out, "pod/myapp-pod condition met\n");
    let out = s
        .kubectl(&["annotate", "pod", "myapp-pod", "team=a"])
        .ok("annotate");
    assert_eq!(out, "pod/myapp-pod annotated\n");
    let out = s
        .kubectl(&[
            "get",
            "pod",
            "myapp-pod",
            "-o",
            "jsonpath={.metadata.annotations.team}",
        ])
        .ok("get");
    assert_eq!(out, "a");
    let out = s.kubectl(&["logs", "myapp-pod", "--tail=1"]).ok("logs");
    assert_eq!(out.lines().count(), 1, "{out}");
    let all = s.kubectl(&["logs", "deploy/web"]).ok("logs deploy");
    assert!(all.lines().count() > 1, "{all}");
}

#[test]
fn describe_every_kind_and_delete_every_way() {
    require_kubectl!();
    let s = Server::start(false);
    s.kubectl(&[
        "create",
        "-f",
        &manifest("deployment.yaml"),
        "-f",
        &manifest("service.yaml"),
    ])
    .ok("create");
    s.wait_until_settled();
    for (args, first) in [
        (vec!["describe", "replicaset"], "Name:           web-"),
        (
            vec!["describe", "namespace", "default"],
            "Name:         default",
        ),
        (
            vec!["describe", "daemonset", "kube-proxy", "-n", "kube-system"],
            "Name:           kube-proxy",
        ),
        (vec!["describe", "endpoints", "web"], "Name:         web"),
        (
            vec!["describe", "service", "web"],
            "Name:                     web",
        ),
        (
            vec!["describe", "node", "node01"],
            "Name:               node01",
        ),
    ] {
        let out = s.kubectl(&args).ok(&args.join(" "));
        assert!(out.starts_with(first), "{}:\n{out}", args.join(" "));
    }
    let out = s
        .kubectl(&["delete", "pods", "-l", "app=web"])
        .ok("delete -l");
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("pod \"web-") && l.ends_with("\" deleted"))
            .count(),
        3,
        "{out}"
    );
    let run = s.kubectl(&["delete", "pods", "--all", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Immediate deletion does not wait"),
        "{}",
        run.stderr
    );
    let out = s
        .kubectl(&["delete", "-f", &manifest("deployment.yaml")])
        .ok("delete -f");
    assert_eq!(out, "deployment.apps \"web\" deleted\n");
    let run = s.kubectl(&["delete", "pod", "nope"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
}
