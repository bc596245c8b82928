//! Go's `encoding/json` strings: HTML-safe (`<`, `>`, `&` and U+2028/U+2029 escaped too).
//! Which Go wrote them shows in two control characters: Go 1.22 and later (kubectl 1.32)
//! write `\b` and `\f` short, older ones (etcdctl 3.4) as `\u0008` and `\u000c`.

/// Which encoder's escapes to write.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum JsonEscapes {
    /// Go 1.22 and later: `\b` and `\f`.
    Go122,
    /// Older Go: every control character but `\n`, `\r` and `\t` as `\u00XX`.
    Older,
}

/// Appends `s` to `out` as a quoted JSON string.
pub fn write_json_string(s: &str, escapes: JsonEscapes, out: &mut String) {
    let short = escapes == JsonEscapes::Go122;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' if short => out.push_str("\\b"),
            '\u{0c}' if short => out.push_str("\\f"),
            c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
