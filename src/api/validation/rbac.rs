//! rbac.authorization.k8s.io: Roles, ClusterRoles and their bindings, with kube-apiserver's
//! rules: names are path segments, rules need verbs and either resources or URLs, a binding
//! names a role of the right kind and subjects of known kinds, and its roleRef never changes.

use super::field_error::{FieldError, child, index};
use super::{meta, names};
use serde_json::{Value, json};

pub use crate::api::defaults::RBAC_GROUP as GROUP;

/// kube's RBAC names only have to be usable as one URL path segment.
pub fn path_segment_name(name: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    match name {
        "." => msgs.push("may not be '.'".to_string()),
        ".." => msgs.push("may not be '..'".to_string()),
        _ => {}
    }
    for bad in ['/', '%'] {
        if name.contains(bad) {
            msgs.push(format!("may not contain '{bad}'"));
        }
    }
    msgs
}

fn meta_errors(kind: &str, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_object_meta(
        obj.get("metadata"),
        super::is_namespaced(kind),
        path_segment_name,
        "metadata",
    );
    if let Some(old) = old {
        errs.extend(meta::validate_meta_update(
            obj.get("metadata"),
            old.get("metadata"),
        ));
    }
    errs
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn rules(obj: &Value, namespaced: bool, errs: &mut Vec<FieldError>) {
    let Some(rules) = obj.get("rules").and_then(Value::as_array) else {
        return;
    };
    for (i, rule) in rules.iter().enumerate() {
        let path = index("rules", i);
        if strings(rule.get("verbs")).is_empty() {
            errs.push(FieldError::required(
                &child(&path, "verbs"),
                "verbs must contain at least one value",
            ));
        }
        let urls = strings(rule.get("nonResourceURLs"));
        if !urls.is_empty() {
            let field = child(&path, "nonResourceURLs");
            let value = rule.get("nonResourceURLs").cloned().unwrap_or(Value::Null);
            if namespaced {
                errs.push(FieldError::invalid(
                    &field,
                    value.clone(),
                    "namespaced rules cannot apply to non-resource URLs",
                ));
            }
            if !strings(rule.get("apiGroups")).is_empty()
                || !strings(rule.get("resources")).is_empty()
            {
                errs.push(FieldError::invalid(
                    &field,
                    value,
                    "rules cannot apply to both regular resources and non-resource URLs",
                ));
            }
            continue;
        }
        if rule
            .get("apiGroups")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            errs.push(FieldError::required(
                &child(&path, "apiGroups"),
                "resource rules must supply at least one api group",
            ));
        }
        if strings(rule.get("resources")).is_empty() {
            errs.push(FieldError::required(
                &child(&path, "resources"),
                "resource rules must supply at least one resource",
            ));
        }
    }
}

pub fn validate_role(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta_errors("Role", obj, old);
    rules(obj, true, &mut errs);
    errs
}

pub fn validate_cluster_role(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta_errors("ClusterRole", obj, old);
    rules(obj, false, &mut errs);
    if let Some(agg) = obj.get("aggregationRule").filter(|a| a.is_object()) {
        let selectors = agg.get("clusterRoleSelectors").and_then(Value::as_array);
        if selectors.is_none_or(Vec::is_empty) {
            errs.push(FieldError::required(
                "aggregationRule.clusterRoleSelectors",
                "at least one clusterRoleSelector required if aggregationRule is non-nil",
            ));
        }
    }
    errs
}

pub fn validate_role_binding(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    binding("RoleBinding", obj, old, &["Role", "ClusterRole"])
}

pub fn validate_cluster_role_binding(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    binding("ClusterRoleBinding", obj, old, &["ClusterRole"])
}

