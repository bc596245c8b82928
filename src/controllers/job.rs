//! The Job controller: runs a Job's pods until enough succeed (or, Indexed, every index
//! succeeded once), counts finished pods through the `batch.kubernetes.io/job-tracking`
//! finalizer as kube does, retries failures with kube's back-off up to `backoffLimit`,
//! enforces `activeDeadlineSeconds`, suspends and resumes, and deletes finished Jobs whose
//! `ttlSecondsAfterFinished` ran out (kube's TTL-after-finished controller).

use super::common as c;
pub use super::job_indexes::{format_indexes, parse_indexes};
use super::job_policy::{self as policy, Verdict};
use crate::api::options::{DeleteOptions, PatchType, WriteOptions};
use crate::api::status::ApiError;
use crate::client::NewObject;
use crate::clock::timestamp;
use crate::runtime::{
    Cache, Context, Controller, Key, Kind, Mapping, Reconciled, Reconciler, Trigger, Triggers,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

const NAME: &str = "job-controller";
pub const TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// kube's pod-failure back-off: 10 s, doubling, at most 6 min.
const BACKOFF_SECS: i64 = 10;
const MAX_BACKOFF_SECS: i64 = 360;
/// At most this many pods are created in one sync of one Job.
const BURST: i64 = 500;

pub type JobController = Controller<Jobs>;

#[derive(Default)]
pub struct Jobs;

impl Reconciler for Jobs {
    fn name(&self) -> &'static str {
        NAME
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "jobs",
                kind: "Job",
                api_version: "batch/v1",
            },
            others: vec![Trigger {
                plural: "pods",
                mapping: Mapping::Owned { adopts: false },
            }],
            timed: Some(has_timed_work),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        job: &Value,
    ) -> Result<Reconciled, ApiError> {
        let ns = c::namespace(job);
        let pods = cache.list(ctx, "pods", Some(ns))?;
        let uid = c::uid(job).to_string();
        let mine: Vec<&Value> = pods
            .iter()
            .filter(|p| c::controller_uid(p, "Job") == Some(uid.as_str()))
            .collect();
        let (wrote, due) = sync(ctx, job, &mine)?;
        if wrote {
            cache.forget("pods", Some(ns));
        }
        Ok(Reconciled::wrote(wrote).requeue_at(ctx, due))
    }

    /// A deleted Job leaves its pods to the garbage collector; their tracking finalizers
    /// would hold them forever, so they go.
    fn gone(&mut self, ctx: &Context, cache: &mut Cache, key: &Key) -> Result<bool, ApiError> {
        let pods = cache.list(ctx, "pods", Some(&key.0))?;
        let mut wrote = false;
        for p in pods
            .iter()
            .filter(|p| c::controller_name(p, "Job") == Some(key.1.as_str()) && has_finalizer(p))
        {
            wrote |= remove_finalizer(ctx, p)?;
        }
        if wrote {
            cache.forget("pods", Some(&key.0));
        }
        Ok(wrote)
    }
}

/// Jobs an earlier process may have left timed work on: unfinished ones (deadlines,
/// back-off) and finished ones waiting for their TTL.
fn has_timed_work(job: &Value) -> bool {
    finished(job).is_none() || job.pointer("/spec/ttlSecondsAfterFinished").is_some()
}

fn has_finalizer(p: &Value) -> bool {
    p.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| f.iter().any(|v| v == TRACKING_FINALIZER))
}

fn condition_true<'a>(job: &'a Value, kind: &str) -> Option<&'a Value> {
    job.pointer("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|cond| cond["type"] == kind && cond["status"] == "True")
}

/// `Complete` or `Failed` with when it happened, if the Job has finished.
fn finished(job: &Value) -> Option<(&'static str, Option<DateTime<Utc>>)> {
    for kind in ["Complete", "Failed"] {
        if let Some(cond) = condition_true(job, kind) {
            return Some((kind, c::time_at(cond, "/lastTransitionTime")));
        }
    }
    None
}

fn phase(p: &Value) -> &str {
    c::str_at(p, "/status/phase")
}

