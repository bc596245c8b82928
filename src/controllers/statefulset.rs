//! The StatefulSet controller: pods with stable names `<set>-<ordinal>`, each with its own
//! claims `<template>-<set>-<ordinal>`; created in ordinal order one at a time, each after
//! the one before is Running and Ready (OrderedReady), or all at once (Parallel); removed
//! from the highest ordinal down; rolling updates from the highest ordinal down to the
//! partition (OnDelete leaves that to the user); the pod templates kept as
//! ControllerRevisions (so `rollout history|undo` read them); kube's status and events.

use super::common as c;
use super::revisions;
use super::template_hash::template_hash;
use crate::api::options::{DeleteOptions, WriteOptions};
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const NAME: &str = "statefulset-controller";
pub const REVISION_LABEL: &str = "controller-revision-hash";
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

/// The StatefulSet controller, run by the controller runtime.
pub type StatefulSetController = Controller<StatefulSets>;

#[derive(Default)]
pub struct StatefulSets;

impl Reconciler for StatefulSets {
    fn name(&self) -> &'static str {
        NAME
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "statefulsets",
                kind: "StatefulSet",
                api_version: "apps/v1",
            },
            others: vec![
                Trigger {
                    plural: "pods",
                    mapping: Mapping::Owned { adopts: false },
                },
                Trigger {
                    plural: "controllerrevisions",
                    mapping: Mapping::Owned { adopts: false },
                },
            ],
            timed: Some(becoming_available),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        sts: &Value,
    ) -> Result<Reconciled, ApiError> {
        if c::is_terminating(sts) {
            return Ok(Reconciled::default());
        }
        let ns = c::namespace(sts);
        let pods = cache.list(ctx, "pods", Some(ns))?;
        let revisions = ctx.list(
            "controllerrevisions",
            Some(ns),
            &crate::api::options::ListOptions::default(),
        )?;
        let (wrote, due) = sync(ctx, sts, &pods, &revisions)?;
        if wrote {
            cache.forget("pods", Some(ns));
        }
        Ok(Reconciled::wrote(wrote).requeue_at(ctx, due))
    }
}

fn becoming_available(sts: &Value) -> bool {
    c::int_at(sts, "/spec/minReadySeconds", 0) > 0
        && c::int_at(sts, "/status/readyReplicas", 0)
            > c::int_at(sts, "/status/availableReplicas", 0)
}

/// The ordinal of a pod named `<set>-<n>`.
pub fn ordinal_of(set: &str, pod: &str) -> Option<i64> {
    let rest = pod.strip_prefix(set)?.strip_prefix('-')?;
    if rest.is_empty() || (rest.len() > 1 && rest.starts_with('0')) {
        return None;
    }
    rest.parse().ok()
}

fn template_of_revision(rev: &Value) -> Value {
    let mut t = rev
        .pointer("/data/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    t
}

fn running_and_ready(p: &Value) -> bool {
    c::str_at(p, "/status/phase") == "Running" && c::pod_is_ready(p)
}

fn finished(p: &Value) -> bool {
    matches!(c::str_at(p, "/status/phase"), "Succeeded" | "Failed")
}

/// The claims of the pod with this ordinal: (template volume name, claim object).
fn claims_for(sts: &Value, ordinal: i64) -> Vec<(String, Value)> {
    let set = c::name(sts);
    let selector_labels = sts
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let delete_with_set = c::str_at(
        sts,
        "/spec/persistentVolumeClaimRetentionPolicy/whenDeleted",
    ) == "Delete";
    sts.pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| {
            let volume = c::name(t).to_string();
            let mut labels = t
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (k, v) in &selector_labels {
                labels.insert(k.clone(), v.clone());
            }
            let mut meta = Map::new();
            meta.insert("name".into(), json!(format!("{volume}-{set}-{ordinal}")));
            meta.insert("namespace".into(), json!(c::namespace(sts)));
            meta.insert("labels".into(), Value::Object(labels));
            if let Some(a) = t.pointer("/metadata/annotations") {
                meta.insert("annotations".into(), a.clone());
            }
            if delete_with_set {
                let mut owner = c::controller_owner_ref(sts, "apps/v1", "StatefulSet");
                owner["controller"] = json!(false);
                meta.insert("ownerReferences".into(), json!([owner]));
            }
            let mut spec = t.get("spec").cloned().unwrap_or(json!({}));
            // What the API server filled in for the template is filled in again on create.
            if let Some(m) = spec.as_object_mut() {
                m.remove("volumeName");
            }
            let claim = json!({
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": meta,
                "spec": spec,
            });
            (volume, claim)
        })
        .collect()
}

