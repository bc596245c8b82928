//! ValidatingAdmissionPolicy: the ValidatingAdmissionPolicy admission plugin of
//! kube-apiserver, run in the validating phase (before validating webhooks) for creates,
//! updates and deletes of every kind but the policies and bindings themselves.
//!
//! - `config`: the policies and bindings in the store, parsed when their keys change.
//! - `matching`: matchConstraints and a binding's matchResources.
//! - `params`: the paramRef's objects.
//! - `evaluate`: the CEL of one policy, binding and param: decisions with their messages.
//! - `checks`: the compile checks of a policy's expressions when it is written.
//!
//! Warn sends each failure as a warning (the HTTP layer's `Warning` header); Audit is
//! accepted, but kubelite writes no audit log, so audit-only failures and the values of
//! auditAnnotations go nowhere (an auditAnnotation that fails to evaluate still follows the
//! failurePolicy, as in kube).

pub mod checks;
mod config;
mod evaluate;
mod matching;
mod params;

use super::ApiServer;
use super::webhooks::{Attributes, Versioned, warnings};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
pub use config::Cache;
use config::{Binding, Policy};
use evaluate::Decision;
use serde_json::{Value, json};

/// The policies and bindings themselves are never subject to policies, so a broken policy
/// cannot lock out its own repair (kube's rule).
fn exempt(r: &Resource) -> bool {
    r.group == "admissionregistration.k8s.io"
        && matches!(
            r.plural,
            "validatingadmissionpolicies" | "validatingadmissionpolicybindings"
        )
}

/// A denial, remembered until every policy has been evaluated (kube reports the first).
struct Denied {
    policy: String,
    binding: Option<String>,
    message: String,
    reason: Option<String>,
}

impl ApiServer {
    /// Whether any binding exists: without one, no policy applies.
    pub fn has_policy_bindings(&self) -> bool {
        config::any_binding(self)
    }

    pub(super) fn validate_through_policies(
        &self,
        attrs: &Attributes,
        obj: Option<&Value>,
    ) -> Result<(), ApiError> {
        if exempt(attrs.resource) || !config::any_binding(self) {
            return Ok(());
        }
        let loaded = config::load(self)?;
        let mut denied: Vec<Denied> = Vec::new();
        for policy in &loaded.policies {
            let bindings: Vec<&Binding> = loaded
                .bindings
                .iter()
                .filter(|b| b.policy == policy.name)
                .collect();
            if bindings.is_empty() {
                continue;
            }
            let Some(matched) = self.resources_match(&policy.constraints, attrs, obj)? else {
                continue;
            };
            if let Err(e) = self.param_kind_known(policy) {
                config_error(&mut denied, policy, None, e);
                continue;
            }
            for binding in bindings {
                if let Some(m) = &binding.resources
                    && self.resources_match(m, attrs, obj)?.is_none()
                {
                    continue;
                }
                let params = match self.collect_params(policy, binding.param_ref.as_ref(), attrs) {
                    Ok(p) => p,
                    Err(e) => {
                        config_error(&mut denied, policy, Some(binding), e);
                        continue;
                    }
                };
                let namespace = self.namespace_object(attrs)?;
                let view = Versioned::new(self, attrs, matched, obj)?;
                for param in params {
                    let decisions = self.evaluate_policy(policy, attrs, &view, param, &namespace);
                    self.act_on(policy, binding, decisions, &mut denied);
                }
            }
        }
        match denied.into_iter().next() {
            None => Ok(()),
            Some(d) => Err(denial(attrs, d)),
        }
    }

    /// kube's rule for a paramKind the server does not serve: the policy is misconfigured.
    fn param_kind_known(&self, policy: &Policy) -> Result<(), String> {
        match &policy.param_kind {
            Some((api_version, kind)) if self.param_resource(api_version, kind).is_none() => {
                let gv = if api_version.contains('/') {
                    api_version.clone()
                } else {
                    format!("/{api_version}")
                };
                Err(format!(
                    "failed to find resource referenced by paramKind: '{gv}, Kind={kind}'"
                ))
            }
            _ => Ok(()),
        }
    }

