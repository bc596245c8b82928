//! The checks kube-apiserver makes of an `openAPIV3Schema` when a CRD is written
//! (apiextensions `ValidateCustomResourceDefinitionOpenAPISchema`): supported types and
//! keywords, defaults where they are allowed, additionalProperties, list and map types, and
//! the fields of `x-kubernetes-validations`. CEL rules are compiled by `cel`.

use super::node::{child, index, key};
use crate::api::validation::FieldError;
use serde_json::{Map, Value};

const TYPES: &[&str] = &["array", "boolean", "integer", "number", "object", "string"];
const META_FIELDS: &[&str] = &["metadata", "kind", "apiVersion"];
const REASONS: &[&str] = &[
    "FieldValueDuplicate",
    "FieldValueForbidden",
    "FieldValueInvalid",
    "FieldValueRequired",
];

/// What the walk knows about where it is (kube's `specStandardValidatorV3`).
#[derive(Clone, Default)]
struct Ctx {
    defaults_forbidden: Option<String>,
    inside_resource_meta: bool,
    /// Where oldSelf stopped being correlatable, if it did.
    uncorrelatable: Option<String>,
}

pub struct Found {
    pub schema_errors: Vec<FieldError>,
    /// Rules to compile: (path of the schema, index, rule JSON, where oldSelf is forbidden).
    pub rules: Vec<RuleSite>,
}

pub struct RuleSite {
    pub path: String,
    pub index: usize,
    pub rule: Map<String, Value>,
    pub uncorrelatable: Option<String>,
    /// The schema the rule is on, and whether it is the root, for type checking.
    pub schema: Map<String, Value>,
    pub root: bool,
}

pub fn check(schema: &Value, path: &str) -> Found {
    let mut found = Found {
        schema_errors: Vec::new(),
        rules: Vec::new(),
    };
    if let Some(m) = schema.as_object() {
        if m.get("nullable").and_then(Value::as_bool) == Some(true) {
            found.schema_errors.push(FieldError::forbidden(
                &child(path, "nullable"),
                "nullable cannot be true at the root",
            ));
        }
        walk(m, path, &Ctx::default(), true, &mut found, 0);
    }
    found
}

fn str_of<'a>(m: &'a Map<String, Value>, k: &str) -> &'a str {
    m.get(k).and_then(Value::as_str).unwrap_or("")
}

