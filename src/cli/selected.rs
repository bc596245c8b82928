//! The objects a changing verb (`label`, `annotate`, `patch`) works on: `TYPE NAME...`,
//! `TYPE/NAME...`, a label selector or `--all`, or the objects of `-f` manifests. Each is
//! read before it is changed; a read that fails is one error among the others, and the
//! verb goes on with the rest, as kubectl does.

use super::errors::{CliError, api_error_text};
use super::output::{Output, TemplateFlags};
use super::{GlobalFlags, manifest, targets};
use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::client::Client;
use serde_json::Value;

/// How the objects were named.
pub struct Selection<'a> {
    pub args: &'a [String],
    pub filenames: &'a [String],
    pub recursive: bool,
    pub selector: Option<&'a str>,
    /// A field selector (`wait --field-selector`), which picks objects as `selector` does.
    pub field_selector: Option<&'a str>,
    pub all: bool,
    pub all_namespaces: bool,
}

/// One object, read from the server.
pub struct Item {
    pub resource: &'static Resource,
    pub namespace: Option<String>,
    pub name: String,
    pub object: Value,
}

/// The objects in order, each read or the error its read gave.
pub fn read(
    client: &dyn Client,
    global: &GlobalFlags,
    sel: &Selection,
) -> Result<Vec<Result<Item, CliError>>, CliError> {
    read_with(client, global, sel, false)
}

/// `read`, with named objects read as kubectl's typed builders read them (`set`:
/// `Accept: application/json, */*`).
pub fn read_typed(
    client: &dyn Client,
    global: &GlobalFlags,
    sel: &Selection,
) -> Result<Vec<Result<Item, CliError>>, CliError> {
    read_with(client, global, sel, true)
}