    /// `namespaceObject`: the request's namespace (none for cluster-wide objects and for
    /// Namespaces themselves), without its managed fields, as kube gives it.
    fn namespace_object(&self, attrs: &Attributes) -> Result<Value, ApiError> {
        let r = attrs.resource;
        let is_namespace = r.group.is_empty() && r.plural == "namespaces";
        let Some(ns) = attrs.namespace.filter(|_| r.namespaced && !is_namespace) else {
            return Ok(Value::Null);
        };
        let mut namespace = self.lookup_namespace(ns)?;
        if let Some(meta) = namespace.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.shift_remove("managedFields");
            meta.shift_remove("ownerReferences");
        }
        Ok(namespace)
    }

    /// What the binding's validationActions make of the decisions.
    fn act_on(
        &self,
        policy: &Policy,
        binding: &Binding,
        decisions: Vec<Decision>,
        denied: &mut Vec<Denied>,
    ) {
        for d in decisions {
            match d {
                Decision::Deny { message, reason } => {
                    for action in &binding.actions {
                        match action.as_str() {
                            "Deny" => denied.push(Denied {
                                policy: policy.name.clone(),
                                binding: Some(binding.name.clone()),
                                message: message.clone(),
                                reason: reason.clone(),
                            }),
                            "Warn" => warnings::add([format!(
                                "Validation failed for ValidatingAdmissionPolicy '{}' with binding '{}': {message}",
                                policy.name, binding.name
                            )]),
                            // Audit: kubelite keeps no audit log.
                            _ => {}
                        }
                    }
                }
                // An auditAnnotation that failed under failurePolicy Fail: denied whatever
                // the actions.
                Decision::AuditError(message) => denied.push(Denied {
                    policy: policy.name.clone(),
                    binding: Some(binding.name.clone()),
                    message,
                    reason: None,
                }),
            }
        }
    }
}

/// A policy or binding that cannot be used: a denial under failurePolicy Fail.
fn config_error(denied: &mut Vec<Denied>, policy: &Policy, binding: Option<&Binding>, e: String) {
    if policy.ignore_failures {
        return;
    }
    let what = if binding.is_some() {
        "binding"
    } else {
        "policy"
    };
    denied.push(Denied {
        policy: policy.name.clone(),
        binding: binding.map(|b| b.name.clone()),
        message: format!("failed to configure {what}: {e}"),
        reason: None,
    });
}

/// kube's status for a policy's denial: admission's Forbidden error (`<resource> "<name>"
/// is forbidden: ...`) with the validation's reason (Invalid unless it names another) and
/// that reason's code.
fn denial(attrs: &Attributes, d: Denied) -> ApiError {
    let message = match &d.binding {
        Some(b) => format!(
            "ValidatingAdmissionPolicy '{}' with binding '{b}' denied request: {}",
            d.policy, d.message
        ),
        None => format!(
            "ValidatingAdmissionPolicy '{}' denied request: {}",
            d.policy, d.message
        ),
    };
    let reason = d.reason.unwrap_or_else(|| "Invalid".to_string());
    let code = match reason.as_str() {
        "Unauthorized" => 401,
        "Forbidden" => 403,
        "RequestEntityTooLarge" => 413,
        "Invalid" => 422,
        _ => 500,
    };
    let r = attrs.resource;
    let mut details = serde_json::Map::new();
    details.insert("name".into(), json!(attrs.name));
    if !r.group.is_empty() {
        details.insert("group".into(), json!(r.group));
    }
    details.insert("kind".into(), json!(r.plural));
    details.insert("causes".into(), json!([{"message": message}]));
    ApiError::from_status(
        code,
        &json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": format!("{} \"{}\" is forbidden: {message}", r.qualified_plural(), attrs.name),
            "reason": reason,
            "details": Value::Object(details),
            "code": code,
        }),
    )
}
