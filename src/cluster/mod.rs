//! Where an embedded cluster lives (its directory and store file) and its first state.
//! Opening it and putting its components together is `embedded`'s.

mod addons;
mod bootstrap;
mod policy;
mod policy_store;
mod reconcile;
mod wanted;

/// Old homes of the clock and the version, kept so code written against them compiles.
pub use crate::clock;
pub use crate::version::KUBERNETES_VERSION;
pub use bootstrap::carry_mended;
pub use bootstrap::ensure as boot;
pub use bootstrap::in_place as boot_in_place;
pub use bootstrap::{CONTROL_PLANE_NODE, MASTER_ADDRESS, write_node_files};

use std::path::PathBuf;

/// Where the embedded cluster lives (a directory); overrides the XDG default.
pub const HOME_ENV: &str = "KUBELITE_HOME";
/// How many worker nodes a new cluster gets (default 2: node01, node02).
pub const WORKERS_ENV: &str = "KUBELITE_WORKERS";

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

/// The store's file name in a cluster's directory.
pub const STORE_FILE: &str = "cluster.redb";

/// The number of worker nodes a new cluster gets: `KUBELITE_WORKERS`, else 2.
pub fn workers() -> Result<usize, String> {
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
pub fn restrict_to_owner(path: &std::path::Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("cannot restrict {} to its owner: {e}", path.display()))
}

/// The cluster's files hold secrets: only their owner may read them.
pub fn create_private_dir(dir: &std::path::Path) -> Result<(), String> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
}
