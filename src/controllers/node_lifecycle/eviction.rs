//! Taint-based eviction (kube's taint-eviction-controller): a pod on a node with NoExecute
//! taints is deleted at once if it does not tolerate one of them, at `timeAdded +
//! tolerationSeconds` if it tolerates them for a while, never if it tolerates them forever.

use crate::api::options::{DeleteOptions, WriteOptions};
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::controllers::common as c;
use crate::runtime::{Cache, Context};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

const NAME: &str = "taint-eviction-controller";

/// The pods bound to a node, slim (enough to choose among them, not to write them), from
/// the controller's kept list of every pod with an index by node: a pass over many nodes
/// going NotReady must not scan every pod of the cluster for each of them.
pub fn pods_on(ctx: &Context, cache: &mut Cache, node: &str) -> Result<Vec<Value>, ApiError> {
    let (pods, by_node) = cache.indexed(ctx, "pods", None, "node", node_name)?;
    Ok(by_node
        .keyed(node)
        .iter()
        .map(|&i| pods[i].clone())
        .collect())
}

fn node_name(pod: &Value) -> Option<&str> {
    pod.pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
}

/// The whole pod a slim one stands for, as stored now (None once it is gone).
pub fn whole(ctx: &Context, slim: &Value) -> Result<Option<Value>, ApiError> {
    let r = ctx.resource("pods")?;
    match ctx.client.get(r, Some(c::namespace(slim)), c::name(slim)) {
        Ok(pod) => Ok(Some(c::with_kind(pod, "Pod", "v1"))),
        Err(e) if e.code == 404 => Ok(None),
        Err(e) => Err(e),
    }
}

/// Evicts what is due on one node; returns whether it wrote and the next eviction time.
pub fn evict(
    ctx: &Context,
    cache: &mut Cache,
    node: &Value,
) -> Result<(bool, Option<DateTime<Utc>>), ApiError> {
    let taints: Vec<&Value> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|t| t.get("effect").and_then(Value::as_str) == Some("NoExecute"))
                .collect()
        })
        .unwrap_or_default();
    if taints.is_empty() {
        return Ok((false, None));
    }
    let mut wrote = false;
    let mut due = None;
    for slim in pods_on(ctx, cache, c::name(node))? {
        if c::is_terminating(&slim) {
            continue;
        }
        // Slim pods carry no tolerations.
        let Some(pod) = whole(ctx, &slim)? else {
            continue;
        };
        if c::is_terminating(&pod) || node_name(&pod) != Some(c::name(node)) {
            continue;
        }
        let Some(at) = eviction_time(&pod, &taints, ctx.now) else {
            continue;
        };
        if at > ctx.now {
            due = c::earliest(due, Some(at));
            continue;
        }
        wrote |= delete_pod(ctx, pod)?;
    }
    Ok((wrote, due))
}

/// When the pod must go, if ever.
pub fn eviction_time(pod: &Value, taints: &[&Value], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let tolerations: Vec<Value> = pod
        .pointer("/spec/tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut at: Option<DateTime<Utc>> = None;
    for taint in taints {
        let matching: Vec<&Value> = tolerations.iter().filter(|t| tolerates(t, taint)).collect();
        if matching.is_empty() {
            return Some(now);
        }
        let seconds = matching
            .iter()
            .map(|t| t.get("tolerationSeconds").and_then(Value::as_i64))
            .collect::<Option<Vec<i64>>>();
        // A toleration without tolerationSeconds tolerates the taint forever.
        let Some(seconds) = seconds else { continue };
        let secs = seconds.into_iter().min().unwrap_or(0).max(0);
        let added = c::time_at(taint, "/timeAdded").unwrap_or(now);
        // Tolerated for longer than a timestamp can hold: never evicted for this taint.
        at = c::earliest(at, c::after(added, secs));
    }
    at
}

/// Whether a toleration tolerates a taint (operator Exists or Equal, empty key and effect
/// as wildcards).
pub fn tolerates(toleration: &Value, taint: &Value) -> bool {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let effect = s(toleration, "effect");
    if !effect.is_empty() && effect != s(taint, "effect") {
        return false;
    }
    let key = s(toleration, "key");
    let exists = s(toleration, "operator") == "Exists";
    if key.is_empty() {
        return exists;
    }
    if key != s(taint, "key") {
        return false;
    }
    exists || s(toleration, "value") == s(taint, "value")
}

fn delete_pod(ctx: &Context, pod: Value) -> Result<bool, ApiError> {
    let ns = c::namespace(&pod).to_string();
    let name = c::name(&pod).to_string();
    // kube marks the pod with a DisruptionTarget condition before deleting it.
    let mut marked = pod.clone();
    if let Some(conds) = marked
        .pointer_mut("/status/conditions")
        .and_then(Value::as_array_mut)
    {
        conds.retain(|c| c.get("type").and_then(Value::as_str) != Some("DisruptionTarget"));
        conds.push(json!({
            "type": "DisruptionTarget", "status": "True", "lastProbeTime": null,
            "lastTransitionTime": timestamp(ctx.now), "reason": "DeletionByTaintManager",
            "message": "Taint manager: deleting due to NoExecute taint",
        }));
    }
    let r = ctx.resource("pods")?;
    match ctx
        .client
        .update_status(r, Some(&ns), &name, marked, &WriteOptions::default())
    {
        Ok(_) => {}
        Err(e) if e.code == 404 => return Ok(false),
        Err(e) if e.code == 409 => {}
        Err(e) => return Err(e),
    }
    let message = format!("Marking for deletion Pod {ns}/{name}");
    c::record(ctx, NAME, &pod, "Normal", "TaintManagerEviction", &message)?;
    c::delete(ctx, "pods", Some(&ns), &name, &DeleteOptions::default())?;
    Ok(true)
}
