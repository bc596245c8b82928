//! Snapshots of the redb store: what `etcdctl snapshot save|status|restore` work on.
//!
//! # The file
//!
//! A snapshot is a complete redb store file followed by the SHA-256 of those bytes (32
//! bytes), the shape etcd gives its own snapshots (a bbolt file plus its SHA-256). So:
//!
//! - restoring is a byte copy of the verified store file into `DIR/member/snap/db`, which
//!   the store then opens as any store file, every revision as it was;
//! - a store file copied out of a data dir (or a home's `cluster.redb`) is a snapshot
//!   without its hash, which `--skip-hash-check` accepts, exactly as etcd accepts a bbolt
//!   file copied from a data dir;
//! - the hash is checked before redb reads a byte of the file, so a damaged snapshot is
//!   refused by a SHA-256 mismatch and never reaches the database parser.
//!
//! Whether a file carries a hash is told as etcd tells it: store files are whole pages, so
//! a length of 32 past a multiple of 512 means a trailing hash.
//!
//! # Consistency
//!
//! `save` copies every table inside ONE read transaction: the copy is the store at one
//! revision, whatever writers do meanwhile, and is written without holding up any of them.
//! The copy is written without syncs, then hashed, and the whole file is synced once before
//! `save` returns.
//!
//! # Status
//!
//! Like etcd's `snapshot status`: the CRC-32 (Castagnoli, etcd's polynomial) of every
//! table's name, keys and values in table-name order, the store revision, the number of
//! entries in all tables, and the size of the store file (the hash not counted).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

use ::redb::{
    Builder, Database, Durability, Key, ReadTransaction, ReadableDatabase, ReadableTable,
    StorageBackend, TableDefinition, TableHandle, Value,
};

use super::RedbStore;
use super::schema::{self, CHANGES, CURRENT, HISTORY, LEASE_EXPIRY, LEASE_KEYS, LEASES, META};
use crate::store::StoreError;

/// Length of the SHA-256 trailer.
pub const HASH_LEN: u64 = 32;

/// The store format this kubelite reads and writes (a snapshot's store must be of it).
pub const STORE_FORMAT: i64 = schema::FORMAT_VERSION;

/// Whether this kubelite opens a store of `format` (an older one is migrated when opened).
pub fn store_format_readable(format: i64) -> bool {
    schema::readable_format(format)
}

/// The first bytes of every redb file.
const REDB_MAGIC: &[u8] = b"redb\x1a\x0a\xa9\x0d\x0a";
/// bbolt's magic number, at byte 16 of its first meta page (little-endian 0xED0CDAED).
const BBOLT_MAGIC: [u8; 4] = [0xed, 0xda, 0x0c, 0xed];

/// What `snapshot status` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotStatus {
    pub hash: u32,
    pub revision: i64,
    pub total_keys: i64,
    pub total_size: i64,
}

/// Why a snapshot file cannot be read or restored; `Display` is etcdctl's text where etcd
/// has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// A hash was expected and the file has none.
    MissingHash,
    /// The trailing hash does not match the contents.
    HashMismatch {
        expected: Vec<u8>,
        got: Vec<u8>,
    },
    /// A snapshot of a real etcd (a bbolt file): kubelite does not read bbolt.
    Bbolt,
    /// Neither a store file nor a bbolt file.
    Invalid,
    /// A store file of another format, or damaged inside.
    Corrupt(String),
    Io(String),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::MissingHash => {
                f.write_str("snapshot missing hash but --skip-hash-check=false")
            }
            SnapshotError::HashMismatch { expected, got } => {
                write!(f, "expected sha256 {}, got {}", go_bytes(expected), go_bytes(got))
            }
            SnapshotError::Bbolt => f.write_str(
                "this is a snapshot of a real etcd (a bbolt file), which kubelite's etcdctl does not read: use the real etcdctl for it",
            ),
            SnapshotError::Invalid => f.write_str("invalid database"),
            SnapshotError::Corrupt(msg) => write!(f, "snapshot file is damaged: {msg}"),
            SnapshotError::Io(msg) => f.write_str(msg),
        }
    }
}

/// Go's `%v` of a byte slice: `[1 2 3]`.
fn go_bytes(b: &[u8]) -> String {
    let items: Vec<String> = b.iter().map(|x| x.to_string()).collect();
    format!("[{}]", items.join(" "))
}

impl From<StoreError> for SnapshotError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Corrupt(msg) => SnapshotError::Corrupt(msg),
            StoreError::Io(msg) => SnapshotError::Io(msg),
            other => SnapshotError::Io(other.to_string()),
        }
    }
}

fn io_err(path: &Path, op: &str, e: &std::io::Error) -> SnapshotError {
    SnapshotError::Io(format!("{op} {}: {}", path.display(), go_io_text(e)))
}

