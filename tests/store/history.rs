//! The change log (events_since) and compaction.

use crate::common::{TempDir, get, get_at, keys, open};
use kubelite::store::{
    Event, EventKind, RangeRequest, RequestOp, Store, StoreError, TxnRequest, prefix_range_end,
};

fn summary(events: &[Event]) -> Vec<(EventKind, String, i64)> {
    events
        .iter()
        .map(|e| {
            (
                e.kind,
                String::from_utf8_lossy(&e.kv.key).into_owned(),
                e.kv.mod_revision,
            )
        })
        .collect()
}

#[test]
fn events_since_replays_puts_and_deletes_in_order() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"p/a", b"1", false).unwrap(); // 2
    store.put(b"q", b"x", false).unwrap(); // 3
    store.put(b"p/b", b"2", false).unwrap(); // 4
    store.put(b"p/a", b"3", false).unwrap(); // 5
    store.delete_range(b"p/", b"p0", false).unwrap(); // 6: p/a then p/b
    let end = prefix_range_end(b"p/");
    let events = store.events_since(b"p/", &end, 1, false).unwrap();
    use EventKind::*;
    let want = [
        (Put, "p/a".to_string(), 2),
        (Put, "p/b".to_string(), 4),
        (Put, "p/a".to_string(), 5),
        (Delete, "p/a".to_string(), 6),
        (Delete, "p/b".to_string(), 6),
    ];
    assert_eq!(summary(&events), want);
    assert!(events.iter().all(|e| e.prev_kv.is_none()));
    // A put event carries the whole kv; a delete only key and revision.
    assert_eq!(
        (events[2].kv.value.as_slice(), events[2].kv.version),
        (&b"3"[..], 2)
    );
    assert_eq!(events[3].kv.value, b"");
    assert_eq!((events[3].kv.version, events[3].kv.create_revision), (0, 0));
    // From a later revision; a single key; everything >= key.
    assert_eq!(
        summary(&store.events_since(b"p/", &end, 5, false).unwrap()),
        want[2..]
    );
    assert_eq!(store.events_since(b"q", b"", 1, false).unwrap().len(), 1);
    assert_eq!(store.events_since(b"p/b", &[0], 1, false).unwrap().len(), 3);
    assert!(
        store
            .events_since(b"p/", &end, 7, false)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn events_carry_prev_kv_when_asked() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"k", b"1", false).unwrap(); // 2
    store.put(b"k", b"2", false).unwrap(); // 3
    store.delete_range(b"k", b"", false).unwrap(); // 4
    store.put(b"k", b"3", false).unwrap(); // 5
    let events = store.events_since(b"k", b"", 2, true).unwrap();
    let prevs: Vec<Option<Vec<u8>>> = events
        .iter()
        .map(|e| e.prev_kv.as_ref().map(|p| p.value.clone()))
        .collect();
    assert_eq!(
        prevs,
        [None, Some(b"1".to_vec()), Some(b"2".to_vec()), None]
    );
    assert_eq!(events[2].prev_kv.as_ref().unwrap().mod_revision, 3);
}

#[test]
fn txn_writes_share_a_revision_and_keep_their_order_in_events() {
    let dir = TempDir::new();
    let store = open(&dir);
    let txn = TxnRequest {
        compare: vec![],
        success: ["z", "a", "m"]
            .iter()
            .map(|k| RequestOp::Put {
                key: k.as_bytes().to_vec(),
                value: vec![],
                prev_kv: false,
                lease: 0,
            })
            .collect(),
        failure: vec![],
    };
    store.txn(&txn).unwrap();
    let events = store.events_since(b"\0", &[0], 1, false).unwrap();
    let got: Vec<(String, i64)> = summary(&events)
        .into_iter()
        .map(|(_, k, r)| (k, r))
        .collect();
    assert_eq!(got, [("z".into(), 2), ("a".into(), 2), ("m".into(), 2)]);
}

/// Revisions: a=1@2, b=1@3, a=2@4, delete b@5, c=1@6, a=3@7.
fn fixture(dir: &TempDir) -> kubelite::store::redb::RedbStore {
    let store = open(dir);
    store.put(b"a", b"1", false).unwrap();
    store.put(b"b", b"1", false).unwrap();
    store.put(b"a", b"2", false).unwrap();
    store.delete_range(b"b", b"", false).unwrap();
    store.put(b"c", b"1", false).unwrap();
    store.put(b"a", b"3", false).unwrap();
    store
}

