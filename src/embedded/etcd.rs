//! The cluster kept in a real etcd (`serve --etcd-servers`) instead of the home's store
//! file: the same API server and components on the etcd store, with kube-apiserver's keys
//! under `--etcd-prefix`. The home still keeps serve's certificates, tokens, kubeconfig and
//! the nodes' files.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::client::Embedded;
use crate::client::SharedSettle;
use crate::clock::Clock;
use crate::runtime::leader_election::{Elector, Leadership, Timing, identity};
use crate::runtime::process_checkpoint::ProcessCheckpoint;
use crate::store::Store;
use crate::store::etcd::hold;
pub use crate::store::etcd::hold::Hold;
use crate::store::etcd::{EtcdCluster, EtcdStore, TlsFiles};
use crate::store::prefixed::Prefixed;

/// `--etcd-prefix`'s default: where kube-apiserver keeps a cluster.
pub const DEFAULT_PREFIX: &str = crate::store::prefixed::REGISTRY;
/// kube-apiserver's dial timeout to etcd.
const DIAL_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one call to etcd may take before the API answers 504; short enough that a
/// client's request fails before its own timeout while etcd is away.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Where and how to reach etcd (kube-apiserver's flags).
#[derive(Debug, Clone, Default)]
pub struct EtcdOptions {
    pub servers: Vec<String>,
    /// As `--etcd-prefix` gave it; normalized here.
    pub prefix: String,
    pub ca_file: Option<PathBuf>,
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
}

/// How long a serve waits for another one's first boot of the cluster to finish.
const BOOT_WAIT: Duration = Duration::from_secs(30);

/// The cluster in etcd, opened (and given its first state when new) for the serve whose
/// home is `home`. Several serve processes may share it (their components elect leaders);
/// only the first boot is done by one at a time.
pub fn open(
    home: &Path,
    opts: &EtcdOptions,
    clock: Clock,
    workers: usize,
) -> Result<Embedded, String> {
    let prefix = crate::store::prefixed::normalize(&opts.prefix)?;
    let clock = super::prepare_home(home, clock)?;
    let etcd = Arc::new(connect(opts)?);
    let cluster = EtcdCluster::new(etcd.clone())
        .map_err(|e| format!("cannot read etcd at {}: {e}", opts.servers.join(", ")))?;
    let store = Prefixed::new(cluster, &prefix);
    let who = serde_json::json!({
        "pid": std::process::id(),
        "host": hostname(),
        "home": home.display().to_string(),
    })
    .to_string();
    // Held through the first boot, so two servers starting at once do not both boot.
    let hold = boot_lock(etcd, &store.outer(b"kubelite/serve"), who.as_bytes())?;
    let store: Arc<dyn Store> = Arc::new(store);
    let (server, _) = super::assemble(store, &home.join("etcd-servers"), clock);
    crate::cluster::boot(&server, workers)?;
    drop(hold);
    crate::cluster::write_node_files(home)?;
    let location = format!(
        "cluster in etcd at {} under {prefix}",
        opts.servers.join(",")
    );
    let client = Embedded::new(server, location)
        .with_logs(super::kubelet_logs)
        .with_home(home);
    Ok(client)
}

/// The cluster in etcd for one command (`kubelite get pods --etcd-servers=...`): opened
/// as serve opens it (the boot lock), its control plane settling only the components whose
/// Leases this command wins, with kube's election rules (none while a live serve holds
/// them: its components do the work). The Leases won are given up when the client drops.
pub fn open_for_one_shot(home: &Path, opts: &EtcdOptions) -> Result<Embedded, String> {
    crate::apiserver::check_event_ttl_env()?;
    let client = open(home, opts, Clock::from_env()?, crate::cluster::workers()?)?;
    let server = client.server().clone();
    let elector_client = Arc::new(Embedded::new(server.clone(), String::new()));
    let leadership = Leadership::elected();
    let elector = Elector::start_quietly(
        elector_client,
        Timing::default(),
        identity(),
        leadership.clone(),
    );
    let shared = OneShotSettle {
        leadership,
        checkpoint: ProcessCheckpoint::new(server),
        _elector: elector,
    };
    Ok(client
        .with_shared_settle(Box::new(shared))
        .printing_warnings())
}

/// A one-shot command's settle on a shared cluster; the Elector goes last, giving up the
/// Leases once nothing runs under them.
struct OneShotSettle {
    leadership: Arc<Leadership>,
    checkpoint: ProcessCheckpoint,
    _elector: Elector,
}

impl SharedSettle for OneShotSettle {
    fn settle(&self, client: &Embedded) -> Result<Vec<String>, String> {
        super::control_plane::settle_shared(client, &self.leadership, &self.checkpoint)
    }
}

/// The boot lock, waited for while another serve holds it (a few seconds of its boot; a
/// holder that died lets go within the lock's etcd lease).
fn boot_lock(etcd: Arc<EtcdStore>, key: &[u8], who: &[u8]) -> Result<Hold, String> {
    let deadline = std::time::Instant::now() + BOOT_WAIT;
    loop {
        match hold::take(etcd.clone(), key, who) {
            Ok(hold) => return Ok(hold),
            Err(why)
                if why.starts_with("another kubelite serve")
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(why) if why.starts_with("another kubelite serve") => {
                return Err(format!(
                    "another kubelite serve is still booting this cluster ({}); try again",
                    String::from_utf8_lossy(key)
                ));
            }
            Err(why) => return Err(why),
        }
    }
}

/// The first of the servers that answers, over TLS when the URLs say https.
pub(super) fn connect(opts: &EtcdOptions) -> Result<EtcdStore, String> {
    if opts.servers.is_empty() {
        return Err("--etcd-servers names no server".to_string());
    }
    let read = |file: &Option<PathBuf>, flag: &str| -> Result<Option<Vec<u8>>, String> {
        file.as_ref()
            .map(|f| std::fs::read(f).map_err(|e| format!("{flag}={}: {e}", f.display())))
            .transpose()
    };
    let ca = read(&opts.ca_file, "--etcd-cafile")?;
    let cert = read(&opts.cert_file, "--etcd-certfile")?;
    let key = read(&opts.key_file, "--etcd-keyfile")?;
    if cert.is_some() != key.is_some() {
        return Err("--etcd-certfile and --etcd-keyfile go together".to_string());
    }
    let tls = TlsFiles {
        ca_pem: ca,
        cert_pem: cert,
        key_pem: key,
    };
    EtcdStore::connect_tls(&opts.servers, &tls, DIAL_TIMEOUT, CALL_TIMEOUT).map_err(|e| {
        let why = match e {
            crate::store::StoreError::Io(msg) => msg,
            other => other.to_string(),
        };
        format!("cannot reach etcd at {}: {why}", opts.servers.join(", "))
    })
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}