fn index_of(p: &Value) -> Option<i64> {
    p.pointer("/metadata/annotations")
        .and_then(|a| a.get(COMPLETION_INDEX))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

/// When a pod ended: its last container's finish, or (controllers read pods slim, without
/// container states) its last condition change, which the kubelet makes as it ends.
fn finished_at(p: &Value) -> Option<DateTime<Utc>> {
    let statuses = p
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array);
    let latest = statuses
        .into_iter()
        .flatten()
        .filter_map(|s| c::time_at(s, "/state/terminated/finishedAt"))
        .max();
    latest.or_else(|| {
        p.pointer("/status/conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|cond| c::time_at(cond, "/lastTransitionTime"))
            .max()
    })
}

/// One Job against its pods; returns whether it wrote and when it has timed work next.
fn sync(
    ctx: &Context,
    job: &Value,
    pods: &[&Value],
) -> Result<(bool, Option<DateTime<Utc>>), ApiError> {
    let now = ctx.now;
    let mut wrote = false;
    if let Some((_, at)) = finished(job) {
        // Whatever still holds a finalizer is let go; then the TTL.
        for p in pods.iter().filter(|p| has_finalizer(p)) {
            wrote |= remove_finalizer(ctx, p)?;
        }
        let Some(ttl) = job
            .pointer("/spec/ttlSecondsAfterFinished")
            .and_then(Value::as_i64)
        else {
            return Ok((wrote, None));
        };
        let expires = at.unwrap_or(now) + Duration::seconds(ttl);
        if now < expires {
            return Ok((wrote, Some(expires)));
        }
        let opts = DeleteOptions {
            propagation_policy: Some("Foreground".into()),
            ..Default::default()
        };
        wrote |= c::delete(ctx, "jobs", Some(c::namespace(job)), c::name(job), &opts)?;
        return Ok((wrote, None));
    }
    let spec = |k: &str| job.pointer(&format!("/spec/{k}"));
    let indexed = spec("completionMode").and_then(Value::as_str) == Some("Indexed");
    let completions = spec("completions").and_then(Value::as_i64);
    let parallelism = spec("parallelism").and_then(Value::as_i64).unwrap_or(1);
    let backoff_limit = spec("backoffLimit").and_then(Value::as_i64).unwrap_or(6);
    let suspended = spec("suspend").and_then(Value::as_bool) == Some(true);
    let on_failure = c::str_at(job, "/spec/template/spec/restartPolicy") == "OnFailure";

    let failure_policy = spec("podFailurePolicy").filter(|p| !p.is_null());
    let per_index = spec("backoffLimitPerIndex")
        .and_then(Value::as_i64)
        .filter(|_| indexed);
    let max_failed_indexes = spec("maxFailedIndexes").and_then(Value::as_i64);

    let old = job.get("status").cloned().unwrap_or(json!({}));
    let mut succeeded = c::int_at(&old, "/succeeded", 0);
    let mut failed = c::int_at(&old, "/failed", 0);
    let mut completed: BTreeSet<i64> = parse_indexes(c::str_at(&old, "/completedIndexes"));
    let mut failed_indexes: BTreeSet<i64> = parse_indexes(c::str_at(&old, "/failedIndexes"));
    let mut fail_job: Option<String> = None;
    // How often each index failed so far: what its next pod carries.
    let mut index_failures: BTreeMap<i64, i64> = BTreeMap::new();

    // Count finished pods still holding the finalizer, then let them go.
    let mut last_failure: Option<DateTime<Utc>> = None;
    let mut last_success: Option<DateTime<Utc>> = None;
    for p in pods {
        // A failed pod is judged once: for the counts, its index, and the Job's fate.
        let verdict = (phase(p) == "Failed").then(|| policy::judge(failure_policy, p));
        match (phase(p), verdict) {
            ("Succeeded", _) if has_finalizer(p) => {
                succeeded += 1;
                if let Some(i) = index_of(p) {
                    completed.insert(i);
                }
            }
            ("Failed", Some(verdict)) => {
                let counted = verdict != Verdict::Ignore;
                let index = index_of(p).filter(|_| per_index.is_some());
                if let Some(i) = index {
                    let tries = policy::failures_before(p) + i64::from(counted);
                    let entry = index_failures.entry(i).or_insert(0);
                    *entry = (*entry).max(tries);
                }
                if has_finalizer(p) {
                    if counted {
                        failed += 1;
                    }
                    if let (Some(limit), Some(i)) = (per_index, index) {
                        let tries = policy::failures_before(p) + 1;
                        if verdict == Verdict::FailIndex || (counted && tries > limit) {
                            failed_indexes.insert(i);
                        }
                    }
                    if let Verdict::FailJob(message) = verdict {
                        fail_job.get_or_insert(message);
                    }
                }
            }
            _ => {}
        }
        match phase(p) {
            "Failed" => last_failure = last_failure.max(finished_at(p)),
            "Succeeded" => last_success = last_success.max(finished_at(p)),
            _ => {}
        }
    }
    for p in pods
        .iter()
        .filter(|p| matches!(phase(p), "Succeeded" | "Failed") && has_finalizer(p))
    {
        wrote |= remove_finalizer(ctx, p)?;
    }
    if indexed {
        succeeded = succeeded.max(completed.len() as i64);
    }
    let active: Vec<&Value> = pods
        .iter()
        .copied()
        .filter(|p| !matches!(phase(p), "Succeeded" | "Failed") && !c::is_terminating(p))
        .collect();
    let terminating = pods
        .iter()
        .filter(|p| !matches!(phase(p), "Succeeded" | "Failed") && c::is_terminating(p))
        .count() as i64;

    let mut status = old.as_object().cloned().unwrap_or_default();
    let mut conditions: Vec<Value> = status
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut events: Vec<(&str, &str, String)> = Vec::new();
    let mut due: Option<DateTime<Utc>> = None;

    // Suspension.
    let was_suspended = conditions
        .iter()
        .any(|cond| cond["type"] == "Suspended" && cond["status"] == "True");
    if suspended && !was_suspended {
        set_condition(
            &mut conditions,
            "Suspended",
            "True",
            "JobSuspended",
            "Job suspended",
            now,
        );
        events.push(("Normal", "Suspended", "Job suspended".into()));
    } else if !suspended && was_suspended {
        set_condition(
            &mut conditions,
            "Suspended",
            "False",
            "JobResumed",
            "Job resumed",
            now,
        );
        events.push(("Normal", "Resumed", "Job resumed".into()));
        status.insert("startTime".into(), json!(timestamp(now)));
    }
    if !suspended && !status.contains_key("startTime") {
        status.insert("startTime".into(), json!(timestamp(now)));
    }
    let start = status
        .get("startTime")
        .and_then(Value::as_str)
        .and_then(crate::clock::parse_timestamp);

    // Failure: too many failures, or past the deadline.
    let restarts: i64 = if on_failure {
        active
            .iter()
            .flat_map(|p| {
                p.pointer("/status/containerStatuses")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .map(|s| c::int_at(&s, "/restartCount", 0))
            .sum()
    } else {
        0
    };
    let deadline = spec("activeDeadlineSeconds")
        .and_then(Value::as_i64)
        .zip(start)
        .filter(|_| !suspended)
        .map(|(secs, start)| start + Duration::seconds(secs));
    // kube's order: the pod failure policy, the back-off limit, the deadline, then the
    // failed indexes of a per-index back-off.
    let failed_index_count = failed_indexes.len() as i64;
    let failure: Option<(&str, String)> = if let Some(message) = fail_job {
        Some(("PodFailurePolicy", message))
    } else if failed + restarts > backoff_limit {
        Some((
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit".into(),
        ))
    } else if deadline.is_some_and(|d| now >= d) {
        Some((
            "DeadlineExceeded",
            "Job was active longer than specified deadline".into(),
        ))
    } else if per_index.is_some() && max_failed_indexes.is_some_and(|m| failed_index_count > m) {
        Some((
            "MaxFailedIndexesExceeded",
            "Job has exceeded the specified maximal number of failed indexes".into(),
        ))
    } else if per_index.is_some()
        && failed_index_count > 0
        && failed_index_count + completed.len() as i64 >= completions.unwrap_or(0)
    {
        Some(("FailedIndexes", "Job has failed indexes".into()))
    } else {
        None
    };
    let by_policy = failure
        .is_none()
        .then(|| {
            policy::success(
                spec("successPolicy").filter(|_| indexed),
                completions.unwrap_or(0),
                &completed,
            )
        })
        .flatten();
    let complete = failure.is_none()
        && (by_policy.is_some()
            || match (indexed, completions) {
                (true, Some(n)) => (0..n).all(|i| completed.contains(&i)),
                (_, Some(n)) => succeeded >= n,
                (_, None) => succeeded > 0 && active.is_empty(),
            });

    let mut active_count = active.len() as i64;
    if let Some((reason, message)) = failure {
        wrote |= delete_pods(ctx, &active, &mut events)?;
        active_count = 0;
        set_condition(
            &mut conditions,
            "FailureTarget",
            "True",
            reason,
            &message,
            now,
        );
        set_condition(&mut conditions, "Failed", "True", reason, &message, now);
        events.push(("Warning", reason, message));
    } else if complete {
        wrote |= delete_pods(ctx, &active, &mut events)?;
        active_count = 0;
        // Complete when its last pod succeeded: a clock stepped past that instant reads as
        // a controller that was watching all along would have written it.
        let at = last_success.filter(|t| *t <= now).unwrap_or(now);
        let (reason, message) = match &by_policy {
            Some(m) => ("SuccessPolicy", m.as_str()),
            None => (
                "CompletionsReached",
                "Reached expected number of succeeded pods",
            ),
        };
        for kind in ["SuccessCriteriaMet", "Complete"] {
            set_condition(&mut conditions, kind, "True", reason, message, at);
        }
        status.insert("completionTime".into(), json!(timestamp(at)));
        events.push(("Normal", "Completed", "Job completed".into()));
    } else if suspended {
        wrote |= delete_pods(ctx, &active, &mut events)?;
        active_count = 0;
    } else {
        if let Some(d) = deadline {
            due = Some(d);
        }
        // How many to run now, after the back-off of recent failures.
        let want = match (indexed, completions) {
            (_, Some(n)) => parallelism.min(n - succeeded - failed_index_count),
            (_, None) if succeeded > 0 => 0,
            _ => parallelism,
        }
        .max(0);
        let missing = (want - active_count).clamp(0, BURST);
        let retry_at = last_failure.filter(|_| failed > 0).map(|t| {
            let shift = (failed - 1).clamp(0, 10) as u32;
            t + Duration::seconds((BACKOFF_SECS << shift).min(MAX_BACKOFF_SECS))
        });
        let backing_off = retry_at.is_some_and(|r| now < r);
        if missing > 0 && backing_off {
            due = c::earliest(due, retry_at);
        } else if missing > 0 {
            let taken: BTreeSet<i64> = active.iter().filter_map(|p| index_of(p)).collect();
            let indexes: Vec<Option<i64>> = if indexed {
                (0..completions.unwrap_or(0))
                    .filter(|i| {
                        !completed.contains(i) && !failed_indexes.contains(i) && !taken.contains(i)
                    })
                    .take(missing as usize)
                    .map(Some)
                    .collect()
            } else {
                vec![None; missing as usize]
            };
            let tries = |i: Option<i64>| {
                per_index
                    .and(i)
                    .map(|i| index_failures.get(&i).copied().unwrap_or(0))
            };
            let new_pods: Vec<(Option<i64>, Option<i64>)> =
                indexes.iter().map(|i| (*i, tries(*i))).collect();
            active_count += create_pods(ctx, job, &new_pods, &mut events)?;
            wrote = true;
        }
    }

    let ready = active.iter().filter(|p| c::pod_is_ready(p)).count() as i64;
    let mut out = Map::new();
    if !conditions.is_empty() {
        out.insert("conditions".into(), Value::Array(conditions));
    }
    for k in ["startTime", "completionTime"] {
        if let Some(v) = status.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    c::put_nonzero(&mut out, "active", active_count);
    c::put_nonzero(&mut out, "succeeded", succeeded);
    c::put_nonzero(&mut out, "failed", failed);
    out.insert("terminating".into(), json!(terminating));
    if indexed && !completed.is_empty() {
        out.insert("completedIndexes".into(), json!(format_indexes(&completed)));
    }
    if per_index.is_some() {
        out.insert(
            "failedIndexes".into(),
            json!(format_indexes(&failed_indexes)),
        );
    }
    out.insert("uncountedTerminatedPods".into(), json!({}));
    out.insert(
        "ready".into(),
        json!(if active_count == 0 { 0 } else { ready }),
    );
    wrote |= c::write_status(ctx, "jobs", job, Value::Object(out))?;
    if !events.is_empty() {
        c::record_burst(ctx, NAME, job, &events)?;
        wrote = true;
    }
    Ok((wrote, due))
}

/// Sets (or adds) a condition; its transition time moves only when its status changes.
fn set_condition(
    conditions: &mut Vec<Value>,
    kind: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: DateTime<Utc>,
) {
    let t = timestamp(now);
    let new = json!({
        "type": kind,
        "status": status,
        "lastProbeTime": t,
        "lastTransitionTime": t,
        "reason": reason,
        "message": message,
    });
    match conditions.iter_mut().find(|cond| cond["type"] == kind) {
        Some(cond) if cond["status"] == status => {}
        Some(cond) => *cond = new,
        None => conditions.push(new),
    }
}

fn remove_finalizer(ctx: &Context, p: &Value) -> Result<bool, ApiError> {
    let kept: Vec<Value> = p
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .map(|f| {
            f.iter()
                .filter(|v| *v != TRACKING_FINALIZER)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let value = if kept.is_empty() {
        Value::Null
    } else {
        Value::Array(kept)
    };
    let r = ctx.resource("pods")?;
    let patch = json!({"metadata": {"finalizers": value}});
    match ctx.client.patch(
        r,
        Some(c::namespace(p)),
        c::name(p),
        PatchType::Merge,
        &patch,
        &WriteOptions::default(),
    ) {
        Ok(_) => Ok(true),
        Err(e) if e.code == 404 || e.code == 409 => Ok(false),
        Err(e) => Err(e),
    }
}

fn delete_pods(
    ctx: &Context,
    pods: &[&Value],
    events: &mut Vec<(&str, &str, String)>,
) -> Result<bool, ApiError> {
    let mut wrote = false;
    for p in pods {
        if c::delete(
            ctx,
            "pods",
            Some(c::namespace(p)),
            c::name(p),
            &DeleteOptions::default(),
        )? {
            events.push((
                "Normal",
                "SuccessfulDelete",
                format!("Deleted pod: {}", c::name(p)),
            ));
            wrote = true;
        }
    }
    Ok(wrote)
}

/// A pod of the Job: its template with the tracking finalizer and the controller
/// reference; an Indexed Job's pod carries its index (annotation, label, hostname, env).
/// A new pod of `job`: for an Indexed Job, of `index`; with a per-index back-off, carrying
/// how often that index failed before.
fn pod_for(job: &Value, index: Option<i64>, failures_before: Option<i64>) -> Value {
    let mut pod = super::replicaset::pod_from_template(job, "batch/v1", "Job");
    let meta = pod["metadata"].as_object_mut().expect("metadata");
    let mut finalizers = meta
        .get("finalizers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    finalizers.push(json!(TRACKING_FINALIZER));
    meta.insert("finalizers".into(), Value::Array(finalizers));
    if let Some(i) = index {
        meta.insert(
            "generateName".into(),
            json!(format!("{}-{i}-", c::name(job))),
        );
        for field in ["annotations", "labels"] {
            let m = meta
                .entry(field)
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("map");
            m.insert(COMPLETION_INDEX.into(), json!(i.to_string()));
            if field == "annotations"
                && let Some(n) = failures_before
            {
                m.insert(policy::INDEX_FAILURE_COUNT.into(), json!(n.to_string()));
            }
            m.sort_keys();
        }
        pod["spec"]["hostname"] = json!(format!("{}-{i}", c::name(job)));
        let env = json!({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
            "fieldPath": format!("metadata.labels['{COMPLETION_INDEX}']")}}});
        for list in ["initContainers", "containers"] {
            if let Some(cs) = pod["spec"][list].as_array_mut() {
                for cont in cs {
                    let envs = cont
                        .as_object_mut()
                        .expect("container")
                        .entry("env")
                        .or_insert_with(|| json!([]));
                    if let Some(a) = envs.as_array_mut() {
                        a.insert(0, env.clone());
                    }
                }
            }
        }
    }
    pod
}

/// Creates one pod per entry of `indexes`; returns how many were created.
fn create_pods(
    ctx: &Context,
    job: &Value,
    indexes: &[(Option<i64>, Option<i64>)],
    events: &mut Vec<(&str, &str, String)>,
) -> Result<i64, ApiError> {
    let r = ctx.resource("pods")?;
    let ns = c::namespace(job).to_string();
    let objects = indexes
        .iter()
        .map(|(i, tries)| NewObject {
            resource: r,
            namespace: Some(ns.clone()),
            object: pod_for(job, *i, *tries),
        })
        .collect();
    let mut created = 0;
    let mut failure = None;
    for res in c::create_slow_start(ctx, objects) {
        match res {
            Ok(p) => {
                events.push((
                    "Normal",
                    "SuccessfulCreate",
                    format!("Created pod: {}", c::name(&p)),
                ));
                created += 1;
            }
            Err(e) => failure = Some(e),
        }
    }
    if let Some(e) = failure {
        events.push((
            "Warning",
            "FailedCreate",
            format!("Error creating: {}", e.message),
        ));
    }
    Ok(created)
}

#[cfg(test)]
#[path = "job_tests.rs"]
mod tests;
