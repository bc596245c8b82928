//! Writing one of the node's files: under its root, directories made as needed, replaced
//! whole (a temporary file renamed into place), readable by all or by its owner only.

use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Who may read a written file.
#[derive(Clone, Copy)]
pub enum Mode {
    Public,
    Private,
}

/// Writes `contents` at the node path `node_path` under `root` (directories made as
/// needed; a temporary file renamed into place, so a reader never sees half of it).
pub fn write_file(root: &Path, node_path: &str, contents: &[u8], mode: Mode) -> Result<(), String> {
    use std::io::Write;
    let path = root.join(node_path.trim_start_matches('/'));
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let tmp = path.with_extension("kubelite-tmp");
    let _ = std::fs::remove_file(&tmp);
    let bits = match mode {
        Mode::Public => 0o644,
        Mode::Private => 0o600,
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(bits)
        .open(&tmp)
        .map_err(fail)?;
    f.write_all(contents).map_err(fail)?;
    std::fs::rename(&tmp, &path).map_err(fail)
}
