//! LimitRanger admission on create: a new pod gets its namespace's LimitRange defaults
//! (mutating, before validation) and pods and claims are refused past their min, max and
//! ratios (validating, before quota), with kube-apiserver's 403 wording.

use super::ApiServer;
use crate::api::limitrange;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::api::{defaults, order};
use serde_json::{Value, json};

impl ApiServer {
    /// The LimitRanges of `ns` in name order (none for kinds the LimitRanger ignores).
    fn limit_ranges(
        &self,
        r: &Resource,
        ns: &str,
        earlier: &[(&str, Value)],
    ) -> Result<Vec<Value>, ApiError> {
        let limited = r.group.is_empty() && matches!(r.plural, "pods" | "persistentvolumeclaims");
        let Some(ranges) = registry::find("limitranges").filter(|_| limited) else {
            return Ok(Vec::new());
        };
        let mut items = self.namespace_items(ranges, ns)?.as_ref().clone();
        items.extend(super::quota::in_namespace(earlier, "LimitRange", ns));
        items.sort_by_key(|lr| lr["metadata"]["name"].as_str().unwrap_or("").to_string());
        Ok(items)
    }

    /// Defaults from the namespace's LimitRanges into a new pod's containers (its QoS class
    /// follows what they set).
    pub(super) fn default_limits(
        &self,
        r: &Resource,
        ns: &str,
        obj: &mut Value,
        earlier: &[(&str, Value)],
    ) -> Result<(), ApiError> {
        if r.plural != "pods" {
            return Ok(());
        }
        let mut changed = false;
        for lr in self.limit_ranges(r, ns, earlier)? {
            changed |= limitrange::default_pod(&lr, obj);
        }
        if changed {
            let qos = obj
                .get("spec")
                .map(defaults::qos_class)
                .unwrap_or("BestEffort");
            if let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) {
                order::set_ordered(status, &[], "qosClass", json!(qos));
            }
        }
        Ok(())
    }

    /// Refuses a pod or claim outside its namespace's LimitRanges.
    pub(super) fn check_limits(
        &self,
        r: &Resource,
        ns: &str,
        obj: &Value,
        earlier: &[(&str, Value)],
    ) -> Result<(), ApiError> {
        let mut errs = Vec::new();
        for lr in self.limit_ranges(r, ns, earlier)? {
            match r.plural {
                "pods" => limitrange::check_pod(&lr, obj, &mut errs),
                _ => limitrange::check_claim(&lr, obj, &mut errs),
            }
        }
        match limitrange::aggregate(errs) {
            None => Ok(()),
            Some(message) => {
                let name = obj
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                Err(ApiError::new(
                    403,
                    "Forbidden",
                    format!(
                        "{} \"{name}\" is forbidden: {message}",
                        r.qualified_plural()
                    ),
                ))
            }
        }
    }
}
