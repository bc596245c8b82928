//! Reads over the `current` and `history` tables, shared by read transactions and by the
//! ops inside a write transaction (which see the writes made before them).

use ::redb::{AccessGuard, ReadableTable};

use super::schema::{self, Record};
use crate::store::rules::{self, Bounds};
use crate::store::{Header, KeyValue, RangeRequest, RangeResponse, StoreError};

/// The tables a read looks at, and the revisions that bound it.
pub(super) struct Snapshot<'t, C, H> {
    pub current: &'t C,
    pub history: &'t H,
    /// The revision whose state the `current` table holds.
    pub current_at: i64,
    /// The newest revision a request may name; above it is the future.
    pub newest: i64,
    pub compacted: i64,
}

/// Collects matching keys in ascending key order: counts all (unless told not to), builds
/// only the kvs needed.
struct Collector {
    kvs: Vec<KeyValue>,
    count: i64,
    needed: Option<usize>,
    with_value: bool,
    /// Whether keys past those needed are counted (etcd's `count`) or not read at all.
    counting: bool,
}

impl Collector {
    fn new(needed: Option<usize>, with_value: bool) -> Collector {
        Collector {
            kvs: Vec::new(),
            count: 0,
            needed,
            with_value,
            counting: true,
        }
    }

    /// Whether the next key offered is kept (not only counted).
    fn keeps_more(&self) -> bool {
        self.needed.is_none_or(|n| self.kvs.len() < n)
    }

    /// Whether the scan can stop: everything needed is kept and the rest is not counted.
    fn finished(&self) -> bool {
        !self.counting && !self.keeps_more()
    }

    /// Counts one stored record that is not kept; tombstones are not keys.
    fn count(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        if !Record::decode(bytes, false)?.tombstone {
            self.count += 1;
        }
        Ok(())
    }

    /// Offers one stored record; tombstones are not keys.
    fn offer(&mut self, key: &[u8], bytes: &[u8]) -> Result<(), StoreError> {
        if Record::decode(bytes, false)?.tombstone {
            return Ok(());
        }
        self.count += 1;
        if self.keeps_more() {
            self.kvs
                .push(Record::decode(bytes, self.with_value)?.into_kv(key));
        }
        Ok(())
    }
}

