//! Go's `fmt` renderings of decoded JSON values (`map[string]interface{}`, `[]interface{}`,
//! `string`, `int64`, `float64`, `bool`, `nil`), as kubectl prints them in custom-columns
//! (`%v`: `map[a:b c:d]`, `[a b]`, `<nil>`) and in jsonpath error messages (`%#v`, `%q`).

use serde_json::{Number, Value};

/// Go's `%v` of a decoded JSON value.
pub fn fmt_v(v: &Value) -> String {
    let mut out = String::new();
    write_v(v, &mut out);
    out
}

fn write_v(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_v(n)),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push_str("map[");
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v(&m[k.as_str()], out);
            }
            out.push(']');
        }
    }
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
    write_sharp_v(v, &mut out);
    out
}

fn write_sharp_v(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("interface {}(nil)"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_v(n)),
        Value::String(s) => out.push_str(&quote(s)),
        Value::Array(items) => {
            out.push_str("[]interface {}{");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_sharp_v(item, out);
            }
            out.push('}');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push_str("map[string]interface {}{");
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(k));
                out.push(':');
                write_sharp_v(&m[k.as_str()], out);
            }
            out.push('}');
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
