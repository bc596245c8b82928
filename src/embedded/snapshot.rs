//! Snapshots of a whole embedded cluster: `kubelite snapshot save|restore`, `serve
//! --snapshot` and a scenario's `@snapshot`.
//!
//! A cluster is more than its store: the home also keeps the nodes' files (static pod
//! manifests, etcd's data dir when it moved), what the kubelet last saw of them, and
//! serve's CA, keys and tokens. A snapshot is a tar file holding, in order:
//!
//! 1. `kubelite-snapshot.json`, the manifest: the snapshot format, the kubelite and store
//!    formats that wrote it, the store's revision, and every other file with its kind,
//!    mode, modification time (to the nanosecond: the kubelet tells an edited manifest by
//!    it) and SHA-256;
//! 2. the store, as `etcdctl snapshot save` writes it (one read transaction, so one
//!    revision, followed by its SHA-256), at its path in the home;
//! 3. the other files.
//!
//! The store is held (its lock) while the files are read, so no kubelite command changes
//! the cluster in between. What belongs to one process or machine is left out: serve's
//! `serve.json` and kubeconfig (rewritten by the next serve), the node programs' links (to
//! this binary's path) and kubectl's discovery cache.
//!
//! Restoring reads everything into a staging directory in the home, checks every hash and
//! the store's format and revision, and only then moves the files into place: a damaged or
//! foreign file leaves the home as it was. It restores into an empty home only, so it never
//! replaces a cluster someone keeps.

use super::LOCK_WAIT;
use super::data_dir;
use crate::store::redb::RedbStore;
use crate::store::redb::snapshot::{self as store_snapshot, SnapshotError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The snapshot format this kubelite writes and reads.
pub const FORMAT: u32 = 1;
const KIND: &str = "KubeliteSnapshot";
const MANIFEST: &str = "kubelite-snapshot.json";
/// Where a restore stages what it read, inside the home.
const STAGING: &str = ".kubelite-restore";
/// The most a manifest may take (it lists files, never their contents).
const MAX_MANIFEST: u64 = 16 << 20;
/// Files of a home's top level that are not the cluster's (see the module's comment).
const NOT_SAVED: &[&str] = &[
    "serve.json",
    "serve.tmp",
    "kubeconfig",
    "node-bin",
    ".kube",
    super::throwaway::MARKER,
];

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    kind: String,
    format: u32,
    kubelite: String,
    store_format: i64,
    revision: i64,
    /// The store's path in the home (etcd's data dir may have moved it).
    store: String,
    files: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Entry {
    path: String,
    kind: EntryKind,
    mode: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    sha256: String,
    #[serde(default)]
    mtime: i64,
    #[serde(default)]
    mtime_nsec: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    target: String,
}

#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Debug)]
#[serde(rename_all = "lowercase")]
enum EntryKind {
    File,
    Dir,
    Symlink,
}

/// What a save or restore did.
pub struct Done {
    /// The store's revision the snapshot holds.
    pub revision: i64,
}

/// Saves the cluster kept in `home` to `file` (replaced if it exists; synced before this
/// returns). The caller makes sure no server holds the store.
pub fn save(home: &Path, file: &Path) -> Result<Done, String> {
    let store_path = data_dir::store_file(home)?;
    if !store_path.is_file() {
        return Err(format!(
            "there is no cluster in {} to save (no store at {})",
            home.display(),
            store_path.display()
        ));
    }
    let store_rel = store_path
        .strip_prefix(home)
        .map_err(|_| format!("the store {} is outside its home", store_path.display()))?
        .to_path_buf();
    // Held until the files are read: no kubelite command changes the cluster meanwhile.
    let store = RedbStore::open(&store_path, LOCK_WAIT).map_err(|e| {
        format!(
            "cannot open the cluster's store {}: {e}",
            store_path.display()
        )
    })?;
    let name = file
        .file_name()
        .ok_or_else(|| format!("{} names no file", file.display()))?
        .to_string_lossy()
        .to_string();
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty());
    let beside = |tag: &str| {
        let n = format!(".{name}.{tag}-{}", std::process::id());
        dir.map_or_else(|| PathBuf::from(&n), |d| d.join(&n))
    };
    let temps = Temps(vec![beside("store"), beside("part")]);
    let (store_copy, part) = (&temps.0[0], &temps.0[1]);
    store
        .save_snapshot_file(store_copy)
        .map_err(|e| format!("cannot save the store: {e}"))?;
    let revision = store_snapshot::check(store_copy, false)
        .and_then(|c| c.status())
        .map_err(|e| format!("the store's snapshot cannot be read back: {e}"))?
        .revision;
    // The snapshot itself may be written inside the home: its files are no part of it.
    let skip: BTreeSet<PathBuf> = [file, store_copy.as_path(), part.as_path()]
        .iter()
        .filter_map(|p| absolute(p).ok())
        .collect();
    let mut files = Vec::new();
    collect(home, Path::new(""), &store_rel, &skip, &mut files)?;
    let manifest = Manifest {
        kind: KIND.into(),
        format: FORMAT,
        kubelite: env!("CARGO_PKG_VERSION").into(),
        store_format: store_snapshot::STORE_FORMAT,
        revision,
        store: path_text(&store_rel)?,
        files,
    };
    write_tar(home, &manifest, store_copy, part)
        .map_err(|e| format!("cannot write {}: {e}", part.display()))?;
    std::fs::rename(part, file).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    sync_dir(dir.unwrap_or(Path::new(".")));
    drop(store);
    Ok(Done { revision })
}

