//! The OpenAPI v3 documents of custom resources: one per group-version of the cluster's CRDs,
//! each kind's schema (its `openAPIV3Schema` with `apiVersion`, `kind` and `metadata`
//! added) named as kube-apiserver names CRD schemas (`com.example.v1.Widget`, the group
//! reversed), with its group-version-kind and a PATCH operation taking `fieldValidation`,
//! so `kubectl explain` and strict validation know custom kinds. Built when asked: CRDs change.

use super::super::ApiServer;
use super::{gv_path, hash, patch_operation, reference};
use crate::api::registry::Resource;
use serde_json::{Map, Value, json};

const META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.";

/// `example.com`, `v1`, `Widget` as `com.example.v1.Widget`.
fn definition_name(r: &Resource) -> String {
    let reversed: Vec<&str> = r.group.split('.').rev().collect();
    format!("{}.{}.{}", reversed.join("."), r.version, r.kind)
}

fn kind_schema(r: &Resource, raw: Option<&Value>) -> Value {
    let mut schema = raw.cloned().unwrap_or_else(|| json!({"type": "object"}));
    if let Some(map) = schema.as_object_mut() {
        let props = map
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(props) = props.as_object_mut() {
            props.insert("apiVersion".into(), json!({"description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources", "type": "string"}));
            props.insert("kind".into(), json!({"description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds", "type": "string"}));
            props.insert(
                "metadata".into(),
                json!({"allOf": [reference(&format!("{META}ObjectMeta"))], "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"}),
            );
        }
        map.insert(
            "x-kubernetes-group-version-kind".into(),
            json!([{"group": r.group, "kind": r.kind, "version": r.version}]),
        );
    }
    schema
}

impl ApiServer {
    /// The document of a custom group-version, if the cluster serves one.
    pub fn custom_openapi(&self, group: &str, version: &str) -> Option<Value> {
        let catalog = self.custom_resources().ok()?;
        let served: Vec<_> = catalog
            .served
            .iter()
            .filter(|s| {
                let r = &s.definition.resource;
                s.definition.served && r.group == group && r.version == version
            })
            .collect();
        if served.is_empty() {
            return None;
        }
        let mut paths = Map::new();
        let mut schemas = Map::new();
        for s in served {
            let r = &s.definition.resource;
            let gv = gv_path(r.group, r.version);
            let item = if r.namespaced {
                format!("/{gv}/namespaces/{{namespace}}/{}/{{name}}", r.plural)
            } else {
                format!("/{gv}/{}/{{name}}", r.plural)
            };
            paths.insert(item, json!({"patch": patch_operation(r)}));
            schemas.insert(definition_name(r), kind_schema(r, s.raw_schema.as_ref()));
        }
        // ObjectMeta and what it refers to, from the core document.
        if let Some(core) = super::group_version("", "v1")
            && let Some(defs) = core
                .pointer("/components/schemas")
                .and_then(Value::as_object)
        {
            for (name, def) in defs.iter().filter(|(n, _)| n.starts_with(META)) {
                schemas.insert(name.clone(), def.clone());
            }
        }
        schemas.sort_keys();
        Some(json!({
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes CRD Swagger", "version": "v0.1.0"},
            "paths": paths,
            "components": {"schemas": schemas},
        }))
    }

    /// `GET /openapi/v3`: the built-in group-versions and the custom ones.
    pub fn openapi_root(&self) -> Value {
        let mut root = super::root();
        let Ok(catalog) = self.custom_resources() else {
            return root;
        };
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for r in catalog.resources() {
            if seen.contains(&(r.group, r.version)) {
                continue;
            }
            seen.push((r.group, r.version));
            if let Some(doc) = self.custom_openapi(r.group, r.version)
                && let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut)
            {
                let p = gv_path(r.group, r.version);
                paths.insert(
                    p.clone(),
                    json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash={}", hash(&doc))}),
                );
            }
        }
        root
    }

    /// A document by its path, custom group-versions included (see `super::by_path`).
    pub fn openapi_by_path(&self, path: &str) -> Option<Value> {
        let bare = path.split('?').next().unwrap_or(path);
        let parts: Vec<&str> = bare.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            ["openapi", "v3"] => Some(self.openapi_root()),
            ["openapi", "v3", "apis", group, version] => {
                super::group_version(group, version).or_else(|| self.custom_openapi(group, version))
            }
            _ => super::by_path(path),
        }
    }
}
