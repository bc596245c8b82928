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
    // A schema every version shares is checked once, where kube's internal form holds it.
    let shared = obj
        .get("spec")
        .is_some_and(|s| validation::shared_by_versions(s, "schema"));
    let checked = if shared { 1 } else { usize::MAX };
    for (i, v) in versions.into_iter().flatten().enumerate().take(checked) {
        let Some(raw) = v.pointer("/schema/openAPIV3Schema") else {
            continue;
        };
        let field = if shared {
            "spec.validation.openAPIV3Schema".to_string()
        } else {
            format!("spec.versions[{i}].schema.openAPIV3Schema")
        };
        match Schema::compile(raw, &field) {
            Ok(c) => errs.extend(c.non_structural),
            Err(e) => errs.extend(e),
        }
    }
    errs
}

/// Validation of a CRD as written (static rules, schemas, what kubelite refuses); 422. On
/// update, the versions stored so far (and the new storage version) must stay in the spec.
pub fn validate(obj: &Value, old: Option<&Value>) -> Result<(), ApiError> {
    let mut errs = validation::validate(KIND, obj, old);
    errs.extend(check_schemas(obj));
    if let Some(old) = old {
        let mut stored: Option<Vec<Value>> = old
            .pointer("/status/storedVersions")
            .and_then(Value::as_array)
            .cloned();
        if let Some(v) = storage_version(obj) {
            let list = stored.get_or_insert_with(Vec::new);
            if !list.iter().any(|s| s.as_str() == Some(v.as_str())) {
                list.push(json!(v));
            }
        }
        let spec = obj.get("spec").cloned().unwrap_or(json!({}));
        errs.extend(validation::stored_versions_errors(&spec, stored.as_deref()));
    }
    super::admit::refuse_invalid(obj, &errs, |name| {
        validation::invalid_status(KIND, name, &errs)
    })
}

/// A status write's check: its `storedVersions` against the spec, as kube checks them.
pub fn validate_status(obj: &Value) -> Result<(), ApiError> {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let stored = obj
        .pointer("/status/storedVersions")
        .and_then(Value::as_array)
        .map(Vec::as_slice);
    let errs = validation::stored_versions_errors(&spec, stored);
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

/// The fields of CRD names in Go's order: (JSON name, is a list, omitted when empty).
const NAME_FIELDS: [(&str, bool, bool); 6] = [
    ("plural", false, false),
    ("singular", false, true),
    ("shortNames", true, true),
    ("kind", false, false),
    ("listKind", false, true),
    ("categories", true, true),
];

/// A name as Go holds it: missing is "".
fn name_of<'a>(names: Option<&'a Value>, field: &str) -> &'a str {
    names
        .and_then(|n| n.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// A list of names as Go holds it: missing is empty.
fn names_of<'a>(names: Option<&'a Value>, field: &str) -> Vec<&'a str> {
    names
        .and_then(|n| n.get(field))
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// kube's semantic equality of two names structs (an empty list is no list).
fn same_names(a: Option<&Value>, b: Option<&Value>) -> bool {
    NAME_FIELDS.iter().all(|(field, list, _)| {
        if *list {
            names_of(a, field) == names_of(b, field)
        } else {
            name_of(a, field) == name_of(b, field)
        }
    })
}

/// The NamesAccepted verdict: (status, reason, message).
type Verdict = (&'static str, &'static str, String);

