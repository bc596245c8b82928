//! `patch`: change objects with a strategic merge patch (the default), a JSON merge patch
//! or a JSON patch, given inline (`-p`) or in a file, in JSON or YAML.

use super::dry_run::DryRun;
use super::errors::CliError;
use super::output::{self, Output};
use super::selected::{self, Item, Selection};
use super::{GlobalFlags, Io};
use crate::api::options::{PatchType, WriteOptions};
use crate::api::status::ApiError;
use crate::client::Client;
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct PatchArgs {
    /// (TYPE NAME | TYPE/NAME)
    pub args: Vec<String>,
    /// The patch to be applied to the resource JSON file.
    #[arg(short = 'p', long)]
    pub patch: Option<String>,
    /// A file containing a patch to be applied to the resource.
    #[arg(long)]
    pub patch_file: Option<String>,
    /// The type of patch being provided; one of [json merge strategic]
    #[arg(long = "type", default_value = "strategic")]
    pub patch_type: String,
    /// If specified, patch will operate on the subresource of the requested object. Must be one of [status scale].
    #[arg(long)]
    pub subresource: Option<String>,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format. One of: (json, yaml, name, go-template=..., go-template-file=..., template=..., templatefile=..., jsonpath=..., jsonpath-as-json=..., jsonpath-file=...).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[command(flatten)]
    pub templates: output::TemplateArgs,
    /// Filename, directory, or URL to files identifying the resource to update
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-patch")]
    pub field_manager: String,
}

/// kubectl's checks of a `patch` command line, in its order, before anything is requested.
pub(super) fn validate(args: &PatchArgs) -> Result<(), CliError> {
    let given = |o: &Option<String>| o.as_deref().is_some_and(|s| !s.is_empty());
    match (given(&args.patch), given(&args.patch_file)) {
        (true, true) => {
            return Err(CliError::message(
                "cannot specify --patch and --patch-file together",
            ));
        }
        (false, false) => {
            return Err(CliError::message(
                "must specify --patch or --patch-file containing the contents of the patch",
            ));
        }
        _ => {}
    }
    patch_type(&args.patch_type)?;
    super::arg_rules::Naming {
        args: &args.args,
        from_files: !args.filenames.is_empty(),
        ..Default::default()
    }
    .check_required()
}

/// `--type`, in any case, as kubectl reads it.
fn patch_type(name: &str) -> Result<PatchType, CliError> {
    match name.to_ascii_lowercase().as_str() {
        "strategic" => Ok(PatchType::Strategic),
        "merge" => Ok(PatchType::Merge),
        "json" => Ok(PatchType::Json),
        _ => Err(CliError::message(format!(
            "--type must be one of [json merge strategic], not {}",
            crate::go::quote(name)
        ))),
    }
}

/// Runs a validated `patch`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &PatchArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let patch_type = patch_type(&args.patch_type)?;
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = selected::object_output(args.output.as_deref(), &args.templates.flags())?;
    let subresource: Option<&'static str> = match args.subresource.as_deref() {
        None => None,
        Some("status") => Some("status"),
        Some("scale") => Some("scale"),
        Some(other) => {
            return Err(CliError::message(format!(
                "invalid subresource value: {other:?}. Must be one of [status scale]"
            )));
        }
    };
    let body = patch_body(args)?;
    let selection = Selection {
        args: &args.args,
        filenames: &args.filenames,
        recursive: args.recursive,
        selector: None,
        all: false,
        all_namespaces: false,
        field_selector: None,
    };
    let step = Step {
        client,
        patch_type,
        body: &body,
        subresource,
        dry_run,
        output: output.as_ref(),
        field_manager: &args.field_manager,
    };
    let mut errors = Vec::new();
    // kubectl reads each named object through the subresource: a kind without a status
    // has no such path, whether the object exists or not.
    if subresource == Some("status") && args.filenames.is_empty() {
        let found = super::targets::resolve(client, global, &args.args)?;
        if !found.is_empty()
            && found
                .iter()
                .all(|t| !crate::api::registry::has_status(t.resource))
        {
            for _ in found.iter().flat_map(|t| &t.names) {
                errors.push(no_such_path().into());
            }
            return selected::finish(errors);
        }
    }
    for item in selected::read(client, global, &selection)? {
        match item.and_then(|i| step.one(i, io)) {
            Ok(()) => {}
            Err(e) => errors.push(e),
        }
    }
    selected::finish(errors)
}

