//! The variables a CEL expression reads that its environment does not declare. The `cel`
//! crate parses without declarations, so this finds them and words them as cel-go's checker
//! does (`undeclared reference to 'x' (in container '')` under the source line and a caret);
//! CRD rules declare `self` and `oldSelf`, admission expressions their own.

use cel::Program;

/// Names that are not variables: types, and namespaces of library functions.
const NOT_VARIABLES: &[&str] = &[
    "int",
    "uint",
    "double",
    "bool",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "dyn",
    "optional",
    "math",
    "strings",
    "sets",
    "lists",
    "cel",
    "base64",
    "google",
    // kube's format and ip libraries name functions `format.dns1123Label()` and
    // `ip.isCanonical(s)`; its IP and CIDR types are `net.IP` and `net.CIDR`.
    "format",
    "ip",
    "net",
];
/// Macros whose first arguments name their own variables.
const BINDING_MACROS: &[&str] = &[
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "bind",
    "transformList",
    "transformMap",
    "transformMapEntry",
];

/// cel-go's errors for the variables `program` (compiled from `src`) reads that `declared`
/// does not know, in the order they first appear; None when there are none.
pub fn undeclared_references(
    src: &str,
    program: &Program,
    declared: impl Fn(&str) -> bool,
) -> Option<String> {
    let own = macro_variables(src);
    let refs = program.references();
    let names: Vec<&str> = refs
        .variables()
        .into_iter()
        .filter(|n| !NOT_VARIABLES.contains(n) && !own.iter().any(|o| o == n))
        .filter(|n| !declared(n))
        .collect();
    let mut found: Vec<(usize, &str)> = names
        .into_iter()
        .map(|n| (first_use(src, n).unwrap_or(0), n))
        .collect();
    found.sort();
    let errors: Vec<String> = found
        .iter()
        .map(|(at, name)| {
            let before = &src[..*at];
            let line_no = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let col = src[line_start..*at].chars().count();
            let line = src[line_start..].lines().next().unwrap_or("");
            format!(
                "ERROR: <input>:{line_no}:{}: undeclared reference to '{name}' (in container '')\n | {line}\n | {}^",
                col + 1,
                ".".repeat(col)
            )
        })
        .collect();
    (!errors.is_empty()).then(|| errors.join("\n"))
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Where `name` is first used as a variable: a whole word not selected from something.
fn first_use(src: &str, name: &str) -> Option<usize> {
    src.match_indices(name).map(|(i, _)| i).find(|&i| {
        let before = src[..i].chars().next_back();
        let after = src[i + name.len()..].chars().next();
        !before.is_some_and(|c| is_ident_char(c) || c == '.') && !after.is_some_and(is_ident_char)
    })
}

/// The variables macros introduce (`x` in `list.all(x, ...)`, both in `map.all(k, v, ...)`).
fn macro_variables(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for m in BINDING_MACROS {
        let pattern = format!("{m}(");
        for (i, _) in src.match_indices(&pattern) {
            if src[..i].chars().next_back().is_some_and(is_ident_char) {
                continue;
            }
            let mut rest = &src[i + pattern.len()..];
            // Up to two leading identifiers, each followed by a comma.
            for _ in 0..2 {
                let trimmed = rest.trim_start();
                let end = trimmed
                    .find(|c: char| !is_ident_char(c))
                    .unwrap_or(trimmed.len());
                let (ident, after) = trimmed.split_at(end);
                if ident.is_empty() || !after.trim_start().starts_with(',') {
                    break;
                }
                out.push(ident.to_string());
                rest = after.trim_start().trim_start_matches(',');
            }
        }
    }
    out
}
