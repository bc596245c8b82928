//! The disruption controller: keeps each PodDisruptionBudget's status (expected, desired
//! and currently healthy pods, the disruptions allowed, the DisruptionAllowed condition) as
//! kube-controller-manager computes it, and forgets evictions the eviction subresource
//! recorded in `disruptedPods` once their pods are gone or two minutes have passed.

use super::common as c;
use crate::api::registry;
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

const NAME: &str = "controllermanager";

/// How long an eviction the controller has not seen go through keeps its pod out of the
/// healthy count (kube's DeletionTimeout).
const DELETION_TIMEOUT_SECONDS: i64 = 120;

pub type DisruptionController = Controller<Disruption>;

#[derive(Default)]
pub struct Disruption;

/// A pod's change, or its controller's (whose scale may set the expected count), wakes the
/// budgets of its namespace.
fn wake_namespace(
    _: &Context,
    ev: &crate::api::options::WatchEvent,
    wake: &mut crate::runtime::Wake,
) -> Result<(), ApiError> {
    wake.namespace(c::namespace(&ev.object));
    Ok(())
}

impl Reconciler for Disruption {
    fn name(&self) -> &'static str {
        NAME
    }

    fn triggers(&self) -> Triggers {
        let others = [
            "pods",
            "replicasets",
            "deployments",
            "replicationcontrollers",
            "statefulsets",
        ]
        .into_iter()
        .filter(|p| registry::find(p).is_some())
        .map(|plural| Trigger {
            plural,
            mapping: Mapping::By(wake_namespace),
        })
        .collect();
        Triggers {
            kind: Kind {
                plural: "poddisruptionbudgets",
                kind: "PodDisruptionBudget",
                api_version: "policy/v1",
            },
            others,
            timed: Some(|pdb| {
                pdb.pointer("/status/disruptedPods")
                    .and_then(Value::as_object)
                    .is_some_and(|m| !m.is_empty())
            }),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        pdb: &Value,
    ) -> Result<Reconciled, ApiError> {
        if c::is_terminating(pdb) {
            return Ok(Reconciled::default());
        }
        let ns = c::namespace(pdb);
        let pods = cache.list(ctx, "pods", Some(ns))?;
        let selector = pdb_selector(pdb);
        let selected: Vec<&Value> = pods
            .iter()
            .filter(|p| selector.matches(c::labels(p)))
            .collect();
        let (disrupted, due) = disrupted_pods(pdb, &selected, ctx.now);
        let counts = match expected_and_desired(ctx, cache, pdb, &selected) {
            Ok((expected, desired)) => {
                let healthy = selected
                    .iter()
                    .filter(|p| !c::is_terminating(p))
                    .filter(|p| !disrupted.contains_key(c::name(p)))
                    .filter(|p| c::pod_is_ready(p))
                    .count() as i64;
                Ok((expected, desired, healthy))
            }
            Err(message) => Err(message),
        };
        let status = status_of(pdb, counts, disrupted, ctx.now);
        let wrote = c::write_status(ctx, "poddisruptionbudgets", pdb, status)?;
        Ok(Reconciled::wrote(wrote).requeue_at(ctx, due))
    }
}

/// policy/v1: an empty selector selects every pod of the namespace, a missing one none.
fn pdb_selector(pdb: &Value) -> LabelSelector {
    match pdb.pointer("/spec/selector").filter(|s| !s.is_null()) {
        None => c::nothing(),
        Some(sel) => LabelSelector::from_object(sel).unwrap_or_else(|_| c::nothing()),
    }
}

/// The recorded evictions still pending: of pods that are still there, not yet being
/// deleted, recorded less than the timeout ago; and when the next of them expires.
fn disrupted_pods(
    pdb: &Value,
    pods: &[&Value],
    now: DateTime<Utc>,
) -> (Map<String, Value>, Option<DateTime<Utc>>) {
    let recorded = pdb
        .pointer("/status/disruptedPods")
        .and_then(Value::as_object);
    let mut kept = Map::new();
    let mut due: Option<DateTime<Utc>> = None;
    for p in pods {
        if c::is_terminating(p) {
            continue;
        }
        let Some(at) = recorded.and_then(|m| m.get(c::name(p))) else {
            continue;
        };
        let Some(when) = at
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
        else {
            continue;
        };
        let expires = when + Duration::seconds(DELETION_TIMEOUT_SECONDS);
        if expires < now {
            continue;
        }
        kept.insert(c::name(p).to_string(), at.clone());
        due = Some(due.map_or(expires, |d| d.min(expires)));
    }
    kept.sort_keys();
    (kept, due)
}

/// (expected pods, desired healthy pods), or the reason they cannot be computed.
fn expected_and_desired(
    ctx: &Context,
    cache: &mut Cache,
    pdb: &Value,
    pods: &[&Value],
) -> Result<(i64, i64), String> {
    let min = pdb.pointer("/spec/minAvailable").filter(|v| !v.is_null());
    let max = pdb.pointer("/spec/maxUnavailable").filter(|v| !v.is_null());
    match (min, max) {
        (_, Some(max)) => {
            let expected = expected_scale(ctx, cache, pdb, pods)?;
            let unavailable = scaled(max, expected, true)?;
            Ok((expected, (expected - unavailable).max(0)))
        }
        (Some(Value::Number(n)), None) => Ok((pods.len() as i64, n.as_i64().unwrap_or(0))),
        (Some(min), None) => {
            let expected = expected_scale(ctx, cache, pdb, pods)?;
            Ok((expected, scaled(min, expected, true)?))
        }
        (None, None) => Ok((pods.len() as i64, 0)),
    }
}

