//! The DaemonSet controller: one pod per eligible node, pinned to it by required node
//! affinity (the default scheduler binds it), rolling updates one node at a time
//! (maxUnavailable), and status counts.

mod placement;

use super::common as c;
use super::replicaset::pod_from_template;
use super::template_hash::template_hash;
use crate::api::options::{DeleteOptions, ListOptions, WatchEvent};
use crate::api::status::ApiError;
use crate::apiserver::project::Keep;
use crate::client::NewObject;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

const NAME: &str = "daemonset-controller";
const HASH_LABEL: &str = "controller-revision-hash";
const GENERATION_LABEL: &str = "pod-template-generation";
const GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

/// At most this many daemon pods are created or deleted in one sync of one DaemonSet
/// (kube's `burstReplicas` for DaemonSets); the next sync does the rest.
pub const BURST_REPLICAS: usize = 250;

/// The DaemonSet controller, run by the controller runtime.
pub type DaemonSetController = Controller<DaemonSets>;

#[derive(Default)]
pub struct DaemonSets {
    /// What placement reads of each node (labels, taints) as of its last change seen in
    /// this process: kube ignores node updates that leave them as they were, and a
    /// kubelet's heartbeat rewrites its node's status every few seconds.
    nodes_seen: HashMap<String, String>,
}

impl Reconciler for DaemonSets {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Its DaemonSets, the pods they control, and every DaemonSet when a node changes.
    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "daemonsets",
                kind: "DaemonSet",
                api_version: "apps/v1",
            },
            others: vec![
                Trigger {
                    plural: "pods",
                    mapping: Mapping::Owned { adopts: false },
                },
                Trigger {
                    plural: "nodes",
                    mapping: Mapping::By(|_, _, wake| {
                        wake.all();
                        Ok(())
                    }),
                },
            ],
            timed: Some(becoming_available),
        }
    }

    /// A node's change matters when it is the first this process sees of the node, a
    /// deletion, or a change of its labels or taints. Every change since the checkpoint is
    /// offered in order, so each version a sync may have read is compared with the one
    /// before it.
    fn matters(&mut self, plural: &str, change: &WatchEvent) -> bool {
        if plural != "nodes" {
            return true;
        }
        let name = c::name(&change.object).to_string();
        if change.kind == "DELETED" {
            self.nodes_seen.remove(&name);
            return true;
        }
        let placed_by = placement::what_placement_reads(&change.object);
        self.nodes_seen.insert(name, placed_by.clone()) != Some(placed_by)
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        ds: &Value,
    ) -> Result<Reconciled, ApiError> {
        if c::is_terminating(ds) {
            return Ok(Reconciled::default());
        }
        let nodes = cache.list(ctx, "nodes", None)?;
        let (wrote, due) = sync_one(ctx, ds, &nodes)?;
        Ok(Reconciled::wrote(wrote).requeue_at(ctx, due))
    }
}

/// Timed work an earlier process may have left: pods ready but not yet available.
fn becoming_available(ds: &Value) -> bool {
    c::int_at(ds, "/spec/minReadySeconds", 0) > 0
        && c::int_at(ds, "/status/numberReady", 0) > c::int_at(ds, "/status/numberAvailable", 0)
}

/// What a sync reads of the namespace's pods (owner, node, age, phase, readiness, template
/// hash), so its list decodes no more of each pod than that.
static DAEMON_POD: Keep = Keep::Fields(&[
    ("metadata", Keep::AllBut(&["managedFields"])),
    (
        "spec",
        Keep::Fields(&[("nodeName", Keep::All), ("affinity", Keep::All)]),
    ),
    (
        "status",
        Keep::Fields(&[("phase", Keep::All), ("conditions", Keep::All)]),
    ),
]);

/// Per node: whether a new pod belongs there, whether an existing one may stay, its pods.
struct NodePlan<'a> {
    node: &'a Value,
    should_run: bool,
    may_stay: bool,
    pods: Vec<Value>,
}

