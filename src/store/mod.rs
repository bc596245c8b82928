//! The store: a revisioned key-value store with etcd v3 semantics.
//!
//! # Revisions
//!
//! The store has one global revision. An empty store is at revision 1, so the first
//! write yields revision 2, exactly as in etcd. Every request that changes something
//! increments the revision by one:
//!
//! - a put always writes, so it always increments the revision;
//! - a delete that removes at least one key increments it; a delete of nothing does not;
//! - a transaction whose chosen branch writes increments it once, and all its writes
//!   share that revision; a transaction that only reads leaves it unchanged;
//! - a range never changes it.
//!
//! Every response carries a [`Header`] with the store revision after the request. Inside a
//! transaction, each nested response's header carries the revision as the transaction stood
//! after that op, as etcd reports it: the transaction's new revision once one of its ops
//! has written something, the previous revision before that.
//!
//! # Per-key revisions
//!
//! Each live key has a [`KeyValue`] with:
//! - `create_revision`: the revision of the put that created the key. After a delete, the
//!   next put creates the key anew, with the new revision;
//! - `mod_revision`: the revision of the last put to the key (Kubernetes' resourceVersion);
//! - `version`: the number of puts since the key was created (1 after creation); a delete
//!   resets it.
//!
//! # History
//!
//! Every write is kept as history, so a range at a past revision sees the keys as they were
//! right after that revision, and [`Store::events_since`] replays the changes. Compaction at
//! revision C drops history below C, keeping for each key its latest version at or before C
//! (unless that is a deletion). Afterwards ranges at revisions below C and events from
//! revisions below C fail with [`StoreError::Compacted`]; revision C itself stays readable.
//!
//! # Key ranges
//!
//! A key range is `key` plus `range_end`, with etcd's rules: an empty `range_end` means the
//! single key `key`; `range_end == [0]` means every key `>= key`; anything else means
//! `[key, range_end)`. [`prefix_range_end`] gives the `range_end` of a prefix.

pub mod alarm;
pub mod etcd;
pub mod lease;
pub mod member;
pub mod prefixed;
pub mod redb;
pub(crate) mod rules;

use std::fmt;
use std::path::PathBuf;

pub use alarm::{AlarmMember, AlarmType, DEFAULT_QUOTA_BYTES, QUOTA_ENV, quota_from_env};
pub use lease::{Expired, LeaseGrant, LeaseStatus};

/// A key as stored at some revision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyValue {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    /// Revision of the put that created this key (since its last deletion).
    pub create_revision: i64,
    /// Revision of the last put to this key.
    pub mod_revision: i64,
    /// Number of puts since creation; 1 right after creation.
    pub version: i64,
    /// The lease the key is attached to (see [`lease`]); 0 for none.
    pub lease: i64,
}

/// Carried by every response: the store revision after the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    pub revision: i64,
}

/// Order of a range's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// No sorting requested. Results come in ascending key order, except that a
    /// `sort_target` other than `Key` then sorts ascending, as etcd does; with a `limit`,
    /// etcd sorts only the first `limit + 1` keys (in key order) before truncating.
    #[default]
    None,
    Ascend,
    Descend,
}

/// What a range sorts by. Ties keep ascending key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortTarget {
    #[default]
    Key,
    Version,
    Create,
    Mod,
    Value,
}

/// A read of a key range, now or at a past revision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeRequest {
    /// Must not be empty.
    pub key: Vec<u8>,
    /// Empty: the single key `key`; `[0]`: all keys `>= key`; otherwise `[key, range_end)`.
    pub range_end: Vec<u8>,
    /// At most this many kvs (after sorting); 0 means no limit. `more` tells whether some
    /// were left out.
    pub limit: i64,
    /// Read the state as of this revision; 0 (or less) means the current revision.
    pub revision: i64,
    /// Return kvs with empty values.
    pub keys_only: bool,
    /// Return only `count`, no kvs.
    pub count_only: bool,
    /// Stop reading at the limit instead of counting the rest of the range: `count` is then
    /// only what was read (`more` still tells whether keys were left out). kubelite's own,
    /// for the pages of a list that know their remaining count already; a store that cannot
    /// stop early (etcd) counts anyway.
    pub uncounted: bool,
    pub sort_order: SortOrder,
    pub sort_target: SortTarget,
}

