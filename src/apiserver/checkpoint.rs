//! Where the embedded control plane last settled, kept in the store under a key outside
//! `/registry` (so it is no API object and `etcdctl get / --prefix` does not list it).

use super::ApiServer;
use super::codec::store_error;
use crate::api::status::ApiError;
use crate::clock::{parse_timestamp, timestamp};
use crate::store::{KeyValue, RangeRequest};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

const KEY: &[u8] = b"kubelite/settled";

/// A start of the cluster found nothing of kube-apiserver's own state (system namespaces,
/// bootstrap RBAC, flow control) to mend at `revision`, wanting the state whose fingerprint
/// is `wanted` (worked out by the kubelite binary `by`). Kept in the settle record, so that
/// a later start that finds none of that state written since need not read it all again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mended {
    pub revision: i64,
    pub wanted: u64,
    pub by: String,
}

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

    /// The settle record as stored, with its JSON (null if it is not JSON).
    fn record(&self) -> Result<Option<(KeyValue, Value)>, ApiError> {
        let resp = self
            .store
            .range(&RangeRequest::single(KEY))
            .map_err(store_error)?;
        Ok(resp.kvs.into_iter().next().map(|kv| {
            let v = serde_json::from_slice(&kv.value).unwrap_or(Value::Null);
            (kv, v)
        }))
    }

    /// The last settle recorded, if any.
    pub fn load_settled(&self) -> Result<Option<Settled>, ApiError> {
        let Some((kv, v)) = self.record()? else {
            return Ok(None);
        };
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

    /// Records a settle (`at` is ignored) with what this server's start found in place
    /// (`set_mended`); returns the revision after recording it.
    pub fn save_settled(&self, settled: &Settled) -> Result<i64, ApiError> {
        let mut value = json!({
            "read": settled.read,
            "nextDue": settled.next_due.map(timestamp),
            "resync": settled.resync,
            "unfinished": settled.unfinished,
        });
        if let Some(m) = &*self.mended.lock().unwrap_or_else(|p| p.into_inner()) {
            // Hex: a u64 need not survive every JSON reader as a number.
            value["mended"] = json!({
                "revision": m.revision,
                "wanted": format!("{:016x}", m.wanted),
                "by": m.by,
            });
        }
        let value = value.to_string();
        let resp = self
            .store
            .put(KEY, value.as_bytes(), false)
            .map_err(store_error)?;
        Ok(resp.header.revision)
    }

    /// What this server's start found in place, for the next settle record (`None`: it
    /// mended something or did not look, and the record says nothing of it).
    pub fn set_mended(&self, mended: Option<Mended>) {
        *self.mended.lock().unwrap_or_else(|p| p.into_inner()) = mended;
    }

    /// What this server's start found in place, as the next settle record will say it.
    pub fn mended(&self) -> Option<Mended> {
        self.mended
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// What the last settle record says a start found in place.
    pub fn load_mended(&self) -> Result<Option<Mended>, ApiError> {
        let Some((_, v)) = self.record()? else {
            return Ok(None);
        };
        let revision = v.pointer("/mended/revision").and_then(Value::as_i64);
        let wanted = v
            .pointer("/mended/wanted")
            .and_then(Value::as_str)
            .and_then(|h| u64::from_str_radix(h, 16).ok());
        let by = v
            .pointer("/mended/by")
            .and_then(Value::as_str)
            .unwrap_or("");
        Ok(revision.zip(wanted).map(|(revision, wanted)| Mended {
            revision,
            wanted,
            by: by.to_string(),
        }))
    }

    /// Whether an object of any of `places` (a resource, a namespace, one name or all) was
    /// written or deleted after `revision`; true when that history is compacted away (it
    /// cannot be told).
    pub fn changed_after(
        &self,
        places: &[(&crate::api::registry::Resource, Option<&str>, Option<&str>)],
        revision: i64,
    ) -> Result<bool, ApiError> {
        let ranges: Vec<(Vec<u8>, Vec<u8>)> = places
            .iter()
            .map(|(r, namespace, name)| {
                let mut key = r.storage_prefix_for(*namespace).into_bytes();
                match name {
                    Some(name) => {
                        key.extend_from_slice(name.as_bytes());
                        // The key alone: the smallest key after it.
                        let mut end = key.clone();
                        end.push(0);
                        (key, end)
                    }
                    None => {
                        let end = crate::store::prefix_range_end(&key);
                        (key, end)
                    }
                }
            })
            .collect();
        match self.store.changed_in(&ranges, revision) {
            Ok(changed) => Ok(changed),
            Err(crate::store::StoreError::Compacted { .. }) => Ok(true),
            Err(e) => Err(store_error(e)),
        }
    }
}
