//! Namespace, ConfigMap, Secret and Node.

use super::field_error::{FieldError, child, index, key};
use super::{meta, names};
use serde_json::{Map, Value, json};

const MAX_DATA_SIZE: usize = 1024 * 1024;

pub fn validate_namespace(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("Namespace", obj, old);
    let finalizers = obj
        .get("spec")
        .and_then(|s| s.get("finalizers"))
        .and_then(Value::as_array);
    for f in finalizers.into_iter().flatten() {
        let f = f.as_str().unwrap_or("");
        errs.extend(validate_finalizer_name(f, "spec.finalizers"));
    }
    errs
}

fn validate_finalizer_name(name: &str, path: &str) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = names::is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, json!(name), &m))
        .collect();
    let standard = ["kubernetes", "orphan", "foregroundDeletion"];
    if !name.contains('/') && !standard.contains(&name) {
        errs.push(FieldError::invalid(
            path,
            json!(name),
            "name is neither a standard finalizer name nor is it fully qualified",
        ));
    }
    errs
}

fn data_keys(map: Option<&Map<String, Value>>, path: &str, errs: &mut Vec<FieldError>) {
    for k in map.into_iter().flat_map(|m| m.keys()) {
        for m in names::is_config_map_key(k) {
            errs.push(FieldError::invalid(&key(path, k), json!(k), &m));
        }
    }
}

/// Length of base64 text once decoded (Secret data and ConfigMap binaryData are base64).
fn decoded_len(b64: &str) -> usize {
    let t = b64.trim_end_matches('=');
    t.len() * 3 / 4
}

pub fn validate_config_map(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("ConfigMap", obj, old);
    let data = obj.get("data").and_then(Value::as_object);
    let binary = obj.get("binaryData").and_then(Value::as_object);
    data_keys(data, "data", &mut errs);
    for k in data.into_iter().flat_map(|m| m.keys()) {
        if binary.is_some_and(|b| b.contains_key(k)) {
            errs.push(FieldError::invalid(
                &key("data", k),
                json!(k),
                "duplicate of key present in binaryData",
            ));
        }
    }
    data_keys(binary, "binaryData", &mut errs);
    for k in binary.into_iter().flat_map(|m| m.keys()) {
        if data.is_some_and(|d| d.contains_key(k)) {
            errs.push(FieldError::invalid(
                &key("binaryData", k),
                json!(k),
                "duplicate of key present in data",
            ));
        }
    }
    let size: usize = data
        .into_iter()
        .flat_map(|m| m.values())
        .map(|v| v.as_str().map_or(0, str::len))
        .sum::<usize>()
        + binary
            .into_iter()
            .flat_map(|m| m.values())
            .map(|v| decoded_len(v.as_str().unwrap_or("")))
            .sum::<usize>();
    if size > MAX_DATA_SIZE {
        errs.push(FieldError::too_long("", MAX_DATA_SIZE));
    }
    if let Some(old) = old {
        immutable_data(obj, old, &["data", "binaryData"], &mut errs);
    }
    errs
}

pub fn validate_secret(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("Secret", obj, old);
    let data = obj.get("data").and_then(Value::as_object);
    data_keys(data, "data", &mut errs);
    let size: usize = data
        .into_iter()
        .flat_map(|m| m.values())
        .map(|v| decoded_len(v.as_str().unwrap_or("")))
        .sum();
    if size > MAX_DATA_SIZE {
        errs.push(FieldError::too_long("data", MAX_DATA_SIZE));
    }
    let has = |k: &str| data.is_some_and(|d| d.contains_key(k));
    let nonempty = |k: &str| {
        data.and_then(|d| d.get(k))
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    match obj.get("type").and_then(Value::as_str).unwrap_or("") {
        "kubernetes.io/service-account-token" => {
            let sa = obj
                .get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            if sa.is_empty() {
                errs.push(FieldError::required(
                    "metadata.annotations[kubernetes.io/service-account.name]",
                    "",
                ));
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => {
            errs.push(FieldError::required("data[.dockercfg]", ""));
        }
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => {
            errs.push(FieldError::required("data[.dockerconfigjson]", ""));
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            errs.push(FieldError::required("data[username]", ""));
            errs.push(FieldError::required("data[password]", ""));
        }
        "kubernetes.io/ssh-auth" if !nonempty("ssh-privatekey") => {
            errs.push(FieldError::required("data[ssh-privatekey]", ""));
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                errs.push(FieldError::required("data[tls.crt]", ""));
            }
            if !has("tls.key") {
                errs.push(FieldError::required("data[tls.key]", ""));
            }
        }
        _ => {}
    }
    if let Some(old) = old {
        let (nt, ot) = (obj.get("type"), old.get("type"));
        if nt != ot {
            errs.push(FieldError::invalid(
                "type",
                nt.cloned().unwrap_or(json!("")),
                "field is immutable",
            ));
        }
        immutable_data(obj, old, &["data"], &mut errs);
    }
    errs
}

/// With `immutable: true` stored, data and the flag itself are frozen.
fn immutable_data(obj: &Value, old: &Value, fields: &[&str], errs: &mut Vec<FieldError>) {
    if old.get("immutable").and_then(Value::as_bool) != Some(true) {
        return;
    }
    if obj.get("immutable").and_then(Value::as_bool) != Some(true) {
        errs.push(FieldError::forbidden(
            "immutable",
            "field is immutable when `immutable` is set",
        ));
    }
    for f in fields {
        if obj.get(*f) != old.get(*f) {
            errs.push(FieldError::forbidden(
                f,
                "field is immutable when `immutable` is set",
            ));
        }
    }
}

pub fn validate_node(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("Node", obj, old);
    let taints = obj
        .get("spec")
        .and_then(|s| s.get("taints"))
        .and_then(Value::as_array);
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, t) in taints.into_iter().flatten().enumerate() {
        let p = index("spec.taints", i);
        let k = t.get("key").and_then(Value::as_str).unwrap_or("");
        for m in names::is_qualified_name(k) {
            errs.push(FieldError::invalid(&child(&p, "key"), json!(k), &m));
        }
        let v = t.get("value").and_then(Value::as_str).unwrap_or("");
        for m in names::is_valid_label_value(v) {
            errs.push(FieldError::invalid(&child(&p, "value"), json!(v), &m));
        }
        let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
        match effect {
            "NoSchedule" | "PreferNoSchedule" | "NoExecute" => {}
            "" => errs.push(FieldError::required(&child(&p, "effect"), "")),
            other => errs.push(FieldError::not_supported(
                &child(&p, "effect"),
                json!(other),
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            )),
        }
        if seen.contains(&(k, effect)) {
            errs.push(FieldError::duplicate(
                &p,
                json!(format!("{k}={v}:{effect}")),
            ));
        } else {
            seen.push((k, effect));
        }
    }
    errs
}
