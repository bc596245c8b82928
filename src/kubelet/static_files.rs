//! The kubelet's file source: the static pod manifests in a control-plane node's
//! `staticPodPath` (`/etc/kubernetes/manifests` in the node's root, `nodefs`).
//!
//! Each pass the directory is only looked at (names, sizes, modification times, inodes: its
//! fingerprint); the files are read and parsed when that fingerprint differs from the one the
//! mirror pods were last made from. That fingerprint is kept in the cluster's home
//! (`kubelet/<node>.static-pods`), so the next command knows whether an editor touched the
//! directory in between without reading a file.

mod decoded_manifests;

use crate::nodefs;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A manifest bigger than this is refused rather than read (the kubelet reads whatever it
/// is given; a simulated node must not exhaust the memory of the command).
const MAX_MANIFEST_BYTES: u64 = 4 << 20;

/// A static pod read from a file, or why it could not be.
#[derive(Clone)]
pub enum Manifest {
    Pod(Value),
    /// The kubelet's error, as it logs it (`<path>: couldn't parse as pod(...), ...`).
    Invalid(String),
}

/// The manifests directory of `node` on the host.
pub fn dir(home: &Path, node: &str) -> PathBuf {
    nodefs::host_path(home, node, nodefs::MANIFESTS_DIR)
}

/// Where the fingerprint the mirror pods of `node` were last made from is kept.
fn state_file(home: &Path, node: &str) -> PathBuf {
    home.join("kubelet").join(format!("{node}.static-pods"))
}

/// The files the kubelet reads in `dir`: regular files whose names do not start with a dot,
/// by name.
fn entries(dir: &Path) -> Vec<(String, std::fs::Metadata)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, std::fs::Metadata)> = read
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            if name.starts_with('.') {
                return None;
            }
            // Followed through symlinks, as the kubelet's stat does.
            let meta = std::fs::metadata(e.path()).ok()?;
            meta.is_file().then_some((name, meta))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// What the directory holds, in one line per file (name, size, modification time): an
/// edit, a `sed -i`, a move in or out each change it; a copy of the home that keeps the
/// files' times does not.
pub fn fingerprint(dir: &Path) -> String {
    let mut out = String::new();
    if !dir.is_dir() {
        return "absent\n".to_string();
    }
    for (name, m) in entries(dir) {
        out.push_str(&format!(
            "{name}\t{}\t{}.{}\n",
            m.len(),
            m.mtime(),
            m.mtime_nsec(),
        ));
    }
    out
}

/// The fingerprint the mirror pods of `node` were last made from, if any.
pub fn last_seen(home: &Path, node: &str) -> Option<String> {
    std::fs::read_to_string(state_file(home, node)).ok()
}

/// Records that the mirror pods of `node` follow the files as `fingerprint` found them.
pub fn record_seen(home: &Path, node: &str, fingerprint: &str) -> std::io::Result<()> {
    let path = state_file(home, node);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, fingerprint)?;
    std::fs::rename(tmp, path)
}

/// Whether any node's manifests changed since its mirror pods were made (or no node's were
/// ever made from files): a command then lets the kubelet look, even with nothing else to do.
pub fn any_changed(home: &Path) -> bool {
    let Ok(read) = std::fs::read_dir(home.join("kubelet")) else {
        return true;
    };
    read.flatten().any(|e| {
        let name = e.file_name();
        let Some(node) = name
            .to_str()
            .and_then(|n| n.strip_suffix(".static-pods"))
            .filter(|n| nodefs::valid_node_name(n))
        else {
            return false;
        };
        std::fs::read_to_string(e.path()).ok() != Some(fingerprint(&dir(home, node)))
    })
}

/// Whether the mirror pods of some node were made from its files.
pub fn any_recorded(home: &Path) -> bool {
    std::fs::read_dir(home.join("kubelet")).is_ok_and(|mut r| r.next().is_some())
}

