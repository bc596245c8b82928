//! `-w simple` (the default): keys and values one per line.

use std::io::{self, Write};

use super::super::encode::hex_escaped;
use super::{HealthView, MemberView, StatusView, TxnOp, TxnView, WatchBatch, humanize_bytes};
use crate::store::{DeleteResponse, EventKind, KeyValue, PutResponse, RangeResponse};

fn bytes_line(w: &mut dyn Write, hex: bool, data: &[u8]) -> io::Result<()> {
    if hex {
        w.write_all(hex_escaped(data).as_bytes())?;
    } else {
        w.write_all(data)?;
    }
    w.write_all(b"\n")
}

fn kv(w: &mut dyn Write, hex: bool, value_only: bool, kv: &KeyValue) -> io::Result<()> {
    if !value_only {
        bytes_line(w, hex, &kv.key)?;
    }
    bytes_line(w, hex, &kv.value)
}

pub fn get(w: &mut dyn Write, hex: bool, value_only: bool, resp: &RangeResponse) -> io::Result<()> {
    for item in &resp.kvs {
        kv(w, hex, value_only, item)?;
    }
    Ok(())
}

pub fn put(w: &mut dyn Write, hex: bool, resp: &PutResponse) -> io::Result<()> {
    w.write_all(b"OK\n")?;
    if let Some(prev) = &resp.prev_kv {
        kv(w, hex, false, prev)?;
    }
    Ok(())
}

pub fn del(w: &mut dyn Write, hex: bool, resp: &DeleteResponse) -> io::Result<()> {
    writeln!(w, "{}", resp.deleted)?;
    for prev in &resp.prev_kvs {
        kv(w, hex, false, prev)?;
    }
    Ok(())
}

pub fn txn(w: &mut dyn Write, hex: bool, view: &TxnView) -> io::Result<()> {
    w.write_all(if view.resp.succeeded {
        b"SUCCESS\n"
    } else {
        b"FAILURE\n"
    })?;
    for op in &view.ops {
        w.write_all(b"\n")?;
        match op {
            TxnOp::Range(_, r) => get(w, hex, false, r)?,
            TxnOp::Put(_, r) => put(w, hex, r)?,
            TxnOp::Delete(_, r) => del(w, hex, r)?,
        }
    }
    Ok(())
}

pub fn watch(w: &mut dyn Write, hex: bool, prev_kv: bool, batch: &WatchBatch) -> io::Result<()> {
    for ev in batch.events {
        w.write_all(match ev.kind {
            EventKind::Put => b"PUT\n",
            EventKind::Delete => b"DELETE\n",
        })?;
        if prev_kv && let Some(prev) = &ev.prev_kv {
            kv(w, hex, false, prev)?;
        }
        kv(w, hex, false, &ev.kv)?;
    }
    Ok(())
}

pub fn member_list(w: &mut dyn Write, members: &[MemberView]) -> io::Result<()> {
    for m in members {
        let status = if m.name.is_empty() {
            "unstarted"
        } else {
            "started"
        };
        writeln!(
            w,
            "{:x}, {status}, {}, {}, {}, {}",
            m.id,
            m.name,
            m.peer_urls.join(","),
            m.client_urls.join(","),
            m.is_learner
        )?;
    }
    Ok(())
}

pub fn endpoint_status(w: &mut dyn Write, statuses: &[StatusView]) -> io::Result<()> {
    for s in statuses {
        writeln!(
            w,
            "{}, {:x}, {}, {}, {}, {}, {}, {}, {}, {}",
            s.endpoint,
            s.hdr.member_id,
            s.version,
            humanize_bytes(s.db_size),
            s.leader == s.hdr.member_id,
            s.is_learner,
            s.raft_term,
            s.raft_index,
            s.raft_applied_index,
            s.errors.join(", ")
        )?;
    }
    Ok(())
}

/// Health goes to stderr in the simple format, as etcdctl does.
pub fn endpoint_health(err: &mut dyn Write, healths: &[HealthView]) -> io::Result<()> {
    for h in healths {
        if h.health {
            writeln!(
                err,
                "{} is healthy: successfully committed proposal: took = {}",
                h.endpoint, h.took
            )?;
        } else {
            writeln!(
                err,
                "{} is unhealthy: failed to commit proposal: {}",
                h.endpoint, h.error
            )?;
        }
    }
    Ok(())
}
