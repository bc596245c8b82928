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

use super::candidate::{Candidate, SCHEDULER_NAME, bound, pending, terminal};
use super::framework::schedule_one;
use super::model::{NodeInfo, PodInfo, RunningPod};
use super::nominations::Nominations;
use super::placement::{self, NamespaceLabels, Placement};
use super::preemption::{self, Verdict, budgets::Budget};
use super::retries::Retries;
use super::unbound::Unbound;
use super::usage::Usage;
use super::{fit_error, parse, queue};
use crate::api::options::{DeleteOptions, ListOptions, WatchEvent, WriteOptions};
use crate::api::status::ApiError;
use crate::print::list::with_type_meta;
use crate::runtime::Context;
use crate::runtime::events::{NewEvent, Reporter, record};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashSet};

const INSTANCE: &str = "default-scheduler-master";

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// A change that may have made room on a node: a bound pod deleted or finished.
fn frees_room(e: &WatchEvent) -> bool {
    bound(&e.object) && (e.kind == "DELETED" || terminal(&e.object))
}

/// What the scheduler keeps between passes.
#[derive(Default)]
pub struct State {
    /// What the bound pods request, once read (kept up to date from the changes).
    pub usage: Option<Usage>,
    pub nominated: Nominations,
    pub retries: Retries,
    /// The pods without a node, once read (kept up to date from the change log).
    pub unbound: Option<Unbound>,
}