fn read_with(
    client: &dyn Client,
    global: &GlobalFlags,
    sel: &Selection,
    typed: bool,
) -> Result<Vec<Result<Item, CliError>>, CliError> {
    if !sel.filenames.is_empty() {
        return from_files(client, global, sel);
    }
    if sel.args.is_empty() {
        return Err(CliError::message(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if sel.all && sel.selector.is_some() {
        return Err(CliError::message(
            "cannot set --all and --selector at the same time",
        ));
    }
    let found = targets::resolve(client, global, sel.args)?;
    let by_selector = sel.all || sel.selector.is_some() || sel.field_selector.is_some();
    let named = found.iter().any(|t| !t.names.is_empty());
    if named && sel.all_namespaces {
        return Err(CliError::message(
            "a resource cannot be retrieved by name across all namespaces",
        ));
    }
    if named && (sel.selector.is_some() || sel.field_selector.is_some()) {
        return Err(CliError::message(
            "name cannot be provided when a selector is specified",
        ));
    }
    if !named && !by_selector {
        return Err(CliError::message(
            "resource(s) were provided, but no name was specified",
        ));
    }
    let mut items = Vec::new();
    for t in found {
        let r = t.resource;
        if named {
            let ns = r.namespaced.then(|| global.namespace().to_string());
            for name in t.names {
                items.push(read_one(client, r, ns.clone(), name, typed));
            }
            continue;
        }
        let ns = (r.namespaced && !sel.all_namespaces).then(|| global.namespace());
        let opts = ListOptions {
            label_selector: sel.selector.map(str::to_string),
            field_selector: sel.field_selector.map(str::to_string),
            ..Default::default()
        };
        let list = client
            .list(r, ns, &opts)
            .map_err(|e| unmatched(e, r, &opts))?;
        for obj in list["items"].as_array().into_iter().flatten() {
            items.push(Ok(listed(r, obj.clone())));
        }
    }
    Ok(items)
}

/// kubectl's resource builder restates a selector the server refused (or a type it does
/// not serve) in its own words, keeping the API error's reason.
fn unmatched(mut e: crate::api::status::ApiError, r: &Resource, opts: &ListOptions) -> CliError {
    if e.code == 400 || e.code == 404 {
        // Go's GroupVersionResource text: "/v1, Resource=pods" for the core group.
        let gvr = format!("{}/{}, Resource={}", r.group, r.version, r.plural);
        let (labels, fields) = (
            opts.label_selector.as_deref().unwrap_or(""),
            opts.field_selector.as_deref().unwrap_or(""),
        );
        e.message = if labels.is_empty() && fields.is_empty() {
            format!("Unable to list \"{gvr}\": {}", e.message)
        } else {
            format!(
                "Unable to find \"{gvr}\" that match label selector \"{labels}\", field selector \"{fields}\": {}",
                e.message
            )
        };
    }
    CliError::Api(e)
}

fn read_one(
    client: &dyn Client,
    r: &'static Resource,
    namespace: Option<String>,
    name: String,
    typed: bool,
) -> Result<Item, CliError> {
    let reader = if typed {
        super::builder_read::Reader::Typed
    } else {
        super::builder_read::Reader::Json
    };
    let object = super::builder_read::get(client, reader, r, namespace.as_deref(), &name)?;
    Ok(Item {
        resource: r,
        namespace,
        name,
        object,
    })
}

/// A list item, with the apiVersion and kind the list left out.
fn listed(r: &'static Resource, mut obj: Value) -> Item {
    let meta = |k: &str| {
        obj.pointer(&format!("/metadata/{k}"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let name = meta("name").unwrap_or_default();
    let namespace = meta("namespace").filter(|n| !n.is_empty());
    if let Value::Object(m) = &mut obj {
        let mut whole = serde_json::Map::new();
        whole.insert("apiVersion".into(), Value::String(r.api_version()));
        whole.insert("kind".into(), Value::String(r.kind.to_string()));
        for (k, v) in std::mem::take(m) {
            whole.entry(k).or_insert(v);
        }
        *m = whole;
    }
    Item {
        resource: r,
        namespace,
        name,
        object: obj,
    }
}

fn from_files(
    client: &dyn Client,
    global: &GlobalFlags,
    sel: &Selection,
) -> Result<Vec<Result<Item, CliError>>, CliError> {
    if !sel.args.is_empty() {
        return Err(CliError::message(
            "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
        ));
    }
    let sources = manifest::read_sources(sel.filenames, sel.recursive, &mut std::io::stdin())
        .map_err(CliError::message)?;
    let mut items = Vec::new();
    for doc in manifest::documents_for(&sources, client, global) {
        let doc = match doc {
            Ok(d) => d,
            Err(e) => {
                items.push(Err(CliError::Raw(e.render(false))));
                continue;
            }
        };
        let ns = doc.namespace_in(global.namespace()).map(str::to_string);
        items.push(read_one(
            client,
            doc.resource,
            ns,
            doc.name().to_string(),
            false,
        ));
    }
    Ok(items)
}

/// The end of a verb that went on past failures: no error is success; one is reported as
/// itself (`error: ...`); several are listed one a line, as kubectl lists them.
pub fn finish(errors: Vec<CliError>) -> Result<i32, CliError> {
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors
            .into_iter()
            .next()
            .unwrap_or(CliError::Raw(String::new()))),
        _ => {
            let mut text = String::new();
            for e in errors {
                match e {
                    CliError::Message(m) | CliError::Partial { message: m, .. } => {
                        text.push_str(&m);
                        text.push('\n');
                    }
                    CliError::Api(e) => {
                        text.push_str(&api_error_text(&e));
                        text.push('\n');
                    }
                    CliError::Raw(t) => text.push_str(&t),
                }
            }
            Err(CliError::Raw(text))
        }
    }
}

/// `-o` of a verb that prints the objects it changed: kubectl offers no tables there.
pub fn object_output(
    spec: Option<&str>,
    flags: &TemplateFlags,
) -> Result<Option<Output>, CliError> {
    let template = flags.template.as_deref().filter(|t| !t.is_empty());
    let spec = match (spec.filter(|s| !s.is_empty()), template) {
        (Some(s), _) => s,
        (None, Some(_)) => "go-template",
        (None, None) => return Ok(None),
    };
    let format = if template.is_some() {
        spec
    } else {
        spec.split_once('=').map_or(spec, |(f, _)| f)
    };
    if !matches!(
        format,
        "json"
            | "yaml"
            | "name"
            | "jsonpath"
            | "jsonpath-file"
            | "jsonpath-as-json"
            | "go-template"
            | "go-template-file"
            | "template"
            | "templatefile"
    ) {
        return Err(CliError::message(format!(
            "unable to match a printer suitable for the output format \"{spec}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        )));
    }
    Output::parse_with(Some(spec), flags).map(Some)
}
