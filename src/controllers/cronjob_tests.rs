use super::*;
use crate::api::options::WriteOptions;
use crate::client::Client;
use crate::controllers::testutil::TestCluster;
use serde_json::json;

fn controllers() -> Vec<Box<dyn crate::runtime::Component>> {
    vec![Box::new(CronJobController::default())]
}

fn cronjob(name: &str, schedule: &str, extra: Value) -> Value {
    let mut spec = json!({"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {
        "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox"}]}}}}});
    for (k, v) in extra.as_object().into_iter().flatten() {
        spec[k] = v.clone();
    }
    json!({"metadata": {"name": name}, "spec": spec})
}

fn jobs(t: &TestCluster) -> Vec<String> {
    let mut names: Vec<String> = t
        .list("jobs", Some("default"))
        .iter()
        .map(|j| j["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// Plays the Job controller: the Job ended with `condition`.
fn finish(t: &TestCluster, name: &str, condition: &str) {
    let mut j = t.get("jobs", Some("default"), name).expect("job");
    let now = timestamp(t.now);
    j["status"] = json!({"startTime": now, "conditions": [{"type": condition, "status": "True",
        "lastProbeTime": now, "lastTransitionTime": now}]});
    if condition == "Complete" {
        j["status"]["completionTime"] = json!(now);
    }
    let r = crate::api::registry::find("jobs").unwrap();
    t.c()
        .update_status(r, Some("default"), name, j, &WriteOptions::default())
        .expect("status");
}

fn minute(t: DateTime<Utc>) -> i64 {
    t.timestamp() / 60
}

#[test]
fn creates_a_job_per_scheduled_time_and_sees_it_complete() {
    let mut t = TestCluster::new("cron-basic");
    t.create(
        "cronjobs",
        Some("default"),
        cronjob("tick", "*/5 * * * *", json!({})),
    );
    t.settle(controllers());
    assert!(jobs(&t).is_empty());
    t.advance(300);
    t.settle(controllers());
    let name = format!("tick-{}", minute(t.now));
    assert_eq!(jobs(&t), std::slice::from_ref(&name));
    let job = t.get("jobs", Some("default"), &name).unwrap();
    assert_eq!(job["metadata"]["ownerReferences"][0]["kind"], "CronJob");
    assert_eq!(
        job["metadata"]["annotations"][SCHEDULED_TIMESTAMP],
        timestamp(t.now)
    );
    let cj = t.get("cronjobs", Some("default"), "tick").unwrap();
    assert_eq!(cj["status"]["active"][0]["name"], name);
    assert_eq!(cj["status"]["lastScheduleTime"], timestamp(t.now));
    finish(&t, &name, "Complete");
    t.settle(controllers());
    let cj = t.get("cronjobs", Some("default"), "tick").unwrap();
    assert!(cj["status"].get("active").is_none());
    assert_eq!(cj["status"]["lastSuccessfulTime"], timestamp(t.now));
    let events = t.events("default");
    assert!(events.contains(&format!("SuccessfulCreate: Created job {name}")));
    assert!(events.contains(&format!(
        "SawCompletedJob: Saw completed job: {name}, condition: Complete"
    )));
}

#[test]
fn history_limits_prune_the_oldest_finished_jobs() {
    let mut t = TestCluster::new("cron-history");
    t.create(
        "cronjobs",
        Some("default"),
        cronjob("h", "* * * * *", json!({"successfulJobsHistoryLimit": 2})),
    );
    t.settle(controllers());
    let mut made = Vec::new();
    for _ in 0..4 {
        t.advance(60);
        t.settle(controllers());
        let name = format!("h-{}", minute(t.now));
        finish(&t, &name, "Complete");
        t.settle(controllers());
        made.push(name);
    }
    assert_eq!(jobs(&t), made[2..].to_vec());
    assert!(
        t.events("default")
            .contains(&format!("SuccessfulDelete: Deleted job {}", made[0]))
    );
}

#[test]
fn forbid_skips_a_run_while_one_is_active_and_replace_replaces_it() {
    let mut t = TestCluster::new("cron-policy");
    t.create(
        "cronjobs",
        Some("default"),
        cronjob("f", "* * * * *", json!({"concurrencyPolicy": "Forbid"})),
    );
    t.create(
        "cronjobs",
        Some("default"),
        cronjob("r", "* * * * *", json!({"concurrencyPolicy": "Replace"})),
    );
    t.settle(controllers());
    t.advance(60);
    t.settle(controllers());
    let first = minute(t.now);
    t.advance(60);
    t.settle(controllers());
    let second = minute(t.now);
    assert_eq!(jobs(&t), [format!("f-{first}"), format!("r-{second}")]);
    assert!(t.events("default").contains(
        &"JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid".to_string()
    ));
}

#[test]
fn suspended_and_too_late_runs_do_not_start() {
    let mut t = TestCluster::new("cron-late");
    t.create(
        "cronjobs",
        Some("default"),
        cronjob("s", "* * * * *", json!({"suspend": true})),
    );
    t.create(
        "cronjobs",
        Some("default"),
        cronjob("late", "0 * * * *", json!({"startingDeadlineSeconds": 10})),
    );
    t.settle(controllers());
    // 01:00 was the creation minute; 02:00 passes by half an hour.
    t.advance(5400);
    t.settle(controllers());
    assert!(jobs(&t).is_empty(), "{:?}", jobs(&t));
}

#[test]
fn many_missed_times_start_only_the_most_recent_with_a_warning() {
    let mut t = TestCluster::new("cron-missed");
    t.create(
        "cronjobs",
        Some("default"),
        cronjob("m", "* * * * *", json!({})),
    );
    t.settle(controllers());
    t.advance(3 * 3600);
    t.settle(controllers());
    assert_eq!(jobs(&t), [format!("m-{}", minute(t.now))]);
    assert!(t.events("default").contains(
        &"TooManyMissedTimes: too many missed start times: 180. Set or decrease .spec.startingDeadlineSeconds or check clock skew".to_string()
    ));
}
