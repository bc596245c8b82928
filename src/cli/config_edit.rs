//! `config` subcommands that add, change, rename and remove named entries (`set-cluster`,
//! `set-credentials`, `delete-*`, `rename-context`, `unset`) and list them (`get-clusters`,
//! `get-users`), in kubectl's words. Each change goes to the file kubectl would change.

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::kubeconfig::{Entry, Loaded, Named};
use clap::Args;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct SetClusterArgs {
    args: Vec<String>,
    /// Embed the certificate authority file's contents in the cluster entry
    #[arg(long, default_value = "false", action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    embed_certs: bool,
    /// Proxy URL for the cluster entry
    #[arg(long)]
    proxy_url: Option<String>,
}

#[derive(Args, Debug)]
pub struct SetCredentialsArgs {
    args: Vec<String>,
    /// Embed the client certificate and key files' contents in the user entry
    #[arg(long, default_value = "false", action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    embed_certs: bool,
}

/// kubectl's `Unexpected args: [a b]` for a wrong number of arguments.
pub fn unexpected_args(args: &[String]) -> CliError {
    CliError::message(format!("Unexpected args: [{}]", args.join(" ")))
}

/// kubectl prints the command's help on stdout before some usage errors.
fn with_help(path: &str, message: impl Into<String>) -> CliError {
    CliError::Partial {
        printed: help_text(path),
        message: message.into(),
    }
}

fn help_text(path: &str) -> String {
    let mut cmd = super::help::command();
    let mut sub = Some(&mut cmd);
    for word in path.split(' ') {
        sub = sub.and_then(|c| c.find_subcommand_mut(word));
    }
    sub.map(|c| c.render_help().to_string()).unwrap_or_default()
}

/// In kubelite's default mode a change to `~/.kube/config` would not change which cluster
/// kubelite reaches, so it is refused with the way to do what was meant.
pub fn refuse_in_default_mode(loaded: &Loaded, verb: &str) -> Result<(), CliError> {
    if !loaded.is_kubelite_default() {
        return Ok(());
    }
    Err(CliError::message(format!(
        "kubelite uses its embedded cluster (context \"kubelite\") unless KUBECONFIG or --kubeconfig names a kubeconfig file, so \"config {verb}\" would change nothing kubelite reads; to use ~/.kube/config as kubectl does, export KUBECONFIG=~/.kube/config (or name the file with --kubeconfig)"
    )))
}

fn write(io: &mut Io, text: &str) {
    let _ = io.out.write_all(text.as_bytes());
}

/// `get-clusters` / `get-users`: a NAME column (kubectl walks a Go map, in no fixed order;
/// kubelite lists by name).
pub fn list_names(loaded: &Loaded, what: Named, io: &mut Io) -> Result<i32, CliError> {
    let mut text = String::from("NAME\n");
    for name in what.entries(&loaded.merged).keys() {
        text.push_str(name);
        text.push('\n');
    }
    write(io, &text);
    Ok(0)
}

