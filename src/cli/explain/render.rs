//! kubectl 1.32's `explain` plaintext, rendered from an OpenAPI v3 document: the header of
//! the kind, then either the schema's description and fields, or the field a path names.
//! It follows kubectl's template step by step (which references it follows, where it stops
//! on cycles, how it guesses a type's name), so that the same document gives the same
//! bytes whoever serves it.

use super::wrap::{indent, wrap};
use serde_json::Value;
use std::cell::Cell;
use std::collections::BTreeSet;

/// How many schema visits one explanation may make, and how deep they may nest. A
/// document from a server may reference one schema from many places (each level doubling
/// the walk) or chain references without end; real documents stay far below both.
const MAX_STEPS: u32 = 200_000;
const MAX_DEPTH: u32 = 200;

/// What is said when a document passes those bounds.
const TOO_LARGE: &str = "error: the OpenAPI schema is too large or too deeply nested to explain";

/// The resource explained: its group, version and plural.
pub struct Gvr<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub resource: &'a str,
}

impl Gvr<'_> {
    /// Go's `GroupVersionResource.String()`: `apps/v1, Resource=deployments`.
    pub fn go_string(&self) -> String {
        format!(
            "{}/{}, Resource={}",
            self.group, self.version, self.resource
        )
    }
}

/// What kubectl 1.32 says of a document without `components`: its template's own failure.
const NO_COMPONENTS: &str = "error: template: plaintext:39:13: executing \"plaintext\" at <include \"schema\" (dict \"gvk\" $gvk \"Document\" $.Document \"FieldPath\" $.FieldPath \"Recursive\" $.Recursive)>: error calling include: template: plaintext:61:14: executing \"schema\" at <index $.Document \"components\" \"schemas\">: error calling index: index of nil pointer";

/// A failure after `printed` went to stdout, with kubectl's message.
#[derive(Debug, PartialEq)]
pub struct Failure {
    pub printed: String,
    pub message: String,
}

/// Renders the explanation of `path` (the fields after the resource) in `doc`.
pub fn render(doc: &Value, gvr: &Gvr, path: &[String], recursive: bool) -> Result<String, Failure> {
    let r = Renderer {
        doc,
        recursive,
        steps: Cell::new(MAX_STEPS),
        depth: Cell::new(0),
        exhausted: Cell::new(false),
    };
    let Some(gvk) = r.gvk(gvr).filter(|g| truthy(g)) else {
        return Err(Failure {
            printed: String::new(),
            message: format!(
                "error: GVR ({}) not found in OpenAPI schema",
                gvr.go_string()
            ),
        });
    };
    let mut out = String::new();
    let group = gvk.get("group").filter(|g| truthy(g));
    if let Some(g) = group {
        out.push_str(&format!("GROUP:      {}\n", go_value(g)));
    }
    out.push_str(&format!(
        "KIND:       {}\n",
        go_value(gvk.get("kind").unwrap_or(&Value::Null))
    ));
    out.push_str(&format!(
        "VERSION:    {}\n",
        go_value(gvk.get("version").unwrap_or(&Value::Null))
    ));
    out.push('\n');
    if doc.get("components").is_none_or(Value::is_null) {
        // kubectl's template indexes into the missing map and fails with Go's words.
        return Err(Failure {
            printed: out,
            message: NO_COMPONENTS.to_string(),
        });
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut sorted: Vec<(&String, &Value)> =
        schemas.map(|m| m.iter().collect()).unwrap_or_default();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let found = sorted.into_iter().map(|(_, s)| s).find(|s| {
        s.get("x-kubernetes-group-version-kind")
            .and_then(Value::as_array)
            .is_some_and(|l| l.contains(gvk))
    });
    let body = found
        .map(|s| r.output(s, path, &BTreeSet::new()))
        .unwrap_or_default();
    if r.exhausted.get() {
        return Err(Failure {
            printed: out,
            message: TOO_LARGE.to_string(),
        });
    }
    if body.is_empty() {
        let message = match (found, path.last()) {
            (Some(_), Some(field)) => format!("error: field \"{field}\" does not exist"),
            _ => format!("error: GVK {} not found in OpenAPI schema", go_map(gvk)),
        };
        return Err(Failure {
            printed: out,
            message,
        });
    }
    out.push_str(&body);
    out.push('\n');
    Ok(out)
}

struct Renderer<'a> {
    doc: &'a Value,
    recursive: bool,
    /// Visits left, the current nesting, and whether a bound was met.
    steps: Cell<u32>,
    depth: Cell<u32>,
    exhausted: Cell<bool>,
}

