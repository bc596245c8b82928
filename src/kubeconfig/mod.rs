//! Kubeconfig: which files, how kubectl merges them, and which cluster a command reaches.
//!
//! The rule (README, "Which cluster a command reaches"): with `--kubeconfig` or a non-empty
//! `KUBECONFIG`, kubectl's rules exactly. Otherwise a virtual context `kubelite` (server
//! `kubelite://`, the embedded cluster) is current, and `~/.kube/config`'s contexts are there
//! to be named with `--context`; its current-context is ignored. A server `kubelite://` or
//! `kubelite:///dir` is an embedded cluster in any kubeconfig.

mod auth;
mod duration;
mod files;
mod incluster;
mod merge;
mod resolve;
mod schema;
mod write;

pub use duration::parse_request_timeout;
pub use files::{EMBEDDED_SCHEME, Environment, File, KUBELITE, Mode};
pub use incluster::{InClusterEnv, SERVICE_ACCOUNT_DIR_ENV};
pub use merge::{Entry, Merged};
pub use resolve::{DEFAULT_SERVER, resolve_path};
pub use schema::Unknown;
pub use write::{
    Named, delete_entry, put_context, put_entry, rename_context, render, set_current_context,
    unset_preference,
};

use crate::client::ConnectionConfig;
use std::path::{Path, PathBuf};

/// The command line's say in the matter: kubectl's global flags, as plain values.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub kubeconfig: Option<String>,
    pub context: Option<String>,
    pub cluster: Option<String>,
    pub user: Option<String>,
    pub namespace: Option<String>,
    pub server: Option<String>,
    pub token: Option<String>,
    pub certificate_authority: Option<String>,
    pub client_certificate: Option<String>,
    pub client_key: Option<String>,
    pub insecure_skip_tls_verify: bool,
    pub tls_server_name: Option<String>,
    pub request_timeout: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub as_user: Option<String>,
    pub as_groups: Vec<String>,
    pub disable_compression: bool,
}

/// The cluster a command talks to.
// One per command: the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The embedded cluster kept in `home`.
    Embedded {
        home: PathBuf,
    },
    Remote(ConnectionConfig),
}

/// What `select` decided: the cluster, the namespace verbs default to, and the context's
/// name (if there is one).
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub target: Target,
    pub namespace: String,
    pub context: Option<String>,
}

/// Why no cluster could be selected, worded as kubectl words it.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectError {
    /// Printed as `error: <message>`.
    Message(String),
    /// What is wrong with the user entry: one problem prints as `error: <problem>`, several
    /// as kubectl's `Error in configuration:` list.
    Configuration(Vec<String>),
    /// The context named (by `--context` or current-context) does not exist.
    ContextNotFound(String),
}

impl SelectError {
    /// The bytes kubectl prints on stderr for this error.
    pub fn stderr_text(&self) -> String {
        match self {
            SelectError::Message(m) => format!("error: {m}\n"),
            SelectError::Configuration(problems) => match problems.as_slice() {
                [one] => format!("error: {one}\n"),
                many => {
                    let mut text = "Error in configuration: \n".to_string();
                    for p in many {
                        text.push_str(&format!("* {p}\n"));
                    }
                    text
                }
            },
            SelectError::ContextNotFound(name) => format!(
                "Error in configuration: context was not found for specified context: {name}\n"
            ),
        }
    }
}

/// The files a command reads, and their merge.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub mode: Mode,
    pub files: Vec<File>,
    pub merged: Merged,
}

impl Loaded {
    /// Loads what `--kubeconfig` (`explicit`) and the environment name. `strict` makes a
    /// missing `--kubeconfig` file an error, as for every verb but `config`.
    pub fn load(explicit: Option<&str>, env: &Environment, strict: bool) -> Result<Loaded, String> {
        let mode = Mode::choose(explicit, env);
        let files = files::load(&mode, strict)?;
        let merged = merge::merge(&files);
        Ok(Loaded {
            mode,
            files,
            merged,
        })
    }

    /// Whether this is kubelite's own default (no kubeconfig named).
    pub fn is_kubelite_default(&self) -> bool {
        self.mode.is_kubelite_default()
    }

    /// kubelite's default mode with only its virtual `kubelite` context.
    fn embedded_only() -> Loaded {
        let files = vec![files::virtual_file()];
        let merged = merge::merge(&files);
        Loaded {
            mode: Mode::KubeliteDefault { home_config: None },
            files,
            merged,
        }
    }
}

/// Selects the cluster for a command from the process environment.
pub fn select(o: &Overrides, embedded_home: &Path) -> Result<Selection, SelectError> {
    select_with(
        o,
        &Environment::from_process(),
        &InClusterEnv::from_process(),
        embedded_home,
    )
}

/// `select` with the environment given (tests).
pub fn select_with(
    o: &Overrides,
    env: &Environment,
    in_cluster: &InClusterEnv,
    embedded_home: &Path,
) -> Result<Selection, SelectError> {
    // In kubelite's default mode ~/.kube/config matters only when a flag picks from it:
    // otherwise it is not even read (every embedded command passes here), and a file
    // kubectl could not read does not stop the embedded cluster.
    let loaded = if Mode::choose(o.kubeconfig.as_deref(), env).is_kubelite_default()
        && !picks_from_files(o)
    {
        Loaded::embedded_only()
    } else {
        Loaded::load(o.kubeconfig.as_deref(), env, true).map_err(SelectError::Message)?
    };
    if !loaded.is_kubelite_default()
        && is_empty_config(&loaded.merged)
        && !names_a_cluster(o)
        && let Some((mut config, namespace)) = in_cluster.config()
    {
        config.request_timeout =
            parse_request_timeout(&o.request_timeout).map_err(SelectError::Message)?;
        let namespace = o
            .namespace
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or(namespace);
        return Ok(Selection {
            target: Target::Remote(config),
            namespace,
            context: None,
        });
    }
    let r = resolve::resolve(&loaded.merged, &loaded.files, o, embedded_home)?;
    Ok(Selection {
        target: r.target,
        namespace: r.namespace,
        context: r.context,
    })
}

/// A configuration with nothing in it (e.g. `KUBECONFIG=/dev/null`).
fn is_empty_config(m: &Merged) -> bool {
    m.clusters.is_empty()
        && m.users.is_empty()
        && m.contexts.is_empty()
        && m.current_context.is_empty()
}

/// Flags that choose an entry of the kubeconfig files (other than the virtual one).
fn picks_from_files(o: &Overrides) -> bool {
    let named = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    o.context
        .as_deref()
        .is_some_and(|c| !c.is_empty() && c != KUBELITE)
        || named(&o.cluster)
        || named(&o.user)
}

/// Flags that make the configuration differ from kubectl's default one, which is what
/// in-cluster configuration replaces (`-n` and `--request-timeout` do not count).
fn names_a_cluster(o: &Overrides) -> bool {
    [
        &o.server,
        &o.context,
        &o.cluster,
        &o.user,
        &o.token,
        &o.certificate_authority,
        &o.client_certificate,
        &o.client_key,
        &o.tls_server_name,
        &o.username,
        &o.password,
        &o.as_user,
    ]
    .iter()
    .any(|v| v.as_deref().is_some_and(|s| !s.is_empty()))
        || o.insecure_skip_tls_verify
        || !o.as_groups.is_empty()
}

/// An I/O error as Go prints it: `open /x: no such file or directory`.
pub fn go_io_error(op: &str, path: &Path, e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" (os error") {
        Some(i) => &text[..i],
        None => &text,
    };
    let mut chars = text.chars();
    let lowered = match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    };
    format!("{op} {}: {lowered}", path.display())
}
