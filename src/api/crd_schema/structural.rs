//! The structural-schema check (apiextensions-apiserver `ValidateStructural`): every value
//! needs a type (or an `x-kubernetes-*` that stands for one), value validations under
//! allOf/anyOf/oneOf/not may not specify anything the structural part does not, and metadata
//! may only be restricted at the root by name and generateName. Errors are sorted by their
//! text, as kube sorts them.

use super::node::{child, index, key};
use crate::api::validation::FieldError;
use serde_json::{Map, Value};

#[derive(Clone, Copy, PartialEq)]
enum Level {
    Root,
    Item,
    Field,
}

pub fn check(schema: &Value, path: &str) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Some(m) = schema.as_object() {
        invariants(m, Level::Root, path, &mut out, 0);
        completeness(m, m, path, path, &mut out, 0);
    }
    out.sort_by_key(|e| e.to_string());
    out
}

fn obj<'a>(m: &'a Map<String, Value>, k: &str) -> Option<&'a Map<String, Value>> {
    m.get(k).and_then(Value::as_object)
}
fn str_of<'a>(m: &'a Map<String, Value>, k: &str) -> &'a str {
    m.get(k).and_then(Value::as_str).unwrap_or("")
}
fn flag(m: &Map<String, Value>, k: &str) -> bool {
    m.get(k).and_then(Value::as_bool).unwrap_or(false)
}
fn list<'a>(m: &'a Map<String, Value>, k: &str) -> Vec<&'a Map<String, Value>> {
    m.get(k)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

/// `anyOf: [{type: integer}, {type: string}]`, the shape int-or-string may take.
fn is_int_or_string_any_of(m: &Map<String, Value>) -> bool {
    let any = list(m, "anyOf");
    any.len() == 2
        && m.get("anyOf")
            .and_then(Value::as_array)
            .is_some_and(|a| a.len() == 2)
        && any[0].len() == 1
        && str_of(any[0], "type") == "integer"
        && any[1].len() == 1
        && str_of(any[1], "type") == "string"
}
fn is_int_or_string_all_of(m: &Map<String, Value>) -> bool {
    list(m, "allOf")
        .first()
        .is_some_and(|f| is_int_or_string_any_of(f))
}

