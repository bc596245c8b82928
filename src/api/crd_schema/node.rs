//! The parsed form of a JSONSchemaProps (`openAPIV3Schema` and everything below it) that
//! pruning, defaulting and validation walk. Parsing is lenient: what kube would refuse is
//! reported by `crd_checks` and `structural`, which read the raw JSON.

use super::rule::Rule;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Node {
    pub type_: String,
    pub format: String,
    pub nullable: bool,
    pub properties: BTreeMap<String, Node>,
    /// `additionalProperties: {schema}`; `additionalProperties: true` keeps `additional_any`.
    pub additional: Option<Box<Node>>,
    pub additional_any: bool,
    pub items: Option<Box<Node>>,
    pub required: Vec<String>,
    pub enum_: Option<Vec<Value>>,
    pub pattern: Option<(String, Option<regex::Regex>)>,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub multiple_of: Option<f64>,
    pub max_length: Option<i64>,
    pub min_length: Option<i64>,
    pub max_items: Option<i64>,
    pub min_items: Option<i64>,
    pub max_properties: Option<i64>,
    pub min_properties: Option<i64>,
    pub all_of: Vec<Node>,
    pub any_of: Vec<Node>,
    pub one_of: Vec<Node>,
    pub not: Option<Box<Node>>,
    pub default: Option<Value>,
    pub preserve_unknown: bool,
    pub embedded: bool,
    pub int_or_string: bool,
    pub list_type: Option<String>,
    pub list_map_keys: Vec<String>,
    pub rules: Vec<Rule>,
}

/// Deepest schema nesting accepted; kube has no such limit, but a CRD is at most a few MiB and
/// this keeps every recursive walk off the end of the stack.
pub const MAX_DEPTH: usize = 64;

impl Node {
    pub fn parse(v: &Value) -> Node {
        Self::parse_at(v, 0)
    }

    fn parse_at(v: &Value, depth: usize) -> Node {
        let Some(m) = v.as_object() else {
            return Node::default();
        };
        if depth > MAX_DEPTH {
            return Node::default();
        }
        let sub = |x: &Value| Node::parse_at(x, depth + 1);
        let list = |k: &str| -> Vec<Node> {
            m.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(sub).collect())
                .unwrap_or_default()
        };
        let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let b = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(false);
        let f = |k: &str| m.get(k).and_then(Value::as_f64);
        let i = |k: &str| m.get(k).and_then(Value::as_i64);
        let (additional, additional_any) = match m.get("additionalProperties") {
            Some(Value::Bool(true)) => (None, true),
            Some(x @ Value::Object(_)) => (Some(Box::new(sub(x))), false),
            _ => (None, false),
        };
        Node {
            type_: s("type"),
            format: s("format"),
            nullable: b("nullable"),
            properties: m
                .get("properties")
                .and_then(Value::as_object)
                .map(|p| p.iter().map(|(k, x)| (k.clone(), sub(x))).collect())
                .unwrap_or_default(),
            additional,
            additional_any,
            items: m
                .get("items")
                .filter(|x| x.is_object())
                .map(|x| Box::new(sub(x))),
            required: strings(m, "required"),
            enum_: m.get("enum").and_then(Value::as_array).cloned(),
            pattern: m
                .get("pattern")
                .and_then(Value::as_str)
                .map(|p| (p.to_string(), compile_pattern(p).ok())),
            maximum: f("maximum"),
            exclusive_maximum: b("exclusiveMaximum"),
            minimum: f("minimum"),
            exclusive_minimum: b("exclusiveMinimum"),
            multiple_of: f("multipleOf"),
            max_length: i("maxLength"),
            min_length: i("minLength"),
            max_items: i("maxItems"),
            min_items: i("minItems"),
            max_properties: i("maxProperties"),
            min_properties: i("minProperties"),
            all_of: list("allOf"),
            any_of: list("anyOf"),
            one_of: list("oneOf"),
            not: m
                .get("not")
                .filter(|x| x.is_object())
                .map(|x| Box::new(sub(x))),
            default: m.get("default").cloned(),
            preserve_unknown: b("x-kubernetes-preserve-unknown-fields"),
            embedded: b("x-kubernetes-embedded-resource"),
            int_or_string: b("x-kubernetes-int-or-string"),
            list_type: m
                .get("x-kubernetes-list-type")
                .and_then(Value::as_str)
                .map(str::to_string),
            list_map_keys: strings(m, "x-kubernetes-list-map-keys"),
            rules: m
                .get("x-kubernetes-validations")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_object)
                        .filter_map(|r| Rule::from_json(r).ok())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Whether a rule's `fieldPath` (`.spec.a`, `.m['k']`) names a field of the schema.
    pub fn field_path(&self, path: &str) -> Option<(&Node, String)> {
        let mut cur = self;
        let mut rest = path;
        let mut normalized = String::new();
        while !rest.is_empty() {
            let name;
            if let Some(r) = rest.strip_prefix('.') {
                let end = r.find(['.', '[']).unwrap_or(r.len());
                name = r[..end].to_string();
                rest = &r[end..];
                if name.is_empty() {
                    return None;
                }
                normalized = child(&normalized, &name);
            } else if let Some(r) = rest.strip_prefix("['") {
                let end = r.find("']")?;
                name = r[..end].to_string();
                rest = &r[end + 2..];
                normalized = key(&normalized, &name);
            } else {
                return None;
            }
            cur = cur.properties.get(&name).or(cur.additional.as_deref())?;
        }
        Some((cur, normalized))
    }

    /// Whether any rule is set here or below (so evaluation can be skipped entirely).
    pub fn has_rules(&self) -> bool {
        !self.rules.is_empty()
            || self.properties.values().any(Node::has_rules)
            || self.additional.as_deref().is_some_and(Node::has_rules)
            || self.items.as_deref().is_some_and(Node::has_rules)
    }

    /// The type names the value validator checks against (`integer,string` for int-or-string).
    pub fn types(&self) -> Vec<&str> {
        if self.int_or_string {
            vec!["integer", "string"]
        } else if self.type_.is_empty() {
            Vec::new()
        } else {
            vec![self.type_.as_str()]
        }
    }
}

fn strings(m: &Map<String, Value>, k: &str) -> Vec<String> {
    m.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Field paths as apimachinery's `field.Path` prints them.
pub fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}
pub fn key(path: &str, k: &str) -> String {
    format!("{path}[{k}]")
}
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Compiles a schema `pattern` as Go's RE2 would (the `regex` crate has the same syntax and
/// linear-time matching); the size limit keeps a hostile pattern from exhausting memory.
pub fn compile_pattern(p: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(p).size_limit(1 << 20).build()
}
