//! The `lease` commands' answers in every format. etcdctl prints clientv3's lease responses,
//! which embed the header instead of holding it: JSON puts the header's fields beside the
//! lease's, and protobuf marshals the header alone (the only part with a Marshal method).

use std::io::{self, Write};

use super::super::encode::base64;
use super::{Format, Hdr, fields, json, protobuf};

/// The header's JSON fields without braces, to put beside others (empty if all are zero).
fn flat_hdr(h: &Hdr) -> Vec<String> {
    let obj = json::hdr(h);
    let inner = &obj[1..obj.len() - 1];
    if inner.is_empty() {
        Vec::new()
    } else {
        vec![inner.to_string()]
    }
}

fn json_line(w: &mut dyn Write, h: &Hdr, rest: &[String]) -> io::Result<()> {
    let mut parts = flat_hdr(h);
    parts.extend_from_slice(rest);
    writeln!(w, "{{{}}}", parts.join(","))
}

fn header_only(w: &mut dyn Write, h: &Hdr) -> io::Result<()> {
    w.write_all(&protobuf::hdr(h))
}

pub fn grant(w: &mut dyn Write, f: Format, h: &Hdr, id: i64, ttl: i64) -> io::Result<()> {
    match f {
        Format::Simple => writeln!(w, "lease {id:016x} granted with TTL({ttl}s)"),
        Format::Json => json_line(
            w,
            h,
            &[
                format!("\"ID\":{id}"),
                format!("\"TTL\":{ttl}"),
                "\"Error\":\"\"".into(),
            ],
        ),
        Format::Fields => {
            fields::hdr(w, h)?;
            writeln!(w, "\"ID\" : {id}\n\"TTL\" : {ttl}")
        }
        Format::Protobuf | Format::Table => header_only(w, h),
    }
}

/// `Ok(false)` for protobuf, which etcdctl cannot marshal for a revoke (after revoking).
pub fn revoke(w: &mut dyn Write, f: Format, h: &Hdr, id: i64) -> io::Result<bool> {
    match f {
        Format::Simple => writeln!(w, "lease {id:016x} revoked")?,
        Format::Json => writeln!(w, "{{\"header\":{}}}", json::hdr(h))?,
        Format::Fields => fields::hdr(w, h)?,
        Format::Protobuf | Format::Table => return Ok(false),
    }
    Ok(true)
}

/// Go's `%v` of the revoke response etcdctl names when it cannot marshal it: the header in
/// protobuf's compact text, zero fields left out.
pub fn revoke_text(h: &Hdr) -> String {
    let mut text = String::new();
    for (name, v) in [
        ("cluster_id", h.cluster_id),
        ("member_id", h.member_id),
        ("revision", h.revision as u64),
        ("raft_term", h.raft_term),
    ] {
        if v != 0 {
            text.push_str(&format!("{name}:{v} "));
        }
    }
    format!("{{{text}}}")
}

/// What `lease timetolive` shows of one lease.
pub struct TimeToLive<'a> {
    pub id: i64,
    pub ttl: i64,
    pub granted_ttl: i64,
    pub keys: &'a [Vec<u8>],
    /// `--keys` was given (simple format names the keys only then).
    pub with_keys: bool,
}

pub fn time_to_live(w: &mut dyn Write, f: Format, h: &Hdr, t: &TimeToLive) -> io::Result<()> {
    match f {
        Format::Simple => {
            if t.granted_ttl == 0 && t.ttl == -1 {
                return writeln!(w, "lease {:016x} already expired", t.id);
            }
            write!(
                w,
                "lease {:016x} granted with TTL({}s), remaining({}s)",
                t.id, t.granted_ttl, t.ttl
            )?;
            if t.with_keys {
                let keys: Vec<String> = t
                    .keys
                    .iter()
                    .map(|k| String::from_utf8_lossy(k).into_owned())
                    .collect();
                write!(w, ", attached keys([{}])", keys.join(" "))?;
            }
            writeln!(w)
        }
        Format::Json => {
            let keys = if t.keys.is_empty() {
                "null".to_string()
            } else {
                let items: Vec<String> = t
                    .keys
                    .iter()
                    .map(|k| format!("\"{}\"", base64(k)))
                    .collect();
                format!("[{}]", items.join(","))
            };
            json_line(
                w,
                h,
                &[
                    format!("\"id\":{}", t.id),
                    format!("\"ttl\":{}", t.ttl),
                    format!("\"granted-ttl\":{}", t.granted_ttl),
                    format!("\"keys\":{keys}"),
                ],
            )
        }
        Format::Fields => {
            fields::hdr(w, h)?;
            writeln!(w, "\"ID\" : {}", t.id)?;
            writeln!(w, "\"TTL\" : {}", t.ttl)?;
            writeln!(w, "\"GrantedTTL\" : {}", t.granted_ttl)?;
            for k in t.keys {
                writeln!(w, "\"Key\" : {}", super::super::encode::go_quote(k))?;
            }
            Ok(())
        }
        Format::Protobuf | Format::Table => header_only(w, h),
    }
}

pub fn list(w: &mut dyn Write, f: Format, h: &Hdr, ids: &[i64]) -> io::Result<()> {
    match f {
        Format::Simple => {
            writeln!(w, "found {} leases", ids.len())?;
            for id in ids {
                writeln!(w, "{id:016x}")?;
            }
            Ok(())
        }
        Format::Json => {
            let items: Vec<String> = ids.iter().map(|id| format!("{{\"id\":{id}}}")).collect();
            json_line(w, h, &[format!("\"leases\":[{}]", items.join(","))])
        }
        Format::Fields => {
            fields::hdr(w, h)?;
            for id in ids {
                writeln!(w, "\"ID\" : {id}")?;
            }
            Ok(())
        }
        Format::Protobuf | Format::Table => header_only(w, h),
    }
}

pub fn keep_alive(w: &mut dyn Write, f: Format, h: &Hdr, id: i64, ttl: i64) -> io::Result<()> {
    match f {
        Format::Simple => writeln!(w, "lease {id:016x} keepalived with TTL({ttl})"),
        Format::Json => json_line(w, h, &[format!("\"ID\":{id}"), format!("\"TTL\":{ttl}")]),
        Format::Fields => {
            fields::hdr(w, h)?;
            writeln!(w, "\"ID\" : {id}\n\"TTL\" : {ttl}")
        }
        Format::Protobuf | Format::Table => header_only(w, h),
    }
}
