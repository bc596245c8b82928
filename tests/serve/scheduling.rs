//! kube-scheduler behaviour seen from the CLIs. Preemption through the real kubectl: a pod
//! of higher priority that fits nowhere evicts the least important pod, which records
//! kube-scheduler's `Preempted` event, and binds once the victim is gone; kubelite's own CLI
//! describes it as kubectl does. The periodic retry of an unschedulable pod on the embedded
//! cluster's clock, as `describe` shows it.

use super::support::{BIN, Server, TempDir, kubectl_available, kubelite, manifest};
use std::process::Command;
use std::time::{Duration, Instant};

const CLASSES: &str = r#"apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: mid
value: 10
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high
value: 1000
"#;

fn pod(name: &str, class: Option<&str>) -> String {
    let class = class.map_or(String::new(), |c| format!("  priorityClassName: {c}\n"));
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{class}  containers:\n  - name: app\n    image: nginx\n    resources:\n      requests:\n        cpu: 1500m\n"
    )
}

/// Polls (up to 30 s) until `check` holds for kubectl's output of `args`.
fn wait_for(s: &Server, args: &[&str], check: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = s.kubectl(args).stdout;
        if check(&out) {
            return out;
        }
        assert!(Instant::now() < deadline, "{args:?} never came: {out}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_pod_of_higher_priority_preempts_and_binds_where_it_made_room() {
    require_kubectl!();
    // The cluster's clock stands still, days ago: kubectl and kubelite (on the running
    // clock) print the same ages however long the test takes.
    let s = Server::start(true);
    let dir = TempDir::new("preemption");
    let apply = |name: &str, text: &str| {
        let path = manifest(&dir.0, name, text);
        let path = path.to_string_lossy().into_owned();
        s.kubectl(&["apply", "-f", &path]).ok("apply");
    };
    apply("classes.yaml", CLASSES);
    // Both workers nearly full: the pod of priority 0 on node01, of priority 10 on node02.
    apply("low.yaml", &pod("low", None));
    wait_for(
        &s,
        &["get", "pod", "low", "-o", "jsonpath={.spec.nodeName}"],
        |n| n == "node01",
    );
    apply("mid.yaml", &pod("mid", Some("mid")));
    wait_for(
        &s,
        &["get", "pod", "mid", "-o", "jsonpath={.spec.nodeName}"],
        |n| n == "node02",
    );

    apply("urgent.yaml", &pod("urgent", Some("high")));
    wait_for(
        &s,
        &["get", "pod", "urgent", "-o", "jsonpath={.spec.nodeName}"],
        |n| n == "node01",
    );
    s.wait_until_settled();
    let uid = s
        .kubectl(&["get", "pod", "urgent", "-o", "jsonpath={.metadata.uid}"])
        .ok("uid");
    // The victim is gone, with kube-scheduler's event on it; the pod of priority 10 stays.
    let gone = s.kubectl(&["get", "pod", "low"]);
    assert!(gone.stderr.contains("\"low\" not found"), "{}", gone.stderr);
    s.kubectl(&["get", "pod", "mid"]).ok("mid stays");
    let preempted = s
        .kubectl(&[
            "get",
            "events",
            "--field-selector",
            "involvedObject.name=low,reason=Preempted",
            "-o",
            "jsonpath={.items[*].message}|{.items[*].reportingComponent}",
        ])
        .ok("events");
    assert_eq!(
        preempted,
        format!("Preempted by pod {uid} on node node01|default-scheduler")
    );
    // The preemptor was nominated; its first FailedScheduling has no preemption tail.
    assert_eq!(
        s.kubectl(&[
            "get",
            "pod",
            "urgent",
            "-o",
            "jsonpath={.status.nominatedNodeName}"
        ])
        .ok("nominated"),
        "node01"
    );
    let messages = s
        .kubectl(&[
            "get",
            "events",
            "--field-selector",
            "involvedObject.name=urgent",
            "-o",
            "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}",
        ])
        .ok("events");
    let mut lines = messages.lines();
    assert_eq!(
        lines.next(),
        Some(
            "FailedScheduling: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."
        ),
        "{messages}"
    );
    assert!(
        messages.contains("Scheduled: Successfully assigned default/urgent to node01"),
        "{messages}"
    );

    // kubelite's CLI prints the pod and the events as kubectl does.
    let mut diffs = Vec::new();
    for args in [
        ["describe", "pod", "urgent"].as_slice(),
        &["get", "pods", "-o", "wide"],
        &["get", "events", "--field-selector", "reason=Preempted"],
    ] {
        let want = s.kubectl(args);
        let got = kubelite(&s.home.0, false, args);
        if (&want.stdout, &want.stderr, want.code) != (&got.stdout, &got.stderr, got.code) {
            diffs.push(format!(
                "{args:?}\n--- kubectl\n{}{}--- kubelite\n{}{}",
                want.stdout, want.stderr, got.stdout, got.stderr
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// kubelite's embedded CLI on `home` at cluster time `now`.
fn at(home: &std::path::Path, now: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("KUBELITE_HOME", home)
        .env("KUBELITE_NOW", now)
        .env_remove("KUBECONFIG")
        .output()
        .expect("run kubelite");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_unschedulable_pod_is_retried_every_five_minutes_of_cluster_time() {
    let home = TempDir::new("sched-retries");
    let dir = TempDir::new("sched-retries-manifests");
    let big = manifest(
        &dir.0,
        "big.yaml",
        &pod("too-big", None).replace("1500m", "\"3\""),
    );
    let big = big.to_string_lossy().into_owned();
    at(&home.0, "2026-11-29T01:00:00Z", &["create", "-f", &big]);
    // Each command settles the cluster at its instant: tried at 0, 5:30, 11:30, 16:30, 21:30.
    for m in ["03", "05", "09", "11", "16", "21"] {
        at(&home.0, &format!("2026-11-29T01:{m}:30Z"), &["get", "pods"]);
    }
    let described = at(
        &home.0,
        "2026-11-29T01:21:40Z",
        &["describe", "pod", "too-big"],
    );
    let events: Vec<&str> = described
        .lines()
        .skip_while(|l| !l.starts_with("Events:"))
        .collect();
    // As kube prints a FailedScheduling repeated by the scheduler's retries.
    assert_eq!(
        events,
        [
            "Events:",
            "  Type     Reason            Age                From               Message",
            "  ----     ------            ----               ----               -------",
            "  Warning  FailedScheduling  10s (x5 over 21m)  default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
        ]
    );
}
