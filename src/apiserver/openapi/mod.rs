//! The OpenAPI v3 documents the API server publishes (`/openapi/v3` and one document per
//! group-version), generated from its model of the built-in kinds (`managed::schema`):
//! `components.schemas` named as kube-apiserver names them (`io.k8s.api.core.v1.Pod`),
//! with `$ref`s, types and formats, `required`, `x-kubernetes-group-version-kind` and the
//! list and patch extensions; and per kind the PATCH operation with its `fieldValidation`
//! parameter, which is what kubectl's `--validate=strict` looks for before it lets the
//! server validate. The PATCH operations declare no request bodies, so kubectl does not
//! compute apply patches from these schemas (it would, as kube's document allows, from a
//! declared `application/strategic-merge-patch+json` body); explain reads them.

mod custom;
mod descriptions;
mod enums;

use super::managed::schema::{self, Field, Ty};
use crate::api::registry::{OTHER_VERSIONS, RESOURCES, Resource};
use serde_json::{Map, Value, json};

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// Whether the server serves this group-version.
fn served(group: &str, version: &str) -> bool {
    RESOURCES
        .iter()
        .chain(OTHER_VERSIONS)
        .any(|r| r.group == group && r.version == version)
}

/// The name kube-apiserver gives the schema of a kind: `io.k8s.api.<package>.<version>.<Kind>`,
/// the package being the group's first label (`core` for the core group).
pub fn definition_name(r: &Resource) -> String {
    let package = match r.group {
        "" => "core",
        g => g.split('.').next().unwrap_or(g),
    };
    format!("io.k8s.api.{package}.{}.{}", r.version, r.kind)
}

/// The document of one group-version, if it is served. The documents never change while
/// the process runs, so each is built once.
pub fn group_version(group: &str, version: &str) -> Option<Value> {
    static BUILT: std::sync::OnceLock<Vec<(&'static str, &'static str, Value)>> =
        std::sync::OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let mut docs: Vec<(&'static str, &'static str, Value)> = Vec::new();
        for r in RESOURCES.iter().chain(OTHER_VERSIONS) {
            if !docs
                .iter()
                .any(|(g, v, _)| *g == r.group && *v == r.version)
                && let Some(doc) = build(r.group, r.version)
            {
                docs.push((r.group, r.version, doc));
            }
        }
        docs
    });
    built
        .iter()
        .find(|(g, v, _)| *g == group && *v == version)
        .map(|(_, _, doc)| doc.clone())
}

fn build(group: &str, version: &str) -> Option<Value> {
    if !served(group, version) {
        return None;
    }
    let mut paths = Map::new();
    let mut schemas = Schemas::default();
    for r in RESOURCES
        .iter()
        .chain(OTHER_VERSIONS)
        .filter(|r| r.group == group && r.version == version)
    {
        // Every kind, create-only ones too: kubectl looks for a PATCH operation of the kind
        // that takes `fieldValidation` before it lets the server validate a manifest.
        paths.insert(item_path(r), json!({"patch": patch_operation(r)}));
        schemas.kind(r);
    }
    let mut components = Map::new();
    schemas.defs.sort_keys();
    components.insert("schemas".into(), Value::Object(schemas.defs));
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": crate::version::KUBERNETES_VERSION},
        "paths": paths,
        "components": components,
    }))
}

fn item_path(r: &Resource) -> String {
    let gv = gv_path(r.group, r.version);
    if r.namespaced {
        format!("/{gv}/namespaces/{{namespace}}/{}/{{name}}", r.plural)
    } else {
        format!("/{gv}/{}/{{name}}", r.plural)
    }
}

