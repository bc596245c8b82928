//! kubelite's etcdctl: the etcdctl 3.4 command line (v3 API) over kubelite's store, with
//! etcdctl's output, errors and exit statuses byte for byte.
//!
//! The caller gives the arguments after `etcdctl` and an [`EtcdctlContext`]: where to
//! write, what to read, the `ETCDCTL_*` environment, and a `connect` function that turns
//! the global connection flags into a [`Backend`] (the embedded store when `--endpoints`
//! was not given, or [`connect_etcd`] for a real etcd).

pub mod args;
pub mod cluster;
mod commands;
pub mod encode;
mod errors;
mod flags;
pub mod output;
mod spec;
mod usage;

use std::io::{BufRead, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

pub use cluster::{Backend, ClusterInfo, EmbeddedBackend};

/// The global connection flags, after the command line and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    pub endpoints: Vec<String>,
    /// True when `--endpoints` (or `ETCDCTL_ENDPOINTS`) was given: the caller should then
    /// connect to a real etcd instead of the embedded store.
    pub endpoints_given: bool,
    pub dial_timeout: Duration,
    pub command_timeout: Duration,
}

/// Turns connection options into a backend; an `Err` is printed as `Error: <text>`, and
/// `Err("context deadline exceeded")` as etcdctl reports an unreachable cluster.
pub type Connector<'a> = dyn FnMut(&ConnectOptions) -> Result<Box<dyn Backend>, String> + 'a;

/// Bounds on `watch`, which otherwise runs until interrupted.
#[derive(Debug, Clone, Default)]
pub struct WatchLimits {
    /// Stop after this long (None: until `stop`).
    pub deadline: Option<Duration>,
    /// Set (e.g. by a Ctrl-C handler) to stop the watch; it then exits as etcdctl does.
    pub stop: Option<Arc<AtomicBool>>,
    /// How often the embedded store is polled for new events (default 100 ms).
    pub poll: Option<Duration>,
}

pub struct EtcdctlContext<'a> {
    pub connect: &'a mut Connector<'a>,
    /// `ETCDCTL_*` variables of the environment (others are ignored).
    pub env: Vec<(String, String)>,
    pub stdin: &'a mut dyn BufRead,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub watch: WatchLimits,
}

/// The `ETCDCTL_*` variables of this process's environment.
pub fn etcdctl_env() -> Vec<(String, String)> {
    std::env::vars()
        .filter(|(k, _)| k.starts_with("ETCDCTL_"))
        .collect()
}

/// Connects to a real etcd over its gRPC API (the first endpoint that answers).
pub fn connect_etcd(opts: &ConnectOptions) -> Result<Box<dyn Backend>, String> {
    let store = crate::store::etcd::EtcdStore::connect(
        &opts.endpoints,
        opts.dial_timeout,
        opts.command_timeout,
    )
    .map_err(|e| match e {
        crate::store::StoreError::Io(msg) => msg,
        other => other.to_string(),
    })?;
    Ok(Box::new(store))
}

/// Whether the command line needs a filesystem (`snapshot save|status|restore`).
pub fn uses_files(args: &[String]) -> bool {
    commands::uses_files(args)
}

/// Runs one etcdctl command line; returns the exit status.
pub fn run(args: &[String], ctx: &mut EtcdctlContext) -> i32 {
    commands::dispatch(args, ctx)
}