/// One level of the walk; leaving it (dropping this) goes back up.
struct Level<'r>(&'r Cell<u32>);

impl Drop for Level<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// Go templates' truth: empty maps, lists and strings, zero, false and nil are false.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// A field of a schema if it is true in the template's sense.
fn get<'v>(schema: &'v Value, key: &str) -> Option<&'v Value> {
    schema.get(key).filter(|v| truthy(v))
}

/// `additionalProperties` when it is a schema (not `true`/`false`).
fn map_values(schema: &Value) -> Option<&Value> {
    get(schema, "additionalProperties").filter(|v| !v.is_boolean())
}

/// How Go's `%v` prints a JSON value decoded into `any`.
fn go_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::Object(_) => go_map(v),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Bool(b) => b.to_string(),
    }
}

/// `%v` of a map: `map[group:apps kind:Deployment version:v1]`, keys sorted.
fn go_map(v: &Value) -> String {
    let Some(m) = v.as_object() else {
        return go_value(v);
    };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    let parts: Vec<String> = keys
        .iter()
        .map(|k| format!("{k}:{}", go_value(&m[*k])))
        .collect();
    format!("map[{}]", parts.join(" "))
}

impl<'a> Renderer<'a> {
    /// Enters one more level of the walk, or `None` once a bound is met (then the walk
    /// unwinds with empty text and `render` says why).
    fn enter(&self) -> Option<Level<'_>> {
        let (steps, depth) = (self.steps.get(), self.depth.get());
        if self.exhausted.get() || steps == 0 || depth >= MAX_DEPTH {
            self.exhausted.set(true);
            return None;
        }
        self.steps.set(steps - 1);
        self.depth.set(depth + 1);
        Some(Level(&self.depth))
    }

    /// The kind the document's operations on the resource's paths declare. As the
    /// template does: each candidate path in turn, the first of its methods with a kind
    /// (the last path that has operations decides).
    fn gvk(&self, gvr: &Gvr) -> Option<&'a Value> {
        let prefix = if gvr.group.is_empty() {
            "/api".to_string()
        } else {
            format!("/apis/{}", gvr.group)
        };
        let (v, res) = (gvr.version, gvr.resource);
        let candidates = [
            format!("{prefix}/{v}/{res}"),
            format!("{prefix}/{v}/{res}/{{name}}"),
            format!("{prefix}/{v}/namespaces/{{namespace}}/{res}"),
            format!("{prefix}/{v}/namespaces/{{namespace}}/{res}/{{name}}"),
        ];
        let mut gvk = None;
        for p in &candidates {
            let Some(item) = self
                .doc
                .get("paths")
                .and_then(|ps| ps.get(p))
                .filter(|i| truthy(i))
            else {
                continue;
            };
            for method in ["get", "post", "put", "patch", "delete"] {
                let Some(op) = get(item, method) else {
                    continue;
                };
                gvk = op.get("x-kubernetes-group-version-kind");
                if gvk.is_some_and(truthy) {
                    break;
                }
            }
        }
        gvk
    }

    /// A local `#/...` reference's target.
    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let fragment = reference.strip_prefix('#')?;
        let mut cur = self.doc;
        for part in fragment.split('/').filter(|p| !p.is_empty()) {
            let part = part.replace("~1", "/").replace("~0", "~");
            cur = cur.get(&part).filter(|v| v.is_object())?;
        }
        Some(cur)
    }

    fn reference<'v>(&self, schema: &'v Value) -> &'v str {
        schema.get("$ref").and_then(Value::as_str).unwrap_or("")
    }

    /// Follows `path` down from `schema`; at its end, the description and fields.
    fn output(&self, schema: &'a Value, path: &[String], history: &BTreeSet<String>) -> String {
        let Some(_level) = self.enter() else {
            return String::new();
        };
        let reference = self.reference(schema);
        let mut next = history.clone();
        next.insert(reference.to_string());
        let resolved = self.resolve(reference).unwrap_or(schema);
        let Some(first) = path.first() else {
            let text = self.description(resolved, 0);
            let text = if text.is_empty() {
                "<empty>".to_string()
            } else {
                text
            };
            let mut out = format!("DESCRIPTION:\n{}\n", indent(&wrap(&text, 76), 4));
            let docs = external_docs(resolved);
            if !docs.is_empty() {
                out.push('\n');
                out.push_str(&docs);
            }
            let fields = self.field_list(resolved, 1, &BTreeSet::new());
            if !fields.is_empty() {
                out.push_str("FIELDS:\n");
                out.push_str(&fields);
            }
            return out;
        };
        if !reference.is_empty() && history.contains(reference) {
            return String::new();
        }
        if let Some(sub) = get(resolved, "properties").and_then(|p| get(p, first)) {
            let mut out = String::new();
            if path.len() == 1 {
                out.push_str(&format!("FIELD: {first} <{}>\n", self.type_guess(sub)));
                out.push_str(&enumeration(sub, true, -1, 0));
                out.push_str("\n\n");
            }
            out.push_str(&self.output(sub, &path[1..], &BTreeSet::new()));
            return out;
        }
        if let Some(items) = get(resolved, "items") {
            return self.output(items, path, &next);
        }
        if let Some(values) = map_values(resolved) {
            return self.output(values, path, &next);
        }
        for sub in resolved
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let out = self.output(sub, path, &next);
            if !out.is_empty() {
                return out;
            }
        }
        String::new()
    }

    /// The schema's description, then those of what it is made of (each line ended).
    fn description(&self, schema: &Value, depth: usize) -> String {
        let Some(_level) = self.enter() else {
            return String::new();
        };
        let schema = self.resolve(self.reference(schema)).unwrap_or(schema);
        if !truthy(schema) || depth > 64 {
            return String::new();
        }
        let mut out = String::new();
        if let Some(d) = get(schema, "description") {
            out.push_str(&go_value(d));
            out.push('\n');
        }
        for sub in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push_str(&self.description(sub, depth + 1));
        }
        if let Some(items) = get(schema, "items") {
            out.push_str(&self.description(items, depth + 1));
        }
        if let Some(values) = map_values(schema) {
            out.push_str(&self.description(values, depth + 1));
        }
        out
    }

    /// The fields of a schema, sorted, with their descriptions (or, recursively, their
    /// own fields under them instead).
    fn field_list(&self, schema: &'a Value, level: usize, history: &BTreeSet<String>) -> String {
        let Some(_level) = self.enter() else {
            return String::new();
        };
        let reference = self.reference(schema);
        if !reference.is_empty() && history.contains(reference) {
            return String::new();
        }
        let mut next = history.clone();
        next.insert(reference.to_string());
        let resolved = self.resolve(reference).unwrap_or(schema);
        let mut out = String::new();
        if let Some(props) = resolved.get("properties").and_then(Value::as_object) {
            let mut names: Vec<&String> = props.keys().collect();
            names.sort();
            for name in names {
                out.push_str(&self.field_detail(name, resolved, level));
                if self.recursive {
                    out.push_str(&self.field_list(&props[name], level + 1, &next));
                }
            }
        }
        for sub in resolved
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push_str(&self.field_list(sub, level, &next));
        }
        if let Some(items) = get(resolved, "items") {
            out.push_str(&self.field_list(items, level, &next));
        }
        if let Some(values) = map_values(resolved) {
            out.push_str(&self.field_list(values, level, &next));
        }
        out
    }

    /// One field: `name<TAB><type>`, ` -required-`, its enum, and (not recursive) its
    /// description.
    fn field_detail(&self, name: &str, parent: &Value, level: usize) -> String {
        let pad = level * 2;
        let field = &parent["properties"][name];
        let mut out = format!("{}\t<{}>", indent(name, pad), self.type_guess(field));
        let required = parent.get("required").and_then(Value::as_array);
        if required.is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name))) {
            out.push_str(" -required-");
        }
        out.push_str(&enumeration(field, false, 4, pad));
        out.push('\n');
        if self.recursive {
            return out;
        }
        let text =
            get(field, "description").map_or_else(|| "<no description>".to_string(), go_value);
        out.push_str(&indent(&wrap(&text, 78usize.saturating_sub(pad)), pad + 2));
        out.push('\n');
        if let Some(docs) = get(field, "externalDocs") {
            out.push('\n');
            out.push_str(&indent("EXTERNAL DOCS:", pad + 2));
            out.push('\n');
            if let Some(d) = get(docs, "description") {
                out.push_str(&indent(
                    &wrap(&go_value(d), 76usize.saturating_sub(pad)),
                    pad + 4,
                ));
                out.push('\n');
            }
            if let Some(u) = get(docs, "url") {
                out.push_str(&indent(&format!("URL: {}", go_value(u)), pad + 4));
                out.push('\n');
            }
        }
        out.push('\n');
        out
    }

    /// A short name for a schema's type: `string`, `[]Container`, `map[string]string`,
    /// `Object`, or a referenced object's name.
    fn type_guess(&self, schema: &Value) -> String {
        if let Some(items) = get(schema, "items") {
            return format!("[]{}", self.type_guess(items));
        }
        if let Some(values) = map_values(schema) {
            return format!("map[string]{}", self.type_guess(values));
        }
        if let Some(all) = get(schema, "allOf").and_then(Value::as_array)
            && get(schema, "properties").is_none()
            && all.len() == 1
        {
            return self.type_guess(&all[0]);
        }
        if let Some(reference) = get(schema, "$ref") {
            let reference = go_value(reference);
            let target = self.resolve(&reference);
            let ty = target.and_then(|t| get(t, "type"));
            return match ty {
                Some(t) if t != "object" => go_value(t),
                _ => {
                    let name = reference.rsplit('/').next().unwrap_or("");
                    let last = name.rsplit('.').next().unwrap_or("");
                    if last.is_empty() {
                        "Object".into()
                    } else {
                        last.to_string()
                    }
                }
            };
        }
        match get(schema, "type") {
            Some(t) if t == "object" => "Object".into(),
            Some(t) => go_value(t),
            None => "Object".into(),
        }
    }
}

