//! Where the embedded control plane last settled, kept in the store under a key outside
//! `/registry` (so it is no API object and `etcdctl get / --prefix` does not list it).

use super::ApiServer;
use super::codec::store_error;
use crate::api::status::ApiError;
use crate::cluster::clock::{parse_timestamp, timestamp};
use crate::runtime::Checkpoint;
use crate::store::RangeRequest;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

const KEY: &[u8] = b"kubelite/settled";

impl Checkpoint for ApiServer {
    fn revision(&self) -> Result<i64, ApiError> {
        self.store.current_revision().map_err(store_error)
    }

    fn load(&self) -> Result<(i64, Option<DateTime<Utc>>), ApiError> {
        let resp = self
            .store
            .range(&RangeRequest {
                key: KEY.to_vec(),
                ..Default::default()
            })
            .map_err(store_error)?;
        let Some(kv) = resp.kvs.first() else {
            return Ok((0, None));
        };
        let v: Value = serde_json::from_slice(&kv.value).unwrap_or(Value::Null);
        let due = v["nextDue"].as_str().and_then(parse_timestamp);
        // The checkpoint's own write is the revision the cluster settled at.
        Ok((kv.mod_revision, due))
    }

    fn defer_durability(&self, on: bool) -> Result<(), ApiError> {
        self.store.set_deferred(on).map_err(store_error)
    }

    fn save(&self, next_due: Option<DateTime<Utc>>) -> Result<i64, ApiError> {
        let value = json!({"nextDue": next_due.map(timestamp)}).to_string();
        let resp = self
            .store
            .put(KEY, value.as_bytes(), false)
            .map_err(store_error)?;
        Ok(resp.header.revision)
    }
}
