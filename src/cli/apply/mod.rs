//! `apply -f`: make the cluster's objects what the manifests say. Client-side by default
//! (kubectl's three-way strategic merge patch against the last applied configuration kept
//! in an annotation), server-side with `--server-side` (the API server merges and tracks
//! field owners). `--prune` deletes what was applied before and is no longer in the files;
//! `-k` is refused.

mod edit_last;
pub(super) mod prune;
mod set_last;
mod view;

use super::dry_run::DryRun;
use super::errors::{CliError, api_error_in_file};
use super::manifest::{self, Document};
use super::merge::{last_applied, three_way};
use super::output::{Output, TemplateFlags, render};
use super::selected;
use super::{GlobalFlags, Io};
use crate::api::options::{PatchType, WriteOptions, field_validation};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::client::{Client, NewObject};
use crate::print::name::name_line;
use clap::{Args, Subcommand};
use serde_json::Value;
use std::io::IsTerminal;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = false)]
pub struct ApplyArgs {
    #[command(subcommand)]
    pub sub: Option<ApplySub>,
    /// The files that contain the configurations to apply.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Process a kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long)]
    pub kustomize: Option<String>,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format: json, yaml, name, jsonpath=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Schema validation: strict, warn, ignore (kubelite validates on the server).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "strict", default_value = "strict")]
    pub validate: String,
    /// Name of the manager used to track field ownership (default kubectl-client-side-apply, or kubectl with --server-side).
    #[arg(long)]
    pub field_manager: Option<String>,
    /// Merge on the server: the API server tracks which manager owns each field.
    #[arg(long)]
    pub server_side: bool,
    /// With --server-side: take the conflicting fields from their other managers.
    #[arg(long)]
    pub force_conflicts: bool,
    /// If specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side. This flag is beta and may change in the future.
    #[arg(long)]
    pub subresource: Option<String>,
    /// Delete the objects applied before that match -l (or --all) and are not in the files.
    #[arg(long)]
    pub prune: bool,
    /// Selector (label query) to filter on: only matching objects are applied (and pruned).
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Select all resources in the namespace of the specified resource types (for --prune).
    #[arg(long)]
    pub all: bool,
    /// Overwrite the default allowlist with <group/version/kind> for --prune
    #[arg(long)]
    pub prune_allowlist: Vec<String>,
}

/// The subcommands are kubectl's names, all about the annotation.
#[allow(clippy::enum_variant_names)]
#[derive(Subcommand, Debug)]
pub enum ApplySub {
    /// View the latest last-applied-configuration annotation of a resource
    #[command(name = "view-last-applied")]
    ViewLastApplied(view::ViewArgs),
    /// Edit latest last-applied-configuration annotations of a resource/object
    #[command(name = "edit-last-applied")]
    EditLastApplied(edit_last::EditLastArgs),
    /// Set the last-applied-configuration annotation on a live object to match the contents of a file
    #[command(name = "set-last-applied")]
    SetLastApplied(set_last::SetLastArgs),
}

/// kubectl's checks of an `apply` command line, before anything is read or requested.
pub(super) fn validate(args: &ApplyArgs) -> Result<(), CliError> {
    match &args.sub {
        Some(ApplySub::ViewLastApplied(v)) => return view::validate(v),
        Some(ApplySub::EditLastApplied(a)) => return edit_last::validate(a),
        Some(ApplySub::SetLastApplied(a)) => return set_last::validate(a),
        None => {}
    }
    super::kustomize::check_one_of(&args.filenames, args.recursive, args.kustomize.as_deref())?;
    prune::validate(
        args.prune,
        args.all,
        args.selector.as_deref(),
        &args.prune_allowlist,
    )?;
    if args.filenames.is_empty() && args.kustomize.is_none() {
        return Err(CliError::message("must specify one of -f and -k"));
    }
    if args.force_conflicts && !args.server_side {
        return Err(CliError::message(
            "--force-conflicts only works with --server-side",
        ));
    }
    if args.subresource.as_deref().is_some_and(|s| !s.is_empty()) && !args.server_side {
        return Err(CliError::message(
            "--subresource can only be specified for --server-side",
        ));
    }
    let dry_run = DryRun::parse(&args.dry_run)?;
    if args.server_side && dry_run == DryRun::Client {
        return Err(CliError::message(
            "--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)",
        ));
    }
    selected::object_output(args.output.as_deref(), &TemplateFlags::default())?;
    crate::api::options::check_validate_flag(&args.validate).map_err(CliError::message)?;
    Ok(())
}

