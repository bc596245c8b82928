//! The Deployment controller: rolls a Deployment out through ReplicaSets named
//! `<deployment>-<pod-template-hash>`, RollingUpdate (maxSurge / maxUnavailable) or
//! Recreate, keeps revision annotations, prunes old ReplicaSets past the history limit,
//! and reports status with kube's Available / Progressing conditions.

mod rollout;
mod status;

use super::common as c;
use super::template_hash::{template_hash, templates_equal};
use crate::api::options::{DeleteOptions, ListOptions, WatchEvent, WriteOptions};
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers, Wake};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const NAME: &str = "deployment-controller";
pub const REVISION: &str = "deployment.kubernetes.io/revision";
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
const MAX: &str = "deployment.kubernetes.io/max-replicas";
const HASH_LABEL: &str = "pod-template-hash";

/// Annotations of a Deployment that are not copied to its ReplicaSets.
const NOT_COPIED: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    REVISION_HISTORY,
    DESIRED,
    MAX,
    "deprecated.deployment.rollback.to",
];

/// The Deployment controller, run by the controller runtime.
pub type DeploymentController = Controller<Deployments>;

#[derive(Default)]
pub struct Deployments;

impl Reconciler for Deployments {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Its Deployments, the ReplicaSets they control (an ownerless one wakes every
    /// Deployment of its namespace, to be adopted), and pods that went away (Recreate waits
    /// for old pods to be gone).
    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "deployments",
                kind: "Deployment",
                api_version: "apps/v1",
            },
            others: vec![
                Trigger {
                    plural: "replicasets",
                    mapping: Mapping::Owned { adopts: true },
                },
                Trigger {
                    plural: "pods",
                    mapping: Mapping::By(owner_of_deleted_pod),
                },
            ],
            // Timed work an earlier process left: rollouts whose progress deadline may pass.
            timed: Some(status::in_progress),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        d: &Value,
    ) -> Result<Reconciled, ApiError> {
        if c::is_terminating(d) {
            return Ok(Reconciled::default());
        }
        let (wrote, due) = sync_one(ctx, d)?;
        Ok(Reconciled::wrote(wrote).requeue_at(ctx, due))
    }
}

/// A deleted pod wakes the Deployment of its ReplicaSet.
fn owner_of_deleted_pod(ctx: &Context, ev: &WatchEvent, wake: &mut Wake) -> Result<(), ApiError> {
    if ev.kind != "DELETED" {
        return Ok(());
    }
    let Some(rs) = c::controller_name(&ev.object, "ReplicaSet") else {
        return Ok(());
    };
    let ns = c::namespace(&ev.object);
    let r = ctx.resource("replicasets")?;
    if let Ok(rs) = ctx.client.get(r, Some(ns), rs)
        && let Some(d) = c::controller_name(&rs, "Deployment")
    {
        wake.key(ns, d);
    }
    Ok(())
}

/// The ReplicaSets of one Deployment, as one sync sees them.
pub struct Family {
    pub new: Option<Value>,
    /// Oldest first.
    pub old: Vec<Value>,
}

impl Family {
    pub fn all(&self) -> impl Iterator<Item = &Value> {
        self.new.iter().chain(self.old.iter())
    }
}

/// What a sync did, for conditions.
#[derive(Default)]
pub struct Progress {
    pub created_new: bool,
    pub scaled: bool,
}

fn sync_one(ctx: &Context, d: &Value) -> Result<(bool, Option<DateTime<Utc>>), ApiError> {
    let mut wrote = false;
    let mut family = family_of(ctx, d, &mut wrote)?;
    let mut progress = Progress::default();
    let paused = d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
    // Paused, or resized: scale what exists (no new ReplicaSet); otherwise roll out.
    if paused || rollout::is_scaling_event(d, &family) {
        rollout::scale_proportionally(ctx, d, &mut family, &mut progress)?;
    } else {
        match c::str_at(d, "/spec/strategy/type") {
            "Recreate" => rollout::recreate(ctx, d, &mut family, &mut progress)?,
            _ => rollout::rolling(ctx, d, &mut family, &mut progress)?,
        }
    }
    wrote |= progress.scaled || progress.created_new;
    if !progress.scaled && !progress.created_new {
        wrote |= cleanup(ctx, d, &family)?;
    }
    wrote |= sync_revision(ctx, d, &family)?;
    let (w, due) = status::write(ctx, d, &family, &progress)?;
    Ok((wrote | w, due))
}

