//! Where the embedded control plane last settled, kept in the store under a key outside
//! `/registry` (so it is no API object and `etcdctl get / --prefix` does not list it).

use super::ApiServer;
use super::codec::store_error;
use crate::api::status::ApiError;
use crate::clock::{parse_timestamp, timestamp};
use crate::store::RangeRequest;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

const KEY: &[u8] = b"kubelite/settled";

/// Where the last settle ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settled {
    /// The last revision whose changes the components have read.
    pub read: i64,
    /// The revision of the record itself: nothing was written since if the store is still
    /// at it.
    pub at: i64,
    /// When timed work is next due.
    pub next_due: Option<DateTime<Utc>>,
    /// Components that failed and must resync from scratch.
    pub resync: Vec<String>,
    /// The settle stopped with work left: the next one must run even if nothing changed.
    pub unfinished: bool,
}

impl ApiServer {
    /// The store's current revision: the resourceVersion of the newest write.
    pub fn current_revision(&self) -> Result<i64, ApiError> {
        self.store.current_revision().map_err(store_error)
    }

    /// A revision no older than this server's last write (`Store::recent_revision`): no
    /// round trip to a store in etcd.
    pub fn recent_revision(&self) -> Result<i64, ApiError> {
        self.store.recent_revision().map_err(store_error)
    }

    /// The last settle recorded, if any.
    pub fn load_settled(&self) -> Result<Option<Settled>, ApiError> {
        let resp = self
            .store
            .range(&RangeRequest::single(KEY))
            .map_err(store_error)?;
        let Some(kv) = resp.kvs.first() else {
            return Ok(None);
        };
        let v: Value = serde_json::from_slice(&kv.value).unwrap_or(Value::Null);
        Ok(Some(Settled {
            // Records written before the read revision was kept: their own revision.
            read: v["read"].as_i64().unwrap_or(kv.mod_revision),
            at: kv.mod_revision,
            next_due: v["nextDue"].as_str().and_then(parse_timestamp),
            resync: v["resync"]
                .as_array()
                .map(|names| {
                    names
                        .iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            unfinished: v["unfinished"].as_bool().unwrap_or(false),
        }))
    }

    /// Batches the writes that follow into one durable commit, until called with `false`
    /// (which commits them). Only for the control plane's own derived writes.
    pub fn defer_durability(&self, on: bool) -> Result<(), ApiError> {
        self.store.set_deferred(on).map_err(store_error)
    }

    /// Records a settle (`at` is ignored); returns the revision after recording it.
    pub fn save_settled(&self, settled: &Settled) -> Result<i64, ApiError> {
        let value = json!({
            "read": settled.read,
            "nextDue": settled.next_due.map(timestamp),
            "resync": settled.resync,
            "unfinished": settled.unfinished,
        })
        .to_string();
        let resp = self
            .store
            .put(KEY, value.as_bytes(), false)
            .map_err(store_error)?;
        Ok(resp.header.revision)
    }
}
