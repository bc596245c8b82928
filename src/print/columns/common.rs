//! Building blocks shared by every resource's printer: column definitions, the Name and Age
//! columns, field access on JSON objects and the small formatters kube-apiserver reuses.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::print::age::human_duration;

/// API doc of `metadata.name`, the description every Name column carries.
pub const NAME_DOC: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

/// API doc of `metadata.creationTimestamp`, the description every Age column carries.
pub const AGE_DOC: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/// One `columnDefinitions` entry. `priority` 1 marks a column shown only with `-o wide`.
pub fn column(name: &str, kind: &str, format: &str, description: &str, priority: u8) -> Value {
    json!({
        "name": name,
        "type": kind,
        "format": format,
        "description": description,
        "priority": priority,
    })
}

pub fn string_col(name: &str, description: &str) -> Value {
    column(name, "string", "", description, 0)
}

pub fn integer_col(name: &str, description: &str) -> Value {
    column(name, "integer", "", description, 0)
}

pub fn wide_col(name: &str, description: &str) -> Value {
    column(name, "string", "", description, 1)
}

pub fn name_col() -> Value {
    column("Name", "string", "name", NAME_DOC, 0)
}

pub fn age_col() -> Value {
    column("Age", "string", "", AGE_DOC, 0)
}

/// Looks a value up by a path of object keys.
pub fn field<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(obj, |v, key| v.get(*key))
}

/// A string field, `""` when absent or not a string (as Go's zero value).
pub fn str_at<'a>(obj: &'a Value, path: &[&str]) -> &'a str {
    field(obj, path).and_then(Value::as_str).unwrap_or("")
}

/// An integer field, 0 when absent (Go's zero value).
pub fn int_at(obj: &Value, path: &[&str]) -> i64 {
    field(obj, path).and_then(Value::as_i64).unwrap_or(0)
}

/// An array field, empty when absent.
pub fn array_at<'a>(obj: &'a Value, path: &[&str]) -> &'a [Value] {
    field(obj, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// An object field, `None` when absent.
pub fn map_at<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    field(obj, path).and_then(Value::as_object)
}

pub fn name_of(obj: &Value) -> &str {
    str_at(obj, &["metadata", "name"])
}

/// Parses an RFC 3339 timestamp (seconds or micro-seconds precision).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Age of a timestamp field, `<unknown>` when it is missing, as kube-apiserver prints it.
pub fn age_since(value: Option<&Value>, now: DateTime<Utc>) -> String {
    match value.and_then(Value::as_str).and_then(parse_time) {
        Some(t) => human_duration(now - t),
        None => "<unknown>".to_string(),
    }
}

pub fn creation_age(obj: &Value, now: DateTime<Utc>) -> String {
    age_since(field(obj, &["metadata", "creationTimestamp"]), now)
}

/// `k=v,k2=v2` with keys sorted, `<none>` for an empty map (Go's labels.FormatLabels).
pub fn format_labels(labels: Option<&Map<String, Value>>) -> String {
    let mut pairs: Vec<(&String, &str)> = labels
        .into_iter()
        .flatten()
        .map(|(k, v)| (k, v.as_str().unwrap_or("")))
        .collect();
    if pairs.is_empty() {
        return "<none>".to_string();
    }
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A metav1.LabelSelector as selector text (`app=web,tier in (a,b)`), `<none>` when it selects
/// everything or nothing, `<error>` when it cannot be parsed.
pub fn format_label_selector(selector: Option<&Value>) -> String {
    let Some(selector) = selector.filter(|s| !s.is_null()) else {
        return "<none>".to_string();
    };
    // Each requirement keeps its key so the whole list can be sorted by key, as Go does.
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in map_at(selector, &["matchLabels"]).into_iter().flatten() {
        reqs.push((k.clone(), format!("{k}={}", v.as_str().unwrap_or(""))));
    }
    for expr in array_at(selector, &["matchExpressions"]) {
        let key = str_at(expr, &["key"]);
        let mut values: Vec<&str> = array_at(expr, &["values"])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        values.sort_unstable();
        values.dedup();
        let text = match str_at(expr, &["operator"]) {
            "In" if !values.is_empty() => format!("{key} in ({})", values.join(",")),
            "NotIn" if !values.is_empty() => format!("{key} notin ({})", values.join(",")),
            "Exists" if values.is_empty() => key.to_string(),
            "DoesNotExist" if values.is_empty() => format!("!{key}"),
            _ => return "<error>".to_string(),
        };
        reqs.push((key.to_string(), text));
    }
    if reqs.is_empty() {
        return "<none>".to_string();
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// Container names and images of a pod template, each joined with commas.
pub fn container_cells(pod_spec: Option<&Value>) -> (String, String) {
    let containers = pod_spec
        .map(|s| array_at(s, &["containers"]))
        .unwrap_or(&[]);
    let names: Vec<&str> = containers.iter().map(|c| str_at(c, &["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| str_at(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

/// `a,b,c + N more...`: the first `max` items and how many were left out.
pub fn list_with_more(list: &[String], total: usize, max: usize) -> String {
    let shown = list.join(",");
    if total > max && list.len() == max {
        format!("{shown} + {} more...", total - max)
    } else {
        shown
    }
}
