//! A stored object written out as a list item without decoding it: stored values are
//! compact JSON already, so an item is the stored bytes with `apiVersion` and `kind` left
//! out and `metadata.resourceVersion` put where kube-apiserver's struct order puts it.
//!
//! The result must be byte for byte what decoding and re-encoding would give. That holds for
//! what serde_json wrote (everything kubelite stores); a value it could write differently
//! (whitespace, escapes it does not use, floats, duplicate keys at the two levels the item
//! edits) is reported as `None`, and the caller takes the slow path for it. Duplicate keys
//! deeper down (only a raw `etcdctl put` can store them) are copied as they are.

use crate::api::defaults::order::OBJECT_META;

/// One member of a JSON object: the key's bytes (with quotes) and the value's bytes.
struct Member<'a> {
    key: &'a [u8],
    value: &'a [u8],
}

/// `stored` as a list item stamped with `revision`, appended to `out`; None (with `out`
/// unchanged) when only decoding can tell what the item is.
pub fn splice(stored: &[u8], revision: i64, out: &mut Vec<u8>) -> Option<()> {
    let top = members(stored)?;
    if has_duplicates(&top) {
        return None;
    }
    let start = out.len();
    let done = write_item(&top, revision, out);
    if done.is_none() {
        out.truncate(start);
    }
    done
}

fn write_item(top: &[Member], revision: i64, out: &mut Vec<u8>) -> Option<()> {
    out.push(b'{');
    let mut first = true;
    for m in top {
        if m.key == b"\"apiVersion\"" || m.key == b"\"kind\"" {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(m.key);
        out.push(b':');
        if m.key == b"\"metadata\"" && m.value.first() == Some(&b'{') {
            write_metadata(m.value, revision, out)?;
        } else {
            out.extend_from_slice(m.value);
        }
    }
    out.push(b'}');
    Some(())
}

/// The metadata object with `resourceVersion` set: replaced where it is, or inserted after
/// the last key that comes before it in ObjectMeta's order.
fn write_metadata(meta: &[u8], revision: i64, out: &mut Vec<u8>) -> Option<()> {
    let fields = members(meta)?;
    if has_duplicates(&fields) {
        return None;
    }
    let rv = format!("\"{revision}\"");
    let rank_of_rv = OBJECT_META.iter().position(|k| *k == "resourceVersion")?;
    let existing = fields.iter().position(|m| m.key == b"\"resourceVersion\"");
    let insert_at = match existing {
        Some(_) => None,
        None => Some(
            fields
                .iter()
                .rposition(|m| rank(m.key).is_some_and(|r| r < rank_of_rv))
                .map_or(0, |i| i + 1),
        ),
    };
    out.push(b'{');
    let mut first = true;
    let mut put = |key: &[u8], value: &[u8], out: &mut Vec<u8>| {
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(key);
        out.push(b':');
        out.extend_from_slice(value);
    };
    for (i, m) in fields.iter().enumerate() {
        if insert_at == Some(i) {
            put(b"\"resourceVersion\"", rv.as_bytes(), out);
        }
        if Some(i) == existing {
            put(m.key, rv.as_bytes(), out);
        } else {
            put(m.key, m.value, out);
        }
    }
    if insert_at == Some(fields.len()) {
        put(b"\"resourceVersion\"", rv.as_bytes(), out);
    }
    out.push(b'}');
    Some(())
}

/// Where a (quoted) key stands in ObjectMeta's order.
fn rank(key: &[u8]) -> Option<usize> {
    let name = key.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    OBJECT_META.iter().position(|k| k.as_bytes() == name)
}

fn has_duplicates(members: &[Member]) -> bool {
    let mut keys: Vec<&[u8]> = members.iter().map(|m| m.key).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

/// The members of the compact JSON object `bytes` (nothing may follow it); None when it
/// is not an object or not written as serde_json writes.
fn members(bytes: &[u8]) -> Option<Vec<Member<'_>>> {
    let mut out = Vec::new();
    if bytes.first() != Some(&b'{') {
        return None;
    }
    let mut i = 1;
    if bytes.get(i) == Some(&b'}') {
        return (i + 1 == bytes.len()).then_some(out);
    }
    loop {
        let key_end = skip_string(bytes, i)?;
        let key = &bytes[i..key_end];
        if bytes.get(key_end) != Some(&b':') {
            return None;
        }
        let value_start = key_end + 1;
        let value_end = skip_value(bytes, value_start)?;
        out.push(Member {
            key,
            value: &bytes[value_start..value_end],
        });
        match bytes.get(value_end) {
            Some(b',') => i = value_end + 1,
            Some(b'}') if value_end + 1 == bytes.len() => return Some(out),
            _ => return None,
        }
    }
}

/// The end of the value starting at `i`.
fn skip_value(bytes: &[u8], i: usize) -> Option<usize> {
    match *bytes.get(i)? {
        b'"' => skip_string(bytes, i),
        b'{' | b'[' => skip_nested(bytes, i),
        b't' => literal(bytes, i, b"true"),
        b'f' => literal(bytes, i, b"false"),
        b'n' => literal(bytes, i, b"null"),
        _ => skip_integer(bytes, i),
    }
}

fn literal(bytes: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    bytes[i..].starts_with(word).then_some(i + word.len())
}

/// An integer as serde_json writes it (no fraction or exponent: those are re-encoded in
/// ways only decoding shows; no leading zeros or `-0`; short enough to be an i64 or u64).
fn skip_integer(bytes: &[u8], i: usize) -> Option<usize> {
    let digits_from = if bytes.get(i) == Some(&b'-') {
        i + 1
    } else {
        i
    };
    let end = digits_from
        + bytes[digits_from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    let digits = &bytes[digits_from..end];
    let canonical = !digits.is_empty()
        && digits.len() <= 18
        && (digits[0] != b'0' || (digits.len() == 1 && digits_from == i));
    canonical.then_some(end)
}

/// The end of the string starting at `i` (its opening quote), if it uses only the escapes
/// serde_json writes.
fn skip_string(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        j = plain_run_end(bytes, j);
        match *bytes.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' => {
                match *bytes.get(j + 1)? {
                    b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => j += 2,
                    b'u' => {
                        // serde_json writes \u only for control characters without a short
                        // escape.
                        let hex = bytes.get(j + 2..j + 6)?;
                        let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                        let short = matches!(code, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d);
                        if code >= 0x20 || short || hex.iter().any(u8::is_ascii_uppercase) {
                            return None;
                        }
                        j += 6;
                    }
                    _ => return None,
                }
            }
            c if c < 0x20 => return None,
            _ => j += 1,
        }
    }
}

