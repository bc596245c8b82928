//! From the merged configuration and the command line's overrides to what a client needs:
//! the context kubectl would use, its cluster and user with the flags applied as kubectl
//! applies them, relative paths resolved against the file that defined each entry, and the
//! files those paths name read.

use super::auth;
use super::files::{EMBEDDED_SCHEME, File};
use super::merge::Merged;
use super::{Overrides, SelectError, Target};
use crate::client::{ConnectionConfig, Credentials, ExecConfig};
use base64::Engine;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// kubectl's server when nothing names one.
pub const DEFAULT_SERVER: &str = "http://localhost:8080";

/// The resolved target and namespace (before in-cluster config is considered).
pub struct Resolved {
    pub target: Target,
    pub namespace: String,
    pub context: Option<String>,
}

pub fn resolve(
    merged: &Merged,
    files: &[File],
    o: &Overrides,
    embedded_home: &Path,
) -> Result<Resolved, SelectError> {
    let context_name = o
        .context
        .clone()
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| merged.current_context.clone());
    let context = match merged.contexts.get(&context_name) {
        Some(e) => e.body.clone(),
        None if context_name.is_empty() => Value::Null,
        None => {
            return Err(SelectError::ContextNotFound(context_name));
        }
    };
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or("").to_string();
    let cluster_name = nonempty(&o.cluster).unwrap_or_else(|| text(&context, "cluster"));
    let user_name = nonempty(&o.user).unwrap_or_else(|| text(&context, "user"));
    if nonempty(&o.user).is_some() && !merged.users.contains_key(&user_name) {
        return Err(SelectError::Message(format!(
            "auth info \"{user_name}\" does not exist"
        )));
    }
    if nonempty(&o.cluster).is_some()
        && !merged.clusters.contains_key(&cluster_name)
        && nonempty(&o.server).is_none()
    {
        return Err(SelectError::Message(format!(
            "no server found for cluster \"{cluster_name}\""
        )));
    }
    let dir_of = |origin: usize| files.get(origin).and_then(File::dir).map(Path::to_path_buf);
    let (cluster, cluster_dir) = match merged.clusters.get(&cluster_name) {
        Some(e) => (e.body.clone(), dir_of(e.origin)),
        None => (Value::Null, None),
    };
    let (user, user_dir) = match merged.users.get(&user_name) {
        Some(e) => (e.body.clone(), dir_of(e.origin)),
        None => (Value::Null, None),
    };
    let namespace = nonempty(&o.namespace)
        .or_else(|| Some(text(&context, "namespace")).filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "default".to_string());
    let context = (!context_name.is_empty()).then_some(context_name);

    let server = nonempty(&o.server).unwrap_or_else(|| text(&cluster, "server"));
    let server = if server.is_empty() {
        DEFAULT_SERVER.to_string()
    } else if !server.contains("://") {
        // kubectl reads a bare `host:port` as plain HTTP.
        format!("http://{server}")
    } else {
        server
    };
    if let Some(rest) = server.strip_prefix(EMBEDDED_SCHEME) {
        // A bad --request-timeout is an error whichever cluster is selected.
        super::duration::parse_request_timeout(&o.request_timeout).map_err(SelectError::Message)?;
        return Ok(Resolved {
            target: Target::Embedded {
                home: embedded_home_of(rest, embedded_home)?,
            },
            namespace,
            context,
        });
    }
    let config = remote_config(
        server,
        (&cluster, cluster_dir.as_deref(), &cluster_name),
        (&user, user_dir.as_deref(), &user_name),
        o,
    )?;
    Ok(Resolved {
        target: Target::Remote(config),
        namespace,
        context,
    })
}

/// The connection to a remote server from its cluster and user entries (each with the
/// directory of its file and its name) and the flags.
fn remote_config(
    server: String,
    (cluster, cluster_dir, cluster_name): (&Value, Option<&Path>, &str),
    (user, user_dir, user_name): (&Value, Option<&Path>, &str),
    o: &Overrides,
) -> Result<ConnectionConfig, SelectError> {
    let mut config = ConnectionConfig {
        server,
        ..Default::default()
    };
    // kubectl's order: the user entry is checked and completed (token file, prompt) before
    // the transport reads the CA and sets up auth providers.
    let mut creds = credentials(user, user_dir, user_name, o)?;
    auth::read_token_file(&mut creds)?;
    if config.server.starts_with("https://") && !auth::identifies_user(&creds, user) {
        auth::prompt_basic_auth(&mut creds)?;
    }
    apply_cluster(&mut config, cluster, cluster_dir, cluster_name, o)?;
    auth::auth_provider(user, &mut creds)?;
    config.credentials = creds;
    config.impersonate_user = nonempty(&o.as_user).or_else(|| str_field(user, "as"));
    config.impersonate_groups = if o.as_groups.is_empty() {
        strings(&user["as-groups"])
    } else {
        o.as_groups.clone()
    };
    config.request_timeout =
        super::duration::parse_request_timeout(&o.request_timeout).map_err(SelectError::Message)?;
    config.disable_compression =
        o.disable_compression || cluster["disable-compression"].as_bool().unwrap_or(false);
    Ok(config)
}