/// The words Go's syscall errors use for the common cases.
pub fn go_io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        AlreadyExists => "file exists".into(),
        IsADirectory => "is a directory".into(),
        NotADirectory => "not a directory".into(),
        _ => e.to_string(),
    }
}

/// Every table of the store, by name. A table the snapshot does not know is refused rather
/// than silently left out of a backup.
const TABLES: [&str; 7] = [
    "kv_changes",
    "kv_current",
    "kv_history",
    "kv_meta",
    "lease_expiry",
    "lease_keys",
    "leases",
];

fn check_tables(txn: &ReadTransaction) -> Result<(), StoreError> {
    for table in txn.list_tables()? {
        if !TABLES.contains(&table.name()) {
            return Err(StoreError::Corrupt(format!(
                "table {:?} is not covered by snapshots (store/redb/snapshot.rs)",
                table.name()
            )));
        }
    }
    Ok(())
}

/// A snapshot written into an open file: the store file (`db_len` bytes) and its SHA-256.
#[derive(Debug)]
pub struct WrittenSnapshot {
    pub file: File,
    pub db_len: u64,
    /// The store revision the snapshot holds.
    pub revision: i64,
}

impl RedbStore {
    /// Writes a snapshot of the store as it is now (one revision) to `path`, created or
    /// replaced, and syncs it: a store file, then its SHA-256.
    pub fn save_snapshot_file(&self, path: &Path) -> Result<(), StoreError> {
        let _ = std::fs::remove_file(path);
        // A backup holds every secret of the cluster: its owner's only, as etcd's 0600.
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| StoreError::Io(format!("cannot create {}: {e}", path.display())))?;
        self.write_snapshot(file).map(drop).map_err(|e| match e {
            StoreError::Io(msg) => StoreError::Io(format!("{}: {msg}", path.display())),
            other => other,
        })
    }

    /// Writes a snapshot of the store as it is now (one revision) into `file`, which must be
    /// empty, and syncs it.
    pub fn write_snapshot(&self, file: File) -> Result<WrittenSnapshot, StoreError> {
        let read = self.begin_read()?;
        // Deferred writes this snapshot holds become durable first: a backup never holds
        // what a crash could still take back.
        if self.commits.anything_undurable() {
            self.make_durable()?;
        }
        check_tables(&read)?;
        let revision = {
            let meta = read.open_table(META)?;
            schema::meta_get(&meta, schema::META_REVISION)?
        };
        let io = |e: std::io::Error| StoreError::Io(e.to_string());
        // redb would sync the copy at its creation, at the commit and at its close; one
        // sync of the whole file, hash included, once it is complete, is all a backup needs.
        let backend = ::redb::backends::FileBackend::new(file.try_clone().map_err(io)?)
            .map(super::unsynced::Unsynced)
            .map_err(|e| StoreError::Io(e.to_string()))?;
        let copy = Database::builder()
            .set_cache_size(16 << 20)
            .create_with_backend(backend)
            .map_err(|e| StoreError::Io(e.to_string()))?;
        let mut write = copy.begin_write()?;
        write.set_durability(Durability::Immediate)?;
        copy_table(&read, &write, CURRENT)?;
        copy_table(&read, &write, HISTORY)?;
        copy_table(&read, &write, CHANGES)?;
        copy_table(&read, &write, META)?;
        // Leases (a file from before them has none): events expire after a restore too.
        copy_table(&read, &write, LEASE_EXPIRY)?;
        copy_table(&read, &write, LEASE_KEYS)?;
        copy_table(&read, &write, LEASES)?;
        write.commit()?;
        drop(read);
        drop(copy);
        let db_len = append_hash(&file).map_err(io)?;
        Ok(WrittenSnapshot {
            file,
            db_len,
            revision,
        })
    }
}

