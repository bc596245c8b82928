//! The durable store file: the file backend, except that a sync with nothing written since
//! the last one is skipped. redb's close syncs twice in a row (after the allocator state's
//! commit, then again before it marks the file closed cleanly), and each sync costs
//! milliseconds on a virtual disk; a sync that follows a sync has nothing left to make
//! durable, so skipping it keeps every guarantee.

use ::redb::StorageBackend;
use ::redb::backends::FileBackend;
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug)]
pub(super) struct DirtySync {
    file: FileBackend,
    /// Whether something may have been written since the last successful sync (true at
    /// first: what the file held before it was opened may not be on disk yet).
    dirty: AtomicBool,
}

impl DirtySync {
    pub(super) fn new(file: FileBackend) -> Self {
        DirtySync {
            file,
            dirty: AtomicBool::new(true),
        }
    }
}

impl StorageBackend for DirtySync {
    fn len(&self) -> Result<u64, std::io::Error> {
        self.file.len()
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), std::io::Error> {
        self.file.read(offset, out)
    }

    fn set_len(&self, len: u64) -> Result<(), std::io::Error> {
        // Marked before the change: a sync racing with it then runs, or leaves it to the next.
        self.dirty.store(true, Ordering::SeqCst);
        self.file.set_len(len)
    }

    fn sync_data(&self) -> Result<(), std::io::Error> {
        if !self.dirty.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let synced = self.file.sync_data();
        if synced.is_err() {
            self.dirty.store(true, Ordering::SeqCst);
        }
        synced
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), std::io::Error> {
        self.dirty.store(true, Ordering::SeqCst);
        self.file.write(offset, data)
    }

    fn close(&self) -> Result<(), std::io::Error> {
        self.file.close()
    }

    fn try_lock_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, ::redb::BackendError> {
        self.file.try_lock_range(start, end)
    }

    fn try_lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, ::redb::BackendError> {
        self.file.try_lock_shared_range(start, end)
    }

    fn lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), ::redb::BackendError> {
        self.file.lock_range(start, end)
    }

    fn lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<(), ::redb::BackendError> {
        self.file.lock_shared_range(start, end)
    }

    fn unlock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), ::redb::BackendError> {
        self.file.unlock_range(start, end)
    }

    fn query_lock_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, ::redb::BackendError> {
        self.file.query_lock_range(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend(name: &str) -> (DirtySync, std::path::PathBuf) {
        let path =
            std::env::temp_dir().join(format!("kl-dirty-sync-{}-{name}", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        (DirtySync::new(FileBackend::new(file).unwrap()), path)
    }

    #[test]
    fn syncs_only_after_a_change() {
        let (b, path) = backend("change");
        assert!(b.dirty.load(Ordering::SeqCst), "unknown at open: synced");
        b.sync_data().unwrap();
        assert!(!b.dirty.load(Ordering::SeqCst));
        b.write(0, b"x").unwrap();
        assert!(b.dirty.load(Ordering::SeqCst), "a write is synced");
        b.sync_data().unwrap();
        b.set_len(4096).unwrap();
        assert!(b.dirty.load(Ordering::SeqCst), "a length change is synced");
        b.sync_data().unwrap();
        let mut out = [0u8; 1];
        b.read(0, &mut out).unwrap();
        assert!(!b.dirty.load(Ordering::SeqCst), "a read changes nothing");
        let _ = std::fs::remove_file(path);
    }
}
