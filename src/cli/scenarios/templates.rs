//! Fresh clusters made once: booting a cluster (nodes, system pods, RBAC, settling them)
//! costs more than the rest of a typical scenario, and every scenario that starts with the
//! same environment boots the same bytes. So the first scenario to need a cluster for an
//! environment boots it in a template home, and each scenario copies the template's files
//! into its own home before its first kubelite command.

use super::temp_home::TempHome;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

/// The environment a cluster is booted with (sorted), which decides its bytes.
pub type Key = Vec<(String, String)>;

#[derive(Default)]
pub struct Templates {
    made: Mutex<HashMap<Key, Arc<OnceLock<Option<TempHome>>>>>,
}

impl Templates {
    /// Copies a fresh cluster booted with `env` into `home` (which must hold no cluster);
    /// false when no template could be made (the scenario's first command boots it then).
    pub fn install(&self, kubelite: &Path, env: &Key, home: &Path) -> bool {
        let slot = match self.made.lock() {
            Ok(mut made) => made.entry(env.clone()).or_default().clone(),
            Err(_) => return false,
        };
        // One thread boots; the others for the same environment wait for it.
        let template = slot.get_or_init(|| boot(kubelite, env));
        let Some(template) = template else {
            return false;
        };
        copy_files(template.path(), home).is_ok()
    }
}

/// Boots a cluster in a new home with `env`: any cluster command does (a read writes
/// nothing of its own, so the home is the cluster every first command would find).
fn boot(kubelite: &Path, env: &Key) -> Option<TempHome> {
    let home = TempHome::new().ok()?;
    let status = Command::new(kubelite)
        .args(["get", "namespaces", "-o", "name"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("KUBELITE_HOME", home.path())
        .env("HOME", home.path())
        .env(
            crate::embedded::throwaway::TOKEN_ENV,
            super::temp_home::run_token(),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    let booted = status.success() && home.path().join(crate::cluster::STORE_FILE).exists();
    booted.then_some(home)
}

/// Copies the files of `from` into `to`, keeping their modes and times: the store and keys, and the
/// nodes' files (`nodes/<node>/...`, the static pod manifests among them) with the
/// directories that hold them. Symbolic links are copied as links.
fn copy_files(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target: PathBuf = to.join(entry.file_name());
        if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
            // Kept, so the kubelet sees the manifests it already followed as unchanged.
            let modified = entry.metadata()?.modified()?;
            std::fs::File::options()
                .write(true)
                .open(&target)?
                .set_modified(modified)?;
        } else if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
            std::fs::set_permissions(&target, entry.metadata()?.permissions())?;
            copy_files(&entry.path(), &target)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, target)?;
        }
    }
    Ok(())
}
