//! batch/v1 Jobs and CronJobs against the real kubectl: the same `kubelite serve` read by
//! kubectl and by kubelite (embedded mode reaching it over HTTP) gives the same bytes for
//! discovery, tables, describe, validation errors and `create job --from=cronjob/...`.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest, read_between};

fn same(what: &str, kubectl: &Run, ours: &Run) {
    assert_eq!(
        (kubectl.code, &kubectl.stdout, &kubectl.stderr),
        (ours.code, &ours.stdout, &ours.stderr),
        "{what}: kubectl (left) and kubelite (right) differ"
    );
}

const CRONJOB: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: \"*/5 * * * *\"
  jobTemplate:
    metadata:
      labels: {team: a}
      annotations: {note: x}
    spec:
      template:
        metadata:
          annotations: {kubelite.io/run-duration: 30s}
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
";

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: idx
spec:
  completions: 3
  parallelism: 2
  completionMode: Indexed
  activeDeadlineSeconds: 600
  ttlSecondsAfterFinished: 100
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
";

/// One that completes at once and one that fails at once (the simulated runtime's exit
/// codes), for the finished forms of STATUS, COMPLETIONS, DURATION and describe.
const FINISHING: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: done
spec:
  template:
    metadata:
      annotations: {kubelite.io/exit-code: \"0\"}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: broken
spec:
  backoffLimit: 0
  template:
    metadata:
      annotations: {kubelite.io/exit-code: \"1\"}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
";

const BAD_JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: bad
spec:
  template:
    spec:
      containers: [{name: c, image: busybox}]
";

#[test]
fn jobs_and_cronjobs_read_the_same_through_kubectl_and_kubelite() {
    require_kubectl!();
    // The real clock: kubectl measures ages from its own.
    let server = Server::start(false);
    let dir = TempDir::new("batch");
    let cj = manifest(&dir.0, "cj.yaml", CRONJOB);
    let job = manifest(&dir.0, "job.yaml", JOB);
    let bad = manifest(&dir.0, "bad.yaml", BAD_JOB);
    let finishing = manifest(&dir.0, "finishing.yaml", FINISHING);
    let made = server.kubectl(&["create", "-f", cj.to_str().unwrap()]);
    assert_eq!(
        made.stdout, "cronjob.batch/tick created\n",
        "{}",
        made.stderr
    );
    let made = server.kubectl(&["create", "-f", job.to_str().unwrap()]);
    assert_eq!(made.stdout, "job.batch/idx created\n", "{}", made.stderr);
    let made = server.kubectl(&["create", "job", "pi", "--image=busybox", "--", "echo", "hi"]);
    assert_eq!(made.stdout, "job.batch/pi created\n", "{}", made.stderr);
    let made = server.kubectl(&["create", "-f", finishing.to_str().unwrap()]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    server.wait_until_settled();
    let cases: &[&[&str]] = &[
        &["api-resources", "--api-group=batch"],
        &["get", "jobs"],
        &["get", "jobs", "-o", "wide"],
        &["get", "cronjobs", "-o", "wide"],
        &["get", "cj,jobs", "-o", "name"],
        &["describe", "job", "idx"],
        &["describe", "job", "pi"],
        &["describe", "job", "done"],
        &["describe", "job", "broken"],
        &["describe", "cronjob", "tick"],
        &[
            "create",
            "job",
            "manual",
            "--from=cronjob/tick",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "create",
            "job",
            "manual",
            "--from=cj/tick",
            "-n",
            "default",
            "--dry-run=client",
            "-o",
            "json",
        ],
        &["create", "job", "manual", "--from=cronjob/nope"],
        &["create", "job", "manual", "--from=cronjob"],
        &["create", "job", "manual", "--from=nothing/x"],
        &[
            "create",
            "cronjob",
            "c2",
            "--image=busybox",
            "--schedule=61 * * * *",
        ],
        &[
            "create",
            "cronjob",
            "c3",
            "--image=busybox",
            "--schedule=@often",
        ],
        &[
            "create",
            "cronjob",
            "c4",
            "--image=busybox",
            "--schedule=* * *",
            "--restart=Always",
        ],
        &["create", "-f", bad.to_str().unwrap()],
    ];
    for args in cases {
        // An age can tick between the two reads.
        let (theirs, ours) = read_between(
            || server.kubectl(args),
            || kubelite(&server.home.0, false, args),
        );
        same(&args.join(" "), &theirs, &ours);
    }
    let status = server.kubectl(&["get", "jobs", "done", "broken", "--no-headers"]);
    let words: Vec<Vec<&str>> = status
        .stdout
        .lines()
        .map(|l| l.split_whitespace().take(3).collect())
        .collect();
    assert_eq!(
        words,
        [
            vec!["done", "Complete", "1/1"],
            vec!["broken", "Failed", "0/1"]
        ]
    );
    // Made by kubelite, read by kubectl: the Job a cron job starts by hand.
    let ours = kubelite(
        &server.home.0,
        true,
        &["create", "job", "m1", "--from=cronjob/tick"],
    );
    assert_eq!(
        (ours.code, ours.stdout.as_str()),
        (0, "job.batch/m1 created\n"),
        "{}",
        ours.stderr
    );
    let read = server.kubectl(&[
        "get",
        "job",
        "m1",
        "-o",
        "jsonpath={.metadata.annotations}{.metadata.ownerReferences[0].name}{.spec.template.metadata.labels.team}",
    ]);
    assert_eq!(
        read.stdout,
        "{\"cronjob.kubernetes.io/instantiate\":\"manual\",\"note\":\"x\"}tick"
    );
}

/// On serve's wall clock a Job's pods that run for a while finish when their time is up
/// (the kubelet wakes at the instant), and the Job completes.
#[test]
fn a_job_completes_on_the_wall_clock() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = TempDir::new("batch-wall");
    let job = manifest(
        &dir.0,
        "job.yaml",
        "apiVersion: batch/v1
kind: Job
metadata:
  name: quick
spec:
  completions: 2
  template:
    metadata:
      annotations: {kubelite.io/run-duration: 1s}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
",
    );
    let made = server.kubectl(&["create", "-f", job.to_str().unwrap()]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        let got = server.kubectl(&["get", "job", "quick", "-o", "jsonpath={.status.succeeded}"]);
        if got.stdout == "2" || std::time::Instant::now() > deadline {
            break got.stdout;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(status, "2");
}
