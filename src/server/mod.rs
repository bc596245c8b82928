//! `kubelite serve`: the embedded cluster behind the real Kubernetes HTTP API, over HTTPS,
//! so that the real kubectl, client libraries and kubelite's own `Remote` client work
//! against it.
//!
//! Layout: `files` (what serve keeps in KUBELITE_HOME), `tls` (CA, serving and admin
//! certificates), `http` (connections, bodies, shutdown), `limits` (read timeouts,
//! connection and in-flight limits), `gzip` (response compression), `authn` / `authz`
//! (who a request comes from and what it may do), `route` (URL to resource), `query` and
//! `options` (query parameters and options checked as kube-apiserver checks them),
//! `discovery` and `openapi` (what clients read before they act), `rest` (CRUD),
//! `watch` (streams), `fields` and `duplicates`
//! (`fieldValidation`), `control` (the control-plane loop and the create batcher).
//! Field ownership and server-side apply live in `apiserver::managed`.

mod authn;
mod authz;
mod body;
mod clock;
mod control;
mod discovery;
mod duplicates;
mod ephemeral;
mod exec;
mod fields;
mod files;
mod gzip;
mod health;
mod http;
mod limits;
mod list;
mod list_item;
mod message;
mod metrics;
mod negotiate;
mod no_process;
mod openapi;
mod options;
mod podsecurity;
mod protobuf;
mod query;
mod rest;
mod reviews;
mod route;
mod sa_authn;
mod scale;
mod tls;
mod watch;
mod writes;
pub(crate) use crate::ws;

pub use files::running;
pub use files::running_as;
pub use files::serving;
pub use tls::ca_der as pem_der;
pub use watch::DRAIN_HEADER as WATCH_DRAIN_HEADER;

use crate::client::Embedded;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `kubelite serve` options.
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:6443")]
    pub listen: String,
    /// Read-only requests served at once; more get 429 (kube-apiserver's flag; 0: no limit).
    #[arg(long, hide = true, default_value_t = 400)]
    pub max_requests_inflight: usize,
    /// Writes served at once; more get 429 (kube-apiserver's flag; 0: no limit).
    #[arg(long, hide = true, default_value_t = 200)]
    pub max_mutating_requests_inflight: usize,
    /// Connections open at once; more wait to be accepted.
    #[arg(long, hide = true, default_value_t = 1024)]
    pub max_connections: usize,
    /// Seconds a request head (or an idle connection's next one) may take to arrive.
    #[arg(long, hide = true, default_value_t = 32)]
    pub header_read_timeout: u64,
    /// Seconds a request body may take to arrive.
    #[arg(long, hide = true, default_value_t = 60)]
    pub body_read_timeout: u64,
    /// How long Events are kept (kube-apiserver's flag; default 1h, or KUBELITE_EVENT_TTL;
    /// 0s: forever).
    #[arg(long, hide = true, value_parser = event_ttl)]
    pub event_ttl: Option<i64>,
    /// Size in bytes past which the store takes no more writes (etcd's
    /// `--quota-backend-bytes`: its NOSPACE alarm); default 2 GiB, or KUBELITE_MAX_STORE_BYTES.
    #[arg(long, value_parser = max_store_bytes)]
    pub max_store_bytes: Option<u64>,
    /// Keep the cluster in these etcd servers (comma-separated URLs) instead of the store
    /// file in KUBELITE_HOME (kube-apiserver's flag; one-shot commands take it too).
    #[arg(long, value_delimiter = ',', value_name = "URLS")]
    pub etcd_servers: Vec<String>,
    /// The key prefix the cluster is kept under in etcd.
    #[arg(long, default_value = crate::embedded::DEFAULT_ETCD_PREFIX)]
    pub etcd_prefix: String,
    /// CA certificate that signs the etcd servers' certificates.
    #[arg(long, value_name = "FILE")]
    pub etcd_cafile: Option<PathBuf>,
    /// Client certificate presented to etcd.
    #[arg(long, value_name = "FILE")]
    pub etcd_certfile: Option<PathBuf>,
    /// Key of the client certificate presented to etcd.
    #[arg(long, value_name = "FILE")]
    pub etcd_keyfile: Option<PathBuf>,
    /// Start from the cluster saved in FILE (`kubelite snapshot save`), restored into
    /// KUBELITE_HOME first, which must be empty or new
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// With --etcd-servers: how long a non-leader waits, after it last saw a leader Lease
    /// renewed, before it takes the Lease over (kube-controller-manager's flag)
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = election_duration)]
    pub leader_elect_lease_duration: std::time::Duration,
    /// With --etcd-servers: how long a leader keeps trying to renew its Lease before it
    /// stops its controllers, scheduler and kubelets
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = election_duration)]
    pub leader_elect_renew_deadline: std::time::Duration,
    /// With --etcd-servers: how often Leases are renewed and tried for
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = election_duration)]
    pub leader_elect_retry_period: std::time::Duration,
}

