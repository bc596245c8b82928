//! Transactions: compares (single key and ranges), branches, read-your-writes, headers,
//! request checks, and group commit.

use crate::common::{TempDir, get, keys, open};
use kubelite::store::{
    Compare, CompareResult, CompareTarget, RangeRequest, RequestOp, ResponseOp, Store, StoreError,
    TxnRequest,
};

fn put(key: &str, value: &str) -> RequestOp {
    RequestOp::Put {
        key: key.as_bytes().to_vec(),
        value: value.as_bytes().to_vec(),
        prev_kv: true,
        lease: 0,
    }
}

fn cmp(key: &str, end: &[u8], target: CompareTarget, result: CompareResult) -> Compare {
    Compare {
        key: key.as_bytes().to_vec(),
        range_end: end.to_vec(),
        target,
        result,
    }
}

fn when(compare: Vec<Compare>) -> TxnRequest {
    TxnRequest {
        compare,
        success: vec![put("ok", "yes")],
        failure: vec![put("ok", "no")],
    }
}

#[test]
fn create_if_absent_and_optimistic_update() {
    let dir = TempDir::new();
    let store = open(&dir);
    let create = TxnRequest {
        compare: vec![cmp(
            "p",
            b"",
            CompareTarget::Create(0),
            CompareResult::Equal,
        )],
        success: vec![put("p", "1")],
        failure: vec![RequestOp::Range(RangeRequest::single(b"p"))],
    };
    let first = store.txn(&create).unwrap();
    assert!(first.succeeded);
    assert_eq!(first.header.revision, 2);
    let second = store.txn(&create).unwrap();
    assert!(!second.succeeded);
    assert_eq!(second.header.revision, 2);
    match &second.responses[0] {
        ResponseOp::Range(r) => assert_eq!(r.kvs[0].value, b"1"),
        other => panic!("expected a range response, got {other:?}"),
    }
    // Update guarded by mod_revision (Kubernetes' resourceVersion).
    let update = |rev: i64, v: &str| TxnRequest {
        compare: vec![cmp("p", b"", CompareTarget::Mod(rev), CompareResult::Equal)],
        success: vec![put("p", v)],
        failure: vec![],
    };
    assert!(!store.txn(&update(1, "stale")).unwrap().succeeded);
    assert!(store.txn(&update(2, "2")).unwrap().succeeded);
    assert!(!store.txn(&update(2, "3")).unwrap().succeeded);
    assert_eq!(get(&store, b"p").unwrap().value, b"2");
}

#[test]
fn compare_operators_on_every_target() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"k", b"m", false).unwrap(); // rev 2, version 1
    store.put(b"k", b"m", false).unwrap(); // rev 3, version 2
    use CompareResult::*;
    use CompareTarget::*;
    let cases = [
        (Version(2), Equal, true),
        (Version(1), Greater, true),
        (Version(3), Less, true),
        (Version(2), NotEqual, false),
        (Create(2), Equal, true),
        (Mod(3), Equal, true),
        (Mod(2), Greater, true),
        (Value(b"m".to_vec()), Equal, true),
        (Value(b"a".to_vec()), Greater, true),
        (Value(b"z".to_vec()), Less, true),
        (Value(b"m".to_vec()), NotEqual, false),
        (Lease(0), Equal, true),
    ];
    for (target, result, expected) in cases {
        let resp = store
            .txn(&when(vec![cmp("k", b"", target.clone(), result)]))
            .unwrap();
        assert_eq!(resp.succeeded, expected, "{target:?} {result:?}");
    }
}

#[test]
fn missing_key_compares_as_zero_but_never_by_value() {
    let dir = TempDir::new();
    let store = open(&dir);
    use CompareResult::*;
    use CompareTarget::*;
    assert!(
        store
            .txn(&when(vec![cmp("nope", b"", Version(0), Equal)]))
            .unwrap()
            .succeeded
    );
    assert!(
        store
            .txn(&when(vec![cmp("nope", b"", Mod(0), Equal)]))
            .unwrap()
            .succeeded
    );
    assert!(
        !store
            .txn(&when(vec![cmp("nope", b"", Value(vec![]), Equal)]))
            .unwrap()
            .succeeded
    );
    assert!(
        !store
            .txn(&when(vec![cmp("nope", b"", Value(vec![]), NotEqual)]))
            .unwrap()
            .succeeded
    );
}

