//! `create -f`: create resources from manifests. Documents go to the server in batches of
//! one durable commit each; a line is printed only once its object is committed, so what
//! `create` reported survives a crash.

use super::dry_run::DryRun;
use super::errors::{CliError, api_error_in_file};
use super::manifest::{self, Document};
use super::output::{Output, YamlSeparator, render};
use super::{GlobalFlags, Io};
use crate::api::options::{WriteOptions, field_validation};
use crate::api::selector::LabelSelector;
use crate::client::{Client, NewObject};
use crate::print::name;
use clap::Args;
use serde_json::Value;
use std::io::IsTerminal;

/// Objects per commit: large enough to amortise a durable commit, small enough that
/// progress shows.
const BATCH: usize = 256;

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// A generator: build one object from flags instead of reading manifests.
    #[command(subcommand)]
    pub generator: Option<super::generators::Generator>,
    /// Filename, directory, or URL to files to use to create the resource
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long)]
    pub kustomize: Option<String>,
    /// Must be "none", "server", or "client".
    // A bare --dry-run is kubectl's deprecated "unchanged": client, with a warning.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format: json, yaml, name.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Schema validation: strict, warn, ignore (kubelite validates on the server).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "strict", default_value = "strict")]
    pub validate: String,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-create")]
    pub field_manager: String,
    /// Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.
    #[arg(long)]
    pub raw: Option<String>,
    /// If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.
    #[arg(long)]
    pub save_config: bool,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
}

impl CreateArgs {
    /// Whether the generator owns `--user` (rolebinding, clusterrolebinding).
    pub(super) fn owns_user_flag(&self) -> bool {
        matches!(
            self.generator,
            Some(
                super::generators::Generator::RoleBinding(_)
                    | super::generators::Generator::ClusterRoleBinding(_)
            )
        )
    }

    /// Flags written before a generator's name (`create --dry-run=client deployment ...`)
    /// are the generator's, as cobra parses them; the generator's own win.
    pub(super) fn hand_down(&mut self) {
        let Some(g) = &mut self.generator else {
            return;
        };
        let c = g.common_mut();
        if c.dry_run == "none" {
            c.dry_run.clone_from(&self.dry_run);
        }
        if c.output.is_none() {
            c.output.clone_from(&self.output);
        }
        if c.field_manager == "kubectl-create" {
            c.field_manager.clone_from(&self.field_manager);
        }
        if c.validate == "strict" {
            c.validate.clone_from(&self.validate);
        }
    }
}

/// kubectl's check of a `create` command line before anything is read or requested.
pub(super) fn validate(args: &CreateArgs) -> Result<(), CliError> {
    if let Some(g) = &args.generator {
        // Generators take no manifests: kubectl knows no -f on them.
        if !args.filenames.is_empty() || args.recursive {
            let flag = if args.filenames.is_empty() { 'R' } else { 'f' };
            return Err(CliError::Raw(format!(
                "Error: unknown shorthand flag: '{flag}' in -{flag}\nSee 'kubelite create {} --help' for usage.\n",
                g.command_name()
            )));
        }
        return super::generators::validate(g);
    }
    super::kustomize::check_one_of(&args.filenames, args.recursive, args.kustomize.as_deref())?;
    if args.filenames.is_empty() && args.kustomize.is_none() {
        return Err(CliError::message("must specify one of -f and -k"));
    }
    if let Some(raw) = &args.raw {
        return super::raw_write::validate(raw, &raw_flags(args));
    }
    crate::api::options::check_validate_flag(&args.validate).map_err(CliError::message)?;
    Ok(())
}

fn raw_flags(args: &CreateArgs) -> super::raw_write::RawFlags<'_> {
    super::raw_write::RawFlags {
        filenames: &args.filenames,
        recursive: args.recursive,
        output: args.output.as_deref(),
        file_required: true,
    }
}

