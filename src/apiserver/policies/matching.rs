//! Whether a request is one a policy's matchConstraints (or a binding's matchResources)
//! select: the namespace and object selectors, excludeResourceRules, then resourceRules
//! (an empty list matches every resource), each rule as webhooks match theirs plus its
//! resourceNames.

use super::super::ApiServer;
use super::super::webhooks::{Attributes, matched_resource};
use super::config::{MatchResources, NamedRule};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::Value;

fn labels(o: Option<&Value>) -> Option<&serde_json::Map<String, Value>> {
    o.and_then(|o| o.pointer("/metadata/labels"))
        .and_then(Value::as_object)
}

/// The resource the rules match (see `matched_resource`), each rule naming the object if
/// it names any.
fn rules_match<'b>(
    rules: &[NamedRule],
    attrs: &'b Attributes<'_>,
    exact: bool,
    equivalents: impl FnOnce() -> &'b [&'static Resource],
) -> Option<&'b Resource> {
    matched_resource(
        rules,
        |r| &r.rule,
        |r| r.names.is_empty() || r.names.iter().any(|n| n == attrs.name),
        attrs,
        exact,
        equivalents,
    )
}

/// The request's own match, without the selectors (which need the store): the resource
/// matched, at the version the policy sees the objects at.
pub fn resource_selected<'b>(
    m: &MatchResources,
    attrs: &'b Attributes<'_>,
    equivalents: &dyn Fn() -> &'b [&'static Resource],
) -> Option<&'b Resource> {
    if rules_match(&m.exclude, attrs, m.exact, equivalents).is_some() {
        return None;
    }
    if m.rules.is_empty() {
        return Some(attrs.requested());
    }
    rules_match(&m.rules, attrs, m.exact, equivalents)
}

impl ApiServer {
    /// The resource matched, if the request is selected.
    pub(super) fn resources_match<'b>(
        &self,
        m: &MatchResources,
        attrs: &'b Attributes<'_>,
        obj: Option<&Value>,
    ) -> Result<Option<&'b Resource>, ApiError> {
        let Some(matched) = resource_selected(m, attrs, &|| self.equivalents(attrs)) else {
            return Ok(None);
        };
        let sel = &m.object_selector;
        let object_ok = (obj.is_some() && sel.matches(labels(obj)))
            || (attrs.old.is_some() && sel.matches(labels(attrs.old)));
        if !object_ok || !self.namespace_selected(&m.namespace_selector, attrs, obj)? {
            return Ok(None);
        }
        Ok(Some(matched))
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
            requested: None,
            subresource: sub,
            operation: op,
            namespace: Some("default"),
            name,
            old: None,
            dry_run: false,
            user: None,
            field_manager: None,
            equivalents: Default::default(),
        }
    }

    /// With the built-in registry's equivalents.
    fn matched<'b>(m: &MatchResources, a: &'b Attributes<'_>) -> Option<&'b Resource> {
        resource_selected(m, a, &|| {
            a.equivalents
                .get_or_init(|| crate::api::registry::equivalents_of(a.resource))
        })
    }

    fn selected(m: &MatchResources, a: &Attributes) -> bool {
        matched(m, a).is_some()
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
        assert!(selected(&deploy, &create));
        assert!(!selected(
            &deploy,
            &attrs("deployments", None, Operation::Delete, "web")
        ));
        assert!(!selected(
            &deploy,
            &attrs("deployments", Some("scale"), Operation::Update, "web")
        ));
        assert!(!selected(
            &deploy,
            &attrs("pods", None, Operation::Create, "web")
        ));
        let scale = constraints(
            vec![rule(&["*"], &["*"], &["*"], &["deployments/scale"])],
            vec![],
            true,
        );
        assert!(selected(
            &scale,
            &attrs("deployments", Some("scale"), Operation::Update, "web")
        ));
        assert!(!selected(&scale, &create));
        let everything = constraints(vec![rule(&["*"], &["*"], &["*"], &["*"])], vec![], false);
        assert!(selected(
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
        assert!(selected(
            &m,
            &attrs("configmaps", None, Operation::Create, "only-this")
        ));
        assert!(!selected(
            &m,
            &attrs("configmaps", None, Operation::Create, "other")
        ));
        assert!(!selected(
            &m,
            &attrs("configmaps", None, Operation::Delete, "only-this")
        ));
        // Another version: Equivalent matches another served version of the resource (at
        // that version), Exact does not; a version nobody serves matches nothing.
        let hpa_v1 = |exact| {
            constraints(
                vec![rule(
                    &["*"],
                    &["autoscaling"],
                    &["v1"],
                    &["horizontalpodautoscalers"],
                )],
                vec![],
                exact,
            )
        };
        let hpa = attrs("horizontalpodautoscalers", None, Operation::Create, "web");
        assert_eq!(hpa.resource.version, "v2");
        assert_eq!(matched(&hpa_v1(false), &hpa).map(|r| r.version), Some("v1"));
        assert!(!selected(&hpa_v1(true), &hpa));
        let v2 = constraints(
            vec![rule(&["*"], &["apps"], &["v2"], &["deployments"])],
            vec![],
            false,
        );
        let create = attrs("deployments", None, Operation::Create, "web");
        assert!(!selected(&v2, &create));
        // No rules: every resource (a binding's matchResources that only selects).
        assert!(selected(&constraints(vec![], vec![], false), &create));
    }
}