/// Finds (and adopts) the Deployment's ReplicaSets and tells the new one from the old.
fn family_of(ctx: &Context, d: &Value, wrote: &mut bool) -> Result<Family, ApiError> {
    let selector = c::spec_selector(d);
    let d_uid = c::uid(d);
    let mut owned = Vec::new();
    for rs in ctx.list(
        "replicasets",
        Some(c::namespace(d)),
        &ListOptions::default(),
    )? {
        match c::controller_ref(&rs) {
            Some(r) if r.get("uid").and_then(Value::as_str) == Some(d_uid) => owned.push(rs),
            None if selector.matches(c::labels(&rs)) && !c::is_terminating(&rs) => {
                c::adopt(
                    ctx,
                    "replicasets",
                    &rs,
                    c::controller_owner_ref(d, "apps/v1", "Deployment"),
                )?;
                *wrote = true;
                owned.push(rs);
            }
            _ => {}
        }
    }
    owned.sort_by(|a, b| {
        c::time_at(a, "/metadata/creationTimestamp")
            .cmp(&c::time_at(b, "/metadata/creationTimestamp"))
            .then(c::name(a).cmp(c::name(b)))
    });
    let template = d.pointer("/spec/template").cloned().unwrap_or(Value::Null);
    let new_index = owned.iter().position(|rs| {
        !c::is_terminating(rs)
            && templates_equal(
                rs.pointer("/spec/template").unwrap_or(&Value::Null),
                &template,
            )
    });
    let new = new_index.map(|i| owned.remove(i));
    Ok(Family { new, old: owned })
}

pub fn revision_of(rs: &Value) -> i64 {
    c::str_at(
        rs,
        &format!("/metadata/annotations/{}", REVISION.replace('/', "~1")),
    )
    .parse()
    .unwrap_or(0)
}

fn max_old_revision(family: &Family) -> i64 {
    family.old.iter().map(revision_of).max().unwrap_or(0)
}

/// The hash the next new ReplicaSet gets.
fn hash_of(d: &Value) -> String {
    let template = d.pointer("/spec/template").cloned().unwrap_or(Value::Null);
    let collisions = d.pointer("/status/collisionCount").and_then(Value::as_i64);
    template_hash(&template, collisions)
}

