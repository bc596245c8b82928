//! Compaction: drops history below a revision, keeping each key's newest version at or
//! before it unless that version is a deletion.

use std::collections::BTreeSet;

use ::redb::ReadableTable;

use super::schema::Record;
use super::write::Writer;
use crate::store::StoreError;

impl Writer<'_> {
    pub(super) fn compact(&mut self, revision: i64) -> Result<(), StoreError> {
        if revision <= self.compacted {
            return Err(StoreError::Compacted {
                compact_revision: self.compacted.max(0),
            });
        }
        if revision > self.revision {
            return Err(StoreError::FutureRevision);
        }
        // The change log below the previous compaction is gone, so these are exactly the
        // keys with history to drop.
        let mut keys = BTreeSet::new();
        let mut log = Vec::new();
        for entry in self.changes.range(..=(revision, u32::MAX))? {
            let (id, key) = entry?;
            keys.insert(key.value().to_vec());
            log.push((id.value(), key.value().to_vec()));
        }
        for key in &keys {
            self.drop_history(key, revision)?;
        }
        for ((rev, sub), key) in log {
            // A change at the compaction revision stays while its version stays.
            if rev < revision || self.history.get((key.as_slice(), rev, sub))?.is_none() {
                self.changes.remove((rev, sub))?;
            }
        }
        self.compacted = revision;
        self.dirty = true;
        Ok(())
    }

    fn drop_history(&mut self, key: &[u8], revision: i64) -> Result<(), StoreError> {
        let mut versions = Vec::new();
        for entry in self
            .history
            .range((key, i64::MIN, 0)..=(key, revision, u32::MAX))?
        {
            let (id, bytes) = entry?;
            let (_, rev, sub) = id.value();
            let tombstone = Record::decode(bytes.value(), false)?.tombstone;
            versions.push((rev, sub, tombstone));
        }
        let Some(&(newest, newest_sub, newest_is_tombstone)) = versions.last() else {
            return Ok(());
        };
        for &(rev, sub, _) in &versions[..versions.len() - 1] {
            self.history.remove((key, rev, sub))?;
        }
        if newest_is_tombstone {
            self.history.remove((key, newest, newest_sub))?;
        }
        Ok(())
    }
}