fn binding(kind: &str, obj: &Value, old: Option<&Value>, role_kinds: &[&str]) -> Vec<FieldError> {
    let namespaced = kind == "RoleBinding";
    let mut errs = meta_errors(kind, obj, old);
    let role_ref = obj.get("roleRef").cloned().unwrap_or(json!({}));
    let group = str_of(&role_ref, "apiGroup");
    if group != GROUP {
        errs.push(FieldError::not_supported(
            "roleRef.apiGroup",
            json!(group),
            &[GROUP],
        ));
    }
    let role_kind = str_of(&role_ref, "kind");
    if !role_kinds.contains(&role_kind) {
        errs.push(FieldError::not_supported(
            "roleRef.kind",
            json!(role_kind),
            role_kinds,
        ));
    }
    let name = str_of(&role_ref, "name");
    if name.is_empty() {
        errs.push(FieldError::required("roleRef.name", ""));
    } else {
        for msg in path_segment_name(name) {
            errs.push(FieldError::invalid("roleRef.name", json!(name), &msg));
        }
    }
    let subjects = obj.get("subjects").and_then(Value::as_array);
    for (i, s) in subjects.into_iter().flatten().enumerate() {
        subject(s, namespaced, &index("subjects", i), &mut errs);
    }
    if let Some(old) = old {
        let before = old.get("roleRef").cloned().unwrap_or(json!({}));
        let same = ["apiGroup", "kind", "name"]
            .iter()
            .all(|k| str_of(&before, k) == str_of(&role_ref, k));
        if !same {
            errs.push(FieldError::invalid_repr(
                "roleRef",
                go_role_ref(&role_ref),
                "cannot change roleRef",
            ));
        }
    }
    errs
}

/// The internal `rbac.RoleRef` as Go's `%#v` prints it.
fn go_role_ref(r: &Value) -> String {
    format!(
        "rbac.RoleRef{{APIGroup:{}, Kind:{}, Name:{}}}",
        crate::go::quote(str_of(r, "apiGroup")),
        crate::go::quote(str_of(r, "kind")),
        crate::go::quote(str_of(r, "name")),
    )
}

fn subject(s: &Value, namespaced: bool, path: &str, errs: &mut Vec<FieldError>) {
    let name = str_of(s, "name");
    if name.is_empty() {
        errs.push(FieldError::required(&child(path, "name"), ""));
    }
    let group = str_of(s, "apiGroup");
    match str_of(s, "kind") {
        "ServiceAccount" => {
            if !name.is_empty() {
                for msg in names::is_dns1123_subdomain(name) {
                    errs.push(FieldError::invalid(&child(path, "name"), json!(name), &msg));
                }
            }
            if !group.is_empty() {
                errs.push(FieldError::not_supported(
                    &child(path, "apiGroup"),
                    json!(group),
                    &[""],
                ));
            }
            if !namespaced && str_of(s, "namespace").is_empty() {
                errs.push(FieldError::required(&child(path, "namespace"), ""));
            }
        }
        "User" | "Group" => {
            if group != GROUP {
                errs.push(FieldError::not_supported(
                    &child(path, "apiGroup"),
                    json!(group),
                    &[GROUP],
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            &child(path, "kind"),
            json!(other),
            &["ServiceAccount", "User", "Group"],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn rules_need_verbs_and_targets() {
        let role = json!({"metadata": {"name": "r", "namespace": "d"},
            "rules": [{"verbs": [], "apiGroups": [""]}, {"verbs": ["get"], "nonResourceURLs": ["/x"]}]});
        assert_eq!(
            messages(&validate_role(&role, None)),
            [
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].resources: Required value: resource rules must supply at least one resource",
                "rules[1].nonResourceURLs: Invalid value: []string{\"/x\"}: namespaced rules cannot apply to non-resource URLs",
            ]
        );
        let cluster = json!({"metadata": {"name": "a/b"}, "rules": [{"verbs": ["get"], "nonResourceURLs": ["/x"]}]});
        assert_eq!(
            messages(&validate_cluster_role(&cluster, None)),
            ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]
        );
    }

    #[test]
    fn bindings_check_role_and_subjects_and_keep_their_role() {
        let b = json!({"metadata": {"name": "b"},
            "roleRef": {"apiGroup": GROUP, "kind": "Role", "name": "x"},
            "subjects": [{"kind": "ServiceAccount", "name": "sa"}, {"kind": "Robot", "name": "r"}]});
        assert_eq!(
            messages(&validate_cluster_role_binding(&b, None)),
            [
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value",
                "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
            ]
        );
        let old = json!({"metadata": {"name": "b", "namespace": "d"},
            "roleRef": {"apiGroup": GROUP, "kind": "Role", "name": "x"}});
        let new = json!({"metadata": {"name": "b", "namespace": "d"},
            "roleRef": {"apiGroup": GROUP, "kind": "Role", "name": "y"}});
        assert_eq!(
            messages(&validate_role_binding(&new, Some(&old))),
            [
                "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"y\"}: cannot change roleRef"
            ]
        );
    }
}