/// Runs one pass; returns whether it wrote anything.
pub fn run(ctx: &Context, state: &mut State) -> Result<bool, ApiError> {
    // Every pass's changes keep the usage and nominations current, whether or not there is
    // work.
    // A full resync retries every pending pod, as a timed retry does.
    let (work, timed_retry) = if ctx.since == 0 {
        // A full resync reads only the pods without a node, a page at a time: the change
        // log of a full resync would be every pod, whole (gigabytes at 100,000 pods).
        state.usage = None;
        state.unbound = None;
        state.nominated.clear();
        (resync_work(ctx, state)?, true)
    } else {
        let changes = ctx.changed("pods")?;
        if let Some(u) = state.usage.as_mut() {
            u.apply(&changes);
        }
        state.nominated.apply(&changes);
        state.retries.apply(&changes, pending);
        let timed_retry = state.retries.any_due(ctx.now);
        let work = find_work(ctx, timed_retry, &mut state.unbound)?;
        if timed_retry {
            state.retries.primed();
        }
        (work, timed_retry)
    };
    let Some(mut queue) = work else {
        return Ok(false);
    };
    if queue.is_empty() {
        return Ok(false);
    }
    queue.sort_by(|a, b| queue::order(&a.info, &b.info));
    let usage = match &mut state.usage {
        Some(u) => u,
        None => state.usage.insert(Usage::load(ctx)?),
    };
    let mut nodes = snapshot(ctx, usage)?;
    // No bound pod below this priority: pods at or under it find no victims, and the pods
    // of each node need not be gathered for them (the common case of no PriorityClasses).
    let mut lowest = usage.lowest_priority();
    // Pods whose nomination a preemption of higher priority took away in this pass.
    let mut cleared: HashSet<(String, String)> = HashSet::new();
    // Namespace labels, read once a pod's affinity selects namespaces by them.
    let mut namespaces: Option<NamespaceLabels> = None;
    // Whether a bound pod has pod (anti-)affinity: read once, kept up as pods bind.
    let mut any_bound_affinity = usage.any_pod_affinity();
    let mut wrote = false;
    for c in &mut queue {
        let mut delayed = Vec::new();
        if !c.claims.is_empty() {
            match super::volumes::check(ctx, &c.info.namespace, &c.claims)? {
                super::volumes::Claims::Refused(reason) => {
                    let message =
                        fit_error::pre_filter_message(nodes.len(), &reason, c.info.never_preempts);
                    if c.reported.as_deref() == Some(message.as_str()) {
                        continue;
                    }
                    let Some(obj) = c.object(ctx)? else {
                        continue;
                    };
                    wrote |= report_message(ctx, &obj, &message, &Nomination::Keep)?;
                    continue;
                }
                // Waiting for its volumes to be provisioned on the node chosen earlier.
                super::volumes::Claims::Ready {
                    provisioning: true, ..
                } => continue,
                super::volumes::Claims::Ready {
                    nodes: allowed,
                    delayed: unbound,
                    ..
                } => {
                    c.info.volume_nodes = allowed;
                    delayed = unbound;
                }
            }
        }
        if cleared.remove(&(c.info.namespace.clone(), c.info.name.clone())) {
            c.info.nominated_node.clear();
        }
        let view = state.nominated.view(&nodes, &c.info);
        let placement = placement_for(
            ctx,
            &c.info,
            &view,
            usage,
            any_bound_affinity,
            &mut namespaces,
        )?;
        match schedule_one(&c.info, &view, placement.as_ref()) {
            Ok(i) if !delayed.is_empty() => {
                // PreBind: the claims learn the node; the pod is bound once they are.
                super::volumes::select_node(ctx, &delayed, &nodes[i].name)?;
                wrote = true;
            }
            Ok(i) => {
                let Some(obj) = c.object(ctx)? else {
                    continue;
                };
                if bind(ctx, &obj, &nodes[i].name)? {
                    state.retries.forget(&c.info.namespace, &c.info.name);
                    lowest = Some(lowest.map_or(c.info.priority, |l| l.min(c.info.priority)));
                    nodes[i].add_pod(&c.info);
                    usage.bound(&c.info, &nodes[i].name);
                    any_bound_affinity |= c.info.pod_affinity.is_some();
                    state.nominated.forget(&c.info);
                    wrote = true;
                }
            }
            Err(diagnosis) => {
                let now = crate::clock::timestamp(ctx.now);
                let by_node = if lowest.is_some_and(|l| l < c.info.priority) {
                    usage.pods_by_node()
                } else {
                    Default::default()
                };
                let verdict = preemption::preempt(
                    &c.info,
                    &view,
                    &diagnosis,
                    &by_node,
                    placement.as_ref(),
                    &mut || load_budgets(ctx),
                    &now,
                )?;
                let (message, nomination, victims) = match verdict {
                    Verdict::Nominate { node, victims } => (
                        fit_error::message(&diagnosis, None),
                        Nomination::Set(nodes[node].name.clone()),
                        victims.into_iter().cloned().collect(),
                    ),
                    Verdict::Refused {
                        message,
                        clear_nomination,
                    } => {
                        let clear = clear_nomination && !c.info.nominated_node.is_empty();
                        if clear {
                            state.nominated.forget(&c.info);
                        }
                        (
                            fit_error::message(&diagnosis, Some(&message)),
                            if clear {
                                Nomination::Clear
                            } else {
                                Nomination::Keep
                            },
                            Vec::new(),
                        )
                    }
                };
                drop(by_node);
                drop(view);
                if let Nomination::Set(node) = &nomination {
                    for v in &victims {
                        evict(ctx, &c.info, v, node)?;
                        usage.preempted(&v.namespace, &v.name);
                    }
                    // Pods of lower priority nominated to that node may no longer fit there:
                    // their nomination is taken away, and they are tried anew.
                    for q in state.nominated.take_lower(node, &c.info) {
                        clear_nomination(ctx, &q)?;
                        cleared.insert((q.namespace, q.name));
                    }
                    state.nominated.nominate(&c.info, node);
                    wrote = true;
                }
                let unchanged = c.reported.as_deref() == Some(message.as_str())
                    && matches!(nomination, Nomination::Keep);
                if unchanged && !timed_retry {
                    // Already says so: nothing to write.
                    continue;
                }
                let Some(obj) = c.object(ctx)? else {
                    continue;
                };
                if !unchanged {
                    wrote |= report_message(ctx, &obj, &message, &nomination)?;
                    state
                        .retries
                        .attempted(&c.info.namespace, &c.info.name, ctx.now);
                } else if state.retries.due(ctx, &obj)? {
                    // The periodic retry failed again: one more FailedScheduling.
                    record_failed(ctx, &obj, &message)?;
                    state
                        .retries
                        .attempted(&c.info.namespace, &c.info.name, ctx.now);
                    wrote = true;
                }
            }
        }
    }
    Ok(wrote)
}

