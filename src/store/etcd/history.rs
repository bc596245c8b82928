//! The change log of a real etcd, as the API server reads it (`events_between`): etcd keeps
//! history but serves it only through watches, so a piece of the log is one watch from the
//! first revision wanted, read until the last one has arrived, then closed.
//!
//! The watch covers every key, whatever range was asked for, and the events outside it are
//! dropped here: every revision is made by at least one change of some key, so a watch over
//! all keys has seen everything up to `until` once an event at `until` came. A watch over
//! the range alone could not tell a range nobody wrote from a stream that is still coming.

use std::io::{BufRead, BufReader, Read};

use serde_json::{Map, Value, json};

use super::{EtcdStore, UNREACHABLE, b64, int, io, kv_of, server_error};
use crate::store::rules::Bounds;
use crate::store::{Event, EventKind, StoreError};

/// A line far longer than this is not etcd talking (a watch response carries a batch of
/// events; etcd cuts batches well below its 1.5 MiB request limit per value).
const MAX_LINE: usize = 64 << 20;

impl EtcdStore {
    /// The changes of revisions `from..=until` over `[key, range_end)`, in revision order.
    /// `Compacted` when `from` is below etcd's compacted revision.
    pub(crate) fn history(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        until: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        if from > until {
            return Ok(Vec::new());
        }
        let mut create = Map::new();
        create.insert("key".into(), b64(&[0]));
        create.insert("range_end".into(), b64(&[0]));
        create.insert("start_revision".into(), json!(from.to_string()));
        create.insert("prev_kv".into(), json!(prev_kv));
        let body = json!({ "create_request": Value::Object(create) }).to_string();
        // The request's timeout bounds the whole read, so a member that stops answering
        // mid-stream fails the call instead of holding it.
        let resp = self
            .client
            .post(format!("{}/v3/watch", self.base))
            .timeout(self.command_timeout)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .map_err(|_| io(UNREACHABLE))?;
        let wanted = Bounds::new(key, range_end);
        let mut reader = BufReader::new(resp);
        let mut events = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            let n = (&mut reader)
                .take(MAX_LINE as u64)
                .read_line(&mut line)
                .map_err(|_| io(UNREACHABLE))?;
            if n == 0 {
                // etcd closed the stream before `until` arrived.
                return Err(io(UNREACHABLE));
            }
            let Ok(v) = serde_json::from_str::<Value>(&line) else {
                if n >= MAX_LINE {
                    return Err(io("etcd sent a watch response too long to read"));
                }
                continue;
            };
            if let Some(err) = v.get("error") {
                let msg = err
                    .get("message")
                    .and_then(Value::as_str)
                    .or_else(|| err.as_str())
                    .unwrap_or("watch failed");
                return Err(server_error(msg));
            }
            let result = v.get("result").unwrap_or(&v);
            if result.get("canceled").and_then(Value::as_bool) == Some(true) {
                let compact_revision = int(result.get("compact_revision"));
                if compact_revision != 0 {
                    return Err(StoreError::Compacted { compact_revision });
                }
                let reason = result
                    .get("cancel_reason")
                    .and_then(Value::as_str)
                    .unwrap_or("etcdserver: watch canceled");
                return Err(server_error(reason));
            }
            let mut reached = 0;
            for ev in result
                .get("events")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let kv = kv_of(ev.get("kv").unwrap_or(&Value::Null))?;
                reached = kv.mod_revision;
                if kv.mod_revision > until {
                    break;
                }
                if !wanted.contains(&kv.key) {
                    continue;
                }
                let kind = match ev.get("type").and_then(Value::as_str) {
                    Some("DELETE") => EventKind::Delete,
                    _ => EventKind::Put,
                };
                let prev_kv = ev.get("prev_kv").map(kv_of).transpose()?;
                events.push(Event { kind, kv, prev_kv });
            }
            // A batch holds whole revisions, so `until` is complete once it was seen.
            if reached >= until {
                return Ok(events);
            }
        }
    }
}
