//! Reading what a kustomization names: files relative to its directory (within the load
//! restrictor), YAML streams and documents as kustomize's readers take them, and the ids
//! kustomize gives objects in its messages.

use super::{Error, Res};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The group of an apiVersion ("" for the core group).
pub fn group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// The version of an apiVersion.
pub fn version(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or(api_version, |(_, v)| v)
}

/// kustomize's ResId text: `Kind.version.group/name.namespace`.
pub fn id_text(r: &Res) -> String {
    let av = r.api_version();
    let or = |s: &str, none: &str| {
        if s.is_empty() {
            none.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}.{}.{}/{}.{}",
        r.kind(),
        version(av),
        or(group(av), "[noGrp]"),
        r.name(),
        or(r.namespace(), "[noNs]")
    )
}

/// The objects of a file's YAML stream (`kind: List` stands for its items).
pub fn objects(text: &str) -> Result<Vec<Res>, String> {
    let mut out = Vec::new();
    for doc in split(text) {
        let Some(value) = parse_yaml(doc)? else {
            continue;
        };
        let items = if value["kind"] == "List" && value.get("items").is_some() {
            value["items"].as_array().cloned().unwrap_or_default()
        } else {
            vec![value]
        };
        for item in items {
            if !item.is_object() || item.get("kind").is_none() && item.get("metadata").is_none() {
                return Err("missing Resource metadata".into());
            }
            if item["metadata"]["name"].as_str().is_none_or(str::is_empty) {
                return Err(format!(
                    "missing metadata.name in object {}",
                    go_object_text(&item)
                ));
            }
            out.push(Res::new(item));
        }
    }
    Ok(out)
}

/// A rough rendering of Go's `%v` of a nameless object (its apiVersion and kind).
fn go_object_text(item: &Value) -> String {
    format!(
        "{{{{{} {}}} {{{{ }} map[] map[]}}}}",
        item["apiVersion"].as_str().unwrap_or(""),
        item["kind"].as_str().unwrap_or("")
    )
}

/// The documents of a YAML stream, split at `---` lines.
pub fn split(text: &str) -> Vec<&str> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        if content == "---" || content.starts_with("--- ") {
            docs.push(&text[start..pos]);
            start = pos + line.len();
        }
        pos += line.len();
    }
    docs.push(&text[start..]);
    docs
}

/// One YAML document of a resource or patch as JSON; `None` when it holds nothing.
/// kustomize reads them with kyaml: only `true`/`false` are booleans (`yes`, `on`, `y` stay
/// strings), and a leading 0 makes an octal number.
pub fn parse_yaml(text: &str) -> Result<Option<Value>, String> {
    parse_with(text, true)
}

/// The kustomization file, which kustomize reads with YAML 1.1's booleans.
pub fn parse_kustomization(text: &str) -> Result<Option<Value>, String> {
    parse_with(text, false)
}

fn parse_with(text: &str, strict_booleans: bool) -> Result<Option<Value>, String> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(None);
    }
    let options = serde_saphyr::options! {
        with_snippet: false,
        strict_booleans: strict_booleans,
        legacy_octal_numbers: true,
    };
    let value: Value = serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| format!("yaml: {}", first_line(&e.to_string())))?;
    Ok(match value {
        Value::Null => None,
        v => Some(v),
    })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// kustomize's refusal of a file outside the kustomization's directory.
pub fn outside(file: &Path, root: &Path) -> String {
    format!(
        "security; file '{}' is not in or below '{}'",
        file.display(),
        root.display()
    )
}

/// `..` and `.` resolved in the text of a path, as Go's filepath.Clean does.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A file named by a kustomization, relative to its directory, read as text.
pub fn read_relative(dir: &Path, name: &str, restrict: bool) -> Result<Vec<u8>, Error> {
    let path = normalize(&dir.join(name));
    if let Ok(real) = std::fs::canonicalize(&path)
        && restrict
        && !real.starts_with(dir)
    {
        return Err(Error::Kustomize(outside(&real, dir)));
    }
    std::fs::read(&path).map_err(|_| {
        Error::Kustomize(format!(
            "evalsymlink failure on '{}' : lstat {}: no such file or directory",
            path.display(),
            path.display()
        ))
    })
}
