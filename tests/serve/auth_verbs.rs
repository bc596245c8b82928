//! `auth can-i` and `auth whoami`: the real kubectl against `kubelite serve` (whose
//! self-subject reviews answer from the authorizer that judges every request), kubelite
//! against the same server (remote) and kubelite on an embedded cluster: the same bytes
//! and exit codes. Then, as the read-only token's user, the answers match what that user
//! is really allowed and refused.

use super::auth_support::{ca_line, kubeconfig, read};
use super::support::{Run, Server, TempDir, kubectl_available, kubelite};
use std::process::{Command, Stdio};

const CASES: &[&[&str]] = &[
    &["auth", "can-i", "create", "pods"],
    &["auth", "can-i", "create", "pods", "--as", "viewer"],
    &["auth", "can-i", "list", "pods", "--as", "viewer", "-A"],
    &[
        "auth",
        "can-i",
        "get",
        "pods",
        "--subresource=exec",
        "--as",
        "viewer",
    ],
    &["auth", "can-i", "get", "pods/web", "--as", "viewer"],
    &["auth", "can-i", "delete", "deploy/web", "-n", "kube-system"],
    &["auth", "can-i", "list", "nodes"],
    &[
        "auth",
        "can-i",
        "list",
        "nodes.metrics.k8s.io",
        "--as",
        "viewer",
    ],
    &["auth", "can-i", "list", "foo"],
    &["auth", "can-i", "list", "foo.example.com", "--as", "viewer"],
    &["auth", "can-i", "impersonate", "users"],
    &["auth", "can-i", "frob", "pods"],
    &["auth", "can-i", "get", "/healthz", "--as", "viewer"],
    &["auth", "can-i", "frob", "/version"],
    &["auth", "can-i", "*", "*"],
    &["auth", "can-i", "create", "pods", "-q", "--as", "viewer"],
    &["auth", "can-i", "get", "pods", "-q"],
    &["auth", "can-i", "--list"],
    &[
        "auth",
        "can-i",
        "--list",
        "--as",
        "viewer",
        "-n",
        "kube-system",
    ],
    &["auth", "can-i", "--list", "--no-headers", "--as", "viewer"],
    &[
        "auth",
        "can-i",
        "--list",
        "--as",
        "someone",
        "--as-group",
        "system:masters",
    ],
    &["auth", "can-i"],
    &["auth", "can-i", "get"],
    &["auth", "can-i", "get", "pods", "--no-headers"],
    &["auth", "can-i", "--list", "-q"],
    &["auth", "can-i", "--list", "pods"],
    &["auth", "can-i", "get", "/x", "--subresource=a"],
    &["auth", "whoami"],
    &["auth", "whoami", "--as", "viewer", "--as-group", "team"],
    &["auth", "whoami", "-o", "json"],
    &["auth", "whoami", "-o", "yaml", "--as", "viewer"],
    &["auth", "whoami", "-o", "name"],
    &["auth", "whoami", "-o", "jsonpath={.status.userInfo.groups}"],
];

fn check(what: &str, got: &Run, want: &Run, args: &[&str]) {
    assert_eq!(got.stdout, want.stdout, "{what} {args:?}: stdout");
    assert_eq!(got.stderr, want.stderr, "{what} {args:?}: stderr");
    assert_eq!(got.code, want.code, "{what} {args:?}: exit code");
}

#[test]
fn auth_verbs_match_kubectl_remote_and_embedded() {
    require_kubectl!();
    let server = Server::start(true);
    let embedded = TempDir::new("auth-home");
    let cache = TempDir::new("auth-cache");
    let cache = cache.0.to_str().expect("utf-8");
    let mut answers = Vec::new();
    for args in CASES {
        let want = server.kubectl(args);
        answers.push((want.stdout.clone(), want.code));
        let mut remote_args = vec!["--cache-dir", cache];
        remote_args.extend_from_slice(args);
        check(
            "remote",
            &kubelite(&server.home.0, true, &remote_args),
            &want,
            args,
        );
        check("embedded", &kubelite(&embedded.0, true, args), &want, args);
    }
    // The answers differ by user: the admin may, the viewer may not.
    assert_eq!(answers[0], ("yes\n".to_string(), 0));
    assert_eq!(answers[1], ("no\n".to_string(), 1));
    assert_eq!(answers[3], ("no\n".to_string(), 1));
    assert!(answers[18].0.contains("pods/log"), "{}", answers[18].0);
    assert!(!answers[18].0.contains("pods/exec"), "{}", answers[18].0);
}

/// The read-only token's user asks, and then does: each `yes` is a request served and each
/// `no` one refused with 403, so the reviews say what the authorizer does.
#[test]
fn the_viewers_answers_are_what_the_server_enforces() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = TempDir::new("auth-viewer");
    let cache = TempDir::new("auth-viewer-cache");
    let token = String::from_utf8(read(&server, "viewer-token")).expect("text");
    let config = kubeconfig(
        &dir.0,
        "viewer",
        &server.url,
        &ca_line(&server),
        &format!("token: {}", token.trim()),
    );
    let kubectl = |args: &[&str]| -> Run {
        Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&config)
            .arg("--cache-dir")
            .arg(&cache.0)
            .args(args)
            .env_remove("KUBECONFIG")
            .stdin(Stdio::null())
            .output()
            .expect("run kubectl")
            .into()
    };
    let who = kubectl(&["auth", "whoami"]);
    assert_eq!(
        who.stdout,
        "ATTRIBUTE   VALUE\nUsername    viewer\nGroups      [system:authenticated]\n"
    );
    for (question, act) in [
        (
            &["get", "pods", "-n", "kube-system"][..],
            &["get", "pods", "-n", "kube-system"][..],
        ),
        (
            &["create", "configmaps"][..],
            &["create", "configmap", "c", "--from-literal=a=b"][..],
        ),
        (
            &["delete", "nodes/node02"][..],
            &["delete", "node", "node02"][..],
        ),
    ] {
        let mut ask = vec!["auth", "can-i"];
        ask.extend_from_slice(question);
        let answer = kubectl(&ask);
        let done = kubectl(act);
        assert_eq!(
            answer.code == 0,
            done.code == 0,
            "{question:?}: can-i said {:?}; doing it: {} {}",
            answer.stdout,
            done.stdout,
            done.stderr
        );
        if done.code != 0 {
            assert!(done.stderr.contains("is forbidden"), "{}", done.stderr);
        }
    }
}
