//! The CronJob controller: on the cluster's clock, creates a Job (`<cronjob>-<scheduled
//! minute since the epoch>`) for the most recent scheduled time it has not run, honouring
//! `concurrencyPolicy`, `startingDeadlineSeconds` and `suspend`; tracks its active Jobs,
//! and prunes finished ones beyond the history limits, as kube's controller does.

use super::common as c;
use crate::api::cron::{self, Schedule, Tz};
use crate::api::options::DeleteOptions;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::runtime::{
    Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler, Trigger, Triggers,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

const NAME: &str = "cronjob-controller";
pub const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/// Past this many missed start times kube warns (and still starts the most recent one).
const TOO_MANY_MISSED: i64 = 100;

pub type CronJobController = Controller<CronJobs>;

#[derive(Default)]
pub struct CronJobs;

impl Reconciler for CronJobs {
    fn name(&self) -> &'static str {
        NAME
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "cronjobs",
                kind: "CronJob",
                api_version: "batch/v1",
            },
            others: vec![Trigger {
                plural: "jobs",
                mapping: Mapping::Owned { adopts: false },
            }],
            timed: Some(|cj| cj.pointer("/spec/suspend") != Some(&json!(true))),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        cj: &Value,
    ) -> Result<Reconciled, ApiError> {
        let ns = c::namespace(cj);
        let jobs = cache.list(ctx, "jobs", Some(ns))?;
        let uid = c::uid(cj).to_string();
        let mine: Vec<&Value> = jobs
            .iter()
            .filter(|j| c::controller_uid(j, "CronJob") == Some(uid.as_str()))
            .collect();
        let (wrote, due) = sync(ctx, cj, &mine)?;
        if wrote {
            cache.forget("jobs", Some(ns));
        }
        Ok(Reconciled::wrote(wrote).requeue_at(ctx, due))
    }
}

/// `Complete` or `Failed`, if the Job has finished.
fn job_finished(job: &Value) -> Option<&'static str> {
    let conds = job
        .pointer("/status/conditions")
        .and_then(Value::as_array)?;
    ["Complete", "Failed"].into_iter().find(|kind| {
        conds
            .iter()
            .any(|x| x["type"] == *kind && x["status"] == "True")
    })
}

fn event(
    events: &mut Vec<(&'static str, &'static str, String)>,
    kind: &'static str,
    reason: &'static str,
    message: String,
) {
    events.push((kind, reason, message));
}

