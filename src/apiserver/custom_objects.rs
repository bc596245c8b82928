//! The strategy of custom objects: what kube-apiserver's CRD handler does to each write
//! before storing it. The schema (`crd_schema`) prunes unknown fields, fills defaults and
//! validates; the status subresource, when the CRD has one, splits what the main resource
//! and `/status` may change; `metadata.generation` counts the changes a controller acts on.

use super::ApiServer;
use crate::api::custom;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::api::validation;
use serde_json::{Value, json};

impl ApiServer {
    /// Refuses creates while the CRD is being deleted, as kube does.
    pub(super) fn check_not_terminating(&self, r: &Resource) -> Result<(), ApiError> {
        let catalog = self.custom_resources()?;
        if catalog.entry(r).is_some_and(|s| s.terminating) {
            return Err(ApiError::new(
                405,
                "MethodNotAllowed",
                format!(
                    "create is not supported on resources of kind {:?}",
                    r.qualified_plural()
                ),
            ));
        }
        Ok(())
    }

    /// Prune, default, validate (kube's order), with `old` on update.
    pub(super) fn admit_custom(
        &self,
        r: &Resource,
        obj: &mut Value,
        old: Option<&Value>,
    ) -> Result<(), ApiError> {
        let catalog = self.custom_resources()?;
        let schema = catalog.entry(r).and_then(|s| s.schema.clone());
        let mut errs = validation::validate_custom_meta(obj, old, r.namespaced);
        if let Some(schema) = schema {
            schema.prune(obj);
            schema.default(obj);
            errs.extend(schema.validate(obj, old));
        }
        super::admit::refuse_invalid(obj, &errs, |name| {
            validation::invalid_status_in(r.group, r.kind, name, &errs)
        })
    }

    /// The unknown fields a write of `r` carries, removed from `obj` (for serve's
    /// `fieldValidation`): paths as kube names them (`spec.foo`).
    /// Drops the fields `obj` has that its kind does not declare (a custom object's: its
    /// schema's, as kube prunes them); their paths, as kube names them.
    pub fn drop_undeclared(&self, r: &Resource, obj: &mut Value) -> Vec<String> {
        if custom::is_custom(r) {
            self.prune_custom(r, obj)
        } else {
            super::managed::unknown::drop_unknown(r.kind, obj)
        }
    }

    pub fn prune_custom(&self, r: &Resource, obj: &mut Value) -> Vec<String> {
        let Ok(catalog) = self.custom_resources() else {
            return Vec::new();
        };
        let Some(schema) = catalog.entry(r).and_then(|s| s.schema.clone()) else {
            return Vec::new();
        };
        schema
            .prune(obj)
            .into_iter()
            .map(|p| p.trim_start_matches('.').to_string())
            .collect()
    }
}

/// A new custom object starts at generation 1.
pub fn prepare_for_create(r: &Resource, obj: &mut Value) {
    let status_subresource = custom::definition_of(r).is_some_and(|d| d.status);
    if let Some(map) = obj.as_object_mut() {
        // With a status subresource, a create's status is dropped (it is written through
        // /status only).
        if status_subresource {
            map.shift_remove("status");
        }
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("generation".into(), json!(1));
        }
    }
}

/// Whether anything outside metadata (and status, with a status subresource) changed.
pub fn generation_changes(r: &Resource, obj: &Value, old: &Value) -> bool {
    let status_subresource = custom::definition_of(r).is_some_and(|d| d.status);
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(m) = v.as_object_mut() {
            m.shift_remove("metadata");
            if status_subresource {
                m.shift_remove("status");
            }
        }
        v
    };
    strip(obj) != strip(old)
}