fn election_duration(v: &str) -> Result<std::time::Duration, String> {
    crate::runtime::leader_election::parse_duration(v)
}

fn max_store_bytes(v: &str) -> Result<u64, String> {
    crate::apiserver::parse_store_quota(v)
        .ok_or_else(|| format!("{v:?} is not a number of bytes greater than 0"))
}

fn event_ttl(v: &str) -> Result<i64, String> {
    crate::apiserver::parse_ttl(v).ok_or_else(|| format!("time: invalid duration {v:?}"))
}

impl ServeArgs {
    fn limits(&self) -> limits::Limits {
        limits::Limits {
            max_inflight: self.max_requests_inflight,
            max_mutating_inflight: self.max_mutating_requests_inflight,
            max_connections: self.max_connections.max(1),
            header_read: std::time::Duration::from_secs(self.header_read_timeout.max(1)),
            body_read: std::time::Duration::from_secs(self.body_read_timeout.max(1)),
            ..limits::Limits::default()
        }
    }
}

/// Everything a request handler needs.
pub struct State {
    pub client: Arc<Embedded>,
    /// The bearer tokens serve accepts (admin and read-only).
    pub tokens: authn::Tokens,
    /// Checks client certificates against the cluster's CA.
    pub cert_checker: Arc<authn::CertChecker>,
    pub control: Arc<control::Control>,
    pub limits: limits::Limits,
    pub inflight: limits::Inflight,
    /// Set once serve is told to stop: watches and exec sessions end, connections close.
    pub stop: tokio::sync::watch::Sender<bool>,
}

/// The custom resources the cluster serves now (none if the CRDs cannot be read).
pub fn custom_resources(state: &State) -> Vec<&'static crate::api::registry::Resource> {
    state
        .client
        .server()
        .custom_resources()
        .map(|c| c.resources().collect())
        .unwrap_or_default()
}

impl State {
    /// Resolves once serve is told to stop.
    pub fn stopped(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut stop = self.stop.subscribe();
        async move {
            // An error means the sender is gone: serve is stopping all the same.
            let _ = stop.wait_for(|s| *s).await.map(|_| ());
        }
    }
}

// Links mimalloc (the binary's allocator) into every binary that links `serve`, for the
// option set below.
extern crate mimalloc as _;

