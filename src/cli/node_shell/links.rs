//! The node programs' directory: links to this binary named after the programs a node
//! has (`ps`, `systemctl`, `crictl`, ...). The node shell puts it first on `PATH`, and
//! `main` dispatches on the name a link was invoked by. Kept in the cluster's home,
//! remade when the binary moved.

use std::path::{Path, PathBuf};

/// The programs a node has that kubelite answers for; everything else on `PATH` is the
/// machine's own (`grep`, `sed`, `vi`, `openssl`, `hostname`).
pub const PROGRAMS: &[&str] = &[
    "ps",
    "pgrep",
    "systemctl",
    "journalctl",
    "crictl",
    "ip",
    "iptables-save",
    "etcdctl",
    "kubectl",
];

/// The directory of links in `home`, made or brought up to date.
pub fn ensure(home: &Path) -> Result<PathBuf, String> {
    let dir = home.join("node-bin");
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the kubelite binary: {e}"))?;
    let fail = |p: &Path, e: std::io::Error| format!("cannot make {}: {e}", p.display());
    std::fs::create_dir_all(&dir).map_err(|e| fail(&dir, e))?;
    for name in PROGRAMS {
        let link = dir.join(name);
        if std::fs::read_link(&link).ok().as_deref() == Some(exe.as_path()) {
            continue;
        }
        // A new link renamed into place: a concurrent `node ssh` never sees none.
        let tmp = dir.join(format!(".{name}.{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(&exe, &tmp).map_err(|e| fail(&tmp, e))?;
        std::fs::rename(&tmp, &link).map_err(|e| fail(&link, e))?;
    }
    Ok(dir)
}
