//! Small read-only accessors over `serde_json::Value` with kubectl's zero-value defaults
//! (a missing string prints as "", a missing number as 0).

use serde_json::{Map, Value};

/// The value at `path`, if every step exists.
pub fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for key in path {
        cur = cur.as_object()?.get(*key)?;
    }
    Some(cur)
}

/// The string at `path`, or "" when missing or not a string.
pub fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    at(v, path).and_then(Value::as_str).unwrap_or("")
}

/// The integer at `path`, or 0.
pub fn int(v: &Value, path: &[&str]) -> i64 {
    at(v, path).and_then(Value::as_i64).unwrap_or(0)
}

/// The boolean at `path`, or false.
pub fn boolean(v: &Value, path: &[&str]) -> bool {
    at(v, path).and_then(Value::as_bool).unwrap_or(false)
}

/// The array at `path`, or an empty slice.
pub fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    at(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The object at `path`, if present.
pub fn obj<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    at(v, path).and_then(Value::as_object)
}

/// A string-to-string map (labels, annotations, selectors) sorted by key.
pub fn string_map(v: &Value, path: &[&str]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = obj(v, path)
        .map(|m| m.iter().map(|(k, val)| (k.clone(), scalar(val))).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// A scalar as Go's `%v` prints it; null prints as "<nil>", containers as compact JSON.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// An int-or-string (ports, maxSurge) as Go's IntOrString prints it.
pub fn int_or_string(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "<nil>".to_string(),
        Some(v) => scalar(v),
    }
}

/// An optional boolean pointer as Go's `%v` of `*bool` would read in practice.
pub fn opt_bool(v: &Value, path: &[&str]) -> String {
    match at(v, path).and_then(Value::as_bool) {
        Some(b) => b.to_string(),
        None => "<nil>".to_string(),
    }
}
