use super::*;
use crate::client::Client;
use crate::controllers::testutil::TestCluster;
use serde_json::json;

fn controllers() -> Vec<Box<dyn crate::runtime::Component>> {
    vec![
        Box::new(JobController::default()),
        Box::new(crate::controllers::garbage_collector::GarbageCollector),
    ]
}

fn job(name: &str, spec: Value) -> Value {
    let mut spec = spec;
    spec["template"] = json!({"spec": {"restartPolicy": "Never",
        "containers": [{"name": "c", "image": "busybox"}]}});
    json!({"metadata": {"name": name}, "spec": spec})
}

/// Plays the kubelet: the pod ran and ended in `phase`.
fn finish(t: &TestCluster, pod: &Value, phase: &str) {
    let code = if phase == "Succeeded" { 0 } else { 1 };
    finish_with(t, pod, phase, code);
}

/// Plays the kubelet: the pod's container exited with `code`, the pod ended in `phase`.
fn finish_with(t: &TestCluster, pod: &Value, phase: &str, code: i64) {
    let mut p = t
        .get(
            "pods",
            Some("default"),
            pod["metadata"]["name"].as_str().unwrap(),
        )
        .expect("pod");
    p["status"]["phase"] = json!(phase);
    p["status"]["containerStatuses"] = json!([{"name": "c", "ready": false, "restartCount": 0,
        "image": "busybox", "imageID": "", "state": {"terminated": {"exitCode": code,
        "startedAt": timestamp(t.now), "finishedAt": timestamp(t.now)}}}]);
    // The kubelet turns Ready false when the containers end (controllers read its time).
    p["status"]["conditions"] = json!([{"type": "Ready", "status": "False",
        "lastProbeTime": null, "lastTransitionTime": timestamp(t.now)}]);
    let r = crate::api::registry::find("pods").unwrap();
    let name = p["metadata"]["name"].as_str().unwrap().to_string();
    t.c()
        .update_status(r, Some("default"), &name, p, &WriteOptions::default())
        .expect("status");
}

fn pods(t: &TestCluster) -> Vec<Value> {
    t.list("pods", Some("default"))
}

fn conditions(job: &Value) -> Vec<String> {
    job["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            format!(
                "{}={} {}",
                c["type"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
                c["reason"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn runs_pods_until_completions_succeed() {
    let t = TestCluster::new("job-complete");
    t.create(
        "jobs",
        Some("default"),
        job("pi", json!({"completions": 2})),
    );
    t.settle(controllers());
    let first = pods(&t);
    assert_eq!(first.len(), 1);
    let p = &first[0];
    assert!(p["metadata"]["name"].as_str().unwrap().starts_with("pi-"));
    assert_eq!(p["metadata"]["finalizers"], json!([TRACKING_FINALIZER]));
    assert_eq!(p["metadata"]["ownerReferences"][0]["kind"], "Job");
    assert_eq!(p["metadata"]["labels"]["job-name"], "pi");
    finish(&t, p, "Succeeded");
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "pi").unwrap();
    assert_eq!(j["status"]["succeeded"], 1);
    assert_eq!(j["status"]["active"], 1);
    let second = pods(&t)
        .into_iter()
        .find(|q| q["metadata"]["name"] != p["metadata"]["name"])
        .expect("a second pod");
    // The counted pod's finalizer is gone.
    let counted = t
        .get(
            "pods",
            Some("default"),
            p["metadata"]["name"].as_str().unwrap(),
        )
        .unwrap();
    assert!(counted["metadata"].get("finalizers").is_none());
    finish(&t, &second, "Succeeded");
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "pi").unwrap();
    assert_eq!(
        conditions(&j),
        [
            "SuccessCriteriaMet=True CompletionsReached",
            "Complete=True CompletionsReached"
        ]
    );
    assert_eq!(j["status"]["succeeded"], 2);
    assert!(j["status"]["completionTime"].is_string());
    assert!(j["status"].get("active").is_none());
    let events = t.events("default");
    assert!(
        events.iter().any(|e| e == "Completed: Job completed"),
        "{events:?}"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.starts_with("SuccessfulCreate: Created pod: pi-"))
            .count(),
        2
    );
}

#[test]
fn too_many_failures_fail_the_job() {
    let mut t = TestCluster::new("job-backoff");
    t.create(
        "jobs",
        Some("default"),
        job("flaky", json!({"backoffLimit": 1})),
    );
    t.settle(controllers());
    finish(&t, &pods(&t)[0], "Failed");
    t.settle(controllers());
    // Backing off: no new pod for 10 s.
    assert_eq!(pods(&t).len(), 1, "{:#?}", pods(&t));
    t.advance(10);
    t.settle(controllers());
    let retry: Vec<Value> = pods(&t)
        .into_iter()
        .filter(|p| p["status"]["phase"] != "Failed")
        .collect();
    assert_eq!(retry.len(), 1);
    finish(&t, &retry[0], "Failed");
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "flaky").unwrap();
    assert_eq!(
        conditions(&j),
        [
            "FailureTarget=True BackoffLimitExceeded",
            "Failed=True BackoffLimitExceeded"
        ]
    );
    assert_eq!(j["status"]["failed"], 2);
    assert!(t.events("default").contains(
        &"BackoffLimitExceeded: Job has reached the specified backoff limit".to_string()
    ));
}