/// Runs a validated `create`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &CreateArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    if let Some(g) = &args.generator {
        return super::generators::run(Some(client), global, g, io);
    }
    // --raw sends the file as it is, whatever else was asked (a dry run too).
    if let Some(raw) = &args.raw {
        return super::raw_write::run(client, "POST", raw, &args.filenames, io);
    }
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = match args.output.as_deref() {
        None => None,
        Some(o) => match Output::parse(Some(o))? {
            out @ (Output::Yaml | Output::Json | Output::Name) => Some(out),
            _ => {
                return Err(CliError::message(format!(
                    "--output {o} is not available in kubectl create"
                )));
            }
        },
    };
    let sources = super::kustomize::sources(
        &args.filenames,
        args.recursive,
        args.kustomize.as_deref(),
        &mut *io.err,
    )?;
    if client.live() && matches!(args.validate.as_str(), "strict" | "true" | "warn") {
        super::openapi_probe::fetch(client, &sources);
    }
    let fancy = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut failed = false;
    let mut pending: Vec<Document> = Vec::new();
    let explicit_ns = global.namespace.as_deref().filter(|n| !n.is_empty());
    let wanted = match args.selector.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(LabelSelector::parse(s).map_err(|e| {
            CliError::message(format!("the provided selector \"{s}\" is not valid: {e}"))
        })?),
    };
    let mut docs = manifest::documents_for(&sources, client, global);
    // -l keeps the files' objects whose labels match (a document that failed to read stays,
    // to be reported).
    if let Some(wanted) = &wanted {
        docs.retain(|d| match d {
            Ok(d) => wanted.matches(
                d.value
                    .pointer("/metadata/labels")
                    .and_then(Value::as_object),
            ),
            Err(_) => true,
        });
    }
    if docs.is_empty() {
        return Err(CliError::message("no objects passed to create"));
    }
    let separator = YamlSeparator::default();
    let batch = Batch {
        client,
        global,
        dry_run,
        output: output.as_ref(),
        args,
        separator: &separator,
    };
    for doc in docs {
        match doc
            .map_err(|e| e.render(fancy))
            .and_then(|d| manifest::check_namespace(d, explicit_ns))
        {
            Ok(d) => pending.push(d),
            Err(text) => {
                failed = true;
                batch.flush(&mut pending, io, &mut failed)?;
                let _ = io.err.write_all(text.as_bytes());
            }
        }
        if pending.len() == BATCH {
            batch.flush(&mut pending, io, &mut failed)?;
        }
    }
    batch.flush(&mut pending, io, &mut failed)?;
    Ok(i32::from(failed))
}

/// What every batch of a `create` is sent with.
struct Batch<'a> {
    client: &'a dyn Client,
    global: &'a GlobalFlags,
    dry_run: DryRun,
    output: Option<&'a Output>,
    args: &'a CreateArgs,
    separator: &'a YamlSeparator,
}

impl Batch<'_> {
    /// Sends the pending documents as one batch and prints each outcome in order.
    fn flush(
        &self,
        pending: &mut Vec<Document>,
        io: &mut Io,
        failed: &mut bool,
    ) -> Result<(), CliError> {
        let Batch {
            client,
            global,
            dry_run,
            output,
            args,
            separator,
        } = *self;
        if pending.is_empty() {
            return Ok(());
        }
        let docs: Vec<Document> = std::mem::take(pending);
        // --save-config records each object, namespace included, as `apply` will read it.
        let object = |d: &Document| {
            if args.save_config {
                super::merge::last_applied::annotated(&d.with_namespace(global.namespace()))
            } else if dry_run == DryRun::Client {
                d.with_namespace(global.namespace())
            } else {
                d.value.clone()
            }
        };
        let results: Vec<Result<Value, crate::api::status::ApiError>> = if dry_run == DryRun::Client
        {
            // kubectl's builder gives a namespaced object without one the command's namespace.
            docs.iter().map(|d| Ok(object(d))).collect()
        } else {
            let objects = docs
                .iter()
                .map(|d| NewObject {
                    resource: d.resource,
                    namespace: d.namespace_in(global.namespace()).map(str::to_string),
                    object: object(d),
                })
                .collect();
            let opts = WriteOptions {
                dry_run: dry_run == DryRun::Server,
                field_manager: Some(args.field_manager.clone()),
                field_validation: field_validation(&args.validate),
                ..Default::default()
            };
            client.create_many(objects, &opts)
        };
        let mut out = String::new();
        for (doc, result) in docs.iter().zip(results) {
            match result {
                Ok(obj) => match output {
                    Some(o) => {
                        out.push_str(separator.before(o));
                        out.push_str(&render(o, vec![(obj, doc.resource)], true, false, false)?);
                    }
                    None => {
                        let suffix = dry_run.suffix();
                        let line = name::name_line_returned(
                            &obj,
                            doc.resource.singular,
                            doc.resource.group,
                        );
                        out.push_str(&format!("{line} created{suffix}\n"));
                    }
                },
                Err(e) => {
                    let _ = io.out.write_all(out.as_bytes());
                    out.clear();
                    *failed = true;
                    let _ = writeln!(
                        io.err,
                        "{}",
                        api_error_in_file(&e, "creating", &doc.source.name)
                    );
                }
            }
        }
        let _ = io.out.write_all(out.as_bytes());
        let _ = io.out.flush();
        Ok(())
    }
}