#[test]
fn compaction_keeps_the_state_at_and_after_its_revision() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    let header = store.compact(6).unwrap();
    assert_eq!(header.revision, 7);
    assert_eq!(store.compacted_revision().unwrap(), 6);
    // At the compaction revision the state is intact.
    let all = RangeRequest {
        revision: 6,
        ..RangeRequest::prefix(b"")
    };
    let resp = store.range(&all).unwrap();
    assert_eq!(keys(&resp.kvs), ["a", "c"]);
    assert_eq!(resp.kvs[0].value, b"2");
    assert_eq!(get_at(&store, b"a", 6).unwrap().version, 2);
    assert_eq!(get_at(&store, b"a", 7).unwrap().value, b"3");
    assert_eq!(get(&store, b"a").unwrap().version, 3);
    // Below it: Compacted, with etcd's message.
    let old = RangeRequest {
        revision: 5,
        ..RangeRequest::single(b"a")
    };
    let err = store.range(&old).unwrap_err();
    assert_eq!(
        err,
        StoreError::Compacted {
            compact_revision: 6
        }
    );
    assert_eq!(
        err.to_string(),
        "mvcc: required revision has been compacted"
    );
}

#[test]
fn events_below_the_compaction_revision_are_compacted() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    store.compact(5).unwrap();
    let err = store.events_since(b"\0", &[0], 4, false).unwrap_err();
    assert_eq!(
        err,
        StoreError::Compacted {
            compact_revision: 5
        }
    );
    // etcd lets a watch start at the compaction revision itself; the delete at 5 is gone.
    let events = store.events_since(b"\0", &[0], 5, true).unwrap();
    assert_eq!(
        summary(&events),
        [
            (EventKind::Put, "c".to_string(), 6),
            (EventKind::Put, "a".to_string(), 7),
        ]
    );
    // prev_kv of a's put at 7 is its version kept at the compaction (rev 4).
    assert_eq!(events[1].prev_kv.as_ref().unwrap().mod_revision, 4);
    assert!(store.events_since(b"\0", &[0], 6, false).is_ok());
}

#[test]
fn compaction_drops_old_versions_and_tombstones_physically() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    store.compact(7).unwrap();
    // b was deleted at 5: gone at every readable revision; a keeps only its newest version.
    assert!(get_at(&store, b"b", 7).is_none());
    assert_eq!(get_at(&store, b"a", 7).unwrap().value, b"3");
    assert_eq!(store.events_since(b"\0", &[0], 7, false).unwrap().len(), 1);
    // Writes continue after compaction with history of their own.
    store.put(b"b", b"again", false).unwrap(); // 8
    let b = get(&store, b"b").unwrap();
    assert_eq!((b.create_revision, b.version), (8, 1));
    store.compact(8).unwrap();
    assert_eq!(get_at(&store, b"a", 8).unwrap().value, b"3");
    assert_eq!(get_at(&store, b"b", 8).unwrap().value, b"again");
}

#[test]
fn compaction_revision_rules_follow_etcd() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    assert_eq!(store.compact(8).unwrap_err(), StoreError::FutureRevision);
    store.compact(4).unwrap();
    assert_eq!(
        store.compact(4).unwrap_err(),
        StoreError::Compacted {
            compact_revision: 4
        }
    );
    assert_eq!(
        store.compact(3).unwrap_err(),
        StoreError::Compacted {
            compact_revision: 4
        }
    );
    store.compact(7).unwrap();
    assert_eq!(store.current_revision().unwrap(), 7);
}

#[test]
fn compaction_inside_txn_ranges_too() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    store.compact(6).unwrap();
    let txn = TxnRequest {
        compare: vec![],
        success: vec![RequestOp::Range(RangeRequest {
            revision: 3,
            ..RangeRequest::single(b"a")
        })],
        failure: vec![],
    };
    assert_eq!(
        store.txn(&txn).unwrap_err(),
        StoreError::Compacted {
            compact_revision: 6
        }
    );
}
