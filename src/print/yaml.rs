//! `kubectl -o yaml`: the bytes sigs.k8s.io/yaml (go-yaml v2 underneath) writes for a JSON value.
//!
//! kubectl serialises the object to JSON, parses that JSON with go-yaml v2 and marshals the
//! result. What that means for the output, reproduced here:
//! - map keys sorted with go-yaml's "natural" order (non-letters before letters, digit runs
//!   compared as numbers), block style, 2-space indent, sequences inside maps not indented;
//! - empty maps/lists as `{}` / `[]`;
//! - a string that would read back as something else (`"true"`, `"1"`, `""`, timestamps,
//!   `"1:20"`, ...) is double-quoted; strings with a newline become literal blocks when libyaml
//!   allows it; indicator characters force single quotes; non-printable characters force
//!   double quotes with escapes;
//! - long plain and quoted scalars are folded at spaces once the line passes 80 columns
//!   (go-yaml v2 keeps libyaml's best_width of 80; the reference outputs show this folding);
//! - numbers go through Go's JSON float formatting and back through YAML number resolution.
//!
//! The emitter below mirrors libyaml's emitter state (column, whitespace, indention, indent
//! stack) because the exact placement of breaks depends on it.

use serde_json::{Map, Number, Value};

use super::yaml_scalar::{
    ScalarAnalysis, Style, analyze, is_break_at, is_printable_at, requested_style,
};

const BEST_WIDTH: usize = 80;
const BEST_INDENT: isize = 2;

/// Render `v` exactly as `kubectl -o yaml` does (trailing newline included).
///
/// Strings containing characters go-yaml's reader rejects (C1 controls, U+007F, U+FFFE,
/// U+FFFF) make kubectl fail instead; `try_to_yaml` reports that, this function emits anyway.
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter::new();
    e.emit_node(v, Ctx::ROOT);
    e.write_indent();
    e.out
}

/// Like `to_yaml`, but fails the way kubectl does (`yaml: control characters are not allowed`)
/// when a string holds a character go-yaml cannot read back.
pub fn try_to_yaml(v: &Value) -> Result<String, String> {
    if has_forbidden_chars(v) {
        return Err("yaml: control characters are not allowed".to_string());
    }
    Ok(to_yaml(v))
}

fn has_forbidden_chars(v: &Value) -> bool {
    let bad = |s: &str| {
        s.chars().any(|c| {
            matches!(c, '\u{7f}' | '\u{fffe}' | '\u{ffff}')
                || (('\u{80}'..='\u{9f}').contains(&c) && c != '\u{85}')
        })
    };
    match v {
        Value::String(s) => bad(s),
        Value::Array(a) => a.iter().any(has_forbidden_chars),
        Value::Object(m) => m.iter().any(|(k, v)| bad(k) || has_forbidden_chars(v)),
        _ => false,
    }
}

/// A raw U+0085 (NEL) survives Go's JSON encoding, and go-yaml's reader folds it like a line
/// break inside the double-quoted JSON string. Reproduce that folding.
fn fold_nel(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\u{85}') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != ' ' && c != '\u{85}' {
            out.push(c);
            continue;
        }
        // A run of blanks and breaks.
        let mut spaces = String::new();
        let mut breaks = 0usize;
        let mut cur = Some(c);
        while let Some(ch) = cur {
            if ch == ' ' {
                if breaks == 0 {
                    spaces.push(ch);
                }
            } else {
                breaks += 1;
            }
            cur = match chars.peek() {
                Some(&n) if n == ' ' || n == '\u{85}' => chars.next(),
                _ => None,
            };
        }
        if breaks == 0 {
            out.push_str(&spaces);
        } else if breaks == 1 {
            out.push(' ');
        } else {
            out.extend(std::iter::repeat_n('\n', breaks - 1));
        }
    }
    std::borrow::Cow::Owned(out)
}

#[derive(Clone, Copy)]
struct Ctx {
    root: bool,
    sequence: bool,
    mapping: bool,
    simple_key: bool,
}

