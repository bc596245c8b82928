//! `-w json`: Go's encoding/json of etcd's protobuf structs: snake_case names, zero values
//! omitted, bytes as base64, 64-bit integers as plain numbers; one line per response.

use std::io::{self, Write};

use super::super::encode::{base64, go_json_string};
use super::{Hdr, HealthView, MemberView, StatusView, TxnOp, TxnView, WatchBatch};
use crate::store::{DeleteResponse, EventKind, KeyValue, PutResponse, RangeResponse};

/// Builds `{"a":1,"b":...}` skipping the fields Go's `omitempty` drops.
struct Obj(Vec<String>);

impl Obj {
    fn new() -> Obj {
        Obj(Vec::new())
    }
    fn raw(mut self, name: &str, value: String) -> Obj {
        self.0.push(format!("\"{name}\":{value}"));
        self
    }
    fn num<T: std::fmt::Display + Default + PartialEq>(self, name: &str, v: T) -> Obj {
        if v == T::default() {
            self
        } else {
            self.raw(name, v.to_string())
        }
    }
    fn bytes(self, name: &str, v: &[u8]) -> Obj {
        if v.is_empty() {
            self
        } else {
            self.raw(name, format!("\"{}\"", base64(v)))
        }
    }
    fn bool(self, name: &str, v: bool) -> Obj {
        if v {
            self.raw(name, "true".into())
        } else {
            self
        }
    }
    fn list(self, name: &str, items: Vec<String>) -> Obj {
        if items.is_empty() {
            self
        } else {
            self.raw(name, format!("[{}]", items.join(",")))
        }
    }
    fn done(self) -> String {
        format!("{{{}}}", self.0.join(","))
    }
}

pub fn hdr(h: &Hdr) -> String {
    Obj::new()
        .num("cluster_id", h.cluster_id)
        .num("member_id", h.member_id)
        .num("revision", h.revision)
        .num("raft_term", h.raft_term)
        .done()
}

pub fn kv(kv: &KeyValue) -> String {
    Obj::new()
        .bytes("key", &kv.key)
        .num("create_revision", kv.create_revision)
        .num("mod_revision", kv.mod_revision)
        .num("version", kv.version)
        .bytes("value", &kv.value)
        .num("lease", kv.lease)
        .done()
}

fn range_obj(h: &Hdr, r: &RangeResponse) -> String {
    Obj::new()
        .raw("header", hdr(h))
        .list("kvs", r.kvs.iter().map(kv).collect())
        .bool("more", r.more)
        .num("count", r.count)
        .done()
}

fn put_obj(h: &Hdr, r: &PutResponse) -> String {
    let o = Obj::new().raw("header", hdr(h));
    match &r.prev_kv {
        Some(p) => o.raw("prev_kv", kv(p)),
        None => o,
    }
    .done()
}

fn del_obj(h: &Hdr, r: &DeleteResponse) -> String {
    Obj::new()
        .raw("header", hdr(h))
        .num("deleted", r.deleted)
        .list("prev_kvs", r.prev_kvs.iter().map(kv).collect())
        .done()
}

pub fn get(w: &mut dyn Write, h: &Hdr, r: &RangeResponse) -> io::Result<()> {
    writeln!(w, "{}", range_obj(h, r))
}

pub fn put(w: &mut dyn Write, h: &Hdr, r: &PutResponse) -> io::Result<()> {
    writeln!(w, "{}", put_obj(h, r))
}

pub fn del(w: &mut dyn Write, h: &Hdr, r: &DeleteResponse) -> io::Result<()> {
    writeln!(w, "{}", del_obj(h, r))
}

pub fn txn(w: &mut dyn Write, view: &TxnView) -> io::Result<()> {
    let ops = view
        .ops
        .iter()
        .map(|op| {
            let (name, body) = match op {
                TxnOp::Range(h, r) => ("ResponseRange", range_obj(h, r)),
                TxnOp::Put(h, r) => ("ResponsePut", put_obj(h, r)),
                TxnOp::Delete(h, r) => ("ResponseDeleteRange", del_obj(h, r)),
            };
            format!("{{\"Response\":{{\"{name}\":{body}}}}}")
        })
        .collect();
    let text = Obj::new()
        .raw("header", hdr(&view.hdr))
        .bool("succeeded", view.resp.succeeded)
        .list("responses", ops)
        .done();
    writeln!(w, "{text}")
}

pub fn watch(w: &mut dyn Write, batch: &WatchBatch) -> io::Result<()> {
    let events: Vec<String> = batch
        .events
        .iter()
        .map(|ev| {
            let kind = if ev.kind == EventKind::Delete { 1 } else { 0 };
            let o = Obj::new().num("type", kind).raw("kv", kv(&ev.kv));
            match &ev.prev_kv {
                Some(p) => o.raw("prev_kv", kv(p)),
                None => o,
            }
            .done()
        })
        .collect();
    // clientv3's WatchResponse has no json tags: Go field names, nothing omitted.
    writeln!(
        w,
        "{{\"Header\":{},\"Events\":{},\"CompactRevision\":{},\"Canceled\":{},\"Created\":false}}",
        hdr(&batch.hdr),
        if events.is_empty() {
            "null".to_string()
        } else {
            format!("[{}]", events.join(","))
        },
        batch.compact_revision,
        batch.canceled
    )
}

fn strings(v: &[String]) -> Vec<String> {
    v.iter().map(|s| go_json_string(s)).collect()
}

pub fn member_list(w: &mut dyn Write, h: &Hdr, members: &[MemberView]) -> io::Result<()> {
    let ms = members
        .iter()
        .map(|m| {
            let o = Obj::new().num("ID", m.id);
            let o = if m.name.is_empty() {
                o
            } else {
                o.raw("name", go_json_string(&m.name))
            };
            o.list("peerURLs", strings(&m.peer_urls))
                .list("clientURLs", strings(&m.client_urls))
                .bool("isLearner", m.is_learner)
                .done()
        })
        .collect();
    writeln!(
        w,
        "{}",
        Obj::new().raw("header", hdr(h)).list("members", ms).done()
    )
}

pub fn endpoint_status(w: &mut dyn Write, statuses: &[StatusView]) -> io::Result<()> {
    let items: Vec<String> = statuses
        .iter()
        .map(|s| {
            let status = Obj::new()
                .raw("header", hdr(&s.hdr))
                .raw("version", go_json_string(&s.version))
                .num("dbSize", s.db_size)
                .num("leader", s.leader)
                .num("raftIndex", s.raft_index)
                .num("raftTerm", s.raft_term)
                .num("raftAppliedIndex", s.raft_applied_index)
                .list("errors", strings(&s.errors))
                .num("dbSizeInUse", s.db_size_in_use)
                .bool("isLearner", s.is_learner)
                .done();
            format!(
                "{{\"Endpoint\":{},\"Status\":{status}}}",
                go_json_string(&s.endpoint)
            )
        })
        .collect();
    writeln!(w, "[{}]", items.join(","))
}

pub fn endpoint_health(w: &mut dyn Write, healths: &[HealthView]) -> io::Result<()> {
    let items: Vec<String> = healths
        .iter()
        .map(|h| {
            let o = Obj::new()
                .raw("endpoint", go_json_string(&h.endpoint))
                .raw("health", h.health.to_string())
                .raw("took", go_json_string(&h.took));
            if h.error.is_empty() {
                o
            } else {
                o.raw("error", go_json_string(&h.error))
            }
            .done()
        })
        .collect();
    writeln!(w, "[{}]", items.join(","))
}
