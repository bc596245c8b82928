//! Rewrites a format 1 file as format 2 (see `schema`), in the write transaction that opens
//! it: every record re-encoded (compressed), and the live version of each key kept once,
//! in `current`, with a stub in `history`. Revisions, versions and the change log stay as
//! they were, so readers see the same store.
//!
//! Both passes are idempotent and `Record::decode` reads both formats, so a file is whole
//! whatever point a crash stopped at (it is one transaction anyway).

use ::redb::{ReadableTable, WriteTransaction};

use super::schema::{self, CURRENT, HISTORY, META, Record};
use crate::store::StoreError;

/// Entries rewritten per step: the iteration is restarted after each, since a table cannot
/// be written while it is iterated.
const STEP: usize = 1024;

type HistoryId = (Vec<u8>, i64, u32);

pub(super) fn to_v2(txn: &WriteTransaction) -> Result<(), StoreError> {
    reencode_history(txn)?;
    stub_live_versions(txn)?;
    txn.open_table(META)?
        .insert(schema::META_FORMAT, schema::FORMAT_VERSION)?;
    Ok(())
}

fn reencode_history(txn: &WriteTransaction) -> Result<(), StoreError> {
    let mut history = txn.open_table(HISTORY)?;
    let mut after: Option<HistoryId> = None;
    loop {
        let mut step: Vec<(HistoryId, Vec<u8>)> = Vec::with_capacity(STEP);
        {
            let iter = match &after {
                Some((k, r, s)) => history.range((k.as_slice(), *r, *s)..)?,
                None => history.range::<(&[u8], i64, u32)>(..)?,
            };
            for entry in iter {
                let (id, bytes) = entry?;
                let (k, r, s) = id.value();
                if after
                    .as_ref()
                    .is_some_and(|a| (a.0.as_slice(), a.1, a.2) == (k, r, s))
                {
                    continue;
                }
                let mut record = Record::decode(bytes.value(), true)?;
                record.sub = s;
                step.push(((k.to_vec(), r, s), record.encode()));
                if step.len() == STEP {
                    break;
                }
            }
        }
        let Some((last, _)) = step.last() else {
            return Ok(());
        };
        after = Some(last.clone());
        for ((k, r, s), bytes) in &step {
            history.insert((k.as_slice(), *r, *s), bytes.as_slice())?;
        }
    }
}

