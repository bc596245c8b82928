//! Value validation of custom objects as kube-openapi's schema validator does it for the
//! apiextensions-apiserver (types, nullable, formats, enum, bounds, lengths, items, required,
//! additionalProperties, allOf/anyOf/oneOf/not), with its messages turned into field errors
//! the way kube's `kubeOpenAPIResultToFieldErrors` does. Paths are kube-openapi's: `spec.a`,
//! `spec.list[0].b`, `spec.map.key`.

use super::formats;
use super::node::Node;
use crate::api::validation::ErrorType;
use crate::api::validation::FieldError;
use serde_json::Value;

/// Errors of one validation; `root` errors (a path of `""`) print as kube's nil path does.
pub fn validate(node: &Node, value: &Value, path: &str, out: &mut Vec<FieldError>) {
    validate_at(node, value, path, out, 0);
}

fn field_of(path: &str) -> String {
    if path.is_empty() {
        "<nil>".to_string()
    } else {
        path.to_string()
    }
}

/// The JSON type name kube-openapi reports for a value.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Go's `%v` of a float64 (`10`, `1.5`, `1e+06`).
pub fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    let e = format!("{f:e}"); // shortest digits: "1.5e0", "-1.23e8"
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    // strconv's shortest %g switches to an exponent below 1e-4 and from 1e6 on.
    if !(-4..6).contains(&exp) {
        return go_exp(mant, exp);
    }
    format!("{f}")
}

fn go_exp(mant: &str, exp: i32) -> String {
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}e{sign}{:02}", exp.abs())
}

fn msg(path: &str, rest: &str) -> String {
    format!("{path} in body {rest}")
}

fn type_error(path: &str, types: &str, received: &str) -> FieldError {
    let mut e = FieldError::invalid(
        &field_of(path),
        Value::String(received.to_string()),
        &msg(
            path,
            &format!("must be of type {types}: {}", go_q(received)),
        ),
    );
    e.error_type = ErrorType::TypeInvalid;
    e
}

fn go_q(s: &str) -> String {
    crate::api::validation::go_quote(s)
}

fn invalid(path: &str, value: Value, detail: String) -> FieldError {
    with_go_value(FieldError::invalid(&field_of(path), value, &detail))
}

/// Gives composite bad values Go's `%#v` form, as kube prints decoded JSON.
pub fn with_go_value(mut e: FieldError) -> FieldError {
    if let Some(v @ (Value::Object(_) | Value::Array(_))) = &e.bad_value {
        e.value_repr = Some(go_sharp(v));
    }
    e
}

/// Go's `%#v` of decoded JSON (`map[string]interface {}{"a":1}`, `[]interface {}{"x"}`).
pub fn go_sharp(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => go_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => go_q(s),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(go_sharp).collect();
            format!("[]interface {{}}{{{}}}", items.join(", "))
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let items: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", go_q(k), go_sharp(&m[*k])))
                .collect();
            format!("map[string]interface {{}}{{{}}}", items.join(", "))
        }
    }
}

fn too_many(path: &str, actual: usize, max: i64) -> FieldError {
    let mut e = FieldError::invalid(
        &field_of(path),
        Value::from(actual as u64),
        &format!("must have at most {max} items"),
    );
    e.error_type = ErrorType::TooMany;
    e
}

