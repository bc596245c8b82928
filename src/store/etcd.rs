//! [`Store`] on a real etcd 3.4, through its JSON gRPC gateway (`POST /v3/...`): bytes go
//! as base64, 64-bit integers as decimal strings. Used when the user points kubelite at an
//! etcd cluster (`--endpoints`).

mod alarm;
mod cluster;
mod history;
pub mod hold;
mod lease;
mod snapshot;

pub use cluster::{EtcdCluster, is_unreachable};

use std::io::{BufRead, BufReader};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::member::ClusterInfo;
use super::{
    AlarmMember, Compare, CompareResult, CompareTarget, DeleteResponse, Event, EventKind, Header,
    KeyValue, LeaseGrant, LeaseStatus, PutResponse, RangeRequest, RangeResponse, RequestOp,
    ResponseOp, SortOrder, SortTarget, Store, StoreError, TxnRequest, TxnResponse,
};
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// What etcdctl prints when no endpoint answers in time.
const UNREACHABLE: &str = "context deadline exceeded";

/// How long a watch read waits for more history once it has caught up with the revision
/// it started at (etcd sends history at once; this only bounds an empty range).
const WATCH_IDLE: Duration = Duration::from_millis(300);

pub struct EtcdStore {
    client: reqwest::blocking::Client,
    /// `http://host:port` of the endpoint in use.
    base: String,
    command_timeout: Duration,
    /// Identity from the last response header: cluster_id, member_id, raft_term.
    identity: Mutex<Option<(u64, u64, u64)>>,
}

fn io(msg: impl Into<String>) -> StoreError {
    StoreError::Io(msg.into())
}

/// The gateway's bytes: standard base64, padded when written, padding optional when read.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

fn b64(v: &[u8]) -> Value {
    Value::String(BASE64.encode(v))
}

fn unb64(v: Option<&Value>) -> Result<Vec<u8>, StoreError> {
    match v.and_then(Value::as_str) {
        None => Ok(Vec::new()),
        Some(s) => BASE64
            .decode(s)
            .map_err(|_| io(format!("etcd sent bad base64: {s}"))),
    }
}

/// int64/uint64 fields come as strings (or, from some gateways, numbers); absent is 0.
fn int(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        _ => 0,
    }
}

fn uint(v: Option<&Value>) -> u64 {
    match v {
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        _ => 0,
    }
}

fn field<'a>(v: &'a Value, snake: &str, camel: &str) -> Option<&'a Value> {
    v.get(snake).or_else(|| v.get(camel))
}

fn kv_of(v: &Value) -> Result<KeyValue, StoreError> {
    Ok(KeyValue {
        key: unb64(v.get("key"))?,
        value: unb64(v.get("value"))?,
        create_revision: int(v.get("create_revision")),
        mod_revision: int(v.get("mod_revision")),
        version: int(v.get("version")),
        lease: int(v.get("lease")),
    })
}

fn kvs_of(v: Option<&Value>) -> Result<Vec<KeyValue>, StoreError> {
    match v.and_then(Value::as_array) {
        Some(items) => items.iter().map(kv_of).collect(),
        None => Ok(Vec::new()),
    }
}

fn header_of(v: &Value) -> Header {
    Header {
        revision: int(v.get("header").and_then(|h| h.get("revision"))),
    }
}

fn range_body(req: &RangeRequest) -> Value {
    let mut m = Map::new();
    m.insert("key".into(), b64(&req.key));
    if !req.range_end.is_empty() {
        m.insert("range_end".into(), b64(&req.range_end));
    }
    m.insert("limit".into(), json!(req.limit.to_string()));
    m.insert("revision".into(), json!(req.revision.to_string()));
    let order = match req.sort_order {
        SortOrder::None => "NONE",
        SortOrder::Ascend => "ASCEND",
        SortOrder::Descend => "DESCEND",
    };
    let target = match req.sort_target {
        SortTarget::Key => "KEY",
        SortTarget::Version => "VERSION",
        SortTarget::Create => "CREATE",
        SortTarget::Mod => "MOD",
        SortTarget::Value => "VALUE",
    };
    m.insert("sort_order".into(), json!(order));
    m.insert("sort_target".into(), json!(target));
    m.insert("keys_only".into(), json!(req.keys_only));
    m.insert("count_only".into(), json!(req.count_only));
    Value::Object(m)
}

fn range_of(v: &Value) -> Result<RangeResponse, StoreError> {
    Ok(RangeResponse {
        header: header_of(v),
        kvs: kvs_of(v.get("kvs"))?,
        more: v.get("more").and_then(Value::as_bool).unwrap_or(false),
        count: int(v.get("count")),
    })
}

