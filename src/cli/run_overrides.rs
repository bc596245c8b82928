//! `--overrides=JSON --override-type=merge|json|strategic` (`run`, `expose`): kubectl
//! patches the object it generated (a Pod, a Service) with the override, then decodes the
//! result into its Go type before sending or printing it. So here: the patch (with
//! kubectl's words for a bad one), then what that decoding does: its refusals, unknown
//! fields dropped, the fields Go always writes filled in, and the keys in the order Go's
//! structs print them.

use super::errors::CliError;
use crate::apiserver::managed::{types, unknown};
use serde_json::{Map, Value, json};

/// The kinds generated objects are overridden as.
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Pod,
    Service,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Service => "Service",
        }
    }
}

/// `pod` (an object of `kind`) with `overrides` applied as `override_type` says; unchanged
/// when there is none (kubectl does not look at the type then).
pub fn apply(
    kind: Kind,
    pod: Value,
    overrides: &str,
    override_type: &str,
) -> Result<Value, CliError> {
    if overrides.is_empty() {
        return Ok(pod);
    }
    let patched = match override_type {
        "merge" | "" => merge(pod, overrides)?,
        "json" => json_patch(pod, overrides)?,
        "strategic" => strategic(pod, overrides)?,
        other => {
            return Err(CliError::message(format!("invalid override type: {other}")));
        }
    };
    decode_as(kind, patched)
}

/// RFC 7386, as kubectl's JSON patch library takes it: anything but an object or an array
/// is no patch; an array replaces the whole document.
fn merge(mut pod: Value, text: &str) -> Result<Value, CliError> {
    match serde_json::from_str::<Value>(text) {
        Ok(patch @ (Value::Object(_) | Value::Array(_))) => {
            crate::apiserver::patch::merge_patch(&mut pod, &patch);
            Ok(pod)
        }
        _ => Err(CliError::message("Invalid JSON Patch")),
    }
}

fn strategic(mut pod: Value, text: &str) -> Result<Value, CliError> {
    let patch = match serde_json::from_str::<Value>(text) {
        Ok(p @ Value::Object(_)) => p,
        _ => return Err(CliError::message("invalid JSON document")),
    };
    check_strategic(&patch)?;
    crate::apiserver::smp::apply(&mut pod, &patch).map_err(|e| CliError::message(e.message))?;
    Ok(pod)
}

/// The refusals of kube's strategic merge that kubelite's own merge words differently: a
/// list element without its merge key, an unknown `$patch` directive.
fn check_strategic(patch: &Value) -> Result<(), CliError> {
    match patch {
        Value::Object(m) => {
            if let Some(directive) = m.get("$patch")
                && !matches!(directive.as_str(), Some("replace" | "delete" | "merge"))
            {
                return Err(CliError::message(format!(
                    "unknown patch type: {} in map: {}",
                    go_value(directive),
                    go_value(patch)
                )));
            }
            for (field, v) in m {
                if let Value::Array(items) = v
                    && let Some(key) = crate::apiserver::smp::merge_key(field, items)
                {
                    for item in items {
                        if item.is_object()
                            && item.get(key).is_none()
                            && item.get("$patch").is_none()
                        {
                            return Err(CliError::message(format!(
                                "map: {} does not contain declared merge key: {key}",
                                go_value(item)
                            )));
                        }
                    }
                }
                check_strategic(v)?;
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(check_strategic),
        _ => Ok(()),
    }
}

/// A decoded JSON value as Go's `%v` prints it (maps with sorted keys).
fn go_value(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(go_value).collect();
            format!("[{}]", inner.join(" "))
        }
        Value::String(s) => s.clone(),
        Value::Number(n) => crate::print::json::go_float(n.as_f64().unwrap_or(0.0)),
        Value::Bool(b) => b.to_string(),
        Value::Null => "<nil>".into(),
    }
}

/// RFC 6902 with the words and leniencies of the JSON patch library kubectl uses (a
/// `replace` of a missing key adds it).
fn json_patch(mut pod: Value, text: &str) -> Result<Value, CliError> {
    let ops = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(ops)) => ops,
        Ok(other) => {
            return Err(CliError::message(format!(
                "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                json_kind(&other)
            )));
        }
        Err(e) if e.is_eof() => return Err(CliError::message("unexpected end of JSON input")),
        Err(e) => return Err(CliError::message(format!("invalid JSON: {e}"))),
    };
    for op in &ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("unknown");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let value = op.get("value").cloned().unwrap_or(Value::Null);
        match kind {
            "add" => add(&mut pod, path, value).map_err(|()| {
                CliError::message(format!(
                    "add operation does not apply: doc is missing path: \"{path}\": missing value"
                ))
            })?,
            "remove" => remove(&mut pod, path)?,
            "replace" => replace(&mut pod, path, value)?,
            "test" => {
                if pod.pointer(path) != Some(&value) {
                    return Err(CliError::message(format!(
                        "testing value {path} failed: test failed"
                    )));
                }
            }
            "move" | "copy" => {
                crate::apiserver::patch::json_patch(&mut pod, &Value::Array(vec![op.clone()]))
                    .map_err(|e| CliError::message(e.message))?;
            }
            other => return Err(CliError::message(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(pod)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
    }
}

/// A JSON pointer's parent and its last token, unescaped.
fn split(path: &str) -> Option<(&str, String)> {
    let (parent, last) = path.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), ()> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, last) = split(path).ok_or(())?;
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(last, value);
            Ok(())
        }
        Some(Value::Array(a)) => {
            let at = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>().map_err(|_| ())?
            };
            if at > a.len() {
                return Err(());
            }
            a.insert(at, value);
            Ok(())
        }
        _ => Err(()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<(), CliError> {
    let missing = || {
        CliError::message(format!(
            "remove operation does not apply: doc is missing path: \"{path}\": missing value"
        ))
    };
    let (parent, last) = split(path).ok_or_else(missing)?;
    let failed =
        |why: String| CliError::message(format!("error in remove for path: '{path}': {why}"));
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => match m.shift_remove(&last) {
            Some(_) => Ok(()),
            None => Err(failed(format!(
                "Unable to remove nonexistent key: {last}: missing value"
            ))),
        },
        Some(Value::Array(a)) => match last.parse::<usize>() {
            Ok(i) if i < a.len() => {
                a.remove(i);
                Ok(())
            }
            _ => Err(failed(format!(
                "Unable to access invalid index: {last}: invalid index referenced"
            ))),
        },
        _ => Err(missing()),
    }
}

