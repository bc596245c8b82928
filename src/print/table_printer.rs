//! Client-side printing of meta.k8s.io/v1 Tables, as `kubectl get` lays them out: column
//! selection by priority, NAMESPACE / label / LABELS decoration, the `kind/` name prefix,
//! tabwriter alignment, blank lines between resource types and the "No resources found" rule.

use serde_json::Value;

use crate::print::columns::format_labels;
use crate::print::tabwriter::TabWriter;

/// The `kubectl get` flags that shape a table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TablePrintOptions {
    /// `-o wide`: also show priority-1 columns.
    pub wide: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `--show-labels`: a trailing LABELS column.
    pub show_labels: bool,
    /// `-A` on a namespaced resource: a leading NAMESPACE column.
    pub with_namespace: bool,
    /// `-L key`: one column per label key, headed by the key's last path segment.
    pub label_columns: Vec<String>,
    /// Several types in one command: prefix NAME cells, e.g. `deployment.apps` gives
    /// `deployment.apps/web`.
    pub with_kind_prefix: Option<String>,
}

/// kubectl's tabwriter settings: minwidth 6, tabwidth 4, padding 3, spaces, no flags.
fn layout(text: &str) -> String {
    let mut writer = TabWriter::new(6, 4, 3, ' ', 0);
    writer.write_str(text);
    writer.finish()
}

/// Prints one Table (one resource type) as kubectl does, aligned. A table without rows prints
/// nothing, not even headers.
pub fn print_table(table: &Value, opts: &TablePrintOptions) -> String {
    layout(&table_text(table, opts))
}

/// Prints the Tables of one `get` command in order. Consecutive Tables of the same type (same
/// options and columns, e.g. `get pod a b` fetches one Table per name) share one header and one
/// alignment; each new type (`get deploy,svc`, `get all`) starts its own, after a blank line
/// unless headers are off.
pub fn print_tables(tables: &[(&Value, &TablePrintOptions)]) -> String {
    let mut out = String::new();
    let mut group = String::new();
    let mut headers_printed = false;
    let mut previous: Option<(&TablePrintOptions, Option<&Value>)> = None;
    for (table, opts) in tables {
        let columns = table.get("columnDefinitions");
        let same_type = previous.is_some_and(|(o, c)| o == *opts && c == columns);
        if let (false, Some((previous_opts, _))) = (same_type, previous) {
            flush_group(&mut out, &mut group, previous_opts.no_headers);
            headers_printed = false;
        }
        let mut local = (*opts).clone();
        local.no_headers |= headers_printed;
        group.push_str(&table_text(table, &local));
        let has_rows = table
            .get("rows")
            .and_then(Value::as_array)
            .is_some_and(|r| !r.is_empty());
        headers_printed |= has_rows;
        previous = Some((opts, columns));
    }
    if let Some((last_opts, _)) = previous {
        flush_group(&mut out, &mut group, last_opts.no_headers);
    }
    out
}

/// Lays out one type's text and appends it, separated from earlier output by a blank line.
fn flush_group(out: &mut String, group: &mut String, no_headers: bool) {
    if group.is_empty() {
        return;
    }
    let text = layout(group);
    group.clear();
    if !out.is_empty() && !no_headers {
        out.push('\n');
    }
    out.push_str(&text);
}

/// What kubectl writes to stderr when a `get` printed nothing: `namespace` is the namespace of
/// a namespaced listing without `-A`, `None` for `-A` or cluster-scoped resources.
pub fn no_resources_found(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace.\n"),
        None => "No resources found\n".to_string(),
    }
}

/// The decorated table as tab-separated lines, before alignment (for callers that keep their
/// own tabwriter, e.g. watch mode).
pub fn table_text(table: &Value, opts: &TablePrintOptions) -> String {
    let rows = table
        .get("rows")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let columns = decorated_columns(table, opts);
    let mut out = String::new();
    if rows.is_empty() {
        return out;
    }
    if !opts.no_headers {
        let headers: Vec<String> = columns
            .iter()
            .filter(|c| c.shown)
            .map(|c| c.name.to_uppercase())
            .collect();
        out.push_str(&headers.join("\t"));
        out.push('\n');
    }
    for row in rows {
        let cells = decorated_cells(table, row, opts);
        let shown: Vec<String> = cells
            .iter()
            .zip(&columns)
            .filter(|(_, c)| c.shown)
            .map(|(cell, _)| cell_text(cell))
            .collect();
        out.push_str(&shown.join("\t"));
        out.push('\n');
    }
    out
}