/// Reads every manifest of the directory, with its path on the node.
pub fn read_all(dir: &Path) -> Vec<(String, Manifest)> {
    entries(dir)
        .into_iter()
        .map(|(name, meta)| {
            let node_path = format!("{}/{name}", nodefs::MANIFESTS_DIR);
            let manifest = if meta.len() > MAX_MANIFEST_BYTES {
                Manifest::Invalid(format!(
                    "{node_path}: file is larger than {MAX_MANIFEST_BYTES} bytes"
                ))
            } else {
                match std::fs::read(dir.join(&name)) {
                    Ok(bytes) => decode(&node_path, &bytes),
                    Err(e) => Manifest::Invalid(format!("{node_path}: {e}")),
                }
            };
            (node_path, manifest)
        })
        .collect()
}

/// Decodes one file as the kubelet's `tryDecodeSinglePod` does, with its errors' words
/// (once per process for the same path and bytes).
pub fn decode(path: &str, bytes: &[u8]) -> Manifest {
    decoded_manifests::decode_once(path, bytes, || decode_fresh(path, bytes))
}

fn decode_fresh(path: &str, bytes: &[u8]) -> Manifest {
    let invalid = |why: String| {
        Manifest::Invalid(format!(
            "{path}: couldn't parse as pod({why}), please check config file"
        ))
    };
    let text = String::from_utf8_lossy(bytes);
    let value: Value = match serde_saphyr::from_str::<Option<Value>>(&text) {
        Ok(v) => v.unwrap_or(Value::Null),
        Err(e) => return invalid(yaml_error(&e)),
    };
    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind.is_empty() {
        let json = serde_json::to_string(&value).unwrap_or_default();
        return invalid(format!("Object 'Kind' is missing in '{json}'"));
    }
    let version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    if version != "v1" || kind != "Pod" {
        return invalid(format!(
            "no kind \"{kind}\" is registered for version \"{version}\" in scheme \"pkg/api/legacyscheme/scheme.go:30\""
        ));
    }
    let name = value.pointer("/metadata/name").and_then(Value::as_str);
    if name.is_none_or(str::is_empty) {
        return Manifest::Invalid(format!(
            "{path}: invalid pod: [metadata.name: Required value: name or generateName is required]"
        ));
    }
    let containers = value.pointer("/spec/containers").and_then(Value::as_array);
    if containers.is_none_or(Vec::is_empty) {
        return Manifest::Invalid(format!(
            "{path}: invalid pod: [spec.containers: Required value]"
        ));
    }
    Manifest::Pod(value)
}

/// A parse error in go-yaml's words: `yaml: line N: what`.
fn yaml_error(e: &serde_saphyr::Error) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let what = match first.split_once(": ") {
        Some((at, rest)) if at.starts_with("line ") => rest,
        _ => first,
    };
    let what = what.split(" at line ").next().unwrap_or(what).trim();
    match e.location() {
        Some(loc) => format!("yaml: line {}: {what}", loc.line()),
        None => format!("yaml: {what}"),
    }
}

pub use crate::nodefs::kubelet_pid;

/// A klog line of the kubelet (`E1206 10:00:00.000000    1234 file.go:187] ...`).
pub fn klog(level: char, at: DateTime<Utc>, pid: u32, site: &str, msg: &str) -> String {
    format!(
        "{level}{} {:>7} {site}] {msg}",
        at.format("%m%d %H:%M:%S%.6f"),
        pid
    )
}

/// A structured klog value: Go's quoting.
pub fn quoted(s: &str) -> String {
    crate::go::quote(s)
}

