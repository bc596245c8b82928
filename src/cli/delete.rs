//! `delete`: by file, by type and name, by label selector, or `--all`.

use super::arg_rules::Naming;
use super::dry_run::DryRun;
use super::errors::{CliError, api_error_in_file, api_error_text};
use super::manifest;
use super::targets;
use super::{GlobalFlags, Io};
use crate::api::options::{DeleteOptions, ListOptions};
use crate::api::registry::Resource;
use crate::client::{Client, WatchRequest};
use clap::Args;
use serde_json::Value;
use std::io::IsTerminal;

#[derive(Args, Debug)]
pub struct DeleteArgs {
    /// TYPE [NAME ...] | TYPE/NAME ...
    pub args: Vec<String>,
    /// containing the resource to delete.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Process a kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long)]
    pub kustomize: Option<String>,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Selector (field query) to filter on.
    #[arg(long)]
    pub field_selector: Option<String>,
    /// Delete all resources, in the namespace of the specified resource types.
    #[arg(long)]
    pub all: bool,
    /// If present, list the requested object(s) across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Treat "resource not found" as a successful delete.
    #[arg(long)]
    pub ignore_not_found: bool,
    /// If true, resources are signaled for immediate shutdown (same as --grace-period=1).
    #[arg(long)]
    pub now: bool,
    /// If true, immediately remove resources from API and bypass graceful deletion.
    #[arg(long)]
    pub force: bool,
    /// Period of time in seconds given to the resource to terminate gracefully.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub grace_period: i64,
    /// If true, wait for resources to be gone before returning.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", default_value = "true")]
    pub wait: String,
    /// Must be "background", "orphan", or "foreground".
    #[arg(long, num_args = 0..=1, default_missing_value = "background", default_value = "background")]
    pub cascade: String,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output mode. Use "-o name" for shorter output (resource/name).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// The length of time to wait before giving up on a delete, zero means wait a week.
    #[arg(long, default_value = "0s")]
    pub timeout: String,
    /// Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.
    #[arg(long)]
    pub raw: Option<String>,
}

