//! Matchers for the few values that must not be pinned byte for byte: `<age>`, `<uid>` and
//! `<re/PATTERN/>` inside an expected output line. kubelite's own output is deterministic,
//! so these are for commands that are not (a real kubectl through `@serve`, wall clocks).

use regex_lite::Regex;

const AGE: &str = r"(?:[0-9]+[smhdy]){1,2}|<invalid>|<unknown>";
const UID: &str = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/// Whether an expected line uses any matcher.
pub fn has_matchers(expected: &str) -> bool {
    expected.contains("<age>") || expected.contains("<uid>") || expected.contains("<re/")
}

/// Whether `actual` matches `expected` read with its matchers; a line without matchers (or
/// with a regex that does not compile) matches only itself.
pub fn matches(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    if !has_matchers(expected) {
        return false;
    }
    pattern(expected)
        .and_then(|p| Regex::new(&p).ok())
        .is_some_and(|re| re.is_match(actual))
}

/// The whole line as an anchored regex: literal text escaped, matchers expanded.
fn pattern(expected: &str) -> Option<String> {
    let mut out = String::from("^");
    let mut rest = expected;
    while !rest.is_empty() {
        let next = ["<age>", "<uid>", "<re/"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, *m)))
            .min_by_key(|(i, _)| *i);
        let Some((i, m)) = next else {
            out.push_str(&regex_lite::escape(rest));
            break;
        };
        out.push_str(&regex_lite::escape(&rest[..i]));
        rest = &rest[i + m.len()..];
        match m {
            "<age>" => out.push_str(&format!("(?:{AGE})")),
            "<uid>" => out.push_str(UID),
            _ => {
                let end = rest.find("/>")?;
                out.push_str(&format!("(?:{})", &rest[..end]));
                rest = &rest[end + 2..];
            }
        }
    }
    out.push('$');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matchers_match_what_they_name_only() {
        assert!(matches(
            "web   1/1   Running   <age>",
            "web   1/1   Running   5m10s"
        ));
        assert!(!matches(
            "web   1/1   Running   <age>",
            "web   1/1   Pending   5m"
        ));
        assert!(matches(
            "uid: <uid>",
            "uid: 0b4b7e8e-9d2a-4c1e-8f3a-1a2b3c4d5e6f"
        ));
        assert!(!matches("uid: <uid>", "uid: nope"));
        assert!(matches("v<re/[0-9.]+/> (x)", "v1.32.2 (x)"));
        assert!(!matches("v<re/[0-9.]+/> (x)", "v1.32.2 (y)"));
        assert!(!matches("a.b", "axb"));
        assert!(!matches("<re/(/>", "("));
    }
}
