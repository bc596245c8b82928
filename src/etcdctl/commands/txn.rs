//! `etcdctl txn [-i]`: a transaction read from stdin.

use super::super::errors::Failure;
use super::super::output::{Format, Hdr, TxnOp, TxnView, fields, json, protobuf, simple};
use super::txn_parse::{parse_compare, parse_request, read_block};
use super::{Session, table_unsupported};
use crate::store::{RequestOp, ResponseOp, TxnRequest, TxnResponse};

fn read_ops(s: &mut Session) -> Result<Vec<RequestOp>, Failure> {
    let mut usage = None;
    let result = read_block(s.ctx.stdin, |line| {
        parse_request(line).map_err(|e| {
            usage = e.usage;
            e.failure
        })
    });
    if let Some(text) = usage {
        s.ctx.stderr.write_all(text.as_bytes())?;
    }
    result
}

pub(crate) fn run(s: &mut Session) -> Result<(), Failure> {
    let interactive = s.flag_bool("interactive");
    if interactive {
        s.ctx.stdout.write_all(b"compares:\n")?;
    }
    let compare = read_block(s.ctx.stdin, parse_compare)?;
    if interactive {
        s.ctx
            .stdout
            .write_all(b"success requests (get, put, del):\n")?;
    }
    let success = read_ops(s)?;
    if interactive {
        s.ctx
            .stdout
            .write_all(b"failure requests (get, put, del):\n")?;
    }
    let failure = read_ops(s)?;
    let format = s.format()?;
    let req = TxnRequest {
        compare,
        success,
        failure,
    };
    let resp = s.backend()?.store().txn(&req)?;
    let hdr = s.hdr(resp.header.revision)?;
    let view = TxnView {
        hdr,
        resp: &resp,
        ops: nested_ops(&resp),
    };
    let hex = s.hex();
    let out = &mut *s.ctx.stdout;
    match format {
        Format::Simple => simple::txn(out, hex, &view)?,
        Format::Json => json::txn(out, &view)?,
        Format::Fields => fields::txn(out, &view)?,
        Format::Protobuf => protobuf::txn(out, &view)?,
        Format::Table => return Err(table_unsupported()),
    }
    Ok(())
}

/// The nested responses with the headers etcd 3.4 gives them: a write carries the
/// transaction's revision; a read carries the revision it saw, which is the one before the
/// transaction until the branch has written something.
fn nested_ops(resp: &TxnResponse) -> Vec<TxnOp<'_>> {
    let wrote = |op: &ResponseOp| match op {
        ResponseOp::Put(_) => true,
        ResponseOp::Delete(d) => d.deleted > 0,
        ResponseOp::Range(_) => false,
    };
    let final_rev = resp.header.revision;
    let before = if resp.responses.iter().any(wrote) {
        final_rev - 1
    } else {
        final_rev
    };
    let mut written = false;
    resp.responses
        .iter()
        .map(|op| {
            let view = match op {
                ResponseOp::Range(r) => {
                    TxnOp::Range(Hdr::nested(if written { before + 1 } else { before }), r)
                }
                ResponseOp::Put(p) => TxnOp::Put(Hdr::nested(final_rev), p),
                ResponseOp::Delete(d) => TxnOp::Delete(Hdr::nested(final_rev), d),
            };
            written |= wrote(op);
            view
        })
        .collect()
}