/// kubectl's checks of a `delete` command line, in its order, before anything is requested.
pub(super) fn validate(args: &DeleteArgs) -> Result<(), CliError> {
    super::kustomize::check_one_of(&args.filenames, args.recursive, args.kustomize.as_deref())?;
    delete_options(args)?;
    // With --raw no objects are named: kubectl checks the raw request's flags only.
    if let Some(raw) = &args.raw {
        let flags = super::raw_write::RawFlags {
            filenames: &args.filenames,
            recursive: args.recursive,
            output: args.output.as_deref(),
            file_required: false,
        };
        return super::raw_write::validate(raw, &flags);
    }
    if args.now && args.grace_period != -1 {
        return Err(CliError::message(
            "--now and --grace-period cannot be specified together",
        ));
    }
    Naming {
        args: &args.args,
        label_selector: args.selector.as_deref(),
        field_selector: args.field_selector.as_deref(),
        all: args.all,
        from_files: !args.filenames.is_empty() || args.kustomize.is_some(),
    }
    .check_required()
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &DeleteArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let opts = delete_options(args)?;
    let name_output = match args.output.as_deref() {
        None | Some("") => false,
        Some("name") => true,
        Some(o) => {
            return Err(CliError::message(format!(
                "unexpected -o output mode: {o}. We only support '-o name'"
            )));
        }
    };
    if args.force {
        let _ = writeln!(
            io.err,
            "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely."
        );
    }
    if let Some(raw) = &args.raw {
        return super::raw_write::run(client, "DELETE", raw, &args.filenames, io);
    }
    let suffix = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?.suffix();
    let mut report = Report {
        io,
        name_output,
        suffix,
        force: args.force && opts.grace_period_seconds == Some(0),
        failed: false,
        found: 0,
        deleted: Vec::new(),
    };
    if !args.filenames.is_empty() || args.kustomize.is_some() {
        if !args.args.is_empty() {
            return Err(CliError::message(
                "resources and names cannot be passed when --filename is used",
            ));
        }
        delete_files(client, global, args, &opts, &mut report)?;
        wait_until_gone(client, args, &opts, &mut report)?;
        return Ok(i32::from(report.failed));
    }
    let targets = targets::resolve(client, global, &args.args)?;
    if targets.is_empty() {
        return Err(CliError::message(super::arg_rules::NO_RESOURCES));
    }
    // A blank selector selects nothing in particular, as in kubectl (not everything).
    let by_selector = Naming {
        label_selector: args.selector.as_deref(),
        field_selector: args.field_selector.as_deref(),
        all: args.all,
        ..Default::default()
    }
    .by_selector();
    for target in &targets {
        let r = target.resource;
        let ns = if r.namespaced && !(args.all_namespaces && by_selector) {
            Some(global.namespace())
        } else {
            None
        };
        if target.names.is_empty() {
            if !by_selector {
                return Err(CliError::message(
                    "resource(s) were provided, but no name was specified",
                ));
            }
            // kubectl lists what to delete in one request (a limit of 0: no pages).
            let list_opts = ListOptions {
                label_selector: args.selector.clone(),
                field_selector: args.field_selector.clone(),
                limit: Some(0),
                ..Default::default()
            };
            let list = client.list(r, ns, &list_opts)?;
            for item in list["items"].as_array().into_iter().flatten() {
                let name = item
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let item_ns = item.pointer("/metadata/namespace").and_then(Value::as_str);
                report.outcome(
                    r,
                    name,
                    client.delete(r, item_ns, name, &opts),
                    None,
                    args.ignore_not_found,
                );
            }
        } else {
            if by_selector {
                return Err(CliError::message(
                    "name cannot be provided when a selector is specified",
                ));
            }
            for name in &target.names {
                report.outcome(
                    r,
                    name,
                    client.delete(r, ns, name, &opts),
                    None,
                    args.ignore_not_found,
                );
            }
        }
    }
    if report.found == 0 && by_selector && !report.failed {
        let _ = writeln!(report.io.out, "No resources found");
    }
    wait_until_gone(client, args, &opts, &mut report)?;
    Ok(i32::from(report.failed))
}

/// kubectl waits (`--wait`, the default) until each deleted object is gone: no longer
/// there, or replaced by a new one of the same name. It looks once, then lists and
/// watches until the object's DELETED event. Only a live cluster (Client::live) is waited
/// for: the embedded cluster's control plane finishes deletions after the command.
fn wait_until_gone(
    client: &dyn Client,
    args: &DeleteArgs,
    opts: &DeleteOptions,
    report: &mut Report,
) -> Result<(), CliError> {
    if !client.live() || opts.dry_run || args.wait == "false" || report.deleted.is_empty() {
        return Ok(());
    }
    let timeout = super::watch::parse_timeout(&args.timeout)?
        .unwrap_or(std::time::Duration::from_secs(7 * 24 * 3600));
    let deadline = std::time::Instant::now() + timeout;
    for (r, ns, name, uid) in std::mem::take(&mut report.deleted) {
        let timed_out = || {
            CliError::message(format!(
                "timed out waiting for the condition on {}/{name}",
                r.qualified_plural()
            ))
        };
        let same = |obj: &Value| obj.pointer("/metadata/uid").and_then(Value::as_str) == Some(&uid);
        match client.get(r, ns.as_deref(), &name) {
            Err(e) if e.code == 404 => continue,
            Err(e) => return Err(e.into()),
            Ok(obj) if !same(&obj) => continue,
            Ok(_) => {}
        }
        let list_opts = ListOptions {
            field_selector: Some(format!("metadata.name={name}")),
            ..Default::default()
        };
        'watching: loop {
            let req = WatchRequest {
                bookmarks: true,
                timeout_seconds: Some(crate::client::informer_watch_seconds()),
                timeout: Some(deadline.saturating_duration_since(std::time::Instant::now())),
                ..Default::default()
            };
            let (list, stream) = client.list_then_watch(r, ns.as_deref(), &list_opts, &req)?;
            if !list["items"].as_array().into_iter().flatten().any(same) {
                break;
            }
            for event in stream {
                match event {
                    Ok(e) if e.kind == "DELETED" && same(&e.object) => break 'watching,
                    Ok(_) => {}
                    Err(_) if std::time::Instant::now() >= deadline => return Err(timed_out()),
                    Err(e) => return Err(e.into()),
                }
            }
            if std::time::Instant::now() >= deadline {
                return Err(timed_out());
            }
        }
    }
    Ok(())
}

