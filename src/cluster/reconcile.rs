//! kube-apiserver's reconciliation of its bootstrap RBAC policy, run each time it starts:
//! a role that exists keeps what it has and gains the rules (and aggregation selectors) it
//! lacks; a binding gains the subjects it lacks, and is made again when it points at another
//! role; labels and annotations of the policy are added where missing. An object annotated
//! `rbac.authorization.kubernetes.io/autoupdate: "false"` is left as it is. Nothing is ever
//! taken away (kube-apiserver reconciles in its "union" mode).

use crate::api::policy_rule::PolicyRule;
use serde_json::{Map, Value, json};

const AUTOUPDATE: &str = "rbac.authorization.kubernetes.io/autoupdate";

/// What a binding that exists needs to become the expected one.
#[derive(Debug, PartialEq)]
pub enum BindingChange {
    /// Written over the existing one (same role, more subjects or metadata).
    Update(Value),
    /// Deleted and created again: its roleRef, which cannot change, names another role.
    Recreate,
}

/// The role `existing` becomes when reconciled with `expected`; `None` when nothing differs
/// or the role opted out.
pub fn role(mut existing: Value, expected: &Value) -> Option<Value> {
    if is_protected(&existing) {
        return None;
    }
    let mut changed = merge_metadata(&mut existing, expected);
    let missing = uncovered(rules(&existing), rules(expected));
    if !missing.is_empty() {
        let mut all = rules(&existing).to_vec();
        all.extend(missing);
        existing["rules"] = Value::Array(all);
        changed = true;
    }
    let have = existing.get("aggregationRule").filter(|a| !a.is_null());
    match expected.get("aggregationRule").filter(|a| !a.is_null()) {
        None if have.is_some() => {
            if let Some(obj) = existing.as_object_mut() {
                obj.remove("aggregationRule");
            }
            changed = true;
        }
        None => {}
        Some(want) => {
            let mut all = selectors(have).to_vec();
            let before = all.len();
            for s in selectors(Some(want)) {
                if !all.contains(s) {
                    all.push(s.clone());
                }
            }
            if all.len() != before {
                existing["aggregationRule"] = json!({"clusterRoleSelectors": all});
                changed = true;
            }
        }
    }
    changed.then_some(existing)
}

/// What the binding `existing` needs to become `expected`; `None` when nothing differs or
/// the binding opted out.
pub fn binding(mut existing: Value, expected: &Value) -> Option<BindingChange> {
    if is_protected(&existing) {
        return None;
    }
    if role_ref(&existing) != role_ref(expected) {
        return Some(BindingChange::Recreate);
    }
    let mut changed = merge_metadata(&mut existing, expected);
    let have = subjects(&existing);
    let missing: Vec<Value> = expected
        .get("subjects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|s| !have.contains(&subject_key(s)))
        .cloned()
        .collect();
    if !missing.is_empty() {
        let mut all = existing
            .get("subjects")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        all.extend(missing);
        existing["subjects"] = Value::Array(all);
        changed = true;
    }
    changed.then_some(BindingChange::Update(existing))
}

fn is_protected(obj: &Value) -> bool {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(AUTOUPDATE))
        .and_then(Value::as_str)
        == Some("false")
}

/// Adds the expected labels and annotations the object lacks (its own values win); whether
/// any was added.
fn merge_metadata(obj: &mut Value, expected: &Value) -> bool {
    let mut changed = false;
    for field in ["labels", "annotations"] {
        let Some(want) = expected
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
            continue;
        };
        let lacking = |have: Option<&Value>| {
            want.keys().any(|k| {
                !have
                    .and_then(Value::as_object)
                    .is_some_and(|h| h.contains_key(k))
            })
        };
        if !lacking(meta.get(field)) {
            continue;
        }
        let have = meta
            .entry(field)
            .or_insert_with(|| Value::Object(Map::new()));
        if !have.is_object() {
            *have = Value::Object(Map::new());
        }
        let Some(have) = have.as_object_mut() else {
            continue;
        };
        for (k, v) in want {
            if !have.contains_key(k) {
                have.insert(k.clone(), v.clone());
                changed = true;
            }
        }
    }
    changed
}

