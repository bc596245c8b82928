//! The global revision and the per-key revisions, as etcd v3 keeps them.

use crate::common::{TempDir, get, open};
use kubelite::store::{RequestOp, Store, TxnRequest};

#[test]
fn empty_store_is_at_revision_one_and_first_put_yields_two() {
    let dir = TempDir::new();
    let store = open(&dir);
    assert_eq!(store.current_revision().unwrap(), 1);
    assert_eq!(store.compacted_revision().unwrap(), 0);
    let resp = store.put(b"a", b"1", false).unwrap();
    assert_eq!(resp.header.revision, 2);
    assert_eq!(store.current_revision().unwrap(), 2);
}

#[test]
fn every_put_increments_the_revision() {
    let dir = TempDir::new();
    let store = open(&dir);
    for i in 0..5i64 {
        let resp = store.put(format!("k{i}").as_bytes(), b"v", false).unwrap();
        assert_eq!(resp.header.revision, 2 + i);
    }
}

#[test]
fn version_counts_puts_and_create_revision_stays() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"a", b"1", false).unwrap(); // rev 2
    store.put(b"b", b"x", false).unwrap(); // rev 3
    store.put(b"a", b"2", false).unwrap(); // rev 4
    store.put(b"a", b"3", false).unwrap(); // rev 5
    let kv = get(&store, b"a").unwrap();
    assert_eq!(kv.value, b"3");
    assert_eq!(kv.create_revision, 2);
    assert_eq!(kv.mod_revision, 5);
    assert_eq!(kv.version, 3);
    assert_eq!(kv.lease, 0);
}

#[test]
fn delete_resets_version_and_recreation_gets_new_create_revision() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"a", b"1", false).unwrap(); // 2
    store.put(b"a", b"2", false).unwrap(); // 3
    let del = store.delete_range(b"a", b"", true).unwrap(); // 4
    assert_eq!(del.header.revision, 4);
    assert_eq!(del.deleted, 1);
    assert_eq!(del.prev_kvs.len(), 1);
    assert_eq!(del.prev_kvs[0].value, b"2");
    assert_eq!(del.prev_kvs[0].version, 2);
    assert!(get(&store, b"a").is_none());
    store.put(b"a", b"3", false).unwrap(); // 5
    let kv = get(&store, b"a").unwrap();
    assert_eq!((kv.create_revision, kv.mod_revision, kv.version), (5, 5, 1));
}

#[test]
fn delete_of_nothing_keeps_the_revision() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"a", b"1", false).unwrap();
    let del = store.delete_range(b"zzz", b"", true).unwrap();
    assert_eq!(del.deleted, 0);
    assert!(del.prev_kvs.is_empty());
    assert_eq!(del.header.revision, 2);
    assert_eq!(store.current_revision().unwrap(), 2);
    let del = store.delete_range(b"x", b"y", false).unwrap();
    assert_eq!(del.header.revision, 2);
}

#[test]
fn delete_range_deletes_every_key_at_one_revision() {
    let dir = TempDir::new();
    let store = open(&dir);
    for k in ["a/1", "a/2", "a/3", "b"] {
        store.put(k.as_bytes(), b"v", false).unwrap();
    }
    // Without prev_kv the deleted keys are not returned.
    let del = store.delete_range(b"a/", b"a0", false).unwrap();
    assert_eq!(del.deleted, 3);
    assert!(del.prev_kvs.is_empty());
    assert_eq!(del.header.revision, 6);
    assert!(get(&store, b"a/2").is_none());
    assert!(get(&store, b"b").is_some());
    // range_end [0]: every key >= key.
    let del = store.delete_range(b"a", &[0], false).unwrap();
    assert_eq!(del.deleted, 1);
    assert_eq!(del.header.revision, 7);
}

#[test]
fn put_prev_kv_returns_the_previous_version_only_when_asked() {
    let dir = TempDir::new();
    let store = open(&dir);
    let first = store.put(b"a", b"1", true).unwrap();
    assert!(first.prev_kv.is_none());
    let second = store.put(b"a", b"2", true).unwrap();
    let prev = second.prev_kv.unwrap();
    assert_eq!(
        (prev.value.as_slice(), prev.mod_revision, prev.version),
        (&b"1"[..], 2, 1)
    );
    let third = store.put(b"a", b"3", false).unwrap();
    assert!(third.prev_kv.is_none());
}

#[test]
fn txn_with_writes_increments_once_and_read_only_txn_not_at_all() {
    let dir = TempDir::new();
    let store = open(&dir);
    let txn = TxnRequest {
        compare: vec![],
        success: vec![
            RequestOp::Put {
                key: b"a".to_vec(),
                value: b"1".to_vec(),
                prev_kv: false,
                lease: 0,
            },
            RequestOp::Put {
                key: b"b".to_vec(),
                value: b"2".to_vec(),
                prev_kv: false,
                lease: 0,
            },
            RequestOp::Put {
                key: b"c".to_vec(),
                value: b"3".to_vec(),
                prev_kv: false,
                lease: 0,
            },
        ],
        failure: vec![],
    };
    let resp = store.txn(&txn).unwrap();
    assert_eq!(resp.header.revision, 2);
    for k in [b"a", b"b", b"c"] {
        let kv = get(&store, k).unwrap();
        assert_eq!((kv.create_revision, kv.mod_revision), (2, 2));
    }
    let read_only = TxnRequest {
        compare: vec![],
        success: vec![RequestOp::Range(kubelite::store::RangeRequest::single(
            b"a",
        ))],
        failure: vec![],
    };
    let resp = store.txn(&read_only).unwrap();
    assert_eq!(resp.header.revision, 2);
    assert_eq!(store.current_revision().unwrap(), 2);
    // A txn whose only write is a delete of nothing does not increment either.
    let del_nothing = TxnRequest {
        compare: vec![],
        success: vec![RequestOp::Delete {
            key: b"zz".to_vec(),
            range_end: vec![],
            prev_kv: false,
        }],
        failure: vec![],
    };
    assert_eq!(store.txn(&del_nothing).unwrap().header.revision, 2);
}

#[test]
fn empty_key_is_rejected_like_etcd() {
    let dir = TempDir::new();
    let store = open(&dir);
    let err = store.put(b"", b"v", false).unwrap_err();
    assert_eq!(err.to_string(), "etcdserver: key is not provided");
    assert!(
        store
            .range(&kubelite::store::RangeRequest::single(b""))
            .is_err()
    );
    assert!(store.delete_range(b"", b"", false).is_err());
    assert_eq!(store.current_revision().unwrap(), 1);
}

#[test]
fn concurrent_writers_get_distinct_revisions() {
    let dir = TempDir::new();
    let store = std::sync::Arc::new(open(&dir));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                (0..25)
                    .map(|i| {
                        let key = format!("t{t}/{i}");
                        store
                            .put(key.as_bytes(), b"v", false)
                            .unwrap()
                            .header
                            .revision
                    })
                    .collect::<Vec<i64>>()
            })
        })
        .collect();
    let mut revisions: Vec<i64> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    revisions.sort();
    assert_eq!(revisions, (2..102).collect::<Vec<i64>>());
    assert_eq!(store.current_revision().unwrap(), 101);
}
