//! The checks of custom objects that kube makes beside the OpenAPI validator: apiVersion
//! and kind of embedded resources, and duplicates in `set` and `map` lists.

use super::node::{Node, child, index};
use crate::api::validation::FieldError;
use crate::api::validation::go_quote;
use serde_json::Value;

pub fn check(node: &Node, v: &Value, path: &str, out: &mut Vec<FieldError>, depth: usize) {
    if depth > super::node::MAX_DEPTH * 4 {
        return;
    }
    match v {
        Value::Object(m) => {
            if node.embedded && !path.is_empty() {
                for f in ["apiVersion", "kind"] {
                    if m.get(f).and_then(Value::as_str).is_none_or(str::is_empty) {
                        out.push(FieldError::required(&child(path, f), "must not be empty"));
                    }
                }
            }
            for (k, x) in m {
                if let Some(p) = node.properties.get(k).or(node.additional.as_deref()) {
                    check(p, x, &child(path, k), out, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            match node.list_type.as_deref() {
                Some("set") => {
                    for (i, x) in items.iter().enumerate() {
                        if items[..i].iter().any(|y| super::validate::json_equal(x, y)) {
                            out.push(super::validate::with_go_value(FieldError::duplicate(
                                &index(path, i),
                                x.clone(),
                            )));
                        }
                    }
                }
                Some("map") => {
                    let keys: Vec<Vec<Option<&Value>>> = items
                        .iter()
                        .map(|x| node.list_map_keys.iter().map(|k| x.get(k)).collect())
                        .collect();
                    for i in 0..items.len() {
                        if keys[..i].contains(&keys[i]) {
                            let mut e = FieldError::duplicate(&index(path, i), Value::Null);
                            e.value_repr = Some(go_keys(&node.list_map_keys, &keys[i]));
                            out.push(e);
                        }
                    }
                }
                _ => {}
            }
            if let Some(item) = node.items.as_deref() {
                for (i, x) in items.iter().enumerate() {
                    check(item, x, &index(path, i), out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// `map[string]interface {}{"name":"a"}`, as Go prints the duplicate's keys.
fn go_keys(names: &[String], values: &[Option<&Value>]) -> String {
    let mut pairs: Vec<(&String, &Option<&Value>)> = names
        .iter()
        .zip(values)
        .filter(|(_, v)| v.is_some())
        .collect();
    pairs.sort_by_key(|(k, _)| *k);
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Some(Value::String(s)) => go_quote(s),
                Some(other) => other.to_string(),
                None => "<nil>".into(),
            };
            format!("{}:{v}", go_quote(k))
        })
        .collect();
    format!("map[string]interface {{}}{{{}}}", items.join(", "))
}
