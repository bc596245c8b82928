//! kubectl cp's file specifications (`[[namespace/]pod:]path`) and the slash-separated
//! path arithmetic it does on them (Go's `path.Clean`, `Dir`, `Base`, `Join`).

/// One side of a copy: a local path, or a path in a pod.
#[derive(Debug, PartialEq)]
pub struct FileSpec {
    pub namespace: Option<String>,
    pub pod: Option<String>,
    pub file: String,
}

pub const NOT_CANONICAL: &str =
    "filespec must match the canonical format: [[namespace/]pod:]file/path";

/// Splits a command-line argument as kubectl does: up to the first `:` is the pod.
pub fn parse(arg: &str) -> Result<FileSpec, String> {
    match arg.find(':') {
        Some(0) => Err(NOT_CANONICAL.to_string()),
        None => Ok(FileSpec {
            namespace: None,
            pod: None,
            file: arg.to_string(),
        }),
        Some(i) => {
            let (pod, file) = (&arg[..i], &arg[i + 1..]);
            let pieces: Vec<&str> = pod.split('/').collect();
            let (namespace, pod) = match pieces.as_slice() {
                [p] => (None, p.to_string()),
                [ns, p] => (Some(ns.to_string()), p.to_string()),
                _ => return Err(NOT_CANONICAL.to_string()),
            };
            Ok(FileSpec {
                namespace,
                pod: Some(pod),
                file: file.to_string(),
            })
        }
    }
}

/// Go's `path.Clean`: one slash between elements, no `.`, `..` resolved lexically.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `path.Dir`: everything but the last element, cleaned.
pub fn dir(p: &str) -> String {
    match p.rfind('/') {
        Some(i) => clean(&p[..=i]),
        None => ".".to_string(),
    }
}

/// Go's `path.Base`: the last element (trailing slashes dropped).
pub fn base(p: &str) -> String {
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return if p.is_empty() { "." } else { "/" }.to_string();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// Go's `path.Join` of two paths.
pub fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(b),
        (false, true) => clean(a),
        (false, false) => clean(&format!("{a}/{b}")),
    }
}

/// Whether `target` lies in `base` (filepath.Rel gives no `..`), both cleaned.
pub fn is_within(base: &str, target: &str) -> bool {
    let (base, target) = (clean(base), clean(target));
    if base == "." {
        return !(target == ".." || target.starts_with("../") || target.starts_with('/'));
    }
    if base == "/" {
        return target.starts_with('/');
    }
    target == base || target.starts_with(&format!("{base}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_split_at_the_first_colon() {
        assert_eq!(parse("web:/etc/hosts").unwrap().pod.as_deref(), Some("web"));
        let s = parse("ns/web:/a:b").unwrap();
        assert_eq!(
            (s.namespace.as_deref(), s.file.as_str()),
            (Some("ns"), "/a:b")
        );
        assert_eq!(parse("local/file").unwrap().pod, None);
        assert_eq!(parse(":x").unwrap_err(), NOT_CANONICAL);
        assert_eq!(parse("a/b/c:x").unwrap_err(), NOT_CANONICAL);
    }

    #[test]
    fn paths_behave_as_gos() {
        assert_eq!(clean("/tmp//a/./b/../c/"), "/tmp/a/c");
        assert_eq!(clean("../../x"), "../../x");
        assert_eq!(clean("/../x"), "/x");
        assert_eq!(dir("/tmp/f.txt"), "/tmp");
        assert_eq!(dir("f.txt"), ".");
        assert_eq!(dir("/f"), "/");
        assert_eq!(base("/tmp/dir/"), "dir");
        assert_eq!(join("/tmp", "f.txt"), "/tmp/f.txt");
        assert!(is_within("out", "out/a/b"));
        assert!(!is_within("out", "out/../etc/passwd"));
        assert!(is_within(".", "a"));
        assert!(!is_within(".", "../a"));
    }
}
