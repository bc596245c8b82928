//! An RBAC policy rule as five string lists, broken down and merged the way kubectl and
//! kube-apiserver do before they print or compare rules.

use super::json::strings;
use serde_json::{Value, json};

/// `rbac/v1 PolicyRule` (also a rules review's resource or non-resource rule).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyRule {
    pub verbs: Vec<String>,
    pub groups: Vec<String>,
    pub resources: Vec<String>,
    pub names: Vec<String>,
    pub urls: Vec<String>,
}

/// Go's `%v` of a `[]string`.
pub fn go_list(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

impl PolicyRule {
    /// The rule's lists as the JSON object holds them (absent lists are empty).
    pub fn of(rule: &Value) -> PolicyRule {
        PolicyRule {
            verbs: strings(rule.get("verbs")),
            groups: strings(rule.get("apiGroups")),
            resources: strings(rule.get("resources")),
            names: strings(rule.get("resourceNames")),
            urls: strings(rule.get("nonResourceURLs")),
        }
    }

    /// The rule as a JSON object, empty lists left out as the API server leaves them out.
    pub fn to_json(&self) -> Value {
        let mut out = json!({"verbs": self.verbs});
        for (key, list) in [
            ("apiGroups", &self.groups),
            ("resources", &self.resources),
            ("resourceNames", &self.names),
            ("nonResourceURLs", &self.urls),
        ] {
            if !list.is_empty() {
                out[key] = json!(list);
            }
        }
        out
    }

    /// The protobuf-generated `PolicyRule.String()`, which kubectl sorts rules by.
    pub fn go_string(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.groups),
            go_list(&self.resources),
            go_list(&self.names),
            go_list(&self.urls)
        )
    }

    /// One rule per group, resource, verb and name (group first, name last), then one per
    /// URL and verb: the order both kubectl and kube-apiserver break rules down in.
    pub fn breakdown(&self) -> Vec<PolicyRule> {
        let one = |s: &String| vec![s.clone()];
        let mut out = Vec::new();
        for g in &self.groups {
            for r in &self.resources {
                for v in &self.verbs {
                    let base = PolicyRule {
                        verbs: one(v),
                        groups: one(g),
                        resources: one(r),
                        ..PolicyRule::default()
                    };
                    if self.names.is_empty() {
                        out.push(base);
                    } else {
                        out.extend(self.names.iter().map(|n| PolicyRule {
                            names: one(n),
                            ..base.clone()
                        }));
                    }
                }
            }
        }
        for u in &self.urls {
            for v in &self.verbs {
                out.push(PolicyRule {
                    verbs: one(v),
                    urls: one(u),
                    ..PolicyRule::default()
                });
            }
        }
        out
    }

    /// Whether kubectl merges this rule's verbs with others on the same group, resource
    /// and name: one group, one resource, at most one name, no URL.
    fn is_simple(&self) -> bool {
        self.urls.is_empty()
            && self.groups.len() == 1
            && self.resources.len() == 1
            && self.names.len() < 2
    }

    /// `pods`, `deployments.apps`, `deployments.apps/scale`: kubectl's resource cell
    /// (CombineResourceGroup) of the first group and resource.
    pub fn resource_cell(&self) -> String {
        let Some(first) = self.resources.first() else {
            return String::new();
        };
        let (base, sub) = match first.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (first.as_str(), None),
        };
        let mut cell = base.to_string();
        if let Some(g) = self.groups.first().filter(|g| !g.is_empty()) {
            cell.push('.');
            cell.push_str(g);
        }
        if let Some(s) = sub {
            cell.push('/');
            cell.push_str(s);
        }
        cell
    }
}

/// Rules broken down, the verbs of rules on one (group, resource, name) gathered in the
/// order met, then sorted (stably) by their Go string: kubectl's CompactRules and sort.
pub fn compact(rules: &[PolicyRule]) -> Vec<PolicyRule> {
    let mut out: Vec<PolicyRule> = Vec::new();
    let mut simple: Vec<PolicyRule> = Vec::new();
    for rule in rules.iter().flat_map(PolicyRule::breakdown) {
        if !rule.is_simple() {
            out.push(rule);
            continue;
        }
        let same = |e: &&mut PolicyRule| {
            (&e.groups, &e.resources, &e.names) == (&rule.groups, &rule.resources, &rule.names)
        };
        match simple.iter_mut().find(same) {
            Some(existing) => {
                for v in &rule.verbs {
                    if !existing.verbs.contains(v) {
                        existing.verbs.push(v.clone());
                    }
                }
            }
            None => simple.push(rule),
        }
    }
    out.extend(simple);
    out.sort_by_key(PolicyRule::go_string);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakdown_goes_group_resource_verb_name_then_urls() {
        let rule = PolicyRule::of(&json!({"verbs": ["get", "list"], "apiGroups": ["", "apps"],
            "resources": ["pods"], "resourceNames": ["a", "b"], "nonResourceURLs": ["/x"]}));
        let got: Vec<(String, String, String, String)> = rule
            .breakdown()
            .iter()
            .map(|r| {
                (
                    go_list(&r.groups),
                    go_list(&r.verbs),
                    go_list(&r.names),
                    go_list(&r.urls),
                )
            })
            .collect();
        let row = |g: &str, v: &str, n: &str, u: &str| (g.into(), v.into(), n.into(), u.into());
        assert_eq!(got.len(), 10);
        assert_eq!(got[0], row("[]", "[get]", "[a]", "[]"));
        assert_eq!(got[1], row("[]", "[get]", "[b]", "[]"));
        assert_eq!(got[2], row("[]", "[list]", "[a]", "[]"));
        assert_eq!(got[4], row("[apps]", "[get]", "[a]", "[]"));
        assert_eq!(got[8], row("[]", "[get]", "[]", "[/x]"));
    }

    #[test]
    fn compact_gathers_verbs_and_sorts_by_go_string() {
        let rules = [
            PolicyRule::of(&json!({"verbs": ["watch"], "apiGroups": [""], "resources": ["pods"]})),
            PolicyRule::of(&json!({"verbs": ["get"], "nonResourceURLs": ["/healthz"]})),
            PolicyRule::of(
                &json!({"verbs": ["get", "watch"], "apiGroups": [""], "resources": ["pods"]}),
            ),
        ];
        let got: Vec<String> = compact(&rules).iter().map(PolicyRule::go_string).collect();
        assert_eq!(
            got,
            [
                "&PolicyRule{Verbs:[get],APIGroups:[],Resources:[],ResourceNames:[],NonResourceURLs:[/healthz],}",
                "&PolicyRule{Verbs:[watch get],APIGroups:[],Resources:[pods],ResourceNames:[],NonResourceURLs:[],}",
            ]
        );
    }

    #[test]
    fn resource_cell_and_json_round_trip() {
        let rule = PolicyRule::of(&json!({"verbs": ["get"], "apiGroups": ["apps"],
            "resources": ["deployments/scale"]}));
        assert_eq!(rule.resource_cell(), "deployments.apps/scale");
        assert_eq!(PolicyRule::of(&rule.to_json()), rule);
        assert_eq!(
            rule.to_json(),
            json!({"verbs": ["get"], "apiGroups": ["apps"], "resources": ["deployments/scale"]})
        );
    }
}
