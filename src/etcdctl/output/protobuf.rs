//! `-w protobuf`: the response's protobuf encoding (etcdserverpb), written raw with no
//! newline. Fields in number order, zero values left out (proto3).

use std::io::{self, Write};

use super::{Hdr, MemberView, TxnOp, TxnView};
use crate::store::{DeleteResponse, KeyValue, PutResponse, RangeResponse};

pub(super) fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn uint(out: &mut Vec<u8>, field: u64, v: u64) {
    if v != 0 {
        varint(out, field << 3);
        varint(out, v);
    }
}

fn int(out: &mut Vec<u8>, field: u64, v: i64) {
    uint(out, field, v as u64);
}

fn bytes(out: &mut Vec<u8>, field: u64, v: &[u8]) {
    if !v.is_empty() {
        message(out, field, v);
    }
}

/// An embedded message is written even when empty (it is present).
pub(super) fn message(out: &mut Vec<u8>, field: u64, body: &[u8]) {
    varint(out, (field << 3) | 2);
    varint(out, body.len() as u64);
    out.extend_from_slice(body);
}

pub(super) fn hdr(h: &Hdr) -> Vec<u8> {
    let mut out = Vec::new();
    uint(&mut out, 1, h.cluster_id);
    uint(&mut out, 2, h.member_id);
    int(&mut out, 3, h.revision);
    uint(&mut out, 4, h.raft_term);
    out
}

fn kv(kv: &KeyValue) -> Vec<u8> {
    let mut out = Vec::new();
    bytes(&mut out, 1, &kv.key);
    int(&mut out, 2, kv.create_revision);
    int(&mut out, 3, kv.mod_revision);
    int(&mut out, 4, kv.version);
    bytes(&mut out, 5, &kv.value);
    int(&mut out, 6, kv.lease);
    out
}

fn range(h: &Hdr, r: &RangeResponse) -> Vec<u8> {
    let mut out = Vec::new();
    message(&mut out, 1, &hdr(h));
    for item in &r.kvs {
        message(&mut out, 2, &kv(item));
    }
    uint(&mut out, 3, u64::from(r.more));
    int(&mut out, 4, r.count);
    out
}

fn put_msg(h: &Hdr, r: &PutResponse) -> Vec<u8> {
    let mut out = Vec::new();
    message(&mut out, 1, &hdr(h));
    if let Some(p) = &r.prev_kv {
        message(&mut out, 2, &kv(p));
    }
    out
}

fn del_msg(h: &Hdr, r: &DeleteResponse) -> Vec<u8> {
    let mut out = Vec::new();
    message(&mut out, 1, &hdr(h));
    int(&mut out, 2, r.deleted);
    for p in &r.prev_kvs {
        message(&mut out, 3, &kv(p));
    }
    out
}

pub fn get(w: &mut dyn Write, h: &Hdr, r: &RangeResponse) -> io::Result<()> {
    w.write_all(&range(h, r))
}

pub fn put(w: &mut dyn Write, h: &Hdr, r: &PutResponse) -> io::Result<()> {
    w.write_all(&put_msg(h, r))
}

pub fn del(w: &mut dyn Write, h: &Hdr, r: &DeleteResponse) -> io::Result<()> {
    w.write_all(&del_msg(h, r))
}

pub fn txn(w: &mut dyn Write, view: &TxnView) -> io::Result<()> {
    let mut out = Vec::new();
    message(&mut out, 1, &hdr(&view.hdr));
    uint(&mut out, 2, u64::from(view.resp.succeeded));
    for op in &view.ops {
        let mut one = Vec::new();
        match op {
            TxnOp::Range(h, r) => message(&mut one, 1, &range(h, r)),
            TxnOp::Put(h, r) => message(&mut one, 2, &put_msg(h, r)),
            TxnOp::Delete(h, r) => message(&mut one, 3, &del_msg(h, r)),
        }
        message(&mut out, 3, &one);
    }
    w.write_all(&out)
}

pub fn member_list(w: &mut dyn Write, h: &Hdr, members: &[MemberView]) -> io::Result<()> {
    let mut out = Vec::new();
    message(&mut out, 1, &hdr(h));
    for m in members {
        let mut one = Vec::new();
        uint(&mut one, 1, m.id);
        bytes(&mut one, 2, m.name.as_bytes());
        for u in &m.peer_urls {
            bytes(&mut one, 3, u.as_bytes());
        }
        for u in &m.client_urls {
            bytes(&mut one, 4, u.as_bytes());
        }
        uint(&mut one, 5, u64::from(m.is_learner));
        message(&mut out, 2, &one);
    }
    w.write_all(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_a_put_response_header() {
        let h = Hdr {
            cluster_id: 1,
            member_id: 300,
            revision: 11,
            raft_term: 2,
        };
        let mut out = Vec::new();
        put(&mut out, &h, &PutResponse::default()).unwrap();
        assert_eq!(
            out,
            vec![
                0x0a, 0x09, 0x08, 0x01, 0x10, 0xac, 0x02, 0x18, 0x0b, 0x20, 0x02
            ]
        );
    }
}