fn walk(m: &Map<String, Value>, path: &str, ctx: &Ctx, is_root: bool, f: &mut Found, depth: usize) {
    if depth > super::node::MAX_DEPTH {
        f.schema_errors
            .push(FieldError::forbidden(path, "is nested too deeply"));
        return;
    }
    let errs = &mut f.schema_errors;
    let ty = str_of(m, "type");
    if !ty.is_empty() && !TYPES.contains(&ty) {
        errs.push(FieldError::not_supported(
            &child(path, "type"),
            Value::from(ty),
            TYPES,
        ));
    }
    if m.contains_key("default")
        && let Some(reason) = &ctx.defaults_forbidden
    {
        let detail = if reason.is_empty() {
            "must not be set".to_string()
        } else {
            format!("must not be set {reason}")
        };
        errs.push(FieldError::forbidden(&child(path, "default"), &detail));
    }
    for (k, what) in [
        ("id", "id is not supported"),
        ("additionalItems", "additionalItems is not supported"),
        ("patternProperties", "patternProperties is not supported"),
        ("definitions", "definitions is not supported"),
        ("dependencies", "dependencies is not supported"),
        ("$ref", "$ref is not supported"),
    ] {
        if m.get(k).is_some_and(|v| !v.is_null() && v != "") {
            errs.push(FieldError::forbidden(&child(path, k), what));
        }
    }
    if ty == "null" {
        errs.push(FieldError::forbidden(
            &child(path, "type"),
            "type cannot be set to null, use nullable as an alternative",
        ));
    }
    if m.get("items").is_some_and(Value::is_array) {
        errs.push(FieldError::forbidden(
            &child(path, "items"),
            "items must be a schema object and not an array",
        ));
    }
    let embedded = m
        .get("x-kubernetes-embedded-resource")
        .and_then(Value::as_bool)
        == Some(true);
    if ctx.inside_resource_meta && embedded {
        errs.push(FieldError::forbidden(
            &child(path, "x-kubernetes-embedded-resource"),
            "must not be used inside of resource meta",
        ));
    }
    if m.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
        errs.push(FieldError::forbidden(
            &child(path, "uniqueItems"),
            "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
        ));
    }
    let props = m.get("properties").and_then(Value::as_object);
    if let Some(ap) = m.get("additionalProperties") {
        if props.is_some_and(|p| !p.is_empty()) && (ap == &Value::Bool(false) || ap.is_object()) {
            errs.push(FieldError::forbidden(
                &child(path, "additionalProperties"),
                "additionalProperties and properties are mutual exclusive",
            ));
        }
        if let Some(ap) = ap.as_object() {
            let mut sub = ctx.clone();
            if ctx.inside_resource_meta {
                sub.defaults_forbidden =
                    Some("inside additionalProperties applying to object metadata".into());
            }
            walk(
                ap,
                &child(path, "additionalProperties"),
                &sub,
                false,
                f,
                depth + 1,
            );
        }
    }
    if let Some(props) = props {
        let map_atomic = str_of(m, "x-kubernetes-map-type") == "atomic";
        for (k, v) in props {
            let Some(p) = v.as_object() else { continue };
            let mut sub = ctx.clone();
            if map_atomic && sub.uncorrelatable.is_none() {
                sub.uncorrelatable = Some(path.to_string());
            }
            if (is_root || embedded) && META_FIELDS.contains(&k.as_str()) {
                sub.inside_resource_meta = true;
                if is_root {
                    sub.defaults_forbidden = Some(format!("in top-level {k}"));
                }
            }
            walk(
                p,
                &key(&child(path, "properties"), k),
                &sub,
                false,
                f,
                depth + 1,
            );
        }
    }
    if let Some(n) = m.get("not").and_then(Value::as_object) {
        walk(n, &child(path, "not"), ctx, false, f, depth + 1);
    }
    for j in ["allOf", "oneOf", "anyOf"] {
        for (i, n) in m
            .get(j)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(n) = n.as_object() {
                walk(n, &index(&child(path, j), i), ctx, false, f, depth + 1);
            }
        }
    }
    let list_type = m.get("x-kubernetes-list-type").and_then(Value::as_str);
    if let Some(items) = m.get("items").and_then(Value::as_object) {
        let mut sub = ctx.clone();
        if list_type != Some("map") && sub.uncorrelatable.is_none() {
            sub.uncorrelatable = Some(path.to_string());
        }
        walk(items, &child(path, "items"), &sub, false, f, depth + 1);
    }
    let errs = &mut f.schema_errors;
    if m.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(false)) {
        errs.push(FieldError::invalid(
            &child(path, "x-kubernetes-preserve-unknown-fields"),
            Value::Bool(false),
            "must be true or undefined",
        ));
    }
    if let Some(mt) = m.get("x-kubernetes-map-type").and_then(Value::as_str) {
        if ty != "object" {
            type_needed(
                errs,
                path,
                ty,
                "must be object if x-kubernetes-map-type is specified",
            );
        }
        if mt != "atomic" && mt != "granular" {
            errs.push(FieldError::not_supported(
                &child(path, "x-kubernetes-map-type"),
                Value::from(mt),
                &["atomic", "granular"],
            ));
        }
    }
    let items = m.get("items").and_then(Value::as_object);
    if let Some(lt) = list_type {
        if ty != "array" {
            type_needed(
                errs,
                path,
                ty,
                "must be array if x-kubernetes-list-type is specified",
            );
        } else if lt == "set"
            && let Some(is) = items
        {
            match str_of(is, "type") {
                "array"
                    if is
                        .get("x-kubernetes-list-type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t != "atomic") =>
                {
                    errs.push(FieldError::invalid(
                        &child(&child(path, "items"), "x-kubernetes-list-type"),
                        is["x-kubernetes-list-type"].clone(),
                        "must be atomic as item of a list with x-kubernetes-list-type=set",
                    ));
                }
                "object" if str_of(is, "x-kubernetes-map-type") != "atomic" => {
                    errs.push(FieldError::invalid(
                        &child(&child(path, "items"), "x-kubernetes-map-type"),
                        is.get("x-kubernetes-list-type")
                            .cloned()
                            .unwrap_or(Value::Null),
                        "must be atomic as item of a list with x-kubernetes-list-type=set",
                    ));
                }
                _ => {}
            }
        }
        if !["atomic", "set", "map"].contains(&lt) {
            errs.push(FieldError::not_supported(
                &child(path, "x-kubernetes-list-type"),
                Value::from(lt),
                &["atomic", "set", "map"],
            ));
        }
    }
    let map_keys: Vec<&str> = m
        .get("x-kubernetes-list-map-keys")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !map_keys.is_empty() {
        match list_type {
            None => errs.push(FieldError::required(
                &child(path, "x-kubernetes-list-type"),
                "must be map if x-kubernetes-list-map-keys is non-empty",
            )),
            Some("map") => {}
            Some(lt) => errs.push(FieldError::invalid(
                &child(path, "x-kubernetes-list-type"),
                Value::from(lt),
                "must be map if x-kubernetes-list-map-keys is non-empty",
            )),
        }
    }
    if list_type == Some("map") {
        if map_keys.is_empty() {
            errs.push(FieldError::required(
                &child(path, "x-kubernetes-list-map-keys"),
                "must not be empty if x-kubernetes-list-type is map",
            ));
        }
        match items {
            None => errs.push(FieldError::required(
                &child(path, "items"),
                "must have a schema if x-kubernetes-list-type is map",
            )),
            Some(is) if str_of(is, "type") != "object" => errs.push(FieldError::invalid(
                &child(&child(path, "items"), "type"),
                Value::from(str_of(is, "type")),
                "must be object if parent array's x-kubernetes-list-type is map",
            )),
            Some(is) => {
                let keys_value = Value::from(map_keys.clone());
                let iprops = is.get("properties").and_then(Value::as_object);
                let mut seen = Vec::new();
                for k in &map_keys {
                    match iprops.and_then(|p| p.get(*k)).and_then(Value::as_object) {
                        Some(kp) => {
                            let kt = str_of(kp, "type");
                            if kt == "array" || kt == "object" {
                                errs.push(FieldError::invalid(
                                    &child(&key(&child(&child(path, "items"), "properties"), k), "type"),
                                    Value::from("object"),
                                    "must be a scalar type if parent array's x-kubernetes-list-type is map",
                                ));
                            }
                        }
                        None => errs.push(FieldError::invalid(
                            &child(path, "x-kubernetes-list-map-keys"),
                            keys_value.clone(),
                            "entries must all be names of item properties",
                        )),
                    }
                    if seen.contains(k) {
                        errs.push(FieldError::invalid(
                            &child(path, "x-kubernetes-list-map-keys"),
                            keys_value.clone(),
                            "must not contain duplicate entries",
                        ));
                    }
                    seen.push(*k);
                }
            }
        }
    }
    map_set_keys(m, list_type, &map_keys, path, errs);
    rules(m, path, ctx, is_root, f);
}

