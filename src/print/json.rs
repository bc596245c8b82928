//! `kubectl -o json`: Go's `encoding/json` output for an unstructured object, indented by four
//! spaces, keys sorted (byte order), a trailing newline. Strings are escaped as Go does:
//! `<`, `>`, `&`, U+2028 and U+2029 as `\u003c`..., control characters as `\n`, `\t`, `\r`,
//! `\b`, `\f` or `\u00XX`. Numbers as Go prints an int64 or a float64 (`1e+21`, `1e-7`).
//! Also the compact form (`to_json_compact`) that jsonpath prints for maps and lists.

use serde_json::{Number, Value};

/// Render `v` exactly as `kubectl -o json` does (with the trailing newline).
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, Some(0), true, &mut out);
    out.push('\n');
    out
}

/// `to_json` with the keys in the order `v` holds them: a typed Go object prints in its
/// fields' order (lists kubectl decodes into Go structs, such as `events`, and objects it
/// builds itself, such as `run`'s and the generators' client dry runs).
pub fn to_json_in_order(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, Some(0), false, &mut out);
    out.push('\n');
    out
}

/// Go's `json.Marshal` of a typed object kubectl built: compact, keys in `v`'s order.
pub fn to_json_compact_in_order(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, None, false, &mut out);
    out
}

/// Go's `json.Marshal`: compact, keys sorted, no trailing newline.
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, None, true, &mut out);
    out
}

/// `indent`: current depth for pretty output, `None` for compact.
fn write_value(v: &Value, indent: Option<usize>, sorted: bool, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent.map(|d| d + 1), out);
                write_value(item, indent.map(|d| d + 1), sorted, out);
            }
            newline(indent, out);
            out.push(']');
        }
        Value::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            if sorted {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (k, val)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent.map(|d| d + 1), out);
                write_string(k, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_value(val, indent.map(|d| d + 1), sorted, out);
            }
            newline(indent, out);
            out.push('}');
        }
    }
}

fn newline(indent: Option<usize>, out: &mut String) {
    if let Some(d) = indent {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', d * 4));
    }
}

/// A JSON string with Go's (HTML-safe) escaping, as kubectl 1.32 writes it.
pub fn write_string(s: &str, out: &mut String) {
    crate::go::write_json_string(s, crate::go::JsonEscapes::Go122, out);
}

/// A JSON number as kubectl prints it: integers that fit int64 as such, anything else as a
/// Go float64.
pub fn go_number(n: &Number) -> String {
    match n.as_i64() {
        Some(i) => i.to_string(),
        None => go_float(n.as_f64().unwrap_or(0.0)),
    }
}

/// Go's `encoding/json` float64 text: `%f`-style shortest digits, exponent form outside
/// [1e-6, 1e21) with a one-digit negative exponent kept short (`1e-7`, `1e+21`).
pub fn go_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let e = go_format_e(f);
        // Go trims "e-07" to "e-7" (only for negative exponents).
        if let Some(pos) = e.find("e-0") {
            let mut s = e.clone();
            s.remove(pos + 2);
            return s;
        }
        return e;
    }
    format!("{}", f)
}

/// Go's `strconv.FormatFloat(f, 'e', -1, 64)`: shortest digits, exponent sign and at least two
/// exponent digits.
pub fn go_format_e(f: f64) -> String {
    let sci = format!("{:e}", f);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{}e{}{:02}", mantissa, sign, exp.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pretty_sorted_four_spaces() {
        let v = json!({"b": [1, {}], "a": {"y": [], "x": null}});
        assert_eq!(
            to_json(&v),
            "{\n    \"a\": {\n        \"x\": null,\n        \"y\": []\n    },\n    \"b\": [\n        1,\n        {}\n    ]\n}\n"
        );
        assert_eq!(
            to_json_compact(&v),
            "{\"a\":{\"x\":null,\"y\":[]},\"b\":[1,{}]}"
        );
    }

    #[test]
    fn go_escaping() {
        let v = json!("<a&b> \u{1}\u{8}\u{c}\t\n\"\\ \u{2028} \u{7f} é");
        assert_eq!(
            to_json_compact(&v),
            "\"\\u003ca\\u0026b\\u003e \\u0001\\b\\f\\t\\n\\\"\\\\ \\u2028 \u{7f} é\""
        );
    }

    #[test]
    fn go_numbers() {
        let v: Value = serde_json::from_str(
            "[1, 1.5, 1e21, 1e-7, 3.0, 1e20, -0.0, 12345678901234567890, 0.000001]",
        )
        .unwrap();
        assert_eq!(
            to_json_compact(&v),
            "[1,1.5,1e+21,1e-7,3,100000000000000000000,-0,12345678901234567000,0.000001]"
        );
    }
}
