//! The embedded backend: the whole store in one redb file.
//!
//! Every acknowledged write is durable (`Durability::Immediate`; concurrent writers share one
//! commit, see `commit`), and quick repair is on so that reopening after a crash takes
//! milliseconds. One process at a time holds the file; [`RedbStore::open`] waits for it up
//! to a limit.

mod commit;
mod compact;
mod compress;
mod events;
mod lease;
mod migrate;
mod quota;
mod read;
mod reclaim;
mod schema;
pub mod snapshot;
mod unsynced;
mod write;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{RwLock, RwLockReadGuard};
use std::thread;
use std::time::{Duration, Instant};

use ::redb::{
    CommitError, Database, DatabaseError, Durability, ReadOnlyDatabase, ReadOnlyTable,
    ReadableDatabase, ReadableTable, SetDurabilityError, StorageError, TableError,
    TransactionError,
};

use self::commit::Commits;
use self::read::Snapshot;
use self::schema::{CHANGES, CURRENT, HISTORY, LEASE_EXPIRY, LEASE_KEYS, LEASES, META};
use self::write::Writer;
use super::alarm::{DEFAULT_QUOTA_BYTES, LEASE_COST, txn_cost};
use super::rules::{self, Bounds};
use super::{
    AlarmMember, DeleteResponse, Event, Expired, Header, LeaseGrant, LeaseStatus, PutResponse,
    RangeRequest, RangeResponse, RequestOp, ResponseOp, Store, StoreError, TxnRequest, TxnResponse,
};

/// Makes the calling thread's zstd contexts ready now, for processes forked from it.
pub fn warm_codecs() {
    compress::warm();
}

/// The longest pause between two attempts to take the file lock.
const MAX_LOCK_BACKOFF: Duration = Duration::from_millis(200);

pub struct RedbStore {
    /// Shared by every transaction (each holds it only while it begins); taken alone only by
    /// `reclaim_space`, since redb compacts a file through `&mut Database`.
    db: RwLock<Db>,
    path: PathBuf,
    /// Group commit, and which threads' writes are deferred (see `Store::set_deferred`).
    commits: Commits,
    /// The space quota in bytes (see `store::alarm`).
    quota: AtomicU64,
    /// Whether the NOSPACE alarm is raised (kept in `kv_meta` too).
    nospace: AtomicBool,
}

