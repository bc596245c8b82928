//! The `pods/ephemeralcontainers` subresource's rules, as kube-apiserver's
//! ValidatePodEphemeralContainersUpdate states them: ephemeral containers are only ever
//! added (never changed or removed), not to static pods, with names unique across the
//! pod, and without the fields that only make sense for containers the pod was built with.

use super::field_error::{FieldError, child, index};
use serde_json::{Value, json};

/// Fields an ephemeral container may not set: it gets no ports, probes, lifecycle hooks or
/// resources of its own.
const NOT_FOR_EPHEMERAL: &[&str] = &[
    "ports",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "resources",
    "resizePolicy",
    "restartPolicy",
];

/// Errors of writing `new` (the stored pod with the request's ephemeral containers) over
/// `old` through the subresource.
pub fn validate_ephemeral_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mirrored = old
        .pointer("/metadata/annotations/kubernetes.io~1config.mirror")
        .is_some();
    if mirrored {
        return vec![FieldError::forbidden(
            "",
            "static pods do not support ephemeral containers",
        )];
    }
    let path = "spec.ephemeralContainers";
    let list = |pod: &Value| -> Vec<Value> {
        pod.pointer("/spec/ephemeralContainers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (added, kept) = (list(new), list(old));
    let mut errs = Vec::new();
    for was in &kept {
        let name = was["name"].as_str().unwrap_or("");
        match added.iter().find(|c| c["name"] == was["name"]) {
            None => errs.push(FieldError::forbidden(
                path,
                &format!("existing ephemeral containers \"{name}\" may not be removed\n"),
            )),
            Some(now) if !super::pod::same_json(now, was) => errs.push(FieldError::forbidden(
                path,
                &format!("existing ephemeral containers \"{name}\" may not be changed\n"),
            )),
            Some(_) => {}
        }
    }
    let spec = new.get("spec");
    let names_in = |list: &str| -> Vec<String> {
        spec.and_then(|s| s.get(list))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str().map(str::to_string))
            .collect()
    };
    let regular = names_in("containers");
    let mut seen = names_in("initContainers");
    seen.extend(regular.iter().cloned());
    for (i, c) in added.iter().enumerate() {
        let p = index(path, i);
        let name = c["name"].as_str().unwrap_or("");
        if name.is_empty() {
            errs.push(FieldError::required(&child(&p, "name"), ""));
        } else if seen.iter().any(|s| s == name) {
            errs.push(FieldError::duplicate(&child(&p, "name"), json!(name)));
        } else {
            for msg in super::names::is_dns1123_label(name) {
                errs.push(FieldError::invalid(&child(&p, "name"), json!(name), &msg));
            }
            seen.push(name.to_string());
        }
        if c["image"].as_str().unwrap_or("").is_empty() {
            errs.push(FieldError::required(&child(&p, "image"), ""));
        }
        for field in NOT_FOR_EPHEMERAL {
            if c.get(*field).is_some_and(|v| !is_empty(v)) {
                errs.push(FieldError::forbidden(
                    &child(&p, field),
                    "cannot be set for an Ephemeral Container",
                ));
            }
        }
        if let Some(target) = c["targetContainerName"].as_str().filter(|t| !t.is_empty())
            && !regular.iter().any(|r| r == target)
        {
            errs.push(FieldError {
                field: child(&p, "targetContainerName"),
                error_type: super::ErrorType::NotFound,
                bad_value: Some(json!(target)),
                detail: String::new(),
                value_repr: None,
            });
        }
    }
    errs
}

/// `{}` and `[]` are what a client sends for "none" (kubectl sends `"resources": {}`).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

/// A write through `pods/ephemeralcontainers`: the rules of adding ephemeral containers,
/// then the pod spec as a whole.
pub fn validate_pod_ephemeral(obj: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = validate_ephemeral_update(obj, old);
    if errs.is_empty() {
        errs.extend(super::pod::validate_pod_spec(obj.get("spec"), "spec"));
    }
    errs
}
