//! The text the user edits: kubectl's comment header (with the reasons the last save
//! failed), comment stripping, and reading the objects back.

use serde_json::Value;

/// Why the last save failed: a headline and, below it, one line per cause.
pub struct Reason {
    pub head: String,
    pub causes: Vec<String>,
}

/// Which header the file starts with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Header {
    Object,
    LastApplied,
}

/// The header, then each reason as a comment block.
pub fn header(kind: Header, reasons: &[Reason]) -> String {
    let mut out = String::from(match kind {
        Header::Object => {
            "# Please edit the object below. Lines beginning with a '#' will be ignored,\n\
             # and an empty file will abort the edit. If an error occurs while saving this file will be\n\
             # reopened with the relevant failures.\n#\n"
        }
        Header::LastApplied => {
            "# Please edit the 'last-applied-configuration' annotations below.\n\
             # Lines beginning with a '#' will be ignored, and an empty file will abort the edit.\n#\n"
        }
    });
    for r in reasons {
        let colon = if r.causes.is_empty() { "" } else { ":" };
        out.push_str(&format!("# {}{colon}\n", commented(&r.head)));
        for c in &r.causes {
            out.push_str(&format!("# * {}\n", commented(c)));
        }
        out.push_str("#\n");
    }
    out
}

/// A multi-line text kept inside the comment block.
fn commented(s: &str) -> String {
    s.replace('\n', "\n# ")
}

/// The text without its comment lines (`#`, but not `#!`), line ends kept.
pub fn manual_strip(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_ascii();
        if t.starts_with(b"#") && !t.starts_with(b"#!") {
            continue;
        }
        out.extend_from_slice(line);
        if i < last {
            out.push(b'\n');
        }
    }
    out
}

/// What two texts mean once comments are ignored: the parsed object when the text is
/// one YAML document, else the text without comments.
fn meaning(text: &[u8]) -> Result<Value, Vec<u8>> {
    let stripped = manual_strip(text);
    std::str::from_utf8(&stripped)
        .ok()
        .and_then(|s| serde_saphyr::from_str::<Value>(s).ok())
        .ok_or(stripped)
}

/// Whether the two texts say the same, comments aside.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    meaning(a) == meaning(b)
}

/// Whether anything but blank and comment lines is left.
pub fn has_lines(text: &[u8]) -> bool {
    text.split(|b| *b == b'\n').any(|l| {
        let t = l.trim_ascii();
        !t.is_empty() && !t.starts_with(b"#")
    })
}

/// The schema check kubectl runs before anything is sent: the text must be YAML holding
/// objects. The error is the words kubectl puts in the header.
pub fn validate(text: &[u8]) -> Result<(), String> {
    let stripped = manual_strip(text);
    let text = String::from_utf8_lossy(&stripped);
    let mut any = false;
    for (_, doc) in super::super::manifest::split_documents(&text) {
        match serde_saphyr::from_str::<Value>(doc) {
            Ok(Value::Object(_)) => any = true,
            Ok(Value::Null) => {}
            Ok(_) => return Err("invalid object to validate".into()),
            Err(e) => return Err(yaml_error(&e, line_offset(&text, doc))),
        }
    }
    if any {
        Ok(())
    } else {
        Err("invalid object to validate".into())
    }
}

/// The objects of the edited text: its documents, `List`s flattened. A document that does
/// not parse is the syntax error kubectl reports.
pub fn objects(text: &[u8]) -> Result<Vec<Value>, String> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    for (_, doc) in super::super::manifest::split_documents(&text) {
        match serde_saphyr::from_str::<Value>(doc) {
            Ok(Value::Null) => {}
            Ok(v) if v.get("kind").and_then(Value::as_str) == Some("List") => {
                out.extend(v["items"].as_array().into_iter().flatten().cloned());
            }
            Ok(v @ Value::Object(_)) => out.push(v),
            Ok(_) => return Err("error converting YAML to JSON: not an object".into()),
            Err(e) => {
                return Err(format!(
                    "error converting YAML to JSON: {}",
                    yaml_error(&e, line_offset(&text, doc))
                ));
            }
        }
    }
    Ok(out)
}

/// How many lines of `text` come before its part `doc`.
fn line_offset(text: &str, doc: &str) -> usize {
    let at = (doc.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    text.get(..at).map_or(0, |t| t.matches('\n').count())
}

/// A parse error in Go yaml's form, `yaml: line N: what` (the parser's own words).
fn yaml_error(e: &serde_saphyr::Error, lines_before: usize) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // The parser names the place itself ("line 3 column 4: ..."); the line is said once.
    let what = match first.split_once(": ") {
        Some((at, rest)) if at.starts_with("line ") => rest,
        _ => first,
    };
    let what = what.split(" at line ").next().unwrap_or(what).trim();
    match e.location() {
        Some(loc) => format!("yaml: line {}: {what}", loc.line() as usize + lines_before),
        None => format!("yaml: {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lists_reasons_with_their_causes() {
        let r = [
            Reason {
                head: "configmaps \"a\" was not valid".into(),
                causes: vec!["data[x y]: Invalid value".into()],
            },
            Reason {
                head: "two\nlines".into(),
                causes: vec![],
            },
        ];
        let h = header(Header::Object, &r);
        assert!(h.ends_with(
            "#\n# configmaps \"a\" was not valid:\n# * data[x y]: Invalid value\n#\n# two\n# lines\n#\n"
        ));
    }

    #[test]
    fn comments_do_not_count_but_content_does() {
        assert_eq!(
            manual_strip(b"# a\nx: 1\n  # b\n#!keep\n"),
            b"x: 1\n#!keep\n"
        );
        assert!(same(b"# h\na: 1\nb: 2\n", b"b: 2\na: 1\n"));
        assert!(!same(b"a: 1\n", b"a: 2\n"));
        assert!(!has_lines(b"# only\n\n  \n"));
        assert!(validate(b"# h\n").is_err());
        assert!(validate(b"a: [\n").unwrap_err().starts_with("yaml: line"));
        assert_eq!(
            objects(b"kind: List\nitems:\n- a: 1\n- b: 2\n---\nc: 3\n").map(|v| v.len()),
            Ok(3)
        );
    }
}
