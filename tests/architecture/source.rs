//! The crate's source as these tests see it: every file `src/lib.rs` compiles, with its
//! code (comments and literals blanked, offsets kept), whether it is compiled for tests
//! only, and the top-level modules its paths name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One source file of the library.
pub struct File {
    /// Relative to the crate root, `src/...` with `/` separators.
    pub path: String,
    /// The module path the file is (`["kubelet", "exec"]` for `src/kubelet/exec.rs`).
    pub module: Vec<String>,
    /// Compiled only under `cfg(test)` (declared by a `#[cfg(test)] mod x;`, or below one).
    pub test_only: bool,
    /// The code, comments and string/char literals replaced by spaces (newlines kept).
    pub code: String,
    /// Byte ranges of `code` that are `#[cfg(test)]` items.
    pub test_items: Vec<(usize, usize)>,
}

/// A path in a file, resolved from the crate root.
pub struct Reference {
    /// The path's segments from the crate root (`["store", "Store"]` for
    /// `crate::store::Store`, `["kubelet", "exec"]` for `super::exec` in `src/kubelet/pod.rs`).
    pub path: Vec<String>,
    /// 1-based line.
    pub line: usize,
    /// Inside test-only code.
    pub test: bool,
}

impl Reference {
    /// The top-level module the path names (`store` for `crate::store::Store`).
    pub fn top(&self) -> &str {
        self.path.first().map(String::as_str).unwrap_or("")
    }
}

impl File {
    /// The top-level module the file belongs to (`kubelet` for `src/kubelet/exec.rs`).
    pub fn top(&self) -> &str {
        self.module.first().map(String::as_str).unwrap_or("")
    }

    /// The `crate::...` and `super::...` paths of the file, resolved from the crate root
    /// (a group `crate::a::{b, c::d}` gives `a::b` and `a::c::d`).
    pub fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        let bytes = self.code.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !starts_word(bytes, i) {
                i += 1;
                continue;
            }
            let word = word_at(bytes, i);
            let resolved = match word {
                "crate" if !preceded_by_dollar(bytes, i) => Some((Vec::new(), i + word.len())),
                "super" if !(i >= 2 && &bytes[i - 2..i] == b"::") => self.climb(bytes, i),
                _ => None,
            };
            if let Some((base, after)) = resolved {
                for path in paths_after(bytes, after, &base) {
                    out.push(Reference {
                        path,
                        line: line_of(bytes, i),
                        test: self.test_only || self.in_test_item(i),
                    });
                }
            }
            i += word.len().max(1);
        }
        out
    }

    /// The module `super::super::...` at `at` climbs to, and where the chain ends (before
    /// its last `::`).
    fn climb(&self, bytes: &[u8], at: usize) -> Option<(Vec<String>, usize)> {
        let mut module = self.module.clone();
        let mut i = at;
        loop {
            module.pop()?;
            i += "super".len();
            match skip_path_sep(bytes, i) {
                Some(next) if word_at(bytes, next) == "super" => i = next,
                _ => return Some((module, i)),
            }
        }
    }

    fn in_test_item(&self, at: usize) -> bool {
        self.test_items.iter().any(|&(a, b)| a <= at && at < b)
    }
}

