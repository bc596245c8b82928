//! core/v1 Events: LAST SEEN TYPE REASON OBJECT MESSAGE, plus the wide SUBOBJECT, SOURCE,
//! FIRST SEEN, COUNT and NAME.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn columns() -> Vec<Value> {
    vec![
        string_col(
            "Last Seen",
            "The time at which the most recent occurrence of this event was recorded.",
        ),
        string_col(
            "Type",
            "Type of this event (Normal, Warning), new types could be added in the future",
        ),
        string_col(
            "Reason",
            "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
        ),
        string_col("Object", "The object that this event is about."),
        wide_col(
            "Subobject",
            "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.",
        ),
        wide_col(
            "Source",
            "The component reporting this event. Should be a short machine understandable string.",
        ),
        string_col(
            "Message",
            "A human-readable description of the status of this operation.",
        ),
        wide_col(
            "First Seen",
            "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
        ),
        column(
            "Count",
            "string",
            "",
            "The number of times this event has occurred.",
            1,
        ),
        column("Name", "string", "name", NAME_DOC, 1),
    ]
}

/// A timestamp field that counts as unset when absent, null or empty.
fn time_field<'a>(event: &'a Value, path: &[&str]) -> Option<&'a Value> {
    field(event, path).filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
}

pub fn cells(event: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let core;
    let event = if event.get("regarding").is_some() || event.get("note").is_some() {
        core = as_core_event(event);
        &core
    } else {
        event
    };
    let first =
        time_field(event, &["firstTimestamp"]).or_else(|| time_field(event, &["eventTime"]));
    let first_seen = age_since(first, now);
    let mut last_seen = match time_field(event, &["lastTimestamp"]) {
        Some(t) => age_since(Some(t), now),
        None => first_seen.clone(),
    };
    let mut count = int_at(event, &["count"]);
    if let Some(series) = field(event, &["series"]).filter(|s| s.is_object()) {
        last_seen = age_since(time_field(series, &["lastObservedTime"]), now);
        count = int_at(series, &["count"]);
    } else if count == 0 {
        // Events written through events.k8s.io carry no count: they happened once.
        count = 1;
    }
    let kind = str_at(event, &["involvedObject", "kind"]).to_lowercase();
    let object = match str_at(event, &["involvedObject", "name"]) {
        "" => kind,
        name => format!("{kind}/{name}"),
    };
    vec![
        json!(last_seen),
        json!(str_at(event, &["type"])),
        json!(str_at(event, &["reason"])),
        json!(object),
        json!(str_at(event, &["involvedObject", "fieldPath"])),
        json!(source(event)),
        json!(str_at(event, &["message"]).trim()),
        json!(first_seen),
        json!(count),
        json!(name_of(event)),
    ]
}

/// `component, host`, falling back to the reporting controller and instance.
fn source(event: &Value) -> String {
    let pick = |a: &[&str], b: &[&str]| match str_at(event, a) {
        "" => str_at(event, b).to_string(),
        v => v.to_string(),
    };
    let component = pick(&["source", "component"], &["reportingComponent"]);
    let instance = pick(&["source", "host"], &["reportingInstance"]);
    if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    }
}

/// An events.k8s.io/v1 Event in core/v1 field names: the API server converts both versions to
/// one internal type before printing, so both print alike.
fn as_core_event(event: &Value) -> Value {
    let mut core = serde_json::Map::new();
    let renames = [
        ("metadata", "metadata"),
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reason", "reason"),
        ("type", "type"),
        ("eventTime", "eventTime"),
        ("series", "series"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
        ("reportingController", "reportingComponent"),
        ("reportingInstance", "reportingInstance"),
    ];
    for (from, to) in renames {
        if let Some(v) = event.get(from) {
            core.insert(to.to_string(), v.clone());
        }
    }
    Value::Object(core)
}