fn invariants(
    m: &Map<String, Value>,
    lvl: Level,
    path: &str,
    out: &mut Vec<FieldError>,
    depth: usize,
) {
    if depth > super::node::MAX_DEPTH {
        return;
    }
    let ty = str_of(m, "type");
    if ty == "array" && !m.contains_key("items") {
        out.push(FieldError::required(
            &child(path, "items"),
            "must be specified",
        ));
    }
    if let Some(items) = obj(m, "items") {
        invariants(items, Level::Item, &child(path, "items"), out, depth + 1);
    }
    if let Some(props) = obj(m, "properties") {
        for (k, v) in props {
            if let Some(p) = v.as_object() {
                invariants(
                    p,
                    Level::Field,
                    &key(&child(path, "properties"), k),
                    out,
                    depth + 1,
                );
            }
        }
    }
    if let Some(ap) = m.get("additionalProperties") {
        if lvl == Level::Root {
            out.push(FieldError::forbidden(
                &child(path, "additionalProperties"),
                "must not be used at the root",
            ));
        }
        if let Some(ap) = ap.as_object() {
            invariants(
                ap,
                Level::Field,
                &child(path, "additionalProperties"),
                out,
                depth + 1,
            );
        }
    }
    let int_or_string = flag(m, "x-kubernetes-int-or-string");
    let preserve = flag(m, "x-kubernetes-preserve-unknown-fields");
    let embedded = flag(m, "x-kubernetes-embedded-resource");
    if int_or_string && preserve {
        out.push(FieldError::invalid(
            &child(path, "x-kubernetes-preserve-unknown-fields"),
            Value::Bool(true),
            "must be false if x-kubernetes-int-or-string is true",
        ));
    }
    if int_or_string && embedded {
        out.push(FieldError::invalid(
            &child(path, "x-kubernetes-embedded-resource"),
            Value::Bool(true),
            "must be false if x-kubernetes-int-or-string is true",
        ));
    }
    value_validation(
        m,
        is_int_or_string_any_of(m),
        is_int_or_string_all_of(m),
        path,
        out,
        depth,
    );
    let check_metadata = lvl == Level::Root || embedded;
    if embedded && ty != "object" {
        let detail = "must be object if x-kubernetes-embedded-resource is true";
        if ty.is_empty() {
            out.push(FieldError::required(&child(path, "type"), detail));
        } else {
            out.push(FieldError::invalid(
                &child(path, "type"),
                Value::from(ty),
                detail,
            ));
        }
    } else if ty.is_empty() && !int_or_string && !preserve {
        let detail = match lvl {
            Level::Root => "must not be empty at the root",
            Level::Item => "must not be empty for specified array items",
            Level::Field => "must not be empty for specified object fields",
        };
        out.push(FieldError::required(&child(path, "type"), detail));
    }
    if embedded && m.contains_key("additionalProperties") {
        out.push(FieldError::forbidden(
            &child(path, "additionalProperties"),
            "must not be used if x-kubernetes-embedded-resource is set",
        ));
    }
    if lvl == Level::Root && !ty.is_empty() && ty != "object" {
        out.push(FieldError::invalid(
            &child(path, "type"),
            Value::from(ty),
            "must be object at the root",
        ));
    }
    let props = obj(m, "properties");
    for name in ["kind", "apiVersion"] {
        if let Some(p) = props.and_then(|p| obj(p, name))
            && check_metadata
            && str_of(p, "type") != "string"
        {
            out.push(FieldError::invalid(
                &child(&key(&child(path, "properties"), name), "type"),
                Value::from(str_of(p, "type")),
                "must be string",
            ));
        }
    }
    if let Some(meta) = props.and_then(|p| obj(p, "metadata")) {
        let mpath = key(&child(path, "properties"), "metadata");
        if check_metadata && str_of(meta, "type") != "object" {
            out.push(FieldError::invalid(
                &child(&mpath, "type"),
                Value::from(str_of(meta, "type")),
                "must be object",
            ));
        }
        if lvl == Level::Root && !metadata_is_name_only(meta) {
            out.push(FieldError::forbidden(
                &mpath,
                "must not specify anything other than name and generateName, but metadata is implicitly specified",
            ));
        }
    }
    let no_props = props.is_none_or(|p| p.is_empty());
    if embedded && !preserve && no_props {
        out.push(FieldError::required(
            &child(path, "properties"),
            "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
        ));
    }
}

/// Root metadata may say `type: object`, carry a default (checked elsewhere) and restrict
/// `name` and `generateName`; anything else would restrict ObjectMeta.
fn metadata_is_name_only(meta: &Map<String, Value>) -> bool {
    meta.iter().all(|(k, v)| match k.as_str() {
        "type" | "default" => true,
        "properties" => v
            .as_object()
            .is_some_and(|p| p.keys().all(|k| k == "name" || k == "generateName")),
        _ => false,
    })
}

fn value_validation(
    m: &Map<String, Value>,
    skip_any_of: bool,
    skip_first_all_of_any_of: bool,
    path: &str,
    out: &mut Vec<FieldError>,
    depth: usize,
) {
    if depth > super::node::MAX_DEPTH {
        return;
    }
    if !skip_any_of {
        for (i, n) in list(m, "anyOf").iter().enumerate() {
            nested(n, false, &index(&child(path, "anyOf"), i), out, depth + 1);
        }
    }
    for (i, n) in list(m, "allOf").iter().enumerate() {
        nested(
            n,
            skip_first_all_of_any_of && i == 0,
            &index(&child(path, "allOf"), i),
            out,
            depth + 1,
        );
    }
    for (i, n) in list(m, "oneOf").iter().enumerate() {
        nested(n, false, &index(&child(path, "oneOf"), i), out, depth + 1);
    }
    if let Some(n) = obj(m, "not") {
        nested(n, false, &child(path, "not"), out, depth + 1);
    }
    if let Some(p) = m.get("pattern").and_then(Value::as_str)
        && let Err(e) = super::node::compile_pattern(p)
    {
        out.push(FieldError::invalid(
            &child(path, "pattern"),
            Value::from(p),
            &format!("must be a valid regular expression, but isn't: {e}"),
        ));
    }
}