/// The patch as sent: JSON-looking text verbatim (the server judges it), YAML as JSON.
fn patch_body(args: &PatchArgs) -> Result<Vec<u8>, CliError> {
    let text = match (&args.patch, &args.patch_file) {
        (Some(_), Some(_)) => {
            return Err(CliError::message(
                "cannot specify --patch and --patch-file together",
            ));
        }
        (Some(p), None) => p.clone(),
        (None, Some(file)) => std::fs::read_to_string(file).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                _ => e.to_string(),
            };
            CliError::message(format!("unable to read patch file: open {file}: {why}"))
        })?,
        (None, None) => String::new(),
    };
    if text.is_empty() {
        return Err(CliError::message(
            "must specify --patch or --patch-file containing the contents of the patch",
        ));
    }
    if text.trim_start().starts_with('{') {
        return Ok(text.into_bytes());
    }
    let value: Value = serde_saphyr::from_str(&text)
        .map_err(|e| CliError::message(format!("unable to parse {text:?}: {e}")))?;
    serde_json::to_vec(&value).map_err(|e| CliError::message(e.to_string()))
}

/// What every object's patch shares.
struct Step<'a> {
    client: &'a dyn Client,
    patch_type: PatchType,
    body: &'a [u8],
    subresource: Option<&'static str>,
    dry_run: DryRun,
    output: Option<&'a Output>,
    field_manager: &'a str,
}

impl Step<'_> {
    fn one(&self, item: Item, io: &mut Io) -> Result<(), CliError> {
        let r = item.resource;
        let ns = item.namespace.as_deref();
        // kubectl reads what it patches first: the subresource when one is named.
        let before = match self.subresource {
            Some(sub) => self.read_subresource(&item, sub)?,
            None => item.object.clone(),
        };
        let after = if self.dry_run == DryRun::Client {
            apply_locally(&before, self.patch_type, self.body)?
        } else {
            let opts = WriteOptions {
                dry_run: self.dry_run == DryRun::Server,
                field_manager: Some(self.field_manager.to_string()),
                subresource: self.subresource,
                ..Default::default()
            };
            self.client
                .patch_raw(r, ns, &item.name, self.patch_type, self.body, &opts)?
        };
        let changed = before != after;
        // A Scale is named by its own kind, as kubectl names what the server returned.
        let kind_name = if self.subresource == Some("scale") {
            "scale.autoscaling".to_string()
        } else {
            r.qualified_singular()
        };
        match self.output {
            // Named by the object the server returned (a Scale is `scale.autoscaling/...`).
            Some(Output::Name) if self.subresource.is_some() => {
                let line = crate::print::name::name_line_of(&after)
                    .unwrap_or_else(|| format!("{kind_name}/{}", item.name));
                let _ = writeln!(io.out, "{line}");
            }
            Some(o) if !o.is_table() => {
                let text = output::render(o, vec![(after, r)], true, false, false)?;
                let _ = io.out.write_all(text.as_bytes());
            }
            _ => {
                let note = if changed { "" } else { " (no change)" };
                let _ = writeln!(io.out, "{kind_name}/{} patched{note}", item.name);
            }
        }
        Ok(())
    }

    /// GET of `.../<name>/<sub>` on a server; without one, the object itself (its status
    /// lives there) or its Scale view.
    fn read_subresource(&self, item: &Item, sub: &str) -> Result<Value, CliError> {
        let path = format!(
            "{}/{}/{sub}",
            item.resource.collection_path(item.namespace.as_deref()),
            item.name
        );
        match self.client.get_path(&path, "application/json") {
            Some(result) => Ok(result?),
            None if sub == "scale" => Ok(crate::apiserver::scale::scale_of(&item.object)),
            None if crate::api::registry::has_status(item.resource) => Ok(item.object.clone()),
            // A kind without a status has no such path.
            None => Err(no_such_path().into()),
        }
    }
}

