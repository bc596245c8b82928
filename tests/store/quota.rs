//! The space quota and etcd's NOSPACE alarm: a write that would pass the quota raises the
//! alarm and fails, as does every write after it; reads, deletes and compaction keep
//! working; the alarm survives a restart; compaction, defragmentation and a disarm clear it.

use crate::common::{TempDir, get, open};
use kubelite::store::{
    AlarmMember, AlarmType, RangeRequest, RequestOp, Store, StoreError, TxnRequest,
};

const VALUE: usize = 64 << 10;

fn nospace() -> Vec<AlarmMember> {
    vec![AlarmMember {
        member_id: 0,
        alarm: AlarmType::NoSpace,
    }]
}

/// Puts values of `VALUE` bytes until the store refuses one (at most `max`); how many it took.
fn fill(store: &dyn Store, max: usize) -> usize {
    let value = crate::common::incompressible(VALUE);
    for i in 0..max {
        match store.put(format!("/big/{i}").as_bytes(), &value, false) {
            Ok(_) => {}
            Err(StoreError::NoSpace) => return i,
            Err(e) => panic!("put {i}: {e}"),
        }
    }
    panic!("{max} puts of {VALUE} bytes did not reach the quota");
}

#[test]
fn a_store_past_its_quota_refuses_writes_until_freed_and_disarmed() {
    let dir = TempDir::new();
    let size = std::fs::metadata(dir.file()).map(|m| m.len()).unwrap_or(0);
    {
        let store = open(&dir);
        store.put(b"/keep", b"small", false).unwrap();
        let start = std::fs::metadata(dir.file()).unwrap().len().max(size);
        store.set_quota(start + (4 << 20));
        assert!(store.alarms().unwrap().is_empty());
        let written = fill(&store, 1000);
        assert!(written > 0, "nothing fit under the quota");
        assert_eq!(store.alarms().unwrap(), nospace());

        // Every write that adds bytes now fails, however small.
        assert_eq!(store.put(b"/tiny", b"x", false), Err(StoreError::NoSpace));
        let txn = TxnRequest {
            compare: vec![],
            success: vec![RequestOp::Put {
                key: b"/tiny".to_vec(),
                value: b"x".to_vec(),
                prev_kv: false,
                lease: 0,
            }],
            failure: vec![],
        };
        assert_eq!(store.txn(&txn), Err(StoreError::NoSpace));
        assert_eq!(store.lease_grant(0, 60, 1), Err(StoreError::NoSpace));
        // Reads, deletes and compaction work: they are how space is freed.
        assert_eq!(get(&store, b"/keep").unwrap().value, b"small");
        let all = store.range(&RangeRequest::prefix(b"/big/")).unwrap();
        assert_eq!(all.count, written as i64);
        let deleted = store.delete_range(b"/big/", b"/big0", false).unwrap();
        assert_eq!(deleted.deleted, written as i64);
        let rev = store.current_revision().unwrap();
        store.compact(rev).unwrap();
        // Space is free, but the alarm stays until disarmed (etcd's rule).
        assert_eq!(store.put(b"/tiny", b"x", false), Err(StoreError::NoSpace));
    }
    // The alarm is durable: a restart (with the default quota) still refuses writes.
    let store = open(&dir);
    assert_eq!(store.alarms().unwrap(), nospace());
    assert_eq!(store.put(b"/tiny", b"x", false), Err(StoreError::NoSpace));
    let before = std::fs::metadata(dir.file()).unwrap().len();
    store.defragment().unwrap();
    let after = std::fs::metadata(dir.file()).unwrap().len();
    assert!(after < before, "defrag kept {before} bytes ({after} after)");
    assert_eq!(store.disarm_alarms().unwrap(), nospace());
    assert!(store.alarms().unwrap().is_empty());
    store.put(b"/tiny", b"x", false).unwrap();
    assert_eq!(get(&store, b"/keep").unwrap().value, b"small");
    drop(store);
    let store = open(&dir);
    assert!(store.alarms().unwrap().is_empty());
}

#[test]
fn a_disarm_while_still_over_the_quota_is_raised_again_by_the_next_write() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"/a", b"1", false).unwrap();
    store.set_quota(std::fs::metadata(dir.file()).unwrap().len() + (1 << 20));
    fill(&store, 1000);
    assert_eq!(store.disarm_alarms().unwrap(), nospace());
    assert_eq!(store.disarm_alarms().unwrap(), vec![]);
    assert_eq!(store.put(b"/b", b"x", false), Err(StoreError::NoSpace));
    assert_eq!(store.alarms().unwrap(), nospace());
    // Deleting needs no space and works under the alarm.
    assert_eq!(store.delete_range(b"/a", b"", false).unwrap().deleted, 1);
}