/// The log line of a manifest the kubelet could not process.
pub fn could_not_process(at: DateTime<Utc>, node: &str, path: &str, err: &str) -> String {
    klog(
        'E',
        at,
        kubelet_pid(node),
        "file.go:187",
        &format!(
            "\"Could not process manifest file\" err={} path={}",
            quoted(err),
            quoted(path)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(m: Manifest) -> String {
        match m {
            Manifest::Invalid(why) => why,
            Manifest::Pod(p) => panic!("parsed: {p}"),
        }
    }

    #[test]
    fn files_decode_as_the_kubelet_decodes_them() {
        let path = "/etc/kubernetes/manifests/x.yaml";
        let ok = decode(
            path,
            b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n",
        );
        assert!(matches!(ok, Manifest::Pod(_)));
        let bad = invalid(decode(
            path,
            b"apiVersion: v1\nkind: Pod\nmetadata;\n  name: x\n",
        ));
        assert!(
            bad.starts_with(&format!("{path}: couldn't parse as pod(yaml: line ")),
            "{bad}"
        );
        assert!(bad.ends_with("), please check config file"), "{bad}");
        assert_eq!(
            invalid(decode(path, b"")),
            format!(
                "{path}: couldn't parse as pod(Object 'Kind' is missing in 'null'), please check config file"
            )
        );
        assert_eq!(
            invalid(decode(path, b"apiVersion: v2\nkind: Pod\n")),
            format!(
                "{path}: couldn't parse as pod(no kind \"Pod\" is registered for version \"v2\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"), please check config file"
            )
        );
        assert!(
            invalid(decode(
                path,
                b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n"
            ))
            .contains("spec.containers: Required value")
        );
    }

    #[test]
    fn the_fingerprint_follows_edits_and_moves() {
        let home = std::env::temp_dir().join(format!("kubelite-spfiles-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let write = || super::super::static_pods::write_manifests(&home, "master", "192.168.56.10");
        assert!(write().unwrap());
        let d = dir(&home, "master");
        let first = fingerprint(&d);
        assert_eq!(first.lines().count(), 4);
        assert!(any_changed(&home), "never recorded");
        record_seen(&home, "master", &first).unwrap();
        assert!(!any_changed(&home));
        // Moved out: the directory stays and is not written again.
        std::fs::rename(
            d.join("kube-scheduler.yaml"),
            home.join("kube-scheduler.yaml"),
        )
        .unwrap();
        assert!(!write().unwrap());
        assert!(any_changed(&home));
        assert_eq!(read_all(&d).len(), 3);
        std::fs::write(d.join(".hidden.swp"), "x").unwrap();
        assert_eq!(read_all(&d).len(), 3, "dot files are not read");
        let _ = std::fs::remove_dir_all(&home);
    }

    #[test]
    fn klog_lines_have_the_kubelets_header() {
        let at = crate::clock::parse_timestamp("2026-04-18T12:54:45.660923Z").unwrap();
        let line = could_not_process(at, "master", "/p.yaml", "/p.yaml: bad \"x\"");
        let pid = kubelet_pid("master");
        assert_eq!(
            line,
            format!(
                "E0418 12:54:45.660923 {pid:>7} file.go:187] \"Could not process manifest file\" err=\"/p.yaml: bad \\\"x\\\"\" path=\"/p.yaml\""
            )
        );
    }
    #[test]
    fn written_manifests_are_the_ones_decoded_ahead_for_forks() {
        let home = std::env::temp_dir().join(format!("kubelite-spwarm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let (node, ip) = ("master", "192.168.56.10");
        assert!(super::super::static_pods::write_manifests(&home, node, ip).unwrap());
        let d = dir(&home, node);
        let files: Vec<(String, Vec<u8>)> = entries(&d)
            .into_iter()
            .map(|(name, _)| {
                let bytes = std::fs::read(d.join(&name)).unwrap();
                (format!("{}/{name}", nodefs::MANIFESTS_DIR), bytes)
            })
            .collect();
        assert_eq!(files.len(), 4);
        // Every file a new node has is answered from what was decoded ahead, and is what
        // decoding it gives. Other tests decode at the same time and the memo keeps few
        // files: forgotten and decoded ahead again if they pushed these out in between.
        let answered = (0..5).any(|_| {
            decoded_manifests::forget_all();
            super::super::static_pods::decode_written_manifests(node, ip);
            files.iter().all(|(path, bytes)| {
                let mut decoded = false;
                let got = decoded_manifests::decode_once(path, bytes, || {
                    decoded = true;
                    decode_fresh(path, bytes)
                });
                let fresh = decode_fresh(path, bytes);
                assert!(
                    matches!((&got, &fresh), (Manifest::Pod(a), Manifest::Pod(b)) if a == b),
                    "{path}"
                );
                !decoded
            })
        });
        assert!(answered, "the files a new node has were not decoded ahead");
        let _ = std::fs::remove_dir_all(&home);
    }
}
