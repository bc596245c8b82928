//! One scheduling pass against the API: find the pods to place, snapshot the nodes with
//! what is bound to them, then place the pods one by one in queue order, binding each
//! through `pods/binding` and counting it on its node before the next pod is considered.
//!
//! Which pods: the unscheduled pods that changed since the last pass (new ones, or ones
//! whose spec changed). Every pending pod is reconsidered on a full resync, when a node
//! changed, or when a bound pod went away or finished (room may have been freed). A pod that
//! still fits nowhere is written to only when its message differs from the one its
//! PodScheduled condition already carries, so a retry that changes nothing writes nothing
//! and the cluster settles.

use super::framework::{Diagnosis, schedule_one};
use super::model::NodeInfo;
use super::{fit_error, parse, queue, requests};
use crate::api::options::{ListOptions, WatchEvent, WriteOptions};
use crate::api::status::ApiError;
use crate::print::list::with_type_meta;
use crate::runtime::Context;
use crate::runtime::events::{NewEvent, Reporter, record};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

pub const SCHEDULER_NAME: &str = "default-scheduler";
const INSTANCE: &str = "default-scheduler-master";

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn key(pod: &Value) -> String {
    format!(
        "{}/{}",
        text(pod, "/metadata/namespace"),
        text(pod, "/metadata/name")
    )
}

fn terminal(pod: &Value) -> bool {
    matches!(text(pod, "/status/phase"), "Succeeded" | "Failed")
}

fn bound(pod: &Value) -> bool {
    !text(pod, "/spec/nodeName").is_empty()
}

/// A pod this scheduler should place: no node, not being deleted, not finished, ours, and
/// not held back by scheduling gates.
pub fn pending(pod: &Value) -> bool {
    let scheduler = text(pod, "/spec/schedulerName");
    !bound(pod)
        && pod.pointer("/metadata/deletionTimestamp").is_none()
        && !terminal(pod)
        && (scheduler.is_empty() || scheduler == SCHEDULER_NAME)
        && pod
            .pointer("/spec/schedulingGates")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
}

/// A change that may have made room on a node: a bound pod deleted or finished.
fn frees_room(e: &WatchEvent) -> bool {
    bound(&e.object) && (e.kind == "DELETED" || terminal(&e.object))
}

/// Runs one pass; returns whether it wrote anything.
pub fn run(ctx: &Context) -> Result<bool, ApiError> {
    let Some(Work {
        retry_all,
        fresh,
        pods,
    }) = find_work(ctx)?
    else {
        return Ok(false);
    };
    let mut queue: Vec<(super::model::PodInfo, &Value)> = pods
        .iter()
        .filter(|p| pending(p) && (retry_all || fresh.contains(&key(p))))
        .map(|p| (parse::pod(p), p))
        .collect();
    if queue.is_empty() {
        return Ok(false);
    }
    queue.sort_by(|a, b| queue::order(&a.0, &b.0));
    let mut nodes = snapshot(ctx, &pods)?;
    let mut wrote = false;
    for (info, obj) in &queue {
        match schedule_one(info, &nodes) {
            Ok(i) => {
                if bind(ctx, obj, &nodes[i].name)? {
                    nodes[i].add_pod(info);
                    wrote = true;
                }
            }
            Err(diagnosis) => {
                wrote |= report_unschedulable(ctx, obj, &diagnosis, info.never_preempts)?
            }
        }
    }
    Ok(wrote)
}

/// What a pass has to do.
struct Work {
    /// Reconsider every pending pod, not only the fresh ones.
    retry_all: bool,
    /// `namespace/name` of the pending pods that changed.
    fresh: HashSet<String>,
    /// Every pod, read once: pending ones to place, bound ones for the nodes' usage.
    pods: Vec<Value>,
}

/// The work of this pass; None when there is nothing to do.
fn find_work(ctx: &Context) -> Result<Option<Work>, ApiError> {
    let events = ctx.changed("pods")?;
    let full_resync = ctx.since == 0;
    let retry_all =
        full_resync || events.iter().any(frees_room) || !ctx.changed("nodes")?.is_empty();
    let fresh: HashSet<String> = events
        .iter()
        .filter(|e| e.kind != "DELETED" && pending(&e.object))
        .map(|e| key(&e.object))
        .collect();
    if !retry_all && fresh.is_empty() {
        return Ok(None);
    }
    if full_resync {
        // The change log of a full resync is the whole list already.
        let pods = events
            .iter()
            .filter(|e| e.kind != "DELETED")
            .map(|e| e.object.clone())
            .collect();
        return Ok(Some(Work {
            retry_all: true,
            fresh,
            pods,
        }));
    }
    if fresh.is_empty() {
        // Only a retry: first ask, cheaply, whether anything is pending at all.
        let unscheduled = ListOptions {
            field_selector: Some("spec.nodeName=".to_string()),
            ..Default::default()
        };
        if !ctx.list("pods", None, &unscheduled)?.iter().any(pending) {
            return Ok(None);
        }
    }
    let pods = ctx.list("pods", None, &ListOptions::default())?;
    Ok(Some(Work {
        retry_all,
        fresh,
        pods,
    }))
}