fn delete_options(args: &DeleteArgs) -> Result<DeleteOptions, CliError> {
    let propagation = match args.cascade.as_str() {
        "background" | "true" => "Background",
        "foreground" => "Foreground",
        "orphan" | "false" => "Orphan",
        other => {
            return Err(CliError::message(format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            )));
        }
    };
    let dry_run = DryRun::parse(&args.dry_run)? != DryRun::None;
    let grace = if args.force || args.now {
        Some(if args.now { 1 } else { 0 })
    } else {
        (args.grace_period >= 0).then_some(args.grace_period)
    };
    Ok(DeleteOptions {
        dry_run,
        propagation_policy: Some(propagation.to_string()),
        grace_period_seconds: grace,
        requester: None,
        requested_as: None,
    })
}

fn delete_files(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &DeleteArgs,
    opts: &DeleteOptions,
    report: &mut Report,
) -> Result<(), CliError> {
    let sources = super::kustomize::sources(
        &args.filenames,
        args.recursive,
        args.kustomize.as_deref(),
        &mut *report.io.err,
    )?;
    let fancy = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for doc in manifest::documents_for(&sources, client, global) {
        let doc = match doc {
            Ok(d) => d,
            Err(e) => {
                report.failed = true;
                let _ = report.io.err.write_all(e.render(fancy).as_bytes());
                continue;
            }
        };
        let (r, name) = (doc.resource, doc.name());
        report.outcome(
            r,
            name,
            client.delete(r, doc.namespace_in(global.namespace()), name, opts),
            Some(&doc.source.name),
            args.ignore_not_found,
        );
    }
    Ok(())
}

/// Prints each deletion's outcome as kubectl does.
struct Report<'a, 'b> {
    io: &'a mut Io<'b>,
    name_output: bool,
    suffix: &'static str,
    /// `--force` with a zero grace period: kubectl says "force deleted".
    force: bool,
    failed: bool,
    found: usize,
    /// What was deleted (namespace, name, uid), to wait for.
    deleted: Vec<(&'static Resource, Option<String>, String, String)>,
}

impl Report<'_, '_> {
    fn outcome(
        &mut self,
        r: &'static Resource,
        name: &str,
        result: Result<Value, crate::api::status::ApiError>,
        file: Option<&str>,
        ignore_not_found: bool,
    ) {
        match result {
            Ok(reply) => {
                self.found += 1;
                // A Status reply means the object is already gone; an object reply may
                // still be terminating.
                if reply["kind"] != "Status" {
                    let meta = |k: &str| {
                        reply
                            .pointer(&format!("/metadata/{k}"))
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    };
                    self.deleted.push((
                        r,
                        meta("namespace"),
                        name.to_string(),
                        meta("uid").unwrap_or_default(),
                    ));
                }
                let verb = if self.force {
                    "force deleted"
                } else {
                    "deleted"
                };
                let line = if self.name_output {
                    format!("{}/{name}", r.qualified_singular())
                } else {
                    format!(
                        "{} \"{name}\" {verb}{}",
                        r.qualified_singular(),
                        self.suffix
                    )
                };
                let _ = writeln!(self.io.out, "{line}");
            }
            Err(e) if e.code == 404 && ignore_not_found => {}
            Err(e) => {
                self.failed = true;
                let text = match file {
                    Some(f) => api_error_in_file(&e, "deleting", f),
                    None => api_error_text(&e),
                };
                let _ = writeln!(self.io.err, "{text}");
            }
        }
    }
}
