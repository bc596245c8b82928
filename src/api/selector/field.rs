//! Field selectors: `k=v`, `k==v`, `k!=v` joined by commas, with `\,` `\=` `\\` escapes;
//! per-resource supported labels and reading a field's value from an object.

use crate::go::quote as go_quote;
use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    pub field: String,
    pub value: String,
    /// `!=` rather than `=`/`==`.
    pub negated: bool,
}

/// A conjunction of terms, sorted as the apiserver sorts them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    pub terms: Vec<FieldTerm>,
}

/// Splits on commas that are not escaped by a backslash.
fn split_terms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

/// The first operator in the term wins: at each position `!=`, then `==`, then `=`.
fn split_term(term: &str) -> Option<(&str, &str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if rest.starts_with(op) {
                return Some((&term[..i], op, &term[i + op.len()..]));
            }
        }
    }
    None
}

fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            match c {
                '\\' | ',' | '=' => out.push(c),
                other => {
                    return Err(format!(
                        "invalid field selector: invalid escape sequence: \\{other}"
                    ));
                }
            }
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            // Go prints the rune with %v, i.e. as its number.
            ',' | '=' => {
                return Err(format!(
                    "invalid field selector: unescaped character in value: {}",
                    c as u32
                ));
            }
            c => out.push(c),
        }
    }
    if in_slash {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(out)
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace('=', "\\=")
}

impl FieldSelector {
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut parts = split_terms(s);
        parts.sort();
        let mut terms = Vec::new();
        for part in parts.iter().filter(|p| !p.is_empty()) {
            let Some((lhs, op, rhs)) = split_term(part) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            terms.push(FieldTerm {
                field: lhs.to_string(),
                value: unescape(rhs)?,
                negated: op == "!=",
            });
        }
        Ok(FieldSelector { terms })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Every term holds for `obj` (a missing field reads as "").
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms.iter().all(|t| {
            let v = field_value(obj, &t.field);
            (v == t.value) != t.negated
        })
    }

    /// Errors with the apiserver's `field label not supported: x` for a label the resource
    /// (plural resource name or kind) cannot select on.
    pub fn validate_for(&self, resource: &str) -> Result<(), String> {
        self.normalized_for(resource).map(|_| ())
    }

    /// Like `validate_for`, also rewriting legacy labels (`spec.host` → `spec.nodeName` for pods).
    pub fn normalized_for(&self, resource: &str) -> Result<FieldSelector, String> {
        let supported = supported_field_labels(resource);
        let mut out = self.clone();
        for t in &mut out.terms {
            if is_pod(resource) && t.field == "spec.host" {
                t.field = "spec.nodeName".to_string();
            }
            if !supported.contains(&t.field.as_str()) {
                return Err(unsupported_message(resource, &t.field));
            }
        }
        Ok(out)
    }
}

impl fmt::Display for FieldSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            let op = if t.negated { "!=" } else { "=" };
            write!(f, "{}{op}{}", t.field, escape(&t.value))?;
        }
        Ok(())
    }
}

fn norm(resource: &str) -> String {
    let r = resource.to_ascii_lowercase();
    let r = r.split('.').next().unwrap_or("").to_string();
    r.strip_suffix('s').map(String::from).unwrap_or(r)
}

fn is_pod(resource: &str) -> bool {
    norm(resource) == "pod"
}

/// Resources with their own field-label conversion say `field label not supported: x`; the
/// rest fall back to the generic metadata-only conversion and its own wording.
fn unsupported_message(resource: &str, label: &str) -> String {
    match norm(resource).as_str() {
        "pod" | "node" | "event" | "namespace" | "secret" | "service" | "replicationcontroller" => {
            format!("field label not supported: {label}")
        }
        "job" => format!(
            "field label {} not supported for batchv1.Job",
            go_quote(label)
        ),
        _ => format!(
            "{} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
            go_quote(label)
        ),
    }
}

/// Field labels the apiserver accepts per resource (kind or plural name, any case).
pub fn supported_field_labels(resource: &str) -> &'static [&'static str] {
    match norm(resource).as_str() {
        "pod" => &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        "node" => &["metadata.name", "spec.unschedulable"],
        "event" => &[
            "metadata.name",
            "metadata.namespace",
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        "namespace" => &["metadata.name", "status.phase"],
        "secret" => &["metadata.name", "metadata.namespace", "type"],
        // apps/v1 ReplicaSets have no conversion for status.replicas, so only RCs accept it.
        "replicationcontroller" => &["metadata.name", "metadata.namespace", "status.replicas"],
        "service" => &[
            "metadata.name",
            "metadata.namespace",
            "spec.clusterIP",
            "spec.type",
        ],
        "job" => &["metadata.name", "metadata.namespace", "status.successful"],
        _ => &["metadata.name", "metadata.namespace"],
    }
}

/// The string a field selector compares for `path` (dotted) in `obj`. Missing fields read as
/// "", booleans as "true"/"false" (missing booleans as "false"), numbers in decimal.
pub fn field_value(obj: &Value, path: &str) -> String {
    // Events select on `source` as the component, falling back to the reporting controller.
    if path == "source" && obj.get("involvedObject").is_some() {
        let comp = obj
            .get("source")
            .and_then(|s| s.get("component"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if !comp.is_empty() {
            return comp.to_string();
        }
        return field_value(obj, "reportingComponent");
    }
    let mut cur = obj;
    for seg in path.split('.') {
        match cur.get(seg) {
            Some(v) => cur = v,
            None => {
                let boolean = matches!(path, "spec.unschedulable" | "spec.hostNetwork");
                return if boolean {
                    "false".into()
                } else {
                    String::new()
                };
            }
        }
    }
    match cur {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        // status.podIPs: the IPs joined by commas.
        Value::Array(a) => a
            .iter()
            .map(|x| match x {
                Value::Object(o) => o
                    .get("ip")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => cur.to_string(),
    }
}
