//! `etcdctl del`.

use super::super::errors::Failure;
use super::super::output::{Format, fields, json, protobuf, simple};
use super::keyrange::key_range;
use super::{Session, table_unsupported};

pub(crate) fn run(s: &mut Session) -> Result<(), Failure> {
    let (key, range_end) = key_range(
        "del",
        &s.args,
        s.flag_bool("prefix"),
        s.flag_bool("from-key"),
    )?;
    let format = s.format()?;
    let prev_kv = s.flag_bool("prev-kv");
    let resp = s
        .backend()?
        .store()
        .delete_range(&key, &range_end, prev_kv)?;
    let hdr = s.hdr(resp.header.revision)?;
    let hex = s.hex();
    let out = &mut *s.ctx.stdout;
    match format {
        Format::Simple => simple::del(out, hex, &resp)?,
        Format::Json => json::del(out, &hdr, &resp)?,
        Format::Fields => fields::del(out, &hdr, &resp)?,
        Format::Protobuf => protobuf::del(out, &hdr, &resp)?,
        Format::Table => return Err(table_unsupported()),
    }
    Ok(())
}
