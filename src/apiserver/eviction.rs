//! The `pods/eviction` subresource: how `kubectl drain` removes pods. As kube-apiserver, it
//! deletes the pod with the Eviction's DeleteOptions unless the PodDisruptionBudget that
//! covers the pod allows no disruption now (429, which drain retries); an allowed eviction
//! is first recorded in the budget's status (`disruptedPods`, one fewer disruption
//! allowed), so a second eviction before the disruption controller catches up is refused.

use super::ApiServer;
use super::guarded::retry_while;
use crate::api::options::{DeleteOptions, ListOptions, WriteOptions};
use crate::api::registry;
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use serde_json::{Value, json};

/// The 429 message when a budget allows no disruption.
const VIOLATION: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

impl ApiServer {
    pub fn evict(&self, namespace: &str, pod: &str, opts: &DeleteOptions) -> Result<(), ApiError> {
        let pods = registry::find("pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
        self.restrict_node_eviction(opts.requester.as_ref(), namespace, pod)?;
        retry_while(
            5,
            |e| e.code == 409,
            || self.check_budget(namespace, pod, opts),
        )?;
        self.delete(pods, Some(namespace), pod, opts)?;
        Ok(())
    }

    /// Refuses the eviction, or records it in the pod's budget (when one covers it).
    fn check_budget(
        &self,
        namespace: &str,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<(), ApiError> {
        let pods = registry::find("pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
        let pod = self.get(pods, Some(namespace), name)?;
        // Pods that are done, not started, or already going cause no new disruption.
        let phase = pod
            .pointer("/status/phase")
            .and_then(Value::as_str)
            .unwrap_or("");
        if matches!(phase, "Succeeded" | "Failed" | "Pending")
            || pod
                .pointer("/metadata/deletionTimestamp")
                .is_some_and(|t| !t.is_null())
        {
            return Ok(());
        }
        let r = registry::find("poddisruptionbudgets")
            .ok_or_else(|| ApiError::internal("no poddisruptionbudgets resource"))?;
        let list = self.list(r, Some(namespace), &ListOptions::default())?;
        let labels = pod.pointer("/metadata/labels").and_then(Value::as_object);
        let covering: Vec<&Value> = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|pdb| {
                pdb.pointer("/spec/selector")
                    .filter(|s| !s.is_null())
                    .and_then(|s| LabelSelector::from_object(s).ok())
                    .is_some_and(|s| s.matches(labels))
            })
            .collect();
        let pdb = match covering.as_slice() {
            [] => return Ok(()),
            [one] => *one,
            _ => {
                return Err(ApiError::internal(
                    "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                ));
            }
        };
        let status = |k: &str| {
            pdb.pointer(&format!("/status/{k}"))
                .and_then(Value::as_i64)
                .unwrap_or(0)
        };
        if !is_ready(&pod) {
            let policy = pdb
                .pointer("/spec/unhealthyPodEvictionPolicy")
                .and_then(Value::as_str);
            let healthy_budget = status("currentHealthy") >= status("desiredHealthy")
                && status("desiredHealthy") > 0;
            if policy == Some("AlwaysAllow") || healthy_budget {
                return Ok(());
            }
        }
        let pdb_name = pdb
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let generation = pdb
            .pointer("/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if status("observedGeneration") < generation {
            return Err(too_many_requests(
                format!(
                    "{VIOLATION} The disruption budget {pdb_name} is still being processed by the server."
                ),
                10,
                None,
            ));
        }
        let allowed = status("disruptionsAllowed");
        if allowed < 0 {
            return Err(ApiError::new(
                403,
                "Forbidden",
                format!(
                    "poddisruptionbudget.policy \"{pdb_name}\" is forbidden: pdb disruptions allowed is negative"
                ),
            ));
        }
        if allowed == 0 {
            let cause = format!(
                "The disruption budget {pdb_name} needs {} healthy pods and has {} currently",
                status("desiredHealthy"),
                status("currentHealthy")
            );
            return Err(too_many_requests(VIOLATION.to_string(), 0, Some(cause)));
        }
        if opts.dry_run {
            return Ok(());
        }
        let mut updated = pdb.clone();
        let now = timestamp(self.clock().now());
        let s = &mut updated["status"];
        s["disruptionsAllowed"] = json!(allowed - 1);
        if !s["disruptedPods"].is_object() {
            s["disruptedPods"] = json!({});
        }
        s["disruptedPods"][name] = json!(now);
        if allowed - 1 == 0
            && let Some(conds) = s["conditions"].as_array_mut()
        {
            for c in conds
                .iter_mut()
                .filter(|c| c["type"] == "DisruptionAllowed")
            {
                if c["status"] != "False" {
                    c["lastTransitionTime"] = json!(now);
                }
                c["status"] = json!("False");
                c["reason"] = json!("InsufficientPods");
            }
        }
        // The stored resourceVersion stays: a budget changed meanwhile is a conflict, retried.
        updated["kind"] = json!("PodDisruptionBudget");
        updated["apiVersion"] = json!("policy/v1");
        self.update_status(
            r,
            Some(namespace),
            pdb_name,
            updated,
            &WriteOptions::default(),
        )?;
        Ok(())
    }
}

fn is_ready(pod: &Value) -> bool {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

/// kube's NewTooManyRequests: 429 with retryAfterSeconds (when not 0) and the budget's cause.
fn too_many_requests(message: String, retry_after: i64, cause: Option<String>) -> ApiError {
    let mut e = ApiError::new(429, "TooManyRequests", message);
    let mut details = serde_json::Map::new();
    if let Some(cause) = cause {
        details.insert(
            "causes".into(),
            json!([{"reason": "DisruptionBudget", "message": cause}]),
        );
    }
    if retry_after > 0 {
        details.insert("retryAfterSeconds".into(), json!(retry_after));
    }
    e.details = Some(Box::new(Value::Object(details)));
    e
}
