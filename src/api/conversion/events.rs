//! Event between events.k8s.io/v1 and core v1 (how it is stored): the same objects under
//! other names. `regarding` is `involvedObject`, `note` is `message`,
//! `reportingController` is `reportingComponent`, and the core fields events.k8s.io keeps
//! only for old writers are `deprecatedSource`, `deprecatedFirstTimestamp`,
//! `deprecatedLastTimestamp` and `deprecatedCount`.

use crate::api::status::ApiError;
use serde_json::{Map, Value, json};

/// (events.k8s.io name, core name) of the fields that only change names.
const RENAMED: &[(&str, &str)] = &[
    ("regarding", "involvedObject"),
    ("note", "message"),
    ("reportingController", "reportingComponent"),
    ("deprecatedSource", "source"),
    ("deprecatedFirstTimestamp", "firstTimestamp"),
    ("deprecatedLastTimestamp", "lastTimestamp"),
    ("deprecatedCount", "count"),
];

fn core_name(field: &str) -> &str {
    RENAMED
        .iter()
        .find(|(e, _)| *e == field)
        .map_or(field, |(_, c)| c)
}

fn events_name(field: &str) -> &str {
    RENAMED
        .iter()
        .find(|(_, c)| *c == field)
        .map_or(field, |(e, _)| e)
}

/// A stored (core) Event as events.k8s.io/v1 writes it: its Go field order, with the
/// fields Go writes even when empty.
pub fn core_to_events(obj: Value) -> Value {
    let Value::Object(core) = obj else {
        return obj;
    };
    let get = |field: &str| core.get(core_name(field)).cloned();
    let mut out = Map::new();
    if core.contains_key("kind") {
        out.insert("kind".into(), json!("Event"));
    }
    if core.contains_key("apiVersion") {
        out.insert("apiVersion".into(), json!("events.k8s.io/v1"));
    }
    out.insert(
        "metadata".into(),
        core.get("metadata").cloned().unwrap_or_else(|| json!({})),
    );
    out.insert("eventTime".into(), get("eventTime").unwrap_or(Value::Null));
    for field in [
        "series",
        "reportingController",
        "reportingInstance",
        "action",
        "reason",
    ] {
        if let Some(v) = get(field).filter(|v| !is_empty(v)) {
            out.insert(field.into(), v);
        }
    }
    out.insert("regarding".into(), get("regarding").unwrap_or(json!({})));
    for field in ["related", "note", "type"] {
        if let Some(v) = get(field).filter(|v| !is_empty(v)) {
            out.insert(field.into(), v);
        }
    }
    out.insert(
        "deprecatedSource".into(),
        get("deprecatedSource").unwrap_or(json!({})),
    );
    for field in ["deprecatedFirstTimestamp", "deprecatedLastTimestamp"] {
        out.insert(field.into(), get(field).unwrap_or(Value::Null));
    }
    if let Some(v) = get("deprecatedCount").filter(|v| !is_empty(v)) {
        out.insert("deprecatedCount".into(), v);
    }
    Value::Object(out)
}

/// Go's omitempty: null, "", 0, false and empty maps and lists are left out.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// An events.k8s.io/v1 Event as the core Event it is stored as.
pub fn events_to_core(obj: Value) -> Result<Value, ApiError> {
    let Value::Object(events) = obj else {
        return Err(ApiError::bad_request(
            "Event in version \"v1\" cannot be handled as a Event: the object is not a JSON object",
        ));
    };
    let mut out = Map::new();
    for (k, v) in events {
        if k == "apiVersion" {
            out.insert(k, json!("v1"));
        } else if events_name(&k) != k {
            // A core name (`message`) is not an events.k8s.io field: dropped, as kube's
            // decoder drops unknown fields.
            continue;
        } else {
            out.insert(core_name(&k).to_string(), v);
        }
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kubelet_event_reads_as_events_k8s_io() {
        let core = json!({
            "kind": "Event", "apiVersion": "v1",
            "metadata": {"name": "web.1", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
            "reason": "Pulled", "message": "pulled", "source": {"component": "kubelet", "host": "n1"},
            "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:00:01Z",
            "count": 2, "type": "Normal", "eventTime": null, "reportingComponent": "", "reportingInstance": "",
        });
        let ev = core_to_events(core.clone());
        let keys: Vec<&String> = ev.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "kind",
                "apiVersion",
                "metadata",
                "eventTime",
                "reason",
                "regarding",
                "note",
                "type",
                "deprecatedSource",
                "deprecatedFirstTimestamp",
                "deprecatedLastTimestamp",
                "deprecatedCount"
            ]
        );
        assert_eq!(ev["regarding"]["name"], "web");
        assert_eq!(ev["deprecatedCount"], 2);
        let back = events_to_core(ev).unwrap();
        assert_eq!(back["apiVersion"], "v1");
        assert_eq!(back["involvedObject"], core["involvedObject"]);
        assert_eq!(back["message"], "pulled");
        assert_eq!(back["source"], core["source"]);
        assert!(back.get("note").is_none());
    }

    #[test]
    fn core_names_written_at_events_k8s_io_are_not_fields() {
        let back =
            events_to_core(json!({"metadata": {"name": "x"}, "message": "no", "note": "yes"}))
                .unwrap();
        assert_eq!(back["message"], "yes");
    }
}
