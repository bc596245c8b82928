//! `get -w` against a remote server: kubelite and kubectl watch side by side while the
//! cluster changes, and print the same rows and objects.

use super::compare::{Comparison, bounded, kubelite_command};
use super::support::{Run, Server};
use std::process::Command;
use std::time::Duration;

/// How long every watcher runs (`--request-timeout`); the changes happen in its first half.
const WATCH_FOR: &str = "--request-timeout=12s";

fn kubelite_watch(s: &Server, args: Vec<String>) -> std::thread::JoinHandle<Run> {
    let home = s.home.0.clone();
    std::thread::spawn(move || {
        let mut cmd = kubelite_command(&home);
        cmd.args(&args);
        bounded(cmd)
    })
}

fn kubectl_watch(s: &Server, args: Vec<String>) -> std::thread::JoinHandle<Run> {
    let kubeconfig = s.kubeconfig();
    let cache = s.home.0.join("kubectl-cache");
    std::thread::spawn(move || {
        let mut cmd = Command::new("kubectl");
        cmd.arg("--kubeconfig")
            .arg(kubeconfig)
            .arg("--cache-dir")
            .arg(cache)
            .args(&args)
            .env_remove("KUBECONFIG");
        bounded(cmd)
    })
}

/// Object fields that differ between the same object's events only by timing are the same
/// for both watchers (they see the same objects); nothing is masked but ages.
#[test]
fn watches_print_what_kubectl_prints() {
    require_kubectl!();
    let s = Server::start(true);
    s.kubectl(&["run", "db", "--image=postgres:16", "-l", "app=db"])
        .ok("db pod");
    s.wait_until_settled();
    // Discovery first, so no watcher spends its time on it.
    s.kubectl(&["get", "pods"]).ok("warm kubectl");
    super::compare::kubelite(&s, &["get", "pods"]).ok("warm kubelite");
    let cases: Vec<Vec<&str>> = vec![
        vec!["get", "pods", "-w"],
        vec!["get", "pods", "-w", "--output-watch-events"],
        vec!["get", "pods", "-w", "-o", "wide", "--output-watch-events"],
        vec!["get", "pods", "--watch-only"],
        vec!["get", "pods", "-w", "-o", "name"],
        vec!["get", "pods", "-w", "-o", "yaml"],
        vec!["get", "pods", "-w", "-o", "json", "--output-watch-events"],
        vec![
            "get",
            "pods",
            "-w",
            "-o",
            "jsonpath={.metadata.name}{\"\\n\"}",
        ],
        vec!["get", "pods", "-A", "-w", "-l", "app in (db,w)"],
        vec!["get", "pod", "db", "-w"],
        vec!["get", "pods", "-w", "--no-headers", "--show-labels"],
    ];
    let mut running = Vec::new();
    for case in &cases {
        let mut args: Vec<String> = case.iter().map(|a| a.to_string()).collect();
        args.push(WATCH_FOR.to_string());
        running.push((
            case.clone(),
            kubelite_watch(&s, args.clone()),
            kubectl_watch(&s, args),
        ));
    }
    // Let every watcher list and start watching, then change the cluster.
    std::thread::sleep(Duration::from_secs(3));
    s.kubectl(&["run", "w1", "--image=nginx", "-l", "app=w"])
        .ok("create w1");
    std::thread::sleep(Duration::from_secs(2));
    s.kubectl(&["label", "pod", "db", "tier=data"])
        .ok("label db");
    s.kubectl(&["delete", "pod", "w1", "--grace-period=0", "--force"]);
    let mut c = Comparison::default();
    for (case, ours, theirs) in running {
        let ours = ours.join().expect("kubelite watcher");
        let theirs = theirs.join().expect("kubectl watcher");
        assert!(
            theirs.stdout.contains("db"),
            "kubectl saw nothing for {case:?}: {}",
            theirs.stderr
        );
        c.record(&case, &ours, &theirs);
    }
    c.assert_none();
}

#[test]
fn watch_errors_match_kubectl() {
    require_kubectl!();
    let s = Server::start(true);
    let mut c = Comparison::default();
    for args in [
        &["get", "pod", "nope", "-w", "--request-timeout=2s"][..],
        &["get", "pods,svc", "-w", "--request-timeout=2s"],
        &["get", "secrets", "-w", "--request-timeout=2s"],
        &["get", "nothing", "-w"],
    ] {
        c.same(&s, args);
    }
    c.assert_none();
}