fn nested(
    m: &Map<String, Value>,
    skip_any_of: bool,
    path: &str,
    out: &mut Vec<FieldError>,
    depth: usize,
) {
    value_validation(m, skip_any_of, false, path, out, depth);
    if let Some(items) = obj(m, "items") {
        nested(items, false, &child(path, "items"), out, depth + 1);
    }
    if let Some(props) = obj(m, "properties") {
        for (k, v) in props {
            if let Some(p) = v.as_object() {
                nested(
                    p,
                    false,
                    &key(&child(path, "properties"), k),
                    out,
                    depth + 1,
                );
            }
        }
    }
    let forbid = |out: &mut Vec<FieldError>, f: &str, d: &str| {
        out.push(FieldError::forbidden(&child(path, f), d));
    };
    if !str_of(m, "type").is_empty() {
        forbid(out, "type", "must be empty to be structural");
    }
    if m.contains_key("additionalProperties") {
        forbid(
            out,
            "additionalProperties",
            "must be undefined to be structural",
        );
    }
    if m.get("default").is_some_and(|d| !d.is_null()) {
        forbid(out, "default", "must be undefined to be structural");
    }
    if !str_of(m, "title").is_empty() {
        forbid(out, "title", "must be empty to be structural");
    }
    if !str_of(m, "description").is_empty() {
        forbid(out, "description", "must be empty to be structural");
    }
    if flag(m, "nullable") {
        forbid(out, "nullable", "must be false to be structural");
    }
    if m.contains_key("externalDocs") {
        forbid(out, "externalDocs", "must be undefined to be structural");
    }
    for f in [
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-embedded-resource",
        "x-kubernetes-int-or-string",
    ] {
        if flag(m, f) {
            forbid(out, f, "must be false to be structural");
        }
    }
    if m.get("x-kubernetes-list-map-keys")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        forbid(
            out,
            "x-kubernetes-list-map-keys",
            "must be empty to be structural",
        );
    }
    for f in ["x-kubernetes-list-type", "x-kubernetes-map-type"] {
        if m.get(f).is_some_and(|v| !v.is_null()) {
            forbid(out, f, "must be undefined to be structural");
        }
    }
    if m.get("x-kubernetes-validations")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        forbid(
            out,
            "x-kubernetes-validations",
            "must be empty to be structural",
        );
    }
    if obj(m, "properties").is_some_and(|p| p.contains_key("metadata")) {
        forbid(
            out,
            "properties[metadata]",
            "must not be specified in a nested context",
        );
    }
}

/// Every field or array that a value validation names must also be in the structural part.
fn completeness(
    v: &Map<String, Value>,
    s: &Map<String, Value>,
    s_path: &str,
    v_path: &str,
    out: &mut Vec<FieldError>,
    depth: usize,
) {
    if depth > super::node::MAX_DEPTH {
        return;
    }
    if let Some(n) = obj(v, "not") {
        nested_completeness(n, Some(s), s_path, &child(v_path, "not"), out, depth + 1);
    }
    for j in ["allOf", "anyOf", "oneOf"] {
        for (i, n) in list(v, j).iter().enumerate() {
            nested_completeness(
                n,
                Some(s),
                s_path,
                &index(&child(v_path, j), i),
                out,
                depth + 1,
            );
        }
    }
}

