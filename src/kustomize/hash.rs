//! The suffix generated ConfigMaps and Secrets get: ten characters of the SHA-256 of their
//! content as kustomize encodes it. kustomize v5.5.0 reads the name from a path that is
//! not there, so the encoded name is always empty: only kind, data (and a Secret's type,
//! a ConfigMap's binaryData) count, and a field that is not there counts as "".

use super::Res;
use serde_json::{Map, Value, json};

/// Appends `-<hash>` to the name of every object that asked for one.
pub fn add_hashes(all: &mut [Res]) {
    for r in all.iter_mut().filter(|r| r.needs_hash) {
        let name = format!("{}-{}", r.name(), suffix(&r.value));
        r.set_name(name);
    }
}

fn suffix(object: &Value) -> String {
    content_suffix(object, json!(""), json!(""))
}

/// Ten characters from the SHA-256 of a ConfigMap's or Secret's content (kind, `name`,
/// data or `missing_data`, a Secret's type, a ConfigMap's binaryData) encoded as Go's
/// encoding/json does, with the hex digits and letters that could spell words swapped for
/// others. kubectl's `--append-hash` and kustomize's generators both use it; they differ
/// only in the name and the stand-in for absent data they encode.
pub fn content_suffix(object: &Value, name: Value, missing_data: Value) -> String {
    let kind = object["kind"].as_str().unwrap_or("");
    let mut content = Map::new();
    content.insert("kind".into(), json!(kind));
    content.insert("name".into(), name);
    content.insert(
        "data".into(),
        object.get("data").cloned().unwrap_or(missing_data),
    );
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
    fn the_name_does_not_count() {
        let a =
            json!({"kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"B": "2", "A": "1"}});
        let b = json!({"kind": "ConfigMap", "metadata": {"name": "other"}, "data": {"A": "1", "B": "2"}});
        assert_eq!(suffix(&a), "66h9cbh964");
        assert_eq!(suffix(&a), suffix(&b));
        let secret = json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"A": "MQ=="}, "type": "Opaque"});
        assert_ne!(suffix(&secret), suffix(&a));
    }
}
