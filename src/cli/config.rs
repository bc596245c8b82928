//! `config`: reading and changing kubeconfig files as kubectl does (`view`, `get-contexts`,
//! `current-context`, `use-context`, `set-context`; the other changes are `config_edit`'s).
//! In kubelite's default mode (no `--kubeconfig`, no `KUBECONFIG`) the files are read with
//! the virtual `kubelite` context current, and changes are refused: they would change
//! nothing kubelite reads.

use super::config_edit::{self, refuse_in_default_mode, unexpected_args};
use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::kubeconfig::{Environment, Loaded, Merged, Named};
use clap::{Args, Subcommand};
use serde_json::Value;

#[derive(Args, Debug)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Display merged kubeconfig settings or a specified kubeconfig file
    View(ViewArgs),
    /// Describe one or many contexts
    #[command(name = "get-contexts")]
    GetContexts(GetContextsArgs),
    /// Display the current-context
    #[command(name = "current-context")]
    CurrentContext(ExtraArgs),
    /// Set the current-context in a kubeconfig file
    #[command(name = "use-context", alias = "use")]
    UseContext(ExtraArgs),
    /// Set a context entry in kubeconfig (`--cluster`, `--user`, `--namespace`)
    #[command(name = "set-context")]
    SetContext(SetContextArgs),
    /// Set a cluster entry in kubeconfig
    #[command(name = "set-cluster")]
    SetCluster(config_edit::SetClusterArgs),
    /// Set a user entry in kubeconfig
    #[command(name = "set-credentials")]
    SetCredentials(config_edit::SetCredentialsArgs),
    /// Delete the specified context from the kubeconfig
    #[command(name = "delete-context")]
    DeleteContext(ExtraArgs),
    /// Delete the specified cluster from the kubeconfig
    #[command(name = "delete-cluster")]
    DeleteCluster(ExtraArgs),
    /// Delete the specified user from the kubeconfig
    #[command(name = "delete-user")]
    DeleteUser(ExtraArgs),
    /// Rename a context from the kubeconfig file
    #[command(name = "rename-context")]
    RenameContext(ExtraArgs),
    /// Unset an individual value in a kubeconfig file
    Unset(ExtraArgs),
    /// Display clusters defined in the kubeconfig
    #[command(name = "get-clusters")]
    GetClusters(ExtraArgs),
    /// Display users defined in the kubeconfig
    #[command(name = "get-users")]
    GetUsers(ExtraArgs),
}

#[derive(Args, Debug)]
pub struct ViewArgs {
    /// Display raw byte data and sensitive data
    #[arg(long)]
    raw: bool,
    /// Remove all information not used by current-context from the output
    #[arg(long)]
    minify: bool,
    /// Flatten the resulting kubeconfig file into self-contained output
    #[arg(long)]
    flatten: bool,
    /// Merge the full hierarchy of kubeconfig files
    #[arg(long, default_value = "true", action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    merge: bool,
    /// Output format: yaml, json, jsonpath=..., name
    #[arg(short = 'o', long, default_value = "yaml")]
    output: String,
}

#[derive(Args, Debug)]
pub struct GetContextsArgs {
    names: Vec<String>,
    /// Output format. One of: (name).
    #[arg(short = 'o', long)]
    output: Option<String>,
    /// When using the default or custom-column output format, don't print headers.
    #[arg(long)]
    no_headers: bool,
}

#[derive(Args, Debug)]
pub struct ExtraArgs {
    args: Vec<String>,
}

#[derive(Args, Debug)]
pub struct SetContextArgs {
    args: Vec<String>,
    /// Modify the current context
    #[arg(long)]
    current: bool,
}

pub fn run(global: &GlobalFlags, args: &ConfigArgs, io: &mut Io) -> Result<i32, CliError> {
    let loaded = Loaded::load(
        global.kubeconfig.as_deref(),
        &Environment::from_process(),
        false,
    )
    .map_err(CliError::message)?;
    match &args.command {
        ConfigCommand::View(a) => view(&loaded, global, a, io),
        ConfigCommand::GetContexts(a) => get_contexts(&loaded.merged, a, io),
        ConfigCommand::CurrentContext(_) => {
            let current = &loaded.merged.current_context;
            if current.is_empty() {
                return Err(CliError::message("current-context is not set"));
            }
            write(io, &format!("{current}\n"));
            Ok(0)
        }
        ConfigCommand::UseContext(a) => use_context(&loaded, a, io),
        ConfigCommand::SetContext(a) => set_context(&loaded, global, a, io),
        ConfigCommand::SetCluster(a) => config_edit::set_cluster(&loaded, global, a, io),
        ConfigCommand::SetCredentials(a) => config_edit::set_credentials(&loaded, global, a, io),
        ConfigCommand::DeleteContext(a) => {
            config_edit::delete(&loaded, Named::Context, &a.args, io)
        }
        ConfigCommand::DeleteCluster(a) => {
            config_edit::delete(&loaded, Named::Cluster, &a.args, io)
        }
        ConfigCommand::DeleteUser(a) => config_edit::delete(&loaded, Named::User, &a.args, io),
        ConfigCommand::RenameContext(a) => config_edit::rename_context(&loaded, &a.args, io),
        ConfigCommand::Unset(a) => config_edit::unset(&loaded, &a.args, io),
        ConfigCommand::GetClusters(_) => config_edit::list_names(&loaded, Named::Cluster, io),
        ConfigCommand::GetUsers(_) => config_edit::list_names(&loaded, Named::User, io),
    }
}

