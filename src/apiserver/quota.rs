//! ResourceQuota admission on create: a new object is charged against every quota of its
//! namespace that covers it, and refused (403, nothing written) when that would pass a hard
//! limit. Usage is counted from the store at admission time (and the objects admitted
//! earlier in the same batch), so a refusal never waits for the quota controller.

use super::ApiServer;
use crate::api::options::ListOptions;
use crate::api::quota;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::clock::timestamp;
use serde_json::Value;

impl ApiServer {
    /// Refuses `obj` (of `r`, in `ns`) when a quota of `ns` would be exceeded; `earlier` are
    /// the objects this batch admitted before it. True when a quota charges such objects.
    pub(super) fn admit_quota(
        &self,
        r: &'static Resource,
        ns: &str,
        obj: &Value,
        earlier: &[(&'static Resource, String, Value)],
        policies: &[(&str, Value)],
    ) -> Result<bool, ApiError> {
        let Some(quotas_r) = registry::find("resourcequotas") else {
            return Ok(false);
        };
        let stored = self.namespace_items(quotas_r, ns)?;
        let created = in_namespace(policies, "ResourceQuota", ns);
        let quotas: Vec<&Value> = stored
            .iter()
            .chain(created.iter())
            .filter(|q| quota::hard_names(q).iter().any(|n| quota::charges(r, n)))
            .collect();
        if quotas.is_empty() {
            return Ok(false);
        }
        let now = timestamp(self.clock.now());
        let mut existing = self.list(r, Some(ns), &ListOptions::default())?["items"].take();
        let mut objects: Vec<(&Resource, &Value)> = existing
            .as_array_mut()
            .into_iter()
            .flatten()
            .map(|o| (r, &*o))
            .collect();
        // An object admitted by a batch still in flight may be written by now: counted once.
        let stored: std::collections::HashSet<&str> = objects
            .iter()
            .filter_map(|(_, o)| o.pointer("/metadata/name").and_then(Value::as_str))
            .collect();
        let unwritten: Vec<(&Resource, &Value)> = earlier
            .iter()
            .filter(|(er, ens, _)| std::ptr::eq(*er, r) && ens == ns)
            .filter(|(_, _, o)| {
                let name = o.pointer("/metadata/name").and_then(Value::as_str);
                !name.is_some_and(|n| stored.contains(n))
            })
            .map(|(er, _, o)| (*er, o))
            .collect();
        objects.extend(unwritten);
        let mut sorted = quotas;
        sorted.sort_by_key(|q| q["metadata"]["name"].as_str().unwrap_or("").to_string());
        for q in sorted {
            let used = quota::used(q, objects.iter().copied(), &now);
            if let Err(message) = quota::check(q, &used, r, obj, &now) {
                let name = obj
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                return Err(ApiError::new(
                    403,
                    "Forbidden",
                    format!(
                        "{} \"{name}\" is forbidden: {message}",
                        r.qualified_plural()
                    ),
                ));
            }
        }
        Ok(true)
    }
}

/// The objects of `kind` in `ns` among those a batch created earlier.
pub(super) fn in_namespace(objects: &[(&str, Value)], kind: &str, ns: &str) -> Vec<Value> {
    objects
        .iter()
        .filter(|(k, o)| *k == kind && o["metadata"]["namespace"] == ns)
        .map(|(_, o)| o.clone())
        .collect()
}

impl ApiServer {
    /// Refuses an update of a service or claim that grows past a quota of its namespace.
    pub(super) fn admit_quota_update(
        &self,
        r: &Resource,
        ns: &str,
        obj: &Value,
        old: &Value,
    ) -> Result<(), ApiError> {
        if !(r.group.is_empty() && matches!(r.plural, "services" | "persistentvolumeclaims")) {
            return Ok(());
        }
        let Some(quotas_r) = registry::find("resourcequotas") else {
            return Ok(());
        };
        let mut list = self.list(quotas_r, Some(ns), &ListOptions::default())?["items"].take();
        let mut quotas: Vec<&Value> = list
            .as_array_mut()
            .into_iter()
            .flatten()
            .map(|q| &*q)
            .filter(|q| quota::hard_names(q).iter().any(|n| quota::charges(r, n)))
            .collect();
        if quotas.is_empty() {
            return Ok(());
        }
        quotas.sort_by_key(|q| q["metadata"]["name"].as_str().unwrap_or("").to_string());
        let now = timestamp(self.clock.now());
        let existing = self.list(r, Some(ns), &ListOptions::default())?["items"].take();
        let objects: Vec<(&Resource, &Value)> = existing
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| (r, o))
            .collect();
        for q in quotas {
            let used = quota::used(q, objects.iter().copied(), &now);
            if let Err(message) = quota::check_update(q, &used, r, obj, old, &now) {
                let name = obj
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                return Err(ApiError::new(
                    403,
                    "Forbidden",
                    format!(
                        "{} \"{name}\" is forbidden: {message}",
                        r.qualified_plural()
                    ),
                ));
            }
        }
        Ok(())
    }
}