fn sync_one(
    ctx: &Context,
    ds: &Value,
    nodes: &[Value],
) -> Result<(bool, Option<DateTime<Utc>>), ApiError> {
    let ns = c::namespace(ds);
    let ds_uid = c::uid(ds);
    let template = ds.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let spec = template.get("spec").cloned().unwrap_or(json!({}));
    let hash = template_hash(
        &template,
        ds.pointer("/status/collisionCount").and_then(Value::as_i64),
    );
    // The template kept as a ControllerRevision, for `rollout history|undo`.
    let all_revisions = ctx.list("controllerrevisions", Some(ns), &ListOptions::default())?;
    let revision_name = format!("{}-{hash}", c::name(ds));
    let (revisions, _, mut revised) =
        super::revisions::ensure(ctx, ds, "DaemonSet", &revision_name, &hash, &all_revisions)?;
    revised |= super::revisions::prune(ctx, ds, &revisions, &[&revision_name])?;
    let min_ready = c::int_at(ds, "/spec/minReadySeconds", 0);
    let mut plans: Vec<NodePlan> = nodes
        .iter()
        .map(|node| {
            let (should_run, may_stay) = placement::fits(&spec, node);
            NodePlan {
                node,
                should_run,
                may_stay,
                pods: Vec::new(),
            }
        })
        .collect();
    let index: BTreeMap<String, usize> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| (c::name(p.node).to_string(), i))
        .collect();
    let mut stray = Vec::new();
    let opts = ListOptions::default();
    ctx.list_pages("pods", Some(ns), &opts, Some(&DAEMON_POD), &mut |page| {
        for pod in page {
            if c::controller_uid(&pod, "DaemonSet") != Some(ds_uid) || c::is_terminating(&pod) {
                continue;
            }
            match index.get(&placement::node_of(&pod)) {
                Some(i) => plans[*i].pods.push(pod),
                None => stray.push(pod),
            }
        }
        Ok(())
    })?;
    let mut to_create = Vec::new();
    let mut to_delete = stray;
    for plan in plans.iter_mut() {
        plan.pods.sort_by(|a, b| {
            c::time_at(a, "/metadata/creationTimestamp")
                .cmp(&c::time_at(b, "/metadata/creationTimestamp"))
                .then(c::name(a).cmp(c::name(b)))
        });
        // Failed daemon pods are replaced.
        let (failed, live): (Vec<Value>, Vec<Value>) = std::mem::take(&mut plan.pods)
            .into_iter()
            .partition(|p| c::str_at(p, "/status/phase") == "Failed");
        to_delete.extend(failed);
        plan.pods = live;
        if !plan.may_stay || (!plan.should_run && plan.pods.is_empty()) {
            if !plan.should_run {
                to_delete.append(&mut plan.pods);
            }
            continue;
        }
        if plan.pods.is_empty() {
            if plan.should_run {
                to_create.push(c::name(plan.node).to_string());
            }
        } else {
            to_delete.extend(plan.pods.drain(1..));
        }
    }
    // Rolling update: replace outdated pods while fewer than maxUnavailable are unavailable.
    let rolling = c::str_at(ds, "/spec/updateStrategy/type") != "OnDelete";
    if rolling && to_create.is_empty() && to_delete.is_empty() {
        let desired = plans.iter().filter(|p| p.should_run).count() as i64;
        let max_unavailable = c::scaled_value(
            ds.pointer("/spec/updateStrategy/rollingUpdate/maxUnavailable"),
            desired,
            "1",
            false,
        )
        .max(1);
        let unavailable = plans
            .iter()
            .filter(|p| p.should_run)
            .filter(|p| {
                !p.pods
                    .iter()
                    .any(|pod| c::pod_is_available(pod, min_ready, ctx.now))
            })
            .count() as i64;
        let mut budget = max_unavailable - unavailable;
        for plan in plans.iter_mut() {
            if budget <= 0 {
                break;
            }
            if let Some(pod) = plan.pods.first()
                && c::str_at(pod, &format!("/metadata/labels/{HASH_LABEL}")) != hash
                && c::pod_is_available(pod, min_ready, ctx.now)
            {
                to_delete.push(plan.pods.remove(0));
                budget -= 1;
            }
        }
    }
    to_create.truncate(BURST_REPLICAS);
    to_delete.truncate(BURST_REPLICAS);
    let mut wrote = revised;
    let mut events = Vec::new();
    if !to_create.is_empty() {
        wrote = true;
        create_pods(ctx, ds, &hash, &spec, &to_create, &mut events)?;
    }
    for pod in &to_delete {
        if c::delete(
            ctx,
            "pods",
            Some(ns),
            c::name(pod),
            &DeleteOptions::default(),
        )? {
            wrote = true;
            let message = format!("Deleted pod: {}", c::name(pod));
            events.push(("Normal", "SuccessfulDelete", message));
        }
    }
    c::record_burst(ctx, NAME, ds, &events)?;
    let (status, due) = status_of(ds, &plans, &hash, &to_create, min_ready, ctx.now);
    wrote |= c::write_status(ctx, "daemonsets", ds, status)?;
    Ok((wrote, due))
}

