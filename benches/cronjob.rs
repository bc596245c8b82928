//! A CronJob walked through 24 hours of the cluster clock (release build: `cargo bench
//! --bench cronjob`): schedule `*/5 * * * *`, each Job's pod running 60 s of cluster time;
//! one one-shot command per step of `KUBELITE_NOW` (every 5 minutes, 288 steps, and one
//! more a minute later so the last Job finishes). Each step creates a Job, sees the
//! previous one complete and prunes the history down to its limits. The target:
//! the whole walk ≤ 5 s. Checks at the end that 288 Jobs ran and completed and that only
//! the history limit's worth is left.

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
        .env_remove("KUBECONFIG");
    c
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.stderr(Stdio::inherit()).output().expect("run");
    assert!(out.status.success(), "{cmd:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kubelite-bench-cronjob-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let home = dir.join("home");
    let file = dir.join("cronjob.yaml");
    std::fs::write(&file, CRONJOB).unwrap();
    let start = chrono::DateTime::parse_from_rfc3339(START)
        .unwrap()
        .with_timezone(&chrono::Utc);
    run(kubelite(&home, start).arg("create").arg("-f").arg(&file));

    let mut steps: Vec<chrono::DateTime<chrono::Utc>> = (1..=288)
        .map(|i| start + chrono::Duration::minutes(5 * i))
        .collect();
    let end = start + chrono::Duration::minutes(5 * 288 + 1);
    steps.push(end);
    let mut walls: Vec<Duration> = Vec::new();
    let total = Instant::now();
    for t in &steps {
        let one = Instant::now();
        run(kubelite(&home, *t).args(["get", "cronjob", "tick", "-o", "name"]));
        walls.push(one.elapsed());
    }
    let total = total.elapsed();

    // 288 Jobs ran: the last one is the 24:00 one, and it completed.
    let last = start + chrono::Duration::minutes(5 * 288);
    let last_name = format!("tick-{}", last.timestamp() / 60);
    let jobs = run(kubelite(&home, end).args([
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
    let scheduled = run(kubelite(&home, end).args([
        "get",
        "cronjob",
        "tick",
        "-o",
        "jsonpath={.status.lastScheduleTime} {.status.lastSuccessfulTime}",
    ]));
    assert!(scheduled.starts_with(&last.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));

    walls.sort();
    println!(
        "cronjob */5 walked through 24 h: {} steps in {total:?} (target 5 s); per step median {:?}, max {:?}",
        steps.len(),
        walls[walls.len() / 2],
        walls[walls.len() - 1]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