/// kube-apiserver's answer on a path it does not serve.
fn no_such_path() -> ApiError {
    ApiError::new(
        404,
        "NotFound",
        "the server could not find the requested resource",
    )
}

/// `--dry-run=client`: the patch applied here, to the object as read.
fn apply_locally(before: &Value, kind: PatchType, body: &[u8]) -> Result<Value, CliError> {
    let patch: Value = serde_json::from_slice(body)
        .map_err(|e| CliError::message(format!("unable to parse the patch as JSON: {e}")))?;
    let mut obj = before.clone();
    let applied: Result<(), ApiError> = match kind {
        PatchType::Merge => {
            crate::apiserver::patch::merge_patch(&mut obj, &patch);
            Ok(())
        }
        PatchType::Json => crate::apiserver::patch::json_patch(&mut obj, &patch),
        PatchType::Strategic => crate::apiserver::smp::apply(&mut obj, &patch),
    };
    applied?;
    Ok(obj)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrap {
        #[command(flatten)]
        args: PatchArgs,
    }

    fn body(argv: &[&str]) -> Result<String, String> {
        let w = Wrap::try_parse_from(std::iter::once("patch").chain(argv.iter().copied()))
            .map_err(|e| e.to_string())?;
        match patch_body(&w.args) {
            Ok(b) => Ok(String::from_utf8(b).unwrap_or_default()),
            Err(CliError::Message(m)) => Err(m),
            Err(_) => Err("other".into()),
        }
    }

    #[test]
    fn json_goes_verbatim_and_yaml_becomes_json() {
        assert_eq!(body(&["-p", " {bad"]), Ok(" {bad".to_string()));
        assert_eq!(
            body(&["-p", "metadata: {labels: {a: \"1\"}}"]),
            Ok(r#"{"metadata":{"labels":{"a":"1"}}}"#.to_string())
        );
        assert_eq!(
            body(&["-p", "[{\"op\": \"remove\", \"path\": \"/x\"}]"]),
            Ok(r#"[{"op":"remove","path":"/x"}]"#.to_string())
        );
        assert_eq!(
            body(&[]),
            Err("must specify --patch or --patch-file containing the contents of the patch".into())
        );
        assert_eq!(
            body(&["-p", "{}", "--patch-file", "x"]),
            Err("cannot specify --patch and --patch-file together".into())
        );
        assert_eq!(
            body(&["--patch-file", "/nonexistent/p.json"]),
            Err(
                "unable to read patch file: open /nonexistent/p.json: no such file or directory"
                    .into()
            )
        );
    }

    #[test]
    fn client_dry_run_applies_each_patch_type() {
        let obj = serde_json::json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}});
        let smp = br#"{"spec":{"containers":[{"name":"b","image":"z"}]}}"#;
        let out = apply_locally(&obj, PatchType::Strategic, smp).unwrap();
        assert_eq!(out["spec"]["containers"][0]["image"], "x");
        assert_eq!(out["spec"]["containers"][1]["image"], "z");
        // A merge patch replaces the whole list.
        let out = apply_locally(&obj, PatchType::Merge, smp).unwrap();
        assert_eq!(out["spec"]["containers"].as_array().map(Vec::len), Some(1));
        let json = br#"[{"op":"replace","path":"/spec/containers/0/image","value":"q"}]"#;
        let out = apply_locally(&obj, PatchType::Json, json).unwrap();
        assert_eq!(out["spec"]["containers"][0]["image"], "q");
    }
}