#[test]
fn the_active_deadline_fails_the_job_and_stops_its_pods() {
    let mut t = TestCluster::new("job-deadline");
    t.create(
        "jobs",
        Some("default"),
        job("slow", json!({"activeDeadlineSeconds": 30})),
    );
    t.settle(controllers());
    assert_eq!(pods(&t).len(), 1);
    t.advance(30);
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "slow").unwrap();
    assert_eq!(
        conditions(&j),
        [
            "FailureTarget=True DeadlineExceeded",
            "Failed=True DeadlineExceeded"
        ]
    );
    assert!(pods(&t).is_empty(), "{:?}", pods(&t));
}

#[test]
fn indexed_jobs_give_each_pod_its_index() {
    let t = TestCluster::new("job-indexed");
    t.create(
        "jobs",
        Some("default"),
        job(
            "idx",
            json!({"completions": 3, "parallelism": 3, "completionMode": "Indexed"}),
        ),
    );
    t.settle(controllers());
    let mut all = pods(&t);
    all.sort_by_key(|p| {
        p["metadata"]["annotations"][COMPLETION_INDEX]
            .as_str()
            .unwrap()
            .to_string()
    });
    assert_eq!(all.len(), 3);
    for (i, p) in all.iter().enumerate() {
        assert_eq!(p["metadata"]["labels"][COMPLETION_INDEX], i.to_string());
        assert_eq!(p["spec"]["hostname"], format!("idx-{i}"));
        assert!(
            p["metadata"]["name"]
                .as_str()
                .unwrap()
                .starts_with(&format!("idx-{i}-"))
        );
    }
    finish(&t, &all[0], "Succeeded");
    finish(&t, &all[2], "Succeeded");
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "idx").unwrap();
    assert_eq!(j["status"]["completedIndexes"], "0,2");
    finish(&t, &all[1], "Succeeded");
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "idx").unwrap();
    assert_eq!(j["status"]["completedIndexes"], "0-2");
    assert!(conditions(&j).contains(&"Complete=True CompletionsReached".to_string()));
}

#[test]
fn a_finished_job_goes_after_its_ttl() {
    let mut t = TestCluster::new("job-ttl");
    t.create(
        "jobs",
        Some("default"),
        job("once", json!({"ttlSecondsAfterFinished": 60})),
    );
    t.settle(controllers());
    finish(&t, &pods(&t)[0], "Succeeded");
    t.settle(controllers());
    assert!(t.get("jobs", Some("default"), "once").is_some());
    t.advance(60);
    t.settle(controllers());
    assert!(t.get("jobs", Some("default"), "once").is_none());
}

#[test]
fn a_suspended_job_runs_nothing() {
    let t = TestCluster::new("job-suspend");
    t.create(
        "jobs",
        Some("default"),
        job("later", json!({"suspend": true})),
    );
    t.settle(controllers());
    assert!(pods(&t).is_empty());
    let j = t.get("jobs", Some("default"), "later").unwrap();
    assert_eq!(conditions(&j), ["Suspended=True JobSuspended"]);
    assert!(j["status"].get("startTime").is_none());
}

#[test]
fn index_sets_read_and_write_as_kube_does() {
    let set = parse_indexes("0,2-4,7");
    assert_eq!(set.iter().copied().collect::<Vec<_>>(), [0, 2, 3, 4, 7]);
    assert_eq!(format_indexes(&set), "0,2-4,7");
    assert_eq!(format_indexes(&parse_indexes("1,2")), "1,2");
}

fn indexed_pod(t: &TestCluster, index: &str) -> Value {
    pods(t)
        .into_iter()
        .find(|p| {
            p["metadata"]["annotations"][COMPLETION_INDEX] == index
                && p["status"]["phase"] != "Failed"
        })
        .unwrap_or_else(|| panic!("a live pod of index {index}: {:#?}", pods(t)))
}

