//! The ReplicaSet controller: keeps `spec.replicas` active pods for every ReplicaSet, adopts
//! orphans its selector matches, releases pods it no longer matches, and reports status.
//! The ReplicationController controller is the same logic on another [`Flavor`] (kube's
//! replication manager wraps its ReplicaSet controller the same way).

use super::common as c;
use crate::api::options::DeleteOptions;
use crate::api::status::ApiError;
use crate::client::NewObject;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

const NAME: &str = "replicaset-controller";

/// What tells a replicated kind apart: its resource, its owner references, its selector's
/// form and the name its events come from.
pub struct Flavor {
    pub plural: &'static str,
    pub kind: &'static str,
    pub api_version: &'static str,
    pub component: &'static str,
    pub selector: fn(&Value) -> crate::api::selector::LabelSelector,
}

const REPLICA_SET: Flavor = Flavor {
    plural: "replicasets",
    kind: "ReplicaSet",
    api_version: "apps/v1",
    component: NAME,
    selector: c::spec_selector,
};

/// At most this many pods are created or deleted in one sync of one ReplicaSet (kube's
/// `burstReplicas`); the rest waits for the next sync. Work and memory per sync are then
/// proportional to the burst, whatever `spec.replicas` says.
pub const BURST_REPLICAS: usize = 500;

/// The ReplicaSet controller, run by the controller runtime.
pub type ReplicaSetController = Controller<ReplicaSets>;

#[derive(Default)]
pub struct ReplicaSets;

impl Reconciler for ReplicaSets {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Its ReplicaSets, and the pods they control; an ownerless pod wakes every ReplicaSet
    /// of its namespace (one may adopt it).
    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "replicasets",
                kind: "ReplicaSet",
                api_version: "apps/v1",
            },
            others: vec![Trigger {
                plural: "pods",
                mapping: Mapping::Owned { adopts: true },
            }],
            timed: Some(becoming_available),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        rs: &Value,
    ) -> Result<Reconciled, ApiError> {
        reconcile_owner(ctx, cache, &REPLICA_SET, rs)
    }
}

/// One ReplicaSet (or object of another flavor) against its namespace's pods as the
/// cache keeps them: only the pods it controls and the orphans.
pub fn reconcile_owner(
    ctx: &Context,
    cache: &mut Cache,
    flavor: &Flavor,
    owner: &Value,
) -> Result<Reconciled, ApiError> {
    let ns = c::namespace(owner);
    let (pods, owners) = cache.indexed(ctx, "pods", Some(ns), CONTROLLER, controller_uid)?;
    let mine = owners.keyed_or_unkeyed(c::uid(owner));
    let mut touched = false;
    let outcome = reconcile(
        ctx,
        flavor,
        owner,
        mine.iter().map(|&at| &pods[at]),
        &mut touched,
    );
    if touched {
        // Pods adopted or released: the namespace's list is stale for the next owner.
        cache.forget("pods", Some(ns));
    }
    let (wrote, due) = outcome?;
    Ok(Reconciled::wrote(wrote).requeue_at(ctx, due))
}

/// Timed work an earlier process may have left: pods ready but not yet available.
pub fn becoming_available(rs: &Value) -> bool {
    c::int_at(rs, "/spec/minReadySeconds", 0) > 0
        && c::int_at(rs, "/status/readyReplicas", 0) > c::int_at(rs, "/status/availableReplicas", 0)
}

/// The pods index of the namespace's pods by their controller's uid.
const CONTROLLER: &str = "controller";

/// A pod's controller's uid (`""` for a controller reference without one), the key of the
/// `CONTROLLER` index: a ReplicaSet looks only at its own pods and the orphans.
fn controller_uid(pod: &Value) -> Option<&str> {
    c::controller_ref(pod).map(|r| r.get("uid").and_then(Value::as_str).unwrap_or(""))
}

