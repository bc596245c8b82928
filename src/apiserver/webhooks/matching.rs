//! Whether a request goes to a webhook (kube's ShouldCallHook): its rules (operation,
//! group, version, resource with subresource forms, scope), the namespace and object
//! selectors, then its matchConditions in CEL.

use super::super::ApiServer;
use super::config::{Rule, Webhook};
use super::versioned::Versioned;
use super::{Attributes, review};
use crate::api::crd_schema::{CelOutcome, evaluate_expression};
use crate::api::registry::Resource;
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use serde_json::Value;

fn listed(list: &[String], want: &str) -> bool {
    list.iter().any(|x| x == "*" || x == want)
}

/// `pods`, `pods/status`, `pods/*`, `*/status`, `*`, `*/*` against a request for
/// `resource` with `subresource` (a missing subresource part is the main resource's "").
fn resource_listed(list: &[String], resource: &str, subresource: Option<&str>) -> bool {
    let want_sub = subresource.unwrap_or("");
    list.iter().any(|entry| {
        let (r, s) = entry.split_once('/').unwrap_or((entry, ""));
        (r == "*" || r == resource) && (s == "*" || s == want_sub)
    })
}

/// Whether `rule` names the request's operation and subresource on resource `r`, in its
/// scope.
fn rule_names(rule: &Rule, attrs: &Attributes, r: &Resource) -> bool {
    let scope_ok = match rule.scope.as_str() {
        "Cluster" => !r.namespaced,
        "Namespaced" => r.namespaced,
        _ => true,
    };
    scope_ok
        && listed(&rule.operations, attrs.operation.as_str())
        && listed(&rule.groups, r.group)
        && listed(&rule.versions, r.version)
        && resource_listed(&rule.resources, r.plural, attrs.subresource)
}

/// kube's rule matching under a matchPolicy (shared with admission policies, whose rules
/// add names, checked by `accepts`): every rule against the resource the request came
/// through; then, under Equivalent, every rule in turn against the other versions of it
/// (`equivalents`, in kube's order). The resource matched: the version the objects are to
/// be seen at.
pub(in crate::apiserver) fn matched_resource<'b, R>(
    rules: &[R],
    rule_of: impl Fn(&R) -> &Rule,
    accepts: impl Fn(&R) -> bool,
    attrs: &'b Attributes<'_>,
    exact: bool,
    equivalents: impl FnOnce() -> &'b [&'static Resource],
) -> Option<&'b Resource> {
    let requested = attrs.requested();
    if rules
        .iter()
        .any(|r| rule_names(rule_of(r), attrs, requested) && accepts(r))
    {
        return Some(requested);
    }
    if exact {
        return None;
    }
    let equivalents = equivalents();
    for r in rules {
        for &other in equivalents {
            if std::ptr::eq(other, requested) || *other == *requested {
                continue;
            }
            if rule_names(rule_of(r), attrs, other) && accepts(r) {
                return Some(other);
            }
        }
    }
    None
}