#[test]
fn a_pod_failure_policy_fails_the_job_or_ignores_the_failure() {
    let t = TestCluster::new("job-pod-failure-policy");
    let policy = json!({"rules": [
        {"action": "FailJob", "onExitCodes": {"containerName": "c", "operator": "In", "values": [42]}},
        {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [3]}}]});
    t.create(
        "jobs",
        Some("default"),
        job(
            "policy",
            json!({"backoffLimit": 0, "podFailurePolicy": policy}),
        ),
    );
    t.settle(controllers());
    // Exit code 3 is ignored: not counted (backoffLimit 0 would fail it), and replaced.
    finish_with(&t, &pods(&t)[0], "Failed", 3);
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "policy").unwrap();
    assert!(j["status"].get("failed").is_none(), "{j}");
    assert!(conditions(&j).is_empty(), "{j}");
    let live: Vec<Value> = pods(&t)
        .into_iter()
        .filter(|p| p["status"]["phase"] != "Failed")
        .collect();
    assert_eq!(live.len(), 1);
    // Exit code 42 fails the Job at once, in kube's words.
    finish_with(&t, &live[0], "Failed", 42);
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "policy").unwrap();
    assert_eq!(
        conditions(&j),
        [
            "FailureTarget=True PodFailurePolicy",
            "Failed=True PodFailurePolicy"
        ]
    );
    let message = j["status"]["conditions"][1]["message"].as_str().unwrap();
    let name = live[0]["metadata"]["name"].as_str().unwrap();
    assert_eq!(
        message,
        format!(
            "Container c for pod default/{name} failed with exit code 42 matching FailJob rule at index 0"
        )
    );
    assert_eq!(j["status"]["failed"], 1);
}

#[test]
fn a_per_index_back_off_fails_indexes_and_then_the_job() {
    let mut t = TestCluster::new("job-per-index");
    t.create(
        "jobs",
        Some("default"),
        job(
            "idx",
            json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2,
                   "backoffLimitPerIndex": 1, "backoffLimit": 2147483647}),
        ),
    );
    t.settle(controllers());
    // Index 0 fails twice (one retry allowed): the index fails, index 1 goes on.
    finish(&t, &indexed_pod(&t, "0"), "Failed");
    t.settle(controllers());
    t.advance(10);
    t.settle(controllers());
    let retry = indexed_pod(&t, "0");
    assert_eq!(
        retry["metadata"]["annotations"]["batch.kubernetes.io/job-index-failure-count"],
        "1"
    );
    finish(&t, &retry, "Failed");
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "idx").unwrap();
    assert_eq!(j["status"]["failedIndexes"], "0", "{j}");
    assert!(conditions(&j).is_empty(), "{j}");
    finish(&t, &indexed_pod(&t, "1"), "Succeeded");
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "idx").unwrap();
    assert_eq!(
        conditions(&j),
        [
            "FailureTarget=True FailedIndexes",
            "Failed=True FailedIndexes"
        ]
    );
    assert_eq!(j["status"]["completedIndexes"], "1");
}

#[test]
fn a_success_policy_completes_an_indexed_job_early() {
    let t = TestCluster::new("job-success-policy");
    t.create(
        "jobs",
        Some("default"),
        job(
            "leader",
            json!({"completionMode": "Indexed", "completions": 3, "parallelism": 3,
                   "successPolicy": {"rules": [{"succeededIndexes": "0"}]}}),
        ),
    );
    t.settle(controllers());
    assert_eq!(pods(&t).len(), 3);
    finish(&t, &indexed_pod(&t, "0"), "Succeeded");
    t.settle(controllers());
    let j = t.get("jobs", Some("default"), "leader").unwrap();
    assert_eq!(
        conditions(&j),
        [
            "SuccessCriteriaMet=True SuccessPolicy",
            "Complete=True SuccessPolicy"
        ]
    );
    assert_eq!(
        j["status"]["conditions"][1]["message"],
        "Matched rules at index 0"
    );
    // The other indexes' pods are stopped (deleted, or on their way out).
    let running = pods(&t)
        .iter()
        .filter(|p| {
            p["metadata"]["annotations"][COMPLETION_INDEX] != "0"
                && !p["metadata"]["deletionTimestamp"].is_string()
        })
        .count();
    assert_eq!(running, 0, "{:#?}", pods(&t));
    assert_eq!(j["status"]["succeeded"], 1);
}