fn create_pods(
    ctx: &Context,
    ds: &Value,
    hash: &str,
    spec: &Value,
    nodes: &[String],
    events: &mut Vec<(&str, &str, String)>,
) -> Result<(), ApiError> {
    let r = ctx.resource("pods")?;
    let generation = {
        let a = c::str_at(
            ds,
            &format!("/metadata/annotations/{GENERATION_ANNOTATION}"),
        );
        if a.is_empty() {
            c::generation(ds).to_string()
        } else {
            a.to_string()
        }
    };
    let objects = nodes
        .iter()
        .map(|node| {
            let mut pod = pod_from_template(ds, "apps/v1", "DaemonSet");
            let mut labels = c::labels(&pod).cloned().unwrap_or_default();
            labels.insert(HASH_LABEL.into(), json!(hash));
            labels.insert(GENERATION_LABEL.into(), json!(generation));
            pod["metadata"]["labels"] = Value::Object(labels);
            let mut pod_spec = spec.clone();
            placement::pin_to_node(&mut pod_spec, node);
            pod_spec["tolerations"] = Value::Array(placement::with_daemon_tolerations(spec));
            pod["spec"] = pod_spec;
            NewObject {
                resource: r,
                namespace: Some(c::namespace(ds).to_string()),
                object: pod,
            }
        })
        .collect();
    for res in c::create_slow_start(ctx, objects) {
        let (kind, reason, message) = match res {
            Ok(p) => (
                "Normal",
                "SuccessfulCreate",
                format!("Created pod: {}", c::name(&p)),
            ),
            Err(e) => (
                "Warning",
                "FailedCreate",
                format!("Error creating: {}", e.message),
            ),
        };
        events.push((kind, reason, message));
    }
    Ok(())
}

fn status_of(
    ds: &Value,
    plans: &[NodePlan],
    hash: &str,
    created_on: &[String],
    min_ready: i64,
    now: DateTime<Utc>,
) -> (Value, Option<DateTime<Utc>>) {
    let mut desired = 0;
    let mut current = 0;
    let mut misscheduled = 0;
    let mut ready = 0;
    let mut available = 0;
    let mut updated = 0;
    let mut due = None;
    for p in plans {
        let just_created = created_on.iter().any(|n| n == c::name(p.node));
        let has_pod = !p.pods.is_empty() || just_created;
        if p.should_run {
            desired += 1;
        }
        if !has_pod {
            continue;
        }
        if !p.should_run {
            misscheduled += 1;
            continue;
        }
        current += 1;
        if just_created {
            updated += 1;
            continue;
        }
        let Some(pod) = p.pods.first() else {
            continue;
        };
        if c::pod_is_ready(pod) {
            ready += 1;
        }
        if c::pod_is_available(pod, min_ready, now) {
            available += 1;
        } else {
            due = c::earliest(due, c::available_at(pod, min_ready));
        }
        if c::str_at(pod, &format!("/metadata/labels/{HASH_LABEL}")) == hash {
            updated += 1;
        }
    }
    let mut s = Map::new();
    s.insert("currentNumberScheduled".into(), json!(current));
    s.insert("numberMisscheduled".into(), json!(misscheduled));
    s.insert("desiredNumberScheduled".into(), json!(desired));
    s.insert("numberReady".into(), json!(ready));
    c::put_nonzero(&mut s, "observedGeneration", c::generation(ds));
    c::put_nonzero(&mut s, "updatedNumberScheduled", updated);
    c::put_nonzero(&mut s, "numberAvailable", available);
    c::put_nonzero(&mut s, "numberUnavailable", desired - available);
    if let Some(n) = ds.pointer("/status/collisionCount") {
        s.insert("collisionCount".into(), n.clone());
    }
    (Value::Object(s), due)
}

#[cfg(test)]
#[path = "daemonset_tests.rs"]
mod tests;