fn put_body(key: &[u8], value: &[u8], prev_kv: bool) -> Value {
    json!({ "key": b64(key), "value": b64(value), "prev_kv": prev_kv })
}

fn put_of(v: &Value) -> Result<PutResponse, StoreError> {
    Ok(PutResponse {
        header: header_of(v),
        prev_kv: v.get("prev_kv").map(kv_of).transpose()?,
    })
}

fn delete_body(key: &[u8], range_end: &[u8], prev_kv: bool) -> Value {
    let mut m = Map::new();
    m.insert("key".into(), b64(key));
    if !range_end.is_empty() {
        m.insert("range_end".into(), b64(range_end));
    }
    m.insert("prev_kv".into(), json!(prev_kv));
    Value::Object(m)
}

fn delete_of(v: &Value) -> Result<DeleteResponse, StoreError> {
    Ok(DeleteResponse {
        header: header_of(v),
        deleted: int(v.get("deleted")),
        prev_kvs: kvs_of(v.get("prev_kvs"))?,
    })
}

fn compare_body(c: &Compare) -> Value {
    let mut m = Map::new();
    let result = match c.result {
        CompareResult::Equal => "EQUAL",
        CompareResult::Greater => "GREATER",
        CompareResult::Less => "LESS",
        CompareResult::NotEqual => "NOT_EQUAL",
    };
    m.insert("result".into(), json!(result));
    m.insert("key".into(), b64(&c.key));
    if !c.range_end.is_empty() {
        m.insert("range_end".into(), b64(&c.range_end));
    }
    let (target, name, value) = match &c.target {
        CompareTarget::Version(n) => ("VERSION", "version", json!(n.to_string())),
        CompareTarget::Create(n) => ("CREATE", "create_revision", json!(n.to_string())),
        CompareTarget::Mod(n) => ("MOD", "mod_revision", json!(n.to_string())),
        CompareTarget::Value(v) => ("VALUE", "value", b64(v)),
        CompareTarget::Lease(n) => ("LEASE", "lease", json!(n.to_string())),
    };
    m.insert("target".into(), json!(target));
    m.insert(name.into(), value);
    Value::Object(m)
}

fn op_body(op: &RequestOp) -> Value {
    match op {
        RequestOp::Range(r) => json!({ "request_range": range_body(r) }),
        RequestOp::Put {
            key,
            value,
            prev_kv,
            lease,
        } => {
            let mut body = put_body(key, value, *prev_kv);
            if *lease != 0 {
                body["lease"] = Value::String(lease.to_string());
            }
            json!({ "request_put": body })
        }
        RequestOp::Delete {
            key,
            range_end,
            prev_kv,
        } => {
            json!({ "request_delete_range": delete_body(key, range_end, *prev_kv) })
        }
    }
}

fn response_op_of(v: &Value) -> Result<ResponseOp, StoreError> {
    if let Some(r) = v.get("response_range") {
        return Ok(ResponseOp::Range(range_of(r)?));
    }
    if let Some(r) = v.get("response_put") {
        return Ok(ResponseOp::Put(put_of(r)?));
    }
    if let Some(r) = v.get("response_delete_range") {
        return Ok(ResponseOp::Delete(delete_of(r)?));
    }
    Err(io(format!("etcd sent an unknown txn response: {v}")))
}

/// Maps etcd's error text to the store's errors, so both backends fail alike.
fn server_error(message: &str) -> StoreError {
    match message {
        "etcdserver: mvcc: required revision has been compacted" => StoreError::Compacted {
            compact_revision: 0,
        },
        "etcdserver: mvcc: required revision is a future revision" => StoreError::FutureRevision,
        "etcdserver: duplicate key given in txn request" => StoreError::DuplicateKey,
        "etcdserver: key is not provided" => StoreError::EmptyKey,
        "etcdserver: requested lease not found" => StoreError::LeaseNotFound,
        "etcdserver: mvcc: database space exceeded" => StoreError::NoSpace,
        other => io(other),
    }
}

/// `host:port` or `http://host:port` as a base URL.
fn base_url(endpoint: &str) -> String {
    let e = endpoint.trim_end_matches('/');
    if e.starts_with("http://") || e.starts_with("https://") {
        e.to_string()
    } else {
        format!("http://{e}")
    }
}

impl EtcdStore {
    /// Uses the first endpoint that answers a status request within `dial_timeout`.
    pub fn connect(
        endpoints: &[String],
        dial_timeout: Duration,
        command_timeout: Duration,
    ) -> Result<EtcdStore, StoreError> {
        // reqwest is built with rustls but no crypto provider: ring becomes the process's
        // (once; a provider already installed stays).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(dial_timeout)
            .timeout(command_timeout)
            .build()
            .map_err(|e| io(e.to_string()))?;
        EtcdStore::connect_with(client, endpoints, command_timeout)
    }