/// One ReplicaSet (or object of another flavor) against the pods of its namespace that it
/// controls or might adopt (the others are not its business), read in place (a namespace
/// of many pods is not copied for each ReplicaSet); `touched` says whether a pod changed
/// owner.
fn reconcile<'a>(
    ctx: &Context,
    flavor: &Flavor,
    rs: &Value,
    pods: impl Iterator<Item = &'a Value>,
    touched: &mut bool,
) -> Result<(bool, Option<DateTime<Utc>>), ApiError> {
    let rs_uid = c::uid(rs).to_string();
    let selector = (flavor.selector)(rs);
    let mut wrote = false;
    let mut active: Vec<Cow<'_, Value>> = Vec::new();
    let deleting = c::is_terminating(rs);
    for p in pods {
        let matches = selector.matches(c::labels(p));
        match c::controller_ref(p) {
            Some(r) if r.get("uid").and_then(Value::as_str) == Some(rs_uid.as_str()) => {
                if matches {
                    if c::pod_is_active(p) {
                        active.push(Cow::Borrowed(p));
                    }
                } else if !c::is_terminating(p) {
                    c::release(ctx, "pods", p, &rs_uid)?;
                    *touched = true;
                    wrote = true;
                }
            }
            None if matches && !deleting && !c::is_terminating(p) => {
                let oref = c::controller_owner_ref(rs, flavor.api_version, flavor.kind);
                c::adopt(ctx, "pods", p, oref)?;
                *touched = true;
                wrote = true;
                if c::pod_is_active(p) {
                    active.push(Cow::Borrowed(p));
                }
            }
            _ => {}
        }
    }
    let desired = c::int_at(rs, "/spec/replicas", 1).max(0);
    let current = i64::try_from(active.len()).unwrap_or(i64::MAX);
    if !deleting && current < desired {
        create_pods(ctx, flavor, rs, burst(desired - current), &mut active)?;
        wrote = true;
    } else if !deleting && current > desired {
        let gone = delete_pods(ctx, flavor, rs, &mut active, burst(current - desired))?;
        wrote |= gone;
    }
    let min_ready = c::int_at(rs, "/spec/minReadySeconds", 0);
    let status = status_of(rs, &active, min_ready, ctx.now);
    wrote |= c::write_status(ctx, flavor.plural, rs, status)?;
    let due = active
        .iter()
        .filter(|p| !c::pod_is_available(p, min_ready, ctx.now))
        .filter_map(|p| c::available_at(p, min_ready))
        .min();
    Ok((wrote, due))
}

/// A pod for a controller from its template (`spec.template`).
pub fn pod_from_template(owner: &Value, api_version: &str, kind: &str) -> Value {
    let template = owner
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let mut meta = Map::new();
    meta.insert("generateName".into(), json!(format!("{}-", c::name(owner))));
    meta.insert("namespace".into(), json!(c::namespace(owner)));
    for field in ["labels", "annotations", "finalizers"] {
        if let Some(v) = template.pointer(&format!("/metadata/{field}")) {
            meta.insert(field.into(), v.clone());
        }
    }
    meta.insert(
        "ownerReferences".into(),
        json!([c::controller_owner_ref(owner, api_version, kind)]),
    );
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": template.get("spec").cloned().unwrap_or(json!({})),
    })
}

/// How many of `diff` missing or surplus pods one sync handles.
fn burst(diff: i64) -> usize {
    usize::try_from(diff).map_or(0, |d| d.min(BURST_REPLICAS))
}

/// Creates `n` pods (at most a burst), slow start first.
fn create_pods(
    ctx: &Context,
    flavor: &Flavor,
    rs: &Value,
    n: usize,
    active: &mut Vec<Cow<'_, Value>>,
) -> Result<(), ApiError> {
    let r = ctx.resource("pods")?;
    let ns = c::namespace(rs).to_string();
    let objects = (0..n)
        .map(|_| NewObject {
            resource: r,
            namespace: Some(ns.clone()),
            object: pod_from_template(rs, flavor.api_version, flavor.kind),
        })
        .collect();
    let mut events = Vec::new();
    let mut failure = None;
    for res in c::create_slow_start(ctx, objects) {
        match res {
            Ok(p) => {
                let message = format!("Created pod: {}", c::name(&p));
                events.push(("Normal", "SuccessfulCreate", message));
                active.push(Cow::Owned(p));
            }
            Err(e) => failure = Some(e),
        }
    }
    if let Some(e) = &failure {
        let message = format!("Error creating: {}", e.message);
        events.push(("Warning", "FailedCreate", message));
    }
    c::record_burst(ctx, flavor.component, rs, &events)
}

