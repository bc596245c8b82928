//! `certificate approve|deny`: add kubectl's Approved or Denied condition to
//! CertificateSigningRequests through their `approval` subresource, as kubectl 1.32 does:
//! each request is read as the builder reads it, read again as the typed client does,
//! given the condition unless it has it (or `--force`), written with a PUT of the whole
//! object to `approval` (a conflict reads and tries again, up to ten times), then printed
//! as the builder read it. A request already decided the other way is an error.

use super::errors::CliError;
use super::output::{self, TemplateArgs};
use super::selected::{self, Item, Selection};
use super::{GlobalFlags, Io};
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::client::Client;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

#[derive(Args, Debug)]
pub struct CertificateArgs {
    #[command(subcommand)]
    pub command: CertificateCommand,
}

#[derive(Subcommand, Debug)]
pub enum CertificateCommand {
    /// Approve a certificate signing request
    Approve(DecideArgs),
    /// Deny a certificate signing request
    Deny(DecideArgs),
}

#[derive(Args, Debug)]
pub struct DecideArgs {
    /// NAME...
    pub names: Vec<String>,
    /// Filename, directory, or URL to files identifying the resource to update
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Process the kustomization directory (refused: kubelite names the requests or reads -f).
    #[arg(short = 'k', long)]
    pub kustomize: Option<String>,
    /// Update the CSR even if it is already approved (or denied).
    #[arg(long)]
    pub force: bool,
    /// Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// If true, keep the managedFields when printing objects in JSON or YAML format.
    #[arg(long)]
    pub show_managed_fields: bool,
    #[command(flatten)]
    pub templates: TemplateArgs,
}

/// Which decision a run records.
#[derive(Clone, Copy)]
struct Decision {
    condition: &'static str,
    opposite: &'static str,
    reason: &'static str,
    message: &'static str,
    done: &'static str,
}

const APPROVE: Decision = Decision {
    condition: "Approved",
    opposite: "Denied",
    reason: "KubectlApprove",
    message: "This CSR was approved by kubectl certificate approve.",
    done: "approved",
};

const DENY: Decision = Decision {
    condition: "Denied",
    opposite: "Approved",
    reason: "KubectlDeny",
    message: "This CSR was denied by kubectl certificate deny.",
    done: "denied",
};

/// kubectl's checks before anything is requested.
pub fn validate(args: &CertificateArgs) -> Result<(), CliError> {
    let (CertificateCommand::Approve(a) | CertificateCommand::Deny(a)) = &args.command;
    if a.names.is_empty() && a.filenames.is_empty() && a.kustomize.is_none() {
        return Err(CliError::message(
            "one or more CSRs must be specified as <name> or -f <filename>",
        ));
    }
    if a.kustomize.is_some() {
        return Err(CliError::message(
            "kubelite certificate does not read kustomizations: name the requests or use -f",
        ));
    }
    selected::object_output(a.output.as_deref(), &a.templates.flags()).map(|_| ())
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &CertificateArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let (a, decision) = match &args.command {
        CertificateCommand::Approve(a) => (a, APPROVE),
        CertificateCommand::Deny(a) => (a, DENY),
    };
    let shown = selected::object_output(a.output.as_deref(), &a.templates.flags())?;
    if !a.names.is_empty() && !a.filenames.is_empty() {
        return Err(CliError::message(
            "resource/name arguments cannot be provided when a path is specified",
        ));
    }
    // kubectl's builder reads each named request when it visits it, so one is decided
    // before the next is read.
    let mut batches: Vec<Vec<String>> = a
        .names
        .iter()
        .map(|n| vec!["certificatesigningrequests".to_string(), n.clone()])
        .collect();
    if !a.filenames.is_empty() {
        batches.insert(0, Vec::new());
    }
    let mut errors = Vec::new();
    let mut found = 0;
    let separator = output::YamlSeparator::default();
    let items = batches.iter().map(|args| {
        let selection = Selection {
            args,
            filenames: if args.is_empty() { &a.filenames } else { &[] },
            recursive: a.recursive,
            selector: None,
            all: false,
            all_namespaces: false,
            field_selector: None,
        };
        selected::read(client, global, &selection)
    });
    for item in items.flat_map(|batch| batch.unwrap_or_else(|e| vec![Err(e)])) {
        let step = item.and_then(|item| {
            decide(client, &item, decision, a.force)?;
            if let Some(o) = &shown {
                let _ = io.out.write_all(separator.before(o).as_bytes());
            }
            print(&item, shown.as_ref(), a.show_managed_fields, decision, io)
        });
        match step {
            Ok(()) => found += 1,
            Err(e) => errors.push(e),
        }
    }
    if found == 0 && errors.is_empty() {
        let _ = writeln!(io.out, "No resources found");
    }
    selected::finish(errors)
}

