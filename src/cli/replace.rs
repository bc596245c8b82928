//! `replace -f`: each manifest's object replaces the stored one (a PUT). A document without
//! a resourceVersion takes the stored object's (kubectl's overwrite), so only a stale one
//! written in the file conflicts. `--force` deletes every object, waits until each is
//! gone, then creates them afresh.

use super::dry_run::DryRun;
use super::errors::{CliError, api_error_in_file};
use super::manifest::{self, Document};
use super::output::{Output, YamlSeparator, render};
use super::{GlobalFlags, Io};
use crate::api::options::{DeleteOptions, WriteOptions, field_validation};
use crate::api::status::ApiError;
use crate::client::Client;
use crate::print::name;
use clap::Args;
use serde_json::Value;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How long `--force` waits for a deleted object to go (kubectl's default timeout).
const FORCE_WAIT: Duration = Duration::from_secs(300);

#[derive(Args, Debug)]
pub struct ReplaceArgs {
    /// The files (or directories, or - for stdin) that hold the objects to replace
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Read the directories given with -f and everything below them
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format: json, yaml, name, jsonpath=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Schema validation: strict, warn, ignore (kubelite validates on the server).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "strict", default_value = "strict")]
    pub validate: String,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-replace")]
    pub field_manager: String,
    /// Delete each object and create it again instead of updating it
    #[arg(long)]
    pub force: bool,
    /// Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file.
    #[arg(long)]
    pub raw: Option<String>,
}

/// kubectl's checks of the command line, before anything is read or requested.
pub(super) fn validate(args: &ReplaceArgs) -> Result<(), CliError> {
    let dry_run = DryRun::parse(&args.dry_run)?;
    if args.filenames.is_empty() {
        return Err(CliError::message("must specify one of -f and -k"));
    }
    if let Some(raw) = &args.raw {
        let flags = super::raw_write::RawFlags {
            filenames: &args.filenames,
            recursive: args.recursive,
            output: args.output.as_deref(),
            file_required: true,
        };
        super::raw_write::validate(raw, &flags)?;
    }
    if args.force && dry_run != DryRun::None {
        return Err(CliError::message(
            "--dry-run can not be used when --force is set",
        ));
    }
    crate::api::options::check_validate_flag(&args.validate).map_err(CliError::message)?;
    output(args).map(|_| ())
}