struct Column {
    name: String,
    shown: bool,
}

fn decorated_columns(table: &Value, opts: &TablePrintOptions) -> Vec<Column> {
    let defs = table
        .get("columnDefinitions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut columns = Vec::new();
    if opts.with_namespace {
        columns.push(Column {
            name: "Namespace".into(),
            shown: true,
        });
    }
    for def in defs {
        let priority = def.get("priority").and_then(Value::as_i64).unwrap_or(0);
        columns.push(Column {
            name: def
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            shown: opts.wide || priority == 0,
        });
    }
    for key in &opts.label_columns {
        let header = key.rsplit('/').next().unwrap_or(key);
        columns.push(Column {
            name: header.to_string(),
            shown: true,
        });
    }
    if opts.show_labels {
        columns.push(Column {
            name: "Labels".into(),
            shown: true,
        });
    }
    columns
}

/// The name column kubectl prefixes with the kind: the first string column of format `name`.
fn name_column(table: &Value) -> Option<usize> {
    table
        .get("columnDefinitions")?
        .as_array()?
        .iter()
        .position(|c| {
            c.get("format").and_then(Value::as_str) == Some("name")
                && c.get("type").and_then(Value::as_str) == Some("string")
        })
}

fn decorated_cells(table: &Value, row: &Value, opts: &TablePrintOptions) -> Vec<Value> {
    let mut cells: Vec<Value> = row
        .get("cells")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let (Some(kind), Some(i)) = (&opts.with_kind_prefix, name_column(table))
        && let Some(cell) = cells.get_mut(i)
    {
        *cell = Value::String(format!("{}/{}", kind.to_lowercase(), go_sprint(cell)));
    }
    let metadata = row
        .get("object")
        .and_then(|o| o.get("metadata"))
        .and_then(Value::as_object);
    if opts.with_namespace {
        let ns = metadata
            .and_then(|m| m.get("namespace"))
            .cloned()
            .unwrap_or(Value::Null);
        let ns = if metadata.is_some() && ns.is_null() {
            Value::String(String::new())
        } else {
            ns
        };
        cells.insert(0, ns);
    }
    let labels = metadata
        .and_then(|m| m.get("labels"))
        .and_then(Value::as_object);
    if metadata.is_some() {
        for key in &opts.label_columns {
            let value = labels
                .and_then(|l| l.get(key))
                .and_then(Value::as_str)
                .unwrap_or("");
            cells.push(Value::String(value.to_string()));
        }
        if opts.show_labels {
            cells.push(Value::String(format_labels(labels)));
        }
    }
    // Without object metadata the extra columns stay empty.
    let width = decorated_columns(table, opts).len();
    while cells.len() < width {
        cells.push(Value::Null);
    }
    cells
}

/// One cell as kubectl prints it: strings cut at the first line break (marked `...`), other
/// values as Go's fmt.Sprint prints them, terminal escapes neutralised.
fn cell_text(cell: &Value) -> String {
    let text = match cell {
        Value::Null => return String::new(),
        Value::String(s) => match s.find(['\n', '\r', '\u{c}']) {
            Some(cut) => format!("{}...", &s[..cut]),
            None => s.clone(),
        },
        other => go_sprint(other),
    };
    text.replace('\u{1b}', "^[").replace('\r', "\\r")
}

/// Go's fmt.Sprint of a JSON-decoded value (integers as int64, maps with sorted keys).
pub(crate) fn go_sprint(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (None, None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => (f as i64).to_string(),
            (None, None, Some(f)) => go_float(f),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_sprint).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", go_sprint(&map[*k])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Go's `%v` for a float64: shortest digits, exponent form below 1e-4 or from 1e21 on.
fn go_float(f: f64) -> String {
    let sci = format!("{f:e}");
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return f.to_string();
    };
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..21).contains(&exp) {
        return f.to_string();
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}