#[test]
fn compare_with_range_end_applies_to_every_key() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"r/1", b"x", false).unwrap(); // 2
    store.put(b"r/2", b"x", false).unwrap(); // 3
    store.put(b"s", b"x", false).unwrap(); // 4
    use CompareResult::*;
    use CompareTarget::*;
    assert!(
        store
            .txn(&when(vec![cmp("r/", b"r0", Mod(4), Less)]))
            .unwrap()
            .succeeded
    );
    assert!(
        !store
            .txn(&when(vec![cmp("r/", b"r0", Mod(3), Less)]))
            .unwrap()
            .succeeded
    );
    assert!(
        store
            .txn(&when(vec![cmp("r/", b"r0", Value(b"x".to_vec()), Equal)]))
            .unwrap()
            .succeeded
    );
    store.put(b"r/2", b"y", false).unwrap();
    assert!(
        !store
            .txn(&when(vec![cmp("r/", b"r0", Value(b"x".to_vec()), Equal)]))
            .unwrap()
            .succeeded
    );
    // All compares must hold.
    let both = vec![
        cmp("s", b"", Version(1), Equal),
        cmp("r/1", b"", Version(2), Equal),
    ];
    assert!(!store.txn(&when(both)).unwrap().succeeded);
}

#[test]
fn ops_see_earlier_writes_and_nested_headers_follow_the_writes() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"a", b"1", false).unwrap(); // 2
    store.put(b"b", b"2", false).unwrap(); // 3
    let txn = TxnRequest {
        compare: vec![],
        success: vec![
            RequestOp::Range(RangeRequest::single(b"a")),
            put("c", "5"),
            RequestOp::Range(RangeRequest::single(b"c")),
            RequestOp::Delete {
                key: b"b".to_vec(),
                range_end: vec![],
                prev_kv: true,
            },
            RequestOp::Range(RangeRequest::prefix(b"")),
            // A range at the revision before the txn does not see its writes.
            RequestOp::Range(RangeRequest {
                revision: 3,
                ..RangeRequest::single(b"c")
            }),
        ],
        failure: vec![],
    };
    let resp = store.txn(&txn).unwrap();
    assert_eq!(resp.header.revision, 4);
    assert_eq!(resp.responses.len(), 6);
    let mut ranges = Vec::new();
    for (i, r) in resp.responses.iter().enumerate() {
        match r {
            ResponseOp::Range(r) => {
                // The first range ran before the txn wrote anything.
                assert_eq!(r.header.revision, if i == 0 { 3 } else { 4 }, "op {i}");
                ranges.push(r.clone());
            }
            ResponseOp::Put(p) => {
                assert_eq!(p.header.revision, 4);
                assert!(p.prev_kv.is_none());
            }
            ResponseOp::Delete(d) => {
                assert_eq!(d.header.revision, 4);
                assert_eq!(d.deleted, 1);
                assert_eq!(d.prev_kvs[0].value, b"2");
            }
        }
    }
    assert_eq!(ranges[0].kvs[0].value, b"1");
    assert_eq!(ranges[1].kvs[0].mod_revision, 4);
    assert_eq!(keys(&ranges[2].kvs), ["a", "c"]);
    assert!(ranges[3].kvs.is_empty());
    assert!(get(&store, b"b").is_none());
}

#[test]
fn duplicate_keys_in_a_branch_are_rejected_without_effect() {
    let dir = TempDir::new();
    let store = open(&dir);
    let twice = TxnRequest {
        compare: vec![],
        success: vec![put("a", "1"), put("a", "2")],
        failure: vec![],
    };
    let err = store.txn(&twice).unwrap_err();
    assert_eq!(err, StoreError::DuplicateKey);
    assert_eq!(
        err.to_string(),
        "etcdserver: duplicate key given in txn request"
    );
    let put_and_delete = TxnRequest {
        compare: vec![],
        success: vec![],
        failure: vec![
            put("a/x", "1"),
            RequestOp::Delete {
                key: b"a/".to_vec(),
                range_end: b"a0".to_vec(),
                prev_kv: false,
            },
        ],
    };
    assert_eq!(
        store.txn(&put_and_delete).unwrap_err(),
        StoreError::DuplicateKey
    );
    // The same key in the two branches is fine.
    let branches = TxnRequest {
        compare: vec![],
        success: vec![put("a", "1")],
        failure: vec![put("a", "2")],
    };
    assert!(store.txn(&branches).is_ok());
    assert_eq!(store.current_revision().unwrap(), 2);
}

