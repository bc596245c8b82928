//! Field errors as the apiserver reports them (`spec.containers: Required value`), and the
//! Go-syntax rendering of bad values that its messages use.

use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
    TypeInvalid,
}

impl ErrorType {
    /// The words in the message (`Required value`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid | ErrorType::TypeInvalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        }
    }

    /// The Status cause `reason` (`FieldValueRequired`).
    pub fn cause_reason(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub error_type: ErrorType,
    pub bad_value: Option<Value>,
    pub detail: String,
    /// How the bad value prints when plain JSON-to-Go rendering would be wrong (e.g. a
    /// `v1.LabelSelector{...}` struct); `None` renders `bad_value`.
    pub value_repr: Option<String>,
}

impl FieldError {
    fn new(field: &str, error_type: ErrorType, bad_value: Option<Value>, detail: &str) -> Self {
        FieldError {
            field: field.to_string(),
            error_type,
            bad_value,
            detail: detail.to_string(),
            value_repr: None,
        }
    }
    pub fn required(field: &str, detail: &str) -> Self {
        Self::new(field, ErrorType::Required, None, detail)
    }
    pub fn forbidden(field: &str, detail: &str) -> Self {
        Self::new(field, ErrorType::Forbidden, None, detail)
    }
    pub fn invalid(field: &str, value: Value, detail: &str) -> Self {
        Self::new(field, ErrorType::Invalid, Some(value), detail)
    }
    /// An Invalid error whose value prints as the given Go-syntax text.
    pub fn invalid_repr(field: &str, repr: String, detail: &str) -> Self {
        let mut e = Self::new(field, ErrorType::Invalid, None, detail);
        e.value_repr = Some(repr);
        e
    }
    /// An Invalid error that names no value (Go's `field.OmitValueType`).
    pub fn invalid_omitted(field: &str, detail: &str) -> Self {
        Self::invalid_repr(field, String::new(), detail)
    }
    pub fn duplicate(field: &str, value: Value) -> Self {
        Self::new(field, ErrorType::Duplicate, Some(value), "")
    }
    pub fn not_supported(field: &str, value: Value, supported: &[&str]) -> Self {
        let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
        let detail = if quoted.is_empty() {
            String::new()
        } else {
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(field, ErrorType::NotSupported, Some(value), &detail)
    }
    pub fn too_long(field: &str, max_bytes: usize) -> Self {
        let unit = if max_bytes == 1 { "byte" } else { "bytes" };
        Self::new(
            field,
            ErrorType::TooLong,
            None,
            &format!("may not be more than {max_bytes} {unit}"),
        )
    }

    /// The message without the field path, as in Status causes.
    pub fn body(&self) -> String {
        let mut s = self.error_type.as_str().to_string();
        let shows_value = !matches!(
            self.error_type,
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong | ErrorType::Internal
        );
        let omitted = self.value_repr.as_deref() == Some("");
        if shows_value && !omitted {
            let v = match (&self.value_repr, &self.bad_value) {
                (Some(r), _) => r.clone(),
                (None, Some(v)) => go_value(v),
                (None, None) => "null".to_string(),
            };
            s.push_str(": ");
            s.push_str(&v);
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// Go's `%q`.
pub use crate::go::quote as go_quote;

/// Renders a JSON value the way the apiserver's Go types print with `%v`/`%#v`: strings
/// quoted, numbers bare, string maps as `map[string]string{"k":"v"}` with sorted keys,
/// string lists as `[]string{"a", "b"}`.
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => go_quote(s),
        Value::Object(m) if m.values().all(Value::is_string) => go_string_map(Some(m)),
        Value::Array(a) if a.iter().all(Value::is_string) => {
            let items: Vec<String> = a.iter().map(go_value).collect();
            format!("[]string{{{}}}", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// `map[string]string{"a":"b", "c":"d"}`, or `map[string]string(nil)` for a missing map.
pub fn go_string_map(m: Option<&serde_json::Map<String, Value>>) -> String {
    let Some(m) = m else {
        return "map[string]string(nil)".to_string();
    };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    let items: Vec<String> = keys
        .iter()
        .map(|k| {
            let v = m.get(*k).and_then(Value::as_str).unwrap_or("");
            format!("{}:{}", go_quote(k), go_quote(v))
        })
        .collect();
    format!("map[string]string{{{}}}", items.join(", "))
}

/// A LabelSelector as Go prints `%#v` of the struct (used in selector error messages).
pub fn go_label_selector(sel: &Value) -> String {
    let labels = go_string_map(sel.get("matchLabels").and_then(Value::as_object));
    let exprs = match sel.get("matchExpressions").and_then(Value::as_array) {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|e| {
                    let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                    let op = e.get("operator").and_then(Value::as_str).unwrap_or("");
                    let values = match e.get("values").and_then(Value::as_array) {
                        None => "[]string(nil)".to_string(),
                        Some(vs) => {
                            let q: Vec<String> = vs
                                .iter()
                                .map(|v| go_quote(v.as_str().unwrap_or("")))
                                .collect();
                            format!("[]string{{{}}}", q.join(", "))
                        }
                    };
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                        go_quote(key),
                        go_quote(op),
                        values
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

/// An integer field `k` of `parent` (at `path`) that must not be negative.
pub fn nonnegative(parent: Option<&Value>, k: &str, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(v) = parent.and_then(|p| p.get(k)).and_then(Value::as_i64)
        && v < 0
    {
        errs.push(FieldError::invalid(
            &child(path, k),
            serde_json::json!(v),
            "must be greater than or equal to 0",
        ));
    }
}

/// Path helpers: `a.b`, `a[0]`, `a[key]`.
pub fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

pub fn key(path: &str, k: &str) -> String {
    format!("{path}[{k}]")
}
