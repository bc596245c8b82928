//! Structural defaulting: absent fields (and `null`s where the field is not nullable) take
//! their schema's `default`, and defaulting goes on inside what was set, so nested defaults
//! apply. kube-apiserver runs this on every request body and also when it reads objects from
//! storage, so a default added to the CRD later shows up on reads of older objects.

use super::node::Node;
use serde_json::Value;

pub fn default(node: &Node, v: &mut Value, depth: usize) {
    if depth > super::node::MAX_DEPTH * 4 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, prop) in &node.properties {
                let Some(d) = &prop.default else { continue };
                let absent = match m.get(k) {
                    None => true,
                    Some(Value::Null) => !prop.nullable,
                    Some(_) => false,
                };
                if absent {
                    m.insert(k.clone(), d.clone());
                }
            }
            for (k, x) in m.iter_mut() {
                if let Some(p) = node.properties.get(k) {
                    default(p, x, depth + 1);
                } else if let Some(a) = &node.additional {
                    default(a, x, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = &node.items {
                for x in items.iter_mut() {
                    if x.is_null() && !item.nullable && item.default.is_some() {
                        *x = item.default.clone().unwrap_or(Value::Null);
                    }
                    default(item, x, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_defaults_and_nulls() {
        let s = json!({"type":"object","properties":{"spec":{"type":"object","default":{},
            "properties":{
                "replicas":{"type":"integer","default":1},
                "mode":{"type":"string","default":"a"},
                "opt":{"type":"string","nullable":true,"default":"d"},
                "ports":{"type":"array","items":{"type":"object","properties":{
                    "proto":{"type":"string","default":"TCP"}}}}}}}});
        let n = Node::parse(&s);
        let mut a = json!({});
        default(&n, &mut a, 0);
        assert_eq!(a, json!({"spec":{"replicas":1,"mode":"a","opt":"d"}}));
        let mut b =
            json!({"spec":{"replicas":3,"mode":null,"opt":null,"ports":[{},{"proto":"UDP"}]}});
        default(&n, &mut b, 0);
        assert_eq!(
            b,
            json!({"spec":{"replicas":3,"mode":"a","opt":null,"ports":[{"proto":"TCP"},{"proto":"UDP"}]}})
        );
    }
}
