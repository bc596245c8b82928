//! The values a template works on: kubectl's decoded JSON (`map[string]interface{}`,
//! `[]interface{}`, string, int64, float64, bool, nil) and the template's own constants.

use crate::print::gofmt;
use serde_json::Value;

#[derive(Debug, Clone)]
pub enum Val {
    /// No value at all (Go's invalid reflect.Value): a missing key, a JSON null.
    Missing,
    /// A JSON null reached inside a field chain (Go's nil interface).
    Null,
    Bool(bool),
    /// An int64 from the object.
    Int(i64),
    /// An untyped integer constant of the template (Go's `int`).
    LitInt(i64),
    /// A byte of a string (`index "abc" 0`).
    Byte(u8),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(serde_json::Map<String, Value>),
}

impl Val {
    pub fn from_json(v: &Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Val::Int(i),
                None => Val::Float(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => Val::Str(s.clone()),
            Value::Array(a) => Val::List(a.clone()),
            Value::Object(m) => Val::Map(m.clone()),
        }
    }

    /// After a pipeline Go unwraps interfaces: a nil interface becomes no value.
    pub fn settle(self) -> Val {
        match self {
            Val::Null => Val::Missing,
            v => v,
        }
    }

    pub fn truth(&self) -> bool {
        match self {
            Val::Missing | Val::Null => false,
            Val::Bool(b) => *b,
            Val::Int(i) | Val::LitInt(i) => *i != 0,
            Val::Byte(b) => *b != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::List(l) => !l.is_empty(),
            Val::Map(m) => !m.is_empty(),
        }
    }

    /// Go's type name (`%T`, error messages).
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Missing | Val::Null => "<nil>",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int64",
            Val::LitInt(_) => "int",
            Val::Byte(_) => "uint8",
            Val::Float(_) => "float64",
            Val::Str(_) => "string",
            Val::List(_) => "[]interface {}",
            Val::Map(_) => "map[string]interface {}",
        }
    }

    /// Go's `%v`.
    pub fn fmt_v(&self) -> String {
        match self {
            Val::Missing | Val::Null => "<nil>".into(),
            Val::Bool(b) => b.to_string(),
            Val::Int(i) | Val::LitInt(i) => i.to_string(),
            Val::Byte(b) => b.to_string(),
            Val::Float(f) => gofmt::float_v(*f),
            Val::Str(s) => s.clone(),
            Val::List(l) => gofmt::fmt_v(&Value::Array(l.clone())),
            Val::Map(m) => gofmt::fmt_v(&Value::Object(m.clone())),
        }
    }

    /// What `{{...}}` prints: `<no value>` for nothing, else `%v`.
    pub fn printed(&self) -> String {
        match self {
            Val::Missing => "<no value>".into(),
            v => v.fmt_v(),
        }
    }
}
