//! The `pods/binding` subresource: how kube-scheduler assigns a pod to a node.

use super::ApiServer;
use super::update::Part;
use crate::api::options::WriteOptions;
use crate::api::order;
use crate::api::registry;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use serde_json::{Value, json};

impl ApiServer {
    /// Sets `spec.nodeName` of a pod that has none, and records PodScheduled=True.
    pub fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ApiError> {
        let pods = registry::find("pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
        let mut obj = self.get(pods, Some(namespace), pod)?;
        if obj.pointer("/metadata/deletionTimestamp").is_some() {
            return Err(ApiError::conflict("", "pods", pod));
        }
        if let Some(current) = obj
            .pointer("/spec/nodeName")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        {
            return Err(ApiError::new(
                409,
                "Conflict",
                format!(
                    "Operation cannot be fulfilled on pods/binding \"{pod}\": pod {pod} is already assigned to node \"{current}\""
                ),
            ));
        }
        if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
            order::set_ordered(
                spec,
                crate::api::defaults::pod_spec_order(),
                "nodeName",
                json!(node),
            );
        }
        set_scheduled_condition(&mut obj, &timestamp(self.clock.now()));
        // Spec and status change together, as the binding storage does.
        self.replace(
            pods,
            Some(namespace),
            pod,
            obj,
            Part::All,
            &WriteOptions::default(),
        )?;
        Ok(())
    }
}

fn set_scheduled_condition(pod: &mut Value, now: &str) {
    let condition = json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now});
    let Some(status) = pod.get_mut("status").and_then(Value::as_object_mut) else {
        return;
    };
    let conditions = status.entry("conditions").or_insert_with(|| json!([]));
    if let Some(list) = conditions.as_array_mut() {
        list.retain(|c| c.get("type").and_then(Value::as_str) != Some("PodScheduled"));
        list.push(condition);
    }
}
