//! Admission webhooks: MutatingWebhookConfiguration and ValidatingWebhookConfiguration
//! objects, called as kube-apiserver's MutatingAdmissionWebhook (last mutating step) and
//! ValidatingAdmissionWebhook (last validating step) plugins call them, for every kind.
//!
//! - `config`: the configurations in the store, read when their keys change.
//! - `matching`: which webhooks a request goes to (rules, scope, selectors, conditions).
//! - `review`: the AdmissionReview sent and the checks on the one received.
//! - `call`: the HTTPS call, on its own runtime thread, cut at the webhook's timeout.
//! - `warnings`: what webhooks said for the client, handed to the HTTP layer.
//!
//! `client_of`, `target` and `post` are shared with CRD conversion webhooks.

mod call;
pub(super) mod cel_authorizer;
pub mod conditions;
mod config;
mod matching;
pub(super) mod review;
mod target;
mod tls;
mod versioned;
pub mod warnings;

use super::ApiServer;
use crate::api::options::Requester;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
pub(super) use call::{CallError, post};
pub use config::Cache;
pub(super) use config::Rule;
use config::Webhook;
pub(super) use config::{Client, client_of};
pub(super) use matching::matched_resource;
use serde_json::{Value, json};
pub(super) use versioned::Versioned;

/// What kube calls the admission attributes of a request.
pub struct Attributes<'a> {
    /// The resource at the version the object is stored at, which the pipeline runs at.
    pub resource: &'a Resource,
    /// The version the client wrote through, when it is another one (`requestKind`).
    pub requested: Option<&'a Resource>,
    pub subresource: Option<&'a str>,
    pub operation: Operation,
    pub namespace: Option<&'a str>,
    pub name: &'a str,
    pub old: Option<&'a Value>,
    pub dry_run: bool,
    pub user: Option<&'a Requester>,
    pub field_manager: Option<&'a str>,
    /// The resource's other versions, once looked up (`ApiServer::equivalents`).
    pub equivalents: std::cell::OnceCell<Vec<&'static Resource>>,
}

impl<'a> Attributes<'a> {
    /// A create of `name` in `namespace`.
    pub fn create(
        resource: &'a Resource,
        namespace: Option<&'a str>,
        name: &'a str,
        opts: &'a crate::api::options::WriteOptions,
    ) -> Self {
        Attributes {
            resource,
            requested: opts.requested_as,
            subresource: None,
            operation: Operation::Create,
            namespace,
            name,
            old: None,
            dry_run: opts.dry_run,
            user: opts.requester.as_ref(),
            field_manager: opts.field_manager.as_deref(),
            equivalents: Default::default(),
        }
    }
}

impl<'a> Attributes<'a> {
    /// The resource the request was made through.
    pub fn requested(&self) -> &'a Resource {
        self.requested.unwrap_or(self.resource)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
        }
    }
}

/// Kinds no webhook sees: the webhook configurations themselves (so a broken webhook
/// cannot lock its own repair out), as kube-apiserver exempts them.
fn exempt(r: &Resource) -> bool {
    r.group == "admissionregistration.k8s.io"
}

impl ApiServer {
    /// Mutating webhooks, in configuration-name order, each patch applied to `obj`; with
    /// `reinvocationPolicy: IfNeeded`, webhooks already called are called once more when a
    /// later one changed the object.
    pub(super) fn mutate_through_webhooks(
        &self,
        attrs: &Attributes,
        obj: &mut Value,
    ) -> Result<(), ApiError> {
        if exempt(attrs.resource) {
            return Ok(());
        }
        let hooks = self.webhooks(true)?;
        if hooks.is_empty() {
            return Ok(());
        }
        let mut called: Vec<(usize, &Resource)> = Vec::new();
        let mut changed_after: Option<usize> = None;
        for (i, hook) in hooks.iter().enumerate() {
            let Some(matched) = self.should_call(hook, attrs, Some(obj))? else {
                continue;
            };
            let changed = self.call_mutating(hook, attrs, matched, obj)?;
            if changed {
                changed_after = Some(called.len());
            }
            called.push((i, matched));
        }
        // Reinvocation, once: the IfNeeded webhooks called before a later one changed the
        // object (kube's rule: a webhook's own change does not call it again).
        if let Some(n) = changed_after {
            for &(i, matched) in called.iter().take(n) {
                let hook = &hooks[i];
                if hook.reinvoke_if_needed {
                    self.call_mutating(hook, attrs, matched, obj)?;
                }
            }
        }
        Ok(())
    }

