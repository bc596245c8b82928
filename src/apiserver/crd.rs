//! The CustomResourceDefinition strategy: defaults, the schema check, and the status
//! kube-apiserver's naming and establishing controllers give a new CRD (names accepted, the
//! resource established), which kubelite sets as it stores the CRD so the custom resource
//! is served as soon as the create returns.

use crate::api::crd_schema::Schema;
use crate::api::status::ApiError;
use crate::api::validation::{self, FieldError};
use serde_json::{Map, Value, json};

pub const KIND: &str = "CustomResourceDefinition";
pub use crate::api::custom::CLEANUP_FINALIZER;

/// kube's v1 defaults: conversion strategy None (a webhook's Service port 443), singular and
/// listKind from the kind.
pub fn default_crd(obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if !spec.get("conversion").is_some_and(Value::is_object) {
        spec.insert("conversion".into(), json!({"strategy": "None"}));
    }
    // A conversion webhook's Service port defaults to 443.
    if let Some(svc) = spec
        .get_mut("conversion")
        .and_then(|c| c.pointer_mut("/webhook/clientConfig/service"))
        .and_then(Value::as_object_mut)
        && svc.get("port").is_none_or(Value::is_null)
    {
        svc.insert("port".into(), json!(443));
    }
    if let Some(names) = spec.get_mut("names").and_then(Value::as_object_mut) {
        let kind = names
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if !kind.is_empty() {
            if names
                .get("singular")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                names.insert("singular".into(), json!(kind.to_ascii_lowercase()));
            }
            if names
                .get("listKind")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                names.insert("listKind".into(), json!(format!("{kind}List")));
            }
        }
    }
}

/// Compiles every version's schema: its errors, and what makes it non-structural, which
/// kube-apiserver 1.32 refuses a v1 CRD for with the same messages.
fn check_schemas(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let versions = obj.pointer("/spec/versions").and_then(Value::as_array);
    for (i, v) in versions.into_iter().flatten().enumerate() {
        let Some(raw) = v.pointer("/schema/openAPIV3Schema") else {
            continue;
        };
        let field = format!("spec.versions[{i}].schema.openAPIV3Schema");
        match Schema::compile(raw, &field) {
            Ok(c) => errs.extend(c.non_structural),
            Err(e) => errs.extend(e),
        }
    }
    errs
}

/// Validation of a CRD as written (static rules, schemas, what kubelite refuses); 422.
pub fn validate(obj: &Value, old: Option<&Value>) -> Result<(), ApiError> {
    let mut errs = validation::validate(KIND, obj, old);
    errs.extend(check_schemas(obj));
    super::admit::refuse_invalid(obj, &errs, |name| {
        validation::invalid_status(KIND, name, &errs)
    })
}

fn condition(type_: &str, status: &str, reason: &str, message: &str, now: &str) -> Value {
    json!({"type": type_, "status": status, "lastTransitionTime": now,
           "reason": reason, "message": message})
}

fn storage_version(obj: &Value) -> Option<String> {
    obj.pointer("/spec/versions")?
        .as_array()?
        .iter()
        .find(|v| v.get("storage").and_then(Value::as_bool) == Some(true))?
        .get("name")?
        .as_str()
        .map(str::to_string)
}