/// Reads the request as the typed client does and writes the decision unless it is there.
fn decide(
    client: &dyn Client,
    item: &Item,
    decision: Decision,
    force: bool,
) -> Result<(), CliError> {
    if item.resource.kind != "CertificateSigningRequest"
        || item.resource.group != "certificates.k8s.io"
    {
        return Err(CliError::message(format!(
            "can only handle CertificateSigningRequest.certificates.k8s.io objects, got {}",
            group_kind(item)
        )));
    }
    let opts = WriteOptions {
        subresource: Some("approval"),
        ..Default::default()
    };
    for attempt in 0.. {
        let mut csr = client.get(item.resource, None, &item.name)?;
        let has = with_decision(&mut csr, decision)?;
        if has && !force {
            return Ok(());
        }
        match client.update_status(item.resource, None, &item.name, csr, &opts) {
            Err(e) if is_conflict(&e) && attempt < 10 => continue,
            Err(e) => return Err(CliError::Api(e)),
            Ok(_) => return Ok(()),
        }
    }
    Ok(())
}

fn is_conflict(e: &ApiError) -> bool {
    e.code == 409 && e.reason == "Conflict"
}

fn group_kind(item: &Item) -> String {
    match item.resource.group {
        "" => item.resource.kind.to_string(),
        g => format!("{}.{g}", item.resource.kind),
    }
}

/// Adds the decision's condition unless the request has it (`Ok(true)`); a request decided
/// the other way is kubectl's error.
fn with_decision(csr: &mut Value, decision: Decision) -> Result<bool, CliError> {
    let name = csr
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let conditions = csr
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut has = false;
    for c in &conditions {
        let t = c.get("type").and_then(Value::as_str).unwrap_or("");
        if t == decision.opposite {
            return Err(CliError::message(format!(
                "certificate signing request {} is already {t}",
                crate::go::quote(&name)
            )));
        }
        has |= t == decision.condition;
    }
    if has {
        return Ok(true);
    }
    // kubectl stamps the time itself; the cluster's clock (KUBELITE_NOW) where one is set.
    let now = crate::clock::Clock::from_env()
        .map(|c| c.now())
        .unwrap_or_else(|_| chrono::Utc::now());
    let now = crate::clock::timestamp(now);
    let condition = json!({"type": decision.condition, "status": "True",
        "reason": decision.reason, "message": decision.message, "lastUpdateTime": now});
    if !csr.get("status").is_some_and(Value::is_object) {
        csr["status"] = json!({});
    }
    let mut list = conditions;
    list.push(condition);
    csr["status"]["conditions"] = Value::Array(list);
    Ok(false)
}

fn print(
    item: &Item,
    shown: Option<&output::Output>,
    keep_managed_fields: bool,
    decision: Decision,
    io: &mut Io,
) -> Result<(), CliError> {
    match shown {
        Some(o) => {
            let text = output::render(
                o,
                vec![(item.object.clone(), item.resource)],
                true,
                false,
                keep_managed_fields,
            )?;
            let _ = io.out.write_all(text.as_bytes());
        }
        None => {
            let _ = writeln!(
                io.out,
                "{}/{} {}",
                item.resource.qualified_singular(),
                item.name,
                decision.done
            );
        }
    }
    Ok(())
}