/// The pod with this ordinal, from `template` at revision `revision`.
fn new_pod(sts: &Value, template: &Value, revision: &str, ordinal: i64) -> Value {
    let set = c::name(sts);
    let name = format!("{set}-{ordinal}");
    let mut labels = template
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert(REVISION_LABEL.into(), json!(revision));
    labels.insert(POD_NAME_LABEL.into(), json!(name));
    labels.insert(POD_INDEX_LABEL.into(), json!(ordinal.to_string()));
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    meta.insert("namespace".into(), json!(c::namespace(sts)));
    meta.insert("labels".into(), Value::Object(labels));
    if let Some(a) = template.pointer("/metadata/annotations") {
        meta.insert("annotations".into(), a.clone());
    }
    meta.insert(
        "ownerReferences".into(),
        json!([c::controller_owner_ref(sts, "apps/v1", "StatefulSet")]),
    );
    let mut spec = template.get("spec").cloned().unwrap_or(json!({}));
    if let Some(s) = spec.as_object_mut() {
        // Claims first, then the template's other volumes (kube's updateStorage).
        let claims = claims_for(sts, ordinal);
        let mut volumes: Vec<Value> = claims
            .iter()
            .map(|(v, claim)| {
                json!({"name": v, "persistentVolumeClaim": {"claimName": c::name(claim)}})
            })
            .collect();
        for v in s
            .get("volumes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !claims.iter().any(|(n, _)| n == c::name(v)) {
                volumes.push(v.clone());
            }
        }
        if !volumes.is_empty() {
            s.insert("volumes".into(), Value::Array(volumes));
        }
        s.insert("hostname".into(), json!(name));
        let service = c::str_at(sts, "/spec/serviceName");
        if !service.is_empty() {
            s.insert("subdomain".into(), json!(service));
        }
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec})
}

fn event(
    ctx: &Context,
    sts: &Value,
    kind: &str,
    reason: &str,
    message: &str,
) -> Result<(), ApiError> {
    let involved = c::with_kind(sts.clone(), "StatefulSet", "apps/v1");
    c::record(ctx, NAME, &involved, kind, reason, message)
}

