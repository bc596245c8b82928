//! `etcdctl lease grant|revoke|timetolive|list|keep-alive`.

use std::time::{Duration, Instant};

use super::super::encode::go_quote;
use super::super::errors::{EXIT_BAD_CONNECTION, EXIT_BAD_FEATURE, Failure};
use super::super::output::{Format, lease};
use super::{Session, table_unsupported};
use crate::store::StoreError;

/// A lease ID argument: hexadecimal, as etcdctl's `leaseFromArgs` reads it.
fn lease_id(text: &str) -> Result<i64, Failure> {
    i64::from_str_radix(text, 16).map_err(|_| {
        Failure::bad_args(format!(
            "bad lease ID arg (strconv.ParseInt: parsing {}: {}), expecting ID in Hex",
            go_quote(text.as_bytes()),
            parse_error(text, 16)
        ))
    })
}

/// Why Go's strconv.ParseInt refuses `text`.
fn parse_error(text: &str, radix: u32) -> &'static str {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)) {
        "value out of range"
    } else {
        "invalid syntax"
    }
}

/// A server's refusal, as etcdctl words it for `what` ("failed to grant lease (...)").
fn refused(e: StoreError, what: &'static str) -> Failure {
    let code = match &e {
        StoreError::Io(msg) if msg == "etcdserver: too large lease TTL" => "OutOfRange",
        StoreError::Io(msg) if msg == "etcdserver: lease already exists" => "FailedPrecondition",
        _ => "",
    };
    let failure = match (code, e) {
        ("", e) => Failure::from(e),
        (code, StoreError::Io(message)) => Failure::Server { code, message },
        (_, e) => Failure::from(e),
    };
    match failure {
        Failure::Server { code, message } => Failure::ServerIn {
            code,
            message,
            what,
        },
        other => other,
    }
}

/// The ID of a lease made by the backend's choice: a real etcd picks one; the embedded
/// store is offered etcd-like ids, the next one when one is taken.
fn grant_lease(s: &mut Session, ttl: i64) -> Result<crate::store::LeaseGrant, Failure> {
    let backend = s.backend()?;
    let (first, now) = (backend.new_lease_id(), backend.now());
    let mut id = first;
    loop {
        match backend.store().lease_grant(id, ttl, now) {
            Err(StoreError::Io(msg))
                if first != 0
                    && msg == "etcdserver: lease already exists"
                    && id < first.saturating_add(1 << 16) =>
            {
                id += 1;
            }
            other => return other.map_err(|e| refused(e, "failed to grant lease")),
        }
    }
}

pub(crate) fn grant(s: &mut Session) -> Result<(), Failure> {
    if s.args.len() != 1 {
        return Err(Failure::bad_args("lease grant command needs TTL argument"));
    }
    let text = s.args[0].clone();
    let ttl: i64 = text.parse().map_err(|_| {
        Failure::bad_args(format!(
            "bad TTL (strconv.ParseInt: parsing {}: {})",
            go_quote(text.as_bytes()),
            parse_error(&text, 10)
        ))
    })?;
    let format = s.format()?;
    let granted = grant_lease(s, ttl)?;
    let hdr = s.hdr(granted.header.revision)?;
    if format == Format::Table {
        return Err(table_unsupported());
    }
    lease::grant(s.ctx.stdout, format, &hdr, granted.id, granted.ttl)?;
    Ok(())
}

pub(crate) fn revoke(s: &mut Session) -> Result<(), Failure> {
    if s.args.len() != 1 {
        return Err(Failure::bad_args("lease revoke command needs 1 argument"));
    }
    let id = lease_id(&s.args[0])?;
    let format = s.format()?;
    let header = s
        .backend()?
        .store()
        .lease_revoke(id)
        .map_err(|e| refused(e, "failed to revoke lease"))?;
    let hdr = s.hdr(header.revision)?;
    if format == Format::Table {
        return Err(table_unsupported());
    }
    if !lease::revoke(s.ctx.stdout, format, &hdr, id)? {
        return Err(Failure::Exit(
            EXIT_BAD_FEATURE,
            format!(
                "marshal unsupported for type clientv3.LeaseRevokeResponse ({})",
                lease::revoke_text(&hdr)
            ),
        ));
    }
    Ok(())
}

pub(crate) fn time_to_live(s: &mut Session) -> Result<(), Failure> {
    if s.args.len() != 1 {
        return Err(Failure::bad_args(
            "lease timetolive command needs lease ID as argument",
        ));
    }
    let id = lease_id(&s.args[0])?;
    let with_keys = s.flag_bool("keys");
    let format = s.format()?;
    let backend = s.backend()?;
    let now = backend.now();
    let status = backend
        .store()
        .lease_time_to_live(id, with_keys, now)
        .map_err(|e| refused(e, "failed to get lease TTL"))?;
    let hdr = s.hdr(status.header.revision)?;
    if format == Format::Table {
        return Err(table_unsupported());
    }
    let view = lease::TimeToLive {
        id,
        ttl: status.ttl,
        granted_ttl: status.granted_ttl,
        keys: &status.keys,
        with_keys,
    };
    lease::time_to_live(s.ctx.stdout, format, &hdr, &view)?;
    Ok(())
}

pub(crate) fn list(s: &mut Session) -> Result<(), Failure> {
    let format = s.format()?;
    let store = s.backend()?.store();
    let ids = store
        .lease_list()
        .map_err(|e| refused(e, "failed to list leases"))?;
    let revision = store.current_revision()?;
    let hdr = s.hdr(revision)?;
    if format == Format::Table {
        return Err(table_unsupported());
    }
    lease::list(s.ctx.stdout, format, &hdr, &ids)?;
    Ok(())
}

pub(crate) fn keep_alive(s: &mut Session) -> Result<(), Failure> {
    if s.args.len() != 1 {
        return Err(Failure::bad_args(
            "lease keep-alive command needs lease ID as argument",
        ));
    }
    let id = lease_id(&s.args[0])?;
    let once = s.flag_bool("once");
    let format = s.format()?;
    let started = Instant::now();
    loop {
        let backend = s.backend()?;
        let renewed = match backend.store().lease_keep_alive(id, backend.now()) {
            Ok(r) => r,
            Err(StoreError::LeaseNotFound) if !once => {
                // clientv3's keep-alive channel closes; only the simple printer says so.
                if format == Format::Simple {
                    writeln!(s.ctx.stdout, "lease {id:016x} expired or revoked.")?;
                }
                return Ok(());
            }
            Err(StoreError::LeaseNotFound) => {
                return Err(Failure::Exit(
                    EXIT_BAD_CONNECTION,
                    "etcdserver: requested lease not found".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let hdr = s.hdr(renewed.header.revision)?;
        if format == Format::Table {
            return Err(table_unsupported());
        }
        lease::keep_alive(s.ctx.stdout, format, &hdr, id, renewed.ttl)?;
        s.ctx.stdout.flush()?;
        if once {
            return Ok(());
        }
        // clientv3 renews a third of the TTL after each answer.
        let pause = Duration::from_secs((renewed.ttl / 3).max(1) as u64);
        if !s.wait_or_stop(started, pause)? {
            return Ok(());
        }
    }
}
