//! The strategic merge patch that turns one object into another, as kubectl computes it
//! for the `set` verbs: changed map keys (removed ones as null), lists of named things
//! merged on their key (with `$setElementOrder` and `$patch: delete`), other lists whole.
//! Keys come out sorted, as Go's map encoding writes them.

use crate::apiserver::smp::merge_key;
use serde_json::{Map, Value};

/// The patch from `before` to `after` (both objects); an empty map when they are equal.
pub fn diff(before: &Value, after: &Value) -> Value {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => Value::Object(diff_map(b, a)),
        _ => after.clone(),
    }
}

fn diff_map(before: &Map<String, Value>, after: &Map<String, Value>) -> Map<String, Value> {
    let mut out = std::collections::BTreeMap::new();
    for (k, a) in after {
        match (before.get(k), a) {
            (Some(b), _) if b == a => {}
            (Some(Value::Object(b)), Value::Object(a)) => {
                out.insert(k.clone(), Value::Object(diff_map(b, a)));
            }
            (Some(Value::Array(b)), Value::Array(list)) => match merge_key(k, list) {
                Some(key) => {
                    let (order, items) = diff_list(key, b, list);
                    out.insert(format!("$setElementOrder/{k}"), order);
                    out.insert(k.clone(), items);
                }
                None => {
                    out.insert(k.clone(), sorted(a));
                }
            },
            _ => {
                out.insert(k.clone(), sorted(a));
            }
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) {
            out.insert(k.clone(), Value::Null);
        }
    }
    out.into_iter().collect()
}

/// A merged list's order directive and its changed, added and deleted elements.
fn diff_list(key: &str, before: &[Value], after: &[Value]) -> (Value, Value) {
    let id = |v: &Value| v.get(key).cloned().unwrap_or(Value::Null);
    let order = after
        .iter()
        .map(|a| Value::Object([(key.to_string(), id(a))].into_iter().collect()))
        .collect();
    let mut items = Vec::new();
    for a in after {
        match before.iter().find(|b| id(b) == id(a)) {
            Some(b) if b == a => {}
            Some(b) => {
                let mut d = diff(b, a);
                if let Value::Object(m) = &mut d {
                    m.insert(key.to_string(), id(a));
                }
                items.push(sorted(&d));
            }
            None => items.push(sorted(a)),
        }
    }
    for b in before {
        if !after.iter().any(|a| id(a) == id(b)) {
            let mut m = Map::new();
            m.insert("$patch".to_string(), Value::String("delete".to_string()));
            m.insert(key.to_string(), id(b));
            items.push(sorted(&Value::Object(m)));
        }
    }
    (Value::Array(order), Value::Array(items))
}

/// `v` with every map's keys in order.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let keys: std::collections::BTreeMap<&String, &Value> = m.iter().collect();
            Value::Object(
                keys.into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Whether a patch changes nothing.
pub fn is_empty(patch: &Value) -> bool {
    patch.as_object().is_some_and(Map::is_empty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn named_lists_merge_on_their_key() {
        let before = json!({"spec": {"containers": [
            {"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
            {"name": "b", "image": "y"}
        ]}, "keep": 1, "gone": 2});
        let after = json!({"spec": {"containers": [
            {"name": "a", "image": "x", "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}]},
            {"name": "b", "image": "y"}
        ]}, "keep": 1});
        assert_eq!(
            diff(&before, &after),
            json!({"gone": null, "spec": {
                "$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
                "containers": [{"$setElementOrder/env": [{"name": "B"}, {"name": "C"}], "env": [
                    {"name": "B", "value": "3"}, {"name": "C", "value": "4"},
                    {"$patch": "delete", "name": "A"}
                ], "name": "a"}]
            }})
        );
        assert!(is_empty(&diff(&before, &before)));
    }
}