fn type_needed(errs: &mut Vec<FieldError>, path: &str, ty: &str, detail: &str) {
    if ty.is_empty() {
        errs.push(FieldError::required(&child(path, "type"), detail));
    } else {
        errs.push(FieldError::invalid(
            &child(path, "type"),
            Value::from(ty),
            detail,
        ));
    }
}

/// Items of sets and maps may not be null, and map keys need a default or to be required.
fn map_set_keys(
    m: &Map<String, Value>,
    list_type: Option<&str>,
    keys: &[&str],
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    let Some(lt @ ("set" | "map")) = list_type else {
        return;
    };
    let Some(is) = m.get("items").and_then(Value::as_object) else {
        return;
    };
    let items_path = child(path, "items");
    if is.get("nullable") == Some(&Value::Bool(true)) {
        errs.push(FieldError::forbidden(
            &child(&items_path, "nullable"),
            &format!("cannot be nullable when x-kubernetes-list-type is {lt}"),
        ));
    }
    if lt != "map" {
        return;
    }
    let required: Vec<&str> = is
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for k in keys {
        let Some(kp) = is
            .get("properties")
            .and_then(|p| p.get(*k))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let kpath = key(&child(&items_path, "properties"), k);
        if !required.contains(k) && !kp.contains_key("default") {
            errs.push(FieldError::required(
                &child(&kpath, "default"),
                "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
            ));
        }
        if kp.get("nullable") == Some(&Value::Bool(true)) {
            errs.push(FieldError::forbidden(
                &child(&kpath, "nullable"),
                "this property is in x-kubernetes-list-map-keys, so it cannot be nullable",
            ));
        }
    }
}

