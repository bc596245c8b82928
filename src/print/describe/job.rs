//! `kubectl describe job` and `kubectl describe cronjob`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, s};
use super::meta::{annotations_block, controlled_by, format_label_selector, labels_block};
use super::related::{Query, Related};
use super::template::pod_template;
use super::time::{parse, rfc1123};
use super::writer::Out;
use crate::print::age::human_duration;

pub fn job_plan(job: &Value, show_events: bool) -> Vec<Query> {
    if show_events {
        vec![query_for(job, "Job")]
    } else {
        Vec::new()
    }
}

pub fn cronjob_plan(cj: &Value, show_events: bool) -> Vec<Query> {
    if show_events {
        vec![query_for(cj, "CronJob")]
    } else {
        Vec::new()
    }
}

fn int(v: &Value, path: &[&str]) -> Option<i64> {
    at(v, path).and_then(Value::as_i64)
}

/// Completed indexes as kubectl caps them: `<none>` when empty, cut at a comma before 50
/// characters with `...` after.
fn capped_indexes(text: &str) -> String {
    if text.is_empty() {
        return "<none>".into();
    }
    if text.len() <= 50 {
        return text.into();
    }
    let head = &text[..50];
    match head.rfind(',') {
        Some(i) => format!("{},...", &head[..i]),
        None => format!("{head}..."),
    }
}

pub fn render_job(job: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(job, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(job, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(at(job, &["spec", "selector"]))
        ),
    );
    labels_block(&mut w, "Labels", at(job, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(job, &["metadata", "annotations"]));
    if let Some(owner) = controlled_by(job) {
        w.w(0, &format!("Controlled By:\t{owner}\n"));
    }
    if let Some(p) = int(job, &["spec", "parallelism"]) {
        w.w(0, &format!("Parallelism:\t{p}\n"));
    }
    match int(job, &["spec", "completions"]) {
        Some(c) => w.w(0, &format!("Completions:\t{c}\n")),
        None => w.w(0, "Completions:\t<unset>\n"),
    }
    let mode = at(job, &["spec", "completionMode"]).and_then(Value::as_str);
    if let Some(mode) = mode {
        w.w(0, &format!("Completion Mode:\t{mode}\n"));
    }
    if let Some(b) = at(job, &["spec", "suspend"]).and_then(Value::as_bool) {
        w.w(0, &format!("Suspend:\t{b}\n"));
    }
    if let Some(b) = int(job, &["spec", "backoffLimit"]) {
        w.w(0, &format!("Backoff Limit:\t{b}\n"));
    }
    if let Some(t) = int(job, &["spec", "ttlSecondsAfterFinished"]) {
        w.w(0, &format!("TTL Seconds After Finished:\t{t}\n"));
    }
    let start = parse(at(job, &["status", "startTime"]));
    let end = parse(at(job, &["status", "completionTime"]));
    if start.is_some() {
        w.w(
            0,
            &format!("Start Time:\t{}\n", rfc1123(job, &["status", "startTime"])),
        );
    }
    // kubectl prints a duration only for a finished Job.
    if let Some(end) = end {
        w.w(
            0,
            &format!(
                "Completed At:\t{}\n",
                rfc1123(job, &["status", "completionTime"])
            ),
        );
        let d = end - start.unwrap_or(end);
        w.w(0, &format!("Duration:\t{}\n", human_duration(d)));
    }
    if let Some(d) = int(job, &["spec", "activeDeadlineSeconds"]) {
        w.w(0, &format!("Active Deadline Seconds:\t{d}s\n"));
    }
    let count = |k: &str| int(job, &["status", k]).unwrap_or(0);
    match int(job, &["status", "ready"]) {
        None => w.w(
            0,
            &format!(
                "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
                count("active"),
                count("succeeded"),
                count("failed")
            ),
        ),
        Some(ready) => w.w(
            0,
            &format!(
                "Pods Statuses:\t{} Active ({ready} Ready) / {} Succeeded / {} Failed\n",
                count("active"),
                count("succeeded"),
                count("failed")
            ),
        ),
    }
    if mode == Some("Indexed") {
        w.w(
            0,
            &format!(
                "Completed Indexes:\t{}\n",
                capped_indexes(s(job, &["status", "completedIndexes"]))
            ),
        );
    }
    pod_template(&mut w, at(job, &["spec", "template"]));
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

fn unset_or(v: Option<i64>, suffix: &str) -> String {
    v.map_or_else(|| "<unset>".to_string(), |n| format!("{n}{suffix}"))
}

pub fn render_cronjob(cj: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(cj, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(cj, &["metadata", "namespace"])),
    );
    labels_block(&mut w, "Labels", at(cj, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(cj, &["metadata", "annotations"]));
    w.w(0, &format!("Schedule:\t{}\n", s(cj, &["spec", "schedule"])));
    w.w(
        0,
        &format!(
            "Concurrency Policy:\t{}\n",
            s(cj, &["spec", "concurrencyPolicy"])
        ),
    );
    let suspend = match at(cj, &["spec", "suspend"]).and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    w.w(0, &format!("Suspend:\t{suspend}\n"));
    w.w(
        0,
        &format!(
            "Successful Job History Limit:\t{}\n",
            unset_or(int(cj, &["spec", "successfulJobsHistoryLimit"]), "")
        ),
    );
    w.w(
        0,
        &format!(
            "Failed Job History Limit:\t{}\n",
            unset_or(int(cj, &["spec", "failedJobsHistoryLimit"]), "")
        ),
    );
    w.w(
        0,
        &format!(
            "Starting Deadline Seconds:\t{}\n",
            unset_or(int(cj, &["spec", "startingDeadlineSeconds"]), "s")
        ),
    );
    let js = at(cj, &["spec", "jobTemplate", "spec"]);
    let js_int = |k: &str| js.and_then(|j| int(j, &[k]));
    match js
        .and_then(|j| at(j, &["selector"]))
        .filter(|v| !v.is_null())
    {
        Some(sel) => w.w(
            0,
            &format!("Selector:\t{}\n", format_label_selector(Some(sel))),
        ),
        None => w.w(0, "Selector:\t<unset>\n"),
    }
    w.w(
        0,
        &format!("Parallelism:\t{}\n", unset_or(js_int("parallelism"), "")),
    );
    w.w(
        0,
        &format!("Completions:\t{}\n", unset_or(js_int("completions"), "")),
    );
    if let Some(d) = js_int("activeDeadlineSeconds") {
        w.w(0, &format!("Active Deadline Seconds:\t{d}s\n"));
    }
    pod_template(&mut w, js.and_then(|j| at(j, &["template"])));
    if parse(at(cj, &["status", "lastScheduleTime"])).is_some() {
        w.w(
            0,
            &format!(
                "Last Schedule Time:\t{}\n",
                rfc1123(cj, &["status", "lastScheduleTime"])
            ),
        );
    } else {
        w.w(0, "Last Schedule Time:\t<unset>\n");
    }
    let active: Vec<&str> = arr(cj, &["status", "active"])
        .iter()
        .map(|r| s(r, &["name"]))
        .collect();
    if active.is_empty() {
        w.w(0, "Active Jobs:\t<none>\n");
    } else {
        w.w(0, &format!("Active Jobs:\t{}\n", active.join(", ")));
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}