    /// `connect` through a client built by the caller (TLS to etcd: `--etcd-cafile`, ...).
    pub fn connect_with(
        client: reqwest::blocking::Client,
        endpoints: &[String],
        command_timeout: Duration,
    ) -> Result<EtcdStore, StoreError> {
        for endpoint in endpoints {
            let store = EtcdStore {
                client: client.clone(),
                base: base_url(endpoint),
                command_timeout,
                identity: Mutex::new(None),
            };
            if store.post("/v3/maintenance/status", &json!({})).is_ok() {
                return Ok(store);
            }
        }
        Err(io(UNREACHABLE))
    }

    fn remember(&self, v: &Value) {
        if let Some(h) = v.get("header") {
            let id = (
                uint(h.get("cluster_id")),
                uint(h.get("member_id")),
                uint(h.get("raft_term")),
            );
            if id.0 != 0
                && let Ok(mut slot) = self.identity.lock()
            {
                *slot = Some(id);
            }
        }
    }

    fn post(&self, path: &str, body: &Value) -> Result<Value, StoreError> {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .map_err(|_| io(UNREACHABLE))?;
        let status = resp.status();
        let text = resp.text().map_err(|_| io(UNREACHABLE))?;
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| io(format!("etcd sent bad JSON ({e}): {text}")))?;
        if !status.is_success() {
            let msg = v
                .get("error")
                .or_else(|| v.get("message"))
                .and_then(Value::as_str)
                .unwrap_or("unknown etcd error");
            return Err(server_error(msg));
        }
        self.remember(&v);
        Ok(v)
    }

    /// Reads the watch stream from `from` until it has caught up with `upto` (or the
    /// stream goes quiet after creation).
    fn watch_history(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
        upto: i64,
    ) -> Result<Vec<Event>, StoreError> {
        let mut create = Map::new();
        create.insert("key".into(), b64(key));
        if !range_end.is_empty() {
            create.insert("range_end".into(), b64(range_end));
        }
        create.insert("start_revision".into(), json!(from.to_string()));
        create.insert("prev_kv".into(), json!(prev_kv));
        let body = json!({ "create_request": Value::Object(create) }).to_string();
        let resp = self
            .client
            .post(format!("{}/v3/watch", self.base))
            .timeout(self.command_timeout)
            .body(body)
            .send()
            .map_err(|_| io(UNREACHABLE))?;
        // The stream never ends by itself: read it on a thread and stop listening once
        // caught up; the request timeout ends that thread.
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let reader = BufReader::new(resp);
            for line in reader.lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut events = Vec::new();
        let mut created = false;
        loop {
            let wait = if created {
                WATCH_IDLE
            } else {
                self.command_timeout
            };
            let Ok(line) = rx.recv_timeout(wait) else {
                break;
            };
            let Ok(v) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            let result = v.get("result").unwrap_or(&v);
            if let Some(err) = v.get("error") {
                let msg = err
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("watch failed");
                return Err(server_error(msg));
            }
            if result.get("canceled").and_then(Value::as_bool) == Some(true) {
                let compact_revision = int(result.get("compact_revision"));
                if compact_revision != 0 {
                    return Err(StoreError::Compacted { compact_revision });
                }
                let reason = result
                    .get("cancel_reason")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                return Err(server_error(reason));
            }
            if result.get("created").and_then(Value::as_bool) == Some(true) {
                created = true;
            }
            for ev in result
                .get("events")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let kind = match ev.get("type").and_then(Value::as_str) {
                    Some("DELETE") => EventKind::Delete,
                    _ => EventKind::Put,
                };
                let kv = kv_of(ev.get("kv").unwrap_or(&Value::Null))?;
                let prev = ev.get("prev_kv").map(kv_of).transpose()?;
                events.push(Event {
                    kind,
                    kv,
                    prev_kv: prev,
                });
            }
            if events.last().is_some_and(|e| e.kv.mod_revision >= upto) {
                break;
            }
        }
        Ok(events)
    }

    fn status(&self) -> Result<Value, StoreError> {
        self.post("/v3/maintenance/status", &json!({}))
    }
}

