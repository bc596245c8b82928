//! kube-apiserver's reconciliation of its bootstrap RBAC policy, run each time it starts:
//! a role that exists keeps what it has and gains the rules (and aggregation selectors) it
//! lacks; a binding gains the subjects it lacks, and is made again when it points at another
//! role; labels and annotations of the policy are added where missing. An object annotated
//! `rbac.authorization.kubernetes.io/autoupdate: "false"` is left as it is. Nothing is ever
//! taken away (kube-apiserver reconciles in its "union" mode).

use crate::api::json::strings;
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

    let owner: Vec<Rule> = owner.iter().map(Rule::of).collect();
    let mut out = Vec::new();
    for rule in wanted.iter().map(Rule::of) {
        rule.each_permission(&mut |atom| {
            if !owner.iter().any(|o| o.covers(&atom)) {
                out.push(atom.to_rule());
            }
        });
    }
    out
}

/// A policy rule's lists, read once.
struct Rule {
    verbs: Vec<String>,
    groups: Vec<String>,
    resources: Vec<String>,
    names: Vec<String>,
    urls: Vec<String>,
}

/// One permission: a verb on one group's resource (maybe one name), or on one URL.
struct Permission<'a> {
    verb: &'a str,
    target: Target<'a>,
}

enum Target<'a> {
    Resource {
        group: &'a str,
        resource: &'a str,
        name: Option<&'a str>,
    },
    Url(&'a str),
}

impl Rule {
    fn of(rule: &Value) -> Rule {
        Rule {
            verbs: strings(rule.get("verbs")),
            groups: strings(rule.get("apiGroups")),
            resources: strings(rule.get("resources")),
            names: strings(rule.get("resourceNames")),
            urls: strings(rule.get("nonResourceURLs")),
        }
    }

    /// The rule broken down as kube breaks it: group, then resource, then verb, then name;
    /// then each URL with each verb.
    fn each_permission<'a>(&'a self, visit: &mut dyn FnMut(Permission<'a>)) {
        for group in &self.groups {
            for resource in &self.resources {
                for verb in &self.verbs {
                    let one = |name| Permission {
                        verb,
                        target: Target::Resource {
                            group,
                            resource,
                            name,
                        },
                    };
                    if self.names.is_empty() {
                        visit(one(None));
                    } else {
                        for name in &self.names {
                            visit(one(Some(name)));
                        }
                    }
                }
            }
        }
        for url in &self.urls {
            for verb in &self.verbs {
                visit(Permission {
                    verb,
                    target: Target::Url(url),
                });
            }
        }
    }

    /// Whether the rule grants the permission, with kube's wildcards: `*` verbs, groups
    /// and resources, `*/sub` for a subresource of any resource, a URL ending in `*`.
    fn covers(&self, p: &Permission) -> bool {
        let has = |set: &[String], s: &str| set.iter().any(|x| x == s);
        if !(has(&self.verbs, "*") || has(&self.verbs, p.verb)) {
            return false;
        }
        match p.target {
            Target::Resource {
                group,
                resource,
                name,
            } => {
                let resource_ok = has(&self.resources, "*")
                    || has(&self.resources, resource)
                    || resource.split_once('/').is_some_and(|(_, sub)| {
                        self.resources
                            .iter()
                            .any(|r| r.strip_prefix("*/") == Some(sub))
                    });
                (has(&self.groups, "*") || has(&self.groups, group))
                    && resource_ok
                    && (self.names.is_empty() || name.is_some_and(|n| has(&self.names, n)))
                    && self.urls.is_empty()
            }
            Target::Url(path) => {
                self.urls.iter().any(|u| {
                    u == path
                        || u.strip_suffix('*')
                            .is_some_and(|prefix| path.starts_with(prefix.trim_end_matches('*')))
                }) && self.names.is_empty()
            }
        }
    }
}

impl Permission<'_> {
    fn to_rule(&self) -> Value {
        match self.target {
            Target::Resource {
                group,
                resource,
                name,
            } => {
                let mut r =
                    json!({"verbs": [self.verb], "apiGroups": [group], "resources": [resource]});
                if let Some(n) = name {
                    r["resourceNames"] = json!([n]);
                }
                r
            }
            Target::Url(url) => json!({"verbs": [self.verb], "nonResourceURLs": [url]}),
        }
    }
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