impl RangeRequest {
    /// A request for one key at the current revision.
    pub fn single(key: &[u8]) -> Self {
        RangeRequest {
            key: key.to_vec(),
            ..Default::default()
        }
    }

    /// A request for every key that starts with `prefix`, at the current revision. An
    /// empty prefix means all keys (key `[0]`, range_end `[0]`, as etcd's client sends it).
    pub fn prefix(prefix: &[u8]) -> Self {
        if prefix.is_empty() {
            return RangeRequest {
                key: vec![0],
                range_end: vec![0],
                ..Default::default()
            };
        }
        RangeRequest {
            key: prefix.to_vec(),
            range_end: prefix_range_end(prefix),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeResponse {
    /// The current store revision (also when reading at a past revision).
    pub header: Header,
    pub kvs: Vec<KeyValue>,
    /// True when `limit` left out some matching keys.
    pub more: bool,
    /// Number of matching keys before `limit` was applied.
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PutResponse {
    pub header: Header,
    /// The key as it was before the put, when asked for and the key existed.
    pub prev_kv: Option<KeyValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteResponse {
    pub header: Header,
    /// Number of keys deleted.
    pub deleted: i64,
    /// The deleted keys as they were, when asked for.
    pub prev_kvs: Vec<KeyValue>,
}

/// What a [`Compare`] looks at, and the value it compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareTarget {
    Version(i64),
    Create(i64),
    Mod(i64),
    Value(Vec<u8>),
    Lease(i64),
}

/// How the stored field must relate to the target value: `Greater` means stored > target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareResult {
    Equal,
    Greater,
    Less,
    NotEqual,
}

/// A condition of a transaction. It holds when it holds for every key in the range; a
/// missing key compares as version, create and mod revision 0 (so `Create(0) Equal` means
/// "does not exist"), and a `Value` comparison on a missing key never holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    pub key: Vec<u8>,
    /// Same rules as [`RangeRequest::range_end`].
    pub range_end: Vec<u8>,
    pub target: CompareTarget,
    pub result: CompareResult,
}

/// One operation of a transaction branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestOp {
    Range(RangeRequest),
    Put {
        key: Vec<u8>,
        value: Vec<u8>,
        prev_kv: bool,
        /// Attach the key to this lease (0: none, which also detaches it from its old one).
        lease: i64,
    },
    Delete {
        key: Vec<u8>,
        range_end: Vec<u8>,
        prev_kv: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseOp {
    Range(RangeResponse),
    Put(PutResponse),
    Delete(DeleteResponse),
}

/// If every compare holds, run `success`, else `failure`. Compares see the state before the
/// transaction; each op sees the writes of the ops before it. Within a branch, a key may be
/// put at most once and not put and deleted both ([`StoreError::DuplicateKey`]); as in
/// etcd, a delete's range is read literally for this check, so a delete with
/// `range_end == [0]` never conflicts and may precede a put of a key it removed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TxnRequest {
    pub compare: Vec<Compare>,
    pub success: Vec<RequestOp>,
    pub failure: Vec<RequestOp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TxnResponse {
    pub header: Header,
    /// Whether every compare held (and so `success` ran).
    pub succeeded: bool,
    /// One response per op of the branch that ran.
    pub responses: Vec<ResponseOp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Put,
    Delete,
}

/// One change, as a watch reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// For a put: the key as written. For a delete: only `key` and `mod_revision` (the
    /// delete's revision) are set.
    pub kv: KeyValue,
    /// When asked for: the key as of the revision before this change (etcd reads it at
    /// `mod_revision - 1`), if it existed then and that revision is not compacted away.
    pub prev_kv: Option<KeyValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The requested revision is below the compacted revision.
    Compacted {
        compact_revision: i64,
    },
    /// The requested revision is above the current revision.
    FutureRevision,
    /// Another process holds the store file.
    Locked {
        path: PathBuf,
    },
    /// A request or transaction op with an empty key.
    EmptyKey,
    /// A transaction branch puts a key twice, or puts and deletes it.
    DuplicateKey,
    /// A put names a lease that does not exist (never granted, revoked or expired), or a
    /// lease request names one.
    LeaseNotFound,
    /// The backend has no leases.
    LeasesUnsupported,
    /// The NOSPACE alarm is raised: the store refuses writes until it is disarmed (see
    /// [`alarm`]).
    NoSpace,
    Io(String),
    /// The file is not a store, or its contents are damaged.
    Corrupt(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Compacted { .. } => {
                f.write_str("mvcc: required revision has been compacted")
            }
            StoreError::FutureRevision => {
                f.write_str("mvcc: required revision is a future revision")
            }
            StoreError::Locked { path } => write!(
                f,
                "store file {} is locked: another kubelite process holds it",
                path.display()
            ),
            StoreError::EmptyKey => f.write_str("etcdserver: key is not provided"),
            StoreError::DuplicateKey => {
                f.write_str("etcdserver: duplicate key given in txn request")
            }
            StoreError::LeaseNotFound => f.write_str("etcdserver: requested lease not found"),
            StoreError::LeasesUnsupported => f.write_str("this store has no leases"),
            StoreError::NoSpace => f.write_str("etcdserver: mvcc: database space exceeded"),
            StoreError::Io(msg) => write!(f, "store I/O error: {msg}"),
            StoreError::Corrupt(msg) => write!(f, "store is corrupt: {msg}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// The `range_end` that selects every key starting with `prefix` (etcd's rule: increment the
/// last byte that is not 0xff and drop what follows; `[0]`, meaning all keys, if there is none).
pub fn prefix_range_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

/// A revisioned key-value store with etcd v3 semantics (see the module documentation).
pub trait Store: Send + Sync {
    /// Reads a key range at the current or a past revision. Does not change the revision.
    /// Errors: `Compacted` below the compacted revision, `FutureRevision` above the current.
    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError>;

    /// Writes one key at a new revision.
    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError>;

    /// Deletes a key range at a new revision; a delete of nothing keeps the revision.
    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError>;

    /// Runs a transaction atomically; its writes all share one new revision.
    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError>;

    /// Group commit: applies each txn in order, each with its own revision, in ONE durable
    /// commit. Used for batched creates. If any txn fails (bad request, compacted or future
    /// revision in a range), nothing of the batch is written.
    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError>;

    /// Events with revision >= from over [key, range_end), in revision order (writes of one
    /// revision in the order they were made). `from` below 1 means 1. Compacted if `from`
    /// is below the compacted revision (etcd allows watching from the compacted revision
    /// itself; a deletion at exactly that revision is then no longer reported).
    fn events_since(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError>;

    /// `events_since` up to revision `until` (inclusive) only, so that a reader can take the
    /// change log in bounded pieces. Backends that can stop early override it.
    fn events_between(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        until: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let mut events = self.events_since(key, range_end, from, prev_kv)?;
        events.retain(|e| e.kv.mod_revision <= until);
        Ok(events)
    }

    /// Drops history below `revision`. `Compacted` if `revision` is not above the compacted
    /// revision, `FutureRevision` if above the current one (as in etcd, a store never
    /// compacted accepts revision 0 once). Returns the current revision.
    fn compact(&self, revision: i64) -> Result<Header, StoreError>;

    fn current_revision(&self) -> Result<i64, StoreError>;

    /// The revision of the last compaction, 0 if never compacted.
    fn compacted_revision(&self) -> Result<i64, StoreError>;

    /// A revision no older than any write this store made and any change its followed log
    /// delivered (a seed for what a write generates, which must differ from the last one's);
    /// the current revision where asking costs nothing (a local store).
    fn recent_revision(&self) -> Result<i64, StoreError> {
        self.current_revision()
    }

    /// The revision up to which a change log this store follows in memory holds every
    /// change (etcd's watch feed); `None` for a store that keeps none (a local one, whose
    /// reads are cheap). For caches of what every write reads (admission configuration),
    /// which may lag a little behind the store, as kube-apiserver's informers do.
    fn followed_revision(&self) -> Option<i64> {
        None
    }

    /// Whether a key of `[key, range_end)` changed after revision `since`, as far as that
    /// followed change log knows; `None` when it cannot tell (no log, or `since` older
    /// than what it holds).
    fn changed_after(&self, key: &[u8], range_end: &[u8], since: i64) -> Option<bool> {
        let _ = (key, range_end, since);
        None
    }

    /// Whether a key of any of `ranges` (`[key, range_end)` each, both given) was written
    /// or deleted after revision `since`; `Compacted` when that history is gone. Here: the
    /// followed change log where it can tell, else one read of the log over the span of all
    /// the ranges (one round trip to etcd, not one a range). Backends that keep a change
    /// log by revision override it with one pass that decodes nothing.
    fn changed_in(&self, ranges: &[(Vec<u8>, Vec<u8>)], since: i64) -> Result<bool, StoreError> {
        let mut unknown = Vec::new();
        for (key, range_end) in ranges {
            match self.changed_after(key, range_end, since) {
                Some(true) => return Ok(true),
                Some(false) => {}
                None => unknown.push((key, range_end)),
            }
        }
        let lowest = unknown.iter().map(|(k, _)| k.as_slice()).min();
        let highest = unknown.iter().map(|(_, e)| e.as_slice()).max();
        let (Some(lowest), Some(highest)) = (lowest, highest) else {
            return Ok(false);
        };
        let events = self.events_since(lowest, highest, since.saturating_add(1), false)?;
        Ok(events.iter().any(|e| {
            unknown
                .iter()
                .any(|(k, end)| e.kv.key >= **k && e.kv.key < **end)
        }))
    }

    /// Deferred durability for the calling thread's writes, which are recomputed if lost (the
    /// control plane's own): while on, that thread's writes are committed without waiting for
    /// the disk. Everyone else's writes stay durable before they are answered, and their
    /// reads first make the deferred writes durable, so nothing a client saw can be lost.
    /// Turning it off makes every earlier write durable at once. A crash loses a suffix of the
    /// deferred writes, never corrupts the store. Backends that are always durable ignore it.
    fn set_deferred(&self, on: bool) -> Result<(), StoreError> {
        let _ = on;
        Ok(())
    }

    /// Writes a snapshot of the whole store at one revision to the file `path` (created or
    /// truncated) and syncs it before returning: for the embedded store its own snapshot
    /// format (`redb::snapshot`), for a real etcd the snapshot etcd streams.
    fn save_snapshot(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let _ = path;
        Err(StoreError::Io(
            "this store cannot save snapshots".to_string(),
        ))
    }

    /// Grants a lease of `ttl` seconds from `now` (unix seconds on the cluster's clock); `id`
    /// 0 lets the store choose one. Granting changes no revision.
    fn lease_grant(&self, id: i64, ttl: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        let _ = (id, ttl, now);
        Err(StoreError::LeasesUnsupported)
    }

    /// Revokes a lease: every key attached to it is deleted at one new revision (none: the
    /// revision stays). `LeaseNotFound` if there is no such lease.
    fn lease_revoke(&self, id: i64) -> Result<Header, StoreError> {
        let _ = id;
        Err(StoreError::LeasesUnsupported)
    }

    /// A lease's remaining and granted TTL at `now`, and its keys when asked for.
    fn lease_time_to_live(&self, id: i64, keys: bool, now: i64) -> Result<LeaseStatus, StoreError> {
        let _ = (id, keys, now);
        Err(StoreError::LeasesUnsupported)
    }

    /// The ids of the leases that exist, ascending.
    fn lease_list(&self) -> Result<Vec<i64>, StoreError> {
        Err(StoreError::LeasesUnsupported)
    }

    /// Renews a lease: it expires its granted TTL after `now` again. Returns that TTL;
    /// `LeaseNotFound` if there is no such lease (or it expired). Changes no revision.
    fn lease_keep_alive(&self, id: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        let _ = (id, now);
        Err(StoreError::LeasesUnsupported)
    }

    /// Revokes the leases that expired at or before `now`, earliest first, deleting at most
    /// `max_keys` keys: the work of one pass is bounded and proportional to what expired.
    fn expire_leases(&self, now: i64, max_keys: usize) -> Result<Expired, StoreError> {
        let _ = (now, max_keys);
        Err(StoreError::LeasesUnsupported)
    }

    /// Gives the file's free space back to the file system when most of it is free, as etcd's
    /// defragmentation does. Returns the file's size before and after, if it did.
    fn reclaim_space(&self) -> Result<Option<(u64, u64)>, StoreError> {
        Ok(None)
    }

    /// Sets the space quota in bytes (etcd's `--quota-backend-bytes`; see [`alarm`]). A real
    /// etcd keeps its own.
    fn set_quota(&self, bytes: u64) {
        let _ = bytes;
    }

    /// Defragments now, however little is free (`etcdctl defrag`).
    fn defragment(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// The alarms raised (see [`alarm`]).
    fn alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        Ok(Vec::new())
    }

    /// Disarms every alarm; returns those that were raised.
    fn disarm_alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        Ok(Vec::new())
    }
}

/// A shared store is a store: the API server and etcdctl can hold the same one.
impl<S: Store + ?Sized> Store for std::sync::Arc<S> {
    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        (**self).range(req)
    }
    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError> {
        (**self).put(key, value, prev_kv)
    }
    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError> {
        (**self).delete_range(key, range_end, prev_kv)
    }
    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        (**self).txn(req)
    }
    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        (**self).txn_batch(reqs)
    }
    fn events_since(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        (**self).events_since(key, range_end, from, prev_kv)
    }
    fn events_between(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        until: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        (**self).events_between(key, range_end, from, until, prev_kv)
    }
    fn compact(&self, revision: i64) -> Result<Header, StoreError> {
        (**self).compact(revision)
    }
    fn current_revision(&self) -> Result<i64, StoreError> {
        (**self).current_revision()
    }
    fn compacted_revision(&self) -> Result<i64, StoreError> {
        (**self).compacted_revision()
    }
    fn recent_revision(&self) -> Result<i64, StoreError> {
        (**self).recent_revision()
    }
    fn followed_revision(&self) -> Option<i64> {
        (**self).followed_revision()
    }
    fn changed_after(&self, key: &[u8], range_end: &[u8], since: i64) -> Option<bool> {
        (**self).changed_after(key, range_end, since)
    }
    fn changed_in(&self, ranges: &[(Vec<u8>, Vec<u8>)], since: i64) -> Result<bool, StoreError> {
        (**self).changed_in(ranges, since)
    }
    fn set_deferred(&self, on: bool) -> Result<(), StoreError> {
        (**self).set_deferred(on)
    }
    fn save_snapshot(&self, path: &std::path::Path) -> Result<(), StoreError> {
        (**self).save_snapshot(path)
    }
    fn lease_grant(&self, id: i64, ttl: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        (**self).lease_grant(id, ttl, now)
    }
    fn lease_revoke(&self, id: i64) -> Result<Header, StoreError> {
        (**self).lease_revoke(id)
    }
    fn lease_time_to_live(&self, id: i64, keys: bool, now: i64) -> Result<LeaseStatus, StoreError> {
        (**self).lease_time_to_live(id, keys, now)
    }
    fn lease_list(&self) -> Result<Vec<i64>, StoreError> {
        (**self).lease_list()
    }
    fn lease_keep_alive(&self, id: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        (**self).lease_keep_alive(id, now)
    }
    fn expire_leases(&self, now: i64, max_keys: usize) -> Result<Expired, StoreError> {
        (**self).expire_leases(now, max_keys)
    }
    fn reclaim_space(&self) -> Result<Option<(u64, u64)>, StoreError> {
        (**self).reclaim_space()
    }
    fn set_quota(&self, bytes: u64) {
        (**self).set_quota(bytes);
    }
    fn defragment(&self) -> Result<(), StoreError> {
        (**self).defragment()
    }
    fn alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        (**self).alarms()
    }
    fn disarm_alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        (**self).disarm_alarms()
    }
}
