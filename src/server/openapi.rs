//! A small OpenAPI v3: for each kind, the PATCH operation with its `fieldValidation`
//! parameter. That is what kubectl's default `--validate=strict` looks for before it lets
//! the server validate (and sends `fieldValidation=Strict`). No schemas are served, so
//! kubectl does not try to compute patches from them.

use super::route::served;
use crate::api::registry::RESOURCES;
use serde_json::{Value, json};

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// The document of one group-version, if it is served.
pub fn group_version(group: &str, version: &str) -> Option<Value> {
    if !served(group, version) {
        return None;
    }
    let mut paths = serde_json::Map::new();
    for r in RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
    {
        let path = if r.namespaced {
            format!(
                "/{}/namespaces/{{namespace}}/{}/{{name}}",
                gv_path(group, version),
                r.plural
            )
        } else {
            format!("/{}/{}/{{name}}", gv_path(group, version), r.plural)
        };
        paths.insert(
            path,
            json!({"patch": {
                "x-kubernetes-group-version-kind": {"group": r.group, "version": r.version, "kind": r.kind},
                "parameters": [
                    {"name": "dryRun", "in": "query", "schema": {"type": "string"}},
                    {"name": "fieldManager", "in": "query", "schema": {"type": "string"}},
                    {"name": "fieldValidation", "in": "query", "schema": {"type": "string"}},
                    {"name": "force", "in": "query", "schema": {"type": "boolean"}}
                ]
            }}),
        );
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": crate::version::KUBERNETES_VERSION},
        "paths": paths,
    }))
}

/// FNV-1a of a document: its `hash=` and ETag, stable while the document is.
pub fn hash(doc: &Value) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in doc.to_string().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016X}")
}

/// `GET /openapi/v3`: where each group-version's document is.
pub fn root() -> Value {
    let mut paths = serde_json::Map::new();
    let mut seen = Vec::new();
    for r in RESOURCES {
        if seen.contains(&(r.group, r.version)) {
            continue;
        }
        seen.push((r.group, r.version));
        if let Some(doc) = group_version(r.group, r.version) {
            let p = gv_path(r.group, r.version);
            paths.insert(
                p.clone(),
                json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash={}", hash(&doc))}),
            );
        }
    }
    json!({"paths": paths})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_advertises_field_validation() {
        let doc = group_version("", "v1").expect("core");
        let pod = &doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"]["patch"];
        assert_eq!(pod["x-kubernetes-group-version-kind"]["kind"], "Pod");
        assert!(
            pod["parameters"]
                .as_array()
                .expect("params")
                .iter()
                .any(|p| p["name"] == "fieldValidation")
        );
        assert!(doc["paths"]["/api/v1/nodes/{name}"]["patch"].is_object());
        let root = root();
        let url = root["paths"]["apis/apps/v1"]["serverRelativeURL"]
            .as_str()
            .expect("url");
        assert!(url.starts_with("/openapi/v3/apis/apps/v1?hash="), "{url}");
        assert!(group_version("apps", "v9").is_none());
    }
}
