//! Gathering a directory's objects: its resources (files of one or more documents, and
//! directories with a kustomization of their own, built first), its generators, then its
//! transformers, in kustomize's order.

use super::file::{Kustomization, refused};
use super::{Ctx, Error, Res, generate, transform};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The directory given on the command line, made absolute as kustomize reports it.
pub fn root_dir(dir: &str) -> Result<PathBuf, Error> {
    if is_remote(dir) {
        return Err(refused("remote kustomizations (git and http URLs)"));
    }
    let path = Path::new(dir);
    match std::fs::canonicalize(path) {
        Ok(p) if p.is_dir() => Ok(p),
        Ok(_) => Err(Error::Kustomize(format!(
            "must build at directory: '{dir}': file is not directory"
        ))),
        Err(_) => Err(Error::Kustomize(format!(
            "must build at directory: not a valid directory: {}",
            missing(dir, &absolute(path))
        ))),
    }
}

/// kustomize's words for a path that is not there.
fn missing(given: &str, abs: &Path) -> String {
    format!(
        "evalsymlink failure on '{given}' : lstat {}: no such file or directory",
        abs.display()
    )
}

fn absolute(path: &Path) -> PathBuf {
    std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// A resource that names a repository or URL rather than a local path.
fn is_remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.starts_with("git@")
        || entry.starts_with("bitbucket.org/")
}

/// Builds one kustomization directory (absolute) into its objects.
pub fn build_dir(dir: &Path, ctx: &mut Ctx) -> Result<Vec<Res>, Error> {
    let k = Kustomization::read(dir, ctx)?;
    let mut out: Vec<Res> = Vec::new();
    accumulate_target(&k, dir, ctx, &mut out)?;
    Ok(out)
}

/// A kustomization's work on `out`: its resources added, its components run on them, then
/// its generators and transformers (a component's work on its parent's objects).
fn accumulate_target(
    k: &Kustomization,
    dir: &Path,
    ctx: &mut Ctx,
    out: &mut Vec<Res>,
) -> Result<(), Error> {
    let mut entries = k.strings("resources")?;
    entries.extend(k.strings("bases")?);
    for entry in &entries {
        let wrap = |e| match e {
            Error::Kustomize(t) => Error::Kustomize(format!("accumulating resources: {t}")),
            refusal => refusal,
        };
        let (found, file) = accumulate(dir, entry, ctx).map_err(wrap)?;
        for r in found {
            add_unique(out, r).map_err(|e| match (e, &file) {
                (Error::Kustomize(t), Some(path)) => wrap(Error::Kustomize(format!(
                    "accumulation err='merging resources from '{entry}': {t}': must build at directory: '{}': file is not directory",
                    path.display()
                ))),
                (e, _) => e,
            })?;
        }
    }
    super::vars::merge(&mut ctx.vars, super::vars::declared(k)?)?;
    for entry in k.strings("components")? {
        component(dir, &entry, ctx, out)?;
    }
    generate::run(k, dir, out)?;
    transform::run(k, dir, out)?;
    for r in out.iter_mut() {
        r.remember();
    }
    Ok(())
}

/// A `components` entry: a directory whose kustomization is of kind Component.
fn component(dir: &Path, entry: &str, ctx: &mut Ctx, out: &mut Vec<Res>) -> Result<(), Error> {
    if is_remote(entry) {
        return Err(refused("remote components (git and http URLs)"));
    }
    let path = normalize(&dir.join(entry));
    let real = std::fs::canonicalize(&path).map_err(|_| {
        let why = missing(&path.display().to_string(), &path);
        Error::Kustomize(format!(
            "accumulating components: accumulation err='accumulating components from '{entry}': {why}': must build at directory: not a valid directory: {why}"
        ))
    })?;
    if !real.is_dir() {
        return Err(Error::Kustomize(format!(
            "accumulating components: accumulation err='accumulating components from '{entry}': '{}' must be a directory'",
            real.display()
        )));
    }
    let k = Kustomization::read(&real, ctx)?;
    if k.kind() != "Component" {
        let why = format!(
            "expected kind 'Component' for path '{}' but got '{}'",
            real.display(),
            k.kind()
        );
        return Err(Error::Kustomize(format!(
            "accumulating components: accumulateDirectory: {}",
            crate::go::quote(&why)
        )));
    }
    accumulate_target(&k, &real, ctx, out)
}

/// One `resources` entry: a file's documents (and the file) or a directory's build.
fn accumulate(
    dir: &Path,
    entry: &str,
    ctx: &mut Ctx,
) -> Result<(Vec<Res>, Option<PathBuf>), Error> {
    if is_remote(entry) {
        return Err(refused("remote resources (git and http URLs)"));
    }
    let path = normalize(&dir.join(entry));
    let Ok(real) = std::fs::canonicalize(&path) else {
        let why = missing(&path.display().to_string(), &path);
        return Err(Error::Kustomize(format!(
            "accumulation err='accumulating resources from '{entry}': {why}': must build at directory: not a valid directory: {why}"
        )));
    };
    if real.is_dir() {
        let prefix = format!(
            "accumulation err='accumulating resources from '{entry}': '{}' must resolve to a file'",
            real.display()
        );
        let wrap = |how: &str, e| match e {
            Error::Kustomize(t) => {
                Error::Kustomize(format!("{prefix}: {how} '{}': {t}", real.display()))
            }
            refusal => refusal,
        };
        let k = Kustomization::read(&real, ctx)
            .map_err(|e| wrap("couldn't make target for path", e))?;
        if k.kind() == "Component" {
            return Err(Error::Kustomize(format!(
                "{prefix}: expected kind != 'Component' for path '{}'",
                real.display()
            )));
        }
        let mut found = Vec::new();
        accumulate_target(&k, &real, ctx, &mut found)
            .map_err(|e| wrap("recursed accumulation of path", e))?;
        return Ok((found, None));
    }
    if ctx.restrict && !real.starts_with(dir) {
        let why = outside(&real, dir);
        return Err(Error::Kustomize(format!(
            "accumulation err='accumulating resources from '{entry}': {why}': must build at directory: '{}': file is not directory",
            real.display()
        )));
    }
    let text = std::fs::read_to_string(&real)
        .map_err(|e| Error::Kustomize(format!("accumulating resources from '{entry}': {e}")))?;
    let from_file = |mut found: Vec<Res>| {
        for r in &mut found {
            r.origin = Some((real.clone(), None));
        }
        (found, Some(real.clone()))
    };
    objects(&text).map(from_file).map_err(|why| {
        Error::Kustomize(format!(
            "accumulation err='accumulating resources from '{entry}': {why}': must build at directory: '{}': file is not directory",
            real.display()
        ))
    })
}

/// kustomize refuses two objects with one id.
pub fn add_unique(out: &mut Vec<Res>, r: Res) -> Result<(), Error> {
    let same = |o: &Res| {
        o.kind() == r.kind()
            && o.name() == r.name()
            && o.namespace() == r.namespace()
            && group(o.api_version()) == group(r.api_version())
    };
    if out.iter().any(same) {
        return Err(Error::Kustomize(format!(
            "may not add resource with an already registered id: {}",
            id_text(&r)
        )));
    }
    out.push(r);
    Ok(())
}

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
fn outside(file: &Path, root: &Path) -> String {
    format!(
        "security; file '{}' is not in or below '{}'",
        file.display(),
        root.display()
    )
}

/// `..` and `.` resolved in the text of a path, as Go's filepath.Clean does.
fn normalize(path: &Path) -> PathBuf {
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
