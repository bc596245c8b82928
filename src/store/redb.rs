//! The embedded backend: the whole store in one redb file.
//!
//! Every acknowledged write is durable (`Durability::Immediate`), and quick repair is on so
//! that reopening after a crash takes milliseconds. One process at a time holds the file;
//! [`RedbStore::open`] waits for it up to a limit.

mod compact;
mod events;
mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use ::redb::{
    CommitError, Database, DatabaseError, Durability, ReadOnlyTable, ReadableDatabase,
    ReadableTable, SetDurabilityError, StorageError, TableError, TransactionError,
};

use self::read::Snapshot;
use self::schema::{CHANGES, CURRENT, HISTORY, META};
use self::write::Writer;
use super::rules::{self, Bounds};
use super::{
    DeleteResponse, Event, Header, PutResponse, RangeRequest, RangeResponse, RequestOp, ResponseOp,
    Store, StoreError, TxnRequest, TxnResponse,
};

/// The longest pause between two attempts to take the file lock.
const MAX_LOCK_BACKOFF: Duration = Duration::from_millis(200);

pub struct RedbStore {
    db: Database,
    path: PathBuf,
    /// Writes commit without fsync until `set_deferred(false)` (see `Store::set_deferred`).
    deferred: std::sync::atomic::AtomicBool,
}

type ReadCurrent = ReadOnlyTable<&'static [u8], &'static [u8]>;
type ReadHistory = ReadOnlyTable<(&'static [u8], i64, u32), &'static [u8]>;

/// The tables of one read transaction, with the revisions it saw.
struct ReadTables {
    current: ReadCurrent,
    history: ReadHistory,
    changes: ReadOnlyTable<(i64, u32), &'static [u8]>,
    revision: i64,
    compacted: i64,
}

impl ReadTables {
    fn snapshot(&self) -> Snapshot<'_, ReadCurrent, ReadHistory> {
        Snapshot {
            current: &self.current,
            history: &self.history,
            current_at: self.revision,
            newest: self.revision,
            compacted: self.compacted,
        }
    }
}

impl RedbStore {
    /// Opens the store file, creating it if missing. If another process holds it, retries
    /// with backoff for up to `lock_wait`, then fails with [`StoreError::Locked`].
    pub fn open(path: &Path, lock_wait: Duration) -> Result<Self, StoreError> {
        let db = open_database(path, lock_wait)?;
        let store = RedbStore {
            db,
            path: path.to_path_buf(),
            deferred: std::sync::atomic::AtomicBool::new(false),
        };
        store.initialize()?;
        Ok(store)
    }

