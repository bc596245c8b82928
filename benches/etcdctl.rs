//! kubelite's etcdctl on the embedded redb store against the real etcdctl on a real etcd.
//!
//! 1. `get / --prefix --keys-only` over 100,000 keys, one process per run, both sides.
//! 2. 10,000 puts, three ways that are fair to both sides:
//!    a. one `etcdctl put` process per key (1,000 of them, the figure scaled to 10,000);
//!    b. 100 `etcdctl txn` processes of 100 puts each;
//!    c. inside one process: kubelite's `run(["put", ..])` on an open store, against
//!    10,000 sequential puts to the real etcd from one client over its JSON gateway.
//!
//! Needs `etcd` and `etcdctl` on PATH. The bench binary re-runs itself as kubelite's
//! etcdctl (with KL_BENCH_STORE set), so both sides pay for a process start.
//! Run: `cargo bench --bench etcdctl`.

#[path = "../tests/etcdctl/support.rs"]
mod support;

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kubelite::etcdctl::{self as kl, Backend, ConnectOptions, EmbeddedBackend};
use kubelite::store::redb::RedbStore;
use kubelite::store::{RequestOp, Store, TxnRequest};
use support::{Etcd, output_with_stdin, run_kubelite_etcdctl, temp_dir, tool};

const KEYS: usize = 100_000;
const PUTS: usize = 10_000;
const PROCESS_PUTS: usize = 1_000;
const TXN_SIZE: usize = 100;

fn open(path: &Path) -> Result<RedbStore, String> {
    RedbStore::open(path, Duration::from_secs(10)).map_err(|e| e.to_string())
}

/// kubelite's etcdctl over the store at `path`, on the given stdio.
fn run_kubelite(path: &Path, args: &[String]) -> i32 {
    let connect = |_: &ConnectOptions| -> Result<Box<dyn Backend>, String> {
        Ok(Box::new(EmbeddedBackend::new(open(path)?)))
    };
    let stdin = std::io::stdin();
    let mut input = BufReader::new(stdin.lock());
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    run_kubelite_etcdctl(
        args,
        connect,
        &mut input,
        &mut out,
        &mut err,
        Default::default(),
    )
}

/// One txn of the setup: `v` put at the key of each number in `chunk`.
fn fill_txn(chunk: &[usize]) -> TxnRequest {
    TxnRequest {
        success: chunk
            .iter()
            .map(|&i| RequestOp::Put {
                key: key(i).into_bytes(),
                value: b"v".to_vec(),
                prev_kv: false,
                lease: 0,
            })
            .collect(),
        ..Default::default()
    }
}

fn key(i: usize) -> String {
    format!("/registry/pods/default/pod-{i:06}")
}

/// Runs a command with stdin, returns (stdout, seconds); panics on failure.
fn timed(cmd: &mut Command, stdin: &[u8]) -> (Vec<u8>, f64) {
    let started = Instant::now();
    let out = output_with_stdin(cmd, stdin);
    let secs = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, secs)
}

fn real_cmd(endpoint: &str, args: &[&str]) -> Command {
    let mut c = Command::new("etcdctl");
    c.env_clear()
        .arg(format!("--endpoints={endpoint}"))
        .args(args);
    c
}

