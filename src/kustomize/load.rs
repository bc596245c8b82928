//! Gathering a directory's objects: its resources (files of one or more documents, and
//! directories with a kustomization of their own, built first), its generators, then its
//! transformers, in kustomize's order.

use super::file::{Kustomization, refused};
use super::read::{group, id_text, normalize, objects, outside};
use super::{Ctx, Error, Res, generate, transform};
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
