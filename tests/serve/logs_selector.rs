//! `logs -l`, `--all-containers`, `--prefix` and `--max-log-requests` against the real
//! kubectl on the same `kubelite serve`, and kubelite's embedded cluster alike. kubectl
//! visits a selector's pods (and a pod's containers) in a Go map's order, so where several
//! streams are printed their lines are compared sorted.

use super::support::{BIN, Run, Server, TempDir, kubectl_available, kubelite, manifest};
use std::process::Command;

const PODS: &str = "apiVersion: v1
kind: Pod
metadata: {name: two, labels: {app: two}}
spec:
  initContainers: [{name: setup, image: busybox}]
  containers: [{name: a, image: busybox}, {name: b, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: one, labels: {app: web}}
spec:
  containers: [{name: one, image: busybox}]
";

fn remote(s: &Server, args: &[&str]) -> Run {
    Command::new(BIN)
        .args(args)
        .env("KUBECONFIG", s.kubeconfig())
        .output()
        .expect("run kubelite")
        .into()
}

/// Exit code, stderr, and stdout's lines sorted (or as printed, when `ordered`).
fn shape(r: &Run, ordered: bool) -> (i32, String, Vec<String>) {
    let mut lines: Vec<String> = r.stdout.lines().map(str::to_string).collect();
    if !ordered {
        lines.sort();
    }
    (r.code, r.stderr.clone(), lines)
}

const CASES: &[(&[&str], bool)] = &[
    (&["logs", "-l", "app=two"], true),
    (
        &["logs", "-l", "app=two", "--all-containers", "--prefix"],
        false,
    ),
    (
        &["logs", "-l", "app in (two,web)", "--prefix", "--tail=1"],
        false,
    ),
    (
        &["logs", "two", "--all-containers", "--prefix", "--tail=2"],
        false,
    ),
    (&["logs", "two", "-c", "b", "--prefix"], true),
    (&["logs", "one", "--prefix"], true),
    (&["logs", "-l", "app=none"], true),
    (&["logs", "-l", "app=two", "-c", "zz"], true),
    (&["logs", "two", "--all-containers", "a"], true),
    (&["logs", "one", "-l", "app=web"], true),
    (&["logs", "one", "one", "-l", "app=web"], true),
    (&["logs", "-l", "a b"], true),
    (
        &[
            "logs",
            "-l",
            "app=two",
            "--all-containers",
            "-f",
            "--max-log-requests=2",
        ],
        true,
    ),
    (&["logs", "-l", "app", "-f", "--max-log-requests=-1"], true),
];

#[test]
fn logs_by_selector_match_kubectl_on_serve_and_embedded() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("logs-selector");
    let file = manifest(&dir.0, "pods.yaml", PODS);
    let file = file.to_str().expect("utf-8 path");
    s.kubectl(&["create", "-f", file]).ok("create");
    s.wait_until_settled();
    let home = TempDir::new("logs-selector-home");
    kubelite(&home.0, false, &["create", "-f", file]).ok("create embedded");
    for (args, ordered) in CASES {
        let want = shape(&s.kubectl(args), *ordered);
        assert_eq!(shape(&remote(&s, args), *ordered), want, "serve {args:?}");
        assert_eq!(
            shape(&kubelite(&home.0, false, args), *ordered),
            want,
            "embedded {args:?}"
        );
    }
    // A selector shows the last 10 lines of each container unless --tail says otherwise.
    let many = kubelite(&home.0, false, &["logs", "-l", "app=two", "-c", "b"]).ok("logs");
    let all = kubelite(&home.0, false, &["logs", "two", "-c", "b"]).ok("logs");
    assert!(all.ends_with(&many), "{many}\n{all}");
}

#[test]
fn following_several_streams_prefixes_whole_lines() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("logs-follow");
    let file = manifest(&dir.0, "pods.yaml", PODS);
    s.kubectl(&["create", "-f", file.to_str().expect("utf-8 path")])
        .ok("create");
    s.wait_until_settled();
    // The server ends each follow at the request timeout, so both commands return.
    let args: &[&str] = &[
        "logs",
        "-l",
        "app",
        "-f",
        "--all-containers",
        "--prefix",
        "--tail=1",
        "--request-timeout=2s",
    ];
    let want = shape(&s.kubectl(args), false);
    assert_eq!(want.2.len(), 4, "{want:?}");
    assert_eq!(shape(&remote(&s, args), false), want);
}
