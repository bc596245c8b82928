//! `run -i --rm` against `kubelite serve`: the pod is made and runs, serve refuses to
//! attach to its simulated container, so kubectl falls back to its log and then deletes
//! it; kubelite through serve prints the same. The embedded cluster makes the pod,
//! refuses the attach in `attach`'s words, and still deletes it, as kubectl's deferred
//! `--rm` does whatever the attach did.

use super::support::{BIN, Run, Server, TempDir, kubectl_available, kubelite};
use std::process::Command;

#[test]
fn run_attach_falls_back_to_the_log_and_the_embedded_cluster_refuses_it() {
    require_kubectl!();
    let args = ["run", "box", "--image=busybox", "-i", "--rm"];
    let theirs = Server::start(false).kubectl(&args);
    assert_eq!(theirs.code, 0, "{}", theirs.stderr);
    assert!(
        theirs
            .stderr
            .contains("warning: couldn't attach to pod/box, falling back to streaming logs: "),
        "{}",
        theirs.stderr
    );
    assert!(
        theirs.stdout.ends_with("pod \"box\" deleted\n"),
        "{}",
        theirs.stdout
    );
    let remote = Server::start(false);
    let ours: Run = Command::new(BIN)
        .args(args)
        .env("KUBELITE_HOME", &remote.home.0)
        .env_remove("KUBECONFIG")
        .output()
        .expect("kubelite run")
        .into();
    assert_eq!(
        (ours.stdout.as_str(), ours.stderr.as_str(), ours.code),
        (theirs.stdout.as_str(), theirs.stderr.as_str(), theirs.code)
    );

    let home = TempDir::new("run-attach-embedded");
    let embedded = kubelite(&home.0, false, &args);
    assert_eq!(embedded.code, 1, "{}", embedded.stderr);
    assert!(
        embedded
            .stderr
            .starts_with("error: attach joins a container's running process"),
        "{}",
        embedded.stderr
    );
    assert_eq!(embedded.stdout, "pod \"box\" deleted\n");
    // Without --rm the pod stays.
    let kept = kubelite(
        &home.0,
        false,
        &["run", "kept", "--image=busybox", "--attach"],
    );
    assert_eq!(kept.code, 1, "{}", kept.stderr);
    assert_eq!(kept.stdout, "");
    let got = kubelite(&home.0, false, &["get", "pod", "kept", "-o", "name"]);
    assert_eq!(got.stdout, "pod/kept\n", "{}", got.stderr);
}

/// `--pod-running-timeout` bounds the wait for a pod that cannot run (no node matches its
/// selector): kubectl's timeout error, and with `--rm` the pod deleted first. The flag's
/// checks on the verbs that take it come out in kubectl's words.
#[test]
fn pod_running_timeout_matches_kubectl() {
    require_kubectl!();
    let unschedulable = r#"--overrides={"spec":{"nodeSelector":{"no-node":"has-this"}}}"#;
    let server = Server::start(false);
    server
        .kubectl(&[
            "create",
            "deployment",
            "none",
            "--image=nginx",
            "--replicas=0",
        ])
        .ok("a deployment without pods");
    server
        .kubectl(&["run", "pending", "--image=nginx", unschedulable])
        .ok("a pod that stays pending");
    let cases: &[&[&str]] = &[
        &[
            "run",
            "box",
            "--image=busybox",
            "-i",
            "--rm",
            "--restart=Never",
            "--pod-running-timeout=1s",
            unschedulable,
        ],
        &[
            "run",
            "kept",
            "--image=busybox",
            "--attach",
            "--pod-running-timeout=1s",
            unschedulable,
        ],
        &["run", "x", "--image=b", "--pod-running-timeout=0"],
        &["run", "x", "--image=b", "--pod-running-timeout=-1s", "-i"],
        &["run", "x", "--image=b", "--pod-running-timeout=5"],
        &["run", "--image=b", "--pod-running-timeout=abc"],
        &["logs", "deploy/none", "--pod-running-timeout=1s"],
        &["logs", "pending", "--pod-running-timeout=0"],
        &["logs", "pending", "--pod-running-timeout=abc"],
        &["attach", "pending", "--pod-running-timeout=0"],
        &["exec", "pending", "--pod-running-timeout=0", "--", "ls"],
        &["port-forward", "pending", "80", "--pod-running-timeout=-1s"],
        &["port-forward", "pending", "--pod-running-timeout=0"],
    ];
    for args in cases {
        let theirs = server.kubectl(args);
        // The pod kubectl kept is made again by kubelite: remove it in between.
        let _ = server.kubectl(&["delete", "pod", "kept", "box", "--ignore-not-found"]);
        let ours: Run = Command::new(BIN)
            .args(*args)
            .env("KUBELITE_HOME", &server.home.0)
            .env_remove("KUBECONFIG")
            .output()
            .expect("kubelite")
            .into();
        assert_eq!(
            (ours.stdout.as_str(), ours.stderr.as_str(), ours.code),
            (theirs.stdout.as_str(), theirs.stderr.as_str(), theirs.code),
            "{}: kubelite (left) and kubectl (right) differ",
            args.join(" ")
        );
    }
}
