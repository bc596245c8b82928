//! The custom resources a cluster serves now: those of its Established CustomResourceDefinitions,
//! read from the store. The catalog is rebuilt whenever the CRDs' keys or revisions change
//! (checked with one keys-only read), so `serve` learns a new CRD without a restart and a
//! one-shot command reads them at its first lookup; several API servers on one etcd see each
//! other's CRDs the same way.

use super::ApiServer;
use super::codec::store_error;
use crate::api::crd_schema::Schema;
use crate::api::custom::{self, CRD_GROUP, CRD_PLURAL, Definition};
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::api::validation::crd_condition_true;
use crate::store::RangeRequest;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// One served version of a custom resource.
#[derive(Debug)]
pub struct Served {
    pub definition: &'static Definition,
    /// The version's compiled schema (`None` when it has none or it did not compile).
    pub schema: Option<Arc<Schema>>,
    /// The version's `openAPIV3Schema` as written (for the OpenAPI documents).
    pub raw_schema: Option<Value>,
    /// The CRD is being deleted: its objects may be read and deleted, not created.
    pub terminating: bool,
    /// The CRD's conversion webhook (strategy `Webhook`).
    pub conversion: Option<Arc<super::conversion_webhook::ConversionWebhook>>,
}

/// Every custom resource version of the cluster's Established CRDs, in discovery order
/// (CRDs by name, versions by kube's priority).
#[derive(Debug, Default)]
pub struct CustomResources {
    pub served: Vec<Served>,
    /// The CRD keys and mod revisions this catalog was built from.
    fingerprint: Vec<(Vec<u8>, i64)>,
}

/// The last catalog built, kept by the API server.
#[derive(Default)]
pub struct Cache(Mutex<Option<Arc<CustomResources>>>);

impl CustomResources {
    /// Only the versions clients may use (`served: true`).
    pub fn resources(&self) -> impl Iterator<Item = &'static Resource> + '_ {
        self.served
            .iter()
            .filter(|s| s.definition.served)
            .map(|s| &s.definition.resource)
    }

    pub fn lookup(&self, group: &str, version: &str, plural: &str) -> Option<&'static Resource> {
        self.resources()
            .find(|r| r.group == group && r.version == version && r.plural == plural)
    }

    /// Whether the cluster serves `r` (this very definition, as the catalog holds it).
    pub fn contains(&self, r: &Resource) -> bool {
        self.served
            .iter()
            .any(|s| std::ptr::eq(&s.definition.resource, r))
    }

    /// The entry of a resource, at the version it names.
    pub fn entry(&self, r: &Resource) -> Option<&Served> {
        self.served.iter().find(|s| {
            let d = &s.definition.resource;
            (d.group, d.version, d.plural) == (r.group, r.version, r.plural)
        })
    }

    /// A resource by any name kubectl accepts (see `custom::find_in`).
    pub fn find(&self, name: &str) -> Option<&'static Resource> {
        custom::find_in(&self.resources().collect::<Vec<_>>(), name)
    }

    pub fn find_by_kind(&self, api_version: &str, kind: &str) -> Option<&'static Resource> {
        self.resources()
            .find(|r| r.kind == kind && r.api_version() == api_version)
    }

    /// The custom resources of a category (`all`), one version each.
    pub fn category(&self, name: &str) -> Vec<&'static Resource> {
        custom::category_in(&self.resources().collect::<Vec<_>>(), name)
    }
}

fn crd_prefix() -> String {
    format!("/registry/{CRD_GROUP}/{CRD_PLURAL}/")
}

impl ApiServer {
    /// The custom resources served now.
    pub fn custom_resources(&self) -> Result<Arc<CustomResources>, ApiError> {
        let keys = self
            .store
            .range(&RangeRequest {
                keys_only: true,
                ..RangeRequest::prefix(crd_prefix().as_bytes())
            })
            .map_err(store_error)?;
        let fingerprint: Vec<(Vec<u8>, i64)> = keys
            .kvs
            .iter()
            .map(|kv| (kv.key.clone(), kv.mod_revision))
            .collect();
        if let Ok(slot) = self.custom.0.lock()
            && let Some(c) = slot.as_ref()
            && c.fingerprint == fingerprint
        {
            return Ok(c.clone());
        }
        let built = Arc::new(self.build_custom_resources(fingerprint)?);
        if let Ok(mut slot) = self.custom.0.lock() {
            *slot = Some(built.clone());
        }
        Ok(built)
    }

