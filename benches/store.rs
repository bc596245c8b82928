//! Store benchmarks: plain timing loops that print their figures.
//! Run: `cargo bench --bench store` (release). The file goes to the system temp directory.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kubelite::store::redb::RedbStore;
use kubelite::store::{
    Compare, CompareResult, CompareTarget, RangeRequest, RequestOp, Store, TxnRequest,
};

const SINGLE_PUTS: usize = 10_000;
const BATCHED_PUTS: usize = 100_000;
const BATCH: usize = 1_000;

/// A Kubernetes-style create: put only if the key does not exist yet.
fn create(key: &str, value: &[u8]) -> TxnRequest {
    TxnRequest {
        compare: vec![Compare {
            key: key.as_bytes().to_vec(),
            range_end: Vec::new(),
            target: CompareTarget::Create(0),
            result: CompareResult::Equal,
        }],
        success: vec![RequestOp::Put {
            key: key.as_bytes().to_vec(),
            value: value.to_vec(),
            prev_kv: false,
            lease: 0,
        }],
        failure: Vec::new(),
    }
}

fn report(what: &str, n: usize, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    println!(
        "{what:<58} {n:>7} ops  {:>9.1} ms  {:>10.0} ops/s  {:>8.1} us/op",
        secs * 1e3,
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
}

fn fresh_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubelite-store-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn main() {
    // A pod-sized value, so the figures reflect real objects rather than empty keys.
    let value = vec![b'x'; 1024];
    let lock_wait = Duration::from_secs(1);

    let path = fresh_file("single.redb");
    let store = RedbStore::open(&path, lock_wait).expect("open");
    let started = Instant::now();
    for i in 0..SINGLE_PUTS {
        let resp = store
            .txn(&create(&format!("/registry/pods/default/p{i:06}"), &value))
            .expect("txn");
        assert!(resp.succeeded);
    }
    report(
        "single-key create txns, one durable commit each",
        SINGLE_PUTS,
        started.elapsed(),
    );
    drop(store);

    let path = fresh_file("batched.redb");
    let store = RedbStore::open(&path, lock_wait).expect("open");
    let started = Instant::now();
    let mut next = 0;
    while next < BATCHED_PUTS {
        let reqs: Vec<TxnRequest> = (next..(next + BATCH).min(BATCHED_PUTS))
            .map(|i| create(&format!("/registry/pods/default/p{i:06}"), &value))
            .collect();
        next += reqs.len();
        store.txn_batch(&reqs).expect("txn_batch");
    }
    report(
        &format!("create txns via txn_batch, {BATCH} per durable commit"),
        BATCHED_PUTS,
        started.elapsed(),
    );
    let file_mib = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
    println!("  file size after {BATCHED_PUTS} keys of 1 KiB: {file_mib:.0} MiB");

    let mut req = RangeRequest::prefix(b"/registry/pods/");
    req.keys_only = true;
    for round in 0..3 {
        let started = Instant::now();
        let resp = store.range(&req).expect("range");
        assert_eq!(resp.kvs.len(), BATCHED_PUTS);
        report(
            &format!("range prefix, keys_only, 100,000 keys (run {})", round + 1),
            1,
            started.elapsed(),
        );
    }
    let started = Instant::now();
    let resp = store
        .range(&RangeRequest::prefix(b"/registry/pods/"))
        .expect("range");
    assert_eq!(resp.kvs.len(), BATCHED_PUTS);
    report(
        "range prefix with values, 100,000 keys",
        1,
        started.elapsed(),
    );

    let started = Instant::now();
    let mut limited = RangeRequest::prefix(b"/registry/pods/");
    limited.limit = 500;
    let resp = store.range(&limited).expect("range");
    assert!(resp.more && resp.count == BATCHED_PUTS as i64);
    report(
        "range prefix, limit 500 of 100,000 (count all)",
        1,
        started.elapsed(),
    );

    let started = Instant::now();
    for i in (0..BATCHED_PUTS).step_by(10) {
        let key = format!("/registry/pods/default/p{i:06}");
        let resp = store
            .range(&RangeRequest::single(key.as_bytes()))
            .expect("get");
        assert_eq!(resp.kvs.len(), 1);
    }
    report(
        "single-key get in a 100,000-key store",
        BATCHED_PUTS / 10,
        started.elapsed(),
    );

    let now = store.current_revision().expect("revision");
    let started = Instant::now();
    let events = store
        .events_since(b"/registry/pods/", b"/registry/pods0", now - 999, true)
        .expect("events");
    assert_eq!(events.len(), 1000);
    report(
        "events_since, last 1,000 revisions, prev_kv",
        1,
        started.elapsed(),
    );

    let started = Instant::now();
    store.compact(now - 1000).expect("compact");
    report(
        "compact below the last 1,000 revisions",
        1,
        started.elapsed(),
    );
    drop(store);

    let started = Instant::now();
    let store = RedbStore::open(&path, lock_wait).expect("reopen");
    report("reopen the 100,000-key store", 1, started.elapsed());
    drop(store);

    leases(&value, lock_wait);
    let _ = std::fs::remove_dir_all(path.parent().expect("bench dir"));
}

/// Lease expiry: 60 leases of 1,000 keys each (a minute of Events apiece, as the API server
/// reuses a lease for a minute); a pass with nothing due must cost a lookup, and a pass that
/// expires one lease must cost that lease's keys, not all 60,000.
fn leases(value: &[u8], lock_wait: Duration) {
    const T0: i64 = 1_800_000_000;
    let path = fresh_file("leases.redb");
    let store = RedbStore::open(&path, lock_wait).expect("open");
    for minute in 0..60 {
        let lease = store
            .lease_grant(0, 3600 + minute * 60, T0)
            .expect("grant")
            .id;
        let txns: Vec<TxnRequest> = (0..1000)
            .map(|i| {
                let mut txn = create(&format!("/registry/events/m{minute:02}/{i:04}"), value);
                if let Some(RequestOp::Put { lease: l, .. }) = txn.success.first_mut() {
                    *l = lease;
                }
                txn
            })
            .collect();
        store.txn_batch(&txns).expect("leased batch");
    }
    let started = Instant::now();
    for _ in 0..1000 {
        store.expire_leases(T0, 20_000).expect("expire");
    }
    report(
        "expiry pass with nothing due, 60,000 leased keys",
        1000,
        started.elapsed(),
    );
    let started = Instant::now();
    let expired = store.expire_leases(T0 + 3600, 20_000).expect("expire");
    assert_eq!(expired.keys, 1000);
    report(
        "expiry pass revoking 1 lease of 1,000 keys (of 60,000)",
        1,
        started.elapsed(),
    );
    let started = Instant::now();
    let expired = store.expire_leases(T0 + 7200, 20_000).expect("expire");
    assert_eq!(expired.keys, 20_000);
    report(
        "expiry pass at its budget: 20,000 keys of 20 leases",
        1,
        started.elapsed(),
    );
    drop(store);
}
