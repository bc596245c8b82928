//! Replays the change log as watch events.

use ::redb::ReadableTable;

use super::read;
use super::schema::{self, Record};
use crate::store::rules::Bounds;
use crate::store::{Event, EventKind, KeyValue, StoreError};

/// Events with `from <= revision <= until` whose key is in `bounds`, in log order.
pub(super) fn since(
    current: &impl ReadableTable<&'static [u8], &'static [u8]>,
    changes: &impl ReadableTable<(i64, u32), &'static [u8]>,
    history: &impl ReadableTable<(&'static [u8], i64, u32), &'static [u8]>,
    bounds: &Bounds,
    from: i64,
    until: i64,
    want_prev: bool,
) -> Result<Vec<Event>, StoreError> {
    let mut events = Vec::new();
    for entry in changes.range((from, 0u32)..)? {
        let (id, key) = entry?;
        let (revision, sub) = id.value();
        if revision > until {
            break;
        }
        let key = key.value();
        if !bounds.contains(key) {
            continue;
        }
        let Some(bytes) = history.get((key, revision, sub))? else {
            return Err(StoreError::Corrupt(format!(
                "change at revision {revision} has no history entry"
            )));
        };
        let record = Record::decode(&schema::resolve(current, key, bytes.value())?, true)?;
        let (kind, kv) = if record.tombstone {
            let kv = KeyValue {
                key: key.to_vec(),
                mod_revision: revision,
                ..KeyValue::default()
            };
            (EventKind::Delete, kv)
        } else {
            (EventKind::Put, record.into_kv(key))
        };
        let prev_kv = if want_prev {
            previous(current, history, key, revision)?
        } else {
            None
        };
        events.push(Event { kind, kv, prev_kv });
    }
    Ok(events)
}

/// The key as of the revision before `revision`, if it existed then (etcd reads prev_kv
/// at the previous main revision, also for a txn that deleted and re-put the key).
fn previous(
    current: &impl ReadableTable<&'static [u8], &'static [u8]>,
    history: &impl ReadableTable<(&'static [u8], i64, u32), &'static [u8]>,
    key: &[u8],
    revision: i64,
) -> Result<Option<KeyValue>, StoreError> {
    let Some(bytes) = read::version_at(current, history, key, revision - 1)? else {
        return Ok(None);
    };
    let record = Record::decode(&bytes, true)?;
    Ok((!record.tombstone).then(|| record.into_kv(key)))
}