/// Every file the library compiles, from `src/lib.rs` down its `mod` declarations.
pub fn library() -> Vec<File> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut pending = vec![(PathBuf::from("src/lib.rs"), Vec::<String>::new(), false)];
    while let Some((path, module, test_only)) = pending.pop() {
        let text = std::fs::read_to_string(root.join(&path))
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let code = blank(&text);
        let test_items = test_items(&code);
        for child in declared_modules(&path, &text, &code, &test_items) {
            let mut m = module.clone();
            m.push(child.name);
            pending.push((child.file, m, test_only || child.test_only));
        }
        files.push(File {
            path: path.to_string_lossy().replace('\\', "/"),
            module,
            test_only,
            code,
            test_items,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The top-level modules of the library (`src/lib.rs`'s `mod` declarations).
pub fn top_level_modules(files: &[File]) -> BTreeSet<String> {
    files
        .iter()
        .filter(|f| f.module.len() == 1)
        .map(|f| f.module[0].clone())
        .collect()
}

struct Declared {
    name: String,
    file: PathBuf,
    test_only: bool,
}

/// `mod name;` declarations of a file, with the file each one loads.
fn declared_modules(
    path: &Path,
    text: &str,
    code: &str,
    tests: &[(usize, usize)],
) -> Vec<Declared> {
    let bytes = code.as_bytes();
    let dir = module_dir(path);
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !(starts_word(bytes, i) && word_at(bytes, i) == "mod") {
            i += 1;
            continue;
        }
        let mut j = skip_space(bytes, i + 3);
        let name = word_at(bytes, j).to_string();
        j = skip_space(bytes, j + name.len());
        if name.is_empty() || bytes.get(j) != Some(&b';') {
            i += 3;
            continue;
        }
        let file = match path_attribute(text, code, i) {
            Some(p) => path.parent().unwrap_or(Path::new("")).join(p),
            None if Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(dir.join(format!("{name}.rs")))
                .is_file() =>
            {
                dir.join(format!("{name}.rs"))
            }
            None => dir.join(&name).join("mod.rs"),
        };
        let test_only = tests.iter().any(|&(a, b)| a <= i && i < b);
        out.push(Declared {
            name,
            file,
            test_only,
        });
        i = j;
    }
    out
}

/// Where a file's `mod x;` children live: beside `lib.rs`/`mod.rs`, else in a folder named
/// after the file.
fn module_dir(path: &Path) -> PathBuf {
    let parent = path.parent().unwrap_or(Path::new("")).to_path_buf();
    match path.file_name().and_then(|n| n.to_str()) {
        Some("lib.rs" | "mod.rs" | "main.rs") => parent,
        _ => parent.join(path.file_stem().unwrap_or_default()),
    }
}

/// The `#[path = "..."]` among the attributes just before the item at `at`.
fn path_attribute(text: &str, code: &str, at: usize) -> Option<String> {
    let before = &code[..at];
    let start = attributes_start(before.as_bytes());
    let attrs = &text[start..at];
    let p = attrs.find("path")?;
    let rest = &attrs[p..];
    let open = rest.find('"')?;
    let close = rest[open + 1..].find('"')?;
    Some(rest[open + 1..open + 1 + close].to_string())
}

/// Where the run of `#[...]` attributes and visibility (`pub`, `pub(crate)`) ending at
/// the end of `bytes` starts.
fn attributes_start(bytes: &[u8]) -> usize {
    let mut end = trim_end(bytes, bytes.len());
    loop {
        if let Some(k) = attribute_before(bytes, end) {
            end = trim_end(bytes, k);
            continue;
        }
        let visibility = [&b"pub(crate)"[..], b"pub(super)", b"pub"]
            .into_iter()
            .find(|v| bytes[..end].ends_with(v));
        match visibility {
            Some(v) => end = trim_end(bytes, end - v.len()),
            None => return end,
        }
    }
}

/// The start of the `#[...]` that ends at `end`, if one does.
fn attribute_before(bytes: &[u8], end: usize) -> Option<usize> {
    if end == 0 || bytes[end - 1] != b']' {
        return None;
    }
    let mut depth = 0;
    for k in (0..end).rev() {
        match bytes[k] {
            b']' => depth += 1,
            b'[' => {
                depth -= 1;
                if depth == 0 {
                    return (k > 0 && bytes[k - 1] == b'#').then(|| k - 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The byte ranges of items under `#[cfg(test)]`: from the attribute to the end of the
/// item (its `;`, or its closing brace).
fn test_items(code: &str) -> Vec<(usize, usize)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = code[from..].find("#[cfg(test)]") {
        let start = from + p;
        let mut i = start + "#[cfg(test)]".len();
        // Further attributes.
        loop {
            i = skip_space(bytes, i);
            if bytes.get(i) == Some(&b'#') {
                i = skip_balanced(bytes, skip_space(bytes, i + 1), b'[', b']');
            } else {
                break;
            }
        }
        // The item: to its `;` or through its braces, whichever comes first.
        let mut end = bytes.len();
        let mut depth = 0i32;
        let mut k = i;
        while k < bytes.len() {
            match bytes[k] {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth == 0 => {
                    end = k + 1;
                    break;
                }
                b'{' if depth == 0 => {
                    end = skip_balanced(bytes, k, b'{', b'}');
                    break;
                }
                _ => {}
            }
            k += 1;
        }
        out.push((start, end));
        from = end.max(start + 1);
    }
    out
}

/// Index just after the bracket closing the one at `at` (`open`); `at` itself if none.
fn skip_balanced(bytes: &[u8], at: usize, open: u8, close: u8) -> usize {
    if bytes.get(at) != Some(&open) {
        return at;
    }
    let mut depth = 0;
    for (k, &b) in bytes.iter().enumerate().skip(at) {
        if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return k + 1;
            }
        }
    }
    bytes.len()
}

/// The paths that continue `base` after `at` (`::x::y`, or a group `::{x, y::z}`).
fn paths_after(bytes: &[u8], at: usize, base: &[String]) -> Vec<Vec<String>> {
    let mut path = base.to_vec();
    let mut i = at;
    while let Some(next) = skip_path_sep(bytes, i) {
        if bytes.get(next) == Some(&b'{') {
            let end = skip_balanced(bytes, next, b'{', b'}');
            return group_items(&bytes[next + 1..end.saturating_sub(1)])
                .into_iter()
                .flat_map(|item| {
                    let word = word_at(item, 0);
                    let mut p = path.clone();
                    if word != "self" && !word.is_empty() {
                        p.push(word.to_string());
                    }
                    paths_after(item, word.len(), &p)
                })
                .collect();
        }
        let word = word_at(bytes, next);
        if word.is_empty() {
            break;
        }
        path.push(word.to_string());
        i = next + word.len();
    }
    vec![path]
}

/// The items of a `{...}` group, split at its top-level commas, leading spaces trimmed.
fn group_items(inner: &[u8]) -> Vec<&[u8]> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (k, &b) in inner.iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b',' if depth == 0 => {
                items.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .map(|item| &item[skip_space(item, 0)..])
        .filter(|item| !item.is_empty())
        .collect()
}

/// After `::` (spaces allowed around it), if there is one at `at`.
fn skip_path_sep(bytes: &[u8], at: usize) -> Option<usize> {
    let i = skip_space(bytes, at);
    (bytes.get(i..i + 2) == Some(b"::")).then(|| skip_space(bytes, i + 2))
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn trim_end(bytes: &[u8], mut end: usize) -> usize {
    while end > 0 && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn starts_word(bytes: &[u8], i: usize) -> bool {
    is_ident(bytes[i]) && (i == 0 || !is_ident(bytes[i - 1]))
}

fn word_at(bytes: &[u8], i: usize) -> &str {
    let end = (i..bytes.len())
        .find(|&k| !is_ident(bytes[k]))
        .unwrap_or(bytes.len());
    std::str::from_utf8(&bytes[i.min(end)..end]).unwrap_or("")
}

fn preceded_by_dollar(bytes: &[u8], i: usize) -> bool {
    i > 0 && bytes[i - 1] == b'$'
}

fn line_of(bytes: &[u8], i: usize) -> usize {
    1 + bytes[..i].iter().filter(|&&b| b == b'\n').count()
}

/// The source with comments, string literals and char literals replaced by spaces, byte
/// for byte (newlines kept), so offsets and line numbers stay those of the file.
pub fn blank(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let blank_range = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        // Comments: line, and nested block comments.
        if b[i..].starts_with(b"//") {
            let end = (i..b.len()).find(|&k| b[k] == b'\n').unwrap_or(b.len());
            blank_range(&mut out, i, end);
            i = end;
            continue;
        }
        if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            let mut k = i;
            while k < b.len() {
                if b[k..].starts_with(b"/*") {
                    depth += 1;
                    k += 2;
                } else if b[k..].starts_with(b"*/") {
                    depth -= 1;
                    k += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    k += 1;
                }
            }
            blank_range(&mut out, i, k);
            i = k;
            continue;
        }
        let word_start = i == 0 || !is_ident(b[i - 1]);
        // Raw strings: r"..", r#".."#, br#".."#.
        if word_start {
            let mut k = i;
            if b[k] == b'b' || b[k] == b'c' {
                k += 1;
            }
            if k < b.len() && b[k] == b'r' {
                let mut hashes = 0;
                let mut q = k + 1;
                while q < b.len() && b[q] == b'#' {
                    hashes += 1;
                    q += 1;
                }
                if q < b.len() && b[q] == b'"' {
                    let mut closing = vec![b'"'];
                    closing.extend(std::iter::repeat_n(b'#', hashes));
                    let end = (q + 1..b.len())
                        .find(|&e| b[e..].starts_with(&closing))
                        .map_or(b.len(), |e| e + closing.len());
                    blank_range(&mut out, q, end);
                    i = end;
                    continue;
                }
            }
        }
        // Strings and byte strings.
        if b[i] == b'"' {
            let mut k = i + 1;
            while k < b.len() && b[k] != b'"' {
                k += if b[k] == b'\\' { 2 } else { 1 };
            }
            blank_range(&mut out, i, k + 1);
            i = k + 1;
            continue;
        }
        // Char literals (not lifetimes): 'x', '\n', '\u{..}', multi-byte chars.
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\\') {
                let end = (i + 2..b.len()).find(|&k| b[k] == b'\'').unwrap_or(b.len());
                blank_range(&mut out, i, end + 1);
                i = end + 1;
                continue;
            }
            let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
            if b.get(i + 1 + len) == Some(&b'\'') {
                blank_range(&mut out, i, i + 2 + len);
                i += 2 + len;
                continue;
            }
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
