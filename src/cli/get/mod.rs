//! `get`: display one or many resources.

use super::arg_rules::Naming;
use super::builder_read;
use super::errors::{CliError, api_error_text};
use super::output::{Output, TemplateFlags, render};
use super::targets::{self, Target};
use super::{GlobalFlags, Io};
use crate::api::options::ListOptions;
use crate::client::{Client, Embedded};
use crate::print::jsonpath::{self, Res};
use crate::print::list::with_type_meta;
use crate::print::table_printer::{self, TablePrintOptions};
use crate::print::table_sort;
use clap::Args;
use serde_json::{Value, json};

mod files;

#[derive(Args, Debug, Clone)]
pub struct GetArgs {
    /// TYPE[.VERSION][.GROUP] [NAME ...] | TYPE[.VERSION][.GROUP]/NAME ...
    pub args: Vec<String>,
    /// Output format: json, yaml, name, wide, go-template=..., go-template-file=..., template=..., templatefile=..., jsonpath=..., jsonpath-as-json=..., jsonpath-file=..., custom-columns=..., custom-columns-file=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Selector (field query) to filter on, supports '=', '==', and '!='.
    #[arg(long)]
    pub field_selector: Option<String>,
    /// List the requested object(s) across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// When printing, show all labels as the last column.
    #[arg(long)]
    pub show_labels: bool,
    /// If true, keep the managedFields when printing objects in JSON or YAML format.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// When using the default or custom-column output format, don't print headers.
    #[arg(long)]
    pub no_headers: bool,
    /// Raw URI to request from the server. Uses the transport specified by the kubeconfig file.
    #[arg(long)]
    pub raw: Option<String>,
    /// Sort list types using this field specification (a JSONPath expression).
    #[arg(long)]
    pub sort_by: Option<String>,
    /// Accepts a comma separated list of labels that are going to be presented as columns.
    #[arg(short = 'L', long = "label-columns", value_delimiter = ',')]
    pub label_columns: Vec<String>,
    /// If present, list the resource type for the requested object(s).
    #[arg(long)]
    pub show_kind: bool,
    /// If the requested object does not exist the command will return exit code 0.
    #[arg(long)]
    pub ignore_not_found: bool,
    /// After listing/getting the requested object, watch for changes.
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Watch for changes to the requested object(s), without listing/getting first.
    #[arg(long)]
    pub watch_only: bool,
    /// Output watch event objects when --watch or --watch-only is used.
    #[arg(long)]
    pub output_watch_events: bool,
    /// The template for -o go-template or jsonpath (a file's path with their -file forms), in Go's text/template language for go-template; without -o, go-template is meant.
    #[arg(long)]
    pub template: Option<String>,
    /// When false, a template naming a key the object lacks fails instead of printing <no value>.
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub allow_missing_template_keys: bool,
    /// Return large lists in chunks rather than all at once.
    #[arg(long, default_value_t = 500)]
    pub chunk_size: i64,
    /// Filename, directory, or URL to files identifying the resource to get from a server.
    #[arg(short = 'f', long = "filename", value_delimiter = ',')]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long)]
    pub kustomize: Option<String>,
}

impl GetArgs {
    pub(super) fn template_flags(&self) -> TemplateFlags {
        TemplateFlags {
            template: self.template.clone(),
            allow_missing_keys: self.allow_missing_template_keys,
        }
    }
}

/// The usage error of `get` without a resource type.
const NO_TYPE: &str = "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n";