/// Removes the temporary files it names when dropped.
struct Temps(Vec<PathBuf>);

impl Drop for Temps {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn absolute(p: &Path) -> std::io::Result<PathBuf> {
    std::path::absolute(p)
}

fn path_text(p: &Path) -> Result<String, String> {
    p.to_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{} is not UTF-8: a snapshot cannot name it", p.display()))
}

/// Lists the files under `home/rel` that the snapshot holds (the store apart).
fn collect(
    home: &Path,
    rel: &Path,
    store: &Path,
    skip: &BTreeSet<PathBuf>,
    out: &mut Vec<Entry>,
) -> Result<(), String> {
    let dir = home.join(rel);
    let read =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names: Vec<_> = read.flatten().map(|e| e.file_name()).collect();
    names.sort();
    for name in names {
        let rel = rel.join(&name);
        let full = home.join(&rel);
        let top = rel.components().count() == 1;
        if rel == store
            || (top && NOT_SAVED.iter().any(|n| name == *n))
            || (top && name == STAGING)
            || absolute(&full).is_ok_and(|a| skip.contains(&a))
        {
            continue;
        }
        let meta = std::fs::symlink_metadata(&full)
            .map_err(|e| format!("cannot read {}: {e}", full.display()))?;
        let mut entry = Entry {
            path: path_text(&rel)?,
            kind: EntryKind::File,
            mode: meta.mode() & 0o7777,
            sha256: String::new(),
            mtime: meta.mtime(),
            mtime_nsec: meta.mtime_nsec().clamp(0, 999_999_999) as u32,
            target: String::new(),
        };
        if meta.is_dir() {
            entry.kind = EntryKind::Dir;
            out.push(entry);
            collect(home, &rel, store, skip, out)?;
        } else if meta.is_symlink() {
            let target = std::fs::read_link(&full)
                .map_err(|e| format!("cannot read {}: {e}", full.display()))?;
            entry.kind = EntryKind::Symlink;
            entry.target = path_text(&target)?;
            out.push(entry);
        } else if meta.is_file() {
            entry.sha256 = sha256_file(&full)?;
            out.push(entry);
        }
        // Sockets, fifos, devices: nothing a cluster keeps.
    }
    Ok(())
}

fn sha256_file(path: &Path) -> Result<String, String> {
    let mut f =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 64 << 10];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => ctx.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    }
    Ok(hex(ctx.finish().as_ref()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_tar(
    home: &Path,
    manifest: &Manifest,
    store_copy: &Path,
    part: &Path,
) -> std::io::Result<()> {
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode_private()
        .open(part)?;
    let mut tar = tar::Builder::new(BufWriter::new(out));
    let json = serde_json::to_vec_pretty(manifest).map_err(std::io::Error::other)?;
    let mut h = header(tar::EntryType::Regular, 0o600, manifest_mtime());
    h.set_size(json.len() as u64);
    tar.append_data(&mut h, MANIFEST, json.as_slice())?;
    let store = std::fs::File::open(store_copy)?;
    let mut h = header_for(tar::EntryType::Regular, 0o600, store_copy)?;
    h.set_size(store.metadata()?.len());
    tar.append_data(&mut h, &manifest.store, store)?;
    for e in &manifest.files {
        match e.kind {
            EntryKind::Dir => {
                let mut h = header(tar::EntryType::Directory, e.mode, e.mtime);
                h.set_size(0);
                tar.append_data(&mut h, &e.path, std::io::empty())?;
            }
            EntryKind::Symlink => {
                let mut h = header(tar::EntryType::Symlink, e.mode, e.mtime);
                h.set_size(0);
                tar.append_link(&mut h, &e.path, &e.target)?;
            }
            EntryKind::File => {
                let f = std::fs::File::open(home.join(&e.path))?;
                let mut h = header(tar::EntryType::Regular, e.mode, e.mtime);
                h.set_size(f.metadata()?.len());
                tar.append_data(&mut h, &e.path, f)?;
            }
        }
    }
    let out = tar.into_inner()?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()
}

fn manifest_mtime() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn header(kind: tar::EntryType, mode: u32, mtime: i64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_mtime(mtime.max(0) as u64);
    h
}

fn header_for(kind: tar::EntryType, mode: u32, path: &Path) -> std::io::Result<tar::Header> {
    Ok(header(kind, mode, std::fs::metadata(path)?.mtime()))
}

trait PrivateMode {
    fn mode_private(&mut self) -> &mut Self;
}

impl PrivateMode for std::fs::OpenOptions {
    /// A snapshot holds every secret of the cluster: its owner's only.
    fn mode_private(&mut self) -> &mut Self {
        std::os::unix::fs::OpenOptionsExt::mode(self, 0o600)
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Restores the cluster saved in `file` into `home`, which must hold nothing yet (it is
/// created if missing).
pub fn restore(file: &Path, home: &Path) -> Result<Done, String> {
    let shown = file.display();
    let snapshot = std::fs::File::open(file).map_err(|e| {
        format!(
            "cannot read the snapshot {shown}: {}",
            store_snapshot::go_io_text(&e)
        )
    })?;
    if snapshot.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!(
            "cannot read the snapshot {shown}: it is a directory"
        ));
    }
    refuse_unless_empty(home)?;
    crate::cluster::create_private_dir(home)?;
    let staging = home.join(STAGING);
    let _ = std::fs::remove_dir_all(&staging);
    crate::cluster::create_private_dir(&staging)?;
    let result = unpack(snapshot, &staging).map_err(|e| match e {
        Unpack::Foreign => format!(
            "{shown} is not a kubelite snapshot (`kubelite snapshot save FILE` writes them)"
        ),
        Unpack::Damaged(why) => format!("the snapshot {shown} is damaged: {why}"),
        Unpack::Other(why) => format!("cannot restore {shown}: {why}"),
    });
    let result = result.and_then(|revision| {
        move_into(&staging, home)
            .map_err(|e| format!("cannot restore into {}: {e}", home.display()))?;
        Ok(Done { revision })
    });
    let _ = std::fs::remove_dir_all(&staging);
    sync_dir(home);
    result
}

/// A home a restore may write: missing, or an empty directory.
fn refuse_unless_empty(home: &Path) -> Result<(), String> {
    let shown = home.display();
    let mut read = match std::fs::read_dir(home) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot restore into {shown}: {e}")),
    };
    // A scenario's home is marked throwaway before its cluster is restored into it.
    if read.all(|e| e.is_ok_and(|e| e.file_name() == super::throwaway::MARKER)) {
        return Ok(());
    }
    if data_dir::store_file(home).is_ok_and(|p| p.exists()) {
        return Err(format!(
            "{shown} already holds a cluster: a snapshot is restored into a new home \
             (KUBELITE_HOME=DIR kubelite snapshot restore FILE), never over a cluster \
             (delete that one first if it is no longer wanted)"
        ));
    }
    Err(format!(
        "{shown} is not empty: a snapshot is restored into an empty or new directory"
    ))
}

enum Unpack {
    /// Not a kubelite snapshot at all.
    Foreign,
    /// A kubelite snapshot whose bytes are not what was saved.
    Damaged(String),
    Other(String),
}

fn damaged(why: impl std::fmt::Display) -> Unpack {
    Unpack::Damaged(why.to_string())
}

/// Reads the snapshot into `staging`, checks it, and gives the store's revision.
fn unpack(file: std::fs::File, staging: &Path) -> Result<i64, Unpack> {
    let mut archive = tar::Archive::new(std::io::BufReader::new(file));
    let mut entries = archive.entries().map_err(|_| Unpack::Foreign)?;
    let manifest = match entries.next() {
        Some(Ok(mut first)) if first.path().is_ok_and(|p| p == Path::new(MANIFEST)) => {
            if first.size() > MAX_MANIFEST {
                return Err(damaged("its manifest is too big"));
            }
            let mut text = Vec::new();
            first.read_to_end(&mut text).map_err(damaged)?;
            let manifest: Manifest = serde_json::from_slice(&text)
                .map_err(|e| damaged(format!("its manifest does not parse: {e}")))?;
            if manifest.kind != KIND {
                return Err(Unpack::Foreign);
            }
            manifest
        }
        _ => return Err(Unpack::Foreign),
    };
    if manifest.format != FORMAT {
        return Err(Unpack::Other(format!(
            "it is a snapshot of format {} (written by kubelite {}), and this kubelite ({}) \
             reads format {FORMAT}",
            manifest.format,
            manifest.kubelite,
            env!("CARGO_PKG_VERSION")
        )));
    }
    if !store_snapshot::store_format_readable(manifest.store_format) {
        return Err(Unpack::Other(format!(
            "its store is of format {} (written by kubelite {}), and this kubelite ({}) \
             reads format {}",
            manifest.store_format,
            manifest.kubelite,
            env!("CARGO_PKG_VERSION"),
            store_snapshot::STORE_FORMAT
        )));
    }
    let store_rel = safe_relative(&manifest.store)
        .ok_or_else(|| damaged("its store path is not inside a home"))?;
    let mut expected: BTreeMap<PathBuf, Entry> = BTreeMap::new();
    for e in &manifest.files {
        let p = safe_relative(&e.path)
            .ok_or_else(|| damaged(format!("{:?} is not a path inside a home", e.path)))?;
        if p == store_rel || expected.insert(p, e.clone()).is_some() {
            return Err(damaged(format!("its manifest names {} twice", e.path)));
        }
    }
    let store_copy = staging.join(".store.snapshot");
    let mut store_seen = false;
    let mut links: Vec<PathBuf> = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in entries {
        let mut entry = entry.map_err(damaged)?;
        let path = entry.path().map_err(damaged)?.to_path_buf();
        let rel = safe_relative(&path.to_string_lossy())
            .ok_or_else(|| damaged(format!("it holds {}, outside a home", path.display())))?;
        // A file never lands under a link the snapshot made (which could point anywhere).
        if links.iter().any(|l| rel.starts_with(l)) {
            return Err(damaged(format!(
                "{} lies under a symbolic link",
                rel.display()
            )));
        }
        if rel == store_rel && !store_seen {
            store_seen = true;
            copy_limited(&mut entry, &store_copy, None)?;
            continue;
        }
        let Some(want) = expected.get(&rel) else {
            return Err(damaged(format!(
                "it holds {}, which its manifest does not list",
                rel.display()
            )));
        };
        if !seen.insert(rel.clone()) {
            return Err(damaged(format!("it holds {} twice", rel.display())));
        }
        let dest = staging.join(&rel);
        match (want.kind, entry.header().entry_type()) {
            (EntryKind::Dir, tar::EntryType::Directory) => {
                std::fs::create_dir_all(&dest).map_err(|e| Unpack::Other(e.to_string()))?;
            }
            (EntryKind::Symlink, tar::EntryType::Symlink) => {
                let target = entry.link_name().map_err(damaged)?.unwrap_or_default();
                if target.to_string_lossy() != want.target {
                    return Err(damaged(format!(
                        "the link {} points elsewhere than its manifest says",
                        rel.display()
                    )));
                }
                make_parent(&dest)?;
                std::os::unix::fs::symlink(&*target, &dest)
                    .map_err(|e| Unpack::Other(e.to_string()))?;
                links.push(rel);
            }
            (EntryKind::File, tar::EntryType::Regular) => {
                make_parent(&dest)?;
                let digest = copy_limited(&mut entry, &dest, Some(want.mode))?;
                if digest != want.sha256 {
                    return Err(damaged(format!(
                        "{} is not the file that was saved (SHA-256 mismatch)",
                        rel.display()
                    )));
                }
                let when = SystemTime::UNIX_EPOCH
                    + Duration::new(want.mtime.max(0) as u64, want.mtime_nsec.min(999_999_999));
                std::fs::File::options()
                    .write(true)
                    .open(&dest)
                    .and_then(|f| f.set_modified(when))
                    .map_err(|e| Unpack::Other(format!("{}: {e}", dest.display())))?;
            }
            _ => {
                return Err(damaged(format!(
                    "{} is not the kind of file its manifest says",
                    rel.display()
                )));
            }
        }
    }
    if !store_seen {
        return Err(damaged("it holds no store"));
    }
    if let Some(missing) = expected.keys().find(|p| !seen.contains(*p)) {
        return Err(damaged(format!("it lacks {}", missing.display())));
    }
    let checked = store_snapshot::check(&store_copy, false).map_err(|e| match e {
        SnapshotError::Io(why) => Unpack::Other(why),
        other => damaged(format!("its store: {other}")),
    })?;
    let status = checked
        .status()
        .map_err(|e| damaged(format!("its store: {e}")))?;
    if status.revision != manifest.revision {
        return Err(damaged(format!(
            "its store is at revision {}, its manifest says {}",
            status.revision, manifest.revision
        )));
    }
    let store_dest = staging.join(&store_rel);
    make_parent(&store_dest)?;
    checked
        .copy_db_to(&store_dest)
        .map_err(|e| Unpack::Other(format!("{}: {e}", store_dest.display())))?;
    let _ = std::fs::remove_file(&store_copy);
    crate::cluster::restrict_to_owner(&store_dest).map_err(Unpack::Other)?;
    // Directories' modes last: a read-only one would have refused its files.
    for (rel, e) in expected.iter().rev() {
        if e.kind == EntryKind::Dir {
            std::fs::set_permissions(staging.join(rel), std::fs::Permissions::from_mode(e.mode))
                .map_err(|err| Unpack::Other(err.to_string()))?;
        }
    }
    Ok(manifest.revision)
}

fn make_parent(path: &Path) -> Result<(), Unpack> {
    match path.parent() {
        Some(p) => {
            std::fs::create_dir_all(p).map_err(|e| Unpack::Other(format!("{}: {e}", p.display())))
        }
        None => Ok(()),
    }
}

/// Writes an entry's bytes to `dest` (new, with `mode`, else the owner's only), synced, and
/// gives their SHA-256.
fn copy_limited(entry: &mut impl Read, dest: &Path, mode: Option<u32>) -> Result<String, Unpack> {
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode_private()
        .open(dest)
        .map_err(|e| Unpack::Other(format!("{}: {e}", dest.display())))?;
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match entry.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(damaged(e)),
        };
        ctx.update(&buf[..n]);
        out.write_all(&buf[..n])
            .map_err(|e| Unpack::Other(format!("{}: {e}", dest.display())))?;
    }
    out.sync_all()
        .map_err(|e| Unpack::Other(format!("{}: {e}", dest.display())))?;
    if let Some(mode) = mode {
        std::fs::set_permissions(dest, std::fs::Permissions::from_mode(mode & 0o7777))
            .map_err(|e| Unpack::Other(format!("{}: {e}", dest.display())))?;
    }
    Ok(hex(ctx.finish().as_ref()))
}

