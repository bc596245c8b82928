//! `etcdctl put`.

use super::super::errors::Failure;
use super::super::output::{Format, fields, json, protobuf, simple};
use super::{Session, table_unsupported};
use crate::store::{RangeRequest, RequestOp, ResponseOp, TxnRequest};

const NEEDS_ARGS: &str = "put command needs 1 argument and input from stdin or 2 arguments";

pub(crate) fn run(s: &mut Session) -> Result<(), Failure> {
    let Some(key) = s.args.first().map(|k| crate::etcdctl::args::bytes(k)) else {
        return Err(Failure::bad_args(NEEDS_ARGS));
    };
    let ignore_value = s.flag_bool("ignore-value");
    if ignore_value && s.args.len() > 1 {
        return Err(Failure::bad_args(
            "put command needs only 1 argument when 'ignore-value' is set",
        ));
    }
    let lease_text = s.flag_str("lease");
    let lease = i64::from_str_radix(&lease_text, 16).map_err(|_| {
        Failure::bad_args(format!(
            "bad lease ID (strconv.ParseInt: parsing {}: invalid syntax), expecting ID in Hex",
            super::super::encode::go_quote(lease_text.as_bytes())
        ))
    })?;
    let value: Option<Vec<u8>> = match s.args.get(1) {
        Some(v) => Some(crate::etcdctl::args::bytes(v)),
        None if ignore_value => None,
        None => {
            let mut buf = Vec::new();
            s.ctx
                .stdin
                .read_to_end(&mut buf)
                .map_err(|e| Failure::bad_args(e.to_string()))?;
            if buf.is_empty() {
                return Err(Failure::bad_args(NEEDS_ARGS));
            }
            Some(buf)
        }
    };
    let format = s.format()?;
    let prev_kv = s.flag_bool("prev-kv");
    let store = s.backend()?.store();
    let value = match value {
        Some(v) => v,
        None => {
            let current = store.range(&RangeRequest::single(&key))?;
            match current.kvs.into_iter().next() {
                Some(kv) => kv.value,
                None => {
                    return Err(Failure::Server {
                        code: "InvalidArgument",
                        message: "etcdserver: key not found".into(),
                    });
                }
            }
        }
    };
    let resp = if lease == 0 {
        store.put(&key, &value, prev_kv)?
    } else {
        let mut txn = store.txn(&TxnRequest {
            compare: vec![],
            success: vec![RequestOp::Put {
                key,
                value,
                prev_kv,
                lease,
            }],
            failure: vec![],
        })?;
        match txn.responses.pop() {
            Some(ResponseOp::Put(mut put)) => {
                put.header = txn.header;
                put
            }
            _ => return Err(Failure::Exit(1, "put gave no answer".into())),
        }
    };
    let hdr = s.hdr(resp.header.revision)?;
    let hex = s.hex();
    let out = &mut *s.ctx.stdout;
    match format {
        Format::Simple => simple::put(out, hex, &resp)?,
        Format::Json => json::put(out, &hdr, &resp)?,
        Format::Fields => fields::put(out, &hdr, &resp)?,
        Format::Protobuf => protobuf::put(out, &hdr, &resp)?,
        Format::Table => return Err(table_unsupported()),
    }
    Ok(())
}