/// Runs a validated `apply`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ApplyArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    match &args.sub {
        Some(ApplySub::ViewLastApplied(v)) => return view::run(client, global, v, io),
        Some(ApplySub::EditLastApplied(a)) => return edit_last::run(client, global, a, io),
        Some(ApplySub::SetLastApplied(a)) => return set_last::run(client, global, a, io),
        None => {}
    }
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = selected::object_output(args.output.as_deref(), &TemplateFlags::default())?;
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
    let docs = manifest::documents_for(&sources, client, global);
    if docs.is_empty() {
        return Err(CliError::message("no objects passed to apply"));
    }
    // A given allow-list is looked up before anything is applied.
    let prune_kinds = if args.prune {
        prune::explicit_kinds(client, global, &args.prune_allowlist)?
    } else {
        None
    };
    let selector = match args.selector.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(crate::api::selector::LabelSelector::parse(s).map_err(CliError::message)?),
        None => None,
    };
    let default_manager = if args.server_side {
        "kubectl"
    } else {
        "kubectl-client-side-apply"
    };
    let step = Step {
        client,
        global,
        dry_run,
        opts: WriteOptions {
            dry_run: dry_run == DryRun::Server,
            field_manager: Some(
                args.field_manager
                    .clone()
                    .unwrap_or_else(|| default_manager.to_string()),
            ),
            field_validation: field_validation(&args.validate),
            subresource: subresource_of(args.subresource.as_deref()),
            ..Default::default()
        },
        server_side: args.server_side,
        force: args.force_conflicts,
    };
    let explicit_ns = global.namespace.as_deref().filter(|n| !n.is_empty());
    let mut report = Report {
        output: output.as_ref(),
        dry_run,
        errors: Vec::new(),
        printed: Vec::new(),
        visited: prune::Visited::default(),
    };
    let mut pending: Vec<Outcome> = Vec::new();
    for doc in docs {
        let doc = match doc
            .map_err(|e| e.render(fancy))
            .and_then(|d| manifest::check_namespace(d, explicit_ns))
        {
            Ok(d) => d,
            Err(text) => {
                pending.push(Outcome::Failed(CliError::Raw(text)));
                continue;
            }
        };
        // -l applies only the file's objects it matches.
        if let Some(sel) = &selector
            && !sel.matches(
                doc.value
                    .pointer("/metadata/labels")
                    .and_then(Value::as_object),
            )
        {
            continue;
        }
        pending.push(step.one(&doc, io).unwrap_or_else(Outcome::Failed));
        if pending.len() == BATCH {
            step.flush(&mut pending, &mut report, io);
        }
    }
    step.flush(&mut pending, &mut report, io);
    // kubectl prunes only after every object applied without error.
    if args.prune && report.errors.is_empty() {
        let pruner = prune::Pruner {
            client,
            global,
            selector: args.selector.as_deref(),
            dry_run,
            kinds: prune_kinds,
        };
        let visited = std::mem::take(&mut report.visited);
        pruner.prune(&visited, io, &mut |obj, r, io| {
            report.done(obj, r, "pruned", io);
        })?;
    }
    if let Some(o) = report.output
        && !report.printed.is_empty()
    {
        let text = print_objects(o, std::mem::take(&mut report.printed))?;
        let _ = io.out.write_all(text.as_bytes());
    }
    let _ = io.out.flush();
    selected::finish(report.errors)
}

