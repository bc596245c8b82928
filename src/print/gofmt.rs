//! Go's `fmt` renderings of decoded JSON values (`map[string]interface{}`, `[]interface{}`,
//! `string`, `int64`, `float64`, `bool`, `nil`), as kubectl prints them in custom-columns
//! (`%v`: `map[a:b c:d]`, `[a b]`, `<nil>`) and in jsonpath error messages (`%#v`, `%q`).

use serde_json::{Number, Value};

/// How one of Go's verbs writes the decoded JSON types.
struct Verb {
    nil: &'static str,
    /// Strings (and map keys) quoted, as `%#v` does; `%v` writes them bare.
    quoted: bool,
    slice_open: &'static str,
    map_open: &'static str,
    separator: &'static str,
    close: char,
}

/// `%v`: `map[a:1 b:[x <nil>]]`.
const PLAIN: Verb = Verb {
    nil: "<nil>",
    quoted: false,
    slice_open: "[",
    map_open: "map[",
    separator: " ",
    close: ']',
};

/// `%#v`: `map[string]interface {}{"a":1, "b":[]interface {}{"x", interface {}(nil)}}`.
const GO_SYNTAX: Verb = Verb {
    nil: "interface {}(nil)",
    quoted: true,
    slice_open: "[]interface {}{",
    map_open: "map[string]interface {}{",
    separator: ", ",
    close: '}',
};

/// Go's `%v` of a decoded JSON value.
pub fn fmt_v(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, &PLAIN, &mut out);
    out
}

/// A JSON number as Go's `%v` prints the int64 or float64 kubectl decodes it to.
pub fn number_v(n: &Number) -> String {
    match n.as_i64() {
        Some(i) => i.to_string(),
        None => float_v(n.as_f64().unwrap_or(0.0)),
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`).
pub fn float_v(f: f64) -> String {
    super::yaml::go_format_g(f)
}

/// Go's `%#v` of a decoded JSON value: `map[string]interface {}{"a":1, "b":[]interface {}{"x"}}`.
pub fn fmt_sharp_v(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, &GO_SYNTAX, &mut out);
    out
}

/// Writes `v` as `verb` does, map keys sorted as Go's fmt sorts them.
fn write_value(v: &Value, verb: &Verb, out: &mut String) {
    let text = |s: &str, out: &mut String| {
        if verb.quoted {
            out.push_str(&quote(s));
        } else {
            out.push_str(s);
        }
    };
    match v {
        Value::Null => out.push_str(verb.nil),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_v(n)),
        Value::String(s) => text(s, out),
        Value::Array(items) => {
            out.push_str(verb.slice_open);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(verb.separator);
                }
                write_value(item, verb, out);
            }
            out.push(verb.close);
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push_str(verb.map_open);
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(verb.separator);
                }
                text(k, out);
                out.push(':');
                write_value(&m[k.as_str()], verb, out);
            }
            out.push(verb.close);
        }
    }
}

pub use crate::go::{is_print, quote};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn percent_v() {
        let v = json!({"b": [1, "x", null, {"z": true}], "a": 1.5, "c": {}});
        assert_eq!(fmt_v(&v), "map[a:1.5 b:[1 x <nil> map[z:true]] c:map[]]");
    }

    #[test]
    fn percent_sharp_v() {
        let v = json!({"b": [1, "x\t", null], "a": {}});
        assert_eq!(
            fmt_sharp_v(&v),
            "map[string]interface {}{\"a\":map[string]interface {}{}, \"b\":[]interface {}{1, \"x\\t\", interface {}(nil)}}"
        );
    }

    #[test]
    fn go_quote() {
        assert_eq!(
            quote("a\"b\\\u{1}é😀\u{a0}"),
            "\"a\\\"b\\\\\\x01é😀\\u00a0\""
        );
    }
}
