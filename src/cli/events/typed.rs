//! An Event as kubectl prints it after decoding it into its Go type: fields in the
//! struct's order, empty optional fields left out, timestamps always present (null when
//! unset), `source` and the reporting fields always present.

use crate::api::defaults::order::OBJECT_META;
use serde_json::{Map, Value};

/// Copies `keys` from `from` in this order; absent ones are left out.
fn ordered(from: &Value, keys: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    for k in keys {
        if let Some(v) = from.get(*k).filter(|v| !v.is_null()) {
            out.insert((*k).to_string(), v.clone());
        }
    }
    out
}

const OBJECT_REFERENCE: &[&str] = &[
    "kind",
    "namespace",
    "name",
    "uid",
    "apiVersion",
    "resourceVersion",
    "fieldPath",
];

/// One Event in Go's field order.
pub fn event(e: &Value) -> Value {
    let mut out = Map::new();
    out.insert("kind".into(), "Event".into());
    out.insert("apiVersion".into(), "v1".into());
    let mut meta = ordered(&e["metadata"], OBJECT_META);
    meta.entry("creationTimestamp").or_insert(Value::Null);
    out.insert("metadata".into(), Value::Object(meta));
    out.insert(
        "involvedObject".into(),
        Value::Object(ordered(&e["involvedObject"], OBJECT_REFERENCE)),
    );
    let text = |out: &mut Map<String, Value>, k: &str| {
        if let Some(v) = e
            .get(k)
            .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
        {
            out.insert(k.into(), v.clone());
        }
    };
    text(&mut out, "reason");
    text(&mut out, "message");
    out.insert(
        "source".into(),
        Value::Object(ordered(&e["source"], &["component", "host"])),
    );
    for k in ["firstTimestamp", "lastTimestamp"] {
        out.insert(k.into(), e.get(k).cloned().unwrap_or(Value::Null));
    }
    if let Some(c) = e
        .get("count")
        .filter(|c| c.as_i64().is_some_and(|n| n != 0))
    {
        out.insert("count".into(), c.clone());
    }
    text(&mut out, "type");
    out.insert(
        "eventTime".into(),
        e.get("eventTime").cloned().unwrap_or(Value::Null),
    );
    if e.get("series").is_some_and(Value::is_object) {
        out.insert(
            "series".into(),
            Value::Object(ordered(&e["series"], &["count", "lastObservedTime"])),
        );
    }
    text(&mut out, "action");
    if e.get("related").is_some_and(Value::is_object) {
        out.insert(
            "related".into(),
            Value::Object(ordered(&e["related"], OBJECT_REFERENCE)),
        );
    }
    for k in ["reportingComponent", "reportingInstance"] {
        out.insert(k.into(), e.get(k).cloned().unwrap_or_else(|| "".into()));
    }
    Value::Object(out)
}

/// The EventList kubectl prints: the pages joined, with no list metadata.
pub fn list(items: &[Value]) -> Value {
    let mut out = Map::new();
    out.insert("kind".into(), "EventList".into());
    out.insert("apiVersion".into(), "v1".into());
    out.insert("metadata".into(), Value::Object(Map::new()));
    out.insert("items".into(), items.iter().map(event).collect());
    Value::Object(out)
}