/// The names of `crd` another CRD of its group already accepted, as kube's naming
/// controller reports the first: (reason, message).
pub fn name_conflict(crd: &Value, others: &[Value]) -> Option<(&'static str, String)> {
    let group = crd.pointer("/spec/group");
    let name = crd.pointer("/metadata/name");
    let accepted = |o: &Value, keys: &[&str]| -> Vec<String> {
        let a = o
            .pointer("/status/acceptedNames")
            .cloned()
            .unwrap_or(json!({}));
        let mut out = Vec::new();
        for k in keys {
            match a.get(*k) {
                Some(Value::String(s)) if !s.is_empty() => out.push(s.clone()),
                Some(Value::Array(l)) => {
                    out.extend(l.iter().filter_map(Value::as_str).map(str::to_string));
                }
                _ => {}
            }
        }
        out
    };
    let taken = |keys: &[&str], value: &str| {
        others
            .iter()
            .filter(|o| o.pointer("/spec/group") == group && o.pointer("/metadata/name") != name)
            .any(|o| accepted(o, keys).iter().any(|n| n == value))
    };
    let resource_keys = ["plural", "singular", "shortNames"];
    let kind_keys = ["kind", "listKind"];
    let spec = |k: &str| {
        crd.pointer(&format!("/spec/names/{k}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    for (field, reason) in [
        ("plural", "PluralConflict"),
        ("singular", "SingularConflict"),
    ] {
        let v = spec(field);
        if !v.is_empty() && taken(&resource_keys, &v) {
            return Some((reason, format!("{v:?} is already in use")));
        }
    }
    let shorts = crd
        .pointer("/spec/names/shortNames")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for s in shorts.iter().filter_map(Value::as_str) {
        if taken(&resource_keys, s) {
            return Some(("ShortNamesConflict", format!("{s:?} is already in use")));
        }
    }
    for (field, reason) in [("kind", "KindConflict"), ("listKind", "ListKindConflict")] {
        let v = spec(field);
        if !v.is_empty() && taken(&kind_keys, &v) {
            return Some((reason, format!("{v:?} is already in use")));
        }
    }
    None
}

/// The status of a new CRD: its names accepted (unless another CRD of its group holds one:
/// then neither accepted nor established), and the storage version recorded.
pub fn prepare_for_create(obj: &mut Value, conflict: Option<(&str, String)>, now: &str) {
    let mut names = obj.pointer("/spec/names").cloned().unwrap_or(json!({}));
    let conditions = match conflict {
        None => vec![
            condition(
                "NamesAccepted",
                "True",
                "NoConflicts",
                "no conflicts found",
                now,
            ),
            establishment(obj, now),
        ],
        Some((reason, message)) => {
            names = json!({"plural": "", "kind": ""});
            vec![
                condition("NamesAccepted", "False", reason, &message, now),
                condition(
                    "Established",
                    "False",
                    "NotAccepted",
                    "not all names are accepted",
                    now,
                ),
            ]
        }
    };
    let stored: Vec<String> = storage_version(obj).into_iter().collect();
    if let Some(map) = obj.as_object_mut() {
        map.insert(
            "status".into(),
            json!({"acceptedNames": names, "conditions": conditions, "storedVersions": stored}),
        );
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("generation".into(), json!(1));
        }
    }
}

/// What kube's establishing controller makes of a CRD whose names are accepted: Established,
/// unless its conversion webhook's `caBundle` holds no usable certificate (then the custom
/// resource is neither discovered nor served until the bundle is mended).
fn establishment(crd: &Value, now: &str) -> Value {
    let bundle = validation::conversion_ca_bundle(crd);
    if crate::tls::ca_data_error(&bundle).is_some() {
        return condition(
            "Established",
            "False",
            "InvalidCABundle",
            "The conversion webhook CABundle is invalid",
            now,
        );
    }
    condition(
        "Established",
        "True",
        "InitialNamesAccepted",
        "the initial names have been accepted",
        now,
    )
}

/// Sets a condition as kube's helper does: its transition time moves only when its status
/// changes.
fn set_condition(conditions: &mut Vec<Value>, new: Value) {
    match conditions
        .iter_mut()
        .find(|c| c.get("type") == new.get("type"))
    {
        None => conditions.push(new),
        Some(c) => {
            let moved = c.get("status") != new.get("status");
            for key in ["status", "reason", "message"] {
                c[key] = new[key].clone();
            }
            if moved {
                c["lastTransitionTime"] = new["lastTransitionTime"].clone();
            }
        }
    }
}

/// After an update of the spec: the new names accepted, a new storage version recorded, and
/// a CRD not yet Established (its `caBundle` was invalid) established once it may be.
pub fn prepare_for_update(obj: &mut Value, now: &str) {
    let established_now = (validation::crd_condition_true(obj, "NamesAccepted")
        && !validation::crd_condition_true(obj, "Established"))
    .then(|| establishment(obj, now));
    if let Some(cond) = established_now
        && let Some(list) = obj
            .pointer_mut("/status/conditions")
            .and_then(Value::as_array_mut)
    {
        set_condition(list, cond);
    }
    let names = obj.pointer("/spec/names").cloned().unwrap_or(json!({}));
    let storage = storage_version(obj);
    let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) else {
        return;
    };
    status.insert("acceptedNames".into(), names);
    if let Some(v) = storage {
        let stored = status.entry("storedVersions").or_insert_with(|| json!([]));
        if let Some(list) = stored.as_array_mut()
            && !list.iter().any(|s| s.as_str() == Some(v.as_str()))
        {
            list.push(json!(v));
        }
    }
}

/// A deleted CRD waits, Terminating, until the cleanup controller has deleted its objects.
pub fn mark_terminating(obj: &mut Value, now: &str) {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        let finalizers = meta.entry("finalizers").or_insert_with(|| json!([]));
        if let Some(list) = finalizers.as_array_mut()
            && !list.iter().any(|f| f == CLEANUP_FINALIZER)
        {
            list.push(json!(CLEANUP_FINALIZER));
        }
    }
    let status = obj.as_object_mut().map(|m| {
        m.entry("status")
            .or_insert_with(|| Value::Object(Map::new()))
    });
    if let Some(list) = status
        .and_then(Value::as_object_mut)
        .map(|s| s.entry("conditions").or_insert_with(|| json!([])))
        .and_then(Value::as_array_mut)
        && !list
            .iter()
            .any(|c| c.get("type").and_then(Value::as_str) == Some("Terminating"))
    {
        list.push(condition(
            "Terminating",
            "True",
            "InstanceDeletionInProgress",
            "CustomResource deletion is in progress",
            now,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crd(name: &str, plural: &str, kind: &str) -> Value {
        json!({"metadata": {"name": name},
               "spec": {"group": "example.com", "names": {"plural": plural, "kind": kind, "shortNames": ["x"]}},
               "status": {"acceptedNames": {"plural": plural, "kind": kind, "shortNames": ["x"]}}})
    }

    #[test]
    fn names_another_crd_of_the_group_holds_are_not_accepted() {
        let widgets = crd("widgets.example.com", "widgets", "Widget");
        let same_kind = crd("things.example.com", "things", "Widget");
        assert_eq!(
            name_conflict(&same_kind, std::slice::from_ref(&widgets)),
            Some(("ShortNamesConflict", "\"x\" is already in use".to_string()))
        );
        let mut other = same_kind.clone();
        other["spec"]["names"]["shortNames"] = json!([]);
        assert_eq!(
            name_conflict(&other, std::slice::from_ref(&widgets)),
            Some(("KindConflict", "\"Widget\" is already in use".to_string()))
        );
        // Itself, or another group, is no conflict.
        assert_eq!(
            name_conflict(&widgets, std::slice::from_ref(&widgets)),
            None
        );
        let mut elsewhere = same_kind;
        elsewhere["spec"]["group"] = json!("example.org");
        assert_eq!(name_conflict(&elsewhere, &[widgets]), None);
        let mut status = json!({});
        prepare_for_create(&mut status, Some(("KindConflict", "m".into())), "t");
        assert_eq!(status["status"]["conditions"][1]["reason"], "NotAccepted");
    }
}