/// The most recent scheduled time after `earliest` and not after `now`, and how many
/// were missed; `next` is the first one after `now`.
fn most_recent(
    s: &Schedule,
    tz: Tz,
    earliest: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (Option<DateTime<Utc>>, i64) {
    let mut last = None;
    let mut missed = 0;
    let mut t = earliest;
    // Bounded: a schedule due every minute over ten years.
    for _ in 0..5_300_000 {
        match s.next_in(t, tz) {
            Some(n) if n <= now => {
                last = Some(n);
                missed += 1;
                t = n;
            }
            _ => break,
        }
    }
    (last, missed)
}

fn sync(
    ctx: &Context,
    cj: &Value,
    jobs: &[&Value],
) -> Result<(bool, Option<DateTime<Utc>>), ApiError> {
    let now = ctx.now;
    let old = cj.get("status").cloned().unwrap_or(json!({}));
    let mut events = Vec::new();
    let mut wrote = false;
    // Active Jobs: drop the finished and the gone. Like kube, a Job it owns but did not
    // start (`create job --from`) is not tracked as active.
    let mut active: Vec<Value> = Vec::new();
    let mut last_success = old.get("lastSuccessfulTime").cloned();
    let listed = |name: &str| jobs.iter().find(|j| c::name(j) == name).copied();
    for r in old
        .get("active")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = c::str_at(r, "/name");
        if let Some(j) = listed(name) {
            match job_finished(j) {
                Some(cond) => {
                    event(
                        &mut events,
                        "Normal",
                        "SawCompletedJob",
                        format!("Saw completed job: {name}, condition: {cond}"),
                    );
                    if cond == "Complete"
                        && let Some(t) = j.pointer("/status/completionTime")
                        && last_success
                            .as_ref()
                            .is_none_or(|l| l.as_str() < t.as_str())
                    {
                        last_success = Some(t.clone());
                    }
                }
                None => active.push(r.clone()),
            }
        }
    }
    let mut last_schedule = old.get("lastScheduleTime").cloned();
    let mut due = None;
    let suspended = cj.pointer("/spec/suspend") == Some(&json!(true));
    let schedule_text = c::str_at(cj, "/spec/schedule");
    let tz_name = cj.pointer("/spec/timeZone").and_then(Value::as_str);
    let tz = match tz_name {
        None => Some(Tz::UTC),
        Some(n) => cron::time_zone(n),
    };
    if c::is_terminating(cj) || suspended {
        // Nothing new starts.
    } else if tz.is_none() {
        event(
            &mut events,
            "Warning",
            "UnknownTimeZone",
            format!(
                "invalid timeZone: {:?}: unknown time zone {}",
                tz_name.unwrap_or(""),
                tz_name.unwrap_or("")
            ),
        );
    } else {
        let tz = tz.unwrap_or(Tz::UTC);
        match cron::parse(schedule_text) {
            Err(e) => event(
                &mut events,
                "Warning",
                "InvalidSchedule",
                format!("invalid schedule: {schedule_text} : {e}"),
            ),
            Ok(s) => {
                let deadline = cj
                    .pointer("/spec/startingDeadlineSeconds")
                    .and_then(Value::as_i64);
                let mut earliest = last_schedule
                    .as_ref()
                    .and_then(Value::as_str)
                    .and_then(crate::clock::parse_timestamp)
                    .or_else(|| c::time_at(cj, "/metadata/creationTimestamp"))
                    .unwrap_or(now);
                if let Some(d) = deadline {
                    earliest = earliest.max(now - Duration::seconds(d));
                }
                let (scheduled, missed) = most_recent(&s, tz, earliest, now);
                due = s.next_in(now, tz);
                if missed > TOO_MANY_MISSED {
                    event(
                        &mut events,
                        "Warning",
                        "TooManyMissedTimes",
                        format!(
                            "too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
                        ),
                    );
                }
                if let Some(at) = scheduled {
                    let too_late = deadline.is_some_and(|d| at + Duration::seconds(d) < now);
                    let name = format!("{}-{}", c::name(cj), at.timestamp().div_euclid(60));
                    let exists = jobs.iter().any(|j| c::name(j) == name);
                    let policy = c::str_at(cj, "/spec/concurrencyPolicy");
                    if too_late {
                        event(
                            &mut events,
                            "Warning",
                            "MissSchedule",
                            format!(
                                "Missed scheduled time to start a job: {}",
                                at.format("%a, %d %b %Y %H:%M:%S %z")
                            ),
                        );
                    } else if exists {
                        // Already run.
                    } else if policy == "Forbid" && !active.is_empty() {
                        event(
                            &mut events,
                            "Normal",
                            "JobAlreadyActive",
                            "Not starting job because prior execution is running and concurrency policy is Forbid".into(),
                        );
                    } else {
                        if policy == "Replace" {
                            for r in std::mem::take(&mut active) {
                                let n = c::str_at(&r, "/name").to_string();
                                if delete_job(ctx, c::namespace(cj), &n)? {
                                    event(
                                        &mut events,
                                        "Normal",
                                        "SuccessfulDelete",
                                        format!("Deleted job {n}"),
                                    );
                                }
                            }
                        }
                        match create_job(ctx, cj, &name, at, tz) {
                            Ok(job) => {
                                event(
                                    &mut events,
                                    "Normal",
                                    "SuccessfulCreate",
                                    format!("Created job {name}"),
                                );
                                active.push(reference(&job));
                                last_schedule = Some(json!(timestamp(at)));
                                wrote = true;
                            }
                            Err(e) if e.code == 409 => {
                                last_schedule = Some(json!(timestamp(at)));
                            }
                            Err(e) => {
                                event(
                                    &mut events,
                                    "Warning",
                                    "FailedCreate",
                                    format!("Error creating job: {}", e.message),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    wrote |= prune_history(ctx, cj, jobs, &mut events)?;
    let mut status = Map::new();
    if !active.is_empty() {
        status.insert("active".into(), Value::Array(active));
    }
    if let Some(t) = last_schedule {
        status.insert("lastScheduleTime".into(), t);
    }
    if let Some(t) = last_success {
        status.insert("lastSuccessfulTime".into(), t);
    }
    wrote |= c::write_status(ctx, "cronjobs", cj, Value::Object(status))?;
    if !events.is_empty() {
        c::record_burst(ctx, NAME, cj, &events)?;
        wrote = true;
    }
    Ok((wrote, due))
}

/// A Job as the CronJob's status lists it.
fn reference(job: &Value) -> Value {
    json!({
        "kind": "Job",
        "namespace": c::namespace(job),
        "name": c::name(job),
        "uid": c::uid(job),
        "apiVersion": "batch/v1",
        "resourceVersion": c::str_at(job, "/metadata/resourceVersion"),
    })
}

fn delete_job(ctx: &Context, ns: &str, name: &str) -> Result<bool, ApiError> {
    let opts = DeleteOptions {
        propagation_policy: Some("Background".into()),
        ..Default::default()
    };
    c::delete(ctx, "jobs", Some(ns), name, &opts)
}

/// The Job for one scheduled time: the template's labels, annotations (and the scheduled
/// time) and spec, controlled by the CronJob.
pub fn job_from_template(cj: &Value, name: &str, scheduled: Option<(DateTime<Utc>, Tz)>) -> Value {
    let template = cj
        .pointer("/spec/jobTemplate")
        .cloned()
        .unwrap_or(json!({}));
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    meta.insert("namespace".into(), json!(c::namespace(cj)));
    if let Some(l) = template.pointer("/metadata/labels") {
        meta.insert("labels".into(), l.clone());
    }
    let mut annotations = template
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some((at, tz)) = scheduled {
        annotations.insert(
            SCHEDULED_TIMESTAMP.into(),
            json!(
                at.with_timezone(&tz)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
        );
    }
    if !annotations.is_empty() {
        meta.insert("annotations".into(), Value::Object(annotations));
    }
    meta.insert(
        "ownerReferences".into(),
        json!([c::controller_owner_ref(cj, "batch/v1", "CronJob")]),
    );
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": template.get("spec").cloned().unwrap_or(json!({})),
    })
}

fn create_job(
    ctx: &Context,
    cj: &Value,
    name: &str,
    at: DateTime<Utc>,
    tz: Tz,
) -> Result<Value, ApiError> {
    let r = ctx.resource("jobs")?;
    let job = job_from_template(cj, name, Some((at, tz)));
    ctx.client.create(
        r,
        Some(c::namespace(cj)),
        job,
        &crate::api::options::WriteOptions::default(),
    )
}

/// Deletes the oldest finished Jobs beyond `successfulJobsHistoryLimit` and
/// `failedJobsHistoryLimit`.
fn prune_history(
    ctx: &Context,
    cj: &Value,
    jobs: &[&Value],
    events: &mut Vec<(&'static str, &'static str, String)>,
) -> Result<bool, ApiError> {
    let mut wrote = false;
    for (cond, field) in [
        ("Complete", "successfulJobsHistoryLimit"),
        ("Failed", "failedJobsHistoryLimit"),
    ] {
        let Some(limit) = cj
            .pointer(&format!("/spec/{field}"))
            .and_then(Value::as_i64)
        else {
            continue;
        };
        let mut done: Vec<&Value> = jobs
            .iter()
            .copied()
            .filter(|j| job_finished(j) == Some(cond) && !c::is_terminating(j))
            .collect();
        let excess = done
            .len()
            .saturating_sub(usize::try_from(limit.max(0)).unwrap_or(0));
        if excess == 0 {
            continue;
        }
        // Oldest first: by start time (never started first), then by name.
        done.sort_by(|a, b| {
            c::time_at(a, "/status/startTime")
                .cmp(&c::time_at(b, "/status/startTime"))
                .then(c::name(a).cmp(c::name(b)))
        });
        for j in done.into_iter().take(excess) {
            if delete_job(ctx, c::namespace(j), c::name(j))? {
                events.push((
                    "Normal",
                    "SuccessfulDelete",
                    format!("Deleted job {}", c::name(j)),
                ));
                wrote = true;
            }
        }
    }
    Ok(wrote)
}

#[cfg(test)]
#[path = "cronjob_tests.rs"]
mod tests;