/// What kube's naming controller decides for `crd`: each requested name is taken unless
/// an accepted name of the group (`group_crds`, the CRD itself among them) holds it, the
/// last conflict found giving the reason; a name in conflict keeps its accepted value.
fn decide_names(crd: &Value, group_crds: &[&Value]) -> (Value, Verdict) {
    let mut resources: Vec<&str> = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for c in group_crds {
        let a = c.pointer("/status/acceptedNames");
        resources.extend([name_of(a, "plural"), name_of(a, "singular")]);
        resources.extend(names_of(a, "shortNames"));
        kinds.extend([name_of(a, "kind"), name_of(a, "listKind")]);
    }
    let requested = crd.pointer("/spec/names");
    let accepted = crd.pointer("/status/acceptedNames");
    let in_use = |want: &str, had: &str, used: &[&str]| {
        (want != had && used.contains(&want)).then(|| format!("{want:?} is already in use"))
    };
    let mut conflict: Option<(&'static str, String)> = None;
    let mut new = Map::new();
    for (field, list, omit_empty) in NAME_FIELDS {
        let value = if field == "categories" {
            json!(names_of(requested, field))
        } else if list {
            let want = names_of(requested, field);
            let had = names_of(accepted, field);
            // A short name already ours, or our own plural or singular, is no conflict.
            let own = [name_of(accepted, "plural"), name_of(accepted, "singular")];
            let mut errs: Vec<String> = Vec::new();
            if want != had {
                for s in &want {
                    if had.contains(s) || own.contains(s) {
                        continue;
                    }
                    if let Some(e) = in_use(s, "", &resources)
                        && !errs.contains(&e)
                    {
                        errs.push(e);
                    }
                }
            }
            match errs.as_slice() {
                [] => json!(want),
                [one] => {
                    conflict = Some(("ShortNamesConflict", one.clone()));
                    json!(had)
                }
                many => {
                    conflict = Some(("ShortNamesConflict", format!("[{}]", many.join(", "))));
                    json!(had)
                }
            }
        } else {
            let want = name_of(requested, field);
            let had = name_of(accepted, field);
            let used = if field.ends_with("ind") {
                &kinds
            } else {
                &resources
            };
            match in_use(want, had, used) {
                None => json!(want),
                Some(e) => {
                    let reason = match field {
                        "plural" => "PluralConflict",
                        "singular" => "SingularConflict",
                        "kind" => "KindConflict",
                        _ => "ListKindConflict",
                    };
                    conflict = Some((reason, e));
                    json!(had)
                }
            }
        };
        let empty = value.as_str() == Some("") || value.as_array().is_some_and(Vec::is_empty);
        if !(omit_empty && empty) {
            new.insert(field.to_string(), value);
        }
    }
    let verdict = match conflict {
        None => ("True", "NoConflicts", "no conflicts found".to_string()),
        Some((reason, message)) => ("False", reason, message),
    };
    (Value::Object(new), verdict)
}

fn find_condition<'a>(crd: &'a Value, kind: &str) -> Option<&'a Value> {
    crd.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
}

/// Sets a condition of the CRD's status (which `settle` made sure exists).
fn set_crd_condition(crd: &mut Value, new: Value) {
    let Some(status) = crd.get_mut("status").and_then(Value::as_object_mut) else {
        return;
    };
    let list = status.entry("conditions").or_insert_with(|| json!([]));
    if !list.is_array() {
        *list = json!([]);
    }
    if let Some(list) = list.as_array_mut() {
        set_condition(list, new);
    }
}

/// What kube-apiserver's naming and establishing controllers make of a CRD after any write
/// to it (spec or status), done at once where they do it just after: names the spec asks
/// for that differ from the accepted ones are accepted unless another CRD of the group
/// (`crds`: the stored CRDs, this one's old self ignored) holds them; then a CRD whose
/// names are accepted and that is not Established is established, unless its conversion
/// `caBundle` is invalid.
pub fn settle(crd: &mut Value, crds: &[Value], now: &str) {
    if let Some(map) = crd.as_object_mut()
        && !map.get("status").is_some_and(Value::is_object)
    {
        map.insert("status".into(), json!({}));
    }
    name_crd(crd, crds, now);
    if validation::crd_condition_true(crd, "NamesAccepted")
        && !validation::crd_condition_true(crd, "Established")
    {
        let established = establishment(crd, now);
        set_crd_condition(crd, established);
    }
}

