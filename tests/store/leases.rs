//! Leases with etcd v3 semantics on the cluster's clock: grant, attach by put, revoke and
//! expiry deleting the attached keys at one revision, durability, bounded expiry passes, and
//! giving free pages back.

use crate::common::{TempDir, get, open};
use kubelite::store::{EventKind, RequestOp, Store, StoreError, TxnRequest};

const T0: i64 = 1_800_000_000;

fn put_leased(store: &dyn Store, key: &str, lease: i64) -> Result<i64, StoreError> {
    let resp = store.txn(&TxnRequest {
        compare: vec![],
        success: vec![RequestOp::Put {
            key: key.as_bytes().to_vec(),
            value: b"v".to_vec(),
            prev_kv: false,
            lease,
        }],
        failure: vec![],
    })?;
    Ok(resp.header.revision)
}

#[test]
fn keys_expire_with_their_lease_at_one_revision_and_not_before() {
    let dir = TempDir::new();
    let store = open(&dir);
    let grant = store.lease_grant(0, 60, T0).unwrap();
    assert_eq!(grant.ttl, 60);
    put_leased(&store, "/e/a", grant.id).unwrap();
    put_leased(&store, "/e/b", grant.id).unwrap();
    store.put(b"/keep", b"x", false).unwrap();
    assert_eq!(get(&store, b"/e/a").unwrap().lease, grant.id);
    let before = store.current_revision().unwrap();

    // One second before the TTL ends: nothing happens, nothing is written.
    let none = store.expire_leases(T0 + 59, 100).unwrap();
    assert_eq!((none.leases, none.keys, none.more), (0, 0, false));
    assert_eq!(store.current_revision().unwrap(), before);
    assert!(get(&store, b"/e/a").is_some());
    let status = store.lease_time_to_live(grant.id, true, T0 + 59).unwrap();
    assert_eq!((status.ttl, status.granted_ttl), (1, 60));
    assert_eq!(status.keys, vec![b"/e/a".to_vec(), b"/e/b".to_vec()]);

    let done = store.expire_leases(T0 + 60, 100).unwrap();
    assert_eq!((done.leases, done.keys, done.more), (1, 2, false));
    assert_eq!(store.current_revision().unwrap(), before + 1);
    assert!(get(&store, b"/e/a").is_none());
    assert!(get(&store, b"/e/b").is_none());
    assert!(get(&store, b"/keep").is_some());
    assert!(store.lease_list().unwrap().is_empty());
    assert_eq!(
        store.lease_time_to_live(grant.id, false, T0).unwrap().ttl,
        -1
    );

    // Watchers see ordinary deletes, both at the revoking revision.
    let events = store
        .events_since(b"/e/", b"/e0", before + 1, true)
        .unwrap();
    assert_eq!(events.len(), 2);
    for ev in &events {
        assert_eq!(ev.kind, EventKind::Delete);
        assert_eq!(ev.kv.mod_revision, before + 1);
        assert!(ev.prev_kv.is_some());
    }
}

#[test]
fn a_put_naming_a_missing_lease_writes_nothing() {
    let dir = TempDir::new();
    let store = open(&dir);
    let before = store.current_revision().unwrap();
    assert_eq!(
        put_leased(&store, "/a", 42).unwrap_err(),
        StoreError::LeaseNotFound
    );
    assert_eq!(store.current_revision().unwrap(), before);
    assert!(get(&store, b"/a").is_none());
    assert_eq!(
        store.lease_revoke(42).unwrap_err(),
        StoreError::LeaseNotFound
    );
}

#[test]
fn a_put_without_the_lease_detaches_the_key() {
    let dir = TempDir::new();
    let store = open(&dir);
    let lease = store.lease_grant(0, 10, T0).unwrap().id;
    put_leased(&store, "/a", lease).unwrap();
    put_leased(&store, "/b", lease).unwrap();
    store.put(b"/a", b"again", false).unwrap();
    assert_eq!(get(&store, b"/a").unwrap().lease, 0);
    store.delete_range(b"/b", b"", false).unwrap();
    let status = store.lease_time_to_live(lease, true, T0).unwrap();
    assert!(status.keys.is_empty());
    // A revoke with no keys left writes no revision, as in etcd.
    let before = store.current_revision().unwrap();
    assert_eq!(store.lease_revoke(lease).unwrap().revision, before);
    assert!(get(&store, b"/a").is_some());
}

#[test]
fn leases_survive_reopen_and_expire_afterwards() {
    let dir = TempDir::new();
    let lease = {
        let store = open(&dir);
        let lease = store.lease_grant(0, 3600, T0).unwrap().id;
        put_leased(&store, "/e/x", lease).unwrap();
        lease
    };
    let store = open(&dir);
    assert_eq!(store.lease_list().unwrap(), vec![lease]);
    let status = store.lease_time_to_live(lease, true, T0 + 600).unwrap();
    assert_eq!((status.ttl, status.keys.len()), (3000, 1));
    // Ids are not given twice, also across a reopen.
    assert_ne!(store.lease_grant(0, 5, T0).unwrap().id, lease);
    assert_eq!(store.expire_leases(T0 + 3600, 10).unwrap().keys, 1);
    drop(store);
    let store = open(&dir);
    assert!(get(&store, b"/e/x").is_none());
    assert!(!store.lease_list().unwrap().contains(&lease));
}

#[test]
fn an_expiry_pass_deletes_at_most_its_budget_and_the_next_continues() {
    let dir = TempDir::new();
    let store = open(&dir);
    let early = store.lease_grant(0, 10, T0).unwrap().id;
    let late = store.lease_grant(0, 20, T0).unwrap().id;
    for i in 0..5 {
        put_leased(&store, &format!("/early/{i}"), early).unwrap();
    }
    put_leased(&store, "/late", late).unwrap();
    let first = store.expire_leases(T0 + 30, 3).unwrap();
    assert_eq!((first.leases, first.keys, first.more), (0, 3, true));
    let second = store.expire_leases(T0 + 30, 3).unwrap();
    assert_eq!((second.leases, second.keys, second.more), (2, 3, false));
    assert!(store.lease_list().unwrap().is_empty());
    assert!(get(&store, b"/late").is_none());
}

#[test]
fn the_file_gives_free_pages_back_after_compaction() {
    let dir = TempDir::new();
    let store = open(&dir);
    let value = crate::common::incompressible(64 << 10);
    for i in 0..400 {
        store
            .put(format!("/big/{i:04}").as_bytes(), &value, false)
            .unwrap();
    }
    store.put(b"/small", b"kept", false).unwrap();
    store.delete_range(b"/big/", b"/big0", false).unwrap();
    let rev = store.current_revision().unwrap();
    store.compact(rev).unwrap();
    let (before, after) = store
        .reclaim_space()
        .unwrap()
        .expect("a mostly free file is compacted");
    assert!(before >= 20 << 20, "file was {before} bytes");
    assert!(
        after * 4 < before,
        "file went from {before} to {after} bytes"
    );
    assert_eq!(std::fs::metadata(dir.file()).unwrap().len(), after);
    assert_eq!(get(&store, b"/small").unwrap().value, b"kept");
    // Nothing left to give back.
    assert_eq!(store.reclaim_space().unwrap(), None);
    drop(store);
    assert_eq!(get(&open(&dir), b"/small").unwrap().value, b"kept");
}