fn rules(m: &Map<String, Value>, path: &str, ctx: &Ctx, is_root: bool, f: &mut Found) {
    let Some(list) = m.get("x-kubernetes-validations").and_then(Value::as_array) else {
        return;
    };
    let vpath = child(path, "x-kubernetes-validations");
    for (i, r) in list.iter().enumerate() {
        let rp = index(&vpath, i);
        let Some(r) = r.as_object() else { continue };
        let errs = &mut f.schema_errors;
        let rule = str_of(r, "rule");
        let message = r.get("message").and_then(Value::as_str);
        let has_newline = |s: &str| s.contains('\n') || s.contains('\r');
        if rule.trim().is_empty() {
            errs.push(FieldError::required(
                &child(&rp, "rule"),
                "rule is not specified",
            ));
        }
        if let Some(msg) = message {
            if msg.trim().is_empty() {
                errs.push(FieldError::invalid(
                    &child(&rp, "message"),
                    Value::from(msg),
                    "message must be non-empty if specified",
                ));
            } else if has_newline(msg) {
                errs.push(FieldError::invalid(
                    &child(&rp, "message"),
                    Value::from(msg),
                    "message must not contain line breaks",
                ));
            }
        }
        if has_newline(rule) && message.is_none_or(|m| m.trim().is_empty()) {
            errs.push(FieldError::required(
                &child(&rp, "message"),
                "message must be specified if rule contains line breaks",
            ));
        }
        if r.get("messageExpression")
            .and_then(Value::as_str)
            .is_some_and(|m| m.trim().is_empty())
        {
            errs.push(FieldError::required(
                &child(&rp, "messageExpression"),
                "messageExpression must be non-empty if specified",
            ));
        }
        if let Some(reason) = r.get("reason").and_then(Value::as_str)
            && !REASONS.contains(&reason)
        {
            errs.push(FieldError::not_supported(
                &child(&rp, "reason"),
                Value::from(reason),
                REASONS,
            ));
        }
        if let Some(fp) = r.get("fieldPath").and_then(Value::as_str) {
            if fp.trim().is_empty() {
                errs.push(FieldError::invalid(
                    &child(&rp, "fieldPath"),
                    Value::from(fp),
                    "fieldPath must be non-empty if specified",
                ));
            } else if has_newline(fp) {
                errs.push(FieldError::invalid(
                    &child(&rp, "fieldPath"),
                    Value::from(fp),
                    "fieldPath must not contain line breaks",
                ));
            } else if super::node::Node::parse(&Value::Object(m.clone()))
                .field_path(fp)
                .is_none()
            {
                errs.push(FieldError::invalid(
                    &child(&rp, "fieldPath"),
                    Value::from(fp),
                    "fieldPath must be a valid path",
                ));
            }
        }
        f.rules.push(RuleSite {
            path: path.to_string(),
            index: i,
            rule: r.clone(),
            uncorrelatable: ctx.uncorrelatable.clone(),
            schema: m.clone(),
            root: is_root,
        });
    }
}

/// How Go prints the rule struct in compile errors (`%#v` of apiextensions.ValidationRule).
pub fn go_rule_repr(r: &Map<String, Value>) -> String {
    let s =
        |k: &str| crate::api::validation::go_quote(r.get(k).and_then(Value::as_str).unwrap_or(""));
    let reason = match r.get("reason").and_then(Value::as_str) {
        Some(x) => format!(
            "(*apiextensions.FieldValueErrorReason)({})",
            crate::api::validation::go_quote(x)
        ),
        None => "(*apiextensions.FieldValueErrorReason)(nil)".to_string(),
    };
    let old = match r.get("optionalOldSelf").and_then(Value::as_bool) {
        Some(b) => format!("(*bool)({b})"),
        None => "(*bool)(nil)".to_string(),
    };
    format!(
        "apiextensions.ValidationRule{{Rule:{}, Message:{}, MessageExpression:{}, Reason:{reason}, FieldPath:{}, OptionalOldSelf:{old}}}",
        s("rule"),
        s("message"),
        s("messageExpression"),
        s("fieldPath")
    )
}

