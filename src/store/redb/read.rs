//! Reads over the `current` and `history` tables, shared by read transactions and by the
//! ops inside a write transaction (which see the writes made before them).

use ::redb::ReadableTable;

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

/// Collects matching keys in ascending key order: counts all, builds only the kvs needed.
struct Collector {
    kvs: Vec<KeyValue>,
    count: i64,
    needed: Option<usize>,
    with_value: bool,
}

impl Collector {
    fn new(needed: Option<usize>, with_value: bool) -> Collector {
        Collector {
            kvs: Vec::new(),
            count: 0,
            needed,
            with_value,
        }
    }

    /// Offers one stored record; tombstones are not keys.
    fn offer(&mut self, key: &[u8], bytes: &[u8]) -> Result<(), StoreError> {
        if Record::decode(bytes, false)?.tombstone {
            return Ok(());
        }
        self.count += 1;
        if self.needed.is_none_or(|n| self.kvs.len() < n) {
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
    // The newest entry at or before `at` of the key being walked: (key, record bytes).
    let mut pending: Option<(Vec<u8>, Vec<u8>)> = None;
    for entry in iter {
        let (id, bytes) = entry?;
        let (key, revision, _) = id.value();
        // A new key: the walked one is complete.
        if let Some((k, record)) = pending.take_if(|(k, _)| k.as_slice() != key) {
            found.offer(&k, &schema::resolve(current, &k, &record)?)?;
        }
        if revision <= at {
            pending = Some((key.to_vec(), bytes.value().to_vec()));
        }
    }
    if let Some((k, record)) = pending {
        found.offer(&k, &schema::resolve(current, &k, &record)?)?;
    }
    Ok(())
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
