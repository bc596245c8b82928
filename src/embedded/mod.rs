//! The embedded cluster assembled: its store opened from where the cluster lives, the API
//! server as the only holder of it, the etcd pod's member given the same store (the real
//! etcdctl talks to etcd, not through kube-apiserver), the first boot, and the components
//! that run until the cluster is quiescent. This sits above everything it puts together:
//! `cluster` (where a cluster lives, its first state), the API server, the kubelet and the
//! other components.

mod control_plane;
mod data_dir;
mod etcd;
mod gate;
#[cfg(test)]
mod gate_tests;
#[cfg(test)]
mod housekeeping_tests;
mod leading;
#[cfg(test)]
mod leading_tests;
#[cfg(test)]
mod mended_tests;
#[cfg(test)]
mod settled_tests;
pub mod snapshot;
pub mod store_copy;
pub mod syncing;
pub mod throwaway;

pub use data_dir::{control_plane_up, store_file};
pub use etcd::{
    DEFAULT_PREFIX as DEFAULT_ETCD_PREFIX, EtcdOptions, open as open_etcd,
    open_for_one_shot as open_etcd_for_one_shot,
};

pub use control_plane::{
    components, components_led, make_components, make_components_led, notes, settle, settle_on,
    settle_with,
};

use crate::apiserver::ApiServer;
use crate::client::Embedded;
use crate::clock::Clock;
use crate::kubelet::exec::Containers;
use crate::programs::etcdctl::EtcdMember;
use crate::store::Store;
use crate::store::redb::RedbStore;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How long a command waits for another kubelite process to release the store.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Opens the embedded cluster (creating and bootstrapping it on first use) and returns a
/// client for it.
pub fn open() -> Result<Embedded, String> {
    open_home(&crate::cluster::home())
}

/// `open` for the embedded cluster kept in `dir` (a kubeconfig's `kubelite:///dir`).
pub fn open_home(dir: &Path) -> Result<Embedded, String> {
    crate::apiserver::check_event_ttl_env()?;
    let client = open_in(dir, Clock::from_env()?, crate::cluster::workers()?)?;
    Ok(client.printing_warnings())
}

/// Does now, in a process that forks commands (`kubelite test`'s zygote), the work each
/// forked command would otherwise repeat before it reads the same bytes: the store's zstd
/// contexts, the decode of a new cluster's static pod manifests, the CPU feature check the
/// store's hashing asks for. Each is a cache keyed by what it answers for, so a command
/// prints the same with or without it. Starts no thread (the zygote must have none).
pub fn warm_for_forks() {
    crate::store::redb::warm_codecs();
    use crate::cluster::{CONTROL_PLANE_NODE, MASTER_ADDRESS};
    crate::kubelet::static_pods::decode_written_manifests(CONTROL_PLANE_NODE, MASTER_ADDRESS);
    #[cfg(target_arch = "x86_64")]
    let _ = std::arch::is_x86_feature_detected!("avx2");
}

/// Opens (or creates) the embedded cluster kept in `dir`, with the given clock and, for a new
/// cluster, that many worker nodes. Tests use it to run clusters side by side.
pub fn open_in(dir: &Path, clock: Clock, workers: usize) -> Result<Embedded, String> {
    let (server, _) = boot(dir, clock, workers)?;
    let path = store_file(dir)?;
    Ok(
        Embedded::new(server, format!("embedded cluster at {}", path.display()))
            .with_logs(kubelet_logs)
            .with_home(dir),
    )
}

/// The embedded client's `pods/log`: what the kubelet answers for the request.
fn kubelet_logs(
    client: &dyn crate::client::Client,
    namespace: &str,
    pod: &str,
    req: &crate::client::LogRequest,
) -> Result<String, crate::api::status::ApiError> {
    let opts = crate::kubelet::LogOptions {
        tail: req.tail_lines,
        timestamps: req.timestamps,
        previous: req.previous,
    };
    crate::kubelet::logs(client, namespace, pod, req.container.as_deref(), &opts)
}

/// The etcd member of the embedded cluster (`open`'s), for `kubelite etcdctl`.
pub fn etcd_member() -> Result<EtcdMember, String> {
    let home = crate::cluster::home();
    let (_, member) = boot(&home, Clock::from_env()?, crate::cluster::workers()?)?;
    Ok(member)
}

/// Opens the existing embedded cluster whose store is `path`, as it is (no first boot),
/// waiting at most `lock_wait` for another process to release it; `None` when there is
/// none or it stays busy.
pub fn open_existing(path: &Path, lock_wait: Duration) -> Option<Embedded> {
    if !path.is_file() {
        return None;
    }
    // Read-only when it can be (nothing written or synced); a file that needs repair or is
    // held by another process is opened as before.
    let store = RedbStore::open_read_only(path)
        .or_else(|_| RedbStore::open(path, lock_wait))
        .ok()?;
    let clock = Clock::from_env().ok()?;
    let (server, _) = assemble(Arc::new(store), path, clock);
    Some(Embedded::new(server, String::new()).with_logs(kubelet_logs))
}

