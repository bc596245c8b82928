//! Byte encodings etcdctl prints: base64 (JSON output), `\x..` hex (`--hex`), Go's `%q`
//! quoting (fields output) and Go's JSON string escaping.

use base64::Engine;

/// Standard base64 with padding, as Go's encoding/json writes `[]byte`.
pub fn base64(data: &[u8]) -> String {
    crate::go::base64::STD.encode(data)
}

/// Decodes standard base64 (padding optional). None on a character outside the alphabet.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    crate::go::base64::LENIENT.decode(text).ok()
}

/// `--hex`: every byte as `\xNN`, lower case.
pub fn hex_escaped(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() * 4);
    for b in data {
        out.push_str(&format!("\\x{b:02x}"));
    }
    out
}

/// Go's `%q` of a byte string.
pub use crate::go::quote_bytes as go_quote;

/// A JSON string as Go's encoding/json writes it in etcdctl 3.4, built with an older Go
/// than kubectl 1.32: `\b` and `\f` as `\u0008` and `\u000c`.
pub fn go_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    crate::go::write_json_string(s, crate::go::JsonEscapes::Older, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_pads() {
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"k1"), "azE=");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b""), "");
        for s in [&b""[..], b"a", b"ab", b"abc", b"\xff\x00\x10hello"] {
            assert_eq!(base64_decode(&base64(s)).as_deref(), Some(s));
        }
        assert_eq!(base64_decode("a*"), None);
    }

    #[test]
    fn quoting_matches_go() {
        assert_eq!(hex_escaped(b"k1"), "\\x6b\\x31");
        assert_eq!(go_quote(b"a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(go_quote(b"\xff\x01z"), "\"\\xff\\x01z\"");
        assert_eq!(go_quote("한".as_bytes()), "\"한\"");
        assert_eq!(
            go_json_string("<a&\u{1}>"),
            "\"\\u003ca\\u0026\\u0001\\u003e\""
        );
    }
}