fn output(args: &ReplaceArgs) -> Result<Option<Output>, CliError> {
    let Some(o) = args.output.as_deref() else {
        return Ok(None);
    };
    match Output::parse(Some(o)) {
        Ok(out @ (Output::Yaml | Output::Json | Output::Name | Output::JsonPath(_))) => {
            Ok(Some(out))
        }
        _ => Err(CliError::message(format!(
            "unable to match a printer suitable for the output format \"{o}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        ))),
    }
}

pub fn run(
    client: &dyn Client,
    embedded: Option<&crate::client::Embedded>,
    global: &GlobalFlags,
    args: &ReplaceArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    // --raw sends the file as it is (--force and dry runs aside, as kubectl does).
    if let Some(raw) = &args.raw {
        return super::raw_write::run(client, "PUT", raw, &args.filenames, io);
    }
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = output(args)?;
    let sources = manifest::read_sources(&args.filenames, args.recursive, &mut std::io::stdin())
        .map_err(CliError::message)?;
    // kubectl validates a replacement as create does (the OpenAPI documents first); with
    // --force that happens at the create step.
    let validating = client.live() && matches!(args.validate.as_str(), "strict" | "true" | "warn");
    if validating && !args.force {
        super::openapi_probe::fetch(client, &sources);
    }
    let fancy = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let docs = manifest::documents_for(&sources, client, global);
    if docs.is_empty() {
        return Err(CliError::message("no objects passed to replace"));
    }
    // kubectl reports the errors, in document order, after the objects it could replace.
    let mut errors: Vec<String> = Vec::new();
    let printer = Printer {
        output: output.as_ref(),
        suffix: dry_run.suffix(),
        separator: YamlSeparator::default(),
    };
    let explicit_ns = global.namespace.as_deref().filter(|n| !n.is_empty());
    let mut good: Vec<Document> = Vec::new();
    for doc in docs {
        let doc = match doc
            .map_err(|e| e.render(fancy))
            .and_then(|d| manifest::check_namespace(d, explicit_ns))
        {
            Ok(d) => d,
            Err(text) => {
                errors.push(text);
                continue;
            }
        };
        if args.force {
            good.push(doc);
            continue;
        }
        match replace_one(client, global, args, dry_run, &doc) {
            Ok(obj) => printer.print(io, &doc, obj)?,
            Err(e) => errors.push(format!(
                "{}\n",
                api_error_in_file(&e, "replacing", &doc.source.name)
            )),
        }
    }
    if args.force {
        let probe = || {
            if validating {
                super::openapi_probe::fetch(client, &sources);
            }
        };
        force(
            client,
            embedded,
            global,
            args,
            &good,
            &printer,
            &probe,
            io,
            &mut errors,
        )?;
    }
    // Several errors are kubectl's aggregate: one a line, without the `error: ` prefix a
    // lone one gets.
    let many = errors.len() > 1;
    for e in &errors {
        let e = if many {
            e.strip_prefix("error: ").unwrap_or(e)
        } else {
            e
        };
        let _ = io.err.write_all(e.as_bytes());
    }
    Ok(i32::from(!errors.is_empty()))
}

/// What every replaced object is printed with.
struct Printer<'a> {
    output: Option<&'a Output>,
    suffix: &'static str,
    separator: YamlSeparator,
}

impl Printer<'_> {
    fn print(&self, io: &mut Io, doc: &Document, obj: Value) -> Result<(), CliError> {
        let text = match self.output {
            Some(o) => format!(
                "{}{}",
                self.separator.before(o),
                render(o, vec![(obj, doc.resource)], true, false, false)?
            ),
            None => {
                let n = obj
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                format!(
                    "{} replaced{}\n",
                    name::name_line(doc.resource.singular, doc.resource.group, n),
                    self.suffix
                )
            }
        };
        let _ = io.out.write_all(text.as_bytes());
        Ok(())
    }
}

fn namespace<'a>(doc: &'a Document, global: &'a GlobalFlags) -> Option<&'a str> {
    doc.namespace_in(global.namespace())
}

fn write_options(args: &ReplaceArgs, dry_run: DryRun) -> WriteOptions {
    WriteOptions {
        dry_run: dry_run == DryRun::Server,
        field_manager: Some(args.field_manager.clone()),
        field_validation: field_validation(&args.validate),
        ..Default::default()
    }
}

/// One PUT. A client dry run sends nothing and shows the file's object.
fn replace_one(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ReplaceArgs,
    dry_run: DryRun,
    doc: &Document,
) -> Result<Value, ApiError> {
    // kubectl's builder writes the namespace into the object it sends (and shows).
    let mut obj = doc.with_namespace(global.namespace());
    if dry_run == DryRun::Client {
        return Ok(obj);
    }
    let ns = namespace(doc, global);
    let has_version = obj
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .is_some_and(|v| !v.is_empty());
    // A read that fails leaves the PUT to answer (a missing object gets its 404 there),
    // as kubectl's replace helper does.
    if !has_version
        && let Ok(current) = client.get(doc.resource, ns, doc.name())
        && let Some(v) = current.pointer("/metadata/resourceVersion")
    {
        obj["metadata"]["resourceVersion"] = v.clone();
    }
    client.update(
        doc.resource,
        ns,
        doc.name(),
        obj,
        &write_options(args, dry_run),
    )
}

/// `--force`: delete all (absent ones are no error), wait until each is gone, create all.
#[allow(clippy::too_many_arguments)]
fn force(
    client: &dyn Client,
    embedded: Option<&crate::client::Embedded>,
    global: &GlobalFlags,
    args: &ReplaceArgs,
    docs: &[Document],
    printer: &Printer,
    before_create: &dyn Fn(),
    io: &mut Io,
    errors: &mut Vec<String>,
) -> Result<(), CliError> {
    let opts = DeleteOptions {
        propagation_policy: Some("Background".into()),
        ..Default::default()
    };
    let mut deleted: Vec<(&Document, String)> = Vec::new();
    for doc in docs {
        let ns = namespace(doc, global);
        match client.delete(doc.resource, ns, doc.name(), &opts) {
            Ok(reply) => {
                let uid = reply
                    .pointer("/metadata/uid")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                // With `-o name` kubectl's delete step prints names too.
                if matches!(printer.output, Some(Output::Name)) {
                    let _ = writeln!(
                        io.out,
                        "{}/{}",
                        doc.resource.qualified_singular(),
                        doc.name()
                    );
                } else {
                    let _ = writeln!(
                        io.out,
                        "{} \"{}\" deleted",
                        doc.resource.qualified_singular(),
                        doc.name()
                    );
                }
                deleted.push((doc, uid));
            }
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e.into()),
        }
    }
    for (doc, uid) in deleted {
        wait_gone(client, embedded, namespace(doc, global), doc, &uid, io)?;
    }
    before_create();
    for doc in docs {
        let mut obj = doc.value.clone();
        if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("resourceVersion");
        }
        let ns = namespace(doc, global);
        match client.create(doc.resource, ns, obj, &write_options(args, DryRun::None)) {
            Ok(obj) => printer.print(io, doc, obj)?,
            Err(e) => errors.push(format!(
                "{}\n",
                api_error_in_file(&e, "creating", &doc.source.name)
            )),
        }
    }
    Ok(())
}

/// A bounded poll until the deleted object (that uid) is no longer there.
fn wait_gone(
    client: &dyn Client,
    embedded: Option<&crate::client::Embedded>,
    ns: Option<&str>,
    doc: &Document,
    uid: &str,
    io: &mut Io,
) -> Result<(), CliError> {
    let deadline = Instant::now() + FORCE_WAIT;
    // The embedded cluster's control plane runs only when settled: it finishes the
    // deletion (a pod's kubelet stops its containers) in a few rounds or not at all.
    let mut rounds = 0;
    loop {
        match client.get(doc.resource, ns, doc.name()) {
            Err(e) if e.code == 404 => return Ok(()),
            Err(e) => return Err(e.into()),
            Ok(obj) if obj.pointer("/metadata/uid").and_then(Value::as_str) != Some(uid) => {
                return Ok(());
            }
            Ok(_) if !client.live() && rounds < 5 && embedded.is_some() => {
                rounds += 1;
                if let Some(e) = embedded {
                    super::settle_noting(e, io)?;
                }
                continue;
            }
            Ok(_) if !client.live() => {
                return Err(CliError::message(format!(
                    "{} \"{}\" is still being deleted; run the command again once it is gone",
                    doc.resource.qualified_singular(),
                    doc.name()
                )));
            }
            Ok(_) => {}
        }
        if Instant::now() > deadline {
            return Err(CliError::message(
                "timed out waiting for the condition".to_string(),
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
