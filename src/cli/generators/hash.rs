//! `--append-hash`: a ConfigMap's or Secret's name gets a suffix derived from its content,
//! the same suffix kubectl derives, so a changed content makes a new object.

use serde_json::{Map, Value, json};

/// Appends `-<hash>` to the object's name.
pub fn append(object: &mut Value) {
    let suffix = suffix(object);
    if let Some(Value::String(name)) = object.pointer_mut("/metadata/name") {
        name.push('-');
        name.push_str(&suffix);
    }
}

/// Ten characters from the SHA-256 of the content's JSON (keys sorted, compact), with the
/// hex digits and letters that could spell words swapped for others, as kubectl does.
fn suffix(object: &Value) -> String {
    let kind = object["kind"].as_str().unwrap_or_default();
    let mut content = Map::new();
    content.insert("kind".into(), json!(kind));
    content.insert("name".into(), object["metadata"]["name"].clone());
    let data = object.get("data").cloned().unwrap_or_else(|| json!({}));
    content.insert("data".into(), data);
    if kind == "Secret" {
        content.insert(
            "type".into(),
            object.get("type").cloned().unwrap_or(json!("")),
        );
    } else if let Some(binary) = object.get("binaryData") {
        content.insert("binaryData".into(), binary.clone());
    }
    let encoded = crate::print::json::to_json_compact(&Value::Object(content));
    let digest = ring::digest::digest(&ring::digest::SHA256, encoded.as_bytes());
    digest.as_ref()[..5]
        .iter()
        .flat_map(|b| [b >> 4, b & 0xf])
        .map(|nibble| match nibble {
            0x0 => 'g',
            0x1 => 'h',
            0x3 => 'k',
            0xa => 'm',
            0xe => 't',
            n => char::from_digit(u32::from(n), 16).unwrap_or('?'),
        })
        .collect()
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
