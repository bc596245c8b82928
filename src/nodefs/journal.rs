//! A node's journal: what its units (`kubelet`, `containerd`) logged, for `journalctl -u`.
//! One file per unit, `var/log/journal/<unit>.log` under the node's root, one entry a line:
//! the cluster time (RFC 3339) a space and the line as the unit wrote it (klog's form for
//! the kubelet). journalctl adds its own prefix when it prints.
//!
//! A journal is bounded: past `MAX_BYTES` its older half is dropped, as journald rotates.

use chrono::{DateTime, SecondsFormat, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A unit's journal keeps at most this much before its older half is dropped.
pub const MAX_BYTES: u64 = 1 << 20;

/// An entry systemd wrote about the unit (`Stopped kubelet.service ...`), rather than the
/// unit itself, starts with this; journalctl shows it as systemd's.
pub const SYSTEMD: &str = "systemd[1]: ";

/// The journal file of `unit` on `node`.
pub fn file(home: &Path, node: &str, unit: &str) -> PathBuf {
    super::root(home, node)
        .join("var/log/journal")
        .join(format!("{unit}.log"))
}

/// Appends one entry (`line` has no newline of its own) written at `at`.
pub fn append(
    home: &Path,
    node: &str,
    unit: &str,
    at: DateTime<Utc>,
    line: &str,
) -> std::io::Result<()> {
    let path = file(home, node, unit);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) > MAX_BYTES {
        drop_older_half(&path)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)?;
    let one_line = line.replace('\n', " ");
    writeln!(
        f,
        "{} {one_line}",
        at.to_rfc3339_opts(SecondsFormat::Micros, true)
    )
}

/// The unit's entries, oldest first; none when it never logged. Lines that do not parse
/// (a hand-edited file) are skipped.
pub fn read(home: &Path, node: &str, unit: &str) -> std::io::Result<Vec<(DateTime<Utc>, String)>> {
    let text = match std::fs::read_to_string(file(home, node, unit)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|l| {
            let (at, rest) = l.split_once(' ')?;
            let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
            Some((at, rest.to_string()))
        })
        .collect())
}

fn drop_older_half(path: &Path) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let lines: Vec<&str> = text.lines().collect();
    let kept = lines[lines.len() / 2..].join("\n") + "\n";
    let tmp = path.with_extension("log.tmp");
    std::fs::write(&tmp, kept)?;
    std::fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_in_order_with_their_times() {
        let home = std::env::temp_dir().join(format!("kubelite-journal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let t0 = DateTime::parse_from_rfc3339("2026-12-06T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        append(&home, "master", "kubelet", t0, "I1206 first").unwrap();
        append(&home, "master", "kubelet", t0, "E1206 second\nline").unwrap();
        let got = read(&home, "master", "kubelet").unwrap();
        assert_eq!(
            got,
            vec![
                (t0, "I1206 first".to_string()),
                (t0, "E1206 second line".to_string())
            ]
        );
        assert!(read(&home, "node01", "kubelet").unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&home);
    }
}