/// kubectl's checks of a `get` command line, in its order, before anything is requested.
pub(super) fn validate(args: &GetArgs) -> Result<(), CliError> {
    let watching = args.watch || args.watch_only;
    let output = args.output.as_deref().unwrap_or("");
    if let Some(raw) = &args.raw {
        if !args.args.is_empty() {
            return Err(CliError::message(
                "arguments may not be passed when --raw is specified",
            ));
        }
        if watching || args.selector.as_deref().is_some_and(|s| !s.is_empty()) {
            return Err(CliError::message(
                "--raw may not be specified with other flags that filter the server request or alter the output",
            ));
        }
        if !output.is_empty() {
            return Err(CliError::message(
                "--raw and --output are mutually exclusive",
            ));
        }
        if !raw.starts_with('/') && !raw.contains("://") {
            // Go's url.ParseRequestURI: a path must be absolute.
            return Err(CliError::message(format!(
                "--raw must be a valid URL path: parse {}: invalid URI for request",
                crate::go::quote(raw)
            )));
        }
    } else if args.args.is_empty()
        && !watching
        && args.filenames.is_empty()
        && args.kustomize.is_none()
    {
        return Err(CliError::Raw(NO_TYPE.into()));
    }
    if args.show_labels && !output.is_empty() && output != "wide" {
        return Err(CliError::message(format!(
            "--show-labels option cannot be used with {output} printer"
        )));
    }
    if args.output_watch_events && !watching {
        return Err(CliError::message(
            "--output-watch-events option can only be used with --watch or --watch-only",
        ));
    }
    if args.raw.is_some() {
        return Ok(());
    }
    if !args.filenames.is_empty() {
        return files::validate(args);
    }
    let naming = Naming {
        args: &args.args,
        label_selector: args.selector.as_deref(),
        field_selector: args.field_selector.as_deref(),
        ..Default::default()
    };
    if watching {
        naming.check_required()?;
        if args.args.first().is_some_and(|t| t.contains(',')) {
            return Err(CliError::message(
                "you may only specify a single resource type",
            ));
        }
        return Ok(());
    }
    naming.check()
}

/// What one target yielded: its objects (or Table) and the names that were not found.
struct Fetched<'a> {
    target: &'a Target,
    objects: Vec<Value>,
    table: Option<Value>,
}

/// `get -w`: one resource type, its list and then every change, in the `-o` format.
/// `embedded` is the cluster this process holds (one-shot mode), run between reads.
pub(super) fn watch(
    client: &dyn Client,
    embedded: Option<&Embedded>,
    global: &GlobalFlags,
    args: &GetArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    if args.sort_by.as_deref().is_some_and(|s| !s.is_empty()) {
        let _ = writeln!(
            io.err,
            "{}",
            if args.watch {
                "warning: --watch requested, --sort-by will be ignored for watch events received"
            } else {
                "warning: --watch-only requested, --sort-by will be ignored"
            }
        );
    }
    if !args.filenames.is_empty() {
        return files::watch(client, embedded, global, args, io);
    }
    let output = Output::parse_with(args.output.as_deref(), &args.template_flags())?;
    let targets = targets::resolve(client, global, &args.args)?;
    let [target] = targets.as_slice() else {
        return Err(CliError::message(
            "you may only specify a single resource type",
        ));
    };
    let r = target.resource;
    let namespace = (r.namespaced && !args.all_namespaces).then(|| global.namespace());
    let mut field_selector = args.field_selector.clone();
    if let [name] = target.names.as_slice() {
        let by_name = format!("metadata.name={name}");
        field_selector = Some(match field_selector {
            Some(f) => format!("{f},{by_name}"),
            None => by_name,
        });
    }
    let opts = ListOptions {
        label_selector: args.selector.clone(),
        field_selector,
        ..Default::default()
    };
    let print = TablePrintOptions {
        wide: matches!(output, Output::Table { wide: true }),
        no_headers: args.no_headers,
        show_labels: args.show_labels,
        with_namespace: args.all_namespaces && r.namespaced,
        label_columns: args.label_columns.clone(),
        with_kind_prefix: None,
    };
    let timeout = super::watch::parse_timeout(&global.request_timeout)?;
    let req = super::watch::WatchRequest {
        resource: r,
        namespace,
        opts: &opts,
        output: &output,
        print: &print,
        watch_only: args.watch_only,
        events: args.output_watch_events,
        name: match target.names.as_slice() {
            [name] => Some(name.as_str()),
            _ => None,
        },
        no_headers: args.no_headers,
        show_managed_fields: args.show_managed_fields,
        timeout,
    };
    super::watch::run(client, embedded, &req, io)
}

