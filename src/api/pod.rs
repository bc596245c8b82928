//! Reading a Pod object's parts that several layers need.

use serde_json::Value;

/// The names of a pod's (regular) containers, in spec order: what `exec` and `logs` choose
/// among.
pub fn container_names(pod: &Value) -> Vec<&str> {
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect()
}
