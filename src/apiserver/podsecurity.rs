//! PodSecurity admission on pod create: the namespace's `pod-security.kubernetes.io/enforce`
//! level refuses a pod that breaks it (403, kube-apiserver's wording). Warn and audit modes
//! and the warnings on workload templates are not sent: the API server has no channel for
//! admission warnings yet.

use super::ApiServer;
use crate::api::podsecurity;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::Value;

impl ApiServer {
    /// Refuses a new pod that violates its namespace's enforced level; `earlier` are the
    /// objects of this batch that already apply (a namespace created in it).
    pub(super) fn admit_pod_security(
        &self,
        r: &Resource,
        ns: &str,
        obj: &Value,
        earlier: &[(&str, Value)],
    ) -> Result<(), ApiError> {
        if r.plural != "pods" || !r.group.is_empty() {
            return Ok(());
        }
        let namespace = match earlier
            .iter()
            .rev()
            .find(|(k, o)| *k == "Namespace" && o["metadata"]["name"] == ns)
        {
            Some((_, o)) => o.clone(),
            None => match self.lookup_namespace(ns) {
                Ok(o) => o,
                Err(e) if e.code == 404 => return Ok(()),
                Err(e) => return Err(e),
            },
        };
        let Some((level, version)) = podsecurity::level(&namespace, "enforce") else {
            return Ok(());
        };
        let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
        match podsecurity::message(&spec, &level, &version) {
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
                        "{} \"{name}\" is forbidden: violates {message}",
                        r.qualified_plural()
                    ),
                ))
            }
        }
    }
}