impl Store for EtcdStore {
    fn save_snapshot(&self, path: &std::path::Path) -> Result<(), StoreError> {
        self.stream_snapshot(path)
    }

    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        range_of(&self.post("/v3/kv/range", &range_body(req))?)
    }

    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError> {
        put_of(&self.post("/v3/kv/put", &put_body(key, value, prev_kv))?)
    }

    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError> {
        delete_of(&self.post("/v3/kv/deleterange", &delete_body(key, range_end, prev_kv))?)
    }

    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        let body = json!({
            "compare": req.compare.iter().map(compare_body).collect::<Vec<_>>(),
            "success": req.success.iter().map(op_body).collect::<Vec<_>>(),
            "failure": req.failure.iter().map(op_body).collect::<Vec<_>>(),
        });
        let v = self.post("/v3/kv/txn", &body)?;
        let responses = v
            .get("responses")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(response_op_of)
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(TxnResponse {
            header: header_of(&v),
            succeeded: v.get("succeeded").and_then(Value::as_bool).unwrap_or(false),
            responses,
        })
    }

    /// etcd has no multi-transaction commit: the transactions run one after another, so a
    /// failure part-way leaves the earlier ones applied.
    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        reqs.iter().map(|r| self.txn(r)).collect()
    }

    fn events_since(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let current = self.current_revision()?;
        let from = from.max(1);
        if from > current {
            return Ok(Vec::new());
        }
        self.watch_history(key, range_end, from, prev_kv, current)
    }

    fn compact(&self, revision: i64) -> Result<Header, StoreError> {
        let v = self.post(
            "/v3/kv/compaction",
            &json!({ "revision": revision.to_string(), "physical": false }),
        )?;
        Ok(header_of(&v))
    }

    fn current_revision(&self) -> Result<i64, StoreError> {
        let req = RangeRequest {
            key: vec![0],
            count_only: true,
            ..Default::default()
        };
        Ok(self.range(&req)?.header.revision)
    }

    fn lease_grant(&self, id: i64, ttl: i64, _now: i64) -> Result<LeaseGrant, StoreError> {
        self.grant_lease(id, ttl)
    }

    fn lease_revoke(&self, id: i64) -> Result<Header, StoreError> {
        self.revoke_lease(id)
    }

    fn lease_time_to_live(
        &self,
        id: i64,
        keys: bool,
        _now: i64,
    ) -> Result<LeaseStatus, StoreError> {
        self.lease_ttl(id, keys)
    }

    fn lease_list(&self) -> Result<Vec<i64>, StoreError> {
        self.list_leases()
    }

    fn lease_keep_alive(&self, id: i64, _now: i64) -> Result<LeaseGrant, StoreError> {
        self.keep_lease_alive(id)
    }

    fn defragment(&self) -> Result<(), StoreError> {
        self.defragment_member()
    }

    fn alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        self.list_alarms()
    }

    fn disarm_alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        self.disarm_all()
    }

    /// etcd does not report its compacted revision directly; it is the lowest revision a
    /// watch can still start from. 0 when nothing was compacted.
    fn compacted_revision(&self) -> Result<i64, StoreError> {
        match self.watch_history(&[0], &[0], 1, false, 0) {
            Err(StoreError::Compacted { compact_revision }) => Ok(compact_revision),
            Err(e) => Err(e),
            Ok(_) => Ok(0),
        }
    }
}

/// etcd's maintenance API: who the member is and how it is doing.
impl EtcdStore {
    /// The identity and status of the member in use (`Status` and `MemberList`).
    pub fn cluster_info(&self) -> Result<ClusterInfo, StoreError> {
        let st = self.status()?;
        let members = self.post("/v3/cluster/member/list", &json!({}))?;
        let hdr = st.get("header").cloned().unwrap_or(Value::Null);
        let member_id = uint(hdr.get("member_id"));
        let me = members
            .get("members")
            .and_then(Value::as_array)
            .and_then(|ms| ms.iter().find(|m| uint(m.get("ID")) == member_id))
            .cloned()
            .unwrap_or(Value::Null);
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(ClusterInfo {
            cluster_id: uint(hdr.get("cluster_id")),
            member_id,
            raft_term: uint(hdr.get("raft_term")),
            member_name: me
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            peer_urls: strings(field(&me, "peer_urls", "peerURLs")),
            client_urls: strings(field(&me, "client_urls", "clientURLs")),
            version: st
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            db_size: int(field(&st, "db_size", "dbSize")),
            db_size_in_use: int(field(&st, "db_size_in_use", "dbSizeInUse")),
            leader: uint(st.get("leader")),
            raft_index: uint(field(&st, "raft_index", "raftIndex")),
            raft_applied_index: uint(field(&st, "raft_applied_index", "raftAppliedIndex")),
            is_learner: field(&st, "is_learner", "isLearner")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }

    /// cluster_id, member_id and raft_term, as the last response header gave them (asked
    /// for when no response came yet).
    pub fn header_identity(&self) -> Result<(u64, u64, u64), StoreError> {
        if let Ok(slot) = self.identity.lock()
            && let Some(id) = *slot
        {
            return Ok(id);
        }
        let info = self.cluster_info()?;
        Ok((info.cluster_id, info.member_id, info.raft_term))
    }
}
