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

/// A control-plane mirror pod's component (its `component` label) and, when its container
/// runs or has not been started yet, that container's command line (command then args).
/// `None` for a pod that is not a mirror pod. What runs the scheduler and the controller
/// manager (`embedded::gate`) and what `get cs` reports (the API server) both read this.
pub fn mirror_component(p: &Value) -> Option<(String, Option<Vec<String>>)> {
    p.pointer("/metadata/annotations")?
        .get("kubernetes.io/config.mirror")?;
    let component = p
        .pointer("/metadata/labels/component")?
        .as_str()?
        .to_string();
    let Some(container) = p.pointer("/spec/containers/0") else {
        return Some((component, None));
    };
    let name = container.get("name").and_then(Value::as_str).unwrap_or("");
    let status = p
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|s| s.get("name").and_then(Value::as_str) == Some(name))
        });
    let up = match status {
        // Not started yet: the kubelet starts it in its next pass.
        None => p.pointer("/status/phase").and_then(Value::as_str) != Some("Failed"),
        Some(s) => s.pointer("/state/running").is_some(),
    };
    if !up {
        return Some((component, None));
    }
    let strings = |k: &str| super::json::strings(container.get(k));
    let mut command = strings("command");
    command.extend(strings("args"));
    Some((component, Some(command)))
}
