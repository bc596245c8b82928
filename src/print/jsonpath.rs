//! kubectl's JSONPath templates (`-o jsonpath=...`, and the columns of `-o custom-columns`).
//!
//! The grammar and the evaluation follow kubectl's own dialect: text outside `{...}` is
//! printed as is; inside an action: `.field` (backslash escapes a dot), `..` (recursive
//! descent), `*`, `[i]`, `[a:b:c]` slices, `[a,b]` unions, `['key']`, filters
//! `[?(@.x=="y")]` (`==`, `!=`, `<`, `<=`, `>`, `>=`, or existence), quoted string literals
//! with Go escapes, numbers, `true`/`false`, `range` ... `end`, `@` and `$` (both the current
//! object). Missing keys print nothing (kubectl's `--allow-missing-template-keys=true`).
//!
//! Output rules: the results of one action are joined by a single space; maps and lists
//! print as compact JSON with sorted keys; other values with Go's `%v`; no newline is added.
//! Filter comparisons follow Go's template rules: an integer never compares with a float
//! (`incompatible types for comparison`), `null`/maps/lists cannot be compared at all.
//!
//! Errors carry kubectl's exact text after its `error: ` prefix (print `error: {msg}` and a
//! newline unless the message already ends with one, as kubectl does; see `stderr_text`).
//! Iterating a map (`*`, `..`) uses sorted keys; kubectl's order there is random.

use serde_json::Value;

mod compare;
mod eval;
mod parser;

use super::gofmt;
use super::json::to_json_compact;
use eval::Exec;
use parser::Parser;

/// A parsed template.
#[derive(Debug, Clone)]
pub struct JsonPath {
    template: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(String),
    List(Vec<Node>),
    Field(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Identifier(String),
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Param {
    pub(crate) value: i64,
    pub(crate) known: bool,
    pub(crate) derived: bool,
}

/// Parse a `-o jsonpath=` template. The error is kubectl's message
/// (`error parsing jsonpath {.a, unclosed action` plus the newline kubectl puts there).
pub fn parse(template: &str) -> Result<JsonPath, String> {
    parse_template(template).map_err(|e| format!("error parsing jsonpath {template}, {e}\n"))
}

/// Parse a template; the error is the bare parser message (`unclosed action`), as
/// custom-columns reports it.
pub fn parse_template(template: &str) -> Result<JsonPath, String> {
    let nodes = Parser::new(template).parse()?;
    Ok(JsonPath {
        template: template.to_string(),
        nodes,
    })
}

/// What kubectl writes to stderr for an error message from this module.
pub fn stderr_text(msg: &str) -> String {
    if msg.ends_with('\n') {
        format!("error: {msg}")
    } else {
        format!("error: {msg}\n")
    }
}

impl JsonPath {
    /// Apply the template to `v` (one object, or kubectl's `List` for several). The error is
    /// kubectl's `error executing jsonpath ...` message, which embeds the whole object.
    pub fn render(&self, v: &Value) -> Result<String, String> {
        let results = self.results_or_error(v)?;
        let mut out = String::new();
        for list in &results {
            for (i, r) in list.iter().enumerate() {
                out.push_str(&r.to_text());
                if i + 1 != list.len() {
                    out.push(' ');
                }
            }
        }
        Ok(out)
    }

    /// `-o jsonpath-as-json`: each top-level node's results as an indented JSON array.
    pub fn render_as_json(&self, v: &Value) -> Result<String, String> {
        let results = self.results_or_error(v)?;
        Ok(results
            .iter()
            .map(|list| {
                super::json::to_json(&Value::Array(list.iter().map(Res::to_value).collect()))
            })
            .collect())
    }

    fn results_or_error<'a>(&self, v: &'a Value) -> Result<Vec<Vec<Res<'a>>>, String> {
        self.find_results(v).map_err(|e| {
            format!(
                "error executing jsonpath {}: Error executing template: {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
                gofmt::quote(&self.template),
                e,
                self.template,
                gofmt::fmt_sharp_v(v)
            )
        })
    }

    /// The template's results, one list per top-level node (kubectl's `FindResults`); errors
    /// are the bare evaluation message.
    pub fn find_results<'a>(&self, v: &'a Value) -> Result<Vec<Vec<Res<'a>>>, String> {
        let mut ex = Exec {
            nodes: &self.nodes,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end: None,
        };
        ex.find_results(Res::Json(v), 0)
    }
}

/// One result value: a piece of the input, or a literal from the template.
#[derive(Debug, Clone)]
pub enum Res<'a> {
    /// No value at all (Go's invalid reflect.Value: a `range` over a null item).
    Invalid,
    Json(&'a Value),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A byte of a string (`*` over a string yields its bytes).
    Byte(u8),
}

