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