/// `get --raw PATH`: the server's reply to a GET of PATH, byte for byte.
pub(super) fn raw(client: &dyn Client, path: &str, io: &mut Io) -> Result<i32, CliError> {
    client.get_raw_to(path, io.out).unwrap_or_else(|| {
        Err(crate::api::status::ApiError::bad_request(
            "--raw needs an API server: the embedded cluster has no HTTP paths (use kubelite serve)",
        ))
    })?;
    Ok(0)
}

pub(super) fn list_and_print(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &GetArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    if !args.filenames.is_empty() {
        return files::run(client, global, args, io);
    }
    let output = Output::parse_with(args.output.as_deref(), &args.template_flags())?;
    let targets = targets::resolve(client, global, &args.args)?;
    let namespace = global.namespace();
    let list_opts = ListOptions {
        label_selector: args.selector.clone(),
        field_selector: args.field_selector.clone(),
        include_object: args.sort_by.is_some(),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let mut fetched = Vec::new();
    for target in &targets {
        let ns = if target.resource.namespaced && !args.all_namespaces {
            Some(namespace)
        } else {
            None
        };
        fetched.push(fetch(
            client,
            target,
            ns,
            &list_opts,
            output.is_table(),
            args.ignore_not_found,
            &mut errors,
        )?);
    }
    let named = targets.iter().any(|t| !t.names.is_empty());
    let total: usize = fetched
        .iter()
        .map(|f| f.objects.len().max(row_count(&f.table)))
        .sum();
    // kubectl prints nothing at all (no empty list, no "No resources found") when
    // --ignore-not-found found nothing.
    if total == 0 && errors.is_empty() && args.ignore_not_found {
        return Ok(0);
    }
    let mut out = String::new();
    if output.is_table() {
        let show_kind = args.show_kind || targets.len() > 1;
        let sort_key = args.sort_by.as_deref().map(sort_key_fn).transpose()?;
        let mut printed: Vec<(Value, TablePrintOptions)> = Vec::new();
        for f in &mut fetched {
            let Some(mut table) = f.table.take() else {
                continue;
            };
            if let Some(key) = &sort_key {
                table_sort::sort_rows_by(&mut table, key);
            }
            let opts = TablePrintOptions {
                wide: matches!(output, Output::Table { wide: true }),
                no_headers: args.no_headers,
                show_labels: args.show_labels,
                with_namespace: args.all_namespaces && f.target.resource.namespaced,
                label_columns: args.label_columns.clone(),
                with_kind_prefix: show_kind.then(|| f.target.resource.qualified_singular()),
            };
            printed.push((table, opts));
        }
        let refs: Vec<(&Value, &TablePrintOptions)> = printed.iter().map(|(t, o)| (t, o)).collect();
        out.push_str(&table_printer::print_tables(&refs));
        drop(refs);
        // The command ends after printing: freeing thousands of rows piece by piece would
        // cost more than building them, so the process's exit frees them instead.
        #[allow(clippy::mem_forget)]
        std::mem::forget(printed);
    } else {
        let mut objects: Vec<(Value, &crate::api::registry::Resource)> = Vec::new();
        for f in fetched {
            for obj in f.objects {
                objects.push((
                    with_type_meta(
                        obj,
                        &f.target.resource.api_version(),
                        f.target.resource.kind,
                    ),
                    f.target.resource,
                ));
            }
        }
        if let Some(path) = &args.sort_by {
            objects = sort_objects(objects, &sort_key_fn(path)?);
        }
        let single = named && targets.len() == 1 && targets[0].names.len() == 1;
        // Lists print even when empty (an empty List, custom-columns' header; `-o name`
        // nothing at all); a lone missing object prints nothing.
        let prints_empty = !matches!(output, Output::Name);
        if (!objects.is_empty() || prints_empty)
            && !(objects.is_empty() && !errors.is_empty() && single)
        {
            out.push_str(&render(
                &output,
                objects,
                single,
                args.no_headers,
                args.show_managed_fields,
            )?);
        }
    }
    let _ = io.out.write_all(out.as_bytes());
    for e in &errors {
        let _ = writeln!(io.err, "{e}");
    }
    // Only the human-readable table says so; other formats print an empty result as such.
    if total == 0 && errors.is_empty() && !named && output.is_table() {
        let all_cluster_scoped = targets.iter().all(|t| !t.resource.namespaced);
        if args.all_namespaces || all_cluster_scoped {
            let _ = writeln!(io.err, "No resources found");
        } else {
            let _ = writeln!(io.err, "No resources found in {namespace} namespace.");
        }
    }
    Ok(if errors.is_empty() { 0 } else { 1 })
}

fn row_count(table: &Option<Value>) -> usize {
    table
        .as_ref()
        .and_then(|t| t["rows"].as_array())
        .map_or(0, Vec::len)
}

/// Reads one target: the whole collection (filtered), or each name.
fn fetch<'a>(
    client: &dyn Client,
    target: &'a Target,
    namespace: Option<&str>,
    opts: &ListOptions,
    as_table: bool,
    ignore_not_found: bool,
    errors: &mut Vec<String>,
) -> Result<Fetched<'a>, CliError> {
    let r = target.resource;
    if target.names.is_empty() {
        if as_table {
            // Sorting reads the rows' whole objects; printing only their namespace and labels.
            let table = if opts.include_object {
                client.list_table(r, namespace, opts)?
            } else {
                client.list_table_printed(r, namespace, opts)?
            };
            return Ok(Fetched {
                target,
                objects: Vec::new(),
                table: Some(table),
            });
        }
        let mut list = client.list(r, namespace, opts)?;
        let objects = match list["items"].take() {
            Value::Array(items) => items,
            _ => Vec::new(),
        };
        return Ok(Fetched {
            target,
            objects,
            table: None,
        });
    }
    let mut objects = Vec::new();
    let mut table: Option<Value> = None;
    for name in &target.names {
        let reader = if as_table {
            builder_read::Reader::Table
        } else {
            builder_read::Reader::Json
        };
        let result = builder_read::get(client, reader, r, namespace, name);
        match result {
            Ok(v) if as_table => match &mut table {
                None => table = Some(v),
                Some(t) => {
                    let rows = v["rows"].as_array().cloned().unwrap_or_default();
                    if let Some(all) = t["rows"].as_array_mut() {
                        all.extend(rows);
                    }
                }
            },
            Ok(v) => objects.push(v),
            Err(e) if e.code == 404 && ignore_not_found => {}
            Err(e) => errors.push(api_error_text(&e)),
        }
    }
    Ok(Fetched {
        target,
        objects,
        table,
    })
}

