//! `-w fields`: one `"Name" : value` line per field, byte strings in Go's `%q`.

use std::io::{self, Write};

use super::super::encode::go_quote;
use super::{Hdr, HealthView, MemberView, StatusView, TxnOp, TxnView, WatchBatch};
use crate::store::{DeleteResponse, EventKind, KeyValue, PutResponse, RangeResponse};

pub(super) fn hdr(w: &mut dyn Write, h: &Hdr) -> io::Result<()> {
    writeln!(w, "\"ClusterID\" : {}", h.cluster_id)?;
    writeln!(w, "\"MemberID\" : {}", h.member_id)?;
    writeln!(w, "\"Revision\" : {}", h.revision)?;
    writeln!(w, "\"RaftTerm\" : {}", h.raft_term)
}

fn kv(w: &mut dyn Write, prefix: &str, kv: &KeyValue) -> io::Result<()> {
    writeln!(w, "\"{prefix}Key\" : {}", go_quote(&kv.key))?;
    writeln!(w, "\"{prefix}CreateRevision\" : {}", kv.create_revision)?;
    writeln!(w, "\"{prefix}ModRevision\" : {}", kv.mod_revision)?;
    writeln!(w, "\"{prefix}Version\" : {}", kv.version)?;
    writeln!(w, "\"{prefix}Value\" : {}", go_quote(&kv.value))?;
    writeln!(w, "\"{prefix}Lease\" : {}", kv.lease)
}

pub fn get(w: &mut dyn Write, h: &Hdr, r: &RangeResponse) -> io::Result<()> {
    hdr(w, h)?;
    for item in &r.kvs {
        kv(w, "", item)?;
    }
    writeln!(w, "\"More\" : {}", r.more)?;
    writeln!(w, "\"Count\" : {}", r.count)
}

pub fn put(w: &mut dyn Write, h: &Hdr, r: &PutResponse) -> io::Result<()> {
    hdr(w, h)?;
    if let Some(prev) = &r.prev_kv {
        kv(w, "Prev", prev)?;
    }
    Ok(())
}

pub fn del(w: &mut dyn Write, h: &Hdr, r: &DeleteResponse) -> io::Result<()> {
    hdr(w, h)?;
    writeln!(w, "\"Deleted\" : {}", r.deleted)?;
    for prev in &r.prev_kvs {
        kv(w, "Prev", prev)?;
    }
    Ok(())
}

pub fn txn(w: &mut dyn Write, view: &TxnView) -> io::Result<()> {
    hdr(w, &view.hdr)?;
    writeln!(w, "\"Succeeded\" : {}", view.resp.succeeded)?;
    for op in &view.ops {
        match op {
            TxnOp::Range(h, r) => get(w, h, r)?,
            TxnOp::Put(h, r) => put(w, h, r)?,
            TxnOp::Delete(h, r) => del(w, h, r)?,
        }
    }
    Ok(())
}

pub fn watch(w: &mut dyn Write, batch: &WatchBatch) -> io::Result<()> {
    hdr(w, &batch.hdr)?;
    for ev in batch.events {
        let kind = match ev.kind {
            EventKind::Put => "PUT",
            EventKind::Delete => "DELETE",
        };
        writeln!(w, "\"Type\" : {kind}")?;
        kv(w, "", &ev.kv)?;
        if let Some(prev) = &ev.prev_kv {
            kv(w, "Prev", prev)?;
        }
    }
    Ok(())
}

pub fn member_list(w: &mut dyn Write, h: &Hdr, members: &[MemberView]) -> io::Result<()> {
    hdr(w, h)?;
    for m in members {
        writeln!(w, "\"ID\" : {}", m.id)?;
        writeln!(w, "\"Name\" : {}", go_quote(m.name.as_bytes()))?;
        for u in &m.peer_urls {
            writeln!(w, "\"PeerURL\" : {}", go_quote(u.as_bytes()))?;
        }
        for u in &m.client_urls {
            writeln!(w, "\"ClientURL\" : {}", go_quote(u.as_bytes()))?;
        }
        writeln!(w, "\"IsLearner\" : {}", m.is_learner)?;
        writeln!(w)?;
    }
    Ok(())
}

pub fn endpoint_status(w: &mut dyn Write, statuses: &[StatusView]) -> io::Result<()> {
    for s in statuses {
        hdr(w, &s.hdr)?;
        writeln!(w, "\"Version\" : {}", go_quote(s.version.as_bytes()))?;
        writeln!(w, "\"DBSize\" : {}", s.db_size)?;
        writeln!(w, "\"Leader\" : {}", s.leader)?;
        writeln!(w, "\"IsLearner\" : {}", s.is_learner)?;
        writeln!(w, "\"RaftIndex\" : {}", s.raft_index)?;
        writeln!(w, "\"RaftTerm\" : {}", s.raft_term)?;
        writeln!(w, "\"RaftAppliedIndex\" : {}", s.raft_applied_index)?;
        writeln!(w, "\"Errors\" : [{}]", s.errors.join(" "))?;
        writeln!(w, "\"Endpoint\" : {}", go_quote(s.endpoint.as_bytes()))?;
        writeln!(w)?;
    }
    Ok(())
}

pub fn endpoint_health(w: &mut dyn Write, healths: &[HealthView]) -> io::Result<()> {
    for h in healths {
        writeln!(w, "\"Endpoint\" : {}", go_quote(h.endpoint.as_bytes()))?;
        writeln!(w, "\"Health\" : {}", h.health)?;
        writeln!(w, "\"Took\" : {}", h.took)?;
        writeln!(w, "\"Error\" : {}", h.error)?;
        writeln!(w)?;
    }
    Ok(())
}