/// Deletes `n` pods, the least valuable first, as kube ranks them.
fn delete_pods(
    ctx: &Context,
    flavor: &Flavor,
    rs: &Value,
    active: &mut Vec<Cow<'_, Value>>,
    n: usize,
) -> Result<bool, ApiError> {
    let mut per_node: HashMap<String, usize> = HashMap::new();
    for p in active.iter() {
        *per_node
            .entry(c::str_at(p, "/spec/nodeName").to_string())
            .or_default() += 1;
    }
    active.sort_by(|a, b| deletion_order(a, b, &per_node));
    let victims: Vec<Cow<'_, Value>> = active.drain(..n.min(active.len())).collect();
    let mut events = Vec::new();
    for p in &victims {
        if c::delete(
            ctx,
            "pods",
            Some(c::namespace(p)),
            c::name(p),
            &DeleteOptions::default(),
        )? {
            let message = format!("Deleted pod: {}", c::name(p));
            events.push(("Normal", "SuccessfulDelete", message));
        }
    }
    c::record_burst(ctx, flavor.component, rs, &events)?;
    Ok(!events.is_empty())
}

/// kube's preference for which pod to delete first: unscheduled before scheduled, pending
/// before unknown before running, not ready before ready, pods doubled up on a node before
/// lone ones, more recently ready before longer ready, more restarts before fewer, newer
/// before older.
pub fn deletion_order(a: &Value, b: &Value, per_node: &HashMap<String, usize>) -> Ordering {
    let node = |p: &Value| c::str_at(p, "/spec/nodeName").to_string();
    let scheduled = |p: &Value| !node(p).is_empty();
    let phase_rank = |p: &Value| match c::str_at(p, "/status/phase") {
        "Pending" | "" => 0,
        "Unknown" => 1,
        _ => 2,
    };
    let colocated = |p: &Value| {
        let n = node(p);
        if n.is_empty() {
            0
        } else {
            per_node.get(&n).copied().unwrap_or(0)
        }
    };
    let restarts = |p: &Value| -> i64 {
        p.pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .map(|cs| {
                cs.iter()
                    .map(|s| c::int_at(s, "/restartCount", 0))
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0)
    };
    let created = |p: &Value| c::time_at(p, "/metadata/creationTimestamp");
    scheduled(a)
        .cmp(&scheduled(b))
        .then(phase_rank(a).cmp(&phase_rank(b)))
        .then(c::pod_is_ready(a).cmp(&c::pod_is_ready(b)))
        .then(colocated(b).cmp(&colocated(a)))
        .then(c::ready_since(b).cmp(&c::ready_since(a)))
        .then(restarts(b).cmp(&restarts(a)))
        .then(created(b).cmp(&created(a)))
        .then(c::name(b).cmp(c::name(a)))
}

/// The status kube's ReplicaSet controller reports for these active pods.
fn status_of(rs: &Value, active: &[Cow<'_, Value>], min_ready: i64, now: DateTime<Utc>) -> Value {
    let template_labels = rs
        .pointer("/spec/template/metadata/labels")
        .and_then(Value::as_object);
    let fully_labeled = active
        .iter()
        .filter(|p| {
            template_labels.is_none_or(|tl| {
                tl.iter()
                    .all(|(k, v)| c::labels(p).and_then(|l| l.get(k)) == Some(v))
            })
        })
        .count() as i64;
    let ready = active.iter().filter(|p| c::pod_is_ready(p)).count() as i64;
    let available = active
        .iter()
        .filter(|p| c::pod_is_available(p, min_ready, now))
        .count() as i64;
    let mut s = Map::new();
    s.insert("replicas".into(), json!(active.len()));
    c::put_nonzero(&mut s, "fullyLabeledReplicas", fully_labeled);
    c::put_nonzero(&mut s, "readyReplicas", ready);
    c::put_nonzero(&mut s, "availableReplicas", available);
    c::put_nonzero(&mut s, "observedGeneration", c::generation(rs));
    // Conditions (ReplicaFailure) are kept as they are.
    if let Some(conds) = rs.pointer("/status/conditions") {
        s.insert("conditions".into(), conds.clone());
    }
    Value::Object(s)
}

#[cfg(test)]
#[path = "replicaset_tests.rs"]
mod tests;