fn stub_live_versions(txn: &WriteTransaction) -> Result<(), StoreError> {
    let mut current = txn.open_table(CURRENT)?;
    let mut history = txn.open_table(HISTORY)?;
    let mut after: Option<Vec<u8>> = None;
    loop {
        let mut step: Vec<(Vec<u8>, Record)> = Vec::with_capacity(STEP);
        {
            let iter = match &after {
                Some(k) => current.range(k.as_slice()..)?,
                None => current.range::<&[u8]>(..)?,
            };
            for entry in iter {
                let (k, bytes) = entry?;
                if after.as_deref() == Some(k.value()) {
                    continue;
                }
                step.push((k.value().to_vec(), Record::decode(bytes.value(), true)?));
                if step.len() == STEP {
                    break;
                }
            }
        }
        let Some((last, _)) = step.last() else {
            return Ok(());
        };
        after = Some(last.clone());
        for (key, mut record) in step {
            // The live version is the newest history entry of the key.
            let newest = history
                .range((key.as_slice(), i64::MIN, 0)..=(key.as_slice(), i64::MAX, u32::MAX))?
                .next_back()
                .transpose()?
                .map(|(id, _)| id.value().2);
            if let Some(sub) = newest {
                record.sub = sub;
                history.insert(
                    (key.as_slice(), record.mod_revision, sub),
                    record.stub_of().as_slice(),
                )?;
            }
            current.insert(key.as_slice(), record.encode().as_slice())?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::redb::RedbStore;
    use crate::store::redb::schema::{CHANGES, LEASE_EXPIRY, LEASE_KEYS, LEASES};
    use crate::store::{RangeRequest, Store};
    use ::redb::ReadableDatabase;

    /// A format 1 record: the tag, four little-endian i64, the value.
    fn v1(tombstone: bool, create: i64, modified: i64, version: i64, value: &[u8]) -> Vec<u8> {
        let mut out = vec![u8::from(tombstone)];
        for n in [create, modified, version, 0] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(value);
        out
    }

    /// A format 1 file as kubelite wrote it: `/a` put at 2 and 3, `/b` put at 4 and deleted
    /// at 5, `/c` deleted and put again in one txn at 6.
    fn format_1_file(path: &std::path::Path) {
        let db = ::redb::Database::create(path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let pod = b"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\"}]}}";
            let mut meta = txn.open_table(META).unwrap();
            meta.insert(schema::META_FORMAT, schema::FORMAT_V1).unwrap();
            meta.insert(schema::META_REVISION, 6).unwrap();
            meta.insert(schema::META_COMPACTED, schema::NEVER_COMPACTED)
                .unwrap();
            let mut current = txn.open_table(CURRENT).unwrap();
            let mut history = txn.open_table(HISTORY).unwrap();
            let mut changes = txn.open_table(CHANGES).unwrap();
            let writes: [(&[u8], i64, u32, Vec<u8>); 7] = [
                (b"/a", 2, 0, v1(false, 2, 2, 1, b"one")),
                (b"/a", 3, 0, v1(false, 2, 3, 2, pod)),
                (b"/b", 4, 0, v1(false, 4, 4, 1, pod)),
                (b"/b", 5, 0, v1(true, 0, 5, 0, b"")),
                (b"/c", 1, 0, v1(false, 1, 1, 1, b"old")),
                (b"/c", 6, 0, v1(true, 0, 6, 0, b"")),
                (b"/c", 6, 1, v1(false, 6, 6, 1, pod)),
            ];
            for (key, rev, sub, bytes) in &writes {
                history
                    .insert((*key, *rev, *sub), bytes.as_slice())
                    .unwrap();
                changes.insert((*rev, *sub), *key).unwrap();
            }
            current.insert(&b"/a"[..], writes[1].3.as_slice()).unwrap();
            current.insert(&b"/c"[..], writes[6].3.as_slice()).unwrap();
            txn.open_table(LEASES).unwrap();
            txn.open_table(LEASE_KEYS).unwrap();
            txn.open_table(LEASE_EXPIRY).unwrap();
        }
        txn.commit().unwrap();
    }

    /// Everything a reader can see: each revision's keys and the whole event log.
    fn everything(store: &RedbStore) -> String {
        let mut seen = Vec::new();
        for rev in 1..=6 {
            let mut req = RangeRequest::prefix(b"/");
            req.revision = rev;
            seen.push(format!("{:?}", store.range(&req).unwrap().kvs));
        }
        seen.push(format!(
            "{:?}",
            store.range(&RangeRequest::prefix(b"/")).unwrap().kvs
        ));
        seen.push(format!(
            "{:?}",
            store.events_since(b"/", b"0", 1, true).unwrap()
        ));
        seen.join("\n")
    }

    #[test]
    fn a_format_1_file_reads_the_same_after_its_migration() {
        let dir = std::env::temp_dir().join(format!("kl-migrate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("store.redb");
        let _ = std::fs::remove_file(&path);
        format_1_file(&path);
        let before = everything(&RedbStore::open_read_only(&path).unwrap());
        assert!(before.contains("create_revision: 6"), "{before}");
        let store = RedbStore::open(&path, std::time::Duration::from_secs(1)).unwrap();
        assert_eq!(everything(&store), before);
        // It is format 2 now: the live versions are stubs, and it keeps working.
        store.put(b"/a", b"three", false).unwrap();
        store.compact(7).unwrap();
        let mut at_6 = RangeRequest::single(b"/a");
        at_6.revision = 6;
        assert!(store.range(&at_6).is_err(), "compacted");
        drop(store);
        let db = ::redb::Database::open(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let meta = txn.open_table(META).unwrap();
        assert_eq!(meta.get(schema::META_FORMAT).unwrap().unwrap().value(), 2);
        let history = txn.open_table(HISTORY).unwrap();
        let live = history.get((&b"/c"[..], 6, 1)).unwrap().unwrap();
        assert!(schema::is_stub(live.value()));
        drop(db);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
