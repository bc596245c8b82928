//! `kubelite etcd`: etcd's v3 gRPC API (KV, Watch, Lease, Maintenance, Cluster) served on
//! kubelite's own store, so that etcd's clients (the real etcdctl, a kube-apiserver) use a
//! kubelite store as they use an etcd. One member only: no peers, no TLS.
//!
//! Every write goes through this process (it holds the store file), so a watch learns of new
//! revisions from the writes it serves ([`Member::written`]) instead of polling the file.

mod convert;
mod gateway;
mod kv;
mod lease;
mod maintenance;
pub mod proto;
mod snapshot;
mod watch;

use crate::etcdctl::{Backend, ClusterInfo, EmbeddedBackend};
use crate::store::redb::RedbStore;
use crate::store::{Store, StoreError};
use proto::etcdserverpb as pb;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tonic::Status;

/// etcd's `--max-request-bytes` default: larger puts and txns are refused.
pub const MAX_REQUEST_BYTES: usize = 1536 * 1024;
/// What etcd's gRPC server accepts beyond that for a message's own overhead.
const GRPC_OVERHEAD_BYTES: usize = 512 * 1024;
/// The file of the store inside a data dir.
pub const STORE_FILE: &str = "kubelite.redb";
/// Where `etcdctl snapshot restore` puts the store file inside the data dir it makes.
const RESTORED_FILE: &str = "member/snap/db";

/// The command line of `kubelite etcd`, checked.
#[derive(Debug, Clone)]
pub struct Options {
    pub data_dir: PathBuf,
    pub name: String,
    pub listen: Vec<SocketAddr>,
    pub advertise: Vec<String>,
}

/// The one member: its store, its identity and the news of its writes.
pub(crate) struct Member {
    backend: EmbeddedBackend<Arc<RedbStore>>,
    /// The store revision after the latest write this process served.
    revision: tokio::sync::watch::Sender<i64>,
    /// Where snapshots being streamed are written (the store file's directory).
    snapshot_dir: PathBuf,
}

impl Member {
    fn store(&self) -> &dyn Store {
        self.backend.store()
    }

    /// The header etcd puts on every response.
    fn header(&self, revision: i64) -> pb::ResponseHeader {
        let info = &self.backend.info;
        pb::ResponseHeader {
            cluster_id: info.cluster_id,
            member_id: info.member_id,
            revision,
            raft_term: info.raft_term,
        }
    }

    fn info(&self) -> Result<ClusterInfo, Status> {
        self.backend.cluster_info().map_err(status)
    }

    /// Tells the watches that the store reached `revision` (the header of a write's answer:
    /// reading the store's revision again would cost a read transaction per write).
    fn written(&self, revision: i64) {
        self.revision.send_if_modified(|r| {
            let newer = revision > *r;
            *r = revision.max(*r);
            newer
        });
    }
}

/// Runs a store call on this worker thread, letting the runtime move its other tasks away
/// (redb's commits wait for the disk).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// A store error as etcd's gRPC status (code and message as etcd's server sends them).
pub(crate) fn status(e: StoreError) -> Status {
    match e {
        StoreError::Compacted { .. } => {
            Status::out_of_range("etcdserver: mvcc: required revision has been compacted")
        }
        StoreError::FutureRevision => {
            Status::out_of_range("etcdserver: mvcc: required revision is a future revision")
        }
        StoreError::EmptyKey | StoreError::DuplicateKey => Status::invalid_argument(e.to_string()),
        StoreError::LeaseNotFound => Status::not_found(e.to_string()),
        StoreError::NoSpace => Status::resource_exhausted(e.to_string()),
        StoreError::Io(msg) if msg == "etcdserver: lease already exists" => {
            Status::failed_precondition(msg)
        }
        StoreError::Io(msg) if msg.starts_with("etcdserver: ") => Status::invalid_argument(msg),
        other => Status::internal(other.to_string()),
    }
}

/// Refuses a request larger than etcd's `--max-request-bytes`, as etcd does.
fn check_size(len: usize) -> Result<(), Status> {
    if len > MAX_REQUEST_BYTES {
        return Err(Status::invalid_argument("etcdserver: request is too large"));
    }
    Ok(())
}