/// Creates the pod's missing claims, then the pod.
fn create_pod(ctx: &Context, sts: &Value, pod: Value, ordinal: i64) -> Result<(), ApiError> {
    let set = c::name(sts);
    let ns = c::namespace(sts);
    let pod_name = c::name(&pod).to_string();
    let claims = ctx.resource("persistentvolumeclaims")?;
    for (_, claim) in claims_for(sts, ordinal) {
        let claim_name = c::name(&claim).to_string();
        match ctx.client.get(claims, Some(ns), &claim_name) {
            Ok(_) => continue,
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
        match ctx
            .client
            .create(claims, Some(ns), claim, &WriteOptions::default())
        {
            Ok(_) => event(
                ctx,
                sts,
                "Normal",
                "SuccessfulCreate",
                &format!("create Claim {claim_name} Pod {pod_name} in StatefulSet {set} success"),
            )?,
            Err(e) if e.code == 409 => {}
            Err(e) => {
                event(
                    ctx,
                    sts,
                    "Warning",
                    "FailedCreate",
                    &format!(
                        "create Claim {claim_name} for Pod {pod_name} in StatefulSet {set} failed error: {}",
                        e.message
                    ),
                )?;
                return Err(e);
            }
        }
    }
    let pods = ctx.resource("pods")?;
    match ctx
        .client
        .create(pods, Some(ns), pod, &WriteOptions::default())
    {
        Ok(_) => event(
            ctx,
            sts,
            "Normal",
            "SuccessfulCreate",
            &format!("create Pod {pod_name} in StatefulSet {set} successful"),
        ),
        Err(e) if e.code == 409 => Ok(()),
        Err(e) => {
            event(
                ctx,
                sts,
                "Warning",
                "FailedCreate",
                &format!(
                    "create Pod {pod_name} in StatefulSet {set} failed error: {}",
                    e.message
                ),
            )?;
            Err(e)
        }
    }
}

fn delete_pod(ctx: &Context, sts: &Value, pod: &Value) -> Result<bool, ApiError> {
    let gone = c::delete(
        ctx,
        "pods",
        Some(c::namespace(pod)),
        c::name(pod),
        &DeleteOptions::default(),
    )?;
    if gone {
        event(
            ctx,
            sts,
            "Normal",
            "SuccessfulDelete",
            &format!(
                "delete Pod {} in StatefulSet {} successful",
                c::name(pod),
                c::name(sts)
            ),
        )?;
    }
    Ok(gone)
}

/// One pass over one set: pods to create, replace, update or remove, then the status.
fn sync(
    ctx: &Context,
    sts: &Value,
    pods: &[Value],
    all_revisions: &[Value],
) -> Result<(bool, Option<DateTime<Utc>>), ApiError> {
    let set = c::name(sts);
    let uid = c::uid(sts);
    let collisions = c::int_at(sts, "/status/collisionCount", 0);
    let hash = template_hash(
        &revisions::data_of(sts),
        (collisions > 0).then_some(collisions),
    );
    let (revisions, update, mut wrote) = revisions::ensure(
        ctx,
        sts,
        "StatefulSet",
        &format!("{set}-{hash}"),
        &format!("{set}-{hash}"),
        all_revisions,
    )?;
    let update_name = c::name(&update).to_string();
    let current_name = {
        let named = c::str_at(sts, "/status/currentRevision");
        if revisions.iter().any(|r| c::name(r) == named) {
            named.to_string()
        } else {
            update_name.clone()
        }
    };
    let current = revisions
        .iter()
        .find(|r| c::name(r) == current_name)
        .cloned()
        .unwrap_or_else(|| update.clone());
    let replicas = c::int_at(sts, "/spec/replicas", 1).max(0);
    let start = c::int_at(sts, "/spec/ordinals/start", 0).max(0);
    let ordered = c::str_at(sts, "/spec/podManagementPolicy") != "Parallel";
    let rolling = c::str_at(sts, "/spec/updateStrategy/type") != "OnDelete";
    let partition = c::int_at(sts, "/spec/updateStrategy/rollingUpdate/partition", 0);
    // The set's pods by ordinal; others' pods and pods of other names are not ours.
    let mut slots: BTreeMap<i64, &Value> = BTreeMap::new();
    for p in pods {
        if c::controller_uid(p, "StatefulSet") != Some(uid) {
            continue;
        }
        if let Some(n) = ordinal_of(set, c::name(p)) {
            slots.insert(n, p);
        }
    }
    let wanted = start..start + replicas;
    let revision_of = |p: &Value| {
        c::labels(p)
            .and_then(|l| l.get(REVISION_LABEL))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    // Status is computed from what this pass saw (as kube's does, before acting).
    let min_ready = c::int_at(sts, "/spec/minReadySeconds", 0);
    let mut due = None;
    let status_pods: Vec<&Value> = slots.values().copied().collect();
    // 1. Replicas in ordinal order: replace finished pods, create missing ones.
    let mut blocked = false;
    for ordinal in wanted.clone() {
        match slots.get(&ordinal) {
            Some(p) if finished(p) && !c::is_terminating(p) => {
                // A finished pod is replaced under the same name.
                let (kind, reason, what) = if c::str_at(p, "/status/phase") == "Failed" {
                    ("Warning", "RecreatingFailedPod", "failed")
                } else {
                    ("Normal", "RecreatingTerminatedPod", "terminated")
                };
                let message = format!(
                    "StatefulSet {}/{set} is recreating {what} Pod {}",
                    c::namespace(sts),
                    c::name(p)
                );
                event(ctx, sts, kind, reason, &message)?;
                wrote |= delete_pod(ctx, sts, p)?;
                if ordered {
                    blocked = true;
                    break;
                }
            }
            Some(p) => {
                if ordered && (c::is_terminating(p) || !running_and_ready(p)) {
                    blocked = true;
                    break;
                }
            }
            None => {
                let from_current = rolling && ordinal < partition;
                let (template, rev) = if from_current {
                    (template_of_revision(&current), current_name.as_str())
                } else {
                    (
                        sts.pointer("/spec/template").cloned().unwrap_or(json!({})),
                        update_name.as_str(),
                    )
                };
                create_pod(ctx, sts, new_pod(sts, &template, rev, ordinal), ordinal)?;
                wrote = true;
                if ordered {
                    blocked = true;
                    break;
                }
            }
        }
    }
    // 2. Condemned pods (outside the wanted ordinals), highest first.
    let condemned: Vec<&Value> = slots
        .iter()
        .filter(|(n, _)| !wanted.contains(n))
        .map(|(_, p)| *p)
        .rev()
        .collect();
    if !blocked {
        for p in &condemned {
            if c::is_terminating(p) {
                if ordered {
                    blocked = true;
                    break;
                }
                continue;
            }
            wrote |= delete_pod(ctx, sts, p)?;
            if ordered {
                blocked = true;
                break;
            }
        }
    }
    // Claims of ordinals scaled away go too when the policy says so (their pods first).
    if c::str_at(sts, "/spec/persistentVolumeClaimRetentionPolicy/whenScaled") == "Delete" {
        wrote |= delete_scaled_claims(ctx, sts, &slots, start + replicas)?;
    }
    // 3. Rolling update: from the highest ordinal down to the partition, one at a time.
    if !blocked && rolling {
        for ordinal in wanted.clone().rev() {
            if ordinal < partition {
                break;
            }
            let Some(p) = slots.get(&ordinal) else {
                break;
            };
            if revision_of(p) != update_name && !c::is_terminating(p) {
                wrote |= delete_pod(ctx, sts, p)?;
                break;
            }
            if !running_and_ready(p) || c::is_terminating(p) {
                break;
            }
        }
    }
    // 4. Status.
    let mut ready = 0;
    let mut available = 0;
    let mut current_count = 0;
    let mut updated = 0;
    let mut count = 0;
    for p in &status_pods {
        if finished(p) {
            continue;
        }
        count += 1;
        if running_and_ready(p) && !c::is_terminating(p) {
            ready += 1;
            if c::pod_is_available(p, min_ready, ctx.now) {
                available += 1;
            } else {
                due = c::earliest(due, c::available_at(p, min_ready));
            }
        }
        let rev = revision_of(p);
        if rev == current_name {
            current_count += 1;
        }
        if rev == update_name {
            updated += 1;
        }
    }
    let (mut status_current, mut status_current_count) = (current_name, current_count);
    // The update is complete when every wanted pod runs the update revision.
    if updated == replicas && count == replicas && ready == replicas {
        status_current = update_name.clone();
        status_current_count = updated;
    }
    let mut status = Map::new();
    status.insert("observedGeneration".into(), json!(c::generation(sts)));
    status.insert("replicas".into(), json!(count));
    c::put_nonzero(&mut status, "readyReplicas", ready);
    c::put_nonzero(&mut status, "currentReplicas", status_current_count);
    c::put_nonzero(&mut status, "updatedReplicas", updated);
    status.insert("currentRevision".into(), json!(status_current));
    status.insert("updateRevision".into(), json!(update_name));
    status.insert(
        "collisionCount".into(),
        json!(c::int_at(sts, "/status/collisionCount", 0)),
    );
    if let Some(conds) = sts.pointer("/status/conditions") {
        status.insert("conditions".into(), conds.clone());
    }
    status.insert("availableReplicas".into(), json!(available));
    wrote |= c::write_status(ctx, "statefulsets", sts, Value::Object(status))?;
    wrote |= revisions::prune(ctx, sts, &revisions, &[&status_current, &update_name])?;
    Ok((wrote, due))
}

/// whenScaled: Delete — the claims of ordinals at or past `end` whose pods are gone.
fn delete_scaled_claims(
    ctx: &Context,
    sts: &Value,
    slots: &BTreeMap<i64, &Value>,
    end: i64,
) -> Result<bool, ApiError> {
    let set = c::name(sts);
    let ns = c::namespace(sts);
    let claims = ctx.list(
        "persistentvolumeclaims",
        Some(ns),
        &crate::api::options::ListOptions::default(),
    )?;
    let templates: Vec<String> = sts
        .pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| c::name(t).to_string())
        .collect();
    let mut wrote = false;
    for claim in &claims {
        if c::is_terminating(claim) {
            continue;
        }
        let name = c::name(claim);
        let ordinal = templates.iter().find_map(|t| {
            name.strip_prefix(t.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| ordinal_of(set, rest))
        });
        if let Some(n) = ordinal
            && n >= end
            && !slots.contains_key(&n)
        {
            wrote |= c::delete(
                ctx,
                "persistentvolumeclaims",
                Some(ns),
                name,
                &DeleteOptions::default(),
            )?;
        }
    }
    Ok(wrote)
}

#[cfg(test)]
#[path = "statefulset_tests.rs"]
mod tests;