impl ApiServer {
    /// The other versions of the request's resource (kube's equivalent resources),
    /// looked up once per request.
    pub(in crate::apiserver) fn equivalents<'b>(
        &self,
        attrs: &'b Attributes<'_>,
    ) -> &'b [&'static Resource] {
        attrs.equivalents.get_or_init(|| {
            let r = attrs.resource;
            let Some(d) = crate::api::custom::definition_of(r) else {
                return crate::api::registry::equivalents_of(r);
            };
            let Ok(catalog) = self.custom_resources() else {
                return Vec::new();
            };
            let mut versions: Vec<_> = catalog
                .served
                .iter()
                .map(|s| s.definition)
                .filter(|other| other.crd == d.crd)
                .collect();
            versions.sort_by_key(|other| other.position);
            versions.into_iter().map(|other| &other.resource).collect()
        })
    }

    /// Whether the webhook is called, and at which version of the resource.
    pub(super) fn should_call<'b>(
        &self,
        hook: &Webhook,
        attrs: &'b Attributes<'_>,
        obj: Option<&Value>,
    ) -> Result<Option<&'b Resource>, ApiError> {
        let Some(matched) = matched_resource(
            &hook.rules,
            |r| r,
            |_| true,
            attrs,
            hook.exact,
            || self.equivalents(attrs),
        ) else {
            return Ok(None);
        };
        if !self.namespace_selected(&hook.namespace_selector, attrs, obj)? {
            return Ok(None);
        }
        let labels_of = |o: Option<&Value>| {
            o.and_then(|o| o.pointer("/metadata/labels"))
                .and_then(Value::as_object)
                .cloned()
        };
        let (new_labels, old_labels) = (labels_of(obj), labels_of(attrs.old));
        let selected = |labels: &Option<serde_json::Map<String, Value>>| {
            hook.object_selector.matches(labels.as_ref())
        };
        let object_ok = (obj.is_some() && selected(&new_labels))
            || (attrs.old.is_some() && selected(&old_labels));
        if !object_ok {
            return Ok(None);
        }
        let view = Versioned::new(self, attrs, matched, obj)?;
        Ok(self.conditions_hold(hook, attrs, &view)?.then_some(matched))
    }

    /// kube matches the namespace selector against the labels of the request's namespace;
    /// a Namespace is matched by its own labels, other cluster-wide objects always pass.
    pub(in crate::apiserver) fn namespace_selected(
        &self,
        sel: &LabelSelector,
        attrs: &Attributes,
        obj: Option<&Value>,
    ) -> Result<bool, ApiError> {
        if sel.is_empty() && !sel.nothing {
            return Ok(true);
        }
        let r = attrs.resource;
        if r.group.is_empty() && r.plural == "namespaces" {
            let labels = obj
                .or(attrs.old)
                .and_then(|o| o.pointer("/metadata/labels"))
                .and_then(Value::as_object);
            return Ok(sel.matches(labels));
        }
        let Some(ns) = attrs.namespace.filter(|_| r.namespaced) else {
            return Ok(true);
        };
        let namespace = match self.lookup_namespace(ns) {
            Ok(n) => n,
            Err(e) if e.code == 404 => return Ok(false),
            Err(e) => return Err(e),
        };
        Ok(sel.matches(
            namespace
                .pointer("/metadata/labels")
                .and_then(Value::as_object),
        ))
    }

    /// Every matchCondition true; an evaluation error fails the request unless the
    /// webhook's failurePolicy is Ignore (then the webhook is skipped).
    fn conditions_hold(
        &self,
        hook: &Webhook,
        attrs: &Attributes,
        view: &Versioned,
    ) -> Result<bool, ApiError> {
        if hook.conditions.is_empty() {
            return Ok(true);
        }
        let request = review::request_fields(attrs, view);
        let seen =
            |o: &Option<std::borrow::Cow<'_, Value>>| o.as_deref().cloned().unwrap_or(Value::Null);
        let vars = vec![
            ("object".to_string(), seen(&view.object)),
            ("oldObject".to_string(), seen(&view.old)),
            ("request".to_string(), request),
        ];
        let mut errors = Vec::new();
        for (name, program) in &hook.conditions {
            let principal = super::cel_authorizer::principal(attrs);
            let answer = |q: &_| self.answer_check(q);
            match evaluate_expression(program.clone(), vars.clone(), Some(principal), answer) {
                Ok(CelOutcome::Bool(true)) => {}
                Ok(CelOutcome::Bool(false)) => return Ok(false),
                Ok(other) => errors.push(format!(
                    "failed to evaluate match condition {name}: expected bool, got {other:?}"
                )),
                Err(e) => errors.push(format!("failed to evaluate match condition {name}: {e}")),
            }
        }
        if errors.is_empty() || hook.ignore_failures {
            return Ok(errors.is_empty());
        }
        let r = attrs.resource;
        Err(ApiError::new(
            403,
            "Forbidden",
            format!(
                "{} \"{}\" is forbidden: {}",
                r.qualified_plural(),
                attrs.name,
                errors.join(", ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn subresource_forms() {
        assert!(resource_listed(&list(&["pods"]), "pods", None));
        assert!(!resource_listed(&list(&["pods"]), "pods", Some("status")));
        assert!(resource_listed(
            &list(&["pods/status"]),
            "pods",
            Some("status")
        ));
        assert!(resource_listed(&list(&["pods/*"]), "pods", Some("status")));
        assert!(resource_listed(&list(&["pods/*"]), "pods", None));
        assert!(resource_listed(
            &list(&["*/status"]),
            "deployments",
            Some("status")
        ));
        assert!(resource_listed(&list(&["*"]), "deployments", None));
        assert!(!resource_listed(
            &list(&["*"]),
            "deployments",
            Some("status")
        ));
        assert!(resource_listed(
            &list(&["*/*"]),
            "deployments",
            Some("scale")
        ));
        assert!(resource_listed(&list(&["*/*"]), "deployments", None));
    }
}