/// The store file a `--data-dir` names: an existing file is a store itself; a directory
/// holds `kubelite.redb`, or `member/snap/db` where `etcdctl snapshot restore` wrote one (as
/// etcd starts from a restored data dir); a missing one is made, private to its owner.
fn store_path(data_dir: &Path) -> Result<PathBuf, String> {
    if data_dir.is_file() {
        return Ok(data_dir.to_path_buf());
    }
    let own = data_dir.join(STORE_FILE);
    let restored = data_dir.join(RESTORED_FILE);
    if !own.exists() && restored.is_file() {
        return Ok(restored);
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create data dir {}: {e}", data_dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(own)
}

/// Serves until SIGTERM or SIGINT; `log` gets the startup and stop lines.
pub fn run(opts: &Options, log: &mut dyn std::io::Write) -> Result<(), String> {
    let path = store_path(&opts.data_dir)?;
    let store = RedbStore::open(&path, Duration::from_secs(1)).map_err(|e| e.to_string())?;
    let mut backend = EmbeddedBackend::new(Arc::new(store));
    backend.info.member_name = opts.name.clone();
    backend.info.client_urls = opts.advertise.clone();
    let file = path.clone();
    backend.db_size = Box::new(move || {
        std::fs::metadata(&file)
            .map(|m| m.len() as i64)
            .unwrap_or(0)
    });
    let first = backend
        .store()
        .current_revision()
        .map_err(|e| e.to_string())?;
    let member = Arc::new(Member {
        backend,
        revision: tokio::sync::watch::channel(first).0,
        snapshot_dir: match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        },
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let result = runtime.block_on(serve(opts, member, &path, log));
    runtime.shutdown_timeout(Duration::from_secs(1));
    let _ = writeln!(log, "kubelite etcd: stopped");
    result
}

async fn serve(
    opts: &Options,
    member: Arc<Member>,
    path: &Path,
    log: &mut dyn std::io::Write,
) -> Result<(), String> {
    use pb::cluster_server::ClusterServer;
    use pb::kv_server::KvServer;
    use pb::lease_server::LeaseServer;
    use pb::maintenance_server::MaintenanceServer;
    use pb::watch_server::WatchServer;
    let mut listeners = Vec::new();
    for addr in &opts.listen {
        let l = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("listen tcp {addr}: {e}"))?;
        listeners.push(l);
    }
    let _ = writeln!(
        log,
        "kubelite etcd: member {} serving etcd v3 gRPC on {} (data {})",
        opts.name,
        opts.listen
            .iter()
            .map(|a| format!("http://{a}"))
            .collect::<Vec<_>>()
            .join(","),
        path.display()
    );
    let _ = log.flush();
    tokio::spawn(lease::expire_loop(member.clone()));
    let max = MAX_REQUEST_BYTES + GRPC_OVERHEAD_BYTES;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut servers = Vec::new();
    for listener in listeners {
        let router = tonic::service::Routes::new(
            KvServer::new(kv::KvService(member.clone())).max_decoding_message_size(max),
        )
        .add_service(
            WatchServer::new(watch::WatchService(member.clone())).max_decoding_message_size(max),
        )
        .add_service(
            LeaseServer::new(lease::LeaseService(member.clone())).max_decoding_message_size(max),
        )
        .add_service(
            MaintenanceServer::new(maintenance::MaintenanceService(member.clone()))
                .max_decoding_message_size(max),
        )
        .add_service(ClusterServer::new(maintenance::ClusterService(
            member.clone(),
        )));
        let router = tonic::service::Routes::from(gateway::routes(
            router.into_axum_router(),
            member.clone(),
        ));
        let mut stop = stop_rx.clone();
        // Small requests answered at once: without TCP_NODELAY each answer waits for the
        // client's delayed ACK (a put took 10 ms).
        let incoming = futures_util::StreamExt::map(
            tokio_stream::wrappers::TcpListenerStream::new(listener),
            |conn| {
                conn.inspect(|c| {
                    let _ = c.set_nodelay(true);
                })
            },
        );
        servers.push(tokio::spawn(
            tonic::transport::Server::builder()
                // The JSON gateway's paths come over HTTP/1.
                .accept_http1(true)
                .add_routes(router)
                .serve_with_incoming_shutdown(incoming, async move {
                    let _ = stop.wait_for(|s| *s).await;
                }),
        ));
    }
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    for s in servers {
        // A stream left open (a watch) does not hold the stop up for long.
        let _ = tokio::time::timeout(Duration::from_secs(2), s).await;
    }
    Ok(())
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        // No handlers: stop at the process's own end.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}
