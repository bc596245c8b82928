//! `apply set-last-applied -f`: record each file's object as its live object's
//! last-applied configuration (a JSON merge patch of the annotation), without touching
//! anything else. Every object is read and checked before any is patched, as kubectl does.

use super::super::dry_run::DryRun;
use super::super::errors::CliError;
use super::super::manifest;
use super::super::output::{TemplateArgs, render};
use super::super::selected;
use super::super::{GlobalFlags, Io};
use crate::api::options::{PatchType, WriteOptions};
use crate::cli::merge::last_applied;
use crate::client::Client;
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct SetLastArgs {
    /// Filename, directory, or URL to files that contains the last-applied-configuration annotations
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Will create 'last-applied-configuration' annotations if current objects doesn't have one
    #[arg(long)]
    pub create_annotation: bool,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// If true, keep the managedFields when printing objects in JSON or YAML format.
    #[arg(long)]
    pub show_managed_fields: bool,
    #[command(flatten)]
    pub templates: TemplateArgs,
}

pub(super) fn validate(args: &SetLastArgs) -> Result<(), CliError> {
    DryRun::parse(&args.dry_run)?;
    selected::object_output(args.output.as_deref(), &args.templates.flags())?;
    if args.filenames.is_empty() {
        return Err(CliError::message(super::super::arg_rules::NO_RESOURCES));
    }
    Ok(())
}

pub(super) fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &SetLastArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = selected::object_output(args.output.as_deref(), &args.templates.flags())?;
    let sources = manifest::read_sources(&args.filenames, false, &mut std::io::stdin())
        .map_err(CliError::message)?;
    // Everything is read and checked first.
    let mut checked = Vec::new();
    for doc in manifest::documents_for(&sources, client, global) {
        let doc = doc.map_err(|e| CliError::Raw(e.render(false)))?;
        let ns = doc.namespace_in(global.namespace()).map(str::to_string);
        let live = client.get(doc.resource, ns.as_deref(), doc.name())?;
        if last_applied::text_of(&live).is_none() && !args.create_annotation {
            return Err(CliError::message(format!(
                "no last-applied-configuration annotation found on resource: {}, to create the annotation, run the command with --create-annotation",
                doc.name()
            )));
        }
        // The file's object as the builder holds it: in its namespace.
        let mut config = doc.value.clone();
        if let Some(n) = &ns
            && config.pointer("/metadata/namespace").is_none()
            && let Some(m) = config.get_mut("metadata").and_then(Value::as_object_mut)
        {
            m.insert("namespace".into(), Value::String(n.clone()));
        }
        checked.push((doc, ns, live, config));
    }
    for (doc, ns, live, config) in checked {
        let text = format!("{}\n", crate::print::json::to_json_compact(&config));
        if last_applied::text_of(&live) == Some(text.as_str()) {
            let _ = writeln!(
                io.out,
                "set-last-applied {}: no changes required.",
                doc.name()
            );
            continue;
        }
        let patch =
            serde_json::json!({"metadata": {"annotations": {last_applied::ANNOTATION: text}}});
        let result = if dry_run == DryRun::Client {
            let mut obj = live.clone();
            crate::apiserver::patch::merge_patch(&mut obj, &patch);
            obj
        } else {
            let opts = WriteOptions {
                dry_run: dry_run == DryRun::Server,
                ..Default::default()
            };
            let body = crate::print::json::to_json_compact(&patch);
            client.patch_raw(
                doc.resource,
                ns.as_deref(),
                doc.name(),
                PatchType::Merge,
                body.as_bytes(),
                &opts,
            )?
        };
        match &output {
            Some(o) => {
                let text = render(
                    o,
                    vec![(result, doc.resource)],
                    true,
                    false,
                    args.show_managed_fields,
                )?;
                let _ = io.out.write_all(text.as_bytes());
            }
            None => {
                let _ = writeln!(
                    io.out,
                    "{}/{} configured{}",
                    doc.resource.qualified_singular(),
                    doc.name(),
                    dry_run.suffix()
                );
            }
        }
    }
    Ok(0)
}