/// The file as it was opened: for reading and writing, or only for reading (which redb
/// opens without writing a byte: no recovery flag, no allocator state saved at close).
enum Db {
    Writable(Database),
    ReadOnly(ReadOnlyDatabase),
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
        Self::open_with(path, lock_wait, true)
    }

    /// `open`, for a store nobody needs to survive a crash of the machine: nothing is ever
    /// synced to disk (`unsynced`), so such a crash may lose or damage it. Only where the
    /// caller was asked to (a throwaway home, an explicit opt-in).
    pub fn open_unsynced(path: &Path, lock_wait: Duration) -> Result<Self, StoreError> {
        Self::open_with(path, lock_wait, false)
    }

    fn open_with(path: &Path, lock_wait: Duration, synced: bool) -> Result<Self, StoreError> {
        let db = open_database(path, lock_wait, synced)?;
        let store = RedbStore {
            db: RwLock::new(Db::Writable(db)),
            path: path.to_path_buf(),
            commits: Commits::default(),
            quota: AtomicU64::new(DEFAULT_QUOTA_BYTES),
            nospace: AtomicBool::new(false),
        };
        store.initialize()?;
        store.load_alarm()?;
        Ok(store)
    }

    /// Opens an existing store file only to read it, at once or not at all: fails if
    /// another process holds it, if it was not closed cleanly (redb repairs only when
    /// writing), or if it is not a store of this format. A read-only open writes and syncs
    /// nothing, where a writable one syncs the file five times between open and close; a
    /// shell's TAB reads names this way. Every write to it fails.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let db = Database::builder()
            .set_cache_size(16 << 20)
            .open_read_only(path)
            .map_err(|e| StoreError::Io(format!("cannot open {}: {e}", path.display())))?;
        let store = RedbStore {
            db: RwLock::new(Db::ReadOnly(db)),
            path: path.to_path_buf(),
            commits: Commits::default(),
            quota: AtomicU64::new(DEFAULT_QUOTA_BYTES),
            nospace: AtomicBool::new(false),
        };
        store.load_alarm()?;
        let txn = store.begin_read()?;
        let format = txn
            .open_table(META)?
            .get(schema::META_FORMAT)?
            .map(|v| v.value());
        if !format.is_some_and(schema::readable_format) {
            return Err(StoreError::Corrupt(format!(
                "{}: not a store of format {} or {}",
                path.display(),
                schema::FORMAT_V1,
                schema::FORMAT_VERSION
            )));
        }
        drop(txn);
        Ok(store)
    }

    /// Switches deferred durability on or off for the calling thread; switching it off makes
    /// every earlier write durable (redb persists earlier non-durable commits with a durable
    /// one).
    fn defer(&self, on: bool) -> Result<(), StoreError> {
        let was = self.commits.set_this_thread(on);
        if was && !on {
            self.make_durable()?;
        }
        Ok(())
    }

    /// Makes every committed write durable, sharing the commit with concurrent writers.
    fn make_durable(&self) -> Result<(), StoreError> {
        if self.commits.anything_undurable() {
            self.durable_txns(Vec::new())?;
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
        let txn = self.begin_write(true)?;
        let created = {
            let mut meta = txn.open_table(META)?;
            txn.open_table(CURRENT)?;
            txn.open_table(HISTORY)?;
            txn.open_table(CHANGES)?;
            let format = meta.get(schema::META_FORMAT)?.map(|v| v.value());
            match format {
                // A file written before leases existed gets their (empty) tables.
                Some(schema::FORMAT_VERSION) => !self.has_lease_tables()?,
                Some(schema::FORMAT_V1) => {
                    drop(meta);
                    migrate::to_v2(&txn)?;
                    true
                }
                Some(other) => {
                    return Err(StoreError::Corrupt(format!(
                        "{}: store format {other} is not one this kubelite reads ({} or {}): \
                         it was written by a newer kubelite",
                        self.path.display(),
                        schema::FORMAT_V1,
                        schema::FORMAT_VERSION
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
            txn.open_table(LEASES)?;
            txn.open_table(LEASE_KEYS)?;
            txn.open_table(LEASE_EXPIRY)?;
            txn.commit()?;
        } else {
            txn.abort()?;
        }
        Ok(())
    }

    fn db(&self) -> RwLockReadGuard<'_, Db> {
        self.db
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn begin_read(&self) -> Result<::redb::ReadTransaction, StoreError> {
        Ok(match &*self.db() {
            Db::Writable(db) => db.begin_read()?,
            Db::ReadOnly(db) => db.begin_read()?,
        })
    }

    fn has_lease_tables(&self) -> Result<bool, StoreError> {
        let txn = self.begin_read()?;
        match txn.open_table(LEASE_EXPIRY) {
            Ok(_) => Ok(true),
            Err(TableError::TableDoesNotExist(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// A read of the lease tables; a file opened read-only from before leases has none.
    fn read_leases<T>(
        &self,
        query: impl FnOnce(
            &ReadOnlyTable<i64, (i64, i64)>,
            &ReadOnlyTable<(i64, &'static [u8]), ()>,
            i64,
        ) -> Result<T, StoreError>,
        none: T,
    ) -> Result<T, StoreError> {
        let txn = self.begin_read()?;
        if self.commits.anything_undurable() && !self.commits.this_thread_defers() {
            self.make_durable()?;
        }
        let revision = schema::meta_get(&txn.open_table(META)?, schema::META_REVISION)?;
        let leases = match txn.open_table(LEASES) {
            Ok(t) => t,
            Err(TableError::TableDoesNotExist(_)) => return Ok(none),
            Err(e) => return Err(e.into()),
        };
        query(&leases, &txn.open_table(LEASE_KEYS)?, revision)
    }

    fn begin_write(&self, durable: bool) -> Result<::redb::WriteTransaction, StoreError> {
        let guard = self.db();
        let Db::Writable(db) = &*guard else {
            return Err(StoreError::Io(format!(
                "{} is open for reading only",
                self.path.display()
            )));
        };
        let mut txn = db.begin_write()?;
        txn.set_durability(if durable {
            Durability::Immediate
        } else {
            Durability::None
        })?;
        // redb's one-phase commit: one fsync, the newest slot found by its checksum after a
        // crash. Quick repair would add a second fsync and the allocator's state to every
        // commit, only to make the open after a crash faster (without it that open walks
        // the file: ~0.1 s for a 9 MB store in a debug build); a clean close saves that
        // state either way.
        txn.set_quick_repair(false);
        Ok(txn)
    }

    /// Runs `apply` in one write transaction and commits it if it wrote anything (or, when
    /// durable, if deferred writes wait to be made durable). On error nothing is written.
    fn commit<T>(
        &self,
        durable: bool,
        apply: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let txn = self.begin_write(durable)?;
        // Holding the write transaction: no deferred commit is in flight, so a durable
        // commit of it covers every deferred one counted so far.
        let covers = self.commits.deferred_so_far();
        let (out, dirty) = {
            let mut writer = Writer::open(&txn)?;
            let out = apply(&mut writer)?;
            let dirty = writer.dirty;
            writer.finish()?;
            (out, dirty)
        };
        let flush = durable && self.commits.anything_undurable();
        if !dirty && !flush {
            txn.abort()?;
            return Ok(out);
        }
        if !dirty {
            // A commit that writes nothing may be skipped: write the (unchanged) format
            // marker so that it reaches the disk with everything before it.
            txn.open_table(META)?
                .insert(schema::META_FORMAT, schema::FORMAT_VERSION)?;
        }
        if !durable {
            self.commits.count_deferred();
        }
        txn.commit()?;
        if durable {
            self.commits.covered_upto(covers);
        }
        Ok(out)
    }

    /// A write that is not a transaction (compaction): durable unless this thread defers.
    fn write<T>(
        &self,
        apply: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.commit(!self.commits.this_thread_defers(), apply)
    }

    /// Transactions applied in order, each with its own revision, all or none: committed
    /// at once by a deferring thread, else durably in a group commit.
    fn txns(&self, reqs: Vec<TxnRequest>) -> Result<Vec<TxnResponse>, StoreError> {
        for req in &reqs {
            rules::validate_txn(req)?;
        }
        self.admit(reqs.iter().map(txn_cost).sum())?;
        if self.commits.this_thread_defers() {
            return self.commit(false, |w| reqs.iter().map(|r| w.txn(r)).collect());
        }
        self.durable_txns(reqs)
    }

    fn durable_txns(&self, reqs: Vec<TxnRequest>) -> Result<Vec<TxnResponse>, StoreError> {
        let mut all = |jobs: &[&[TxnRequest]]| {
            self.commit(true, |w| {
                jobs.iter()
                    .map(|job| job.iter().map(|r| w.txn(r)).collect())
                    .collect()
            })
        };
        let mut one =
            |job: &[TxnRequest]| self.commit(true, |w| job.iter().map(|r| w.txn(r)).collect());
        self.commits.submit(reqs, &mut all, &mut one)
    }

    /// A read of committed state; for anyone but the deferring thread, deferred writes the
    /// read sees are made durable before it answers, so nothing read can be lost to a crash.
    fn read<T>(
        &self,
        query: impl FnOnce(&ReadTables) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let txn = self.begin_read()?;
        // Checked after the snapshot is taken: a deferred commit it holds was counted before
        // it was committed, so this sees it, and one durable commit now covers all the
        // snapshot holds. (Checked before, a commit landing in between was read unflushed.)
        if self.commits.anything_undurable() && !self.commits.this_thread_defers() {
            self.make_durable()?;
        }
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
        let mut resp = self.txns(vec![req])?;
        resp.pop()
            .and_then(|mut r| r.responses.pop())
            .ok_or_else(|| StoreError::Corrupt("transaction gave no response".to_string()))
    }
}

fn open_database(path: &Path, lock_wait: Duration, synced: bool) -> Result<Database, StoreError> {
    let deadline = Instant::now() + lock_wait;
    let mut backoff = Duration::from_millis(5);
    loop {
        // A 16 MiB page cache: redb's default grows with the file, and one-shot commands
        // and `serve` alike read each page a few times at most.
        let mut builder = Database::builder();
        builder.set_cache_size(16 << 20);
        let opened = if synced {
            builder.create(path)
        } else {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(DatabaseError::from)
                .and_then(::redb::backends::FileBackend::new)
                .and_then(|file| builder.create_with_backend(unsynced::Unsynced(file)))
        };
        match opened {
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
            lease: 0,
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
        self.txns(vec![req.clone()])?
            .pop()
            .ok_or_else(|| StoreError::Corrupt("transaction gave no response".to_string()))
    }

    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        self.txns(reqs.to_vec())
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
            events::since(
                &t.current, &t.changes, &t.history, &bounds, from, until, prev_kv,
            )
        })
    }

    fn changed_in(&self, ranges: &[(Vec<u8>, Vec<u8>)], since: i64) -> Result<bool, StoreError> {
        let from = since.saturating_add(1).max(1);
        self.read(|t| {
            if from < t.compacted {
                return Err(StoreError::Compacted {
                    compact_revision: t.compacted,
                });
            }
            // The log's keys only: nothing is decoded.
            for entry in t.changes.range((from, 0u32)..)? {
                let (_, key) = entry?;
                let key = key.value();
                if ranges
                    .iter()
                    .any(|(start, end)| key >= start.as_slice() && key < end.as_slice())
                {
                    return Ok(true);
                }
            }
            Ok(false)
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

    fn save_snapshot(&self, path: &Path) -> Result<(), StoreError> {
        self.save_snapshot_file(path)
    }

    fn lease_grant(&self, id: i64, ttl: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        self.admit(LEASE_COST)?;
        self.write(|w| w.grant(id, ttl, now))
    }

    fn lease_revoke(&self, id: i64) -> Result<Header, StoreError> {
        self.write(|w| {
            w.revoke(id)?;
            Ok(Header {
                revision: w.revision,
            })
        })
    }

    fn lease_time_to_live(&self, id: i64, keys: bool, now: i64) -> Result<LeaseStatus, StoreError> {
        let gone = LeaseStatus {
            id,
            ttl: -1,
            ..LeaseStatus::default()
        };
        self.read_leases(
            |leases, lease_keys, revision| {
                let header = Header { revision };
                let Some(lease) = leases.get(id)? else {
                    return Ok(LeaseStatus {
                        header,
                        ..gone.clone()
                    });
                };
                let (granted, expiry) = lease.value();
                let mut attached = Vec::new();
                if keys {
                    for entry in lease_keys.range((id, &[][..])..)? {
                        let (k, _) = entry?;
                        let (lease, key) = k.value();
                        if lease != id {
                            break;
                        }
                        attached.push(key.to_vec());
                    }
                }
                Ok(LeaseStatus {
                    header,
                    id,
                    // An expired lease not yet swept has no time left.
                    ttl: (expiry - now).max(0),
                    granted_ttl: granted,
                    keys: attached,
                })
            },
            gone.clone(),
        )
    }

    fn lease_list(&self) -> Result<Vec<i64>, StoreError> {
        self.read_leases(
            |leases, _, _| {
                let mut ids = Vec::new();
                for entry in leases.iter()? {
                    ids.push(entry?.0.value());
                }
                Ok(ids)
            },
            Vec::new(),
        )
    }

    fn lease_keep_alive(&self, id: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        self.write(|w| w.keep_alive(id, now))
    }

    fn expire_leases(&self, now: i64, max_keys: usize) -> Result<Expired, StoreError> {
        // Nothing due (the common case, once per command): answered by a read.
        if !self.anything_expired(now)? {
            return Ok(Expired::default());
        }
        self.write(|w| w.expire(now, max_keys))
    }

    fn reclaim_space(&self) -> Result<Option<(u64, u64)>, StoreError> {
        self.reclaim()
    }

    fn set_quota(&self, bytes: u64) {
        self.store_quota(bytes);
    }

    fn defragment(&self) -> Result<(), StoreError> {
        self.defragment_now()
    }

    fn alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        Ok(self.raised_alarms())
    }

    fn disarm_alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        self.disarm()
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
