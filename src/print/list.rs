//! How kubectl re-wraps several objects for `-o yaml|json|jsonpath|...`: a `v1` `List` with an
//! empty `resourceVersion` (whatever the server's list carried).

use serde_json::{Map, Value, json};

/// Wrap objects (each already carrying `apiVersion`/`kind`) as kubectl's `kind: List`.
pub fn wrap_list(items: Vec<Value>) -> Value {
    let mut list = Map::new();
    list.insert("apiVersion".into(), json!("v1"));
    list.insert("items".into(), Value::Array(items));
    list.insert("kind".into(), json!("List"));
    list.insert("metadata".into(), json!({"resourceVersion": ""}));
    Value::Object(list)
}

/// Fill in `apiVersion`/`kind` of list items that lack them (the API server omits them in
/// lists of built-in types; kubectl adds them before printing). Existing values are kept, and
/// the two keys are put first.
pub fn with_type_meta(item: Value, api_version: &str, kind: &str) -> Value {
    let Value::Object(m) = item else { return item };
    let mut out = Map::new();
    out.insert(
        "apiVersion".into(),
        m.get("apiVersion")
            .cloned()
            .unwrap_or_else(|| json!(api_version)),
    );
    out.insert(
        "kind".into(),
        m.get("kind").cloned().unwrap_or_else(|| json!(kind)),
    );
    for (k, v) in m {
        if k != "apiVersion" && k != "kind" {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_shape() {
        let item = with_type_meta(json!({"metadata": {"name": "a"}}), "v1", "Pod");
        let l = wrap_list(vec![item]);
        assert_eq!(
            serde_json::to_string(&l).unwrap(),
            r#"{"apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}],"kind":"List","metadata":{"resourceVersion":""}}"#
        );
    }
}