/// The CRD-time errors of one rule (compile failures, oldSelf where it cannot correlate).
pub fn compile_errors(site: &RuleSite) -> Vec<FieldError> {
    let mut out = Vec::new();
    let rp = index(&child(&site.path, "x-kubernetes-validations"), site.index);
    let rule_src = site.rule.get("rule").and_then(Value::as_str).unwrap_or("");
    if rule_src.trim().is_empty() {
        return out;
    }
    // A rule and its message see `self` and `oldSelf`, nothing else, typed by the schema.
    let node = super::node::Node::parse(&Value::Object(site.schema.clone()));
    let optional_old_self = site.rule.get("optionalOldSelf").and_then(Value::as_bool) == Some(true);
    let compile = |src: &str| {
        let p = super::rule::compile_expression(src)?;
        if let Some(e) =
            super::undeclared::undeclared_references(src, &p, |n| matches!(n, "self" | "oldSelf"))
        {
            return Err(e);
        }
        match super::rule_types::type_errors(src, &p, &node, site.root, optional_old_self) {
            Some(e) => Err(e),
            None => Ok(p),
        }
    };
    match compile(rule_src) {
        Err(e) => out.push(FieldError::invalid_repr(
            &child(&rp, "rule"),
            go_rule_repr(&site.rule),
            &format!("compilation failed: {e}"),
        )),
        Ok(p) => {
            let uses_old_self = p.references().has_variable("oldSelf");
            if uses_old_self {
                if let Some(at) = &site.uncorrelatable {
                    out.push(FieldError::invalid(
                        &child(&rp, "rule"),
                        Value::from(rule_src),
                        &format!("oldSelf cannot be used on the uncorrelatable portion of the schema within {at}"),
                    ));
                }
            } else if let Some(b) = site.rule.get("optionalOldSelf").and_then(Value::as_bool) {
                out.push(FieldError::invalid(
                    &child(&rp, "optionalOldSelf"),
                    Value::Bool(b),
                    "may not be set if oldSelf is not used in rule",
                ));
            }
        }
    }
    if let Some(m) = site.rule.get("messageExpression").and_then(Value::as_str)
        && !m.trim().is_empty()
        && let Err(e) = compile(m)
    {
        out.push(FieldError::invalid_repr(
            &child(&rp, "messageExpression"),
            go_rule_repr(&site.rule),
            &format!("messageExpression compilation failed: {e}"),
        ));
    }
    out
}

/// JSONSchemaProps' fields in Go's order, with their Go names.
const ROOT_FIELDS: &[(&str, &str)] = &[
    ("id", "ID"),
    ("$schema", "Schema"),
    ("$ref", "Ref"),
    ("description", "Description"),
    ("type", "Type"),
    ("format", "Format"),
    ("title", "Title"),
    ("default", "Default"),
    ("maximum", "Maximum"),
    ("exclusiveMaximum", "ExclusiveMaximum"),
    ("minimum", "Minimum"),
    ("exclusiveMinimum", "ExclusiveMinimum"),
    ("maxLength", "MaxLength"),
    ("minLength", "MinLength"),
    ("pattern", "Pattern"),
    ("maxItems", "MaxItems"),
    ("minItems", "MinItems"),
    ("uniqueItems", "UniqueItems"),
    ("multipleOf", "MultipleOf"),
    ("enum", "Enum"),
    ("maxProperties", "MaxProperties"),
    ("minProperties", "MinProperties"),
    ("required", "Required"),
    ("items", "Items"),
    ("allOf", "AllOf"),
    ("oneOf", "OneOf"),
    ("anyOf", "AnyOf"),
    ("not", "Not"),
    ("properties", "Properties"),
    ("additionalProperties", "AdditionalProperties"),
    ("patternProperties", "PatternProperties"),
    ("dependencies", "Dependencies"),
    ("additionalItems", "AdditionalItems"),
    ("definitions", "Definitions"),
    ("externalDocs", "ExternalDocs"),
    ("example", "Example"),
    ("nullable", "Nullable"),
    (
        "x-kubernetes-preserve-unknown-fields",
        "XPreserveUnknownFields",
    ),
    ("x-kubernetes-embedded-resource", "XEmbeddedResource"),
    ("x-kubernetes-int-or-string", "XIntOrString"),
    ("x-kubernetes-list-map-keys", "XListMapKeys"),
    ("x-kubernetes-list-type", "XListType"),
    ("x-kubernetes-map-type", "XMapType"),
    ("x-kubernetes-validations", "XValidations"),
];