/// An IntOrString against a total: the number, or the percentage of it rounded up.
fn scaled(v: &Value, total: i64, round_up: bool) -> Result<i64, String> {
    match v {
        Value::Number(n) => Ok(n.as_i64().unwrap_or(0)),
        Value::String(s) => {
            let pct: i64 = s
                .strip_suffix('%')
                .and_then(|d| d.parse().ok())
                .ok_or_else(|| {
                    "invalid value for IntOrString: invalid type: string is not a percentage"
                        .to_string()
                })?;
            let product = pct * total;
            Ok(if round_up {
                (product + 99) / 100
            } else {
                product / 100
            })
        }
        _ => Ok(0),
    }
}

/// The sum of the scales of the pods' controllers, each counted once; a controller without
/// a scale is kube's error.
fn expected_scale(
    ctx: &Context,
    cache: &mut Cache,
    pdb: &Value,
    pods: &[&Value],
) -> Result<i64, String> {
    let ns = c::namespace(pdb);
    let mut seen: HashSet<String> = HashSet::new();
    let mut total = 0;
    for p in pods {
        let Some(owner) = c::controller_ref(p) else {
            continue;
        };
        let uid = owner.get("uid").and_then(Value::as_str).unwrap_or("");
        let kind = owner.get("kind").and_then(Value::as_str).unwrap_or("");
        let name = owner.get("name").and_then(Value::as_str).unwrap_or("");
        let mut found = lookup(ctx, cache, kind, ns, name, uid);
        // A ReplicaSet a Deployment controls scales with the Deployment.
        if kind == "ReplicaSet"
            && let Some(rs) = &found
            && let Some(d) = c::controller_ref(rs)
            && d.get("kind").and_then(Value::as_str) == Some("Deployment")
        {
            let d_uid = d
                .get("uid")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let d_name = d
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            found = lookup(ctx, cache, "Deployment", ns, &d_name, &d_uid);
        }
        let Some(controller) = found else {
            return Err(format!("found no controllers for pod {:?}", c::name(p)));
        };
        if seen.insert(c::uid(&controller).to_string()) {
            total += c::int_at(&controller, "/spec/replicas", 1);
        }
    }
    Ok(total)
}

fn lookup(
    ctx: &Context,
    cache: &mut Cache,
    kind: &str,
    ns: &str,
    name: &str,
    uid: &str,
) -> Option<Value> {
    let plural = match kind {
        "ReplicaSet" => "replicasets",
        "Deployment" => "deployments",
        "ReplicationController" => "replicationcontrollers",
        "StatefulSet" => "statefulsets",
        _ => return None,
    };
    registry::find(plural)?;
    let list = cache.list(ctx, plural, Some(ns)).ok()?;
    list.iter()
        .find(|o| c::name(o) == name && c::uid(o) == uid)
        .cloned()
}

/// The status kube's disruption controller writes: the counts and the DisruptionAllowed
/// condition (its transition time kept while its status holds), or, when the counts cannot
/// be computed, no disruptions and the SyncFailed reason.
fn status_of(
    pdb: &Value,
    counts: Result<(i64, i64, i64), String>,
    disrupted: Map<String, Value>,
    now: DateTime<Utc>,
) -> Value {
    let generation = c::generation(pdb);
    let old = pdb.get("status");
    let (expected, desired, healthy, condition) = match counts {
        Ok((expected, desired, healthy)) => {
            let allowed = if expected <= 0 {
                0
            } else {
                (healthy - desired).max(0)
            };
            let (status, reason) = if allowed > 0 {
                ("True", "SufficientPods")
            } else {
                ("False", "InsufficientPods")
            };
            (
                expected,
                desired,
                healthy,
                (status, reason, String::new(), allowed),
            )
        }
        Err(message) => {
            let keep = |k: &str| {
                old.and_then(|s| s.get(k))
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
            };
            (
                keep("expectedPods"),
                keep("desiredHealthy"),
                keep("currentHealthy"),
                ("False", "SyncFailed", message, 0),
            )
        }
    };
    let (cond_status, reason, message, allowed) = condition;
    let previous = old
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .and_then(|list| list.iter().find(|c| c["type"] == "DisruptionAllowed"));
    let since = match previous {
        Some(p) if p["status"] == cond_status => p["lastTransitionTime"].clone(),
        _ => json!(timestamp(now)),
    };
    let mut s = Map::new();
    c::put_nonzero(&mut s, "observedGeneration", generation);
    if !disrupted.is_empty() {
        s.insert("disruptedPods".into(), Value::Object(disrupted));
    }
    s.insert("disruptionsAllowed".into(), json!(allowed));
    s.insert("currentHealthy".into(), json!(healthy));
    s.insert("desiredHealthy".into(), json!(desired));
    s.insert("expectedPods".into(), json!(expected));
    let mut cond = Map::new();
    cond.insert("type".into(), json!("DisruptionAllowed"));
    cond.insert("status".into(), json!(cond_status));
    c::put_nonzero(&mut cond, "observedGeneration", generation);
    cond.insert("lastTransitionTime".into(), since);
    cond.insert("reason".into(), json!(reason));
    cond.insert("message".into(), json!(message));
    s.insert("conditions".into(), json!([Value::Object(cond)]));
    Value::Object(s)
}

#[cfg(test)]
#[path = "disruption_tests.rs"]
mod tests;