/// A path of plain names, relative (no root, `.` or `..`): somewhere inside a home.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path.trim_end_matches('/'));
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Moves what `staging` holds into `home` (same file system: renames).
fn move_into(staging: &Path, home: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(staging)? {
        let entry = entry?;
        std::fs::rename(entry.path(), home.join(entry.file_name()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "kl-clustersnap-{tag}-{}-{:?}",
            std::process::id(),
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn cluster(home: &Path) {
        let clock = Clock::Fixed(chrono::DateTime::UNIX_EPOCH);
        drop(super::super::open_in(home, clock, 1).unwrap());
    }

    #[test]
    fn a_restored_home_is_the_saved_one() {
        let dir = temp("roundtrip");
        let home = dir.join("home");
        cluster(&home);
        std::fs::write(home.join("ca.crt"), "ca").unwrap();
        std::fs::write(home.join("kubeconfig"), "old port").unwrap();
        let snap = dir.join("base.snap");
        let saved = save(&home, &snap).unwrap();
        let copy = dir.join("copy");
        let restored = restore(&snap, &copy).unwrap();
        assert_eq!(saved.revision, restored.revision);
        assert_eq!(std::fs::read(copy.join("ca.crt")).unwrap(), b"ca");
        assert!(
            !copy.join("kubeconfig").exists(),
            "serve's kubeconfig is not the cluster's"
        );
        assert!(!copy.join(STAGING).exists());
        // The kubelet's manifests keep their times to the nanosecond.
        let manifests = "nodes/master/etc/kubernetes/manifests/etcd.yaml";
        let times = |h: &Path| {
            let m = std::fs::metadata(h.join(manifests)).unwrap();
            (m.mtime(), m.mtime_nsec(), m.mode())
        };
        assert_eq!(times(&home), times(&copy));
        // Never over a cluster, nor into a directory with files.
        let err = restore(&snap, &copy).err().unwrap();
        assert!(err.contains("already holds a cluster"), "{err}");
        std::fs::create_dir_all(dir.join("other")).unwrap();
        std::fs::write(dir.join("other").join("x"), "").unwrap();
        let err = restore(&snap, &dir.join("other")).err().unwrap();
        assert!(err.contains("is not empty"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_files_are_refused_and_leave_the_home_empty() {
        let dir = temp("bad");
        let home = dir.join("home");
        cluster(&home);
        let snap = dir.join("base.snap");
        save(&home, &snap).unwrap();
        let bytes = std::fs::read(&snap).unwrap();
        let target = dir.join("target");
        let bad = dir.join("bad.snap");
        let err = restore(&dir.join("missing.snap"), &target).err().unwrap();
        assert!(err.contains("no such file or directory"), "{err}");
        std::fs::write(&bad, "hello").unwrap();
        let err = restore(&bad, &target).err().unwrap();
        assert!(err.contains("is not a kubelite snapshot"), "{err}");
        // Every cut and a flipped byte anywhere past the manifest: refused, nothing left.
        let step = (bytes.len() / 40).max(1);
        for at in (0..bytes.len()).step_by(step) {
            std::fs::write(&bad, &bytes[..at]).unwrap();
            if restore(&bad, &target).is_ok() {
                // Only tar's end-of-archive blocks (1 KiB of zeros or more) were cut.
                assert!(bytes[at..].iter().all(|b| *b == 0), "cut at {at}");
                std::fs::remove_dir_all(&target).unwrap();
            }
            assert!(std::fs::read_dir(&target).map_or(true, |mut r| r.next().is_none()));
            if at > 4096 {
                let mut flipped = bytes.clone();
                flipped[at] ^= 0x55;
                std::fs::write(&bad, &flipped).unwrap();
                if restore(&bad, &target).is_ok() {
                    // A flip in a tar header's padding or a file's unused bytes changes
                    // nothing that was saved.
                    std::fs::remove_dir_all(&target).unwrap();
                }
            }
        }
        // Another format.
        let mut other = bytes;
        let at = other
            .windows(11)
            .position(|w| w == b"\"format\": 1")
            .unwrap();
        other[at + 10] = b'9';
        std::fs::write(&bad, &other).unwrap();
        let _ = std::fs::remove_dir_all(&target);
        let err = restore(&bad, &target).err().unwrap();
        assert!(err.contains("snapshot of format 9"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