fn write(io: &mut Io, text: &str) {
    let _ = io.out.write_all(text.as_bytes());
}

fn view(loaded: &Loaded, global: &GlobalFlags, a: &ViewArgs, io: &mut Io) -> Result<i32, CliError> {
    if !a.merge && !matches!(loaded.mode, crate::kubeconfig::Mode::Explicit(_)) {
        return Err(CliError::message(
            "if merge==false a precise file must be specified",
        ));
    }
    let mut merged = loaded.merged.clone();
    if a.minify {
        if let Some(c) = global.context.as_deref().filter(|c| !c.is_empty()) {
            merged.current_context = c.to_string();
        }
        minify(&mut merged).map_err(CliError::message)?;
    }
    if a.flatten {
        flatten(&mut merged, loaded).map_err(CliError::message)?;
    } else if !a.raw {
        redact(&mut merged);
    }
    let doc = merged.to_document();
    let text = match a.output.as_str() {
        "yaml" => crate::print::yaml::to_yaml(&doc),
        "json" => ordered_json(&doc),
        "name" => "config/<unknown>\n".to_string(),
        spec if spec.starts_with("jsonpath=") => {
            let path = crate::print::jsonpath::parse(&spec["jsonpath=".len()..])
                .map_err(CliError::message)?;
            path.render(&doc).map_err(CliError::message)?
        }
        other => {
            return Err(CliError::message(format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
            )));
        }
    };
    write(io, &text);
    Ok(0)
}

/// `-o json` of the config: fields in the Go types' order (not sorted), four-space indent,
/// Go's HTML-safe escapes.
fn ordered_json(doc: &Value) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    let _ = serde::Serialize::serialize(doc, &mut ser);
    let text = String::from_utf8_lossy(&buf)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("{text}\n")
}

/// Only the current context, its cluster and its user (kubectl's `--minify`).
fn minify(m: &mut Merged) -> Result<(), String> {
    let current = m.current_context.clone();
    if current.is_empty() {
        return Err("current-context must exist in order to minify".into());
    }
    let context = m
        .contexts
        .get(&current)
        .cloned()
        .ok_or_else(|| format!("cannot locate context {current}"))?;
    let keep = |map: &mut std::collections::BTreeMap<String, crate::kubeconfig::Entry>,
                name: &str,
                what: &str|
     -> Result<(), String> {
        if name.is_empty() {
            map.clear();
            return Ok(());
        }
        let entry = map
            .get(name)
            .cloned()
            .ok_or_else(|| format!("cannot locate {what} {name}"))?;
        map.clear();
        map.insert(name.to_string(), entry);
        Ok(())
    };
    keep(
        &mut m.clusters,
        context.body["cluster"].as_str().unwrap_or(""),
        "cluster",
    )?;
    keep(
        &mut m.users,
        context.body["user"].as_str().unwrap_or(""),
        "user",
    )?;
    m.contexts.clear();
    m.contexts.insert(current, context);
    Ok(())
}

/// kubectl's default view: certificate and key data omitted, tokens and passwords redacted.
fn redact(m: &mut Merged) {
    let set = |v: &mut Value, key: &str, with: &str| {
        if v[key].as_str().is_some_and(|s| !s.is_empty()) {
            v[key] = Value::from(with);
        }
    };
    for e in m.clusters.values_mut() {
        set(&mut e.body, "certificate-authority-data", "DATA+OMITTED");
    }
    for e in m.users.values_mut() {
        set(&mut e.body, "client-certificate-data", "DATA+OMITTED");
        set(&mut e.body, "client-key-data", "DATA+OMITTED");
        set(&mut e.body, "token", "REDACTED");
        set(&mut e.body, "password", "REDACTED");
    }
}