/// The naming controller's step: nothing when the accepted names are the spec's, or when
/// neither they nor the NamesAccepted condition would change.
fn name_crd(crd: &mut Value, crds: &[Value], now: &str) {
    if same_names(
        crd.pointer("/spec/names"),
        crd.pointer("/status/acceptedNames"),
    ) {
        return;
    }
    let group = crd.pointer("/spec/group");
    let name = crd.pointer("/metadata/name");
    let group_crds: Vec<&Value> = crds
        .iter()
        .filter(|c| c.pointer("/spec/group") == group && c.pointer("/metadata/name") != name)
        .chain(std::iter::once(&*crd))
        .collect();
    let (names, (status, reason, message)) = decide_names(crd, &group_crds);
    let same_condition = find_condition(crd, "NamesAccepted").is_some_and(|c| {
        let text = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
        text("status") == status && text("reason") == reason && text("message") == message
    });
    if same_condition && crd.pointer("/status/acceptedNames") == Some(&names) {
        return;
    }
    let accepted = status == "True";
    let established = match find_condition(crd, "Established") {
        Some(c) if !accepted || c.get("status").and_then(Value::as_str) == Some("True") => {
            c.clone()
        }
        None if !accepted => condition(
            "Established",
            "False",
            "NotAccepted",
            "not all names are accepted",
            now,
        ),
        _ => condition(
            "Established",
            "False",
            "Installing",
            "the initial names have been accepted",
            now,
        ),
    };
    if let Some(map) = crd.get_mut("status").and_then(Value::as_object_mut) {
        map.insert("acceptedNames".into(), names);
    }
    set_crd_condition(
        crd,
        condition("NamesAccepted", status, reason, &message, now),
    );
    set_crd_condition(crd, established);
}

/// The status of a new CRD (kube drops what the request sent): its storage version
/// recorded, then named and established as `settle` decides among the stored `crds`.
pub fn prepare_for_create(obj: &mut Value, crds: &[Value], now: &str) {
    let stored: Vec<String> = storage_version(obj).into_iter().collect();
    if let Some(map) = obj.as_object_mut() {
        map.insert(
            "status".into(),
            json!({"acceptedNames": {}, "conditions": [], "storedVersions": stored}),
        );
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("generation".into(), json!(1));
        }
    }
    settle(obj, crds, now);
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
/// changes (or it had none).
fn set_condition(conditions: &mut Vec<Value>, new: Value) {
    match conditions
        .iter_mut()
        .find(|c| c.get("type") == new.get("type"))
    {
        None => conditions.push(new),
        Some(c) => {
            let moved = c.get("status") != new.get("status")
                || c.get("lastTransitionTime")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty);
            for key in ["status", "reason", "message"] {
                c[key] = new[key].clone();
            }
            if moved {
                c["lastTransitionTime"] = new["lastTransitionTime"].clone();
            }
        }
    }
}

