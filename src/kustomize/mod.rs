//! `kubectl kustomize`: builds the objects a kustomization directory describes, as kustomize
//! v5.5.0 (inside kubectl 1.32) builds them: resources and bases gathered depth first, each
//! directory's generators and transformers run on what it gathered, then, once at the top,
//! generated names get their content hash and references to renamed objects are rewritten.
//! The result is printed in kustomize's legacy kind order with kubectl's YAML bytes.

mod fields;
mod file;
mod generate;
pub mod hash;
mod load;
mod merge;
mod metadata;
mod nameref;
mod order;
mod patch;
mod pattern;
mod read;
mod replace;
mod transform;
mod vars;

use serde_json::Value;
use std::path::PathBuf;

/// One object being built, with the names it had before (kustomize's previous ids), which
/// references written against an older name are matched with.
#[derive(Debug, Clone)]
pub struct Res {
    pub value: Value,
    /// Every (namespace, name) the object had, oldest first, the current one last.
    pub history: Vec<(String, String)>,
    /// A generated object whose name gets the content hash at the end.
    pub needs_hash: bool,
    /// Where it came from: a file, or the kustomization file and generator that made it.
    pub origin: Option<(PathBuf, Option<&'static str>)>,
}

impl Res {
    fn new(value: Value) -> Res {
        let mut r = Res {
            value,
            history: Vec::new(),
            needs_hash: false,
            origin: None,
        };
        r.remember();
        r
    }

    pub fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or("")
    }

    pub fn api_version(&self) -> &str {
        self.value["apiVersion"].as_str().unwrap_or("")
    }

    pub fn name(&self) -> &str {
        self.value["metadata"]["name"].as_str().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.value["metadata"]["namespace"].as_str().unwrap_or("")
    }

    /// Records the current namespace and name if they changed.
    pub fn remember(&mut self) {
        let id = (self.namespace().to_string(), self.name().to_string());
        if self.history.last() != Some(&id) {
            self.history.push(id);
        }
    }

    /// Whether the object is, or once was, called `name`.
    pub fn was_named(&self, name: &str) -> bool {
        self.history.iter().any(|(_, n)| n == name)
    }

    pub fn set_name(&mut self, name: String) {
        if let Some(meta) = self
            .value
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
        {
            meta.insert("name".into(), Value::String(name));
        }
        self.remember();
    }
}

/// What a build made: the YAML stream and the objects in it.
#[derive(Debug)]
pub struct Built {
    pub yaml: String,
    pub objects: Vec<Value>,
    /// Vars nothing referred to (kustomize logs them).
    pub unused_vars: Vec<String>,
}

/// A failed build: kustomize's message, or kubelite's refusal of a feature it does not build.
#[derive(Debug, PartialEq)]
pub enum Error {
    Kustomize(String),
    Refused(String),
}

impl Error {
    pub fn text(&self) -> &str {
        match self {
            Error::Kustomize(t) | Error::Refused(t) => t,
        }
    }
}

/// Builds the kustomization in `dir` (as given on the command line). The warnings kustomize
/// prints on stderr are added to `warnings`, also when the build fails.
pub fn build(dir: &str, restrict: bool, warnings: &mut Vec<String>) -> Result<Built, Error> {
    let mut ctx = Ctx {
        warnings: Vec::new(),
        restrict,
        vars: Vec::new(),
    };
    let built = build_in(dir, &mut ctx);
    warnings.append(&mut ctx.warnings);
    built
}

/// What the whole build shares: the warnings so far, whether files must be in or below
/// their kustomization's directory (kustomize's LoadRestrictionsRootOnly, the default), and
/// the vars declared so far.
pub struct Ctx {
    pub warnings: Vec<String>,
    pub restrict: bool,
    pub vars: Vec<Value>,
}

fn build_in(dir: &str, ctx: &mut Ctx) -> Result<Built, Error> {
    let root = load::root_dir(dir)?;
    let mut resources = load::build_dir(&root, ctx)?;
    hash::add_hashes(&mut resources);
    nameref::fix(&mut resources);
    let unused_vars = vars::expand(&ctx.vars, &mut resources)?;
    let mut quiet = Ctx {
        warnings: Vec::new(),
        restrict: ctx.restrict,
        vars: Vec::new(),
    };
    let top = file::Kustomization::read(&root, &mut quiet)?;
    metadata::add(&top, &root, &mut resources)?;
    order::sort(&mut resources, top.fields.get("sortOptions"))?;
    let objects: Vec<Value> = resources.into_iter().map(|r| r.value).collect();
    let yaml = order::print(&objects);
    Ok(Built {
        yaml,
        objects,
        unused_vars,
    })
}

/// Whether kustomize takes objects of this apiVersion and kind to be namespaced.
pub fn is_namespaced(api_version: &str, kind: &str) -> bool {
    transform::kind_is_namespaced(api_version, kind)
}