/// One object as itself; several as the `List` kubectl builds: kind, apiVersion, empty
/// metadata and items in that order (its own struct), each item's keys sorted.
fn print_objects(o: &Output, printed: Vec<(Value, &'static Resource)>) -> Result<String, CliError> {
    if printed.len() == 1 {
        return render(o, printed, true, false, false);
    }
    let items: Vec<Value> = printed
        .into_iter()
        .map(|(mut v, _)| {
            if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.shift_remove("managedFields");
            }
            crate::api::sort_keys_deep(&mut v);
            v
        })
        .collect();
    let list =
        serde_json::json!({"kind": "List", "apiVersion": "v1", "metadata": {}, "items": items});
    match o {
        Output::Json => Ok(crate::print::json::to_json_in_order(&list)),
        Output::Yaml => Ok(crate::print::yaml::to_yaml(&list)),
        Output::JsonPath(path) => path.render(&list).map_err(CliError::message),
        _ => Ok(String::new()),
    }
}

/// Objects created per commit, as `create` batches them: a durable commit each is slow.
const BATCH: usize = 256;

/// What became of one document, or what is left to do for it.
enum Outcome {
    Done(Value, &'static Resource, &'static str),
    /// Absent from the cluster: to be created with its batch (the file's name for errors).
    Create(NewObject, String),
    /// Its create was sent with the batch; the answer comes in the batch's order.
    Sent(&'static Resource),
    Failed(CliError),
}

/// What the command prints, in the documents' order.
struct Report<'a> {
    output: Option<&'a Output>,
    dry_run: DryRun,
    errors: Vec<CliError>,
    printed: Vec<(Value, &'static Resource)>,
    /// What was applied, which --prune leaves alone.
    visited: prune::Visited,
}

impl Report<'_> {
    fn done(&mut self, obj: Value, r: &'static Resource, operation: &str, io: &mut Io) {
        self.visited.add(r, &obj);
        match self.output {
            // Objects print together at the end: one alone, several as a List.
            Some(o) if !matches!(o, Output::Name) => self.printed.push((obj, r)),
            _ => {
                let n = obj
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let line = name_line(r.singular, r.group, n);
                let _ = match self.output {
                    Some(_) => writeln!(io.out, "{line}"),
                    None => writeln!(io.out, "{line} {operation}{}", self.dry_run.suffix()),
                };
            }
        }
    }
}

/// What every document's apply shares.
struct Step<'a> {
    client: &'a dyn Client,
    global: &'a GlobalFlags,
    dry_run: DryRun,
    opts: WriteOptions,
    server_side: bool,
    force: bool,
}

