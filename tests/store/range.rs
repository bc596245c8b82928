//! Range reads: key-range rules, limit, count, keys-only, count-only, sorting, revisions.

use crate::common::{TempDir, get_at, keys, open};
use kubelite::store::redb::RedbStore;
use kubelite::store::{RangeRequest, SortOrder, SortTarget, Store, StoreError, prefix_range_end};

/// Keys a, b/1, b/2, b/3, c with puts in that order (revisions 2..=6), then b/2 again (7).
fn fixture(dir: &TempDir) -> RedbStore {
    let store = open(dir);
    for (k, v) in [
        ("a", "5"),
        ("b/1", "3"),
        ("b/2", "1"),
        ("b/3", "4"),
        ("c", "2"),
    ] {
        store.put(k.as_bytes(), v.as_bytes(), false).unwrap();
    }
    store.put(b"b/2", b"9", false).unwrap();
    store
}

fn req(key: &str, end: &[u8]) -> RangeRequest {
    RangeRequest {
        key: key.as_bytes().to_vec(),
        range_end: end.to_vec(),
        ..Default::default()
    }
}

#[test]
fn range_end_rules_follow_etcd() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    let single = store.range(&req("b/1", b"")).unwrap();
    assert_eq!(keys(&single.kvs), ["b/1"]);
    let from = store.range(&req("b/2", &[0])).unwrap();
    assert_eq!(keys(&from.kvs), ["b/2", "b/3", "c"]);
    let half_open = store.range(&req("b/1", b"b/3")).unwrap();
    assert_eq!(keys(&half_open.kvs), ["b/1", "b/2"]);
    let all = store.range(&req("\0", &[0])).unwrap();
    assert_eq!(all.count, 5);
    let reversed = store.range(&req("c", b"a")).unwrap();
    assert!(reversed.kvs.is_empty());
    assert_eq!(reversed.count, 0);
    let missing = store.range(&req("zzz", b"")).unwrap();
    assert!(missing.kvs.is_empty());
    assert_eq!(missing.header.revision, 7);
}

#[test]
fn prefix_range_end_matches_etcd() {
    assert_eq!(prefix_range_end(b"abc"), b"abd");
    assert_eq!(prefix_range_end(b"a\xff"), b"b");
    assert_eq!(prefix_range_end(b"\xff\xff"), [0]);
    assert_eq!(prefix_range_end(b"/registry/pods/"), b"/registry/pods0");
    let dir = TempDir::new();
    let store = fixture(&dir);
    let resp = store.range(&RangeRequest::prefix(b"b/")).unwrap();
    assert_eq!(keys(&resp.kvs), ["b/1", "b/2", "b/3"]);
}

#[test]
fn limit_sets_more_and_count_is_total() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    let mut r = RangeRequest::prefix(b"b/");
    r.limit = 2;
    let resp = store.range(&r).unwrap();
    assert_eq!(keys(&resp.kvs), ["b/1", "b/2"]);
    assert!(resp.more);
    assert_eq!(resp.count, 3);
    r.limit = 3;
    let resp = store.range(&r).unwrap();
    assert_eq!(resp.kvs.len(), 3);
    assert!(!resp.more);
    r.limit = 10;
    assert!(!store.range(&r).unwrap().more);
}

#[test]
fn count_only_and_keys_only() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    let mut r = RangeRequest::prefix(b"b/");
    r.count_only = true;
    r.limit = 1;
    let resp = store.range(&r).unwrap();
    assert!(resp.kvs.is_empty());
    assert_eq!(resp.count, 3);
    assert!(!resp.more);
    let mut r = RangeRequest::prefix(b"b/");
    r.keys_only = true;
    let resp = store.range(&r).unwrap();
    assert_eq!(keys(&resp.kvs), ["b/1", "b/2", "b/3"]);
    assert!(resp.kvs.iter().all(|kv| kv.value.is_empty()));
    assert_eq!(resp.kvs[1].version, 2);
    assert_eq!(resp.kvs[1].mod_revision, 7);
}

fn sorted(store: &RedbStore, order: SortOrder, target: SortTarget, limit: i64) -> Vec<String> {
    let r = RangeRequest {
        sort_order: order,
        sort_target: target,
        limit,
        ..req("\0", &[0])
    };
    keys(&store.range(&r).unwrap().kvs)
}

#[test]
fn sorting_follows_etcd() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    use SortOrder::*;
    use SortTarget::*;
    assert_eq!(
        sorted(&store, None, Key, 0),
        ["a", "b/1", "b/2", "b/3", "c"]
    );
    assert_eq!(
        sorted(&store, Descend, Key, 0),
        ["c", "b/3", "b/2", "b/1", "a"]
    );
    // Descending with a limit takes the top of the sorted list.
    assert_eq!(sorted(&store, Descend, Key, 2), ["c", "b/3"]);
    // Values: a=5 b/1=3 b/2=9 b/3=4 c=2.
    assert_eq!(
        sorted(&store, Ascend, Value, 0),
        ["c", "b/1", "b/3", "a", "b/2"]
    );
    // A non-key target with no order sorts ascending, as etcd does.
    assert_eq!(
        sorted(&store, None, Value, 0),
        ["c", "b/1", "b/3", "a", "b/2"]
    );
    assert_eq!(sorted(&store, None, Mod, 2), ["a", "b/1"]);
    // With no order and a limit, etcd sorts only the first limit + 1 keys (a, b/1, b/2),
    // so c (the smallest value) is not in the page; an explicit order sorts everything.
    assert_eq!(sorted(&store, None, Value, 2), ["b/1", "a"]);
    assert_eq!(sorted(&store, Ascend, Value, 2), ["c", "b/1"]);
    assert_eq!(sorted(&store, Descend, Mod, 1), ["b/2"]);
    assert_eq!(
        sorted(&store, Descend, Create, 0),
        ["c", "b/3", "b/2", "b/1", "a"]
    );
    // Ties keep ascending key order, also descending (etcd's sort of small lists).
    assert_eq!(
        sorted(&store, Descend, Version, 0),
        ["b/2", "a", "b/1", "b/3", "c"]
    );
    assert_eq!(
        sorted(&store, Ascend, Version, 0),
        ["a", "b/1", "b/3", "c", "b/2"]
    );
}