/// The file kubectl names in `delete-*` and `rename-context` messages.
fn config_file(loaded: &Loaded) -> String {
    loaded
        .mode
        .default_destination()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

fn written(r: Result<(), String>) -> Result<(), CliError> {
    r.map_err(CliError::message)
}

/// `delete-context`, `delete-cluster`, `delete-user`.
pub fn delete(loaded: &Loaded, what: Named, args: &[String], io: &mut Io) -> Result<i32, CliError> {
    let (verb, noun) = match what {
        Named::Context => ("delete-context", "context"),
        Named::Cluster => ("delete-cluster", "cluster"),
        Named::User => ("delete-user", "user"),
    };
    let [name] = args else {
        if what == Named::User {
            return Err(CliError::Raw(
                "error: user to delete is required\nSee 'kubectl config delete-user -h' for help and examples\n".into(),
            ));
        }
        // kubectl prints the help and succeeds.
        write(io, &help_text(&format!("config {verb}")));
        return Ok(0);
    };
    refuse_in_default_mode(loaded, verb)?;
    let file = config_file(loaded);
    let Some(entry) = what.entries(&loaded.merged).get(name) else {
        return Err(CliError::message(format!(
            "cannot delete {noun} {name}, not in {file}"
        )));
    };
    if what == Named::Context && loaded.merged.current_context == *name {
        let _ = io.err.write_all(
            b"warning: this removed your active context, use \"kubectl config use-context\" to select a different one\n",
        );
    }
    written(crate::kubeconfig::delete_entry(
        &loaded.files,
        entry,
        what,
        name,
    ))?;
    write(io, &format!("deleted {noun} {name} from {file}\n"));
    Ok(0)
}

/// `rename-context OLD NEW`: the current-context follows the context.
pub fn rename_context(loaded: &Loaded, args: &[String], io: &mut Io) -> Result<i32, CliError> {
    let [from, to] = args else {
        return Err(with_help(
            "config rename-context",
            format!("Unexpected args: [{}]", args.join(" ")),
        ));
    };
    refuse_in_default_mode(loaded, "rename-context")?;
    let file = config_file(loaded);
    let contexts = &loaded.merged.contexts;
    let Some(entry) = contexts.get(from) else {
        return Err(CliError::message(format!(
            "cannot rename the context \"{from}\", it's not in {file}"
        )));
    };
    if contexts.contains_key(to) {
        return Err(CliError::message(format!(
            "cannot rename the context \"{from}\", the context \"{to}\" already exists in {file}"
        )));
    }
    if loaded.merged.current_context == *from {
        written(crate::kubeconfig::set_current_context(
            &loaded.mode,
            &loaded.files,
            to,
        ))?;
    }
    written(crate::kubeconfig::rename_context(
        &loaded.files,
        entry,
        from,
        to,
    ))?;
    write(io, &format!("Context \"{from}\" renamed to \"{to}\".\n"));
    Ok(0)
}

/// Go's `filepath.Abs`: relative to the working directory, cleaned.
fn absolute(p: &str) -> PathBuf {
    let joined = std::env::current_dir().unwrap_or_default().join(p);
    clean(&joined)
}

fn clean(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::from("/");
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}

/// kubectl writes the paths it sets relative to the file's directory when they are below it.
fn relative_to(path: &Path, dir: &Path) -> String {
    let dir = clean(&absolute(&dir.to_string_lossy()));
    let a: Vec<_> = dir.components().collect();
    let b: Vec<_> = path.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // kubectl keeps the absolute path when the relative one would climb out of the
    // file's directory.
    if common < a.len() {
        return path.display().to_string();
    }
    let mut out = PathBuf::new();
    for c in &b[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        ".".into()
    } else {
        out.display().to_string()
    }
}

/// `os.Stat` of a file to embed, failing in kubectl's words.
fn stat(flag: &str, path: &str) -> Result<(), CliError> {
    std::fs::metadata(path).map(|_| ()).map_err(|e| {
        CliError::message(format!(
            "could not stat {flag} file {path}: {}",
            crate::kubeconfig::go_io_error("stat", Path::new(path), &e)
        ))
    })
}

fn embed(path: &str) -> Result<Value, String> {
    use base64::Engine;
    let bytes = std::fs::read(path)
        .map_err(|e| crate::kubeconfig::go_io_error("open", Path::new(path), &e))?;
    Ok(Value::from(
        base64::engine::general_purpose::STANDARD.encode(bytes),
    ))
}

/// Sets a string field; an empty value removes it (Go's omitempty).
fn set_str(body: &mut Map<String, Value>, key: &str, value: &str) {
    if value.is_empty() {
        body.remove(key);
    } else {
        body.insert(key.into(), Value::from(value));
    }
}

pub fn set_cluster(
    loaded: &Loaded,
    global: &GlobalFlags,
    a: &SetClusterArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let [name] = a.args.as_slice() else {
        return Err(with_help(
            "config set-cluster",
            format!("Unexpected args: [{}]", a.args.join(" ")),
        ));
    };
    if name.is_empty() {
        return Err(CliError::message(
            "you must specify a non-empty cluster name",
        ));
    }
    let ca = global.certificate_authority.clone();
    let insecure = global.insecure_skip_tls_verify;
    if insecure && ca.as_deref().is_some_and(|c| !c.is_empty()) {
        return Err(CliError::message(
            "you cannot specify a certificate authority and insecure mode at the same time",
        ));
    }
    if a.embed_certs {
        match ca.as_deref() {
            None | Some("") => {
                return Err(CliError::message(
                    "you must specify a --certificate-authority to embed",
                ));
            }
            Some(p) => stat("certificate-authority", p)?,
        }
    }
    refuse_in_default_mode(loaded, "set-cluster")?;
    let existing = loaded.merged.clusters.get(name);
    let edit = |body: &mut Map<String, Value>, dir: &Path| -> Result<(), String> {
        if let Some(s) = &global.server {
            body.insert("server".into(), Value::from(s.as_str()));
            // A new server drops the old one's TLS server name (kubectl's rule).
            body.remove("tls-server-name");
        }
        if let Some(t) = &global.tls_server_name {
            set_str(body, "tls-server-name", t);
        }
        // The flag is only ever true (`--insecure-skip-tls-verify=false` is refused by the
        // global flag parser), so given means true.
        if insecure {
            body.insert("insecure-skip-tls-verify".into(), Value::Bool(true));
            body.remove("certificate-authority");
            body.remove("certificate-authority-data");
        }
        if let Some(p) = &ca {
            if a.embed_certs {
                body.insert("certificate-authority-data".into(), embed(p)?);
                body.remove("insecure-skip-tls-verify");
                body.remove("certificate-authority");
            } else {
                let abs = absolute(p);
                body.insert(
                    "certificate-authority".into(),
                    Value::from(relative_to(&abs, dir)),
                );
                body.remove("insecure-skip-tls-verify");
                body.remove("certificate-authority-data");
            }
        }
        if let Some(u) = &a.proxy_url {
            set_str(body, "proxy-url", u);
        }
        // The Go type has no omitempty on `server`.
        if !body.contains_key("server") {
            body.insert("server".into(), Value::from(""));
        }
        Ok(())
    };
    written(crate::kubeconfig::put_entry(
        &loaded.mode,
        &loaded.files,
        existing,
        Named::Cluster,
        name,
        edit,
    ))?;
    write(io, &format!("Cluster \"{name}\" set.\n"));
    Ok(0)
}

pub fn set_credentials(
    loaded: &Loaded,
    global: &GlobalFlags,
    a: &SetCredentialsArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let [name] = a.args.as_slice() else {
        return Err(with_help(
            "config set-credentials",
            format!("unexpected args: [{}]", a.args.join(" ")),
        ));
    };
    if name.is_empty() {
        return Err(CliError::message("you must specify a non-empty user name"));
    }
    let nonempty = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    let mut methods = Vec::new();
    if nonempty(&global.token) {
        methods.push("--token");
    }
    if nonempty(&global.username) || nonempty(&global.password) {
        methods.push("--username/--password");
    }
    if methods.len() > 1 {
        return Err(CliError::message(format!(
            "you cannot specify more than one authentication method at the same time: {}",
            methods.join(", ")
        )));
    }
    if a.embed_certs {
        let cert = global.client_certificate.as_deref().unwrap_or("");
        let key = global.client_key.as_deref().unwrap_or("");
        if cert.is_empty() && key.is_empty() {
            return Err(CliError::message(
                "you must specify a --client-certificate or --client-key to embed",
            ));
        }
        if !cert.is_empty() {
            stat("client-certificate", cert)?;
        }
        if !key.is_empty() {
            stat("client-key", key)?;
        }
    }
    refuse_in_default_mode(loaded, "set-credentials")?;
    let existing = loaded.merged.users.get(name);
    let edit = |body: &mut Map<String, Value>, dir: &Path| -> Result<(), String> {
        for (value, path_key, data_key) in [
            (
                &global.client_certificate,
                "client-certificate",
                "client-certificate-data",
            ),
            (&global.client_key, "client-key", "client-key-data"),
        ] {
            let Some(p) = value else { continue };
            if a.embed_certs {
                body.insert(data_key.into(), embed(p)?);
                body.remove(path_key);
            } else {
                let abs = absolute(p);
                body.insert(path_key.into(), Value::from(relative_to(&abs, dir)));
                body.remove(data_key);
            }
        }
        let mut set_token = false;
        let mut set_basic = false;
        if let Some(t) = &global.token {
            set_str(body, "token", t);
            set_token = !t.is_empty();
        }
        if let Some(u) = &global.username {
            set_str(body, "username", u);
            set_basic = !u.is_empty();
        }
        if let Some(p) = &global.password {
            set_str(body, "password", p);
            set_basic |= !p.is_empty();
        }
        // Setting one way of logging in clears the other.
        if set_token && !set_basic {
            body.remove("username");
            body.remove("password");
        }
        if set_basic && !set_token {
            body.remove("token");
        }
        Ok(())
    };
    written(crate::kubeconfig::put_entry(
        &loaded.mode,
        &loaded.files,
        existing,
        Named::User,
        name,
        edit,
    ))?;
    write(io, &format!("User \"{name}\" set.\n"));
    Ok(0)
}

/// `unset PROPERTY`: a dotted path through the config, where the named lists are maps by
/// name (`contexts.foo.namespace`).
pub fn unset(loaded: &Loaded, args: &[String], io: &mut Io) -> Result<i32, CliError> {
    let [property] = args else {
        return Err(with_help(
            "config unset",
            format!("Unexpected args: [{}]", args.join(" ")),
        ));
    };
    if property.is_empty() {
        return Err(CliError::message("you must specify a property"));
    }
    let steps: Vec<&str> = property.split('.').collect();
    let too_deep = || {
        CliError::message(format!(
            "unable to parse one or more field values of {property}"
        ))
    };
    let what = match steps[0] {
        "clusters" => Some(Named::Cluster),
        "users" => Some(Named::User),
        "contexts" => Some(Named::Context),
        "current-context" | "preferences" | "kind" | "apiVersion" | "extensions" => None,
        _ => {
            return Err(CliError::message(format!(
                "unable to parse {property} after [] at api.Config"
            )));
        }
    };
    let max = match (what, steps[0]) {
        (Some(_), _) => 3,
        (None, "preferences") => 2,
        _ => 1,
    };
    if steps.len() > max {
        return Err(too_deep());
    }
    if steps[0] == "preferences" && steps.len() == 2 && !matches!(steps[1], "colors" | "extensions")
    {
        return Err(CliError::message(format!(
            "unable to parse {property} after [{{preferences}}] at api.Preferences"
        )));
    }
    refuse_in_default_mode(loaded, "unset")?;
    match (what, steps.as_slice()) {
        (Some(what), [_]) => {
            for (name, entry) in what.entries(&loaded.merged) {
                written(crate::kubeconfig::delete_entry(
                    &loaded.files,
                    entry,
                    what,
                    name,
                ))?;
            }
        }
        // A name kubectl's type does not have changes nothing, whether or not the key is there.
        (Some(what), [_, _, field]) if !known_field(what, field) => {}
        (Some(what), [_, key, rest @ ..]) => {
            let Some(entry) = what.entries(&loaded.merged).get(*key) else {
                return Err(CliError::message(format!(
                    "current map key `{key}` is invalid"
                )));
            };
            match rest {
                [] => written(crate::kubeconfig::delete_entry(
                    &loaded.files,
                    entry,
                    what,
                    key,
                ))?,
                [field] => unset_field(loaded, entry, what, key, field)?,
                _ => return Err(too_deep()),
            }
        }
        (None, ["current-context"]) => {
            written(crate::kubeconfig::set_current_context(
                &loaded.mode,
                &loaded.files,
                "",
            ))?;
        }
        (None, ["preferences", rest @ ..]) => {
            written(crate::kubeconfig::unset_preference(
                &loaded.mode,
                rest.first().copied(),
            ))?;
        }
        // `kind` and `apiVersion` are written back as kubectl always writes them; kubectl
        // reports the top-level `extensions` unset but writes nothing.
        _ => {}
    }
    write(io, &format!("Property \"{property}\" unset.\n"));
    Ok(0)
}

/// The fields (their YAML names) of kubectl's Cluster, AuthInfo and Context types that
/// `unset` reaches (kubectl leaves the impersonation lists and maps as they are).
fn known_field(what: Named, field: &str) -> bool {
    let fields: &[&str] = match what {
        Named::Cluster => &[
            "server",
            "tls-server-name",
            "insecure-skip-tls-verify",
            "certificate-authority",
            "certificate-authority-data",
            "proxy-url",
            "disable-compression",
            "extensions",
        ],
        Named::User => &[
            "client-certificate",
            "client-certificate-data",
            "client-key",
            "client-key-data",
            "token",
            "tokenFile",
            "as",
            "as-uid",
            "username",
            "password",
            "auth-provider",
            "exec",
            "extensions",
        ],
        Named::Context => &["cluster", "user", "namespace", "extensions"],
    };
    fields.contains(&field)
}

/// Removes one field of an entry; kubectl writes nothing when the field was not set.
fn unset_field(
    loaded: &Loaded,
    entry: &Entry,
    what: Named,
    name: &str,
    field: &str,
) -> Result<(), CliError> {
    let set = entry.body.get(field).is_some_and(|v| !v.is_null());
    if !(set || what == Named::Cluster && field == "server") {
        return Ok(());
    }
    written(crate::kubeconfig::put_entry(
        &loaded.mode,
        &loaded.files,
        Some(entry),
        what,
        name,
        |body, _| {
            body.remove(field);
            if what == Named::Cluster && field == "server" {
                body.insert("server".into(), Value::from(""));
            }
            Ok(())
        },
    ))
}
