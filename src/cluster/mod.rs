//! The embedded cluster: where it lives on disk, opening its store, and its first boot.

mod addons;
mod bootstrap;

use crate::apiserver::ApiServer;
use crate::client::Embedded;
use crate::clock::Clock;
use crate::store::Store;
use crate::store::redb::RedbStore;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Old homes of the clock and the version, kept so code written against them compiles.
pub use crate::clock;
pub use crate::version::KUBERNETES_VERSION;
/// Where the embedded cluster lives (a directory); overrides the XDG default.
pub const HOME_ENV: &str = "KUBELITE_HOME";
/// How many worker nodes a new cluster gets (default 2: node01, node02).
pub const WORKERS_ENV: &str = "KUBELITE_WORKERS";
/// How long a command waits for another kubelite process to release the store.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// `$KUBELITE_HOME`, else `$XDG_DATA_HOME/kubelite`, else `~/.local/share/kubelite`.
pub fn home() -> PathBuf {
    if let Some(h) = std::env::var_os(HOME_ENV).filter(|h| !h.is_empty()) {
        return PathBuf::from(h);
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(x).join("kubelite");
    }
    let user_home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    user_home.join(".local/share/kubelite")
}

/// The store file of the embedded cluster.
pub fn store_path() -> PathBuf {
    home().join(STORE_FILE)
}

/// Every component of the embedded control plane.
pub fn components() -> Vec<Box<dyn crate::runtime::Component>> {
    let mut all: Vec<Box<dyn crate::runtime::Component>> = vec![
        Box::new(crate::scheduler::Scheduler::new()),
        Box::new(crate::kubelet::Kubelets::new()),
    ];
    all.extend(crate::controllers::all());
    all
}

/// The store's file name in a cluster's directory.
pub const STORE_FILE: &str = "cluster.redb";

/// Runs the control plane of an open embedded cluster until it is quiescent at the
/// cluster's current time. Returns notes for the user: components that failed (they are
/// restarted and resync in the next command), or work left for the next command.
pub fn settle(client: &Embedded) -> Result<Vec<String>, String> {
    let mut settler = crate::runtime::Settler::restartable(components, i64::MAX);
    let outcome = settle_with(&mut settler, client)?;
    Ok(notes(&outcome))
}

/// `settle` with components that live on between settles (a long-running process keeps
/// what they have read instead of reading it again every time).
pub fn settle_with(
    settler: &mut crate::runtime::Settler,
    client: &Embedded,
) -> Result<crate::runtime::Outcome, String> {
    let server = client.server().clone();
    let now = server.clock().now();
    settler
        .settle(client, server.as_ref(), now)
        .map_err(|e| format!("the control plane failed: {}", e.message))
}

/// What a settle's outcome tells the user, a line each.
pub fn notes(outcome: &crate::runtime::Outcome) -> Vec<String> {
    let mut notes: Vec<String> = outcome
        .failing
        .iter()
        .map(|(component, why)| format!("{component} failed: {why} (it is restarted)"))
        .collect();
    if outcome.unfinished {
        notes.push(
            "the control plane is still working; the next command continues where it stopped"
                .to_string(),
        );
    }
    notes
}

/// Opens the embedded cluster (creating and bootstrapping it on first use) and returns a
/// client for it.
pub fn open() -> Result<Embedded, String> {
    open_home(&home())
}

/// `open` for the embedded cluster kept in `dir` (a kubeconfig's `kubelite:///dir`).
pub fn open_home(dir: &std::path::Path) -> Result<Embedded, String> {
    open_in(dir, Clock::from_env()?, workers()?)
}

/// Opens (or creates) the embedded cluster kept in `dir`, with the given clock and, for a new
/// cluster, that many worker nodes. Tests use it to run clusters side by side.
pub fn open_in(dir: &std::path::Path, clock: Clock, workers: usize) -> Result<Embedded, String> {
    create_private_dir(dir)?;
    let path = dir.join(STORE_FILE);
    let store = RedbStore::open(&path, LOCK_WAIT).map_err(|e| e.to_string())?;
    restrict_to_owner(&path)?;
    let store: Arc<dyn Store> = Arc::new(store);
    let server = Arc::new(ApiServer::new(store, clock));
    bootstrap::ensure(&server, workers)?;
    Ok(Embedded::new(
        server,
        format!("embedded cluster at {}", path.display()),
    ))
}

fn workers() -> Result<usize, String> {
    match std::env::var(WORKERS_ENV) {
        Ok(s) if !s.is_empty() => s
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= 1000)
            .ok_or_else(|| format!("{WORKERS_ENV}={s:?} is not a number of worker nodes (0-1000)")),
        _ => Ok(2),
    }
}

/// The store holds Secrets: only its owner may read it.
fn restrict_to_owner(path: &std::path::Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("cannot restrict {} to its owner: {e}", path.display()))
}

/// The cluster's files hold secrets: only their owner may read them.
fn create_private_dir(dir: &std::path::Path) -> Result<(), String> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
}