impl Ctx {
    /// No flag set; each context below names the ones it sets.
    const NONE: Ctx = Ctx {
        root: false,
        sequence: false,
        mapping: false,
        simple_key: false,
    };
    const ROOT: Ctx = Ctx {
        root: true,
        ..Ctx::NONE
    };
    const SEQ_ITEM: Ctx = Ctx {
        sequence: true,
        ..Ctx::NONE
    };
    const MAP_VALUE: Ctx = Ctx {
        mapping: true,
        ..Ctx::NONE
    };
    const SIMPLE_KEY: Ctx = Ctx {
        mapping: true,
        simple_key: true,
        ..Ctx::NONE
    };
}

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: isize,
    indents: Vec<isize>,
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            whitespace: true,
            indention: true,
            indent: -1,
            indents: Vec::new(),
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        ind: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn emit_node(&mut self, v: &Value, ctx: Ctx) {
        match v {
            Value::Null => self.emit_scalar("null", Style::Plain, ctx),
            Value::Bool(b) => {
                self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain, ctx);
            }
            Value::Number(n) => self.emit_scalar(&yaml_number(n), Style::Plain, ctx),
            Value::String(s) => {
                let s = fold_nel(s);
                self.emit_scalar(&s, requested_style(&s), ctx);
            }
            Value::Array(items) if items.is_empty() => self.emit_empty_flow("[", "]"),
            Value::Object(m) if m.is_empty() => self.emit_empty_flow("{", "}"),
            Value::Array(items) => self.emit_block_sequence(items, ctx),
            Value::Object(m) => self.emit_block_mapping(m),
        }
    }

    fn emit_empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_sequence(&mut self, items: &[Value], ctx: Ctx) {
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(item, Ctx::SEQ_ITEM);
        }
        self.pop_indent();
    }

    fn emit_block_mapping(&mut self, m: &Map<String, Value>) {
        self.increase_indent(false, false);
        let mut entries: Vec<(&String, &Value)> = m.iter().collect();
        sort_keys(&mut entries);
        for (k, v) in entries {
            self.write_indent();
            let key = fold_nel(k);
            let analysis = analyze(&key);
            if !analysis.multiline && key.len() <= 128 {
                self.emit_analyzed(&key, &analysis, requested_style(&key), Ctx::SIMPLE_KEY);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_analyzed(&key, &analysis, requested_style(&key), Ctx::MAP_VALUE);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(v, Ctx::MAP_VALUE);
        }
        self.pop_indent();
    }

    fn emit_scalar(&mut self, text: &str, requested: Style, ctx: Ctx) {
        let analysis = analyze(text);
        self.emit_analyzed(text, &analysis, requested, ctx);
    }

    fn emit_analyzed(&mut self, text: &str, a: &ScalarAnalysis, requested: Style, ctx: Ctx) {
        let _ = (ctx.root, ctx.sequence);
        let style = select_style(text, a, requested, ctx.simple_key);
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(text, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(text, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(text, allow_breaks),
            Style::Literal => self.write_literal(text),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        self.write_foldable(text, allow_breaks, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// The text of a plain or single-quoted scalar, which fold alike: a space past the best
    /// width may become a line break (in a quoted scalar, not its first or last character),
    /// and a line break is written twice, as folding reads it back. A quoted scalar
    /// doubles its quotes.
    fn write_foldable(&mut self, text: &str, allow_breaks: bool, quoted: bool) {
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        let n = chars.len();
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                let at_edge = quoted && (i == 0 || i + 1 == n);
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !at_edge && !next_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break_char(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if quoted && c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_single_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        self.write_foldable(text, allow_breaks, true);
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let bytes = text.as_bytes();
        // go-yaml's BOM test looks at the start of the string, not the current character, so
        // a leading BOM escapes every character.
        let starts_with_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
        let mut spaces = false;
        let mut i = 0;
        while i < bytes.len() {
            let c = text[i..].chars().next().unwrap_or(' ');
            let w = c.len_utf8();
            let escape = !is_printable_at(bytes, i)
                || starts_with_bom
                || is_break_at(bytes, i)
                || c == '"'
                || c == '\\';
            if escape {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{07}' => self.put('a'),
                    '\u{08}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{0b}' => self.put('v'),
                    '\u{0c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = c as u32;
                        let (letter, digits) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for k in (0..digits).rev() {
                            let d = (v >> (k * 4)) & 0xF;
                            self.put(char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != bytes.len() - 1
                {
                    self.write_indent();
                    if bytes.get(i + 1) == Some(&b' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
            i += w;
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, text: &str) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: explicit indentation when the text starts with a space or break,
        // chomping from the trailing breaks.
        let first = text.chars().next();
        if matches!(first, Some(c) if c == ' ' || is_break_char(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let mut rev = text.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break_char(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(prev)) if is_break_char(prev) => Some("+"),
            _ => None,
        };
        if let Some(ch) = chomp {
            self.write_indicator(ch, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in text.chars() {
            if is_break_char(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

fn is_break_char(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's choice among the requested style and what the text allows (block context only:
/// kubectl's output never has a scalar inside a flow collection).
fn select_style(text: &str, a: &ScalarAnalysis, requested: Style, simple_key: bool) -> Style {
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (text.is_empty() && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !a.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

/// Insertion sort with go-yaml's comparison (Go's `sort.Sort` for up to 12 keys). The
/// comparison is not a total order for some digit/zero mixes, so std's sorts (which may panic
/// on that) are not used.
fn sort_keys(entries: &mut [(&String, &Value)]) {
    for i in 1..entries.len() {
        let mut j = i;
        while j > 0 && natural_less(entries[j].0, entries[j - 1].0) {
            entries.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// go-yaml's map key order: compares rune by rune; letters sort after non-letters, runs of
/// digits compare by numeric value.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    if natural_less(a, b) {
        Ordering::Less
    } else if natural_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn natural_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let common = ar.len().min(br.len());
    for i in 0..common {
        if ar[i] == br[i] {
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        // Both non-letters: compare the digit runs starting here as numbers. A run starting
        // with '0' right after nonzero digits counts as continuing that number.
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_numeric() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_numeric() {
            an = an.wrapping_mul(10).wrapping_add(digit_value(ar[ai]));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_numeric() {
            bn = bn.wrapping_mul(10).wrapping_add(digit_value(br[bi]));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

fn digit_value(c: char) -> i64 {
    (c as i64).wrapping_sub('0' as i64)
}

/// A JSON number as go-yaml prints it after reading kubectl's JSON back.
fn yaml_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let text = super::json::go_float(f);
    // go-yaml resolves the JSON text again: integers stay integers.
    if let Ok(i) = text.parse::<i64>() {
        return i.to_string();
    }
    if let Ok(u) = text.parse::<u64>() {
        return u.to_string();
    }
    go_format_g(f)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
pub fn go_format_g(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{:e}", f); // shortest digits, e.g. "1.2345e8"
    let exp: i32 = sci
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if !(-4..6).contains(&exp) {
        return super::json::go_format_e(f);
    }
    format!("{}", f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quoting_rules() {
        let v = json!({"a": "true", "b": "hello world: x", "e": "", "t": "2026-11-29T01:00:07Z",
            "tab": "a\tb", "emoji": "😀", "n": "1:20", "oct": "0755", "f": "1e3", "bad": "1e400",
            "dot": ".5", "dash": "- x", "q": "it's", "key: x": "v", "nul": "null", "tilde": "~",
            "y": "y", "on": "on", "plain": "-c", "x01": "\u{1}"});
        let expected = "a: \"true\"\nb: 'hello world: x'\nbad: 1e400\ndash: '- x'\ndot: \".5\"\ne: \"\"\nemoji: \"\\U0001F600\"\nf: \"1e3\"\n'key: x': v\n\"n\": \"1:20\"\nnul: \"null\"\noct: \"0755\"\n\"on\": \"on\"\nplain: -c\nq: it's\nt: \"2026-11-29T01:00:07Z\"\ntab: \"a\\tb\"\ntilde: \"~\"\nx01: \"\\x01\"\n\"y\": \"y\"\n";
        assert_eq!(to_yaml(&v), expected);
    }

    #[test]
    fn literal_blocks_and_chomping() {
        let v = json!({"c": "line1\nline2\n", "d": "a\nb", "k": "ab\n\n", "l": "  lead\nx"});
        assert_eq!(
            to_yaml(&v),
            "c: |\n  line1\n  line2\nd: |-\n  a\n  b\nk: |+\n  ab\n\nl: |2-\n    lead\n  x\n"
        );
    }

    #[test]
    fn folding_long_strings() {
        let long = "word ".repeat(30);
        let v = json!({ "long": long });
        let expected = "long: 'word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word word '\n";
        assert_eq!(to_yaml(&v), expected);
    }

    #[test]
    fn numbers_like_go() {
        let v: Value = serde_json::from_str(
            "[1, 1.5, 1e21, 1e-7, 123456789.5, 3.0, 1e20, -0.0, 12345678901234567890]",
        )
        .unwrap();
        assert_eq!(
            to_yaml(&v),
            "- 1\n- 1.5\n- 1e+21\n- 1e-07\n- 1.234567895e+08\n- 3\n- 1e+20\n- 0\n- 12345678901234567000\n"
        );
    }

    #[test]
    fn nesting_and_empty_collections() {
        let v = json!({"s": [{"a": 1, "b": [1, [2, 3]]}, {}], "e": [], "m": {"x": {}}});
        assert_eq!(
            to_yaml(&v),
            "e: []\nm:\n  x: {}\ns:\n- a: 1\n  b:\n  - 1\n  - - 2\n    - 3\n- {}\n"
        );
    }

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["a10", "a9", "B", "_x", "a-b", "ab", "a"];
        keys.sort_by(|a, b| natural_cmp(a, b));
        let mut entries: Vec<(&String, &Value)> = Vec::new();
        let owned: Vec<String> = vec!["x009".into(), "x9".into(), "a00".into(), "a0".into()];
        let nul = Value::Null;
        for k in &owned {
            entries.push((k, &nul));
        }
        sort_keys(&mut entries);
        assert_eq!(keys, vec!["_x", "B", "a", "a-b", "a9", "a10", "ab"]);
    }

    #[test]
    fn odd_characters() {
        let v =
            json!({"bom": "\u{feff}x", "ls": "a\u{2028}b", "nel": "a\u{85}b", "nbsp": "a\u{a0}b"});
        assert_eq!(
            to_yaml(&v),
            "bom: \"\\uFEFF\\x78\"\nls: 'a\u{2028}  b'\nnbsp: a\u{a0}b\nnel: a b\n"
        );
        assert!(try_to_yaml(&json!({"x": "a\u{90}"})).is_err());
    }

    #[test]
    fn go_g_format() {
        assert_eq!(go_format_g(0.5), "0.5");
        assert_eq!(go_format_g(100000.5), "100000.5");
        assert_eq!(go_format_g(1234567.5), "1.2345675e+06");
        assert_eq!(go_format_g(0.0001), "0.0001");
        assert_eq!(go_format_g(0.00001), "1e-05");
    }
}
