//! `run -i`, `-it`, `--attach` and `--rm` against the mock: the pod kubectl creates, its
//! wait (list, then watch by name) until the pod runs and is ready, the attach (the
//! mock's process prints a line and exits), the log of a pod that has already ended, and
//! `--rm`'s delete, as kubectl 1.32 sends and prints them.

use super::run;
use super::world::World;
use serde_json::{Value, json};

/// What the mock's kubelet reports for the pod `box` once it is watched.
fn reporting(status: Value) -> impl Fn(&World) {
    reporting_all(vec![status])
}

/// The statuses the pod `box` goes through, in order, once it is watched.
fn reporting_all(statuses: Vec<Value>) -> impl Fn(&World) {
    move |w: &World| {
        super::cluster(w);
        w.run_exec("attached output\n");
        let statuses = statuses.iter().map(|s| json!({"status": s})).collect();
        w.script("pods", "default", "box", statuses, false);
    }
}

fn ended(phase: &str, exit_code: i64, message: &str) -> Value {
    json!({"phase": phase,
           "containerStatuses": [{"name": "box", "ready": false, "restartCount": 0,
                                  "image": "busybox", "imageID": "",
                                  "state": {"terminated": {"exitCode": exit_code,
                                                           "reason": "Error",
                                                           "message": message}}}]})
}

/// A pod that restarts Never (or OnFailure) is waited for after the attach until it has
/// ended: kubectl exits with its container's code. (OnFailure waits for success only, as
/// long as it takes: a failed run is not compared, kubectl would wait for its timeout.)
#[test]
fn run_waits_for_the_exit_code_as_kubectl_does() {
    require_kubectl!();
    for (restart, phase, code, message) in [
        ("Never", "Failed", 3, ""),
        ("Never", "Failed", 4, "out of luck"),
        ("Never", "Succeeded", 0, ""),
        ("Never", "Failed", 0, ""),
        ("OnFailure", "Succeeded", 0, ""),
    ] {
        let restart = format!("--restart={restart}");
        super::check(
            &reporting_all(vec![ready(), ended(phase, code, message)]),
            &[&["run", "box", "--image=busybox", "-i", "--rm", &restart]],
        );
    }
}

fn ready() -> Value {
    json!({"phase": "Running",
           "conditions": [{"type": "Ready", "status": "True"}],
           "containerStatuses": [{"name": "box", "ready": true, "restartCount": 0,
                                  "image": "busybox", "imageID": "",
                                  "state": {"running": {"startedAt": "2026-11-29T00:00:00Z"}}}]})
}

#[test]
fn run_attaches_as_kubectl_does() {
    require_kubectl!();
    super::check(
        &reporting(ready()),
        &[
            &["run", "box", "--image=busybox", "-i", "--rm"],
            &["run", "box", "--image=busybox", "-it"],
            &[
                "run",
                "box",
                "--image=busybox",
                "--attach",
                "--",
                "sh",
                "-c",
                "date",
            ],
            &["run", "box", "--image=busybox", "-i", "--attach=false"],
            &["run", "box", "--image=busybox", "--rm", "-q", "-i"],
        ],
    );
}

/// A pod that has already ended by the time it is seen is not attached to: its log is
/// printed instead (and `--rm` still deletes it).
#[test]
fn run_prints_the_log_of_an_ended_pod_as_kubectl_does() {
    require_kubectl!();
    super::check(
        &reporting(json!({"phase": "Succeeded"})),
        &[&["run", "box", "--image=busybox", "--attach", "--rm"]],
    );
}

#[test]
fn run_flag_checks_match_kubectl() {
    require_kubectl!();
    super::check(
        &super::cluster,
        &[
            &["run", "box", "--image=busybox", "--rm"],
            &["run", "box", "--image=busybox", "-t"],
            &["run", "box", "--image=busybox", "-it", "--dry-run=server"],
            &["run", "box", "--image=busybox", "--rm", "--restart=Bad"],
            &["run", "box", "--image=busybox", "--rm", "--expose"],
        ],
    );
}

/// A pod that never runs: `--pod-running-timeout` ends kubectl's wait (list, then watch)
/// with its timeout error, and `--rm` deletes the pod before it is printed.
#[test]
fn run_gives_up_after_the_pod_running_timeout_as_kubectl_does() {
    require_kubectl!();
    let pending = json!({"phase": "Pending",
                         "conditions": [{"type": "PodScheduled", "status": "False",
                                         "reason": "Unschedulable"}]});
    super::check(
        &reporting(pending),
        &[
            &[
                "run",
                "box",
                "--image=busybox",
                "-i",
                "--rm",
                "--restart=Never",
                "--pod-running-timeout=1s",
            ],
            &[
                "run",
                "box",
                "--image=busybox",
                "--attach",
                "--pod-running-timeout=1s",
            ],
        ],
    );
}

/// With `--leave-stdin-open` the container's stdin is not closed after the first attach
/// (no `stdinOnce`), and kubectl does not wait for the exit code after the attach.
#[test]
fn run_leaves_stdin_open_as_kubectl_does() {
    require_kubectl!();
    super::check(
        &reporting_all(vec![ready(), ended("Failed", 3, "")]),
        &[&[
            "run",
            "box",
            "--image=busybox",
            "-i",
            "--rm",
            "--restart=Never",
            "--leave-stdin-open",
        ]],
    );
}
