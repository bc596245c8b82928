//! Pruning of unknown fields as the apiextensions-apiserver does it before defaulting and
//! validation: fields no schema specifies are dropped, except below
//! `x-kubernetes-preserve-unknown-fields` and for `apiVersion`, `kind` and `metadata` of the
//! object and of embedded resources. The object's own `metadata` is reduced to ObjectMeta's
//! fields, as kube's decoding into ObjectMeta does.

use super::node::Node;
use crate::api::order::OBJECT_META;
use serde_json::Value;

const META_FIELDS: &[&str] = &["apiVersion", "kind", "metadata"];

/// Prunes `obj` (a whole custom object) and returns the removed paths, sorted, as kube's
/// strict field validation names them (`spec.foo`, `spec.list[0].bar`, `metadata.foo`).
pub fn prune_object(root: &Node, obj: &mut Value) -> Vec<String> {
    let mut removed = Vec::new();
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        let unknown: Vec<String> = meta
            .keys()
            .filter(|k| !OBJECT_META.contains(&k.as_str()))
            .cloned()
            .collect();
        for k in unknown {
            meta.remove(&k);
            removed.push(format!("metadata.{k}"));
        }
    }
    walk(Some(root), obj, "", true, false, &mut removed, 0);
    removed.sort();
    removed
}

/// Prunes a value below `node` (used for defaults at CRD time too); `embedded` keeps the
/// resource fields at this level. Below `x-kubernetes-preserve-unknown-fields` unknown
/// fields stay, and so they do in the items of such a list, but what the schema does specify
/// is still pruned, as kube's `skipPrune` does.
pub fn prune(
    node: Option<&Node>,
    v: &mut Value,
    path: &str,
    embedded: bool,
    removed: &mut Vec<String>,
    depth: usize,
) {
    walk(node, v, path, embedded, false, removed, depth);
}

fn walk(
    node: Option<&Node>,
    v: &mut Value,
    path: &str,
    embedded: bool,
    keep_unknown: bool,
    removed: &mut Vec<String>,
    depth: usize,
) {
    if depth > super::node::MAX_DEPTH * 4 {
        return;
    }
    let keep_unknown = keep_unknown || node.is_some_and(|n| n.preserve_unknown);
    match v {
        Value::Object(m) => {
            let embedded_here = embedded || node.is_some_and(|n| n.embedded);
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                if embedded_here && META_FIELDS.contains(&k.as_str()) {
                    continue;
                }
                let sub_path = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                let sub = node.and_then(|n| n.properties.get(&k).or(n.additional.as_deref()));
                // `additionalProperties: true` has no schema: kube prunes its values as
                // values of no schema at all.
                let known = sub.is_some() || node.is_some_and(|n| n.additional_any);
                if known {
                    if let Some(x) = m.get_mut(&k) {
                        walk(sub, x, &sub_path, false, false, removed, depth + 1);
                    }
                } else if !keep_unknown {
                    m.remove(&k);
                    removed.push(sub_path);
                }
            }
        }
        Value::Array(items) => {
            let item = node.and_then(|n| n.items.as_deref());
            if keep_unknown && item.is_none() {
                return;
            }
            for (i, x) in items.iter_mut().enumerate() {
                let sub_path = format!("{path}[{i}]");
                walk(item, x, &sub_path, false, keep_unknown, removed, depth + 1);
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
    fn unknown_fields_are_dropped_and_reported() {
        let schema = json!({"type":"object","properties":{
            "spec":{"type":"object","properties":{
                "keep":{"type":"string"},
                "list":{"type":"array","items":{"type":"object","properties":{"a":{"type":"string"}}}},
                "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "loose":{"type":"array","x-kubernetes-preserve-unknown-fields":true,
                    "items":{"type":"object","properties":{"x":{"type":"object","properties":{}}}}},
                "labels":{"type":"object","additionalProperties":{"type":"string"}},
                "pod":{"type":"object","x-kubernetes-embedded-resource":true,
                       "properties":{"spec":{"type":"object"}}}}}}});
        let n = Node::parse(&schema);
        let mut obj = json!({"apiVersion":"x/v1","kind":"K",
            "metadata":{"name":"a","bogus":1},
            "spec":{"keep":"k","drop":1,"list":[{"a":"1","b":2}],"free":{"any":{"x":1}},
                    "loose":[{"y":1,"x":{"z":1}}],
                    "labels":{"l":"v"},
                    "pod":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"z":1},"extra":1}},
            "status":{}});
        let removed = prune_object(&n, &mut obj);
        assert_eq!(
            removed,
            [
                "metadata.bogus",
                "spec.drop",
                "spec.list[0].b",
                "spec.loose[0].x.z",
                "spec.pod.extra",
                "spec.pod.spec.z",
                "status"
            ]
        );
        assert_eq!(
            obj,
            json!({"apiVersion":"x/v1","kind":"K","metadata":{"name":"a"},
            "spec":{"keep":"k","list":[{"a":"1"}],"free":{"any":{"x":1}},"loose":[{"y":1,"x":{}}],"labels":{"l":"v"},
                    "pod":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}}}})
        );
    }
}