    /// Validating webhooks (kube calls them in parallel and reports the first failure; here
    /// in order, with the same outcome).
    pub(super) fn validate_through_webhooks(
        &self,
        attrs: &Attributes,
        obj: Option<&Value>,
    ) -> Result<(), ApiError> {
        if exempt(attrs.resource) {
            return Ok(());
        }
        let hooks = self.webhooks(false)?;
        for hook in hooks.iter() {
            let Some(matched) = self.should_call(hook, attrs, obj)? else {
                continue;
            };
            let view = Versioned::new(self, attrs, matched, obj)?;
            match self.call_hook(hook, attrs, &view) {
                Ok(resp) => {
                    if resp.patch.is_some() {
                        let e =
                            CallError::invalid("validating webhooks may not return patches".into());
                        fail_or_ignore(hook, e)?;
                    }
                }
                Err(Outcome::Denied(e)) => return Err(e),
                Err(Outcome::Failed(e)) => fail_or_ignore(hook, e)?,
            }
        }
        Ok(())
    }

    /// One mutating call, the object sent at the version the webhook matched and its
    /// patched form converted back; true when the object changed.
    fn call_mutating(
        &self,
        hook: &Webhook,
        attrs: &Attributes,
        matched: &Resource,
        obj: &mut Value,
    ) -> Result<bool, ApiError> {
        let view = Versioned::new(self, attrs, matched, Some(obj))?;
        let resp = match self.call_hook(hook, attrs, &view) {
            Ok(r) => r,
            Err(Outcome::Denied(e)) => return Err(e),
            Err(Outcome::Failed(e)) => return fail_or_ignore(hook, e).map(|()| false),
        };
        let Some(patch) = resp.patch else {
            return Ok(false);
        };
        if patch.as_array().is_some_and(Vec::is_empty) {
            return Ok(false);
        }
        if attrs.operation == Operation::Delete {
            return Err(ApiError::internal(format!(
                "admission webhook \"{}\" attempted to modify the object, which is not supported for this operation",
                hook.name
            )));
        }
        let sent = view.object.as_deref().cloned().unwrap_or(Value::Null);
        let mut patched = sent.clone();
        super::json_patch::json_patch(&mut patched, &patch)
            .map_err(|e| ApiError::internal(e.message))?;
        if patched.get("apiVersion") != sent.get("apiVersion")
            || patched.get("kind") != sent.get("kind")
        {
            return Err(ApiError::internal(format!(
                "admission webhook \"{}\" changed the object's apiVersion or kind",
                hook.name
            )));
        }
        let mut patched = view.to_stored(self, patched)?;
        // The patched object is decoded again, with its kind's defaults.
        if !crate::api::custom::is_custom(attrs.resource) {
            crate::api::defaults::apply_defaults(attrs.resource.kind, &mut patched);
        }
        let changed = patched != *obj;
        *obj = patched;
        Ok(changed)
    }

