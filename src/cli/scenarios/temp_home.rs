//! Private temporary homes for the clusters scenarios run on.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// This run's throwaway token (`embedded::throwaway`): the homes made here, and only they,
/// are marked with it, and the scenarios' commands are given it.
pub fn run_token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        // Without the kernel's randomness the homes stay ordinary (durable) ones.
        crate::embedded::throwaway::new_token().unwrap_or_default()
    })
}

/// A private temporary directory for a cluster, removed when dropped.
pub struct TempHome(PathBuf);

impl TempHome {
    pub fn new() -> Result<TempHome, String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "kubelite-test-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        crate::cluster::create_private_dir(&dir)?;
        let home = TempHome(dir);
        crate::embedded::throwaway::mark(&home.0, run_token())?;
        Ok(home)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