    /// Switches deferred durability on or off; switching it off makes every earlier write
    /// durable with one commit (redb persists earlier non-durable commits with a durable one).
    fn defer(&self, on: bool) -> Result<(), StoreError> {
        let was = self.deferred.swap(on, std::sync::atomic::Ordering::Relaxed);
        if was && !on {
            // A durable commit that writes something (the format marker, unchanged).
            let txn = self.begin_write()?;
            txn.open_table(META)?
                .insert(schema::META_FORMAT, schema::FORMAT_VERSION)?;
            txn.commit()?;
        }
        Ok(())
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the tables and the starting revision (1) in a new file; checks the format of
    /// an existing one.
    fn initialize(&self) -> Result<(), StoreError> {
        let txn = self.begin_write()?;
        let created = {
            let mut meta = txn.open_table(META)?;
            txn.open_table(CURRENT)?;
            txn.open_table(HISTORY)?;
            txn.open_table(CHANGES)?;
            let format = meta.get(schema::META_FORMAT)?.map(|v| v.value());
            match format {
                Some(schema::FORMAT_VERSION) => false,
                Some(other) => {
                    return Err(StoreError::Corrupt(format!(
                        "{}: unsupported store format {other}",
                        self.path.display()
                    )));
                }
                None => {
                    meta.insert(schema::META_FORMAT, schema::FORMAT_VERSION)?;
                    meta.insert(schema::META_REVISION, 1)?;
                    meta.insert(schema::META_COMPACTED, schema::NEVER_COMPACTED)?;
                    true
                }
            }
        };
        if created {
            txn.commit()?;
        } else {
            txn.abort()?;
        }
        Ok(())
    }

    fn begin_write(&self) -> Result<::redb::WriteTransaction, StoreError> {
        let mut txn = self.db.begin_write()?;
        let deferred = self.deferred.load(std::sync::atomic::Ordering::Relaxed);
        txn.set_durability(if deferred {
            Durability::None
        } else {
            Durability::Immediate
        })?;
        txn.set_quick_repair(true);
        Ok(txn)
    }

    /// Runs `apply` in a write transaction and commits durably if it wrote anything. On
    /// error nothing is written.
    fn write<T>(
        &self,
        apply: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let txn = self.begin_write()?;
        let (out, dirty) = {
            let mut writer = Writer::open(&txn)?;
            let out = apply(&mut writer)?;
            let dirty = writer.dirty;
            writer.finish()?;
            (out, dirty)
        };
        if dirty {
            txn.commit()?;
        } else {
            txn.abort()?;
        }
        Ok(out)
    }

    fn read<T>(
        &self,
        query: impl FnOnce(&ReadTables) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let txn = self.db.begin_read()?;
        let meta = txn.open_table(META)?;
        let tables = ReadTables {
            current: txn.open_table(CURRENT)?,
            history: txn.open_table(HISTORY)?,
            changes: txn.open_table(CHANGES)?,
            revision: schema::meta_get(&meta, schema::META_REVISION)?,
            compacted: schema::meta_get(&meta, schema::META_COMPACTED)?,
        };
        query(&tables)
    }

    fn single_op(&self, op: RequestOp) -> Result<ResponseOp, StoreError> {
        let req = TxnRequest {
            compare: Vec::new(),
            success: vec![op],
            failure: Vec::new(),
        };
        let mut resp = self.write(|w| w.txn(&req))?;
        resp.responses
            .pop()
            .ok_or_else(|| StoreError::Corrupt("transaction gave no response".to_string()))
    }
}

fn open_database(path: &Path, lock_wait: Duration) -> Result<Database, StoreError> {
    let deadline = Instant::now() + lock_wait;
    let mut backoff = Duration::from_millis(5);
    loop {
        // A 16 MiB page cache: redb's default grows with the file, and one-shot commands
        // and `serve` alike read each page a few times at most.
        match Database::builder().set_cache_size(16 << 20).create(path) {
            Ok(db) => return Ok(db),
            Err(DatabaseError::DatabaseAlreadyOpen) => {
                let now = Instant::now();
                if now >= deadline {
                    return Err(StoreError::Locked {
                        path: path.to_path_buf(),
                    });
                }
                thread::sleep(backoff.min(deadline - now));
                backoff = (backoff * 2).min(MAX_LOCK_BACKOFF);
            }
            Err(DatabaseError::Storage(StorageError::Io(err)))
                if err.kind() == std::io::ErrorKind::InvalidData =>
            {
                return Err(StoreError::Corrupt(format!(
                    "{} is not a kubelite store (not a redb database): {err}",
                    path.display()
                )));
            }
            Err(err) => {
                return Err(StoreError::Io(format!(
                    "cannot open {}: {err}",
                    path.display()
                )));
            }
        }
    }
}

impl Store for RedbStore {
    fn set_deferred(&self, on: bool) -> Result<(), StoreError> {
        self.defer(on)
    }

    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        self.read(|t| read::range(&t.snapshot(), req, t.revision))
    }

    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError> {
        let op = RequestOp::Put {
            key: key.to_vec(),
            value: value.to_vec(),
            prev_kv,
        };
        match self.single_op(op)? {
            ResponseOp::Put(resp) => Ok(resp),
            _ => Err(StoreError::Corrupt("put gave another response".to_string())),
        }
    }

    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError> {
        let op = RequestOp::Delete {
            key: key.to_vec(),
            range_end: range_end.to_vec(),
            prev_kv,
        };
        match self.single_op(op)? {
            ResponseOp::Delete(resp) => Ok(resp),
            _ => Err(StoreError::Corrupt(
                "delete gave another response".to_string(),
            )),
        }
    }

    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        self.write(|w| w.txn(req))
    }

    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        // Reject malformed requests before any of them runs.
        for req in reqs {
            rules::validate_txn(req)?;
        }
        self.write(|w| reqs.iter().map(|req| w.txn(req)).collect())
    }

    fn events_since(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        self.events_between(key, range_end, from, i64::MAX, prev_kv)
    }

    fn events_between(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        until: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        rules::require_key(key)?;
        let from = from.max(1);
        self.read(|t| {
            if from < t.compacted {
                return Err(StoreError::Compacted {
                    compact_revision: t.compacted,
                });
            }
            let bounds = Bounds::new(key, range_end);
            events::since(&t.changes, &t.history, &bounds, from, until, prev_kv)
        })
    }

    fn compact(&self, revision: i64) -> Result<Header, StoreError> {
        self.write(|w| {
            w.compact(revision)?;
            Ok(Header {
                revision: w.revision,
            })
        })
    }

    fn current_revision(&self) -> Result<i64, StoreError> {
        self.read(|t| Ok(t.revision))
    }

    fn compacted_revision(&self) -> Result<i64, StoreError> {
        self.read(|t| Ok(t.compacted.max(0)))
    }
}

impl From<StorageError> for StoreError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::Corrupted(msg) => StoreError::Corrupt(msg),
            other => StoreError::Io(other.to_string()),
        }
    }
}

impl From<TableError> for StoreError {
    fn from(err: TableError) -> Self {
        match err {
            TableError::Storage(storage) => storage.into(),
            other => StoreError::Corrupt(other.to_string()),
        }
    }
}

impl From<TransactionError> for StoreError {
    fn from(err: TransactionError) -> Self {
        match err {
            TransactionError::Storage(storage) => storage.into(),
            other => StoreError::Io(other.to_string()),
        }
    }
}

impl From<CommitError> for StoreError {
    fn from(err: CommitError) -> Self {
        match err {
            CommitError::Storage(storage) => storage.into(),
            other => StoreError::Io(other.to_string()),
        }
    }
}

impl From<SetDurabilityError> for StoreError {
    fn from(err: SetDurabilityError) -> Self {
        StoreError::Io(err.to_string())
    }
}