/// What the cluster-wide plugins (topology spread, inter-pod affinity) gather for a pod,
/// when the pod or a bound pod asks for them.
fn placement_for(
    ctx: &Context,
    pod: &PodInfo,
    nodes: &[NodeInfo],
    usage: &Usage,
    any_bound_affinity: bool,
    namespaces: &mut Option<NamespaceLabels>,
) -> Result<Option<Placement>, ApiError> {
    if !Placement::applies(pod, any_bound_affinity) {
        return Ok(None);
    }
    let pods_on = usage.pods_by_node();
    if namespaces.is_none()
        && placement::needs_namespace_labels(pod, pods_on.values().flatten().copied())
    {
        let mut labels = NamespaceLabels::new();
        ctx.list_pages(
            "namespaces",
            None,
            &ListOptions::default(),
            None,
            &mut |page| {
                for ns in page {
                    let name = text(&ns, "/metadata/name").to_string();
                    let l = ns.pointer("/metadata/labels").and_then(Value::as_object);
                    labels.insert(name, l.cloned().unwrap_or_default());
                }
                Ok(())
            },
        )?;
        *namespaces = Some(labels);
    }
    let none = NamespaceLabels::new();
    Ok(Placement::new(
        pod,
        nodes,
        &pods_on,
        namespaces.as_ref().unwrap_or(&none),
    ))
}

