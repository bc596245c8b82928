//! Whether a request is one a policy's matchConstraints (or a binding's matchResources)
//! select: the namespace and object selectors, excludeResourceRules, then resourceRules
//! (an empty list matches every resource), each rule as webhooks match theirs plus its
//! resourceNames.

use super::super::ApiServer;
use super::super::webhooks::{Attributes, rule_matches};
use super::config::{MatchResources, NamedRule};
use crate::api::status::ApiError;
use serde_json::Value;

fn labels(o: Option<&Value>) -> Option<&serde_json::Map<String, Value>> {
    o.and_then(|o| o.pointer("/metadata/labels"))
        .and_then(Value::as_object)
}

/// A rule that matches the request's operation, group, version, resource and scope, and
/// names the object if it names any.
fn rules_match(rules: &[NamedRule], attrs: &Attributes, exact: bool) -> bool {
    rules.iter().any(|r| {
        rule_matches(&r.rule, attrs, exact)
            && (r.names.is_empty() || r.names.iter().any(|n| n == attrs.name))
    })
}

/// The request's own match, without the selectors (which need the store).
pub fn resource_selected(m: &MatchResources, attrs: &Attributes) -> bool {
    if rules_match(&m.exclude, attrs, m.exact) {
        return false;
    }
    m.rules.is_empty() || rules_match(&m.rules, attrs, m.exact)
}

impl ApiServer {
    pub(super) fn resources_match(
        &self,
        m: &MatchResources,
        attrs: &Attributes,
        obj: Option<&Value>,
    ) -> Result<bool, ApiError> {
        if !resource_selected(m, attrs) {
            return Ok(false);
        }
        let sel = &m.object_selector;
        let object_ok = (obj.is_some() && sel.matches(labels(obj)))
            || (attrs.old.is_some() && sel.matches(labels(attrs.old)));
        if !object_ok {
            return Ok(false);
        }
        self.namespace_selected(&m.namespace_selector, attrs, obj)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::webhooks::{Operation, Rule};
    use super::*;
    use crate::api::selector::LabelSelector;

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    fn rule(ops: &[&str], groups: &[&str], versions: &[&str], resources: &[&str]) -> NamedRule {
        NamedRule {
            names: Vec::new(),
            rule: Rule {
                operations: strings(ops),
                groups: strings(groups),
                versions: strings(versions),
                resources: strings(resources),
                scope: "*".into(),
            },
        }
    }

    fn constraints(rules: Vec<NamedRule>, exclude: Vec<NamedRule>, exact: bool) -> MatchResources {
        MatchResources {
            namespace_selector: LabelSelector::default(),
            object_selector: LabelSelector::default(),
            rules,
            exclude,
            exact,
        }
    }

    fn attrs<'a>(
        plural: &str,
        sub: Option<&'a str>,
        op: Operation,
        name: &'a str,
    ) -> Attributes<'a> {
        Attributes {
            resource: crate::api::registry::find(plural).unwrap(),
            subresource: sub,
            operation: op,
            namespace: Some("default"),
            name,
            old: None,
            dry_run: false,
            user: None,
            field_manager: None,
        }
    }

    #[test]
    fn rules_operations_subresources_and_wildcards() {
        let deploy = constraints(
            vec![rule(
                &["CREATE", "UPDATE"],
                &["apps"],
                &["v1"],
                &["deployments"],
            )],
            vec![],
            false,
        );
        let create = attrs("deployments", None, Operation::Create, "web");
        assert!(resource_selected(&deploy, &create));
        assert!(!resource_selected(
            &deploy,
            &attrs("deployments", None, Operation::Delete, "web")
        ));
        assert!(!resource_selected(
            &deploy,
            &attrs("deployments", Some("scale"), Operation::Update, "web")
        ));
        assert!(!resource_selected(
            &deploy,
            &attrs("pods", None, Operation::Create, "web")
        ));
        let scale = constraints(
            vec![rule(&["*"], &["*"], &["*"], &["deployments/scale"])],
            vec![],
            true,
        );
        assert!(resource_selected(
            &scale,
            &attrs("deployments", Some("scale"), Operation::Update, "web")
        ));
        assert!(!resource_selected(&scale, &create));
        let everything = constraints(vec![rule(&["*"], &["*"], &["*"], &["*"])], vec![], false);
        assert!(resource_selected(
            &everything,
            &attrs("configmaps", None, Operation::Delete, "c")
        ));
    }

    #[test]
    fn exclusions_names_and_exact_versions() {
        let mut named = rule(&["*"], &[""], &["v1"], &["configmaps"]);
        named.names = strings(&["only-this"]);
        let m = constraints(
            vec![named],
            vec![rule(&["DELETE"], &["*"], &["*"], &["*"])],
            false,
        );
        assert!(resource_selected(
            &m,
            &attrs("configmaps", None, Operation::Create, "only-this")
        ));
        assert!(!resource_selected(
            &m,
            &attrs("configmaps", None, Operation::Create, "other")
        ));
        assert!(!resource_selected(
            &m,
            &attrs("configmaps", None, Operation::Delete, "only-this")
        ));
        // Another version: Equivalent still matches the same resource, Exact does not.
        let v2 = |exact| {
            constraints(
                vec![rule(&["*"], &["apps"], &["v2"], &["deployments"])],
                vec![],
                exact,
            )
        };
        let create = attrs("deployments", None, Operation::Create, "web");
        assert!(resource_selected(&v2(false), &create));
        assert!(!resource_selected(&v2(true), &create));
        // No rules: every resource (a binding's matchResources that only selects).
        assert!(resource_selected(
            &constraints(vec![], vec![], false),
            &create
        ));
    }
}