/// `--sort-by`'s key: a JSONPath (braces optional) evaluated on each object.
fn sort_key_fn(path: &str) -> Result<impl Fn(&Value) -> Option<Value>, CliError> {
    let template = if path.starts_with('{') {
        path.to_string()
    } else {
        format!("{{{path}}}")
    };
    let jp = jsonpath::parse(&template).map_err(CliError::message)?;
    Ok(move |obj: &Value| -> Option<Value> {
        let results = jp.find_results(obj).ok()?;
        match results.first()?.first()? {
            Res::Json(v) => Some((*v).clone()),
            Res::Str(s) => Some(Value::String(s.clone())),
            Res::Int(i) => Some(Value::from(*i)),
            Res::Float(f) => Some(Value::from(*f)),
            Res::Bool(b) => Some(Value::Bool(*b)),
            _ => None,
        }
    })
}

/// `--sort-by` for non-table output: the same order a table would get.
fn sort_objects<'a>(
    objects: Vec<(Value, &'a crate::api::registry::Resource)>,
    key: &dyn Fn(&Value) -> Option<Value>,
) -> Vec<(Value, &'a crate::api::registry::Resource)> {
    let resources: Vec<_> = objects.iter().map(|(_, r)| *r).collect();
    let rows: Vec<Value> = objects
        .into_iter()
        .enumerate()
        .map(|(i, (o, _))| json!({"cells": [i], "object": o}))
        .collect();
    let mut table = json!({"rows": rows});
    table_sort::sort_rows_by(&mut table, key);
    let Value::Array(rows) = table["rows"].take() else {
        return Vec::new();
    };
    rows.into_iter()
        .filter_map(|mut row| {
            let i = row["cells"][0].as_u64()? as usize;
            Some((row["object"].take(), resources[i]))
        })
        .collect()
}
