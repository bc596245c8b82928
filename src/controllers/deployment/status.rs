//! A Deployment's status from its ReplicaSets, and its Available / Progressing conditions
//! with kube's reasons and messages.

use super::rollout::surge_and_unavailable;
use super::{Family, Progress};
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::controllers::common as c;
use crate::runtime::Context;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// Writes the status when it changed; returns whether it wrote and when the progress
/// deadline would run out.
pub fn write(
    ctx: &Context,
    d: &Value,
    family: &Family,
    progress: &Progress,
) -> Result<(bool, Option<DateTime<Utc>>), ApiError> {
    let desired = c::int_at(d, "/spec/replicas", 1);
    let (_, max_unavailable) = surge_and_unavailable(d);
    let sum = |p: &str| -> i64 { family.all().map(|rs| c::int_at(rs, p, 0)).sum() };
    let replicas = sum("/status/replicas");
    let updated = family
        .new
        .as_ref()
        .map(|rs| c::int_at(rs, "/status/replicas", 0))
        .unwrap_or(0);
    let ready = sum("/status/readyReplicas");
    let available = sum("/status/availableReplicas");
    let total_spec: i64 = family
        .all()
        .map(|rs| c::int_at(rs, "/spec/replicas", 1))
        .sum();
    let unavailable = (total_spec - available).max(0);

    let old = d.get("status").cloned().unwrap_or(json!({}));
    let mut conditions: Vec<Value> = old
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let now = timestamp(ctx.now);
    let new_name = family.new.as_ref().map(c::name).unwrap_or("");

    if progress.created_new {
        set(
            &mut conditions,
            "Progressing",
            "True",
            "NewReplicaSetCreated",
            &format!("Created new replica set \"{new_name}\""),
            &now,
        );
    } else if family.new.is_some() && find(&conditions, "Progressing").is_none() {
        set(
            &mut conditions,
            "Progressing",
            "True",
            "FoundNewReplicaSet",
            &format!("Found new replica set \"{new_name}\""),
            &now,
        );
    }
    if available >= desired - max_unavailable {
        set(
            &mut conditions,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            &now,
        );
    } else {
        set(
            &mut conditions,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            &now,
        );
    }

    let complete = updated == desired && replicas == desired && available == desired;
    let old_int = |k: &str| c::int_at(&old, &format!("/{k}"), 0);
    let progressing = updated > old_int("updatedReplicas")
        || ready > old_int("readyReplicas")
        || available > old_int("availableReplicas")
        || (replicas - updated) < (old_int("replicas") - old_int("updatedReplicas"));
    let deadline = d
        .pointer("/spec/progressDeadlineSeconds")
        .and_then(Value::as_i64);
    let mut due = None;
    if family.new.is_some() && deadline.is_some() && !progress.created_new {
        if complete {
            set(
                &mut conditions,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                &format!("ReplicaSet \"{new_name}\" has successfully progressed."),
                &now,
            );
        } else if progressing {
            set(
                &mut conditions,
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                &format!("ReplicaSet \"{new_name}\" is progressing."),
                &now,
            );
        } else if let Some(secs) = deadline {
            // No progress: out of time once the deadline passes the last progress.
            let at = progress_deadline(&conditions, secs);
            if at.is_some_and(|at| at <= ctx.now) {
                set(
                    &mut conditions,
                    "Progressing",
                    "False",
                    "ProgressDeadlineExceeded",
                    &format!("ReplicaSet \"{new_name}\" has timed out progressing."),
                    &now,
                );
            }
        }
    }
    // An unfinished rollout has timed work: its deadline.
    if !complete && let Some(secs) = deadline {
        due = progress_deadline(&conditions, secs).filter(|at| *at > ctx.now);
    }

    let mut s = Map::new();
    c::put_nonzero(&mut s, "observedGeneration", c::generation(d));
    c::put_nonzero(&mut s, "replicas", replicas);
    c::put_nonzero(&mut s, "updatedReplicas", updated);
    c::put_nonzero(&mut s, "readyReplicas", ready);
    c::put_nonzero(&mut s, "availableReplicas", available);
    c::put_nonzero(&mut s, "unavailableReplicas", unavailable);
    if !conditions.is_empty() {
        s.insert("conditions".into(), Value::Array(conditions));
    }
    if let Some(n) = old.get("collisionCount") {
        s.insert("collisionCount".into(), n.clone());
    }
    let wrote = c::write_status(ctx, "deployments", d, Value::Object(s))?;
    Ok((wrote, due))
}

/// When a rollout that last progressed at its Progressing condition's update time runs out
/// of time (none once it has timed out).
fn progress_deadline(conditions: &[Value], secs: i64) -> Option<DateTime<Utc>> {
    find(conditions, "Progressing")
        .filter(|c| c.get("status").and_then(Value::as_str) == Some("True"))
        .and_then(|c| c::time_at(c, "/lastUpdateTime"))
        .and_then(|t| c::after(t, secs))
}

/// A rollout under way, with a progress deadline that may run out.
pub fn in_progress(d: &Value) -> bool {
    let conds = d
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    d.pointer("/spec/progressDeadlineSeconds").is_some()
        && find(conds, "Progressing").is_some_and(|c| {
            c.get("status").and_then(Value::as_str) == Some("True")
                && c.get("reason").and_then(Value::as_str) != Some("NewReplicaSetAvailable")
        })
}

fn find<'a>(conds: &'a [Value], kind: &str) -> Option<&'a Value> {
    conds
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
}

/// kube's SetDeploymentCondition: the same status and reason leaves the condition alone;
/// otherwise it moves to the end, keeping its transition time when only the reason changed.
fn set(conds: &mut Vec<Value>, kind: &str, status: &str, reason: &str, message: &str, now: &str) {
    let existing = find(conds, kind).cloned();
    let mut transition = now.to_string();
    if let Some(e) = &existing {
        let same_status = e.get("status").and_then(Value::as_str) == Some(status);
        if same_status && e.get("reason").and_then(Value::as_str) == Some(reason) {
            return;
        }
        if same_status && let Some(t) = e.get("lastTransitionTime").and_then(Value::as_str) {
            transition = t.to_string();
        }
    }
    conds.retain(|c| c.get("type").and_then(Value::as_str) != Some(kind));
    conds.push(json!({
        "type": kind,
        "status": status,
        "lastUpdateTime": now,
        "lastTransitionTime": transition,
        "reason": reason,
        "message": message,
    }));
}
