//! Tables of custom objects, as kube-apiserver's CRD table convertor builds them: Name, then
//! the version's `additionalPrinterColumns` (or Age when it declares none), each cell the
//! first result of the column's JSONPath converted to the column's type.

use super::common::{AGE_DOC, NAME_DOC, age_since, column, name_of, parse_time};
use crate::api::custom::{Definition, PrinterColumn};
use crate::print::jsonpath::{self, Res};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// The columns kube uses when a version declares none.
fn default_columns() -> Vec<PrinterColumn> {
    vec![PrinterColumn {
        name: "Age".into(),
        type_: "date".into(),
        format: String::new(),
        description: AGE_DOC.into(),
        priority: 0,
        json_path: ".metadata.creationTimestamp".into(),
    }]
}

fn columns_of(d: &Definition) -> Vec<PrinterColumn> {
    if d.columns.is_empty() {
        default_columns()
    } else {
        d.columns.clone()
    }
}

pub fn columns(d: &Definition) -> Vec<Value> {
    let mut out = vec![column("Name", "string", "name", NAME_DOC, 0)];
    for c in columns_of(d) {
        out.push(json!({
            "name": c.name,
            "type": c.type_,
            "format": c.format,
            "description": c.description,
            "priority": c.priority,
        }));
    }
    out
}

pub fn cells(d: &Definition, obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut out = vec![json!(name_of(obj))];
    for c in columns_of(d) {
        out.push(cell(&c, obj, now));
    }
    out
}

fn cell(c: &PrinterColumn, obj: &Value, now: DateTime<Utc>) -> Value {
    let Ok(path) = jsonpath::parse_template(&format!("{{{}}}", c.json_path)) else {
        return Value::Null;
    };
    let Ok(results) = path.find_results(obj) else {
        return Value::Null;
    };
    let Some(first) = results.first().and_then(|r| r.first()) else {
        return Value::Null;
    };
    let value = first.to_value();
    match c.type_.as_str() {
        "string" => match first {
            Res::Invalid => Value::Null,
            r => json!(r.to_text()),
        },
        "integer" => match value.as_i64().or_else(|| value.as_f64().map(|f| f as i64)) {
            Some(n) => json!(n),
            None => Value::Null,
        },
        "number" => value.as_f64().map_or(Value::Null, |f| json!(f)),
        "boolean" => value.as_bool().map_or(Value::Null, Value::Bool),
        "date" => match value.as_str().and_then(parse_time) {
            Some(_) => json!(age_since(Some(&value), now)),
            None => Value::Null,
        },
        _ => Value::Null,
    }
}