    fn build_custom_resources(
        &self,
        fingerprint: Vec<(Vec<u8>, i64)>,
    ) -> Result<CustomResources, ApiError> {
        let resp = self
            .store
            .range(&RangeRequest::prefix(crd_prefix().as_bytes()))
            .map_err(store_error)?;
        let mut served = Vec::new();
        for kv in &resp.kvs {
            let Ok(crd) = serde_json::from_slice::<Value>(&kv.value) else {
                continue;
            };
            if !crd_condition_true(&crd, "Established") {
                continue;
            }
            let terminating = crd.pointer("/metadata/deletionTimestamp").is_some();
            let conversion = super::conversion_webhook::of_crd(&crd);
            for definition in custom::definitions_of(&crd) {
                // A built-in resource of the same group and plural wins, as kube's own
                // handlers are matched before the CRD handler.
                if registry::find(&format!(
                    "{}.{}",
                    definition.resource.plural, definition.resource.group
                ))
                .is_some()
                {
                    continue;
                }
                let (schema, raw_schema) = schema_of(&crd, definition.resource.version);
                served.push(Served {
                    definition,
                    schema,
                    raw_schema,
                    terminating,
                    conversion: conversion.clone(),
                });
            }
        }
        Ok(CustomResources {
            served,
            fingerprint,
        })
    }

    /// Whether a request for `plural.group` at `version` reaches a CRD kube's handler takes
    /// but cannot serve: names accepted, the version served, the scope fitting the request
    /// (`namespaced`; a namespaced resource may be listed across namespaces), and a
    /// conversion webhook whose `caBundle` holds no usable certificate, so no converter can
    /// be built. kube answers such requests with a 500 (`error resolving resource`).
    pub fn cannot_convert(
        &self,
        group: &str,
        version: &str,
        plural: &str,
        namespaced: bool,
        list: bool,
    ) -> bool {
        let key = format!("{}{plural}.{group}", crd_prefix());
        let Ok(found) = self.store.range(&RangeRequest::single(key.as_bytes())) else {
            return false;
        };
        let Some(crd) = found
            .kvs
            .first()
            .and_then(|kv| serde_json::from_slice::<Value>(&kv.value).ok())
        else {
            return false;
        };
        let text = |p: &str| crd.pointer(p).and_then(Value::as_str).unwrap_or("");
        let crd_namespaced = text("/spec/scope") == "Namespaced";
        let fits = if crd_namespaced {
            namespaced || list
        } else {
            !namespaced
        };
        let served = crd
            .pointer("/spec/versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|v| v["name"] == version && v["served"] == true);
        fits && served
            && crd_condition_true(&crd, "NamesAccepted")
            && !crd_condition_true(&crd, "Established")
            && text("/spec/conversion/strategy") == "Webhook"
            && crate::tls::ca_data_error(&crate::api::validation::conversion_ca_bundle(&crd))
                .is_some()
    }

    /// Whether the cluster serves `r`: a built-in resource, or a custom one of its CRDs.
    pub fn serves(&self, r: &Resource) -> bool {
        if registry::serves(r) {
            return true;
        }
        self.custom_resources().is_ok_and(|c| c.contains(r))
    }
}

fn schema_of(crd: &Value, version: &str) -> (Option<Arc<Schema>>, Option<Value>) {
    let Some(versions) = crd.pointer("/spec/versions").and_then(Value::as_array) else {
        return (None, None);
    };
    let Some((i, v)) = versions
        .iter()
        .enumerate()
        .find(|(_, v)| v.get("name").and_then(Value::as_str) == Some(version))
    else {
        return (None, None);
    };
    let Some(raw) = v.pointer("/schema/openAPIV3Schema") else {
        return (None, None);
    };
    let field = format!("spec.versions[{i}].schema.openAPIV3Schema");
    let compiled = Schema::compile(raw, &field)
        .ok()
        .map(|c| Arc::new(c.schema));
    (compiled, Some(raw.clone()))
}
