//! The `kubectl.kubernetes.io/last-applied-configuration` annotation: the configuration
//! client-side apply sent last, kept on the object as kubectl encodes it (Go's
//! `json.Marshal` of the object without the annotation, keys sorted, a trailing newline).

use serde_json::{Map, Value};

pub const ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `obj` with its annotation set to its own encoding (without the annotation).
pub fn annotated(obj: &Value) -> Value {
    let mut bare = obj.clone();
    annotations(&mut bare).shift_remove(ANNOTATION);
    let text = format!("{}\n", crate::print::json::to_json_compact(&bare));
    annotations(&mut bare).insert(ANNOTATION.into(), Value::String(text));
    bare
}

/// The last applied configuration recorded on `obj`, if it has a readable one.
pub fn of(obj: &Value) -> Option<Value> {
    let text = obj
        .pointer("/metadata/annotations")?
        .get(ANNOTATION)?
        .as_str()?;
    serde_json::from_str(text).ok()
}

/// The annotation text recorded on `obj`.
pub fn text_of(obj: &Value) -> Option<&str> {
    obj.pointer("/metadata/annotations")?
        .get(ANNOTATION)?
        .as_str()
}

/// `metadata.annotations`, made an (empty) map when missing, as kubectl's accessor does.
fn annotations(obj: &mut Value) -> &mut Map<String, Value> {
    if !obj.is_object() {
        *obj = Value::Object(Map::new());
    }
    let Value::Object(top) = obj else {
        unreachable!("made an object above")
    };
    map_entry(map_entry(top, "metadata"), "annotations")
}

/// The map at `key`, put there (replacing anything else) when missing.
fn map_entry<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    let Value::Object(m) = slot else {
        unreachable!("made an object above")
    };
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_as_kubectl_with_sorted_keys_and_go_escapes() {
        let obj = json!({"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "cm", "namespace": "default"}, "data": {"b": "x<y>&", "a": "1"}});
        let out = annotated(&obj);
        assert_eq!(
            text_of(&out),
            Some(
                "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"1\",\"b\":\"x\\u003cy\\u003e\\u0026\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"cm\",\"namespace\":\"default\"}}\n"
            )
        );
        // Re-annotating an annotated object gives the same text.
        assert_eq!(text_of(&annotated(&out)), text_of(&out));
        assert_eq!(of(&out).map(|v| v["data"]["a"].clone()), Some(json!("1")));
    }
}
