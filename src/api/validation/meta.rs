//! ObjectMeta: name, namespace, labels, annotations, and what may not change on update.

use super::field_error::{FieldError, child, nonnegative};
use super::names;
use serde_json::{Map, Value, json};

pub type NameFn = fn(&str) -> Vec<String>;

/// Name rule per kind: Namespace is a DNS-1123 label, Service a DNS-1035 label, the rest
/// DNS-1123 subdomains.
pub fn name_rule(kind: &str) -> NameFn {
    match kind {
        "Namespace" => names::is_dns1123_label,
        "Service" => names::is_dns1035_label,
        _ => names::is_dns1123_subdomain,
    }
}

/// Validates `metadata` for the kind's name rule and scope (plus update rules given `old`).
pub fn validate_meta_for(kind: &str, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        obj.get("metadata"),
        super::is_namespaced(kind),
        name_rule(kind),
        "metadata",
    );
    if let Some(old) = old {
        errs.extend(validate_meta_update(
            obj.get("metadata"),
            old.get("metadata"),
        ));
    }
    errs
}

fn str_at<'a>(m: Option<&'a Value>, k: &str) -> &'a str {
    m.and_then(|m| m.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

pub fn validate_object_meta(
    meta: Option<&Value>,
    namespaced: bool,
    name_fn: NameFn,
    path: &str,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let generate = str_at(meta, "generateName");
    if !generate.is_empty() {
        for msg in name_fn(&names::mask_trailing_dash(generate, true)) {
            errs.push(FieldError::invalid(
                &child(path, "generateName"),
                json!(generate),
                &msg,
            ));
        }
    }
    let name = str_at(meta, "name");
    if name.is_empty() {
        errs.push(FieldError::required(
            &child(path, "name"),
            "name or generateName is required",
        ));
    } else {
        for msg in name_fn(name) {
            errs.push(FieldError::invalid(&child(path, "name"), json!(name), &msg));
        }
    }
    let ns = str_at(meta, "namespace");
    if namespaced {
        if ns.is_empty() {
            errs.push(FieldError::required(&child(path, "namespace"), ""));
        } else {
            for msg in names::is_dns1123_label(ns) {
                errs.push(FieldError::invalid(
                    &child(path, "namespace"),
                    json!(ns),
                    &msg,
                ));
            }
        }
    } else if !ns.is_empty() {
        errs.push(FieldError::forbidden(
            &child(path, "namespace"),
            "not allowed on this type",
        ));
    }
    nonnegative(meta, "generation", path, &mut errs);
    errs.extend(validate_labels(
        meta.and_then(|m| m.get("labels"))
            .and_then(Value::as_object),
        &child(path, "labels"),
    ));
    errs.extend(validate_annotations(
        meta.and_then(|m| m.get("annotations"))
            .and_then(Value::as_object),
        &child(path, "annotations"),
    ));
    let refs = meta
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_array);
    errs.extend(validate_owner_references(
        refs.map_or(&[][..], Vec::as_slice),
        &child(path, "ownerReferences"),
    ));
    errs
}

/// Each owner reference names its owner fully: a version, a kind, a name and a uid. kube
/// reports them at `metadata.ownerReferences.<field>`, without the element's index.
fn validate_owner_references(refs: &[Value], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for r in refs {
        let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
        let api_version = s("apiVersion");
        // `v1`, `apps/v1`; no version in "", "apps/" or a value with two slashes.
        let version = match api_version.split('/').collect::<Vec<_>>().as_slice() {
            [v] | [_, v] => *v,
            _ => "",
        };
        for (field, value, missing) in [
            ("apiVersion", api_version, version.is_empty()),
            ("kind", s("kind"), s("kind").is_empty()),
            ("name", s("name"), s("name").is_empty()),
            ("uid", s("uid"), s("uid").is_empty()),
        ] {
            if missing {
                let what = if field == "apiVersion" {
                    "version"
                } else {
                    field
                };
                errs.push(FieldError::invalid(
                    &child(path, field),
                    json!(value),
                    &format!("{what} must not be empty"),
                ));
            }
        }
    }
    errs
}

/// Label maps (metadata.labels, nodeSelector): qualified-name keys, label-syntax values.
pub fn validate_labels(labels: Option<&Map<String, Value>>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels.into_iter().flatten() {
        for msg in names::is_qualified_name(k) {
            errs.push(FieldError::invalid(path, json!(k), &msg));
        }
        let v = v.as_str().unwrap_or("");
        for msg in names::is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, json!(v), &msg));
        }
    }
    errs
}

const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

pub fn validate_annotations(ann: Option<&Map<String, Value>>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total = 0;
    for (k, v) in ann.into_iter().flatten() {
        for msg in names::is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path, json!(k), &msg));
        }
        total += k.len() + v.as_str().map_or(0, str::len);
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    errs
}

/// name, namespace and uid may not change.
pub fn validate_meta_update(new: Option<&Value>, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for field in ["name", "namespace", "uid"] {
        let (n, o) = (str_at(new, field), str_at(old, field));
        // An empty uid on update means "unchanged": the server fills it in.
        if field == "uid" && n.is_empty() {
            continue;
        }
        if n != o {
            errs.push(FieldError::invalid(
                &format!("metadata.{field}"),
                json!(n),
                "field is immutable",
            ));
        }
    }
    errs
}