    /// Sends the review and checks the answer: a denial, or a failure to call.
    fn call_hook(
        &self,
        hook: &Webhook,
        attrs: &Attributes,
        view: &Versioned,
    ) -> Result<review::Response, Outcome> {
        if attrs.dry_run && !matches!(hook.side_effects.as_str(), "None" | "NoneOnDryRun") {
            return Err(Outcome::Denied(ApiError::bad_request(format!(
                "admission webhook \"{}\" does not support dry run",
                hook.name
            ))));
        }
        if hook.review_version.is_none() {
            return Err(Outcome::Failed(CallError(
                "could not create admission objects: webhook does not accept known AdmissionReview versions".into(),
            )));
        }
        let request = review::request(hook, attrs, view);
        let uid = request["request"]["uid"].as_str().unwrap_or("").to_string();
        check_ca_bundle(&hook.client).map_err(Outcome::Failed)?;
        let target = self
            .target(&hook.client, hook.timeout_seconds)
            .map_err(Outcome::Failed)?;
        let body = post(&target, hook.timeout_seconds, &request).map_err(Outcome::Failed)?;
        let resp = review::response(&body, &uid, hook).map_err(Outcome::Failed)?;
        warnings::add(resp.warnings.iter().cloned());
        if resp.allowed {
            return Ok(resp);
        }
        Err(Outcome::Denied(review::denial(&hook.name, resp.status)))
    }

    /// Whether any webhook configuration or admission policy binding exists (a keys-only
    /// read of their prefixes): then a request's admission may wait on a webhook or send
    /// warnings.
    pub fn has_admission_webhooks(&self) -> bool {
        let prefixes: Vec<String> = [
            "mutatingwebhookconfigurations",
            "validatingwebhookconfigurations",
        ]
        .into_iter()
        .filter_map(crate::api::registry::find)
        .map(|r| r.storage_prefix_for(None))
        .collect();
        let keys: Vec<&[u8]> = prefixes.iter().map(|p| p.as_bytes()).collect();
        let any_webhook = self.webhooks.any.get(self.store.as_ref(), &keys, || {
            Ok(prefixes.iter().any(|prefix| {
                self.store
                    .range(&crate::store::RangeRequest {
                        count_only: true,
                        ..crate::store::RangeRequest::prefix(prefix.as_bytes())
                    })
                    .is_ok_and(|found| found.count > 0)
            }))
        });
        self.has_policy_bindings() || any_webhook.unwrap_or(false)
    }

    /// The configured webhooks of one kind, configurations in name order.
    fn webhooks(&self, mutating: bool) -> Result<std::sync::Arc<Vec<Webhook>>, ApiError> {
        let plural = if mutating {
            "mutatingwebhookconfigurations"
        } else {
            "validatingwebhookconfigurations"
        };
        let Some(r) = crate::api::registry::find(plural) else {
            return Ok(Default::default());
        };
        config::load(self, r, mutating)
    }
}

/// A `caBundle` with no usable certificate: kube cannot even build the webhook's client, so
/// says so before any Service is resolved.
pub(super) fn check_ca_bundle(client: &Client) -> Result<(), CallError> {
    let (Client::Url { ca_bundle, .. } | Client::Service { ca_bundle, .. }) = client;
    match crate::tls::ca_data_error(ca_bundle) {
        Some(e) => Err(CallError(format!("could not get REST client: {e}"))),
        None => Ok(()),
    }
}

/// How a call went wrong: the webhook said no, or it could not be asked.
enum Outcome {
    Denied(ApiError),
    Failed(CallError),
}

/// failurePolicy: `Ignore` lets the request through, `Fail` turns the failure into kube's
/// 500 `failed calling webhook`.
fn fail_or_ignore(hook: &Webhook, e: CallError) -> Result<(), ApiError> {
    if hook.ignore_failures {
        return Ok(());
    }
    Err(ApiError::from_status(
        500,
        &json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": format!(
                "Internal error occurred: failed calling webhook \"{}\": {}",
                hook.name, e.0
            ),
            "reason": "InternalError",
            "details": {
                "causes": [{
                    "message": format!("failed calling webhook \"{}\": {}", hook.name, e.0)
                }]
            },
            "code": 500
        }),
    ))
}