fn as_f64(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn validate_at(node: &Node, value: &Value, path: &str, out: &mut Vec<FieldError>, depth: usize) {
    if depth > super::node::MAX_DEPTH * 2 {
        return;
    }
    let types = node.types();
    if value.is_null() {
        if !types.is_empty() && !node.nullable {
            out.push(type_error(path, &types.join(","), "null"));
        }
        enum_check(node, value, path, out);
        return;
    }
    // type
    let got = type_name(value);
    if !types.is_empty() {
        let is_float_int = got == "number"
            && value.as_f64().is_some_and(|f| f.fract() == 0.0)
            && types.contains(&"integer");
        let is_int_float = got == "integer" && types.contains(&"number");
        // A format on a non-numeric type lets strings and lists through the type check.
        let format_on_text =
            !(node.format.is_empty() || types.contains(&"number") || types.contains(&"integer"))
                && matches!(value, Value::String(_) | Value::Array(_));
        if !(format_on_text || types.contains(&got) || is_float_int || is_int_float) {
            out.push(type_error(path, &types.join(","), got));
        }
    }
    // allOf / anyOf / oneOf / not
    junctors(node, value, path, out, depth);
    match value {
        Value::String(s) => strings(node, s, value, path, out),
        Value::Number(_) => numbers(node, value, path, out),
        Value::Array(items) => {
            if let Some(item) = &node.items {
                for (i, x) in items.iter().enumerate() {
                    validate_at(item, x, &format!("{path}[{i}]"), out, depth + 1);
                }
            }
            if let Some(min) = node.min_items
                && (items.len() as i64) < min
            {
                out.push(invalid(
                    path,
                    Value::from(items.len() as u64),
                    msg(path, &format!("should have at least {min} items")),
                ));
            }
            if let Some(max) = node.max_items
                && items.len() as i64 > max
            {
                out.push(too_many(path, items.len(), max));
            }
        }
        _ => {}
    }
    enum_check(node, value, path, out);
    if let Value::Object(m) = value {
        if let Some(min) = node.min_properties
            && (m.len() as i64) < min
        {
            out.push(invalid(
                path,
                Value::from(m.len() as u64),
                msg(path, &format!("should have at least {min} properties")),
            ));
        }
        if let Some(max) = node.max_properties
            && m.len() as i64 > max
        {
            out.push(too_many(path, m.len(), max));
        }
        for r in &node.required {
            if !m.contains_key(r) {
                out.push(FieldError::required(&super::node::child(path, r), ""));
            }
        }
        // kube walks a Go map here (its order varies run to run); sorted names give one
        // order, whatever order the object's fields came in.
        let mut fields: Vec<(&String, &Value)> = m.iter().collect();
        fields.sort_by(|a, b| a.0.cmp(b.0));
        for (k, x) in fields {
            let sub = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if let Some(p) = node.properties.get(k) {
                validate_at(p, x, &sub, out, depth + 1);
            } else if let Some(a) = &node.additional {
                validate_at(a, x, &sub, out, depth + 1);
            }
        }
    }
}

fn strings(node: &Node, s: &str, value: &Value, path: &str, out: &mut Vec<FieldError>) {
    let chars = s.chars().count() as i64;
    if let Some(max) = node.max_length
        && chars > max
    {
        // 1.32's TooLong says "bytes" whatever the number, and counts characters here.
        let mut e = FieldError::too_long(&field_of(path), 2);
        e.detail = format!("may not be more than {max} bytes");
        out.push(e);
    }
    if let Some(min) = node.min_length
        && chars < min
    {
        out.push(invalid(
            path,
            value.clone(),
            msg(path, &format!("should be at least {min} chars long")),
        ));
    }
    if let Some((p, re)) = &node.pattern {
        let ok = re.as_ref().is_some_and(|re| re.is_match(s));
        if !ok {
            out.push(invalid(
                path,
                value.clone(),
                msg(path, &format!("should match '{p}'")),
            ));
        }
    }
    if !node.format.is_empty()
        && let Some(false) = formats::check(&node.format, s)
    {
        let mut e = invalid(
            path,
            value.clone(),
            msg(
                path,
                &format!("must be of type {}: {}", node.format, go_q(s)),
            ),
        );
        e.error_type = ErrorType::TypeInvalid;
        out.push(e);
    }
}

fn numbers(node: &Node, value: &Value, path: &str, out: &mut Vec<FieldError>) {
    let Some(v) = as_f64(value) else { return };
    if let Some(m) = node.multiple_of
        && m > 0.0
    {
        let q = if m < 1.0 { v * (1.0 / m) } else { v / m };
        if q.fract() != 0.0 {
            out.push(invalid(
                path,
                value.clone(),
                msg(path, &format!("should be a multiple of {}", go_float(m))),
            ));
        }
    }
    if let Some(min) = node.minimum {
        let bad = if node.exclusive_minimum {
            v <= min
        } else {
            v < min
        };
        if bad {
            let word = if node.exclusive_minimum {
                "greater than"
            } else {
                "greater than or equal to"
            };
            out.push(invalid(
                path,
                value.clone(),
                msg(path, &format!("should be {word} {}", go_float(min))),
            ));
        }
    }
    if let Some(max) = node.maximum {
        let bad = if node.exclusive_maximum {
            v >= max
        } else {
            v > max
        };
        if bad {
            let word = if node.exclusive_maximum {
                "less than"
            } else {
                "less than or equal to"
            };
            out.push(invalid(
                path,
                value.clone(),
                msg(path, &format!("should be {word} {}", go_float(max))),
            ));
        }
    }
}

fn enum_check(node: &Node, value: &Value, path: &str, out: &mut Vec<FieldError>) {
    let Some(allowed) = &node.enum_ else { return };
    if allowed.is_empty() || allowed.iter().any(|a| json_equal(a, value)) {
        return;
    }
    let names: Vec<String> = allowed
        .iter()
        .map(|a| match a {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    out.push(FieldError::not_supported(
        &field_of(path),
        value.clone(),
        &refs,
    ));
}

/// Equality as Go's DeepEqual sees decoded JSON: 1 and 1.0 are different kinds there, but
/// kube decodes both integral forms to int64, so compare numbers by value.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| json_equal(p, q)))
        }
        _ => a == b,
    }
}