fn nested_completeness(
    v: &Map<String, Value>,
    s: Option<&Map<String, Value>>,
    s_path: &str,
    v_path: &str,
    out: &mut Vec<FieldError>,
    depth: usize,
) {
    let Some(s) = s else {
        out.push(FieldError::required(
            s_path,
            &format!("because it is defined in {v_path}"),
        ));
        return;
    };
    completeness(v, s, s_path, v_path, out, depth);
    if let Some(items) = obj(v, "items") {
        nested_completeness(
            items,
            obj(s, "items"),
            &child(s_path, "items"),
            &child(v_path, "items"),
            out,
            depth + 1,
        );
    }
    if let Some(props) = obj(v, "properties") {
        for (k, p) in props {
            let Some(p) = p.as_object() else { continue };
            let sp = key(&child(s_path, "properties"), k);
            let vp = key(&child(v_path, "properties"), k);
            match obj(s, "properties").and_then(|sp| obj(sp, k)) {
                Some(sf) => nested_completeness(p, Some(sf), &sp, &vp, out, depth + 1),
                None => out.push(FieldError::required(
                    &sp,
                    &format!("because it is defined in {vp}"),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const P: &str = "spec.versions[0].schema.openAPIV3Schema";

    fn msgs(s: Value) -> Vec<String> {
        check(&s, P).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn missing_types_are_reported_by_level() {
        assert_eq!(
            msgs(
                json!({"type":"object","properties":{"spec":{"properties":{"a":{"type":"string"}}},
                "list":{"type":"array"},"l2":{"type":"array","items":{}}}})
            ),
            [
                format!(
                    "{P}.properties[l2].items.type: Required value: must not be empty for specified array items"
                ),
                format!("{P}.properties[list].items: Required value: must be specified"),
                format!(
                    "{P}.properties[spec].type: Required value: must not be empty for specified object fields"
                ),
            ]
        );
        assert_eq!(
            msgs(json!({})),
            [format!(
                "{P}.type: Required value: must not be empty at the root"
            )]
        );
        assert!(
            msgs(
                json!({"type":"object","properties":{"x":{"x-kubernetes-int-or-string":true},
            "y":{"x-kubernetes-preserve-unknown-fields":true}}})
            )
            .is_empty()
        );
    }

    #[test]
    fn value_validations_must_stay_inside_the_structure() {
        assert_eq!(
            msgs(json!({"type":"object","properties":{"a":{"type":"string"}},
                "anyOf":[{"type":"object"},{"properties":{"b":{"type":"string"}}}]})),
            [
                format!("{P}.anyOf[0].type: Forbidden: must be empty to be structural"),
                format!(
                    "{P}.anyOf[1].properties[b].type: Forbidden: must be empty to be structural"
                ),
                format!(
                    "{P}.properties[b]: Required value: because it is defined in {P}.anyOf[1].properties[b]"
                ),
            ]
        );
        // int-or-string's own anyOf is allowed.
        assert!(
            msgs(
                json!({"type":"object","properties":{"p":{"x-kubernetes-int-or-string":true,
            "anyOf":[{"type":"integer"},{"type":"string"}]}}})
            )
            .is_empty()
        );
    }

    #[test]
    fn metadata_embedded_and_root_rules() {
        assert_eq!(
            msgs(
                json!({"type":"object","additionalProperties":{"type":"string"},
                "properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}},
                "e":{"type":"object","x-kubernetes-embedded-resource":true}}})
            ),
            [
                format!("{P}.additionalProperties: Forbidden: must not be used at the root"),
                format!(
                    "{P}.properties[e].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"
                ),
                format!(
                    "{P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"
                ),
            ]
        );
        assert!(
            msgs(
                json!({"type":"object","properties":{"metadata":{"type":"object",
            "properties":{"name":{"type":"string","maxLength":10}}}}})
            )
            .is_empty()
        );
    }
}
