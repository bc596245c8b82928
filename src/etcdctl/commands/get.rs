//! `etcdctl get`.

use super::super::errors::{EXIT_BAD_FEATURE, Failure};
use super::super::output::{Format, fields, json, protobuf, simple};
use super::keyrange::key_range;
use super::{Session, table_unsupported};
use crate::store::{RangeRequest, SortOrder, SortTarget};

pub(crate) fn run(s: &mut Session) -> Result<(), Failure> {
    let (key, range_end) = key_range(
        "get",
        &s.args,
        s.flag_bool("prefix"),
        s.flag_bool("from-key"),
    )?;
    let consistency = s.flag_str("consistency");
    if consistency != "l" && consistency != "s" {
        return Err(Failure::Exit(
            EXIT_BAD_FEATURE,
            format!(
                "unknown consistency flag {}",
                super::super::encode::go_quote(consistency.as_bytes())
            ),
        ));
    }
    let sort_order = match s.flag_str("order").to_uppercase().as_str() {
        "" => SortOrder::None,
        "ASCEND" => SortOrder::Ascend,
        "DESCEND" => SortOrder::Descend,
        _ => {
            return Err(Failure::Exit(
                EXIT_BAD_FEATURE,
                format!("bad sort order {}", s.flag_str("order")),
            ));
        }
    };
    let sort_target = match s.flag_str("sort-by").to_uppercase().as_str() {
        "" | "KEY" => SortTarget::Key,
        "CREATE" => SortTarget::Create,
        "MODIFY" => SortTarget::Mod,
        "VALUE" => SortTarget::Value,
        "VERSION" => SortTarget::Version,
        _ => {
            return Err(Failure::Exit(
                EXIT_BAD_FEATURE,
                format!("bad sort target {}", s.flag_str("sort-by")),
            ));
        }
    };
    let value_only = s.flag_bool("print-value-only");
    let format = s.format()?;
    if value_only && format != Format::Simple {
        return Err(Failure::bad_args(
            "print-value-only is only for `--write-out=simple`",
        ));
    }
    let req = RangeRequest {
        key,
        range_end,
        limit: s.flag_int("limit"),
        revision: s.flag_int("rev"),
        keys_only: s.flag_bool("keys-only"),
        count_only: false,
        uncounted: false,
        sort_order,
        sort_target,
    };
    let resp = s.backend()?.store().range(&req)?;
    let hdr = s.hdr(resp.header.revision)?;
    let hex = s.hex();
    let out = &mut *s.ctx.stdout;
    match format {
        Format::Simple => simple::get(out, hex, value_only, &resp)?,
        Format::Json => json::get(out, &hdr, &resp)?,
        Format::Fields => fields::get(out, &hdr, &resp)?,
        Format::Protobuf => protobuf::get(out, &hdr, &resp)?,
        Format::Table => return Err(table_unsupported()),
    }
    Ok(())
}