/// After an update of the spec: a new storage version recorded, then names and conditions
/// settled as after any write.
pub fn prepare_for_update(obj: &mut Value, crds: &[Value], now: &str) {
    let storage = storage_version(obj);
    if let Some(v) = storage
        && let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut)
    {
        let stored = status.entry("storedVersions").or_insert_with(|| json!([]));
        if let Some(list) = stored.as_array_mut()
            && !list.iter().any(|s| s.as_str() == Some(v.as_str()))
        {
            list.push(json!(v));
        }
    }
    settle(obj, crds, now);
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
               "spec": {"group": "example.com",
                        "names": {"plural": plural, "kind": kind, "shortNames": ["x"]}}})
    }

    fn created(c: &Value, crds: &[Value], now: &str) -> Value {
        let mut c = c.clone();
        prepare_for_create(&mut c, crds, now);
        c
    }

    fn condition_of(c: &Value, kind: &str) -> (String, String, String) {
        let found = find_condition(c, kind).unwrap();
        let text = |k: &str| found[k].as_str().unwrap().to_string();
        (text("status"), text("reason"), text("lastTransitionTime"))
    }

    #[test]
    fn names_another_crd_of_the_group_holds_are_not_accepted() {
        let widgets = created(&crd("widgets.example.com", "widgets", "Widget"), &[], "t0");
        assert_eq!(
            widgets["status"]["acceptedNames"],
            json!({"plural": "widgets", "shortNames": ["x"], "kind": "Widget"})
        );
        assert_eq!(
            condition_of(&widgets, "Established").1,
            "InitialNamesAccepted"
        );
        // Short name and kind both taken: the last conflict is the reason, and only the
        // free names are accepted.
        let things = created(
            &crd("things.example.com", "things", "Widget"),
            std::slice::from_ref(&widgets),
            "t1",
        );
        assert_eq!(
            things["status"]["acceptedNames"],
            json!({"plural": "things", "kind": ""})
        );
        let accepted = find_condition(&things, "NamesAccepted").unwrap();
        assert_eq!(accepted["reason"], "KindConflict");
        assert_eq!(accepted["message"], "\"Widget\" is already in use");
        assert_eq!(condition_of(&things, "Established").1, "NotAccepted");
        // Another group is no conflict; nor is the CRD's own old self.
        let mut elsewhere = crd("things.example.org", "things", "Widget");
        elsewhere["spec"]["group"] = json!("example.org");
        let elsewhere = created(&elsewhere, std::slice::from_ref(&widgets), "t1");
        assert_eq!(condition_of(&elsewhere, "Established").0, "True");
        let mut again = widgets.clone();
        again["status"] = json!({});
        settle(&mut again, std::slice::from_ref(&widgets), "t2");
        assert_eq!(condition_of(&again, "NamesAccepted").0, "True");
    }

    #[test]
    fn a_schema_every_version_shares_is_checked_at_the_top() {
        let schema = json!({"openAPIV3Schema": {"type": "object",
            "properties": {"spec": {"properties": {"a": {"type": "string"}}}}}});
        let version = |name: &str, storage: bool| json!({"name": name, "served": true, "storage": storage, "schema": schema});
        let mut c = json!({"metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget",
                          "listKind": "WidgetList"},
                "versions": [version("v1", true), version("v2", false)]}});
        let paths = |c: &Value| -> Vec<String> {
            check_schemas(c)
                .iter()
                .map(|e| e.to_string().split(':').next().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(
            paths(&c),
            ["spec.validation.openAPIV3Schema.properties[spec].type"]
        );
        c["spec"]["versions"][1]["schema"]["openAPIV3Schema"]["description"] = json!("v2");
        assert_eq!(
            paths(&c),
            [
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].type",
                "spec.versions[1].schema.openAPIV3Schema.properties[spec].type"
            ]
        );
    }

    #[test]
    fn any_write_is_settled_as_kubes_controllers_settle_it() {
        let widgets = created(&crd("widgets.example.com", "widgets", "Widget"), &[], "t0");
        let crds = std::slice::from_ref(&widgets);
        // Established taken away through status: established again, at a new time.
        let mut unestablished = widgets.clone();
        unestablished["status"]["conditions"][1] =
            json!({"type": "Established", "status": "False", "reason": "Manual", "message": "m"});
        settle(&mut unestablished, crds, "t1");
        assert_eq!(
            condition_of(&unestablished, "Established"),
            ("True".into(), "InitialNamesAccepted".into(), "t1".into())
        );
        // Accepted names cleared: the spec's again; the established CRD stays so.
        let mut renamed = widgets.clone();
        renamed["status"]["acceptedNames"] = json!({"plural": "", "kind": ""});
        settle(&mut renamed, crds, "t1");
        assert_eq!(renamed["status"], widgets["status"]);
        // NamesAccepted False with the spec's names accepted: kube's naming controller
        // skips a CRD whose names are its spec's, so it stays.
        let mut refused = widgets.clone();
        refused["status"]["conditions"][0]["status"] = json!("False");
        let before = refused.clone();
        settle(&mut refused, crds, "t1");
        assert_eq!(refused, before);
        // A spec renamed to a kind another CRD holds: the old kind stays accepted and the
        // CRD stays Established.
        let gadgets = created(&crd("gadgets.example.com", "gadgets", "Gadget"), &[], "t0");
        let mut taken = widgets.clone();
        taken["spec"]["names"]["kind"] = json!("Gadget");
        prepare_for_update(&mut taken, &[widgets.clone(), gadgets], "t2");
        assert_eq!(taken["status"]["acceptedNames"]["kind"], "Widget");
        assert_eq!(
            condition_of(&taken, "NamesAccepted"),
            ("False".into(), "KindConflict".into(), "t2".into())
        );
        assert_eq!(
            condition_of(&taken, "Established"),
            ("True".into(), "InitialNamesAccepted".into(), "t0".into())
        );
    }
}
