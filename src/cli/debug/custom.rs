//! `--custom FILE`: a partial container spec (JSON or YAML) merged over the debug
//! container after its profile, as a strategic merge patch (kubectl's way), so lists such
//! as `env` and `volumeMounts` merge by their keys. What makes the container what it is
//! (name, command, image, lifecycle, volume devices) cannot be changed this way.

use crate::cli::errors::CliError;
use serde_json::{Value, json};

/// Reads and checks the file: kubectl's words for a missing file, a file that is not a
/// container spec, and fields a custom profile may not set.
pub fn read(path: &str) -> Result<Value, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        CliError::message(format!(
            "must pass a container spec json file for custom profile: open {path}: {why}"
        ))
    })?;
    // JSON is YAML: one parser reads both.
    let spec: Value = serde_saphyr::from_str(&text).map_err(|e| {
        CliError::message(format!(
            "{path} does not contain a valid container spec: {e}"
        ))
    })?;
    if !spec.is_object() && !spec.is_null() {
        return Err(CliError::message(format!(
            "{path} does not contain a valid container spec: it is not an object"
        )));
    }
    Ok(if spec.is_null() { json!({}) } else { spec })
}

/// kubectl's check of the custom spec (it runs while validating the command line).
pub fn check(spec: &Value) -> Result<(), CliError> {
    let set = |k: &str| {
        spec.get(k).is_some_and(|v| match v {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        })
    };
    if ["name", "command", "image", "lifecycle", "volumeDevices"]
        .iter()
        .any(|k| set(k))
    {
        return Err(CliError::message(
            "name, command, image, lifecycle and volume devices are not modifiable via custom profile",
        ));
    }
    Ok(())
}

/// Merges the custom spec over container `name` of `pod` (any list of containers).
pub fn apply(pod: &mut Value, name: &str, spec: &Value) -> Result<(), CliError> {
    let Some(container) = pod
        .get_mut("spec")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|s| s.iter_mut())
        .filter(|(k, _)| matches!(k.as_str(), "containers" | "ephemeralContainers"))
        .filter_map(|(_, l)| l.as_array_mut())
        .flat_map(|l| l.iter_mut())
        .find(|c| c["name"] == name)
    else {
        return Err(CliError::message(format!(
            "unable to find the {name} container in the pod {}",
            pod["metadata"]["name"].as_str().unwrap_or("")
        )));
    };
    let mut patch = spec.clone();
    patch["name"] = json!(name);
    crate::apiserver::smp::apply(container, &patch).map_err(|e| CliError::message(e.message))?;
    patch_items_first(container, &patch);
    Ok(())
}

/// Go's strategic merge lists the patch's items of a keyed list first (in the patch's
/// order), then the ones only the container had.
fn patch_items_first(container: &mut Value, patch: &Value) {
    let Some(fields) = patch.as_object() else {
        return;
    };
    for (field, items) in fields {
        let Some(items) = items.as_array() else {
            continue;
        };
        let Some(key) = crate::apiserver::smp::merge_key(field, items) else {
            continue;
        };
        let Some(list) = container.get_mut(field).and_then(Value::as_array_mut) else {
            continue;
        };
        let (mut first, rest): (Vec<Value>, Vec<Value>) = std::mem::take(list)
            .into_iter()
            .partition(|v| items.iter().any(|p| p.get(key) == v.get(key)));
        first.sort_by_key(|v| items.iter().position(|p| p.get(key) == v.get(key)));
        first.extend(rest);
        *list = first;
    }
}