/// Creates the new ReplicaSet with `replicas`; returns it, or None when its name is taken
/// by a different template (the collision count is then bumped, changing the hash).
pub fn create_new(
    ctx: &Context,
    d: &Value,
    family: &Family,
    replicas: i64,
    max_surge: i64,
) -> Result<Option<Value>, ApiError> {
    let hash = hash_of(d);
    let rs_name = format!("{}-{hash}", c::name(d));
    let ns = c::namespace(d);
    let mut template = d.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let mut labels = template
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert(HASH_LABEL.into(), json!(hash));
    template["metadata"]["labels"] = Value::Object(labels.clone());
    let mut selector = d.pointer("/spec/selector").cloned().unwrap_or(json!({}));
    selector["matchLabels"][HASH_LABEL] = json!(hash);
    let mut annotations: BTreeMap<String, Value> = copied_annotations(d).into_iter().collect();
    let desired = c::int_at(d, "/spec/replicas", 1);
    annotations.insert(DESIRED.into(), json!(desired.to_string()));
    annotations.insert(MAX.into(), json!((desired + max_surge).to_string()));
    annotations.insert(
        REVISION.into(),
        json!(max_old_revision(family).saturating_add(1).to_string()),
    );
    let mut spec = Map::new();
    spec.insert(
        "replicas".into(),
        json!(replicas.clamp(0, i64::from(i32::MAX))),
    );
    let min_ready = c::int_at(d, "/spec/minReadySeconds", 0);
    if min_ready > 0 {
        spec.insert("minReadySeconds".into(), json!(min_ready));
    }
    spec.insert("selector".into(), selector);
    spec.insert("template".into(), template);
    let rs = json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": rs_name,
            "namespace": ns,
            "labels": sorted(labels),
            "annotations": annotations.into_iter().collect::<Map<String, Value>>(),
            "ownerReferences": [c::controller_owner_ref(d, "apps/v1", "Deployment")],
        },
        "spec": spec,
    });
    let r = ctx.resource("replicasets")?;
    match ctx.client.create(r, Some(ns), rs, &WriteOptions::default()) {
        Ok(created) => Ok(Some(created)),
        Err(e) if e.code == 409 => {
            // The name is taken by another template: bump collisionCount, retry next pass.
            let mut status = d.get("status").cloned().unwrap_or(json!({}));
            let n = c::int_at(d, "/status/collisionCount", 0) + 1;
            status["collisionCount"] = json!(n);
            c::write_status(ctx, "deployments", d, status)?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The Deployment's annotations that its ReplicaSets carry too.
fn copied_annotations(d: &Value) -> Vec<(String, Value)> {
    d.pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !NOT_COPIED.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn sorted(m: Map<String, Value>) -> Map<String, Value> {
    let b: BTreeMap<String, Value> = m.into_iter().collect();
    b.into_iter().collect()
}

/// Sets a ReplicaSet's replicas (and its replica annotations); records ScalingReplicaSet.
pub fn scale(
    ctx: &Context,
    d: &Value,
    rs: &mut Value,
    replicas: i64,
    max_surge: i64,
) -> Result<bool, ApiError> {
    // A ReplicaSet's replicas is an int32: surge on top of the largest Deployment sizes
    // (proportional scaling) must not ask for more.
    let replicas = replicas.clamp(0, i64::from(i32::MAX));
    let old = c::int_at(rs, "/spec/replicas", 1);
    let desired = c::int_at(d, "/spec/replicas", 1).to_string();
    let max = (c::int_at(d, "/spec/replicas", 1) + max_surge).to_string();
    let annotations_ok = c::str_at(rs, &annotation_ptr(DESIRED)) == desired
        && c::str_at(rs, &annotation_ptr(MAX)) == max;
    if old == replicas && annotations_ok {
        return Ok(false);
    }
    let mut updated = rs.clone();
    updated["spec"]["replicas"] = json!(replicas);
    let mut annotations = updated
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    annotations.insert(DESIRED.into(), json!(desired));
    annotations.insert(MAX.into(), json!(max));
    updated["metadata"]["annotations"] = Value::Object(sorted(annotations));
    let r = ctx.resource("replicasets")?;
    *rs = ctx.client.update(
        r,
        Some(c::namespace(rs)),
        c::name(rs),
        updated,
        &WriteOptions::default(),
    )?;
    if old != replicas {
        let direction = if replicas > old { "up" } else { "down" };
        // kube 1.31+ wording (a new ReplicaSet's first scale-up says only "to N").
        let message = format!(
            "Scaled {direction} replica set {} from {old} to {replicas}",
            c::name(rs)
        );
        c::record(ctx, NAME, d, "Normal", "ScalingReplicaSet", &message)?;
    }
    Ok(true)
}

/// Records the event of a new ReplicaSet created with replicas.
pub fn record_created(ctx: &Context, d: &Value, rs: &Value) -> Result<(), ApiError> {
    let replicas = c::int_at(rs, "/spec/replicas", 0);
    if replicas <= 0 {
        return Ok(());
    }
    let message = format!("Scaled up replica set {} to {replicas}", c::name(rs));
    c::record(ctx, NAME, d, "Normal", "ScalingReplicaSet", &message)
}

pub fn annotation_ptr(key: &str) -> String {
    format!(
        "/metadata/annotations/{}",
        key.replace('~', "~0").replace('/', "~1")
    )
}

/// Brings the new ReplicaSet's revision to one above the old ones (a `rollout undo` to an
/// old template makes that old ReplicaSet new again), and the Deployment's revision
/// annotation to the new ReplicaSet's.
fn sync_revision(ctx: &Context, d: &Value, family: &Family) -> Result<bool, ApiError> {
    let Some(new) = &family.new else {
        return Ok(false);
    };
    let mut wrote = false;
    let wanted = max_old_revision(family).saturating_add(1);
    let current = revision_of(new);
    let revision = current.max(wanted);
    let mut annotations = new
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let before = annotations.clone();
    if current < wanted {
        if current > 0 {
            let history = c::str_at(new, &annotation_ptr(REVISION_HISTORY));
            let history = if history.is_empty() {
                current.to_string()
            } else {
                format!("{history},{current}")
            };
            annotations.insert(REVISION_HISTORY.into(), json!(history));
        }
        annotations.insert(REVISION.into(), json!(wanted.to_string()));
    }
    // The Deployment's own annotations (change-cause, ...) follow onto its new ReplicaSet.
    for (k, v) in copied_annotations(d) {
        annotations.insert(k, v);
    }
    if annotations != before {
        let mut updated = new.clone();
        updated["metadata"]["annotations"] = Value::Object(sorted(annotations));
        let r = ctx.resource("replicasets")?;
        ctx.client.update(
            r,
            Some(c::namespace(new)),
            c::name(new),
            updated,
            &WriteOptions::default(),
        )?;
        wrote = true;
    }
    let revision = revision.to_string();
    if c::str_at(d, &annotation_ptr(REVISION)) != revision {
        let mut updated = d.clone();
        if let Some(m) = updated.as_object_mut() {
            m.shift_remove("status");
        }
        let mut annotations = updated
            .pointer("/metadata/annotations")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        annotations.insert(REVISION.into(), json!(revision));
        updated["metadata"]["annotations"] = Value::Object(sorted(annotations));
        let r = ctx.resource("deployments")?;
        ctx.client.update(
            r,
            Some(c::namespace(d)),
            c::name(d),
            updated,
            &WriteOptions::default(),
        )?;
        wrote = true;
    }
    Ok(wrote)
}

/// Deletes old, scaled-down ReplicaSets beyond `revisionHistoryLimit` (oldest revisions
/// first).
fn cleanup(ctx: &Context, d: &Value, family: &Family) -> Result<bool, ApiError> {
    let limit = c::int_at(d, "/spec/revisionHistoryLimit", 10).max(0) as usize;
    let mut idle: Vec<&Value> = family
        .old
        .iter()
        .filter(|rs| {
            c::int_at(rs, "/spec/replicas", 1) == 0
                && c::int_at(rs, "/status/replicas", 0) == 0
                && !c::is_terminating(rs)
        })
        .collect();
    if idle.len() <= limit {
        return Ok(false);
    }
    idle.sort_by_key(|rs| revision_of(rs));
    let mut wrote = false;
    for rs in &idle[..idle.len() - limit] {
        wrote |= c::delete(
            ctx,
            "replicasets",
            Some(c::namespace(rs)),
            c::name(rs),
            &DeleteOptions::default(),
        )?;
    }
    Ok(wrote)
}

#[cfg(test)]
#[path = "deployment_tests.rs"]
mod tests;
