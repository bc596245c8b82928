//! `--append-hash`: a ConfigMap's or Secret's name gets a suffix derived from its content,
//! the same suffix kubectl derives, so a changed content makes a new object.

use serde_json::{Value, json};

/// Appends `-<hash>` to the object's name.
pub fn append(object: &mut Value) {
    let suffix = suffix(object);
    if let Some(Value::String(name)) = object.pointer_mut("/metadata/name") {
        name.push('-');
        name.push_str(&suffix);
    }
}

/// kubectl's suffix: the content hash with the object's name in it, absent data as `{}`.
fn suffix(object: &Value) -> String {
    crate::kustomize::hash::content_suffix(object, object["metadata"]["name"].clone(), json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_follows_the_content() {
        let cm = json!({"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}});
        let empty = json!({"kind": "ConfigMap", "metadata": {"name": "c"}});
        let secret = json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "Yg=="}});
        assert_eq!(suffix(&cm), "m4h6ctkgb2");
        assert_eq!(suffix(&empty), "94b26g54cg");
        assert_eq!(suffix(&secret), "7fd2tm89d8");
    }
}
