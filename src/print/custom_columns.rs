//! `kubectl get -o custom-columns=HEADER:path,...`: one row per object, cells from jsonpath
//! results printed with Go's `%v` and joined by `,`, `<none>` when a path finds nothing,
//! aligned with kubectl's table tabwriter (the last column is not padded).

use serde_json::Value;

use super::jsonpath::{self, JsonPath};
use super::tabwriter::TabWriter;

/// One column: its header and its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    /// The path as kubectl normalises it (`{.metadata.name}`), "" for an empty path.
    pub field_spec: String,
}

/// A failure while printing: what was already printed (kubectl flushes it to stdout) and
/// the message (print it as `error: {message}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnsError {
    pub printed: String,
    pub message: String,
}

/// Parse the text after `custom-columns=`. Errors are kubectl's messages (print them as
/// `error: {msg}`). The paths' jsonpath syntax is checked later, by `render`, as kubectl does
/// (after it has printed the header).
pub fn parse_spec(spec: &str) -> Result<Vec<Column>, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".into());
    }
    let mut columns = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part.split_once(':') else {
            return Err(format!(
                "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            ));
        };
        columns.push(Column {
            header: header.to_string(),
            field_spec: relaxed_path(path)?,
        });
    }
    Ok(columns)
}

/// Parse a `-o custom-columns-file=` file: a line of headers and a line of paths, both
/// split on whitespace.
pub fn parse_file(text: &str) -> Result<Vec<Column>, String> {
    const FORMAT: &str = "Expected format is one line of space separated headers, one line of space separated column specs.";
    let mut lines = text.lines();
    let headers: Vec<&str> = match lines.next() {
        Some(l) => l.split_whitespace().collect(),
        None => return Err(format!("invalid template, missing header line. {FORMAT}")),
    };
    let specs: Vec<&str> = match lines.next() {
        Some(l) => l.split_whitespace().collect(),
        None => return Err(format!("invalid template, missing spec line. {FORMAT}")),
    };
    if headers.len() != specs.len() {
        return Err(format!(
            "number of headers ({}) and field specifications ({}) don't match",
            headers.len(),
            specs.len()
        ));
    }
    headers
        .iter()
        .zip(&specs)
        .map(|(h, p)| {
            Ok(Column {
                header: h.to_string(),
                field_spec: relaxed_path(p)?,
            })
        })
        .collect()
}

/// kubectl's `RelaxedJSONPathExpression`: accepts `a.b`, `.a.b`, `{a.b}`, `{.a.b}`
/// (`^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`) and returns `{.a.b}`.
fn relaxed_path(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let no_braces = |s: &str| !s.is_empty() && !s.contains(['{', '}']);
    let braced = path
        .strip_prefix('{')
        .and_then(|p| p.strip_suffix('}'))
        .map(|inner| inner.strip_prefix('.').unwrap_or(inner))
        .filter(|inner| no_braces(inner));
    let bare = Some(path.strip_prefix('.').unwrap_or(path)).filter(|inner| no_braces(inner));
    match braced.or(bare) {
        Some(inner) => Ok(format!("{{.{inner}}}")),
        None => Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".into()),
    }
}

/// Render the table for `objs` (the items of a list, or the single object): header (unless
/// `no_headers`), then one row per object. Cells: each jsonpath result with Go's `%v`, joined
/// by `,`; `<none>` when the path finds nothing.
pub fn render(cols: &[Column], objs: &[Value], no_headers: bool) -> Result<String, ColumnsError> {
    let mut tw = TabWriter::table();
    if !no_headers {
        let headers: Vec<&str> = cols.iter().map(|c| c.header.as_str()).collect();
        tw.write_str(&headers.join("\t"));
        tw.write_str("\n");
    }
    let mut paths = Vec::with_capacity(cols.len());
    for col in cols {
        match jsonpath::parse_template(&col.field_spec) {
            Ok(p) => paths.push(p),
            Err(message) => {
                return Err(ColumnsError {
                    printed: tw.finish(),
                    message,
                });
            }
        }
    }
    for obj in objs {
        match row(&paths, obj) {
            Ok(cells) => {
                tw.write_str(&cells.join("\t"));
                tw.write_str("\n");
            }
            Err(message) => {
                return Err(ColumnsError {
                    printed: tw.finish(),
                    message,
                });
            }
        }
    }
    Ok(tw.finish())
}

fn row(paths: &[JsonPath], obj: &Value) -> Result<Vec<String>, String> {
    let mut cells = Vec::with_capacity(paths.len());
    for path in paths {
        let results = path.find_results(obj)?;
        let mut values: Vec<String> = Vec::new();
        if results.first().is_none_or(|r| r.is_empty()) {
            values.push("<none>".into());
        }
        for list in &results {
            values.extend(list.iter().map(|r| r.fmt_v()));
        }
        cells.push(values.join(","));
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spec_errors() {
        assert_eq!(
            parse_spec("NAME").unwrap_err(),
            "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"
        );
        assert!(parse_spec("A:{.a").is_err());
        assert!(parse_spec("A:{.a}{.b}").is_err());
        assert_eq!(parse_spec("A:").unwrap()[0].field_spec, "");
        assert_eq!(
            parse_spec("A:metadata.name").unwrap()[0].field_spec,
            "{.metadata.name}"
        );
        assert_eq!(parse_spec("A:{.x}").unwrap()[0].field_spec, "{.x}");
    }

    #[test]
    fn renders_values_like_go() {
        let cols = parse_spec("N:.n,L:.l,M:.m,X:.x").unwrap();
        let objs = vec![
            json!({"n": "a", "l": [1, "b"], "m": {"k": "v", "a": 1}}),
            json!({"n": "bb", "l": []}),
        ];
        assert_eq!(
            render(&cols, &objs, false).unwrap(),
            "N     L       M              X\na     [1 b]   map[a:1 k:v]   <none>\nbb    []      <none>         <none>\n"
        );
    }
}

#[cfg(test)]
mod error_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_before_an_error_are_kept() {
        let cols = parse_spec("A:.l[0]").unwrap();
        let err = render(&cols, &[json!({"l": [1]}), json!({"l": []})], false).unwrap_err();
        assert_eq!(err.printed, "A\n1\n");
        assert_eq!(err.message, "array index out of bounds: index 0, length 0");
        let err = render(&parse_spec("A:.x[").unwrap(), &[json!({})], false).unwrap_err();
        assert_eq!(
            (err.printed.as_str(), err.message.as_str()),
            ("A\n", "unterminated array")
        );
    }
}