/// `kubelite://` is `$KUBELITE_HOME`'s cluster; `kubelite:///dir` the one kept in `/dir`.
fn embedded_home_of(rest: &str, default: &Path) -> Result<PathBuf, SelectError> {
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        return Ok(default.to_path_buf());
    }
    if rest.starts_with('/') {
        return Ok(PathBuf::from(rest));
    }
    Err(SelectError::Message(format!(
        "server \"{EMBEDDED_SCHEME}{rest}\" names no embedded cluster: use {EMBEDDED_SCHEME} for $KUBELITE_HOME's or {EMBEDDED_SCHEME}/absolute/dir"
    )))
}

/// The cluster entry with `--certificate-authority`, `--insecure-skip-tls-verify` and
/// `--tls-server-name` applied: a CA or insecure flag replaces the file's CA and insecure
/// settings together; `--server` without `--tls-server-name` drops the file's server name.
fn apply_cluster(
    config: &mut ConnectionConfig,
    cluster: &Value,
    dir: Option<&Path>,
    name: &str,
    o: &Overrides,
) -> Result<(), SelectError> {
    let flag_ca = nonempty(&o.certificate_authority);
    let (ca_path, ca_data, insecure) = if o.insecure_skip_tls_verify || flag_ca.is_some() {
        (flag_ca.map(PathBuf::from), None, o.insecure_skip_tls_verify)
    } else {
        (
            path_field(cluster, "certificate-authority", dir),
            bytes_field(cluster, "certificate-authority-data"),
            cluster["insecure-skip-tls-verify"]
                .as_bool()
                .unwrap_or(false),
        )
    };
    if insecure && (ca_path.is_some() || ca_data.is_some()) {
        return Err(SelectError::Message(
            "specifying a root certificates file with the insecure flag is not allowed".into(),
        ));
    }
    config.insecure_skip_tls_verify = insecure;
    config.ca_pem = match (ca_data, ca_path) {
        (Some(data), _) => Some(data),
        (None, Some(path)) => Some(std::fs::read(&path).map_err(|e| {
            SelectError::Message(format!(
                "unable to read certificate-authority {} for {name} due to {}",
                path.display(),
                super::go_io_error("open", &path, &e)
            ))
        })?),
        (None, None) => None,
    };
    config.tls_server_name =
        if nonempty(&o.tls_server_name).is_some() || nonempty(&o.server).is_some() {
            nonempty(&o.tls_server_name)
        } else {
            cluster
                .get("tls-server-name")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
    config.proxy_url = cluster
        .get("proxy-url")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(())
}

/// The user entry with `--token`, `--client-certificate`, `--client-key`, `--username` and
/// `--password` applied, checked and its files read, as kubectl validates it.
fn credentials(
    user: &Value,
    dir: Option<&Path>,
    name: &str,
    o: &Overrides,
) -> Result<Credentials, SelectError> {
    let mut c = Credentials::default();
    let (token, token_file) = match nonempty(&o.token) {
        Some(t) => (Some(t), None),
        None => (
            user.get("token")
                .and_then(Value::as_str)
                .map(str::to_string),
            path_field(user, "tokenFile", dir),
        ),
    };
    let (cert_path, cert_data) = match nonempty(&o.client_certificate) {
        Some(p) => (Some(PathBuf::from(p)), None),
        None => (
            path_field(user, "client-certificate", dir),
            bytes_field(user, "client-certificate-data"),
        ),
    };
    let (key_path, key_data) = match nonempty(&o.client_key) {
        Some(p) => (Some(PathBuf::from(p)), None),
        None => (
            path_field(user, "client-key", dir),
            bytes_field(user, "client-key-data"),
        ),
    };
    let username = nonempty(&o.username).or_else(|| str_field(user, "username"));
    let password = nonempty(&o.password).or_else(|| str_field(user, "password"));

    let mut problems = Vec::new();
    let has_cert = cert_path.is_some() || cert_data.is_some();
    let has_key = key_path.is_some() || key_data.is_some();
    if has_cert && !has_key {
        problems.push(format!(
            "client-key-data or client-key must be specified for {name} to use the clientCert authentication method."
        ));
    }
    if has_key && !has_cert {
        problems.push(format!(
            "client-cert-data or client-cert must be specified for {name} to use the clientCert authentication method."
        ));
    }
    let mut read = |data: Option<Vec<u8>>, path: Option<PathBuf>, what: &str| match (data, path) {
        (Some(d), _) => Some(d),
        (None, Some(p)) => match std::fs::read(&p) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                problems.push(format!(
                    "unable to read {what} {} for {name} due to {}",
                    p.display(),
                    super::go_io_error("open", &p, &e)
                ));
                None
            }
        },
        (None, None) => None,
    };
    c.client_cert_pem = read(cert_data, cert_path, "client-cert");
    c.client_key_pem = read(key_data, key_path, "client-key");
    c.exec = exec_config(user, dir, name, &mut problems);
    let mut methods = Vec::new();
    if token.is_some() || token_file.is_some() {
        methods.push("token");
    }
    if username.is_some() || password.is_some() {
        methods.push("basicAuth");
    }
    if methods.len() > 1 {
        problems.push(format!(
            "more than one authentication method found for {name}; found [{}], only one is allowed",
            methods.join(" ")
        ));
    }
    if !problems.is_empty() {
        return Err(SelectError::Configuration(problems));
    }
    c.token = token;
    c.token_file = token_file;
    c.username = username;
    c.password = password;
    Ok(c)
}

