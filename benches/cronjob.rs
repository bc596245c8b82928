//! A CronJob walked through 24 hours of the cluster clock (release build: `cargo bench
//! --bench cronjob`): schedule `*/5 * * * *`, each Job's pod running 60 s of cluster time;
//! one one-shot command per step of `KUBELITE_NOW` (every 5 minutes, 288 steps, and one
//! more a minute later so the last Job finishes). Each step creates a Job, sees the
//! previous one complete and prunes the history down to its limits. The target:
//! the whole walk ≤ 5 s. Checks at the end that 288 Jobs ran and completed and that only
//! the history limit's worth is left.
//!
//! The walk is measured three ways: on an ordinary (durable) home, the figure the target
//! is about; the same with `KUBELITE_UNSAFE_NO_FSYNC=1`; and as one `kubelite test`
//! scenario of `@advance 5m` steps (its temporary home is never synced either).

#[path = "support/children_cpu.rs"]
mod children_cpu;

use children_cpu::children_cpu;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const START: &str = "2026-11-29T00:00:00Z";

const CRONJOB: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: \"*/5 * * * *\"
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {kubelite.io/run-duration: 60s}
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox}]
";

fn kubelite(home: &Path, now: chrono::DateTime<chrono::Utc>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubelite"));
    c.env("KUBELITE_HOME", home)
        .env(
            "KUBELITE_NOW",
            now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_UNSAFE_NO_FSYNC");
    c
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.stderr(Stdio::inherit()).output().expect("run");
    assert!(out.status.success(), "{cmd:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Walks the CronJob through the day with one process a step, `extra` added to each
/// step's environment; prints the figures under `label`.
fn walk(dir: &Path, file: &Path, label: &str, extra: &[(&str, &str)]) {
    let home = dir.join(label.replace(' ', "-"));
    let start = chrono::DateTime::parse_from_rfc3339(START)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let with = |now| {
        let mut c = kubelite(&home, now);
        c.envs(extra.iter().copied());
        c
    };
    run(with(start).arg("create").arg("-f").arg(file));

    let mut steps: Vec<chrono::DateTime<chrono::Utc>> = (1..=288)
        .map(|i| start + chrono::Duration::minutes(5 * i))
        .collect();
    let end = start + chrono::Duration::minutes(5 * 288 + 1);
    steps.push(end);
    let mut walls: Vec<Duration> = Vec::new();
    let cpu = children_cpu();
    let total = Instant::now();
    for t in &steps {
        let one = Instant::now();
        run(with(*t).args(["get", "cronjob", "tick", "-o", "name"]));
        walls.push(one.elapsed());
    }
    let total = total.elapsed();
    let cpu = children_cpu() - cpu;

    // 288 Jobs ran: the last one is the 24:00 one, and it completed.
    let last = start + chrono::Duration::minutes(5 * 288);
    let last_name = format!("tick-{}", last.timestamp() / 60);
    let jobs = run(with(end).args([
        "get",
        "jobs",
        "-o",
        "custom-columns=NAME:.metadata.name,DONE:.status.succeeded",
        "--no-headers",
    ]));
    let rows: Vec<&str> = jobs.lines().collect();
    assert_eq!(rows.len(), 3, "history limit 3 keeps 3 Jobs: {jobs}");
    assert!(
        rows.iter().all(|r| r.ends_with(" 1")),
        "all completed: {jobs}"
    );
    assert!(rows.iter().any(|r| r.starts_with(&last_name)), "{jobs}");
    let scheduled = run(with(end).args([
        "get",
        "cronjob",
        "tick",
        "-o",
        "jsonpath={.status.lastScheduleTime} {.status.lastSuccessfulTime}",
    ]));
    assert!(scheduled.starts_with(&last.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));

    walls.sort();
    println!(
        "cronjob */5 walked through 24 h, {label}: {} steps in {total:?} (target 5 s), CPU {cpu:?}; per step median {:?}, max {:?}",
        steps.len(),
        walls[walls.len() / 2],
        walls[walls.len() - 1]
    );
}

/// The same walk as one scenario: `@advance 5m` and a `get` a step, the last Jobs checked
/// as the per-process walk checks them.
fn scenario(dir: &Path) {
    let mut text = format!("@env KUBELITE_NOW={START}\n$ kubelite create -f cronjob.yaml\n");
    for _ in 0..288 {
        text.push_str("@advance 5m\n$ kubelite get cronjob tick -o name\n");
    }
    text.push_str("@advance 1m\n$ kubelite get cronjob tick -o name\n");
    text.push_str("$ kubelite get jobs -o custom-columns=DONE:.status.succeeded --no-headers\n");
    let path = dir.join("walk.txt");
    std::fs::write(&path, text).unwrap();
    let test = |update: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kubelite"));
        c.arg("test");
        if update {
            c.arg("--update");
        }
        run(c.arg(&path).env_remove("KUBECONFIG"));
    };
    // The expectations are what the commands print; then the timed run checks them.
    test(true);
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.ends_with("> 1\n> 1\n> 1\n"),
        "history limit 3 keeps 3 completed Jobs: {}",
        &written[written.len().saturating_sub(300)..]
    );
    let cpu = children_cpu();
    let total = Instant::now();
    test(false);
    let total = total.elapsed();
    let cpu = children_cpu() - cpu;
    println!(
        "cronjob */5 walked through 24 h, one kubelite test scenario (@advance 5m): {total:?} (target 5 s), CPU {cpu:?}"
    );
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kubelite-bench-cronjob-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cronjob.yaml");
    std::fs::write(&file, CRONJOB).unwrap();
    walk(&dir, &file, "durable home", &[]);
    walk(
        &dir,
        &file,
        "KUBELITE_UNSAFE_NO_FSYNC=1",
        &[("KUBELITE_UNSAFE_NO_FSYNC", "1")],
    );
    scenario(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}
