//! The Priority admission plugin's view of the cluster's PriorityClasses: a pod's class by
//! name, the global default for pods that name none, the one-default rule for new classes,
//! and the built-in classes kube-apiserver refuses to delete.

use super::ApiServer;
use crate::api::options::ListOptions;
use crate::api::registry;
use crate::api::status::ApiError;
use serde_json::{Value, json};

/// The built-in classes: name, value and description, as kube-apiserver creates them.
pub const SYSTEM_CLASSES: [(&str, i64, &str); 2] = [
    (
        "system-node-critical",
        2_000_001_000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    (
        "system-cluster-critical",
        2_000_000_000,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    ),
];

/// The built-in classes as objects, for a new cluster.
pub fn system_class_objects() -> Vec<Value> {
    SYSTEM_CLASSES
        .iter()
        .map(|(name, value, description)| {
            json!({
                "apiVersion": "scheduling.k8s.io/v1",
                "kind": "PriorityClass",
                "metadata": {"name": name},
                "value": value,
                "description": description,
                "preemptionPolicy": "PreemptLowerPriority",
            })
        })
        .collect()
}

struct Class {
    name: String,
    value: i64,
    policy: String,
    global_default: bool,
}

/// The PriorityClasses stored when a batch of creates began.
pub struct PriorityClasses(Vec<Class>);

impl PriorityClasses {
    pub fn load(server: &ApiServer) -> Result<PriorityClasses, ApiError> {
        let r = registry::find("priorityclasses").ok_or_else(|| ApiError::internal("no pc"))?;
        let list = server.list(r, None, &ListOptions::default())?;
        let classes = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|pc| Class {
                name: pc["metadata"]["name"].as_str().unwrap_or("").to_string(),
                value: pc["value"].as_i64().unwrap_or(0),
                policy: pc["preemptionPolicy"]
                    .as_str()
                    .unwrap_or("PreemptLowerPriority")
                    .to_string(),
                global_default: pc["globalDefault"].as_bool().unwrap_or(false),
            })
            .collect();
        Ok(PriorityClasses(classes))
    }

    /// A class's value and preemption policy.
    pub fn lookup(&self, name: &str) -> Option<(i64, String)> {
        self.0
            .iter()
            .find(|c| c.name == name)
            .map(|c| (c.value, c.policy.clone()))
    }

    /// The global default: of several, the one with the lowest value (as kube picks).
    fn global_default(&self) -> Option<&Class> {
        self.0
            .iter()
            .filter(|c| c.global_default)
            .min_by_key(|c| c.value)
    }

    /// A pod without a class gets the global default's name (admission then gives it that
    /// class's priority).
    pub fn name_default_class(&self, pod: &mut Value) {
        let Some(default) = self.global_default() else {
            return;
        };
        let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) else {
            return;
        };
        let named = spec
            .get("priorityClassName")
            .and_then(Value::as_str)
            .is_some_and(|n| !n.is_empty());
        if !named {
            spec.insert("priorityClassName".into(), json!(default.name));
            crate::api::order::reorder(spec, crate::api::defaults::pod_spec_order());
        }
    }

    /// Only one class may be the global default: kube's refusal of a second one.
    pub fn admit_class(&self, pc: &Value) -> Result<(), String> {
        if pc["globalDefault"].as_bool() != Some(true) {
            return Ok(());
        }
        let name = pc["metadata"]["name"].as_str().unwrap_or("");
        match self.0.iter().find(|c| c.global_default && c.name != name) {
            Some(other) => Err(format!(
                "PriorityClass {} is already marked as default. Only one default can exist",
                other.name
            )),
            None => Ok(()),
        }
    }
}

/// kube-apiserver's refusal to delete a built-in class.
pub fn refuse_system_delete(plural: &str, name: &str) -> Result<(), ApiError> {
    if plural == "priorityclasses" && SYSTEM_CLASSES.iter().any(|(n, _, _)| *n == name) {
        return Err(ApiError::new(
            403,
            "Forbidden",
            format!(
                "priorityclasses.scheduling.k8s.io \"{name}\" is forbidden: this is a system priority class and cannot be deleted"
            ),
        ));
    }
    Ok(())
}