/// A range request, answered with `header_revision` in its header.
pub(super) fn range<C, H>(
    snap: &Snapshot<'_, C, H>,
    req: &RangeRequest,
    header_revision: i64,
) -> Result<RangeResponse, StoreError>
where
    C: ReadableTable<&'static [u8], &'static [u8]>,
    H: ReadableTable<(&'static [u8], i64, u32), &'static [u8]>,
{
    rules::require_key(&req.key)?;
    let at = if req.revision <= 0 {
        snap.current_at
    } else if req.revision > snap.newest {
        return Err(StoreError::FutureRevision);
    } else if req.revision < snap.compacted {
        return Err(StoreError::Compacted {
            compact_revision: snap.compacted,
        });
    } else {
        req.revision
    };
    let bounds = Bounds::new(&req.key, &req.range_end);
    let mut found = Collector::new(rules::kvs_needed(req), rules::values_needed(req));
    found.counting = !req.uncounted || req.count_only;
    if at == snap.current_at {
        scan_current(snap.current, &bounds, &mut found)?;
    } else {
        scan_history(snap.current, snap.history, &bounds, at, &mut found)?;
    }
    let count = found.count;
    let (kvs, more) = rules::finish_range(found.kvs, count, req);
    Ok(RangeResponse {
        header: Header {
            revision: header_revision,
        },
        kvs,
        more,
        count,
    })
}

/// Every live key in the bounds, with values, as the `current` table holds them.
pub(super) fn current_kvs(
    current: &impl ReadableTable<&'static [u8], &'static [u8]>,
    bounds: &Bounds,
) -> Result<Vec<KeyValue>, StoreError> {
    let mut found = Collector::new(None, true);
    scan_current(current, bounds, &mut found)?;
    Ok(found.kvs)
}

fn scan_current(
    current: &impl ReadableTable<&'static [u8], &'static [u8]>,
    bounds: &Bounds,
    found: &mut Collector,
) -> Result<(), StoreError> {
    let iter = match bounds {
        Bounds::Nothing => return Ok(()),
        Bounds::Single(key) => {
            if let Some(bytes) = current.get(key.as_slice())? {
                found.offer(key, bytes.value())?;
            }
            return Ok(());
        }
        Bounds::From(start) => current.range(start.as_slice()..)?,
        Bounds::Between(start, end) => current.range(start.as_slice()..end.as_slice())?,
    };
    for entry in iter {
        let (key, bytes) = entry?;
        found.offer(key.value(), bytes.value())?;
        if found.finished() {
            break;
        }
    }
    Ok(())
}

/// Keys as of revision `at`: for each key, its newest history entry at or before `at`.
fn scan_history(
    current: &impl ReadableTable<&'static [u8], &'static [u8]>,
    history: &impl ReadableTable<(&'static [u8], i64, u32), &'static [u8]>,
    bounds: &Bounds,
    at: i64,
    found: &mut Collector,
) -> Result<(), StoreError> {
    let iter = match bounds {
        Bounds::Nothing => return Ok(()),
        Bounds::Single(key) => {
            if let Some(record) = version_at(current, history, key, at)? {
                found.offer(key, &record)?;
            }
            return Ok(());
        }
        Bounds::From(start) => history.range((start.as_slice(), i64::MIN, 0)..)?,
        Bounds::Between(start, end) => {
            history.range((start.as_slice(), i64::MIN, 0)..(end.as_slice(), i64::MIN, 0))?
        }
    };
    // The newest entry at or before `at` of the key being walked, held where redb has it.
    type Guards<'a> = (
        AccessGuard<'a, (&'static [u8], i64, u32)>,
        AccessGuard<'a, &'static [u8]>,
    );
    let mut pending: Option<Guards> = None;
    for entry in iter {
        let (id, bytes) = entry?;
        let (key, revision, _) = id.value();
        // A new key: the walked one is complete.
        if let Some((k, record)) = pending.take_if(|(k, _)| k.value().0 != key) {
            offer_version(current, k.value().0, record.value(), found)?;
            if found.finished() {
                break;
            }
        }
        if revision <= at {
            pending = Some((id, bytes));
        }
    }
    if let Some((k, record)) = pending {
        offer_version(current, k.value().0, record.value(), found)?;
    }
    Ok(())
}

/// Offers a key's `history` entry as of a past revision. Its record (a stub's is the live
/// one in `current`) is looked up and copied only when the collector keeps it: a page of a
/// big collection counts the rest of it, and counting needs only the entry's header (a stub
/// is never a tombstone).
fn offer_version(
    current: &impl ReadableTable<&'static [u8], &'static [u8]>,
    key: &[u8],
    entry: &[u8],
    found: &mut Collector,
) -> Result<(), StoreError> {
    if found.keeps_more() {
        found.offer(key, &schema::resolve(current, key, entry)?)
    } else {
        found.count(entry)
    }
}

/// The encoded newest version of `key` at or before `at` (maybe a tombstone).
pub(super) fn version_at(
    current: &impl ReadableTable<&'static [u8], &'static [u8]>,
    history: &impl ReadableTable<(&'static [u8], i64, u32), &'static [u8]>,
    key: &[u8],
    at: i64,
) -> Result<Option<Vec<u8>>, StoreError> {
    let mut iter = history.range((key, i64::MIN, 0)..=(key, at, u32::MAX))?;
    match iter.next_back() {
        Some(entry) => Ok(Some(schema::resolve(current, key, entry?.1.value())?)),
        None => Ok(None),
    }
}
