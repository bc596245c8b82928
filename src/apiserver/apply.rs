//! PATCH with `application/apply-patch+yaml`: server-side apply, creating the object when it
//! does not exist (see `managed::apply` for the merge, ownership and conflicts).

use super::ApiServer;
use super::managed::apply::{Applier, apply};
use super::update::Part;
use crate::api::options::WriteOptions;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::clock::timestamp;
use serde_json::{Value, json};

/// How many times an apply is retried when another writer got in between.
const ATTEMPTS: usize = 5;

impl ApiServer {
    /// Applies `config` as `opts.field_manager`; returns the object and whether it was created.
    pub fn server_side_apply(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        name: &str,
        config: &Value,
        opts: &WriteOptions,
        force: bool,
    ) -> Result<(Value, bool), ApiError> {
        if registry::is_computed(r) {
            return Err(super::computed::write_refused(r));
        }
        if registry::is_create_only(r) {
            return Err(ApiError::method_not_allowed());
        }
        if let Some(stored) = registry::stored_version_of(r) {
            let config = self.convert_to_stored(r, config.clone())?;
            let through = WriteOptions {
                requested_as: opts.requested_as.or(Some(r)),
                ..opts.clone()
            };
            let (out, created) =
                self.server_side_apply(stored, namespace, name, &config, &through, force)?;
            return Ok((self.convert_from_stored(r, out)?, created));
        }
        let manager = opts
            .field_manager
            .as_deref()
            .filter(|m| !m.is_empty())
            .ok_or_else(|| {
                ApiError::invalid(
                    "meta.k8s.io",
                    "PatchOptions",
                    "",
                    "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch".into(),
                    vec![json!({"reason": "FieldValueRequired", "message": "Required value: is required for apply patch", "field": "fieldManager"})],
                )
            })?;
        check_type(r, config)?;
        // Applied to the status subresource, only the status is taken (as its strategy
        // keeps the rest), and the applier's entry names the subresource.
        let (part, subresource) = match opts.subresource {
            None => (Part::Main, ""),
            Some("status") if !registry::has_status(r) => {
                return Err(super::update::no_such_subresource());
            }
            Some("status") => (Part::Status, "status"),
            Some("scale") if registry::has_scale(r) => {
                return Err(scale_apply_refused());
            }
            // A subresource the kind does not have: no such path.
            Some(_) => return Err(super::update::no_such_subresource()),
        };
        let opts = WriteOptions {
            managed_fields_computed: true,
            ..opts.clone()
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let now = timestamp(self.clock.now());
            let who = Applier {
                manager,
                force,
                now: &now,
                subresource,
            };
            let result = match self.get(r, namespace, name) {
                // There is no status of an object that does not exist.
                Err(e) if e.code == 404 && part == Part::Status => return Err(e),
                Err(e) if e.code == 404 => {
                    let mut obj = apply(r, None, config, &who)?;
                    obj["metadata"]["name"] = json!(name);
                    self.create(r, namespace, obj, &opts).map(|o| (o, true))
                }
                Err(e) => return Err(e),
                Ok(live) => {
                    let merged = apply(r, Some(&live), config, &who)?;
                    self.replace(r, namespace, name, merged, part, &opts)
                        .map(|o| (o, false))
                }
            };
            match result {
                // Another writer got in between: the create found the object, or the
                // update a newer resourceVersion.
                Err(e)
                    if e.code == 409
                        && (e.reason == "AlreadyExists" || e.reason == "Conflict")
                        && attempt < ATTEMPTS => {}
                other => return other,
            }
        }
    }
}

/// An apply configuration names its apiVersion and kind, and they are the resource's.
fn check_type(r: &Resource, config: &Value) -> Result<(), ApiError> {
    let version = config
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = config.get("kind").and_then(Value::as_str).unwrap_or("");
    if version.is_empty() || kind.is_empty() {
        return Err(ApiError::bad_request(
            "the apply configuration must set apiVersion and kind",
        ));
    }
    if version != r.api_version() || kind != r.kind {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({version}) does not match the expected API version ({})",
            r.api_version()
        )));
    }
    Ok(())
}

/// Server-side apply to `scale` is not built: refused before anything is read or written.
pub fn scale_apply_refused() -> ApiError {
    ApiError::bad_request("server-side apply to the scale subresource is not supported")
}