impl<'a> Res<'a> {
    /// The result as a JSON value (`jsonpath-as-json`); no value is `null`.
    pub fn to_value(&self) -> Value {
        match self {
            Res::Invalid => Value::Null,
            Res::Json(v) => (*v).clone(),
            Res::Str(s) => Value::String(s.clone()),
            Res::Int(i) => Value::from(*i),
            Res::Float(f) => Value::from(*f),
            Res::Bool(b) => Value::Bool(*b),
            Res::Byte(b) => Value::from(*b),
        }
    }

    /// jsonpath's printing of one result.
    pub fn to_text(&self) -> String {
        match self {
            Res::Json(v @ (Value::Object(_) | Value::Array(_))) => to_json_compact(v),
            Res::Json(Value::Null) => "null".into(),
            other => other.fmt_v(),
        }
    }

    /// Go's `%v` of the value (custom-columns).
    pub fn fmt_v(&self) -> String {
        match self {
            Res::Invalid => "<no value>".into(),
            Res::Json(v) => gofmt::fmt_v(v),
            Res::Str(s) => s.clone(),
            Res::Int(i) => i.to_string(),
            Res::Float(f) => gofmt::float_v(*f),
            Res::Bool(b) => b.to_string(),
            Res::Byte(b) => b.to_string(),
        }
    }

    fn is_nil(&self) -> bool {
        matches!(self, Res::Json(Value::Null))
    }

    /// Go's type name of the value, for error messages.
    fn type_name(&self) -> &'static str {
        match self {
            Res::Invalid => "<nil>",
            Res::Json(Value::Object(_)) => "map[string]interface {}",
            Res::Json(Value::Array(_)) => "[]interface {}",
            Res::Json(Value::String(_)) | Res::Str(_) => "string",
            Res::Json(Value::Number(n)) if n.as_i64().is_some() => "int64",
            Res::Json(Value::Number(_)) | Res::Float(_) => "float64",
            Res::Json(Value::Bool(_)) | Res::Bool(_) => "bool",
            Res::Json(Value::Null) => "interface {}",
            Res::Int(_) => "int",
            Res::Byte(_) => "uint8",
        }
    }

    /// The children `*` and `..` visit: map values (sorted by key), list items, string bytes.
    fn children(&self) -> Vec<Res<'a>> {
        match self {
            Res::Json(Value::Object(m)) => {
                let m: &'a serde_json::Map<String, Value> = m;
                let mut entries: Vec<(&'a String, &'a Value)> = m.iter().collect();
                entries.sort_by(|x, y| x.0.cmp(y.0));
                entries.into_iter().map(|(_, v)| Res::Json(v)).collect()
            }
            Res::Json(Value::Array(a)) => {
                let a: &'a Vec<Value> = a;
                a.iter().map(Res::Json).collect()
            }
            Res::Json(Value::String(s)) => s.bytes().map(Res::Byte).collect(),
            Res::Str(s) => s.bytes().map(Res::Byte).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: &str, v: &Value) -> Result<String, String> {
        parse(t)?.render(v)
    }

    #[test]
    fn fields_lists_and_text() {
        let v =
            json!({"items": [{"m": {"n": "a"}, "p": 1}, {"m": {"n": "b"}, "p": 2.5}], "k": "x"});
        assert_eq!(run("{.items[*].m.n}", &v).unwrap(), "a b");
        assert_eq!(run("{.items[0].m}", &v).unwrap(), "{\"n\":\"a\"}");
        assert_eq!(run("k={.k}{\"\\n\"}", &v).unwrap(), "k=x\n");
        assert_eq!(
            run("{range .items[*]}{.m.n}:{.p};{end}", &v).unwrap(),
            "a:1;b:2.5;"
        );
        assert_eq!(run("{.items[?(@.m.n==\"b\")].p}", &v).unwrap(), "2.5");
        assert_eq!(run("{.missing}", &v).unwrap(), "");
        assert_eq!(run("{['k']}", &v).unwrap(), "x");
        assert_eq!(run("{.items[-1:].p}", &v).unwrap(), "2.5");
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            parse("{.metadata.name").unwrap_err(),
            "error parsing jsonpath {.metadata.name, unclosed action\n"
        );
        assert_eq!(
            parse_template("{{.a}").unwrap_err(),
            "unrecognized character in action: U+007B '{'"
        );
        assert_eq!(
            parse_template("{.a[x]}").unwrap_err(),
            "invalid array index x"
        );
    }

    #[test]
    fn comparison_rules() {
        let v = json!({"n": [1, 2.5]});
        assert_eq!(
            run("{.n[?(@==1)]}", &v)
                .unwrap_err()
                .lines()
                .next()
                .unwrap(),
            "error executing jsonpath \"{.n[?(@==1)]}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:"
        );
    }
}