/// Every node, sorted by name, with the requests of the unfinished pods bound to it.
fn snapshot(ctx: &Context, pods: &[Value]) -> Result<Vec<NodeInfo>, ApiError> {
    let mut nodes: Vec<NodeInfo> = ctx
        .list("nodes", None, &ListOptions::default())?
        .iter()
        .map(parse::node)
        .collect();
    nodes.sort_by(|a, b| a.name.cmp(&b.name));
    let index: HashMap<String, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.clone(), i))
        .collect();
    for pod in pods.iter().filter(|p| bound(p) && !terminal(p)) {
        if let Some(&i) = index.get(text(pod, "/spec/nodeName")) {
            let (requested, non_zero) = requests::pod_requests(&pod["spec"]);
            let node = &mut nodes[i];
            node.requested.add(&requested);
            node.non_zero_requested.add(&non_zero);
            node.pod_count += 1;
        }
    }
    Ok(nodes)
}

fn involved(pod: &Value) -> Value {
    with_type_meta(pod.clone(), "v1", "Pod")
}

fn reporter(action: &str) -> Reporter<'_> {
    Reporter::Controller {
        name: SCHEDULER_NAME,
        instance: INSTANCE,
        action,
    }
}

/// Binds a pod and records `Scheduled`. False when the pod was meanwhile bound elsewhere,
/// deleted or is being deleted (the binding is refused; nothing to do).
fn bind(ctx: &Context, pod: &Value, node: &str) -> Result<bool, ApiError> {
    let namespace = text(pod, "/metadata/namespace");
    let name = text(pod, "/metadata/name");
    match ctx.client.bind(namespace, name, node) {
        Ok(()) => {}
        Err(e) if e.code == 404 || e.code == 409 => return Ok(false),
        Err(e) => return Err(e),
    }
    let message = format!("Successfully assigned {namespace}/{name} to {node}");
    record(
        ctx,
        &NewEvent {
            involved: &involved(pod),
            kind: "Normal",
            reason: "Scheduled",
            message: &message,
            field_path: None,
            reporter: reporter("Binding"),
        },
    )?;
    Ok(true)
}

/// Records `FailedScheduling` and sets PodScheduled=False with the message, unless the pod
/// already says exactly that. Returns whether it wrote.
fn report_unschedulable(
    ctx: &Context,
    pod: &Value,
    diagnosis: &Diagnosis,
    never_preempts: bool,
) -> Result<bool, ApiError> {
    let message = fit_error::message(diagnosis, never_preempts);
    let current = pod
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| text(c, "/type") == "PodScheduled"));
    if current.is_some_and(|c| {
        text(c, "/status") == "False"
            && text(c, "/reason") == "Unschedulable"
            && text(c, "/message") == message
    }) {
        return Ok(false);
    }
    record(
        ctx,
        &NewEvent {
            involved: &involved(pod),
            kind: "Warning",
            reason: "FailedScheduling",
            message: &message,
            field_path: None,
            reporter: reporter("Scheduling"),
        },
    )?;
    let since = current
        .filter(|c| text(c, "/status") == "False")
        .and_then(|c| c.get("lastTransitionTime").cloned())
        .unwrap_or_else(|| json!(crate::cluster::clock::timestamp(ctx.now)));
    let condition = json!({
        "type": "PodScheduled", "status": "False", "lastProbeTime": null,
        "lastTransitionTime": since, "reason": "Unschedulable", "message": message,
    });
    let mut updated = pod.clone();
    set_condition(&mut updated, condition);
    let pods = ctx.resource("pods")?;
    let namespace = text(pod, "/metadata/namespace");
    let name = text(pod, "/metadata/name");
    match ctx.client.update_status(
        pods,
        Some(namespace),
        name,
        updated,
        &WriteOptions::default(),
    ) {
        // A conflict means the pod changed: the next pass sees it again.
        Ok(_) => Ok(true),
        Err(e) if e.code == 404 || e.code == 409 => Ok(true),
        Err(e) => Err(e),
    }
}

/// Replaces the pod's PodScheduled condition, or appends it.
fn set_condition(pod: &mut Value, condition: Value) {
    let Some(obj) = pod.as_object_mut() else {
        return;
    };
    let status = obj.entry("status").or_insert_with(|| json!({}));
    let Some(status) = status.as_object_mut() else {
        return;
    };
    let conditions = status.entry("conditions").or_insert_with(|| json!([]));
    if let Some(list) = conditions.as_array_mut() {
        match list
            .iter_mut()
            .find(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"))
        {
            Some(c) => *c = condition,
            None => list.push(condition),
        }
    }
}
