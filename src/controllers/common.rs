//! Helpers every controller shares: object accessors, owner references, selectors, pod
//! readiness and availability, and events.

use crate::api::options::{DeleteOptions, PatchType, WriteOptions};
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::client::NewObject;
use crate::clock::parse_timestamp;
use crate::runtime::Context;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

/// `metadata.name`.
pub fn name(o: &Value) -> &str {
    meta_str(o, "name")
}

/// `metadata.namespace` ("" for cluster-scoped objects).
pub fn namespace(o: &Value) -> &str {
    meta_str(o, "namespace")
}

/// `metadata.uid`.
pub fn uid(o: &Value) -> &str {
    meta_str(o, "uid")
}

fn meta_str<'a>(o: &'a Value, field: &str) -> &'a str {
    o.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// `metadata.labels`.
pub fn labels(o: &Value) -> Option<&Map<String, Value>> {
    o.pointer("/metadata/labels").and_then(Value::as_object)
}

/// An int32 field at a JSON pointer, or `default`. Every count and duration a controller
/// reads this way is an int32 in kube; a value beyond that range (stored before the API
/// server checked ranges, or written by hand) reads as the nearest int32, so sums and
/// differences of a few of them never overflow an i64.
pub fn int_at(o: &Value, pointer: &str, default: i64) -> i64 {
    let v = o.pointer(pointer).map_or(Some(default), int_of);
    v.unwrap_or(default)
        .clamp(i64::from(i32::MIN), i64::from(i32::MAX))
}

/// A JSON number as an integer: an i64, or the nearest one for a larger integer or a float.
fn int_of(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    n.as_i64().or_else(|| {
        // Saturating: u64 beyond i64, floats (NaN reads as 0).
        n.as_u64()
            .map(|_| i64::MAX)
            .or_else(|| n.as_f64().map(|f| f as i64))
    })
}

/// `t` plus `secs` seconds; None when that is beyond what a timestamp can hold (a
/// duration of years that user input can ask for), which callers read as "never".
pub fn after(t: DateTime<Utc>, secs: i64) -> Option<DateTime<Utc>> {
    Duration::try_seconds(secs).and_then(|d| t.checked_add_signed(d))
}

/// A string at a JSON pointer, or "".
pub fn str_at<'a>(o: &'a Value, pointer: &str) -> &'a str {
    o.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// `metadata.generation` (1 when the server has not set one).
pub fn generation(o: &Value) -> i64 {
    o.pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

/// Whether the object is being deleted (`metadata.deletionTimestamp` set).
pub fn is_terminating(o: &Value) -> bool {
    o.pointer("/metadata/deletionTimestamp")
        .is_some_and(|t| !t.is_null())
}

/// A timestamp at a JSON pointer.
pub fn time_at(o: &Value, pointer: &str) -> Option<DateTime<Utc>> {
    o.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(parse_timestamp)
}

/// The object with `kind` and `apiVersion` set, as events and owner references need it.
pub fn with_kind(mut o: Value, kind: &str, api_version: &str) -> Value {
    if let Some(m) = o.as_object_mut()
        && !m.contains_key("kind")
    {
        m.insert("kind".into(), json!(kind));
        m.insert("apiVersion".into(), json!(api_version));
    }
    o
}

// ---- owner references ----

/// The owner references of an object.
pub fn owner_refs(o: &Value) -> &[Value] {
    o.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The owner reference with `controller: true`, if any.
pub fn controller_ref(o: &Value) -> Option<&Value> {
    owner_refs(o)
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// The uid of the controlling owner, if it is of `kind`.
pub fn controller_uid<'a>(o: &'a Value, kind: &str) -> Option<&'a str> {
    controller_ref(o)
        .filter(|r| r.get("kind").and_then(Value::as_str) == Some(kind))
        .and_then(|r| r.get("uid").and_then(Value::as_str))
}

/// The controlling owner's name, if it is of `kind`.
pub fn controller_name<'a>(o: &'a Value, kind: &str) -> Option<&'a str> {
    controller_ref(o)
        .filter(|r| r.get("kind").and_then(Value::as_str) == Some(kind))
        .and_then(|r| r.get("name").and_then(Value::as_str))
}

