//! The node lifecycle controller (`--node-monitor-grace-period=40s`): a node whose kubelet
//! has not renewed its Lease for the grace period gets Unknown conditions and the
//! `node.kubernetes.io/unreachable` taints; a node whose kubelet reports NotReady gets the
//! `not-ready` ones; both go when the kubelet reports Ready again. Taint-based eviction
//! deletes pods that do not tolerate a NoExecute taint, or tolerate it for a while only,
//! when that while is up.

mod eviction;

pub use eviction::tolerates;

use super::common as c;
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::clock::{parse_timestamp, timestamp};
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

const NAME: &str = "node-controller";
/// `--node-monitor-grace-period`'s default.
pub const GRACE_SECONDS: i64 = 40;
pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// The node lifecycle controller, run by the controller runtime.
pub type NodeLifecycleController = Controller<Nodes>;

pub struct Nodes {
    /// How long a node's kubelet may be silent before the node is marked Unknown, in seconds
    /// (`--node-monitor-grace-period`).
    grace: i64,
}

impl Default for Nodes {
    fn default() -> Self {
        Nodes {
            grace: GRACE_SECONDS,
        }
    }
}

impl Nodes {
    /// The controller with a grace period of `seconds`.
    pub fn with_grace(seconds: i64) -> Self {
        Nodes { grace: seconds }
    }
}

impl Reconciler for Nodes {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Nodes, their Leases (named after them), and the pods bound to them. A new process
    /// does not know when leases run out: it looks at every node once.
    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "nodes",
                kind: "Node",
                api_version: "v1",
            },
            others: vec![
                Trigger {
                    plural: "leases",
                    mapping: Mapping::By(|_, ev, wake| {
                        if c::namespace(&ev.object) == LEASES {
                            wake.key("", c::name(&ev.object));
                        }
                        Ok(())
                    }),
                },
                Trigger {
                    plural: "pods",
                    mapping: Mapping::By(|_, ev, wake| {
                        let node = c::str_at(&ev.object, "/spec/nodeName");
                        if !node.is_empty() {
                            wake.key("", node);
                        }
                        Ok(())
                    }),
                },
            ],
            timed: Some(|_| true),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        node: &Value,
    ) -> Result<Reconciled, ApiError> {
        let (leases, by_name) = cache.indexed(ctx, "leases", Some(LEASES), "name", lease_name)?;
        let renewed = by_name
            .keyed(c::name(node))
            .first()
            .map(|&i| &leases[i])
            .and_then(|l| DateTime::parse_from_rfc3339(c::str_at(l, "/spec/renewTime")).ok())
            .map(|t| t.with_timezone(&Utc));
        let last = renewed
            .or_else(|| ready_heartbeat(node))
            .or_else(|| c::time_at(node, "/metadata/creationTimestamp"));
        let stale_at = last.map(|t| t + Duration::seconds(self.grace));
        let mut wrote = false;
        let mut due = None;
        let node = if stale_at.is_some_and(|s| s <= ctx.now) {
            let (w, node) = mark_unknown(ctx, cache, node.clone())?;
            wrote |= w;
            node
        } else {
            due = stale_at;
            node.clone()
        };
        let (w, node) = sync_taints(ctx, node)?;
        wrote |= w;
        let (w, evict_at) = eviction::evict(ctx, cache, &node)?;
        wrote |= w;
        Ok(Reconciled::wrote(wrote).requeue_at(ctx, c::earliest(due, evict_at)))
    }
}

/// Where kubelets renew their Leases.
const LEASES: &str = "kube-node-lease";

/// A node's Lease is named after it: the lease index's key (a thousand nodes must not each
/// scan a thousand leases).
fn lease_name(lease: &Value) -> Option<&str> {
    lease.pointer("/metadata/name").and_then(Value::as_str)
}

fn ready_heartbeat(node: &Value) -> Option<DateTime<Utc>> {
    condition(node, "Ready")
        .and_then(|c| c.get("lastHeartbeatTime"))
        .and_then(Value::as_str)
        .and_then(parse_timestamp)
}

fn condition<'a>(node: &'a Value, kind: &str) -> Option<&'a Value> {
    node.pointer("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
}

fn ready_status(node: &Value) -> &str {
    condition(node, "Ready")
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str)
        .unwrap_or("Unknown")
}

/// Node events carry the node's name as uid, as kube's node controller records them.
fn node_ref(node: &Value) -> Value {
    json!({"kind": "Node", "apiVersion": "v1",
           "metadata": {"name": c::name(node), "uid": c::name(node)}})
}