#[test]
fn a_failing_op_aborts_the_whole_txn() {
    let dir = TempDir::new();
    let store = open(&dir);
    let txn = TxnRequest {
        compare: vec![],
        success: vec![
            put("a", "1"),
            RequestOp::Range(RangeRequest {
                revision: 50,
                ..RangeRequest::single(b"a")
            }),
        ],
        failure: vec![],
    };
    assert_eq!(store.txn(&txn).unwrap_err(), StoreError::FutureRevision);
    assert!(get(&store, b"a").is_none());
    assert_eq!(store.current_revision().unwrap(), 1);
}

#[test]
fn txn_batch_gives_each_txn_its_own_revision() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"taken", b"0", false).unwrap(); // 2
    let create = |k: &str| TxnRequest {
        compare: vec![cmp(k, b"", CompareTarget::Create(0), CompareResult::Equal)],
        success: vec![put(k, "v")],
        failure: vec![RequestOp::Range(RangeRequest::single(k.as_bytes()))],
    };
    let batch = vec![create("x"), create("taken"), create("y"), create("x")];
    let resps = store.txn_batch(&batch).unwrap();
    let got: Vec<(bool, i64)> = resps
        .iter()
        .map(|r| (r.succeeded, r.header.revision))
        .collect();
    assert_eq!(got, [(true, 3), (false, 3), (true, 4), (false, 4)]);
    assert_eq!(get(&store, b"x").unwrap().mod_revision, 3);
    assert_eq!(get(&store, b"y").unwrap().mod_revision, 4);
    assert_eq!(store.current_revision().unwrap(), 4);
    assert!(store.txn_batch(&[]).unwrap().is_empty());
}

#[test]
fn txn_batch_with_a_bad_request_writes_nothing() {
    let dir = TempDir::new();
    let store = open(&dir);
    let good = TxnRequest {
        compare: vec![],
        success: vec![put("g", "1")],
        failure: vec![],
    };
    let bad = TxnRequest {
        compare: vec![],
        success: vec![put("", "1")],
        failure: vec![],
    };
    assert_eq!(
        store.txn_batch(&[good, bad]).unwrap_err(),
        StoreError::EmptyKey
    );
    assert!(get(&store, b"g").is_none());
    assert_eq!(store.current_revision().unwrap(), 1);
}

#[test]
fn delete_to_the_end_then_put_of_the_same_key_is_allowed_as_in_etcd() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"k/0", b"old", false).unwrap(); // 2
    store.put(b"k/1", b"x", false).unwrap(); // 3
    // etcd's duplicate check reads range_end [0] literally, so this passes it.
    let txn = TxnRequest {
        compare: vec![],
        success: vec![
            RequestOp::Delete {
                key: b"k/0".to_vec(),
                range_end: vec![0],
                prev_kv: true,
            },
            put("k/0", "new"),
        ],
        failure: vec![],
    };
    let resp = store.txn(&txn).unwrap();
    assert_eq!(resp.header.revision, 4);
    match &resp.responses[1] {
        ResponseOp::Put(p) => assert!(p.prev_kv.is_none(), "the delete came first"),
        other => panic!("expected a put response, got {other:?}"),
    }
    let kv = get(&store, b"k/0").unwrap();
    assert_eq!(
        (kv.value.as_slice(), kv.create_revision, kv.version),
        (&b"new"[..], 4, 1)
    );
    assert!(get(&store, b"k/1").is_none());
    // The log has both writes of k/0 at revision 4, delete first; both report the
    // previous revision's value as prev_kv, as etcd's watch does.
    let events = store.events_since(b"k/0", b"", 4, true).unwrap();
    let kinds: Vec<_> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            kubelite::store::EventKind::Delete,
            kubelite::store::EventKind::Put
        ]
    );
    for e in &events {
        assert_eq!(e.prev_kv.as_ref().unwrap().value, b"old");
    }
    // Reading at revision 4 sees the final state of the txn.
    let at4 = RangeRequest {
        revision: 4,
        ..RangeRequest::prefix(b"k/")
    };
    assert_eq!(keys(&store.range(&at4).unwrap().kvs), ["k/0"]);
    // A delete whose literal interval covers the put is still a duplicate.
    let covered = TxnRequest {
        compare: vec![],
        success: vec![
            RequestOp::Delete {
                key: b"k/".to_vec(),
                range_end: b"k0".to_vec(),
                prev_kv: false,
            },
            put("k/5", "v"),
        ],
        failure: vec![],
    };
    assert_eq!(store.txn(&covered).unwrap_err(), StoreError::DuplicateKey);
}