const ALLOWED_AT_STATUS_ROOT: &[&str] = &[
    "Description",
    "Type",
    "Format",
    "Title",
    "Maximum",
    "ExclusiveMaximum",
    "Minimum",
    "ExclusiveMinimum",
    "MaxLength",
    "MinLength",
    "Pattern",
    "MaxItems",
    "MinItems",
    "UniqueItems",
    "MultipleOf",
    "Required",
    "Items",
    "Properties",
    "ExternalDocs",
    "Example",
    "XPreserveUnknownFields",
    "XValidations",
];

/// Whether a JSON value is Go's zero value for the field (which kube skips).
fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        Value::Number(_) => false,
    }
}

pub fn status_root(schema: &Value, path: &str) -> Vec<FieldError> {
    let Some(m) = schema.as_object() else {
        return Vec::new();
    };
    for (json, go) in ROOT_FIELDS {
        let Some(v) = m.get(*json).filter(|v| !is_zero(v)) else {
            continue;
        };
        if *go == "Type" {
            if v != "object" {
                return vec![FieldError::invalid(
                    &child(path, "type"),
                    v.clone(),
                    r#"only "object" is allowed as the type at the root of the schema if the status subresource is enabled"#,
                )];
            }
            continue;
        }
        if !ALLOWED_AT_STATUS_ROOT.contains(go) {
            return vec![FieldError::invalid_repr(
                path,
                "apiextensions.JSONSchemaProps{...}".to_string(),
                &format!(
                    "only [{}] fields are allowed at the root of the schema if the status subresource is enabled",
                    ALLOWED_AT_STATUS_ROOT.join(" ")
                ),
            )];
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msgs(s: Value) -> Vec<String> {
        check(&s, "s")
            .schema_errors
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn refuses_what_kube_refuses() {
        assert_eq!(
            msgs(json!({"type":"object","properties":{
                "a":{"type":"strin"},
                "b":{"type":"array","uniqueItems":true,"items":{"type":"string"}},
                "c":{"type":"object","properties":{"x":{"type":"string"}},"additionalProperties":{"type":"string"}},
                "d":{"type":"object","x-kubernetes-preserve-unknown-fields":false},
                "metadata":{"type":"object","default":{}}}})),
            [
                r#"s.properties[a].type: Unsupported value: "strin": supported values: "array", "boolean", "integer", "number", "object", "string""#,
                "s.properties[b].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
                "s.properties[c].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
                "s.properties[d].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined",
                "s.properties[metadata].default: Forbidden: must not be set in top-level metadata",
            ]
        );
    }

    #[test]
    fn status_subresource_root() {
        let ok = json!({"type":"object","properties":{"status":{"type":"object"}}});
        assert!(status_root(&ok, "s").is_empty());
        let e = status_root(&json!({"type":"object","anyOf":[{"required":["a"]}]}), "s");
        assert!(e[0].to_string().ends_with(
            "fields are allowed at the root of the schema if the status subresource is enabled"
        ));
        assert!(e[0].to_string().starts_with(
            "s: Invalid value: apiextensions.JSONSchemaProps{...}: only [Description Type Format"
        ));
    }

    #[test]
    fn list_types_and_map_keys() {
        assert_eq!(
            msgs(json!({"type":"object","properties":{
                "a":{"type":"string","x-kubernetes-list-type":"set"},
                "b":{"type":"array","x-kubernetes-list-type":"bag","items":{"type":"string"}},
                "c":{"type":"array","x-kubernetes-list-type":"map","items":{"type":"object",
                    "properties":{"name":{"type":"string"}}},"x-kubernetes-list-map-keys":["name","port"]},
                "d":{"type":"array","x-kubernetes-list-map-keys":["x"],"items":{"type":"object"}}}})),
            [
                "s.properties[a].type: Invalid value: \"string\": must be array if x-kubernetes-list-type is specified",
                "s.properties[b].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\"",
                "s.properties[c].x-kubernetes-list-map-keys: Invalid value: []string{\"name\", \"port\"}: entries must all be names of item properties",
                "s.properties[c].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
                "s.properties[d].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty",
            ]
        );
    }
}