/// Opens the existing cluster kept in `home` read-only (nothing written, nothing synced),
/// if its control plane has nothing to do at the cluster's time: what a read sees then is
/// what a settle would leave, so a reader that writes nothing (a node's `ps`) need not open
/// the store for writing and settle around its read. `None` when there is work to do, the
/// store is busy or anything is amiss: the caller opens the cluster as usual.
pub fn open_settled(home: &Path) -> Option<Embedded> {
    open_settled_on(home, Clock::from_env().ok()?)
}

/// `open_settled` on `clock` (moved by the home's saved step, as every command's is).
fn open_settled_on(home: &Path, clock: Clock) -> Option<Embedded> {
    control_plane_up(home).ok()?;
    let path = store_file(home).ok()?;
    let (server, clock) = assemble_read_only(home, &path, clock).ok()?;
    let mut settler = crate::runtime::Settler::new(components(Some(home)));
    let idle = settler.nothing_to_do(server.as_ref(), clock.now()).ok()?;
    // A start mends what kube-apiserver keeps (system namespaces, bootstrap RBAC, flow
    // control): a reader sees it mended, so anything to mend means the usual open.
    let idle = idle && crate::cluster::boot_in_place(&server).ok()?;
    idle.then(|| {
        Embedded::new(server, format!("embedded cluster at {}", path.display()))
            .with_logs(kubelet_logs)
            .with_home(home)
            .printing_warnings()
    })
}

/// The node's own view of the cluster kept in `home` while its API server is down (a
/// broken or missing kube-apiserver manifest): on a real node `ps`, `crictl` and
/// `journalctl` do not ask kube-apiserver, they read /proc, containerd and the journal, so
/// they keep working. Here that view is the store opened read-only (nothing settles,
/// nothing can be written) behind an API server of this process alone, which no kubectl
/// reaches. `Ok(None)` when the control plane is up: the caller opens the cluster as usual;
/// `Err` (kubectl's refusal) when etcd's data cannot be found either.
pub fn open_node_view(home: &Path) -> Result<Option<Embedded>, String> {
    if control_plane_up(home).is_ok() {
        return Ok(None);
    }
    // With etcd's own manifest unreadable the runtime still has what it ran from the
    // store where kubeadm keeps etcd's data.
    let path = store_file(home).unwrap_or_else(|_| home.join(crate::cluster::STORE_FILE));
    let (server, _) = assemble_read_only(home, &path, Clock::from_env()?)?;
    Ok(Some(
        Embedded::new(server, format!("node view of {}", path.display())).with_logs(kubelet_logs),
    ))
}

/// The cluster in the store file at `path`, opened read-only behind an API server of this
/// process, on `clock` moved by the saved step of `home`.
fn assemble_read_only(
    home: &Path,
    path: &Path,
    clock: Clock,
) -> Result<(Arc<ApiServer>, Clock), String> {
    let store = RedbStore::open_read_only(path).map_err(|e| e.to_string())?;
    let clock = clock.with_saved_step(&home.join(crate::clock::STEP_FILE))?;
    let (server, _) = assemble(Arc::new(store), path, clock);
    Ok((server, clock))
}

/// Opens the store kept in `dir` (creating it, readable by its owner only), assembles the
/// cluster on it and gives a new cluster its first state.
fn boot(dir: &Path, clock: Clock, workers: usize) -> Result<(Arc<ApiServer>, EtcdMember), String> {
    let clock = prepare_home(dir, clock)?;
    let path = store_file(dir)?;
    let fresh = !path.exists();
    let opened = match syncing::for_home(dir)? {
        syncing::Syncing::Unsynced => RedbStore::open_unsynced(&path, LOCK_WAIT),
        syncing::Syncing::Durable => RedbStore::open(&path, LOCK_WAIT),
    };
    let store = opened.map_err(|e| {
        if fresh {
            e.to_string()
        } else {
            format!("cannot open etcd's data in {}: {e}", path.display())
        }
    })?;
    crate::cluster::restrict_to_owner(&path)?;
    store.set_quota(crate::store::quota_from_env()?);
    let (server, member) = assemble(Arc::new(store), &path, clock);
    crate::cluster::boot(&server, workers)?;
    crate::cluster::write_node_files(dir)?;
    Ok((server, member))
}

/// Makes the cluster's home ready before its store opens (private, its control plane's
/// manifests in place); the cluster's clock, moved by the step saved there.
fn prepare_home(dir: &Path, clock: Clock) -> Result<Clock, String> {
    crate::cluster::create_private_dir(dir)?;
    control_plane_up(dir)?;
    clock.with_saved_step(&dir.join(crate::clock::STEP_FILE))
}

/// The API server on `store` (kept in the file `path`), reaching the nodes' containers, whose
/// etcd member serves the same store.
fn assemble(store: Arc<dyn Store>, path: &Path, clock: Clock) -> (Arc<ApiServer>, EtcdMember) {
    let member = EtcdMember::new(store.clone(), path.to_path_buf(), clock);
    let containers = Containers::new(member.clone());
    let server = ApiServer::new(store, clock).with_node_exec(Arc::new(containers));
    (Arc::new(server), member)
}