/// The user's `exec:` plugin, with a command that names a path resolved like kubectl does
/// (against the kubeconfig's directory) and kubectl's checks.
fn exec_config(
    user: &Value,
    dir: Option<&Path>,
    name: &str,
    problems: &mut Vec<String>,
) -> Option<ExecConfig> {
    let exec = user.get("exec").filter(|e| e.is_object())?;
    if user.get("auth-provider").is_some_and(|a| a.is_object()) {
        problems.push(format!(
            "authProvider cannot be provided in combination with an exec plugin for {name}"
        ));
    }
    let mut command = str_field(exec, "command").unwrap_or_default();
    if command.is_empty() {
        problems.push(format!(
            "command must be specified for {name} to use exec authentication plugin"
        ));
    }
    let api_version = str_field(exec, "apiVersion").unwrap_or_default();
    if api_version.is_empty() {
        problems.push(format!(
            "apiVersion must be specified for {name} to use exec authentication plugin"
        ));
    }
    let nameless_env = exec["env"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["name"].as_str().unwrap_or("").is_empty());
    if nameless_env {
        problems.push(format!(
            "env variable name must be specified for {name} to use exec authentication plugin"
        ));
    }
    // The beta API's default (IfAvailable) was filled in when the file was read.
    match exec["interactiveMode"].as_str().unwrap_or("") {
        "" => problems.push(format!(
            "interactiveMode must be specified for {name} to use exec authentication plugin"
        )),
        "Never" | "IfAvailable" | "Always" => {}
        other => problems.push(format!("invalid interactiveMode for {name}: \"{other}\"")),
    }
    if command.contains('/')
        && let Some(d) = dir
    {
        command = resolve_path(&command, d).to_string_lossy().into_owned();
    }
    let env = exec["env"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["name"].as_str().unwrap_or("").to_string(),
                e["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    Some(ExecConfig {
        command,
        args: strings(&exec["args"]),
        env,
        api_version,
        install_hint: str_field(exec, "installHint"),
        provide_cluster_info: exec["provideClusterInfo"].as_bool().unwrap_or(false),
        interactive_mode: str_field(exec, "interactiveMode"),
    })
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.clone().filter(|s| !s.is_empty())
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// A path field, resolved against the directory of the file that defined the entry.
fn path_field(v: &Value, key: &str, dir: Option<&Path>) -> Option<PathBuf> {
    let p = str_field(v, key)?;
    Some(match dir {
        Some(d) => resolve_path(&p, d),
        None => PathBuf::from(p),
    })
}

/// kubectl joins a relative path to the kubeconfig's directory (made absolute).
pub fn resolve_path(p: &str, dir: &Path) -> PathBuf {
    let path = Path::new(p);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let base = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let base = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
    clean(&base.join(path))
}

/// Go's `filepath.Clean` for absolute paths: `.` dropped, `..` applied.
fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in p.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A `[]byte` field: base64 in the document (checked when the file was read).
fn bytes_field(v: &Value, key: &str) -> Option<Vec<u8>> {
    let text = str_field(v, key)?;
    super::schema::go_base64().decode(text.as_bytes()).ok()
}