fn copy_table<K: Key + 'static, V: Value + 'static>(
    from: &ReadTransaction,
    to: &::redb::WriteTransaction,
    def: TableDefinition<K, V>,
) -> Result<(), StoreError> {
    let source = match from.open_table(def) {
        Ok(t) => t,
        Err(::redb::TableError::TableDoesNotExist(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut target = to.open_table(def)?;
    for entry in source.iter()? {
        let (k, v) = entry?;
        target.insert(k.value(), v.value())?;
    }
    Ok(())
}

/// Appends the SHA-256 of the file's contents and syncs it; returns the contents' length.
fn append_hash(mut file: &File) -> std::io::Result<u64> {
    let len = file.metadata()?.len();
    let digest = sha256_prefix(file, len)?;
    file.seek(SeekFrom::Start(len))?;
    file.write_all(&digest)?;
    file.sync_all()?;
    Ok(len)
}

/// SHA-256 of the first `len` bytes of `file`.
fn sha256_prefix(file: &File, len: u64) -> std::io::Result<Vec<u8>> {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 1 << 20];
    let mut at = 0u64;
    while at < len {
        let n = buf.len().min((len - at) as usize);
        file.read_exact_at(&mut buf[..n], at)?;
        ctx.update(&buf[..n]);
        at += n as u64;
    }
    Ok(ctx.finish().as_ref().to_vec())
}

/// A snapshot file checked: its store file is the first `db_len` bytes.
#[derive(Debug)]
pub struct CheckedSnapshot {
    file: File,
    pub db_len: u64,
}

/// Opens a snapshot file and checks what it is: a store file with a matching hash (or,
/// with `skip_hash_check`, any store file, a trailing hash ignored), never a bbolt file.
pub fn check(path: &Path, skip_hash_check: bool) -> Result<CheckedSnapshot, SnapshotError> {
    let mut file = File::open(path).map_err(|e| io_err(path, "open", &e))?;
    let len = file.metadata().map_err(|e| io_err(path, "stat", &e))?.len();
    let mut head = [0u8; 20];
    let got = read_up_to(&mut file, &mut head).map_err(|e| io_err(path, "read", &e))?;
    let head = &head[..got];
    if head.len() >= 20 && head[16..20] == BBOLT_MAGIC {
        return Err(SnapshotError::Bbolt);
    }
    let has_hash = len % 512 == HASH_LEN;
    if !has_hash && !skip_hash_check {
        return Err(SnapshotError::MissingHash);
    }
    let db_len = if has_hash { len - HASH_LEN } else { len };
    if has_hash && !skip_hash_check {
        let mut stored = vec![0u8; HASH_LEN as usize];
        file.read_exact_at(&mut stored, db_len)
            .map_err(|e| io_err(path, "read", &e))?;
        let actual = sha256_prefix(&file, db_len).map_err(|e| io_err(path, "read", &e))?;
        if actual != stored {
            return Err(SnapshotError::HashMismatch {
                expected: actual,
                got: stored,
            });
        }
    }
    if !head.starts_with(REDB_MAGIC) {
        return Err(SnapshotError::Invalid);
    }
    Ok(CheckedSnapshot { file, db_len })
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

/// The store file inside a snapshot, read in place and never written.
#[derive(Debug)]
struct ReadOnlyPrefix {
    file: File,
    len: u64,
}

fn refused() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        "snapshot is read-only",
    )
}

impl StorageBackend for ReadOnlyPrefix {
    fn len(&self) -> Result<u64, std::io::Error> {
        Ok(self.len)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), std::io::Error> {
        let end = offset.checked_add(out.len() as u64);
        if end.is_none_or(|end| end > self.len) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "read past the end of the store file",
            ));
        }
        self.file.read_exact_at(out, offset)
    }

    fn set_len(&self, _: u64) -> Result<(), std::io::Error> {
        Err(refused())
    }

    fn sync_data(&self) -> Result<(), std::io::Error> {
        Ok(())
    }

    fn write(&self, _: u64, _: &[u8]) -> Result<(), std::io::Error> {
        Err(refused())
    }
}

impl CheckedSnapshot {
    /// Reads the whole store file: its status, and proof that every table can be read.
    /// A damaged file gives an error (a panic inside redb is caught and reported as one).
    pub fn status(&self) -> Result<SnapshotStatus, SnapshotError> {
        let file = self
            .file
            .try_clone()
            .map_err(|e| SnapshotError::Io(e.to_string()))?;
        let backend = ReadOnlyPrefix {
            file,
            len: self.db_len,
        };
        let db_len = self.db_len;
        let outcome = std::panic::catch_unwind(move || status_of(backend, db_len));
        match outcome {
            Ok(result) => result,
            Err(_) => Err(SnapshotError::Corrupt(
                "the store file cannot be read".into(),
            )),
        }
    }

    /// Copies the store file (without its hash) to `dest`, which must not exist, and
    /// syncs it.
    pub fn copy_db_to(&self, dest: &Path) -> std::io::Result<()> {
        let mut out = OpenOptions::new().write(true).create_new(true).open(dest)?;
        let mut buf = vec![0u8; 1 << 20];
        let mut at = 0u64;
        while at < self.db_len {
            let n = buf.len().min((self.db_len - at) as usize);
            self.file.read_exact_at(&mut buf[..n], at)?;
            out.write_all(&buf[..n])?;
            at += n as u64;
        }
        out.sync_all()
    }
}