impl Step<'_> {
    /// Applies one document: the object to print and what was done to it.
    fn one(&self, doc: &Document, io: &mut Io) -> Result<Outcome, CliError> {
        let r = doc.resource;
        let ns = doc
            .namespace_in(self.global.namespace())
            .map(str::to_string);
        let mut obj = doc.value.clone();
        // kubectl writes the namespace it sends to into the object (and so the annotation).
        if let (Some(ns), Some(meta)) =
            (&ns, obj.get_mut("metadata").and_then(Value::as_object_mut))
        {
            meta.insert("namespace".into(), Value::String(ns.clone()));
        }
        let name = doc.name().to_string();
        if self.server_side {
            let out = self
                .client
                .apply(r, ns.as_deref(), &name, &obj, &self.opts, self.force)
                .map_err(conflict_in_kubectls_words)?;
            return Ok(Outcome::Done(out, r, "serverside-applied"));
        }
        let modified = last_applied::annotated(&obj);
        // kubectl's client refuses to GET an unnamed object, in its words.
        if name.is_empty() {
            let e = ApiError::bad_request("resource name may not be empty");
            return Err(CliError::message(retrieving(doc, ns.as_deref(), &e)));
        }
        let current = match self.client.get(r, ns.as_deref(), &name) {
            Ok(current) => current,
            Err(e) if e.code == 404 => return Ok(self.create(doc, ns, modified)),
            // A server's refusal stays a Status (`Error from server (Reason): ...`), as
            // kubectl adds the source to a Status error; a transport failure is plain text.
            Err(e) if crate::client::auth::failure::is_client_side(&e) => {
                return Err(CliError::message(retrieving(doc, ns.as_deref(), &e)));
            }
            Err(e) => {
                let message = retrieving(doc, ns.as_deref(), &e);
                return Err(CliError::Api(ApiError { message, ..e }));
            }
        };
        // A client dry run of an existing object sends nothing and shows it as read.
        if self.dry_run == DryRun::Client {
            return Ok(Outcome::Done(current, r, "configured"));
        }
        // kubectl's patcher reads the schemas it merges with.
        super::openapi_probe::fetch_for_patch(self.client, &r.api_version());
        let original = last_applied::of(&current);
        // kubectl's warning, word for word.
        if original.is_none() {
            let _ = writeln!(
                io.err,
                "Warning: resource {}/{name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
                r.plural
            );
        }
        let patch = three_way::patch(original.as_ref(), &modified, &current);
        if patch.as_object().is_some_and(serde_json::Map::is_empty) {
            return Ok(Outcome::Done(current, r, "unchanged"));
        }
        let out = self.client.patch(
            r,
            ns.as_deref(),
            &name,
            PatchType::Strategic,
            &patch,
            &self.opts,
        )?;
        Ok(Outcome::Done(out, r, "configured"))
    }

    /// Creates the batch's absent objects in one request, then reports every outcome.
    fn flush(&self, pending: &mut Vec<Outcome>, report: &mut Report, io: &mut Io) {
        let mut sources = Vec::new();
        let mut fresh = Vec::new();
        for outcome in pending.iter_mut() {
            if let Outcome::Create(obj, _) = outcome {
                let sent = Outcome::Sent(obj.resource);
                if let Outcome::Create(obj, source) = std::mem::replace(outcome, sent) {
                    fresh.push(obj);
                    sources.push(source);
                }
            }
        }
        let answers = if fresh.is_empty() {
            Vec::new()
        } else {
            self.client.create_many(fresh, &self.opts)
        };
        let mut answers = answers.into_iter().zip(sources);
        for outcome in pending.drain(..) {
            match outcome {
                Outcome::Sent(r) => match answers.next() {
                    Some((Ok(obj), _)) => report.done(obj, r, "created", io),
                    Some((Err(e), source)) => report.errors.push(CliError::Raw(format!(
                        "{}\n",
                        api_error_in_file(&e, "creating", &source)
                    ))),
                    None => {}
                },
                Outcome::Done(obj, r, operation) => report.done(obj, r, operation, io),
                Outcome::Failed(e) => report.errors.push(e),
                Outcome::Create(..) => {}
            }
        }
    }

    fn create(&self, doc: &Document, ns: Option<String>, modified: Value) -> Outcome {
        if self.dry_run == DryRun::Client {
            return Outcome::Done(modified, doc.resource, "created");
        }
        let obj = NewObject {
            resource: doc.resource,
            namespace: ns,
            object: modified,
        };
        Outcome::Create(obj, doc.source.name.clone())
    }
}

/// `--subresource`, sent as given (the server judges it); empty means none.
fn subresource_of(flag: Option<&str>) -> Option<&'static str> {
    match flag.filter(|s| !s.is_empty())? {
        "status" => Some("status"),
        "scale" => Some("scale"),
        // Any other name is a path the server does not serve; it answers as it does.
        other => Some(Box::leak(other.to_string().into_boxed_str())),
    }
}

/// What kubectl adds under the API server's message of an apply conflict.
const CONFLICT_HINT: &str =
    "Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts";

/// kubectl's words for a failed read of the live object.
fn retrieving(doc: &Document, ns: Option<&str>, e: &ApiError) -> String {
    let r = doc.resource;
    format!(
        "error when retrieving current configuration of:\nResource: \"{}/{}, Resource={}\", GroupVersionKind: \"{}/{}, Kind={}\"\nName: \"{}\", Namespace: \"{}\"\nfrom server for: \"{}\": {}",
        r.group,
        r.version,
        r.plural,
        r.group,
        r.version,
        r.kind,
        doc.name(),
        ns.unwrap_or(""),
        doc.source.name,
        e.message
    )
}

fn conflict_in_kubectls_words(e: ApiError) -> CliError {
    if e.code == 409 && e.message.starts_with("Apply failed with") {
        return CliError::message(format!("{}\n{CONFLICT_HINT}", e.message));
    }
    e.into()
}
