//! Defaulting, admission and validation: where the API server's pipeline meets the object
//! model in `crate::api`.

use crate::api::ids;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::api::{defaults, validation};
use serde_json::Value;

/// A generator of random-looking suffixes, drawn deterministically from `seed`.
pub fn suffixes(seed: &str) -> impl FnMut(usize) -> String + '_ {
    let mut n = 0;
    move |len: usize| {
        n += 1;
        ids::suffix(&format!("{seed}/{n}"), len)
    }
}

/// Scheme defaults, the create strategy's reset and mutating admission for a new object.
/// An admission denial is a 403, as kube-apiserver sends it.
pub fn default_object(
    r: &Resource,
    obj: &mut Value,
    seed: &str,
    priority_class: &dyn Fn(&str) -> Option<(i64, String)>,
) -> Result<(), ApiError> {
    let mut random = suffixes(seed);
    let mut ctx = defaults::AdmissionContext {
        random: &mut random,
        priority_class,
    };
    defaults::default_for_create(r.kind, obj, &mut ctx).map_err(|message| {
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        ApiError::new(
            403,
            "Forbidden",
            format!(
                "{} \"{name}\" is forbidden: {message}",
                r.qualified_plural()
            ),
        )
    })
}

/// Defaults for an updated object (no create-only admission).
pub fn default_object_on_update(r: &Resource, obj: &mut Value, old: &Value) {
    defaults::apply_defaults(r.kind, obj);
    if r.kind == "Service" {
        defaults::patch_allocated_values(obj, old);
    }
    if r.kind == "StatefulSet" {
        defaults::drop_disabled_stateful_set_fields(obj, Some(old));
    }
}

/// Validation of a write through `pods/ephemeralcontainers`.
pub fn validate_ephemeral(obj: &Value, old: &Value) -> Result<(), ApiError> {
    let errors = validation::validate_pod_ephemeral(obj, old);
    refuse_invalid(obj, &errors, |name| {
        validation::invalid_status("Pod", name, &errors)
    })
}

/// Validation; a failure is the 422 Invalid kube-apiserver sends.
pub fn validate(r: &Resource, obj: &Value, old: Option<&Value>) -> Result<(), ApiError> {
    let mut errors = validation::validate(r.kind, obj, old);
    if r.group == "admissionregistration.k8s.io" {
        if !validation::webhook_match_conditions_unchanged(obj, old) {
            errors.extend(super::webhooks::conditions::compile_errors(obj));
        }
        let compiled = super::policies::checks::compile_errors(r.kind, obj);
        if !compiled.is_empty() {
            errors.extend(compiled);
            super::policies::checks::order_as_kube(&mut errors);
        }
    }
    invalid_unless_empty(r, obj, errors)
}

/// A CertificateSigningRequest update's validation, which depends on the door it came
/// through.
pub fn validate_csr(door: validation::CsrDoor, obj: &Value, old: &Value) -> Result<(), ApiError> {
    let r = crate::api::registry::find("certificatesigningrequests")
        .ok_or_else(|| ApiError::internal("no resource certificatesigningrequests"))?;
    let errors = validation::validate_csr_through(door, obj, Some(old));
    invalid_unless_empty(r, obj, errors)
}

fn invalid_unless_empty(
    r: &Resource,
    obj: &Value,
    errors: Vec<validation::FieldError>,
) -> Result<(), ApiError> {
    refuse_invalid(obj, &errors, |name| {
        validation::invalid_status(r.kind, name, &errors)
    })
}

/// kube-apiserver's 422 for `obj` when `errors` is not empty; `status` builds the Status
/// from the object's name.
pub(super) fn refuse_invalid(
    obj: &Value,
    errors: &[validation::FieldError],
    status: impl FnOnce(&str) -> Value,
) -> Result<(), ApiError> {
    if errors.is_empty() {
        return Ok(());
    }
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    Err(ApiError::from_status(422, &status(name)))
}
