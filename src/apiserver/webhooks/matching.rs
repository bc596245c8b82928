//! Whether a request goes to a webhook (kube's ShouldCallHook): its rules (operation,
//! group, version, resource with subresource forms, scope), the namespace and object
//! selectors, then its matchConditions in CEL.

use super::super::ApiServer;
use super::config::{Rule, Webhook};
use super::{Attributes, review};
use crate::api::crd_schema::{CelOutcome, evaluate_expression};
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

/// Shared with admission policies, whose rules are the same with names added.
pub(in crate::apiserver) fn rule_matches(rule: &Rule, attrs: &Attributes, exact: bool) -> bool {
    let r = attrs.resource;
    let scope_ok = match rule.scope.as_str() {
        "Cluster" => !r.namespaced,
        "Namespaced" => r.namespaced,
        _ => true,
    };
    // Equivalent: the same group and resource at another version matches too (kubelite
    // serves each resource at one stored version, so the object is sent at that version).
    scope_ok
        && listed(&rule.operations, attrs.operation.as_str())
        && listed(&rule.groups, r.group)
        && (!exact || listed(&rule.versions, r.version))
        && resource_listed(&rule.resources, r.plural, attrs.subresource)
}

impl ApiServer {
    pub(super) fn should_call(
        &self,
        hook: &Webhook,
        attrs: &Attributes,
        obj: Option<&Value>,
    ) -> Result<bool, ApiError> {
        if !hook
            .rules
            .iter()
            .any(|rule| rule_matches(rule, attrs, hook.exact))
        {
            return Ok(false);
        }
        if !self.namespace_selected(&hook.namespace_selector, attrs, obj)? {
            return Ok(false);
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
            return Ok(false);
        }
        self.conditions_hold(hook, attrs, obj)
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
        obj: Option<&Value>,
    ) -> Result<bool, ApiError> {
        if hook.conditions.is_empty() {
            return Ok(true);
        }
        let request = review::request(hook, attrs, obj)["request"].clone();
        let vars = vec![
            ("object".to_string(), obj.cloned().unwrap_or(Value::Null)),
            (
                "oldObject".to_string(),
                attrs.old.cloned().unwrap_or(Value::Null),
            ),
            ("request".to_string(), request),
        ];
        let mut errors = Vec::new();
        for (name, program) in &hook.conditions {
            match evaluate_expression(program.clone(), vars.clone()) {
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
