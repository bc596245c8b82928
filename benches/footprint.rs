//! Store footprint (`cargo bench --bench footprint`; `FOOTPRINT_PODS=1000,10000` to choose the
//! sizes): a Deployment of N replicas on 100 workers in a new embedded cluster, settled, then
//! the store file's bytes per pod at each stage of its life:
//! - settled: every pod Running, with its Events;
//! - compacted: two ticks of kube-apiserver's compactor later (5 minutes apart), with the
//!   file's free pages given back if most of it is free;
//! - defragmented: `etcdctl defrag` (redb's compaction, whatever the free share);
//! - events expired: past the Events' TTL (1 h), compacted and defragmented again.
//!
//! With each, where the bytes are: redb's own accounting per table (stored and fragmented
//! bytes) and the live keys and values per resource.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use kubelite::api::options::WriteOptions;
use kubelite::api::registry;
use kubelite::client::{Client, Embedded};
use kubelite::clock::Clock;
use kubelite::runtime::Settler;
use kubelite::store::redb::RedbStore;
use kubelite::store::{RangeRequest, Store};
use redb::{ReadableDatabase, ReadableTableMetadata, TableHandle};
use serde_json::json;

const WORKERS: usize = 100;

fn deployment(replicas: usize) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
            },
        },
    })
}

fn open(dir: &Path, now: DateTime<Utc>) -> Embedded {
    kubelite::embedded::open_in(dir, Clock::Fixed(now), WORKERS).expect("open")
}

/// Settles the control plane at `now` until no work is left.
fn settle(dir: &Path, now: DateTime<Utc>) {
    let client = open(dir, now);
    let mut settler = Settler::new(kubelite::embedded::components(Some(dir)));
    for _ in 0..100 {
        let outcome = kubelite::embedded::settle_with(&mut settler, &client).expect("settle");
        assert!(outcome.failing.is_empty(), "{:?}", outcome.failing);
        if !outcome.unfinished {
            return;
        }
    }
    panic!("the control plane did not settle");
}

/// Housekeeping at `now` (lease expiry, compactor tick, reclaim), optionally a defrag.
fn housekeep(dir: &Path, now: DateTime<Utc>, defrag: bool) {
    {
        let client = open(dir, now);
        client.server().housekeeping(now).expect("housekeeping");
    }
    if defrag {
        let store =
            RedbStore::open(&store_file(dir), std::time::Duration::from_secs(5)).expect("store");
        store.defragment().expect("defrag");
    }
}

fn store_file(dir: &Path) -> std::path::PathBuf {
    kubelite::embedded::store_file(dir).expect("store file")
}

/// The file's bytes per pod, and where they are.
fn report(stage: &str, dir: &Path, pods: usize) {
    let path = store_file(dir);
    let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "  {stage:<44} file {:>7.2} MiB  {:>6} B/pod",
        len as f64 / 1048576.0,
        len / pods as u64
    );
    if std::env::var_os("FOOTPRINT_DETAIL").is_none() {
        return;
    }
    {
        let db = redb::ReadOnlyDatabase::open(&path).expect("redb");
        let txn = db.begin_read().expect("read");
        for handle in txn.list_tables().expect("tables") {
            let name = handle.name().to_string();
            let stats = txn.open_untyped_table(handle).expect("table").stats();
            let stats = stats.expect("stats");
            println!(
                "      table {name:<14} {:>7} leaf pages  stored {:>11} B  fragmented {:>10} B",
                stats.leaf_pages(),
                stats.stored_bytes(),
                stats.fragmented_bytes()
            );
        }
    }
    let store = RedbStore::open(&path, std::time::Duration::from_secs(5)).expect("store");
    let all = store.range(&RangeRequest::prefix(b"/")).expect("range");
    let mut sizes: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    for kv in &all.kvs {
        let key = String::from_utf8_lossy(&kv.key);
        let resource = key.split('/').take(3).collect::<Vec<_>>().join("/");
        let entry = sizes.entry(resource).or_default();
        entry.0 += 1;
        entry.1 += kv.key.len() as u64;
        entry.2 += kv.value.len() as u64;
    }
    for (resource, (n, keys, values)) in sizes.iter().filter(|(_, s)| s.0 >= 10) {
        println!(
            "      live {resource:<32} {n:>6} keys  {keys:>9} B of keys  {values:>10} B of values ({} B each)",
            values / n
        );
    }
}

fn run(pods: usize) {
    let dir = std::env::temp_dir().join(format!(
        "kubelite-bench-footprint-{pods}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let t0 = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
        .expect("time")
        .with_timezone(&Utc);
    println!("Deployment of {pods} replicas on {WORKERS} workers");
    settle(&dir, t0);
    let started = Instant::now();
    {
        let client = open(&dir, t0);
        let r = registry::find("deployments").expect("deployments");
        client
            .create(
                r,
                Some("default"),
                deployment(pods),
                &WriteOptions::default(),
            )
            .expect("create deployment");
    }
    settle(&dir, t0);
    println!("  settled in {:.1} s", started.elapsed().as_secs_f64());
    report("settled", &dir, pods);
    housekeep(&dir, t0 + Duration::minutes(6), false);
    housekeep(&dir, t0 + Duration::minutes(12), false);
    report("compacted (two compactor ticks)", &dir, pods);
    housekeep(&dir, t0 + Duration::minutes(12), true);
    report("defragmented", &dir, pods);
    for minutes in [66, 72, 78] {
        housekeep(&dir, t0 + Duration::minutes(minutes), false);
    }
    housekeep(&dir, t0 + Duration::minutes(78), true);
    report("events expired, compacted, defragmented", &dir, pods);
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let sizes = std::env::var("FOOTPRINT_PODS").unwrap_or_else(|_| "1000".to_string());
    for n in sizes.split(',') {
        run(n.trim().parse().expect("FOOTPRINT_PODS: numbers"));
    }
}
