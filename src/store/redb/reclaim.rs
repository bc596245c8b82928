//! Giving the file's free pages back, as etcd's defragmentation does.
//!
//! Compacted history and expired keys leave free pages that redb reuses but never returns to
//! the file system. When most of a file of some size is free, `reclaim` runs redb's own
//! compaction (`Database::compact`), which moves the live pages to the front in a series of
//! committed transactions and truncates the end.
//!
//! Safety against a crash (SIGKILL) at any point: every step of redb's compaction is a
//! committed write transaction with two-phase commit, so the file on disk is always the state
//! of the last committed step, which holds the same data as before the compaction; a kill
//! leaves the file longer than it could be, never damaged (reopening repairs the allocator
//! state, as after any crash). `tests/store/durability.rs` kills a process mid-compaction.
//!
//! Blocking: redb compacts through `&mut Database`, so the store's lock is taken alone for the
//! duration, and every other store call waits. It is refused at once (and tried again by a
//! later pass) if any transaction is open. Its cost is the live data, not the file: after
//! events expire that is what a cluster holds, a few MB for thousands of pods.

use ::redb::CompactionError;

use super::{Db, RedbStore};
use crate::store::StoreError;

/// How long `defragment_now` waits for a moment with no transaction open.
const DEFRAG_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// Files smaller than this are left as they are: there is little to give back.
const MIN_FILE: u64 = 8 << 20;

impl RedbStore {
    /// Compacts the file if at least half of it is free; the sizes before and after if so.
    pub(super) fn reclaim(&self) -> Result<Option<(u64, u64)>, StoreError> {
        self.reclaim_if(false)
    }

    /// Compacts the file now (`etcdctl defrag`). etcd's defragmentation blocks the member
    /// while it runs; redb's needs a moment with no transaction open, which a busy server
    /// gives between requests: tried for a while before reporting the store busy.
    pub(super) fn defragment_now(&self) -> Result<(), StoreError> {
        let deadline = std::time::Instant::now() + DEFRAG_PATIENCE;
        loop {
            if self.reclaim_if(true)?.is_some() {
                return Ok(());
            }
            if std::time::Instant::now() >= deadline {
                return Err(StoreError::Io(
                    "the store stayed busy: try again".to_string(),
                ));
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Compacts the file when forced or when at least half of it is free.
    fn reclaim_if(&self, force: bool) -> Result<Option<(u64, u64)>, StoreError> {
        let before = file_len(&self.path);
        if !force && before < MIN_FILE {
            return Ok(None);
        }
        let used = {
            let txn = self.begin_write(false)?;
            let stats = txn.stats()?;
            let used = stats.allocated_pages() * stats.page_size() as u64;
            txn.abort()?;
            used
        };
        if !force && used.saturating_mul(2) > before {
            return Ok(None);
        }
        // Deferred writes become durable with compaction's commits; make it so first, so that
        // the bookkeeping of what is durable stays true.
        self.make_durable()?;
        let mut guard = self.db.write().unwrap_or_else(|p| p.into_inner());
        let Db::Writable(db) = &mut *guard else {
            return Ok(None);
        };
        match db.compact() {
            Ok(_) => {}
            // Someone is reading or writing: a later pass tries again.
            Err(CompactionError::TransactionInProgress) => return Ok(None),
            Err(CompactionError::Storage(e)) => return Err(e.into()),
            Err(e) => return Err(StoreError::Io(e.to_string())),
        }
        drop(guard);
        Ok(Some((before, file_len(&self.path))))
    }
}

pub(super) fn file_len(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}
