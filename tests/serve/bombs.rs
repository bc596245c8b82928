//! `replicas: 2147483647` (a valid int32): the ReplicaSet controller creates pods in kube's
//! slow-start bursts, so memory stays proportional to a burst and to a compact index of the
//! pods, not to the pods' objects, and every command returns. Both the one-shot commands
//! (each gives the control plane a budget and says when it stopped) and `serve`.

use super::support::{Server, TempDir, kubelite, manifest};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The bound the reliability issue sets for the bomb.
const MAX_RSS_KIB: u64 = 200 * 1024;

const BOMB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: bomb
spec:
  replicas: 2147483647
  selector:
    matchLabels:
      app: bomb
  template:
    metadata:
      labels:
        app: bomb
    spec:
      containers:
      - name: c
        image: nginx
";

/// Runs a one-shot command; its exit code, stderr and peak resident memory in KiB.
// The child is reaped by wait4, which std's Child::wait does not offer (it drops rusage).
#[allow(clippy::zombie_processes)]
fn measured(home: &std::path::Path, args: &[&str]) -> (i32, String, u64) {
    let child = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .args(args)
        .env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kubelite");
    let pid = child.id() as libc::pid_t;
    let stderr = child.stderr;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut e) = stderr {
            let _ = std::io::Read::read_to_string(&mut e, &mut text);
        }
        text
    });
    let mut status = 0;
    // SAFETY: all zeros is a valid rusage (plain old data).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; both pointers are valid for writes.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // Linux reports ru_maxrss in KiB.
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    (code, reader.join().unwrap_or_default(), peak)
}

#[test]
fn one_shot_commands_stay_small_and_return() {
    let home = TempDir::new("bomb-home");
    let file = manifest(&home.0, "bomb.yaml", BOMB);
    let file = file.to_str().expect("utf-8 path");
    let runs: [&[&str]; 4] = [
        &["create", "-f", file],
        &["get", "deploy", "bomb"],
        &["get", "rs"],
        &["get", "deploy", "bomb"],
    ];
    let mut still_working = 0;
    for args in runs {
        let (code, stderr, peak) = measured(&home.0, args);
        eprintln!("{args:?}: {peak} KiB");
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(
            peak < MAX_RSS_KIB,
            "{args:?} peaked at {peak} KiB (bound {MAX_RSS_KIB} KiB)"
        );
        if stderr.contains("the control plane is still working") {
            still_working += 1;
        }
    }
    // The budget stopped the control plane (the bomb is never done), and said so.
    assert!(still_working >= 3, "the budget was never reached");
    // The controller was at work: pods exist, far fewer than asked for.
    let pods = kubelite(&home.0, false, &["get", "pods", "-o", "name"]).ok("get pods");
    let n = pods.lines().count();
    eprintln!("{n} pods after four commands");
    assert!(n >= 100, "only {n} pods after four commands");
}

#[test]
fn serve_stays_small_while_the_bomb_grows() {
    let s = Server::start(false);
    let home = TempDir::new("bomb-client");
    let file = manifest(&home.0, "bomb.yaml", BOMB);
    // A one-shot command on serve's home reaches serve.
    let run = kubelite(
        &s.home.0,
        false,
        &["create", "-f", file.to_str().expect("utf-8")],
    );
    assert!(run.ok("create").contains("deployment.apps/bomb created"));
    let pid = s.pid().expect("serve pid");
    let https = s.https();
    let pods_url = format!("{}/api/v1/namespaces/default/pods?limit=1", s.url);
    let mut peak = 0;
    let mut remaining = 0;
    let start = Instant::now();
    // The bomb never finishes: watch serve for a while, and until it holds 2,000 pods
    // (bounded), sampling its memory.
    while start.elapsed() < Duration::from_secs(20)
        || (remaining < 2_000 && start.elapsed() < Duration::from_secs(120))
    {
        peak = peak.max(super::wire::rss_kib(pid));
        if let Ok(r) = https
            .get(&pods_url)
            .bearer_auth(s.token())
            .send()
            .and_then(|r| r.text())
            && let Ok(r) = serde_json::from_str::<serde_json::Value>(&r)
        {
            remaining = r["metadata"]["remainingItemCount"].as_u64().unwrap_or(0);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "serve: {remaining} pods, peak {peak} KiB after {:?}",
        start.elapsed()
    );
    // A stuck controller makes a handful; a machine loaded by other suites made 999 here.
    assert!(
        remaining >= 500,
        "only {remaining} pods: the controller is stuck; serve's log:\n{}",
        s.log()
    );
    assert!(
        peak < MAX_RSS_KIB,
        "serve peaked at {peak} KiB with {remaining} pods (bound {MAX_RSS_KIB} KiB)"
    );
    // And it is still ready.
    let ready = https
        .get(format!("{}/readyz?verbose", s.url))
        .send()
        .expect("readyz");
    let status = ready.status().as_u16();
    assert_eq!(
        status,
        200,
        "readyz: {}\nserve's log:\n{}",
        ready.text().unwrap_or_default(),
        s.log()
    );
}