fn rules(obj: &Value) -> &[Value] {
    obj.get("rules")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn selectors(rule: Option<&Value>) -> &[Value] {
    rule.and_then(|r| r.get("clusterRoleSelectors"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn role_ref(obj: &Value) -> (String, String, String) {
    let field = |f: &str| {
        obj.pointer(&format!("/roleRef/{f}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (field("apiGroup"), field("kind"), field("name"))
}

/// A subject as kube compares them: kind, apiGroup, name and namespace, absent ones empty.
fn subject_key(s: &Value) -> [String; 4] {
    ["kind", "apiGroup", "name", "namespace"]
        .map(|f| s.get(f).and_then(Value::as_str).unwrap_or("").to_string())
}

fn subjects(obj: &Value) -> Vec<[String; 4]> {
    obj.get("subjects")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(subject_key).collect())
        .unwrap_or_default()
}

/// The single permissions of `wanted` that no rule of `owner` grants, each as a rule of its
/// own (one verb, one group and resource or one URL, maybe one name), as kube adds them.
fn uncovered(owner: &[Value], wanted: &[Value]) -> Vec<Value> {
    // Rules the same as expected (a role as it was created) cover it: the common case, at
    // every start, costs one comparison.
    if owner == wanted {
        return Vec::new();
    }

    let owner: Vec<PolicyRule> = owner.iter().map(PolicyRule::of).collect();
    let mut out = Vec::new();
    for rule in wanted.iter().map(PolicyRule::of) {
        for single in rule.breakdown() {
            if !owner.iter().any(|o| covers(o, &single)) {
                out.push(single.to_json());
            }
        }
    }
    out
}

/// Whether `rule` grants the single permission `p` (one verb on one group's resource, maybe
/// one name, or on one URL), with kube's wildcards: `*` verbs, groups and resources, `*/sub`
/// for a subresource of any resource, a URL ending in `*`.
fn covers(rule: &PolicyRule, p: &PolicyRule) -> bool {
    let has = |set: &[String], s: &str| set.iter().any(|x| x == s);
    let first = |list: &[String]| list.first().cloned().unwrap_or_default();
    if !(has(&rule.verbs, "*") || has(&rule.verbs, &first(&p.verbs))) {
        return false;
    }
    if let Some(path) = p.urls.first() {
        return rule.names.is_empty()
            && rule.urls.iter().any(|u| {
                u == path
                    || u.strip_suffix('*')
                        .is_some_and(|prefix| path.starts_with(prefix.trim_end_matches('*')))
            });
    }
    let resource = first(&p.resources);
    let resource_ok = has(&rule.resources, "*")
        || has(&rule.resources, &resource)
        || resource.split_once('/').is_some_and(|(_, sub)| {
            rule.resources
                .iter()
                .any(|r| r.strip_prefix("*/") == Some(sub))
        });
    (has(&rule.groups, "*") || has(&rule.groups, &first(&p.groups)))
        && resource_ok
        && (rule.names.is_empty() || p.names.first().is_some_and(|n| has(&rule.names, n)))
        && rule.urls.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(name: &str) -> Value {
        json!({"name": name, "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
               "annotations": {AUTOUPDATE: "true"}})
    }

    #[test]
    fn a_role_that_has_every_rule_is_left_alone() {
        let want = json!({"metadata": meta("r"), "rules": [
            {"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}]});
        let have = json!({"metadata": meta("r"), "rules": [
            {"verbs": ["*"], "apiGroups": [""], "resources": ["pods", "services"]}]});
        assert_eq!(role(have, &want), None);
    }

    #[test]
    fn missing_permissions_are_added_one_by_one_in_kubes_order_after_the_rules_there() {
        let want = json!({"metadata": meta("r"), "rules": [
            {"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "pods/log"]},
            {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]});
        let have = json!({"metadata": meta("r"), "rules": [
            {"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]},
            {"verbs": ["get"], "nonResourceURLs": ["/health*"]}]});
        let out = role(have, &want).unwrap();
        assert_eq!(
            out["rules"],
            json!([
                {"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]},
                {"verbs": ["get"], "nonResourceURLs": ["/health*"]},
                {"verbs": ["list"], "apiGroups": [""], "resources": ["pods"]},
                {"verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]},
                {"verbs": ["list"], "apiGroups": [""], "resources": ["pods/log"]}
            ])
        );
    }

    #[test]
    fn subresource_wildcards_and_names_cover_as_kube_reads_them() {
        let star = json!({"verbs": ["get"], "apiGroups": ["*"], "resources": ["*/status"]});
        let status =
            json!({"verbs": ["get"], "apiGroups": ["apps"], "resources": ["deployments/status"]});
        assert!(uncovered(&[star], std::slice::from_ref(&status)).is_empty());
        let named = json!({"verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a"]});
        let any = json!({"verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"]});
        assert_eq!(
            uncovered(std::slice::from_ref(&named), std::slice::from_ref(&any)),
            vec![any.clone()]
        );
        assert!(uncovered(&[any], &[named]).is_empty());
        let urls = json!({"verbs": ["get"], "nonResourceURLs": ["/api/*"]});
        let url = json!({"verbs": ["get"], "nonResourceURLs": ["/api/v1"]});
        assert!(uncovered(&[urls], &[url]).is_empty());
    }

    #[test]
    fn autoupdate_false_opts_out() {
        let want = json!({"metadata": meta("r"), "rules": [
            {"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]});
        let have =
            json!({"metadata": {"name": "r", "annotations": {AUTOUPDATE: "false"}}, "rules": []});
        assert_eq!(role(have, &want), None);
        let b = json!({"metadata": {"name": "b", "annotations": {AUTOUPDATE: "false"}},
                       "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "x"}});
        let wb = json!({"metadata": meta("b"),
                        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "y"}});
        assert_eq!(binding(b, &wb), None);
    }

    #[test]
    fn labels_and_annotations_are_added_but_the_objects_own_values_stay() {
        let want = json!({"metadata": meta("r"), "rules": []});
        let have =
            json!({"metadata": {"name": "r", "annotations": {AUTOUPDATE: "yes"}}, "rules": []});
        let out = role(have, &want).unwrap();
        assert_eq!(out["metadata"]["annotations"][AUTOUPDATE], "yes");
        assert_eq!(
            out["metadata"]["labels"]["kubernetes.io/bootstrapping"],
            "rbac-defaults"
        );
    }

    #[test]
    fn aggregation_selectors_are_added_and_an_unexpected_rule_removed() {
        let sel = |n: &str| json!({"matchLabels": {n: "true"}});
        let want = json!({"metadata": meta("r"), "aggregationRule": {"clusterRoleSelectors": [sel("a"), sel("b")]}, "rules": []});
        let have = json!({"metadata": meta("r"), "aggregationRule": {"clusterRoleSelectors": [sel("a")]},
                          "rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]});
        let out = role(have.clone(), &want).unwrap();
        assert_eq!(
            out["aggregationRule"]["clusterRoleSelectors"],
            json!([sel("a"), sel("b")])
        );
        // Aggregated rules stay: the aggregation controller owns them.
        assert_eq!(out["rules"], have["rules"]);
        let plain = json!({"metadata": meta("r"), "rules": []});
        let out = role(have, &plain).unwrap();
        assert!(out.get("aggregationRule").is_none());
    }

    #[test]
    fn bindings_gain_missing_subjects_and_are_made_again_for_another_role() {
        let rr = |n: &str| json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": n});
        let user =
            |n: &str| json!({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": n});
        let want =
            json!({"metadata": meta("b"), "roleRef": rr("x"), "subjects": [user("a"), user("b")]});
        let have =
            json!({"metadata": meta("b"), "roleRef": rr("x"), "subjects": [user("b"), user("c")]});
        assert_eq!(
            binding(have, &want),
            Some(BindingChange::Update(
                json!({"metadata": meta("b"), "roleRef": rr("x"), "subjects": [user("b"), user("c"), user("a")]})
            ))
        );
        assert_eq!(binding(want.clone(), &want), None);
        let other =
            json!({"metadata": meta("b"), "roleRef": rr("y"), "subjects": [user("a"), user("b")]});
        assert_eq!(binding(other, &want), Some(BindingChange::Recreate));
    }
}