fn patch_operation(r: &Resource) -> Value {
    json!({
        "x-kubernetes-group-version-kind": {"group": r.group, "version": r.version, "kind": r.kind},
        "parameters": [
            {"name": "dryRun", "in": "query", "schema": {"type": "string"}},
            {"name": "fieldManager", "in": "query", "schema": {"type": "string"}},
            {"name": "fieldValidation", "in": "query", "schema": {"type": "string"}},
            {"name": "force", "in": "query", "schema": {"type": "boolean"}}
        ]
    })
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

/// `GET /openapi/v3`: where each group-version's document is (built once, as they are).
pub fn root() -> Value {
    static ROOT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    ROOT.get_or_init(build_root).clone()
}

fn build_root() -> Value {
    let mut paths = Map::new();
    let mut seen = Vec::new();
    for r in RESOURCES.iter().chain(OTHER_VERSIONS) {
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

/// A document by its path (`/openapi/v3`, `/openapi/v3/apis/apps/v1?hash=..`), as the
/// HTTP front serves it; `None` for a path that names no document.
pub fn by_path(path: &str) -> Option<Value> {
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["openapi", "v3"] => Some(root()),
        ["openapi", "v3", "api", version] => group_version("", version),
        ["openapi", "v3", "apis", group, version] => group_version(group, version),
        _ => None,
    }
}

/// `#/components/schemas/<name>`.
fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The definitions one document needs, gathered as the kinds are walked.
#[derive(Default)]
struct Schemas {
    defs: Map<String, Value>,
}

impl Schemas {
    /// The schema of a kind, under its kube name, with its group-version-kind.
    fn kind(&mut self, r: &Resource) {
        let (ty, _) = schema::of_version(r.group, r.kind, r.version);
        let name = definition_name(r);
        let mut s = self.structure(&name, ty);
        s["x-kubernetes-group-version-kind"] =
            json!([{"group": r.group, "kind": r.kind, "version": r.version}]);
        self.defs.insert(name, s);
    }

    /// An object schema of a struct's declared fields; `owner` names it for descriptions.
    fn structure(&mut self, owner: &str, ty: &Ty) -> Value {
        let Ty::Struct(_, fields) = ty else {
            return json!({"type": "object"});
        };
        let mut s = Map::new();
        if let Some(d) = descriptions::of(owner, "", false) {
            s.insert("description".into(), d.into());
        }
        let mut props = Map::new();
        for f in fields.iter() {
            props.insert(f.name.to_string(), self.property(owner, f));
        }
        s.insert("properties".into(), Value::Object(props));
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        if !required.is_empty() {
            s.insert("required".into(), json!(required));
        }
        s.insert("type".into(), "object".into());
        Value::Object(s)
    }

    /// A struct's field: its value's schema, our description of it, and the extensions
    /// that say how lists merge (as kube's struct tags do).
    fn property(&mut self, owner: &str, f: &Field) -> Value {
        let inline_owner = format!("{owner}.{}", f.name);
        let mut p = match f.ty {
            // Named types are referenced; kube wraps the reference so that it can carry
            // the field's own description and default.
            Ty::Struct(name, _) if !name.is_empty() => {
                self.define(name, f.ty);
                let mut p = json!({"allOf": [reference(name)]});
                if f.zero {
                    p["default"] = json!({});
                }
                p
            }
            Ty::Scalar(def) if *def != "string" => {
                self.scalar(def);
                json!({"allOf": [reference(def)]})
            }
            _ => self.value(&inline_owner, f.ty),
        };
        let obj = p.as_object_mut().expect("a schema is an object");
        let shared = owner.ends_with(".status")
            || RESOURCES
                .iter()
                .chain(OTHER_VERSIONS)
                .any(|r| definition_name(r) == owner);
        if let Some(d) = descriptions::of(owner, f.name, shared) {
            obj.insert("description".into(), d.into());
        }
        match f.ty {
            Ty::Keyed(keys, _) => {
                obj.insert("x-kubernetes-list-map-keys".into(), json!(keys));
                obj.insert("x-kubernetes-list-type".into(), "map".into());
                let sample = [json!({keys[0]: 0})];
                if let Some(key) = super::smp::merge_key(f.name, &sample) {
                    obj.insert("x-kubernetes-patch-merge-key".into(), key.into());
                    obj.insert(
                        "x-kubernetes-patch-strategy".into(),
                        strategy(owner, f.name, "merge").into(),
                    );
                }
            }
            Ty::Set => {
                obj.insert("x-kubernetes-list-type".into(), "set".into());
                if super::smp::is_set_list(f.name) {
                    obj.insert("x-kubernetes-patch-strategy".into(), "merge".into());
                }
            }
            Ty::Atomic(inner) => {
                let key = if matches!(inner, Ty::List(_)) {
                    "x-kubernetes-list-type"
                } else {
                    "x-kubernetes-map-type"
                };
                obj.insert(key.into(), "atomic".into());
            }
            Ty::Struct(..) => {
                let s = strategy(owner, f.name, "");
                if !s.is_empty() {
                    obj.insert("x-kubernetes-patch-strategy".into(), s.into());
                }
            }
            _ => {}
        }
        p
    }

    /// The schema of a value of type `ty` (a list's item, a map's value, a field).
    fn value(&mut self, owner: &str, ty: &Ty) -> Value {
        match ty {
            Ty::Scalar("string") => json!({"type": "string"}),
            Ty::Scalar(def) => {
                self.scalar(def);
                reference(def)
            }
            Ty::Int32 => json!({"type": "integer", "format": "int32"}),
            Ty::Int64 => json!({"type": "integer", "format": "int64"}),
            Ty::Bool => json!({"type": "boolean"}),
            Ty::Str("[]uint8") => json!({"type": "string", "format": "byte"}),
            Ty::Str(go) => match enums::of(go) {
                Some(values) => json!({"type": "string", "enum": values}),
                None => json!({"type": "string"}),
            },
            Ty::Struct("", _) => self.structure(owner, ty),
            Ty::Struct(name, _) => {
                self.define(name, ty);
                json!({"allOf": [reference(name)], "default": {}})
            }
            Ty::Map(t) => json!({"type": "object", "additionalProperties": self.value(owner, t)}),
            Ty::Atomic(t) => self.value(owner, t),
            Ty::List(t) | Ty::Keyed(_, t) => {
                json!({"type": "array", "items": self.value(owner, t)})
            }
            Ty::Set => json!({"type": "array", "items": {"type": "string"}}),
            Ty::Any => json!({"type": "object"}),
        }
    }

    /// Adds the definition of a named struct, once.
    fn define(&mut self, name: &str, ty: &Ty) {
        if self.defs.contains_key(name) {
            return;
        }
        // Placed first, so that a type that contains itself is not walked again.
        self.defs.insert(name.to_string(), Value::Null);
        let s = self.structure(name, ty);
        self.defs.insert(name.to_string(), s);
    }

    /// Adds the definition of a scalar that decodes itself (quantity, time, int-or-string).
    fn scalar(&mut self, name: &str) {
        if self.defs.contains_key(name) {
            return;
        }
        let mut s = match name.rsplit('.').next() {
            Some("IntOrString") => json!({"type": "string", "format": "int-or-string"}),
            Some("Time" | "MicroTime") => json!({"type": "string", "format": "date-time"}),
            _ => json!({"type": "string"}),
        };
        if let Some(d) = descriptions::of(name, "", false) {
            s["description"] = d.into();
        }
        self.defs.insert(name.to_string(), s);
    }
}

/// kube's patch strategy of a field that also keeps only the keys of the patch
/// (`retainKeys`: a union whose members replace each other), else `plain`.
fn strategy(owner: &str, field: &str, plain: &str) -> String {
    let retains = matches!(
        (owner, field),
        ("io.k8s.api.core.v1.PodSpec", "volumes" | "resourceClaims")
            | ("io.k8s.api.apps.v1.DeploymentSpec", "strategy")
    );
    match (retains, plain.is_empty()) {
        (false, _) => plain.to_string(),
        (true, true) => "retainKeys".to_string(),
        (true, false) => format!("{plain},retainKeys"),
    }
}

#[cfg(test)]
mod tests;