/// kube-openapi reports failed junctors as plain errors, which kube turns into
/// `field.Invalid(nil, "", message)`: a `<nil>` field and an empty value.
fn junction_error(message: String) -> FieldError {
    FieldError::invalid("<nil>", Value::String(String::new()), &message)
}

fn junctors(node: &Node, value: &Value, path: &str, out: &mut Vec<FieldError>, depth: usize) {
    let run = |n: &Node| {
        let mut e = Vec::new();
        validate_at(n, value, path, &mut e, depth + 1);
        e
    };
    if !node.any_of.is_empty() {
        let results: Vec<Vec<FieldError>> = node.any_of.iter().map(run).collect();
        if results.iter().all(|r| !r.is_empty()) {
            out.push(junction_error(format!(
                "{} must validate at least one schema (anyOf)",
                go_q(path)
            )));
            if let Some(best) = results.into_iter().min_by_key(Vec::len) {
                out.extend(best);
            }
        }
    }
    if !node.one_of.is_empty() {
        let results: Vec<Vec<FieldError>> = node.one_of.iter().map(run).collect();
        let valid = results.iter().filter(|r| r.is_empty()).count();
        if valid != 1 {
            let more = if valid == 0 {
                "Found none valid".to_string()
            } else {
                format!("Found {valid} valid alternatives")
            };
            out.push(junction_error(format!(
                "{} must validate one and only one schema (oneOf). {more}",
                go_q(path)
            )));
            if valid == 0
                && let Some(best) = results.into_iter().min_by_key(Vec::len)
            {
                out.extend(best);
            }
        }
    }
    if !node.all_of.is_empty() {
        let mut validated = 0;
        for n in &node.all_of {
            let r = run(n);
            if r.is_empty() {
                validated += 1;
            }
            out.extend(r);
        }
        if validated != node.all_of.len() {
            let more = if validated == 0 {
                ". None validated"
            } else {
                ""
            };
            out.push(junction_error(format!(
                "{} must validate all the schemas (allOf){more}",
                go_q(path)
            )));
        }
    }
    if let Some(n) = &node.not
        && run(n).is_empty()
    {
        out.push(junction_error(format!(
            "{} must not validate the schema (not)",
            go_q(path)
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errs(schema: Value, v: Value) -> Vec<String> {
        let n = Node::parse(&schema);
        let mut out = Vec::new();
        validate(&n, &v, "", &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn type_errors_name_the_received_type() {
        let s = json!({"type":"object","properties":{"spec":{"type":"object","properties":{
            "replicas":{"type":"integer"},"on":{"type":"boolean"}}}}});
        assert_eq!(
            errs(s.clone(), json!({"spec":{"replicas":"x","on":true}})),
            [
                r#"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#
            ]
        );
        assert!(errs(s.clone(), json!({"spec":{"replicas":3.0}})).is_empty());
        assert_eq!(
            errs(s, json!({"spec":{"replicas":null}})),
            [
                r#"spec.replicas: Invalid value: "null": spec.replicas in body must be of type integer: "null""#
            ]
        );
    }

    #[test]
    fn bounds_lengths_enum_pattern_required() {
        let s = json!({"type":"object","required":["a"],"properties":{
            "a":{"type":"integer","maximum":10,"minimum":1,"exclusiveMinimum":true,"multipleOf":2},
            "s":{"type":"string","maxLength":3,"minLength":2,"pattern":"^[a-z]+$"},
            "e":{"type":"string","enum":["x","y"]},
            "l":{"type":"array","items":{"type":"string"},"maxItems":1,"minItems":1},
            "int":{"x-kubernetes-int-or-string":true}}});
        assert_eq!(errs(s.clone(), json!({})), ["a: Required value"]);
        assert_eq!(
            errs(
                s.clone(),
                json!({"a":11,"s":"ééééé","e":"z","l":["a","b"],"int":true})
            ),
            [
                "a: Invalid value: 11: a in body should be a multiple of 2",
                "a: Invalid value: 11: a in body should be less than or equal to 10",
                "e: Unsupported value: \"z\": supported values: \"x\", \"y\"",
                "int: Invalid value: \"boolean\": int in body must be of type integer,string: \"boolean\"",
                "l: Too many: 2: must have at most 1 items",
                "s: Too long: may not be more than 3 bytes",
                "s: Invalid value: \"ééééé\": s in body should match '^[a-z]+$'",
            ]
        );
        assert_eq!(
            errs(s, json!({"a":1,"s":"a","l":[]})),
            [
                "a: Invalid value: 1: a in body should be a multiple of 2",
                "a: Invalid value: 1: a in body should be greater than 1",
                "l: Invalid value: 0: l in body should have at least 1 items",
                "s: Invalid value: \"a\": s in body should be at least 2 chars long",
            ]
        );
    }

    #[test]
    fn formats_and_nested_paths() {
        let s = json!({"type":"object","properties":{"list":{"type":"array","items":{
            "type":"object","properties":{"when":{"type":"string","format":"date"}}}},
            "m":{"type":"object","additionalProperties":{"type":"integer"}}}});
        assert_eq!(
            errs(
                s,
                json!({"list":[{"when":"2024-01-01"},{"when":"nope"}],"m":{"k":"v"}})
            ),
            [
                r#"list[1].when: Invalid value: "nope": list[1].when in body must be of type date: "nope""#,
                r#"m.k: Invalid value: "string": m.k in body must be of type integer: "string""#,
            ]
        );
    }

    #[test]
    fn junctors_report_as_kube_does() {
        let s = json!({"type":"object","properties":{"a":{"type":"string",
            "anyOf":[{"pattern":"^x"},{"pattern":"^y"}],"not":{"enum":["zz"]}}}});
        let e = errs(s.clone(), json!({"a":"q"}));
        assert_eq!(
            e[0],
            r#"<nil>: Invalid value: "": "a" must validate at least one schema (anyOf)"#
        );
        assert_eq!(
            errs(s, json!({"a":"zz"}))[0],
            r#"<nil>: Invalid value: "": "a" must validate at least one schema (anyOf)"#
        );
    }

    #[test]
    fn composite_values_print_as_go() {
        assert_eq!(
            go_sharp(&json!({"b":[1,"x"],"a":1.5})),
            r#"map[string]interface {}{"a":1.5, "b":[]interface {}{1, "x"}}"#
        );
        let e = errs(
            json!({"type":"object","properties":{"s":{"type":"string","maxLength":1}}}),
            json!({"s":"ab"}),
        );
        assert_eq!(e, ["s: Too long: may not be more than 1 bytes"]);
    }

    #[test]
    fn go_floats_print_as_go() {
        assert_eq!(go_float(10.0), "10");
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(123456.0), "123456");
        assert_eq!(go_float(0.0001), "0.0001");
        assert_eq!(go_float(0.00001), "1e-05");
    }
}