/// `--flatten`: the certificate and key files embedded as data (other paths stay as
/// written, as in kubectl).
fn flatten(m: &mut Merged, loaded: &Loaded) -> Result<(), String> {
    use base64::Engine;
    let dir_of = |origin: usize| loaded.files.get(origin).and_then(|f| f.dir());
    let embed =
        |body: &mut Value, dir: Option<&std::path::Path>, path_key: &str, data_key: &str| {
            let Some(p) = body[path_key].as_str().filter(|p| !p.is_empty()) else {
                return Ok(());
            };
            let path = match dir {
                Some(d) => crate::kubeconfig::resolve_path(p, d),
                None => std::path::PathBuf::from(p),
            };
            if body[data_key].as_str().is_some_and(|d| !d.is_empty()) {
                return Err("cannot have values for both path and contents".to_string());
            }
            let bytes = std::fs::read(&path)
                .map_err(|e| crate::kubeconfig::go_io_error("open", &path, &e))?;
            body[data_key] = Value::from(base64::engine::general_purpose::STANDARD.encode(bytes));
            if let Some(o) = body.as_object_mut() {
                o.remove(path_key);
            }
            Ok(())
        };
    for e in m.clusters.values_mut() {
        let dir = dir_of(e.origin);
        embed(
            &mut e.body,
            dir,
            "certificate-authority",
            "certificate-authority-data",
        )?;
    }
    for e in m.users.values_mut() {
        let dir = dir_of(e.origin);
        embed(
            &mut e.body,
            dir,
            "client-certificate",
            "client-certificate-data",
        )?;
        embed(&mut e.body, dir, "client-key", "client-key-data")?;
    }
    Ok(())
}

fn get_contexts(m: &Merged, a: &GetContextsArgs, io: &mut Io) -> Result<i32, CliError> {
    let names_only = match a.output.as_deref() {
        None | Some("") => false,
        Some("name") => true,
        Some(other) => {
            return Err(CliError::message(format!(
                "--output {other} is not available in kubectl config get-contexts; resetting to default output format"
            )));
        }
    };
    let shown: Vec<(&String, &Value)> = m
        .contexts
        .iter()
        .filter(|(name, _)| a.names.is_empty() || a.names.contains(name))
        .map(|(name, e)| (name, &e.body))
        .collect();
    let mut text = String::new();
    if names_only {
        for (name, _) in &shown {
            text.push_str(&format!("{name}\n"));
        }
    } else {
        let mut tw = crate::print::tabwriter::TabWriter::table();
        if !a.no_headers {
            tw.write_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
        }
        for (name, body) in &shown {
            let mark = if **name == m.current_context { "*" } else { "" };
            let field = |k: &str| body[k].as_str().unwrap_or("").to_string();
            tw.write_str(&format!(
                "{mark}\t{name}\t{}\t{}\t{}\n",
                field("cluster"),
                field("user"),
                field("namespace")
            ));
        }
        text = tw.finish();
    }
    write(io, &text);
    let missing: Vec<String> = a
        .names
        .iter()
        .filter(|n| !m.contexts.contains_key(*n))
        .map(|n| format!("context {n} not found"))
        .collect();
    match missing.as_slice() {
        [] => Ok(0),
        [one] => Err(CliError::message(one.clone())),
        many => Err(CliError::Raw(
            many.iter().map(|l| format!("{l}\n")).collect(),
        )),
    }
}

fn use_context(loaded: &Loaded, a: &ExtraArgs, io: &mut Io) -> Result<i32, CliError> {
    let [name] = a.args.as_slice() else {
        return Err(unexpected_args(&a.args));
    };
    refuse_in_default_mode(loaded, "use-context")?;
    if !loaded.merged.contexts.contains_key(name) {
        return Err(CliError::message(format!(
            "no context exists with the name: \"{name}\""
        )));
    }
    if loaded.merged.current_context != *name {
        crate::kubeconfig::set_current_context(&loaded.mode, &loaded.files, name)
            .map_err(CliError::message)?;
    }
    write(io, &format!("Switched to context \"{name}\".\n"));
    Ok(0)
}

fn set_context(
    loaded: &Loaded,
    global: &GlobalFlags,
    a: &SetContextArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    if a.args.len() > 1 {
        return Err(unexpected_args(&a.args));
    }
    let given = a.args.first().filter(|n| !n.is_empty());
    let name = match (given, a.current) {
        (Some(_), true) => {
            return Err(CliError::message(
                "you cannot specify both a context name and --current",
            ));
        }
        (None, false) => {
            return Err(CliError::message(
                "you must specify a non-empty context name or --current",
            ));
        }
        (Some(n), false) => n.clone(),
        (None, true) => {
            let current = loaded.merged.current_context.clone();
            if current.is_empty() {
                return Err(CliError::message("no current context is set"));
            }
            current
        }
    };
    refuse_in_default_mode(loaded, "set-context")?;
    // kubectl's own --cluster, --user and --namespace of set-context are the global flags'
    // names, so clap hands them over as those.
    let mut changes = Vec::new();
    for (field, value) in [
        ("cluster", &global.cluster),
        ("user", &global.user),
        ("namespace", &global.namespace),
    ] {
        if let Some(v) = value {
            changes.push((field, v.clone()));
        }
    }
    let exists = loaded.merged.contexts.contains_key(&name);
    crate::kubeconfig::put_context(&loaded.mode, &loaded.files, &loaded.merged, &name, &changes)
        .map_err(CliError::message)?;
    let what = if exists { "modified" } else { "created" };
    write(io, &format!("Context \"{name}\" {what}.\n"));
    Ok(0)
}