/// A controller owner reference to `owner`, as controllers set it on what they create.
pub fn controller_owner_ref(owner: &Value, api_version: &str, kind: &str) -> Value {
    json!({
        "apiVersion": api_version,
        "kind": kind,
        "name": name(owner),
        "uid": uid(owner),
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

/// Replaces an object's owner references with `refs` (removing the field when empty).
pub fn set_owner_refs(
    ctx: &Context,
    plural: &str,
    obj: &Value,
    refs: Vec<Value>,
) -> Result<(), ApiError> {
    let r = ctx.resource(plural)?;
    let value = if refs.is_empty() {
        Value::Null
    } else {
        Value::Array(refs)
    };
    let patch = json!({"metadata": {"ownerReferences": value}});
    let ns = Some(namespace(obj)).filter(|n| !n.is_empty());
    ctx.client.patch(
        r,
        ns,
        name(obj),
        PatchType::Merge,
        &patch,
        &WriteOptions::default(),
    )?;
    Ok(())
}

/// Makes `owner` the controller of an orphan `obj`.
pub fn adopt(ctx: &Context, plural: &str, obj: &Value, owner_ref: Value) -> Result<(), ApiError> {
    let mut refs = owner_refs(obj).to_vec();
    refs.push(owner_ref);
    set_owner_refs(ctx, plural, obj, refs)
}

/// Removes the owner reference to `owner_uid` from `obj`.
pub fn release(ctx: &Context, plural: &str, obj: &Value, owner_uid: &str) -> Result<(), ApiError> {
    let refs: Vec<Value> = owner_refs(obj)
        .iter()
        .filter(|r| r.get("uid").and_then(Value::as_str) != Some(owner_uid))
        .cloned()
        .collect();
    set_owner_refs(ctx, plural, obj, refs)
}

// ---- selectors ----

/// The selector of a workload (`spec.selector`); a missing or bad one selects nothing.
pub fn spec_selector(o: &Value) -> LabelSelector {
    let sel = o.pointer("/spec/selector").cloned().unwrap_or(Value::Null);
    LabelSelector::from_object(&sel).unwrap_or_else(|_| nothing())
}

/// The selector that matches nothing.
pub fn nothing() -> LabelSelector {
    LabelSelector::from_object(&Value::Null)
        .unwrap_or_else(|_| LabelSelector::from_map(&Map::new()))
}

// ---- pods ----

/// Active pods: not being deleted, not finished.
pub fn pod_is_active(p: &Value) -> bool {
    let phase = str_at(p, "/status/phase");
    !is_terminating(p) && phase != "Succeeded" && phase != "Failed"
}

/// The pod's condition of a type.
pub fn pod_condition<'a>(p: &'a Value, kind: &str) -> Option<&'a Value> {
    p.pointer("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
}

/// Ready condition True.
pub fn pod_is_ready(p: &Value) -> bool {
    pod_condition(p, "Ready")
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str)
        == Some("True")
}

/// When the pod became ready, if it is.
pub fn ready_since(p: &Value) -> Option<DateTime<Utc>> {
    if !pod_is_ready(p) {
        return None;
    }
    pod_condition(p, "Ready")
        .and_then(|c| c.get("lastTransitionTime"))
        .and_then(Value::as_str)
        .and_then(parse_timestamp)
}

/// Available: ready for at least `min_ready_seconds` at `now`.
pub fn pod_is_available(p: &Value, min_ready_seconds: i64, now: DateTime<Utc>) -> bool {
    if !pod_is_ready(p) {
        return false;
    }
    if min_ready_seconds <= 0 {
        return true;
    }
    match ready_since(p) {
        Some(t) => after(t, min_ready_seconds).is_some_and(|at| at <= now),
        None => false,
    }
}

/// When a ready pod that is not yet available becomes so.
pub fn available_at(p: &Value, min_ready_seconds: i64) -> Option<DateTime<Utc>> {
    if min_ready_seconds <= 0 {
        return None;
    }
    ready_since(p).and_then(|t| after(t, min_ready_seconds))
}

/// The earlier of two optional instants.
pub fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

// ---- int-or-percent ----

/// An IntOrString against a total: `3`, `"3"` or `"25%"`; percentages round up or down.
/// The result is within int32's range whatever the input (`"99999999999%"` included).
pub fn scaled_value(v: Option<&Value>, total: i64, default: &str, round_up: bool) -> i64 {
    let text = match v {
        Some(n @ Value::Number(_)) => return int_at(n, "", 0),
        Some(Value::String(s)) => s.as_str(),
        _ => default,
    };
    let value = match text.strip_suffix('%') {
        Some(p) => {
            let pct = p.trim().parse::<i64>().unwrap_or(0);
            let scaled = pct.saturating_mul(total);
            if round_up {
                scaled.saturating_add(99) / 100
            } else {
                scaled / 100
            }
        }
        None => text.trim().parse::<i64>().unwrap_or(0),
    };
    value.clamp(i64::from(i32::MIN), i64::from(i32::MAX))
}

// ---- writes ----

/// Creates `objects` (one burst, built from one template) with kube's slow start: the first
/// alone, then the rest. A template every create rejects (quota, a namespace being deleted,
/// a missing service account) then costs one failed attempt a sync, not a burst of them:
/// the answer is that one error. The first is tried as a dry run and the burst committed
/// whole, keeping the group commit (and the names it generates) of the burst.
pub fn create_slow_start(ctx: &Context, objects: Vec<NewObject>) -> Vec<Result<Value, ApiError>> {
    if let [first, _, ..] = objects.as_slice() {
        let probe = NewObject {
            resource: first.resource,
            namespace: first.namespace.clone(),
            object: first.object.clone(),
        };
        let dry_run = WriteOptions {
            dry_run: true,
            ..Default::default()
        };
        if let Some(Err(e)) = ctx.client.create_many(vec![probe], &dry_run).pop() {
            return vec![Err(e)];
        }
    }
    ctx.client.create_many(objects, &WriteOptions::default())
}

/// Deletes an object; already gone is fine.
pub fn delete(
    ctx: &Context,
    plural: &str,
    ns: Option<&str>,
    obj_name: &str,
    opts: &DeleteOptions,
) -> Result<bool, ApiError> {
    let r = ctx.resource(plural)?;
    match ctx.client.delete(r, ns, obj_name, opts) {
        Ok(_) => Ok(true),
        Err(e) if e.code == 404 => Ok(false),
        Err(e) => Err(e),
    }
}

/// Replaces an object's status when it differs; returns whether it wrote.
pub fn write_status(
    ctx: &Context,
    plural: &str,
    obj: &Value,
    status: Value,
) -> Result<bool, ApiError> {
    if obj.get("status") == Some(&status) {
        return Ok(false);
    }
    let r = ctx.resource(plural)?;
    let mut updated = obj.clone();
    updated["status"] = status;
    // Unconditional: the status is recomputed from what this pass saw.
    if let Some(m) = updated.get_mut("metadata").and_then(Value::as_object_mut) {
        m.shift_remove("resourceVersion");
    }
    let ns = Some(namespace(obj)).filter(|n| !n.is_empty());
    match ctx
        .client
        .update_status(r, ns, name(obj), updated, &WriteOptions::default())
    {
        Ok(_) => Ok(true),
        // Gone or changed meanwhile: the next pass sees the new state.
        Err(e) if e.code == 404 || e.code == 409 => Ok(true),
        Err(e) => Err(e),
    }
}

/// Sets `key` in a status map only when the value is not zero (Go's `omitempty`).
pub fn put_nonzero(status: &mut Map<String, Value>, key: &str, v: i64) {
    if v != 0 {
        status.insert(key.into(), json!(v));
    }
}

// ---- events ----

/// Records a burst of distinct events from a controller about one object (one per pod
/// created or deleted in a sync): (type, reason, message) each, written at once.
pub fn record_burst(
    ctx: &Context,
    component: &str,
    involved: &Value,
    burst: &[(&str, &str, String)],
) -> Result<(), ApiError> {
    use crate::runtime::events::{NewEvent, Reporter};
    let events: Vec<NewEvent> = burst
        .iter()
        .map(|(kind, reason, message)| NewEvent {
            involved,
            kind,
            reason,
            message,
            field_path: None,
            reporter: Reporter::Source {
                component,
                host: None,
            },
        })
        .collect();
    crate::runtime::events::record_burst(ctx, &events)
}

/// Records one event from a controller (folded into an identical earlier one).
pub fn record(
    ctx: &Context,
    component: &str,
    involved: &Value,
    kind: &str,
    reason: &str,
    message: &str,
) -> Result<(), ApiError> {
    use crate::runtime::events::{NewEvent, Reporter};
    crate::runtime::events::record(
        ctx,
        &NewEvent {
            involved,
            kind,
            reason,
            message,
            field_path: None,
            reporter: Reporter::Source {
                component,
                host: None,
            },
        },
    )
}

#[cfg(test)]
#[path = "common_tests.rs"]
mod tests;
