//! Differential test against the real etcd: the same pseudo-random sequence of puts,
//! deletes, ranges (limits, sorts, revisions, keys-only, count-only), txns and compactions
//! runs on a fresh etcd (through its JSON gateway) and on a RedbStore, and every response
//! must be equal; at the end a watch from the compacted revision must equal events_since.
//!
//! Needs `etcd` on PATH (Debian: `apt-get install etcd-server`; `.ci/run` installs it); where
//! it is missing the test says SKIPPED and passes. `cargo test` runs a bounded sequence;
//! `KUBELITE_ORACLE_STEPS=N` runs longer ones.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TempDir, open};
use kubelite::store::{
    Compare, CompareResult, CompareTarget, DeleteResponse, Event, EventKind, Header, KeyValue,
    PutResponse, RangeRequest, RangeResponse, RequestOp, ResponseOp, SortOrder, SortTarget, Store,
    StoreError, TxnRequest, TxnResponse,
};
use serde_json::{Value, json};

// ---- a real etcd on loopback ----

struct Etcd {
    child: Child,
    port: u16,
    _data: TempDir,
}

impl Etcd {
    fn start() -> Etcd {
        let data = TempDir::new();
        let port = 24000 + (std::process::id() % 1000) as u16 * 2;
        let client = format!("http://127.0.0.1:{port}");
        let peer = format!("http://127.0.0.1:{}", port + 1);
        let child = Command::new("etcd")
            .arg("--data-dir")
            .arg(data.path().join("etcd"))
            .args([
                "--listen-client-urls",
                &client,
                "--advertise-client-urls",
                &client,
            ])
            .args([
                "--listen-peer-urls",
                &peer,
                "--initial-advertise-peer-urls",
                &peer,
            ])
            .args(["--initial-cluster", &format!("default={peer}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start etcd (is etcd-server installed?)");
        let etcd = Etcd {
            child,
            port,
            _data: data,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok((200, _)) = post(port, "/v3/kv/range", &json!({"key": b64(b"x")})) {
                return etcd;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("etcd did not come up on port {port}");
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http(
    port: u16,
    path: &str,
    body: &Value,
    read_for: Option<Duration>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    let body = body.to_string();
    // HTTP/1.0: the answer is not chunked and ends when the server closes.
    write!(
        stream,
        "POST {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    match read_for {
        None => {
            stream.read_to_end(&mut raw)?;
        }
        Some(window) => {
            // A watch never ends: read what arrives within the window.
            let deadline = Instant::now() + window;
            let mut buf = [0u8; 8192];
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                stream.set_read_timeout(Some(left.max(Duration::from_millis(1))))?;
                match stream.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => raw.extend_from_slice(&buf[..n]),
                    Err(_) => break,
                }
            }
        }
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, body.to_string()))
}

fn post(port: u16, path: &str, body: &Value) -> std::io::Result<(u16, Value)> {
    let (status, body) = http(port, path, body, None)?;
    Ok((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
}

/// One etcd call: Ok(json) or Err(error message without the "etcdserver: " prefix).
fn call(etcd: &Etcd, path: &str, body: &Value) -> Result<Value, String> {
    let (status, value) = post(etcd.port, path, body).expect("etcd request");
    if status == 200 {
        Ok(value)
    } else {
        let msg = value["message"].as_str().unwrap_or("?").to_string();
        Err(msg.trim_start_matches("etcdserver: ").to_string())
    }
}

fn ours<T>(result: Result<T, StoreError>) -> Result<T, String> {
    result.map_err(|e| e.to_string().trim_start_matches("etcdserver: ").to_string())
}

// ---- base64 (standard alphabet, padded) ----

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unb64(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).expect("base64 digit") as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

// ---- our requests as etcd JSON ----

fn range_json(r: &RangeRequest) -> Value {
    let order = match r.sort_order {
        SortOrder::None => "NONE",
        SortOrder::Ascend => "ASCEND",
        SortOrder::Descend => "DESCEND",
    };
    let target = match r.sort_target {
        SortTarget::Key => "KEY",
        SortTarget::Version => "VERSION",
        SortTarget::Create => "CREATE",
        SortTarget::Mod => "MOD",
        SortTarget::Value => "VALUE",
    };
    json!({
        "key": b64(&r.key), "range_end": b64(&r.range_end), "limit": r.limit.to_string(),
        "revision": r.revision.to_string(), "keys_only": r.keys_only, "count_only": r.count_only,
        "sort_order": order, "sort_target": target,
    })
}

fn op_json(op: &RequestOp) -> Value {
    match op {
        RequestOp::Range(r) => json!({"request_range": range_json(r)}),
        RequestOp::Put {
            key,
            value,
            prev_kv,
            ..
        } => {
            json!({"request_put": {"key": b64(key), "value": b64(value), "prev_kv": prev_kv}})
        }
        RequestOp::Delete {
            key,
            range_end,
            prev_kv,
        } => json!({"request_delete_range":
            {"key": b64(key), "range_end": b64(range_end), "prev_kv": prev_kv}}),
    }
}

fn compare_json(c: &Compare) -> Value {
    let result = match c.result {
        CompareResult::Equal => "EQUAL",
        CompareResult::Greater => "GREATER",
        CompareResult::Less => "LESS",
        CompareResult::NotEqual => "NOT_EQUAL",
    };
    let mut v = json!({"key": b64(&c.key), "range_end": b64(&c.range_end), "result": result});
    let (target, field, value) = match &c.target {
        CompareTarget::Version(n) => ("VERSION", "version", json!(n.to_string())),
        CompareTarget::Create(n) => ("CREATE", "create_revision", json!(n.to_string())),
        CompareTarget::Mod(n) => ("MOD", "mod_revision", json!(n.to_string())),
        CompareTarget::Lease(n) => ("LEASE", "lease", json!(n.to_string())),
        CompareTarget::Value(b) => ("VALUE", "value", json!(b64(b))),
    };
    v["target"] = json!(target);
    v[field] = value;
    v
}

fn txn_json(t: &TxnRequest) -> Value {
    json!({
        "compare": t.compare.iter().map(compare_json).collect::<Vec<_>>(),
        "success": t.success.iter().map(op_json).collect::<Vec<_>>(),
        "failure": t.failure.iter().map(op_json).collect::<Vec<_>>(),
    })
}

// ---- etcd JSON as our responses ----

fn int(v: &Value) -> i64 {
    match v {
        Value::String(s) => s.parse().expect("int64 string"),
        Value::Number(n) => n.as_i64().expect("int64"),
        _ => 0,
    }
}

fn header(v: &Value) -> Header {
    Header {
        revision: int(&v["header"]["revision"]),
    }
}

fn kv(v: &Value) -> KeyValue {
    KeyValue {
        key: unb64(v["key"].as_str().unwrap_or("")),
        value: unb64(v["value"].as_str().unwrap_or("")),
        create_revision: int(&v["create_revision"]),
        mod_revision: int(&v["mod_revision"]),
        version: int(&v["version"]),
        lease: int(&v["lease"]),
    }
}

fn kvs(v: &Value) -> Vec<KeyValue> {
    v.as_array()
        .map(|a| a.iter().map(kv).collect())
        .unwrap_or_default()
}

fn range_resp(v: &Value) -> RangeResponse {
    RangeResponse {
        header: header(v),
        kvs: kvs(&v["kvs"]),
        more: v["more"].as_bool().unwrap_or(false),
        count: int(&v["count"]),
    }
}

fn put_resp(v: &Value) -> PutResponse {
    PutResponse {
        header: header(v),
        prev_kv: v.get("prev_kv").map(kv),
    }
}

fn delete_resp(v: &Value) -> DeleteResponse {
    DeleteResponse {
        header: header(v),
        deleted: int(&v["deleted"]),
        prev_kvs: kvs(&v["prev_kvs"]),
    }
}

fn txn_resp(v: &Value) -> TxnResponse {
    let responses = v["responses"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    if let Some(x) = r.get("response_range") {
                        ResponseOp::Range(range_resp(x))
                    } else if let Some(x) = r.get("response_put") {
                        ResponseOp::Put(put_resp(x))
                    } else {
                        ResponseOp::Delete(delete_resp(&r["response_delete_range"]))
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    TxnResponse {
        header: header(v),
        succeeded: v["succeeded"].as_bool().unwrap_or(false),
        responses,
    }
}

fn watch_events(stream: &str) -> Vec<Event> {
    let mut events = Vec::new();
    for msg in serde_json::Deserializer::from_str(stream).into_iter::<Value>() {
        let Ok(msg) = msg else { break };
        for e in msg["result"]["events"].as_array().into_iter().flatten() {
            let kind = if e["type"] == "DELETE" {
                EventKind::Delete
            } else {
                EventKind::Put
            };
            events.push(Event {
                kind,
                kv: kv(&e["kv"]),
                prev_kv: e.get("prev_kv").map(kv),
            });
        }
    }
    events
}

// ---- the random sequence ----

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
    fn flip(&mut self) -> bool {
        self.below(2) == 0
    }
}

const KEYS: [&str; 10] = [
    "a", "k/0", "k/1", "k/2", "k/3", "k/4", "k/5", "m", "m/x", "z",
];

fn key(rng: &mut Rng) -> Vec<u8> {
    KEYS[rng.below(KEYS.len() as u64) as usize]
        .as_bytes()
        .to_vec()
}

/// A key range: single key, prefix, half-open, from-key, or reversed (empty).
fn bounds(rng: &mut Rng) -> (Vec<u8>, Vec<u8>) {
    match rng.below(6) {
        0 | 1 => (key(rng), Vec::new()),
        2 => (b"k/".to_vec(), b"k0".to_vec()),
        3 => (b"k/1".to_vec(), b"k/4".to_vec()),
        4 => (key(rng), vec![0]),
        _ => (b"m".to_vec(), b"b".to_vec()),
    }
}

fn range_req(rng: &mut Rng, revision_now: i64) -> RangeRequest {
    let (key, range_end) = bounds(rng);
    let revision = match rng.below(5) {
        0 => revision_now + 1,
        1 | 2 => 1 + rng.below(revision_now.max(1) as u64) as i64,
        _ => 0,
    };
    RangeRequest {
        key,
        range_end,
        limit: rng.below(4) as i64,
        revision,
        keys_only: rng.below(4) == 0,
        count_only: rng.below(6) == 0,
        uncounted: false,
        sort_order: [SortOrder::None, SortOrder::Ascend, SortOrder::Descend][rng.below(3) as usize],
        sort_target: [
            SortTarget::Key,
            SortTarget::Version,
            SortTarget::Create,
            SortTarget::Mod,
            SortTarget::Value,
        ][rng.below(5) as usize],
    }
}

fn value(rng: &mut Rng) -> Vec<u8> {
    format!("v{}", rng.below(5)).into_bytes()
}

fn request_op(rng: &mut Rng, revision_now: i64) -> RequestOp {
    match rng.below(3) {
        0 => RequestOp::Range(range_req(rng, revision_now)),
        1 => RequestOp::Put {
            key: key(rng),
            value: value(rng),
            prev_kv: rng.flip(),
            lease: 0,
        },
        _ => {
            let (key, range_end) = bounds(rng);
            RequestOp::Delete {
                key,
                range_end,
                prev_kv: rng.flip(),
            }
        }
    }
}

fn compare(rng: &mut Rng, revision_now: i64) -> Compare {
    let (key, range_end) = bounds(rng);
    let n = rng.below(revision_now as u64 + 2) as i64;
    let target = match rng.below(5) {
        0 => CompareTarget::Version(rng.below(4) as i64),
        1 => CompareTarget::Create(n),
        2 => CompareTarget::Mod(n),
        3 => CompareTarget::Lease(0),
        _ => CompareTarget::Value(value(rng)),
    };
    let result = [
        CompareResult::Equal,
        CompareResult::Greater,
        CompareResult::Less,
        CompareResult::NotEqual,
    ][rng.below(4) as usize];
    Compare {
        key,
        range_end,
        target,
        result,
    }
}

#[test]
fn random_operations_match_real_etcd() {
    let found = Command::new("etcd")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !found.is_ok_and(|s| s.success()) {
        eprintln!("etcd is not on the PATH: SKIPPED");
        return;
    }
    let steps = std::env::var("KUBELITE_ORACLE_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    for seed in [
        0x9e37_79b9_7f4a_7c15,
        0x2545_f491_4f6c_dd1d,
        0x1234_5678_9abc_def1,
    ] {
        run_sequence(seed, steps);
    }
}

fn run_sequence(seed: u64, steps: usize) {
    let etcd = Etcd::start();
    let dir = TempDir::new();
    let store = open(&dir);
    let mut rng = Rng(seed);
    for step in 0..steps {
        let now = store.current_revision().unwrap();
        let what = rng.below(20);
        let context = format!("seed {seed:#x} step {step} (kind {what})");
        match what {
            0..=5 => {
                let (k, v, prev) = (key(&mut rng), value(&mut rng), rng.flip());
                let theirs = call(
                    &etcd,
                    "/v3/kv/put",
                    &json!({"key": b64(&k), "value": b64(&v), "prev_kv": prev}),
                )
                .map(|j| put_resp(&j));
                assert_eq!(ours(store.put(&k, &v, prev)), theirs, "{context}: put");
            }
            6..=7 => {
                let ((k, end), prev) = (bounds(&mut rng), rng.flip());
                let theirs = call(
                    &etcd,
                    "/v3/kv/deleterange",
                    &json!({"key": b64(&k), "range_end": b64(&end), "prev_kv": prev}),
                )
                .map(|j| delete_resp(&j));
                assert_eq!(
                    ours(store.delete_range(&k, &end, prev)),
                    theirs,
                    "{context}: delete"
                );
            }
            8..=12 => {
                let req = range_req(&mut rng, now);
                let theirs = call(&etcd, "/v3/kv/range", &range_json(&req)).map(|j| range_resp(&j));
                assert_eq!(ours(store.range(&req)), theirs, "{context}: {req:?}");
            }
            13..=18 => {
                let mut txn = TxnRequest::default();
                for _ in 0..rng.below(3) {
                    txn.compare.push(compare(&mut rng, now));
                }
                for _ in 0..rng.below(4) {
                    txn.success.push(request_op(&mut rng, now));
                }
                for _ in 0..rng.below(3) {
                    txn.failure.push(request_op(&mut rng, now));
                }
                let theirs = call(&etcd, "/v3/kv/txn", &txn_json(&txn)).map(|j| txn_resp(&j));
                assert_eq!(ours(store.txn(&txn)), theirs, "{context}: {txn:?}");
            }
            _ => {
                let rev = now - rng.below(6) as i64 + 1;
                let theirs = call(
                    &etcd,
                    "/v3/kv/compaction",
                    &json!({"revision": rev.to_string(), "physical": true}),
                )
                .map(|j| header(&j));
                assert_eq!(ours(store.compact(rev)), theirs, "{context}: compact {rev}");
            }
        }
    }
    // Watches from the compacted revision and from a later one, over everything and a prefix.
    let compacted = store.compacted_revision().unwrap().max(1);
    let now = store.current_revision().unwrap();
    for (from, key, end) in [
        (compacted, b"\0".to_vec(), vec![0]),
        ((compacted + now) / 2, b"k/".to_vec(), b"k0".to_vec()),
    ] {
        let watch = json!({"create_request": {"key": b64(&key), "range_end": b64(&end),
            "start_revision": from.to_string(), "prev_kv": true}});
        let (_, stream) =
            http(etcd.port, "/v3/watch", &watch, Some(Duration::from_secs(1))).expect("watch");
        let theirs = watch_events(&stream);
        let mine = store.events_since(&key, &end, from, true).unwrap();
        assert!(!mine.is_empty());
        assert_eq!(mine, theirs, "seed {seed:#x}: watch from {from}");
    }
}