fn replace(doc: &mut Value, path: &str, value: Value) -> Result<(), CliError> {
    let missing = || {
        CliError::message(format!(
            "replace operation does not apply: doc is missing path: {path}: missing value"
        ))
    };
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, last) = split(path).ok_or_else(missing)?;
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(last, value);
            Ok(())
        }
        Some(Value::Array(a)) => match last.parse::<usize>() {
            Ok(i) if i < a.len() => {
                a[i] = value;
                Ok(())
            }
            _ => Err(missing()),
        },
        _ => Err(missing()),
    }
}

/// What decoding the patched document into kubectl's v1 type does.
fn decode_as(as_kind: Kind, doc: Value) -> Result<Value, CliError> {
    let wanted = as_kind.name();
    let Value::Object(ref m) = doc else {
        return Err(CliError::message(format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
            json_kind(&doc)
        )));
    };
    let text = || crate::print::json::to_json_compact_in_order(&doc);
    let api_version = m.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = m.get("kind").and_then(Value::as_str).unwrap_or("");
    if api_version.is_empty() {
        return Err(CliError::message(format!(
            "Object 'apiVersion' is missing in '{}'",
            text()
        )));
    }
    if kind.is_empty() {
        return Err(CliError::message(format!(
            "Object 'Kind' is missing in '{}'",
            text()
        )));
    }
    if kind != wanted {
        return Err(CliError::message(format!(
            "kubelite makes a {wanted} here: an override may not make it a {kind}"
        )));
    }
    if api_version != "v1" {
        return Err(CliError::message(format!(
            "no kind \"{wanted}\" is registered for version \"{api_version}\" in scheme \"pkg/scheme/scheme.go:28\""
        )));
    }
    if let Some(why) = types::type_error(wanted, &doc) {
        return Err(CliError::message(why));
    }
    let mut object = doc;
    unknown::drop_unknown(wanted, &mut object);
    match as_kind {
        Kind::Pod => {
            go_zero_fields(&mut object);
            Ok(super::generators::go_order::pod(&object))
        }
        Kind::Service => {
            service_zero_fields(&mut object);
            Ok(super::generators::go_order::typed(&object))
        }
    }
}

/// A decoded Service's always-written fields: its status's load balancer, each port's
/// number and target port.
fn service_zero_fields(service: &mut Value) {
    let Value::Object(m) = service else { return };
    for part in ["metadata", "spec", "status"] {
        if !m.get(part).is_some_and(Value::is_object) {
            m.insert(part.into(), json!({}));
        }
    }
    if m["metadata"].get("creationTimestamp").is_none() {
        m["metadata"]["creationTimestamp"] = Value::Null;
    }
    if let Some(status) = m["status"].as_object_mut() {
        fill(status, "loadBalancer", json!({}));
    }
    if let Some(Value::Array(ports)) = m["spec"].get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            fill(p, "port", json!(0));
            // An IntOrString is a struct: `omitempty` does not leave it out.
            fill(p, "targetPort", json!(0));
        }
    }
}

/// The fields Go writes even when empty (they are not `omitempty`): a decoded Pod has them
/// whatever the override removed.
fn go_zero_fields(pod: &mut Value) {
    let Value::Object(m) = pod else { return };
    for part in ["metadata", "spec", "status"] {
        if !m.get(part).is_some_and(Value::is_object) {
            m.insert(part.into(), json!({}));
        }
    }
    let meta = &mut m["metadata"];
    if meta.get("creationTimestamp").is_none() {
        meta["creationTimestamp"] = Value::Null;
    }
    let spec = &mut m["spec"];
    if spec.get("containers").is_none() {
        spec["containers"] = Value::Null;
    }
    for list in ["initContainers", "containers"] {
        if let Some(Value::Array(items)) = spec.get_mut(list) {
            for c in items.iter_mut().filter_map(Value::as_object_mut) {
                fill(c, "name", json!(""));
                fill(c, "resources", json!({}));
            }
        }
    }
}

fn fill(m: &mut Map<String, Value>, key: &str, zero: Value) {
    if !m.contains_key(key) {
        m.insert(key.into(), zero);
    }
}
