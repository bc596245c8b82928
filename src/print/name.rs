//! `kubectl -o name`: `<kind>[.<group>]/<name>`, the kind lowercased (kubectl prints the
//! object's GroupKind, not the resource name: `endpoints/api` because the kind is `Endpoints`,
//! `deployment.apps/web`). The namespace is never shown, even with `-A`.

use serde_json::Value;

/// The `-o name` line for one object, without the newline: `name_line("Deployment", "apps",
/// "web")` is `deployment.apps/web`; the core group is `""`.
pub fn name_line(kind: &str, group: &str, name: &str) -> String {
    let kind = kind.to_lowercase();
    if group.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}.{}/{name}", group.to_lowercase())
    }
}

/// Whether `obj` is a `Status` rather than an object: kube answers a create of a
/// create-only resource (a Binding) with one.
pub fn is_status(obj: &Value) -> bool {
    obj.get("kind").and_then(Value::as_str) == Some("Status")
        && obj.get("apiVersion").and_then(Value::as_str) == Some("v1")
}

/// The `-o name` line of what a write returned: a Status prints as kubectl's name printer
/// names it (its kind, and no name: `status/<unknown>`).
pub fn name_line_returned(obj: &Value, kind: &str, group: &str) -> String {
    if is_status(obj) {
        return name_line("Status", "", "<unknown>");
    }
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    name_line(kind, group, name)
}

/// The `-o name` line of an object that carries `apiVersion`, `kind` and `metadata.name`.
pub fn name_line_of(obj: &Value) -> Option<String> {
    let kind = obj.get("kind")?.as_str()?;
    let api_version = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("v1");
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    let name = obj.get("metadata")?.get("name")?.as_str()?;
    Some(name_line(kind, group, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn core_and_grouped_kinds() {
        assert_eq!(name_line("Pod", "", "x"), "pod/x");
        assert_eq!(
            name_line("Deployment", "apps", "web"),
            "deployment.apps/web"
        );
        assert_eq!(name_line("Endpoints", "", "api"), "endpoints/api");
        let obj = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"}});
        assert_eq!(name_line_of(&obj).as_deref(), Some("replicaset.apps/r"));
        assert_eq!(name_line_of(&json!({"kind": "Pod"})), None);
    }
}