fn status_of(backend: ReadOnlyPrefix, db_len: u64) -> Result<SnapshotStatus, SnapshotError> {
    let db = Builder::new()
        .set_cache_size(16 << 20)
        .open_read_only_with_backend(backend)
        .map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
    let txn = db.begin_read().map_err(StoreError::from)?;
    check_tables(&txn)?;
    let meta = txn.open_table(META).map_err(StoreError::from)?;
    if meta
        .get(schema::META_FORMAT)
        .map_err(StoreError::from)?
        .map(|v| v.value())
        .is_none_or(|f| !schema::readable_format(f))
    {
        return Err(SnapshotError::Corrupt(format!(
            "not a kubelite store of format {} or {}",
            schema::FORMAT_V1,
            schema::FORMAT_VERSION
        )));
    }
    let revision = schema::meta_get(&meta, schema::META_REVISION)?;
    let mut crc = 0u32;
    let mut total = 0i64;
    // Table-name order, as etcd walks its buckets.
    hash_table(&txn, CHANGES, &mut crc, &mut total)?;
    hash_table(&txn, CURRENT, &mut crc, &mut total)?;
    hash_table(&txn, HISTORY, &mut crc, &mut total)?;
    hash_table(&txn, META, &mut crc, &mut total)?;
    hash_table(&txn, LEASE_EXPIRY, &mut crc, &mut total)?;
    hash_table(&txn, LEASE_KEYS, &mut crc, &mut total)?;
    hash_table(&txn, LEASES, &mut crc, &mut total)?;
    Ok(SnapshotStatus {
        hash: crc,
        revision,
        total_keys: total,
        total_size: db_len as i64,
    })
}

fn hash_table<K: Key + 'static, V: Value + 'static>(
    txn: &ReadTransaction,
    def: TableDefinition<K, V>,
    crc: &mut u32,
    total: &mut i64,
) -> Result<(), StoreError> {
    let table = match txn.open_table(def) {
        Ok(t) => t,
        // Only the lease tables can be missing (a snapshot from before leases).
        Err(::redb::TableError::TableDoesNotExist(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    *crc = crc32c::crc32c_append(*crc, def.name().as_bytes());
    for entry in table.iter()? {
        let (k, v) = entry?;
        *crc = crc32c::crc32c_append(*crc, K::as_bytes(&k.value()).as_ref());
        *crc = crc32c::crc32c_append(*crc, V::as_bytes(&v.value()).as_ref());
        *total += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{RangeRequest, Store};
    use std::time::Duration;

    fn temp(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "kl-snap-{tag}-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn saved_snapshot_restores_every_revision() {
        let dir = temp("roundtrip");
        let store = RedbStore::open(&dir.join("s.redb"), Duration::from_secs(1)).unwrap();
        store.put(b"a", b"1", false).unwrap();
        store.put(b"a", b"2", false).unwrap();
        store.put(b"b", b"3", false).unwrap();
        let snap = dir.join("snap.db");
        store.save_snapshot_file(&snap).unwrap();
        store.put(b"c", b"after", false).unwrap();
        let checked = check(&snap, false).unwrap();
        let status = checked.status().unwrap();
        assert_eq!(status.revision, 4);
        assert_eq!(status.total_size as u64, checked.db_len);
        let db = dir.join("db");
        checked.copy_db_to(&db).unwrap();
        let restored = RedbStore::open(&db, Duration::from_secs(1)).unwrap();
        assert_eq!(restored.current_revision().unwrap(), 4);
        let past = RangeRequest {
            revision: 2,
            ..RangeRequest::single(b"a")
        };
        assert_eq!(restored.range(&past).unwrap().kvs[0].value, b"1");
        assert!(
            restored
                .range(&RangeRequest::single(b"c"))
                .unwrap()
                .kvs
                .is_empty()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn damaged_files_are_refused_without_panic() {
        let dir = temp("damaged");
        let store = RedbStore::open(&dir.join("s.redb"), Duration::from_secs(1)).unwrap();
        store.put(b"k", b"v", false).unwrap();
        let snap = dir.join("snap.db");
        store.save_snapshot_file(&snap).unwrap();
        let bytes = std::fs::read(&snap).unwrap();
        let bad = dir.join("bad.db");
        let mut flipped = bytes.clone();
        flipped[5000] ^= 0xff;
        std::fs::write(&bad, &flipped).unwrap();
        assert!(matches!(
            check(&bad, false),
            Err(SnapshotError::HashMismatch { .. })
        ));
        for cut in [0, 10, 4096, bytes.len() - 1] {
            std::fs::write(&bad, &bytes[..cut]).unwrap();
            let outcome = check(&bad, false).and_then(|c| c.status());
            assert!(outcome.is_err(), "cut at {cut}");
            let outcome = check(&bad, true).and_then(|c| c.status());
            assert!(outcome.is_err(), "cut at {cut}, hash not checked");
        }
        // Without its hash, the store file itself is a snapshot only with the check off.
        std::fs::write(&bad, &bytes[..bytes.len() - 32]).unwrap();
        assert_eq!(check(&bad, false).unwrap_err(), SnapshotError::MissingHash);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