/// The pending pods this pass may place, as they are now; None when there is nothing to
/// do. Pods already bound count only through the node snapshot.
fn find_work(
    ctx: &Context,
    timed_retry: bool,
    unbound: &mut Option<Unbound>,
) -> Result<Option<Vec<Candidate>>, ApiError> {
    let events = ctx.changed("pods")?;
    let retry_all = timed_retry
        || events.iter().any(frees_room)
        || !ctx.changed("nodes")?.is_empty()
        || !ctx.changed("persistentvolumeclaims")?.is_empty();
    let fresh: BTreeSet<(String, String)> = events
        .iter()
        .filter(|e| e.kind != "DELETED" && pending(&e.object))
        .map(|e| {
            (
                text(&e.object, "/metadata/namespace").to_string(),
                text(&e.object, "/metadata/name").to_string(),
            )
        })
        .collect();
    if !retry_all && fresh.is_empty() {
        return Ok(None);
    }
    if retry_all {
        // Every pending pod, as they are now: from the pods without a node kept between
        // passes, else a page at a time (kept for the next pass if they are few); the
        // objects are read again when written.
        if let Some(kept) = unbound.as_mut()
            && kept.catch_up(ctx)?
        {
            let pods: Vec<Candidate> = kept.pods().cloned().collect();
            return Ok((!pods.is_empty()).then_some(pods));
        }
        let pods = list_unbound(ctx, unbound, &mut |_| {})?;
        return Ok((!pods.is_empty()).then_some(pods));
    }
    // Only the fresh pods, each read as it is now (a later change may have bound or
    // deleted it).
    let r = ctx.resource("pods")?;
    let mut pods = Vec::with_capacity(fresh.len());
    for (namespace, name) in &fresh {
        match ctx.client.get(r, Some(namespace), name) {
            Ok(mut pod) => {
                if let Some(m) = pod.as_object_mut() {
                    m.shift_remove("apiVersion");
                    m.shift_remove("kind");
                }
                if pending(&pod) {
                    pods.push(Candidate::new(&pod, true));
                }
            }
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(pods))
}

/// The work of a full resync: every pending pod, from the pods without a node (also the
/// only ones a nomination or a retry is kept for).
fn resync_work(ctx: &Context, state: &mut State) -> Result<Option<Vec<Candidate>>, ApiError> {
    let nominated = &mut state.nominated;
    let pods = list_unbound(ctx, &mut state.unbound, &mut |pod| nominated.note(pod))?;
    let waiting: HashSet<(String, String)> = pods
        .iter()
        .map(|c| (c.info.namespace.clone(), c.info.name.clone()))
        .collect();
    state.retries.keep_only(&waiting);
    state.retries.primed();
    Ok((!pods.is_empty()).then_some(pods))
}

/// The pending pods among those without a node, read a page at a time (kept in `unbound`
/// for the next pass if they are few), each shown to `visit`; the objects are read again
/// when written.
fn list_unbound(
    ctx: &Context,
    unbound: &mut Option<Unbound>,
    visit: &mut dyn FnMut(&Value),
) -> Result<Vec<Candidate>, ApiError> {
    let unscheduled = ListOptions {
        field_selector: Some("spec.nodeName=".to_string()),
        ..Default::default()
    };
    let mut pods = Vec::new();
    let mut keep = Unbound::collecting();
    let revision = ctx.list_pages("pods", None, &unscheduled, None, &mut |page| {
        let start = pods.len();
        for p in &page {
            visit(p);
        }
        pods.extend(
            page.iter()
                .filter(|p| pending(p))
                .map(|p| Candidate::new(p, false)),
        );
        keep.extend(&pods[start..]);
        Ok(())
    })?;
    *unbound = keep.finish(revision);
    Ok(pods)
}

/// Every node, sorted by name, with the requests of the unfinished pods bound to it.
fn snapshot(ctx: &Context, usage: &Usage) -> Result<Vec<NodeInfo>, ApiError> {
    let mut nodes: Vec<NodeInfo> = ctx
        .list("nodes", None, &ListOptions::default())?
        .iter()
        .map(parse::node)
        .collect();
    nodes.sort_by(|a, b| a.name.cmp(&b.name));
    usage.fill(&mut nodes);
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

/// What a failed attempt does to the pod's `status.nominatedNodeName`.
enum Nomination {
    Keep,
    Set(String),
    Clear,
}

/// Records `FailedScheduling` with `message` and sets PodScheduled=False with it (and the
/// nomination), unless the pod already says exactly that. Returns whether it wrote.
fn report_message(
    ctx: &Context,
    pod: &Value,
    message: &str,
    nomination: &Nomination,
) -> Result<bool, ApiError> {
    let message = message.to_string();
    let current = pod
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| text(c, "/type") == "PodScheduled"));
    let nominated = text(pod, "/status/nominatedNodeName");
    let nomination_holds = match nomination {
        Nomination::Keep => true,
        Nomination::Set(node) => nominated == node,
        Nomination::Clear => nominated.is_empty(),
    };
    if nomination_holds
        && current.is_some_and(|c| {
            text(c, "/status") == "False"
                && text(c, "/reason") == "Unschedulable"
                && text(c, "/message") == message
        })
    {
        return Ok(false);
    }
    record_failed(ctx, pod, &message)?;
    let since = current
        .filter(|c| text(c, "/status") == "False")
        .and_then(|c| c.get("lastTransitionTime").cloned())
        .unwrap_or_else(|| json!(crate::clock::timestamp(ctx.now)));
    let condition = json!({
        "type": "PodScheduled", "status": "False", "lastProbeTime": null,
        "lastTransitionTime": since, "reason": "Unschedulable", "message": message,
    });
    let mut updated = pod.clone();
    set_condition(&mut updated, condition);
    if let Some(status) = updated.get_mut("status").and_then(Value::as_object_mut) {
        match nomination {
            Nomination::Keep => {}
            Nomination::Set(node) => {
                status.insert("nominatedNodeName".into(), json!(node));
            }
            Nomination::Clear => {
                status.shift_remove("nominatedNodeName");
            }
        }
    }
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

fn record_failed(ctx: &Context, pod: &Value, message: &str) -> Result<(), ApiError> {
    record(
        ctx,
        &NewEvent {
            involved: &involved(pod),
            kind: "Warning",
            reason: "FailedScheduling",
            message,
            field_path: None,
            reporter: reporter("Scheduling"),
        },
    )
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

/// Removes a pod's `status.nominatedNodeName`.
fn clear_nomination(ctx: &Context, pod: &PodInfo) -> Result<(), ApiError> {
    let pods = ctx.resource("pods")?;
    let namespace = Some(pod.namespace.as_str());
    let mut obj = match ctx.client.get(pods, namespace, &pod.name) {
        Ok(o) => o,
        Err(e) if e.code == 404 => return Ok(()),
        Err(e) => return Err(e),
    };
    let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    if status.shift_remove("nominatedNodeName").is_none() {
        return Ok(());
    }
    match ctx
        .client
        .update_status(pods, namespace, &pod.name, obj, &WriteOptions::default())
    {
        Ok(_) => Ok(()),
        // Gone or changed: the next pass sees it as it is.
        Err(e) if e.code == 404 || e.code == 409 => Ok(()),
        Err(e) => Err(e),
    }
}

/// Every PodDisruptionBudget, for preemption to weigh.
fn load_budgets(ctx: &Context) -> Result<Vec<Budget>, ApiError> {
    Ok(ctx
        .list("poddisruptionbudgets", None, &ListOptions::default())?
        .iter()
        .map(Budget::parse)
        .collect())
}

/// Preempts one victim as kube-scheduler does: marks it with a DisruptionTarget condition,
/// deletes it (with its own grace period) and records `Preempted` on it. A victim already
/// gone, or replaced by another pod of that name, is left alone.
fn evict(
    ctx: &Context,
    preemptor: &PodInfo,
    victim: &RunningPod,
    node: &str,
) -> Result<(), ApiError> {
    let pods = ctx.resource("pods")?;
    let namespace = Some(victim.namespace.as_str());
    let mut obj = match ctx.client.get(pods, namespace, &victim.name) {
        Ok(o) => o,
        Err(e) if e.code == 404 => return Ok(()),
        Err(e) => return Err(e),
    };
    if text(&obj, "/metadata/uid") != victim.uid {
        return Ok(());
    }
    let involved = involved(&obj);
    let marker = json!({
        "type": "DisruptionTarget", "status": "True", "lastProbeTime": null,
        "lastTransitionTime": crate::clock::timestamp(ctx.now),
        "reason": parse::PREEMPTION_BY_SCHEDULER,
        "message": format!("{SCHEDULER_NAME}: preempting to accommodate a higher priority pod"),
    });
    if let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) {
        let conditions = status.entry("conditions").or_insert_with(|| json!([]));
        if let Some(list) = conditions.as_array_mut() {
            list.retain(|c| text(c, "/type") != "DisruptionTarget");
            list.push(marker);
        }
    }
    match ctx
        .client
        .update_status(pods, namespace, &victim.name, obj, &WriteOptions::default())
    {
        Ok(_) => {}
        Err(e) if e.code == 404 => return Ok(()),
        // Changed meanwhile: it is deleted all the same.
        Err(e) if e.code == 409 => {}
        Err(e) => return Err(e),
    }
    match ctx
        .client
        .delete(pods, namespace, &victim.name, &DeleteOptions::default())
    {
        Ok(_) => {}
        Err(e) if e.code == 404 => return Ok(()),
        Err(e) => return Err(e),
    }
    let message = format!("Preempted by pod {} on node {node}", preemptor.uid);
    record(
        ctx,
        &NewEvent {
            involved: &involved,
            kind: "Normal",
            reason: "Preempted",
            message: &message,
            field_path: None,
            reporter: reporter("Preempting"),
        },
    )
}