#[test]
fn keys_only_sorted_by_value_still_sorts_by_the_values() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    let r = RangeRequest {
        keys_only: true,
        sort_order: SortOrder::Descend,
        sort_target: SortTarget::Value,
        ..req("\0", &[0])
    };
    let resp = store.range(&r).unwrap();
    assert_eq!(keys(&resp.kvs), ["b/2", "a", "b/3", "b/1", "c"]);
    assert!(resp.kvs.iter().all(|kv| kv.value.is_empty()));
}

#[test]
fn range_at_past_revision_sees_the_state_then() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"k", b"v1", false).unwrap(); // 2
    store.put(b"other", b"x", false).unwrap(); // 3
    store.put(b"k", b"v2", false).unwrap(); // 4
    store.delete_range(b"k", b"", false).unwrap(); // 5
    store.put(b"k", b"v3", false).unwrap(); // 6
    assert!(get_at(&store, b"k", 1).is_none());
    let at2 = get_at(&store, b"k", 2).unwrap();
    assert_eq!((at2.value.as_slice(), at2.version), (&b"v1"[..], 1));
    assert_eq!(get_at(&store, b"k", 3).unwrap().value, b"v1");
    let at4 = get_at(&store, b"k", 4).unwrap();
    assert_eq!(
        (at4.value.as_slice(), at4.version, at4.create_revision),
        (&b"v2"[..], 2, 2)
    );
    assert!(get_at(&store, b"k", 5).is_none());
    let at6 = get_at(&store, b"k", 6).unwrap();
    assert_eq!((at6.version, at6.create_revision), (1, 6));
    // Multi-key ranges at a past revision, with count and limit.
    let mut r = req("\0", &[0]);
    r.revision = 5;
    let resp = store.range(&r).unwrap();
    assert_eq!(keys(&resp.kvs), ["other"]);
    assert_eq!(resp.header.revision, 6);
    r.revision = 4;
    r.limit = 1;
    let resp = store.range(&r).unwrap();
    assert_eq!(keys(&resp.kvs), ["k"]);
    assert_eq!(resp.count, 2);
    assert!(resp.more);
}

#[test]
fn a_limited_range_at_a_past_revision_counts_the_keys_past_the_limit() {
    let dir = TempDir::new();
    let store = open(&dir);
    store.put(b"a", b"1", false).unwrap(); // 2
    store.put(b"b", b"1", false).unwrap(); // 3: live, its history entry a stub
    store.put(b"c", b"1", false).unwrap(); // 4
    store.put(b"d", b"1", false).unwrap(); // 5
    store.put(b"d", b"2", false).unwrap(); // 6: d's entry at 5 is a full record now
    store.delete_range(b"c", b"", false).unwrap(); // 7: a tombstone
    store.put(b"e", b"1", false).unwrap(); // 8: 7 is in the past
    let mut r = req("a", b"z");
    r.revision = 7;
    r.limit = 1;
    let resp = store.range(&r).unwrap();
    assert_eq!(keys(&resp.kvs), ["a"]);
    assert_eq!(resp.count, 3, "a, b and d; c deleted, e not yet there");
    assert!(resp.more);
    r.revision = 5;
    let resp = store.range(&r).unwrap();
    assert_eq!(resp.count, 4);
}

/// `uncounted` (a list page that knows its remaining count): the read stops past the limit,
/// now and at a past revision, still telling that more keys follow.
#[test]
fn an_uncounted_limited_range_stops_at_the_limit() {
    let dir = TempDir::new();
    let store = open(&dir);
    for k in ["a", "b", "c", "d", "e"] {
        store.put(k.as_bytes(), b"1", false).unwrap(); // 2..=6
    }
    store.delete_range(b"b", b"", false).unwrap(); // 7
    for revision in [0, 6, 7] {
        let mut r = req("a", b"z");
        r.revision = revision;
        r.limit = 2;
        r.uncounted = true;
        let resp = store.range(&r).unwrap();
        let want: &[&str] = if revision == 6 {
            &["a", "b"]
        } else {
            &["a", "c"]
        };
        assert_eq!(keys(&resp.kvs), want, "at {revision}");
        assert!(resp.more, "at {revision}");
        assert_eq!(
            resp.count, 3,
            "read up to the limit and one more, at {revision}"
        );
        r.uncounted = false;
        let counted = store.range(&r).unwrap();
        assert_eq!(keys(&counted.kvs), want);
        assert_eq!(counted.count, if revision == 6 { 5 } else { 4 });
    }
}

#[test]
fn future_revision_is_an_error_with_etcds_message() {
    let dir = TempDir::new();
    let store = fixture(&dir);
    let mut r = req("a", b"");
    r.revision = 8;
    let err = store.range(&r).unwrap_err();
    assert_eq!(err, StoreError::FutureRevision);
    assert_eq!(
        err.to_string(),
        "mvcc: required revision is a future revision"
    );
    r.revision = 7;
    assert_eq!(store.range(&r).unwrap().kvs.len(), 1);
}