/// A schema's externalDocs block (the schema explained, not its fields).
fn external_docs(schema: &Value) -> String {
    let Some(docs) = get(schema, "externalDocs") else {
        return String::new();
    };
    let mut out = "EXTERNAL DOCS:\n".to_string();
    if let Some(d) = get(docs, "description") {
        out.push_str(&indent(&wrap(&go_value(d), 76), 4));
        out.push('\n');
    }
    if let Some(u) = get(docs, "url") {
        out.push_str(&indent(&format!("URL: {}", go_value(u)), 4));
        out.push('\n');
    }
    out
}

/// A field's allowed values: `ENUM:` then one a line (the field explained), or
/// `enum: A, B, C, ....` after at most `limit` (a field in a list).
fn enumeration(schema: &Value, long: bool, limit: i64, pad: usize) -> String {
    let Some(values) = get(schema, "enum").and_then(Value::as_array) else {
        return String::new();
    };
    let mut out = if long {
        "ENUM:".to_string()
    } else {
        format!("\n{}enum: ", " ".repeat(pad))
    };
    for (i, v) in values.iter().enumerate() {
        if limit > -1 && i as i64 >= limit {
            out.push_str(", ....");
            break;
        }
        if long {
            out.push_str("\n    ");
        } else if i > 0 {
            out.push_str(", ");
        }
        match v {
            Value::String(s) if s.is_empty() => out.push_str("\"\""),
            other => out.push_str(&go_value(other)),
        }
    }
    out
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