/// Skips string bytes that need no look (not `"`, `\\` or a control character), eight at a
/// time: most of a stored object is such bytes.
fn plain_run_end(bytes: &[u8], mut j: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `v` is zero (exact for "any", which is all this asks).
    let any_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    while let Some(chunk) = bytes.get(j..j + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let special = any_zero(v ^ (ONES * u64::from(b'"')))
            || any_zero(v ^ (ONES * u64::from(b'\\')))
            || v.wrapping_sub(ONES * 0x20) & !v & HIGH != 0;
        if special {
            break;
        }
        j += 8;
    }
    j
}

/// The end of the object or array starting at `i`.
fn skip_nested(bytes: &[u8], i: usize) -> Option<usize> {
    let close = if bytes[i] == b'{' { b'}' } else { b']' };
    let mut j = i + 1;
    if bytes.get(j) == Some(&close) {
        return Some(j + 1);
    }
    loop {
        if close == b'}' {
            j = skip_string(bytes, j)?;
            if bytes.get(j) != Some(&b':') {
                return None;
            }
            j += 1;
        }
        j = skip_value(bytes, j)?;
        match *bytes.get(j)? {
            b',' => j += 1,
            c if c == close => return Some(j + 1),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::KeyValue;
    use crate::apiserver::codec;
    use serde_json::json;

    /// What decoding and re-encoding gives: the path `splice` must match byte for byte.
    fn slow(stored: &[u8], revision: i64) -> Vec<u8> {
        let kv = KeyValue {
            key: b"/registry/pods/default/x".to_vec(),
            value: stored.to_vec(),
            mod_revision: revision,
            ..Default::default()
        };
        let obj = codec::strip_type(codec::decode(&kv).expect("decode"));
        serde_json::to_vec(&obj).expect("encode")
    }

    fn fast(stored: &[u8], revision: i64) -> Option<Vec<u8>> {
        let mut out = b"prefix".to_vec();
        let done = splice(stored, revision, &mut out);
        match done {
            Some(()) => Some(out[6..].to_vec()),
            None => {
                assert_eq!(out, b"prefix", "a refused splice leaves the output alone");
                None
            }
        }
    }

    #[test]
    fn matches_decode_and_encode() {
        let objects = [
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "a", "namespace": "default", "uid": "u-1",
                    "creationTimestamp": "2024-01-01T00:00:00Z", "labels": {"app": "x"}},
                "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}]}],
                    "priority": 0, "terminationGracePeriodSeconds": -30, "enableServiceLinks": true},
                "status": {"phase": "Pending", "conditions": [], "hostIP": null}}),
            json!({"kind": "ConfigMap", "metadata": {"labels": {"a": "b"}}, "data": {"k": "q\"uo\\te\n\t\u{1}é"}}),
            json!({"metadata": {}, "apiVersion": "v1"}),
            json!({"metadata": {"generateName": "g-", "annotations": {}}}),
            json!({"metadata": {"name": "n", "resourceVersion": "5", "generation": 2}}),
            json!({"spec": {"x": [[], {}, [1, -2, {"y": [null, false]}]]}}),
            json!({"metadata": null, "kind": "Weird"}),
            json!({}),
        ];
        for obj in objects {
            let stored = codec::encode(&obj).expect("encode");
            assert_eq!(
                fast(&stored, 42).as_deref().map(String::from_utf8_lossy),
                Some(String::from_utf8_lossy(&slow(&stored, 42))),
                "{obj}"
            );
        }
    }

    #[test]
    fn long_strings_with_specials_anywhere() {
        // Specials at every offset of an eight-byte word, and bytes above 0x7f.
        for at in 0..17 {
            for special in ["\"", "\\", "\n", "\u{1f}", "é", "\u{7f}"] {
                let text = format!("{}{special}{}", "a".repeat(at), "b".repeat(9));
                let stored = codec::encode(&json!({"metadata": {"name": text}})).expect("encode");
                assert_eq!(fast(&stored, 1), Some(slow(&stored, 1)), "{text:?}");
            }
        }
    }

    #[test]
    fn refuses_what_only_decoding_can_tell() {
        for stored in [
            r#"{"metadata": {"name":"a"}}"#,
            r#"{"a":1.5}"#,
            r#"{"a":1e3}"#,
            r#"{"a":007}"#,
            r#"{"a":-0}"#,
            r#"{"a":"\/"}"#,
            r#"{"a":"\u0041"}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"metadata":{"name":"a","name":"b"}}"#,
            r#"["not","an","object"]"#,
            r#""text""#,
            r#"{"a":1}x"#,
            r#"{"a":"unterminated}"#,
            r#"{"a":[1,2}"#,
            "",
        ] {
            assert_eq!(fast(stored.as_bytes(), 7), None, "{stored}");
        }
    }
}