unsafe extern "C" {
    /// mimalloc's option setter (`mi_option_set`; options are read when used).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// mimalloc's `mi_option_purge_delay` (the same number in its v2 and v3).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// A long-running server gives freed memory back to the system at once: mimalloc's default
/// keeps it for a while, which a short command never notices but a server's working set
/// (and VmRSS) does, by about half after a big control-plane settle.
fn return_freed_memory_at_once() {
    // SAFETY: sets a mimalloc option, which mimalloc allows at any time from any thread.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

/// Runs `kubelite serve` until Ctrl-C or SIGTERM: where it listens is told to `announce`,
/// everything else to `log`.
pub fn serve(
    home: &Path,
    args: &ServeArgs,
    announce: &mut dyn std::io::Write,
    log: &mut dyn std::io::Write,
) -> Result<(), String> {
    return_freed_memory_at_once();
    let addr: SocketAddr = args
        .listen
        .parse()
        .map_err(|_| format!("--listen {:?} is not an address:port", args.listen))?;
    // serve's clock can be moved forward through /kubelite/clock (virtual time for tests).
    let clock = crate::clock::Clock::from_env()?.movable();
    if !args.etcd_servers.is_empty() && args.max_store_bytes.is_some() {
        return Err(
            "--max-store-bytes limits kubelite's store file; an etcd cluster keeps \
                    its own quota (etcd's --quota-backend-bytes)"
                .to_string(),
        );
    }
    if let Some(file) = &args.snapshot {
        if !args.etcd_servers.is_empty() {
            return Err(
                "--snapshot restores into KUBELITE_HOME's store file, not into etcd: restore \
                 an etcd cluster with etcdctl snapshot restore"
                    .to_string(),
            );
        }
        if serving(home) {
            return Err(format!(
                "kubelite serve is already running on {}: --snapshot restores into a new home",
                home.display()
            ));
        }
        crate::embedded::snapshot::restore(file, home)?;
    }
    let timing = crate::runtime::leader_election::Timing {
        lease_duration: args.leader_elect_lease_duration,
        renew_deadline: args.leader_elect_renew_deadline,
        retry_period: args.leader_elect_retry_period,
    }
    .checked()?;
    let client = open_cluster(home, args, clock)?;
    let shared = !args.etcd_servers.is_empty();
    if let Some(ttl) = args.event_ttl {
        client.server().set_event_ttl(ttl);
    }
    if let Some(bytes) = args.max_store_bytes {
        client.server().set_store_quota(bytes);
    }
    let client = Arc::new(client);
    // A cluster in etcd may be shared with other serve processes: its components run
    // where their Leases are held, from the control loop (which settles at once). A cluster
    // of its own is settled before serve answers: clients (and tests) that read right after
    // start find the system pods there.
    let (leadership, elector) = if shared {
        let leadership = crate::runtime::leader_election::Leadership::elected();
        let elector = crate::runtime::leader_election::Elector::start(
            client.clone(),
            timing,
            crate::runtime::leader_election::identity(),
            leadership.clone(),
        );
        (leadership, Some(elector))
    } else {
        crate::embedded::settle(&client)?;
        (
            crate::runtime::leader_election::Leadership::everything(),
            None,
        )
    };
    let token = files::load_or_create_token(home, files::TOKEN)?;
    let viewer = files::load_or_create_token(home, files::VIEWER_TOKEN)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Store calls run on the blocking pool; a bounded pool keeps the memory of many
        // watchers small (each pool thread keeps its own allocator heap).
        .max_blocking_threads(32)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let certs = tls::load_or_create(home, bound.ip())?;
    let url = files::server_url(bound);
    files::write_kubeconfig(home, &url, &certs.ca_pem, &token)?;
    // A cluster in etcd has no store file of its own to watch.
    let store_file = match shared {
        true => None,
        false => Some(crate::embedded::store_file(home)?),
    };
    let control = control::Control::start(client.clone(), store_file, leadership);
    if shared {
        control.written();
    }
    let limits = args.limits();
    let state = Arc::new(State {
        client,
        tokens: authn::Tokens {
            admin: token,
            viewer,
        },
        cert_checker: certs.cert_checker.clone(),
        control,
        inflight: limits::Inflight::new(&limits),
        limits,
        stop: tokio::sync::watch::channel(false).0,
    });
    let _announced = files::write_state(home, &url)?;
    // Where it listens goes to stdout, one `key: value` line each, for a test that started
    // serve on port 0 to read; the log (stderr) carries everything else.
    let _ = writeln!(
        announce,
        "server: {url}\nkubeconfig: {}",
        home.join("kubeconfig").display()
    );
    let _ = announce.flush();
    let result = runtime.block_on(http::run(listener, certs.server_config, state.clone()));
    files::remove_state(home);
    // `http::run` gave requests in flight their grace; what is left (a command an exec
    // session started, a store call) is not waited for beyond a moment.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    state.control.stop();
    drop(state);
    // Given up last: the components have stopped writing.
    drop(elector);
    let _ = writeln!(log, "kubelite serve: stopped");
    result
}

/// The cluster serve runs: in etcd when `--etcd-servers` names some, else in the home's
/// store file.
fn open_cluster(
    home: &Path,
    args: &ServeArgs,
    clock: crate::clock::Clock,
) -> Result<Embedded, String> {
    let workers = crate::cluster::workers()?;
    if args.etcd_servers.is_empty() {
        return crate::embedded::open_in(home, clock, workers);
    }
    let opts = crate::embedded::EtcdOptions {
        servers: args.etcd_servers.clone(),
        prefix: args.etcd_prefix.clone(),
        ca_file: args.etcd_cafile.clone(),
        cert_file: args.etcd_certfile.clone(),
        key_file: args.etcd_keyfile.clone(),
    };
    crate::embedded::open_etcd(home, &opts, clock, workers)
}

/// The CLI entry: serve the embedded cluster of `$KUBELITE_HOME`.
pub fn run_cli(
    args: &ServeArgs,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> i32 {
    let home: PathBuf = crate::cluster::home();
    match serve(&home, args, out, err) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            1
        }
    }
}
