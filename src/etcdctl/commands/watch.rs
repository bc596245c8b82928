//! `etcdctl watch`: events on a key or range, from a revision on. The store is polled with
//! `events_since`, so this works the same on every backend. It is bounded: it stops at the
//! context's deadline or stop flag.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::super::errors::{EXIT_BAD_ARGS, EXIT_INTERRUPTED, Failure};
use super::super::output::{Format, WatchBatch, fields, json, simple};
use super::{EXIT_STOPPED, Session, table_unsupported};
use crate::store::{StoreError, prefix_range_end};

pub(crate) fn run(s: &mut Session) -> Result<(), Failure> {
    if s.flag_bool("interactive") {
        return Err(Failure::Exit(
            EXIT_BAD_ARGS,
            "interactive watch is not supported by kubelite's etcdctl".into(),
        ));
    }
    let words: Vec<String> = match s.parsed.dash_at {
        Some(d) if d < s.args.len() => {
            return Err(Failure::Exit(
                EXIT_BAD_ARGS,
                "watch exec-command is not supported by kubelite's etcdctl".into(),
            ));
        }
        _ => s.args.clone(),
    };
    if words.is_empty() || words.len() > 2 {
        return Err(Failure::bad_args("bad number of arguments"));
    }
    let prefix = s.flag_bool("prefix");
    let key = crate::etcdctl::args::bytes(&words[0]);
    let range_end = match (words.get(1), prefix) {
        (Some(end), _) => crate::etcdctl::args::bytes(end),
        (None, true) if key.is_empty() => vec![0],
        (None, true) => prefix_range_end(&key),
        (None, false) => Vec::new(),
    };
    let key = if key.is_empty() && prefix {
        vec![0]
    } else {
        key
    };
    let format = s.format()?;
    match format {
        Format::Table => return Err(table_unsupported()),
        // Not checked against the real etcdctl (its watch protobuf output is a stream).
        Format::Protobuf => {
            return Err(Failure::Exit(
                super::super::errors::EXIT_BAD_FEATURE,
                "protobuf not supported as output format".into(),
            ));
        }
        _ => {}
    }
    let prev_kv = s.flag_bool("prev-kv");
    let hex = s.hex();
    let limits = s.ctx.watch.clone();
    let poll = limits.poll.unwrap_or(Duration::from_millis(100));
    let started = Instant::now();
    let mut from = match s.flag_int("rev") {
        r if r > 0 => r,
        _ => s.backend()?.store().current_revision()? + 1,
    };
    loop {
        let result = s
            .backend()?
            .store()
            .events_since(&key, &range_end, from, prev_kv);
        let events = match result {
            Ok(ev) => ev,
            Err(StoreError::Compacted { compact_revision }) => {
                let current = s.backend()?.store().current_revision()?;
                let hdr = s.hdr(current)?;
                let batch = WatchBatch {
                    hdr,
                    events: &[],
                    compact_revision,
                    canceled: true,
                };
                if format == Format::Json {
                    json::watch(s.ctx.stdout, &batch)?;
                } else {
                    s.ctx.stderr.write_all(
                        b"watch was canceled (etcdserver: mvcc: required revision has been compacted)\n",
                    )?;
                }
                return Err(Failure::Exit(
                    EXIT_INTERRUPTED,
                    "watch is canceled by the server".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(last) = events.last() {
            from = last.kv.mod_revision + 1;
            let current = s.backend()?.store().current_revision()?;
            let hdr = s.hdr(current)?;
            let batch = WatchBatch {
                hdr,
                events: &events,
                compact_revision: 0,
                canceled: false,
            };
            let out = &mut *s.ctx.stdout;
            match format {
                Format::Json => json::watch(out, &batch)?,
                Format::Fields => fields::watch(out, &batch)?,
                _ => simple::watch(out, hex, prev_kv, &batch)?,
            }
            out.flush()?;
        }
        if limits
            .stop
            .as_ref()
            .is_some_and(|f| f.load(Ordering::SeqCst))
        {
            return Err(Failure::Quiet(EXIT_STOPPED));
        }
        if limits.deadline.is_some_and(|d| started.elapsed() >= d) {
            return Ok(());
        }
        std::thread::sleep(poll);
    }
}
