//! Shared test helpers: a scratch directory and a store in it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kubelite::store::redb::RedbStore;
use kubelite::store::{KeyValue, RangeRequest, Store};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "kubelite-store-test-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn file(&self) -> PathBuf {
        self.0.join("store.redb")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn open(dir: &TempDir) -> RedbStore {
    RedbStore::open(&dir.file(), Duration::from_secs(1)).expect("open store")
}

/// The key at the current revision, if it exists.
pub fn get(store: &dyn Store, key: &[u8]) -> Option<KeyValue> {
    let resp = store.range(&RangeRequest::single(key)).expect("range");
    resp.kvs.into_iter().next()
}

/// The key as of `revision`.
pub fn get_at(store: &dyn Store, key: &[u8], revision: i64) -> Option<KeyValue> {
    let req = RangeRequest {
        revision,
        ..RangeRequest::single(key)
    };
    store.range(&req).expect("range").kvs.into_iter().next()
}

pub fn keys(kvs: &[KeyValue]) -> Vec<String> {
    kvs.iter()
        .map(|kv| String::from_utf8_lossy(&kv.key).into_owned())
        .collect()
}

/// `len` bytes that do not compress (the store compresses values): a file filled with them
/// grows by what was written.
pub fn incompressible(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}