/// Every condition Unknown ("Kubelet stopped posting node status."), pods marked not ready,
/// and the NodeNotReady events.
fn mark_unknown(ctx: &Context, cache: &mut Cache, node: Value) -> Result<(bool, Value), ApiError> {
    if ready_status(&node) == "Unknown" && condition(&node, "Ready").is_some() {
        return Ok((false, node));
    }
    let now = timestamp(ctx.now);
    let mut updated = node.clone();
    if let Some(conds) = updated
        .pointer_mut("/status/conditions")
        .and_then(Value::as_array_mut)
    {
        for cond in conds.iter_mut() {
            if cond.get("status").and_then(Value::as_str) != Some("Unknown") {
                cond["status"] = json!("Unknown");
                cond["lastTransitionTime"] = json!(now);
            }
            cond["reason"] = json!("NodeStatusUnknown");
            cond["message"] = json!("Kubelet stopped posting node status.");
        }
    }
    let r = ctx.resource("nodes")?;
    let saved =
        ctx.client
            .update_status(r, None, c::name(&node), updated, &WriteOptions::default())?;
    let message = format!("Node {} status is now: NodeNotReady", c::name(&node));
    c::record(
        ctx,
        NAME,
        &node_ref(&node),
        "Normal",
        "NodeNotReady",
        &message,
    )?;
    mark_pods_not_ready(ctx, cache, c::name(&node))?;
    Ok((true, c::with_kind(saved, "Node", "v1")))
}

/// The pods of an unreachable node are no longer Ready.
fn mark_pods_not_ready(ctx: &Context, cache: &mut Cache, node: &str) -> Result<(), ApiError> {
    let r = ctx.resource("pods")?;
    for slim in eviction::pods_on(ctx, cache, node)? {
        if !c::pod_is_ready(&slim) {
            continue;
        }
        // Written back whole: the slim pod is not the pod.
        let Some(pod) = eviction::whole(ctx, &slim)? else {
            continue;
        };
        if !c::pod_is_ready(&pod) {
            continue;
        }
        let mut updated = pod.clone();
        if let Some(conds) = updated
            .pointer_mut("/status/conditions")
            .and_then(Value::as_array_mut)
        {
            for cond in conds.iter_mut() {
                if cond.get("type").and_then(Value::as_str) == Some("Ready") {
                    cond["status"] = json!("False");
                    cond["lastTransitionTime"] = json!(timestamp(ctx.now));
                }
            }
        }
        match ctx.client.update_status(
            r,
            Some(c::namespace(&pod)),
            c::name(&pod),
            updated,
            &WriteOptions::default(),
        ) {
            Ok(_) => {}
            Err(e) if e.code == 404 || e.code == 409 => continue,
            Err(e) => return Err(e),
        }
        c::record(
            ctx,
            NAME,
            &pod,
            "Warning",
            "NodeNotReady",
            "Node is not ready",
        )?;
    }
    Ok(())
}

/// The taints the node's Ready condition calls for: unreachable when Unknown, not-ready
/// when False, none when True, and unschedulable while cordoned (so the `not-ready:NoSchedule` taint a new Node is admitted
/// with goes once it is Ready). The kubelet, not this controller, reports NodeReady.
fn sync_taints(ctx: &Context, node: Value) -> Result<(bool, Value), ApiError> {
    let status = ready_status(&node);
    let mut wanted: Vec<(&str, &str)> = match status {
        "Unknown" => vec![(UNREACHABLE, "NoSchedule"), (UNREACHABLE, "NoExecute")],
        "False" => vec![(NOT_READY, "NoSchedule"), (NOT_READY, "NoExecute")],
        _ => Vec::new(),
    };
    // A cordoned node (spec.unschedulable) carries the unschedulable taint.
    if node.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        wanted.push((UNSCHEDULABLE, "NoSchedule"));
    }
    let taints: Vec<Value> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let key_effect = |t: &Value| {
        (
            t.get("key")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            t.get("effect")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        )
    };
    let is_wanted = |t: &Value| {
        let (k, e) = key_effect(t);
        wanted.iter().any(|(wk, we)| *wk == k && *we == e)
    };
    let managed = |t: &Value| {
        matches!(
            t.get("key").and_then(Value::as_str),
            Some(UNREACHABLE | NOT_READY | UNSCHEDULABLE)
        )
    };
    let mut kept: Vec<Value> = taints
        .iter()
        .filter(|t| !managed(t) || is_wanted(t))
        .cloned()
        .collect();
    for (key, effect) in &wanted {
        let present = kept
            .iter()
            .any(|t| key_effect(t) == (key.to_string(), effect.to_string()));
        if !present {
            kept.push(json!({"key": key, "effect": effect, "timeAdded": timestamp(ctx.now)}));
        }
    }
    if kept == taints {
        return Ok((false, node));
    }
    let mut updated = node.clone();
    if let Some(m) = updated.as_object_mut() {
        m.shift_remove("status");
    }
    updated["spec"]["taints"] = if kept.is_empty() {
        Value::Null
    } else {
        Value::Array(kept)
    };
    if let Some(spec) = updated.get_mut("spec").and_then(Value::as_object_mut)
        && spec.get("taints").is_some_and(Value::is_null)
    {
        spec.shift_remove("taints");
    }
    let r = ctx.resource("nodes")?;
    let saved = ctx
        .client
        .update(r, None, c::name(&node), updated, &WriteOptions::default())?;
    Ok((true, c::with_kind(saved, "Node", "v1")))
}

#[cfg(test)]
#[path = "node_lifecycle_tests.rs"]
mod tests;