fn ours_cmd(store: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(std::env::current_exe().expect("bench exe"));
    c.env_clear().env("KL_BENCH_STORE", store).args(args);
    c
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn txn_input(from: usize, n: usize, tag: &str) -> Vec<u8> {
    let mut s = String::from("\n");
    for i in from..from + n {
        s.push_str(&format!("put {} {tag}{i}\n", key(i)));
    }
    s.push_str("\n\n");
    s.into_bytes()
}

/// Parts 1, 2a and 2b: whole processes on both sides.
fn processes(ep: &str, store_path: &Path) {
    let get = ["get", "/", "--prefix", "--keys-only"];
    let (mut real_times, mut our_times) = (Vec::new(), Vec::new());
    let (mut real_out, mut our_out) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (o, s) = timed(&mut real_cmd(ep, &get), b"");
        real_out = o;
        real_times.push(s);
        let (o, s) = timed(&mut ours_cmd(store_path, &get), b"");
        our_out = o;
        our_times.push(s);
    }
    assert_eq!(real_out, our_out, "keys-only outputs differ");
    println!(
        "get / --prefix --keys-only ({KEYS} keys, {} bytes out), median of 5 processes: real etcdctl+etcd {:.1} ms, kubelite etcdctl+redb {:.1} ms",
        real_out.len(),
        median(real_times) * 1e3,
        median(our_times) * 1e3
    );

    // ---- 2a. One process per put.
    let (mut real_total, mut our_total) = (0.0, 0.0);
    for i in 0..PROCESS_PUTS {
        let k = format!("/bench/proc/{i:06}");
        real_total += timed(&mut real_cmd(ep, &["put", &k, "value"]), b"").1;
        our_total += timed(&mut ours_cmd(store_path, &["put", &k, "value"]), b"").1;
    }
    println!(
        "put, one process each ({PROCESS_PUTS} runs): real {:.2} ms/put, kubelite {:.2} ms/put; scaled to {PUTS}: real {:.1} s, kubelite {:.1} s",
        real_total / PROCESS_PUTS as f64 * 1e3,
        our_total / PROCESS_PUTS as f64 * 1e3,
        real_total / PROCESS_PUTS as f64 * PUTS as f64,
        our_total / PROCESS_PUTS as f64 * PUTS as f64
    );

    // ---- 2b. 100 txn processes of 100 puts.
    let (mut real_total, mut our_total) = (0.0, 0.0);
    for n in 0..PUTS / TXN_SIZE {
        let input = txn_input(n * TXN_SIZE, TXN_SIZE, "txn");
        real_total += timed(&mut real_cmd(ep, &["txn"]), &input).1;
        our_total += timed(&mut ours_cmd(store_path, &["txn"]), &input).1;
    }
    println!(
        "{PUTS} puts as {} `etcdctl txn` processes of {TXN_SIZE}: real {real_total:.2} s, kubelite {our_total:.2} s",
        PUTS / TXN_SIZE
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(store) = std::env::var_os("KL_BENCH_STORE") {
        std::process::exit(run_kubelite(&PathBuf::from(store), &args));
    }
    let (Some(etcd_bin), Some(_)) = (tool("etcd"), tool("etcdctl")) else {
        eprintln!("SKIPPED: etcd and etcdctl are not on PATH");
        return;
    };
    let etcd = Etcd::start(&etcd_bin, "bench");
    let dir = temp_dir("bench-redb");
    let store_path = dir.join("store.redb");
    let ep = etcd.endpoint.clone();

    let only_inproc = std::env::var("KL_BENCH_ONLY").as_deref() == Ok("inproc");

    // ---- 1. 100,000 keys, then `get / --prefix --keys-only`.
    let t = Instant::now();
    let remote = kl::connect_etcd(&ConnectOptions {
        endpoints: vec![ep.clone()],
        endpoints_given: true,
        dial_timeout: Duration::from_secs(2),
        command_timeout: Duration::from_secs(30),
    })
    .expect("connect to etcd");
    for chunk in (0..KEYS).collect::<Vec<_>>().chunks(TXN_SIZE) {
        remote.store().txn(&fill_txn(chunk)).expect("fill etcd");
    }
    let fill_etcd = t.elapsed().as_secs_f64();
    let t = Instant::now();
    {
        let store = open(&store_path).expect("open redb");
        let reqs: Vec<TxnRequest> = (0..KEYS)
            .collect::<Vec<_>>()
            .chunks(TXN_SIZE)
            .map(fill_txn)
            .collect();
        for batch in reqs.chunks(100) {
            store.txn_batch(batch).expect("fill redb");
        }
    }
    let fill_redb = t.elapsed().as_secs_f64();
    println!(
        "setup: {KEYS} keys in 1,000 txns of {TXN_SIZE}: etcd {fill_etcd:.2}s, redb {fill_redb:.2}s"
    );

    if !only_inproc {
        processes(&ep, &store_path);
    }

    // ---- 2c. In one process; the three loops alternate in rounds of 1,000 so that disk
    // latency changes on this shared machine hit all of them alike.
    let shared: Arc<dyn Backend> =
        Arc::new(EmbeddedBackend::new(open(&store_path).expect("open redb")));
    let (mut real_inproc, mut our_inproc, mut direct) = (0.0, 0.0, 0.0);
    for round in 0..PUTS / 1000 {
        let keys: Vec<String> = (round * 1000..(round + 1) * 1000)
            .map(|i| format!("/bench/inproc/{i:06}"))
            .collect();
        let t = Instant::now();
        for k in &keys {
            remote
                .store()
                .put(k.as_bytes(), b"value", false)
                .expect("put");
        }
        real_inproc += t.elapsed().as_secs_f64();
        let t = Instant::now();
        for k in &keys {
            let args = vec!["put".to_string(), k.clone(), "value".to_string()];
            let connect = |_: &ConnectOptions| -> Result<Box<dyn Backend>, String> {
                Ok(Box::new(Arc::clone(&shared)))
            };
            let mut input: &[u8] = b"";
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = run_kubelite_etcdctl(
                &args,
                connect,
                &mut input,
                &mut out,
                &mut err,
                Default::default(),
            );
            assert_eq!(code, 0);
        }
        our_inproc += t.elapsed().as_secs_f64();
        let t = Instant::now();
        for k in &keys {
            shared
                .store()
                .put(format!("{k}-direct").as_bytes(), b"value", false)
                .expect("put");
        }
        direct += t.elapsed().as_secs_f64();
    }
    println!(
        "{PUTS} puts in one process: real etcd over its JSON gateway (one client, sequential) {real_inproc:.2} s, kubelite run(put) on redb {our_inproc:.2} s (RedbStore::put alone: {direct:.2} s)"
    );
    drop(shared);
    let _ = std::fs::remove_dir_all(&dir);
}
