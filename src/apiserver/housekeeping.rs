//! What kube-apiserver and etcd do on their own as time passes, done on the cluster's clock
//! each time the control plane runs (before every one-shot command's settle, and every second
//! in `serve`):
//!
//! - expired leases are revoked, which deletes the Events attached to them (`event_ttl`);
//!   at most `EXPIRE_BUDGET` keys a pass, and a pass with nothing due costs one index lookup;
//! - history is compacted as kube-apiserver's compactor does: every five minutes it puts the
//!   revision it saw at the previous tick into `compact_rev_key` (guarded by that key's
//!   version, so two servers do not both compact) and compacts the store to it; so the last
//!   five to ten minutes of history stay for watchers, and older watches get 410 Gone;
//! - after a compaction, the file's free pages are given back when most of it is free.
//!
//! The compactor's clock lives in the store (`kubelite/compactor`, the time of the last
//! tick), since one-shot commands do not live five minutes.

use chrono::{DateTime, Utc};

use super::ApiServer;
use super::codec::store_error;
use crate::api::status::ApiError;
use crate::clock::{parse_timestamp, timestamp};
use crate::store::{
    Compare, CompareResult, CompareTarget, Expired, RangeRequest, RequestOp, StoreError, TxnRequest,
};

/// Most keys one pass deletes as leases expire (the rest go in the next pass).
const EXPIRE_BUDGET: usize = 20_000;
/// kube-apiserver's `--etcd-compaction-interval` default.
const COMPACTION_INTERVAL: i64 = 300;
/// kube-apiserver's key: the revision of the last compaction; its version counts the ticks.
const COMPACT_REV_KEY: &[u8] = b"compact_rev_key";
/// When the compactor last ticked (outside `/registry`, as the settle record).
const TICK_KEY: &[u8] = b"kubelite/compactor";
/// A cluster never ticked counts from the birth of this namespace.
const BIRTH_KEY: &[u8] = b"/registry/namespaces/default";

/// What one housekeeping pass did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Housekeeping {
    pub expired: Expired,
    /// The revision history was compacted to.
    pub compacted: Option<i64>,
    /// The store file's size before and after its free pages were given back.
    pub reclaimed: Option<(u64, u64)>,
}

impl ApiServer {
    /// Expires leases, compacts history and reclaims free space as due at `now`.
    pub fn housekeeping(&self, now: DateTime<Utc>) -> Result<Housekeeping, ApiError> {
        let mut done = Housekeeping::default();
        match self.store.expire_leases(now.timestamp(), EXPIRE_BUDGET) {
            Ok(expired) => done.expired = expired,
            Err(StoreError::LeasesUnsupported) => {}
            Err(e) => return Err(store_error(e)),
        }
        done.compacted = self.compactor_tick(now)?;
        if done.compacted.is_some() {
            done.reclaimed = self.store.reclaim_space().map_err(store_error)?;
        }
        Ok(done)
    }

    /// kube-apiserver's compactor, one tick if due: returns the revision compacted to.
    fn compactor_tick(&self, now: DateTime<Utc>) -> Result<Option<i64>, ApiError> {
        let Some(last) = self.last_tick()? else {
            return Ok(None);
        };
        if (now - last).num_seconds() < COMPACTION_INTERVAL {
            return Ok(None);
        }
        let key = self.read_key(COMPACT_REV_KEY)?;
        let ticks = key.as_ref().map_or(0, |kv| kv.version);
        // The revision seen at the previous tick is that tick's own write.
        let previous = key.as_ref().map_or(0, |kv| kv.mod_revision);
        let resp = self
            .store
            .txn(&TxnRequest {
                compare: vec![Compare {
                    key: COMPACT_REV_KEY.to_vec(),
                    range_end: vec![],
                    target: CompareTarget::Version(ticks),
                    result: CompareResult::Equal,
                }],
                success: vec![
                    put(COMPACT_REV_KEY, previous.to_string()),
                    put(TICK_KEY, timestamp(now)),
                ],
                failure: vec![],
            })
            .map_err(store_error)?;
        // Another server ticked first, or this is the first tick: nothing to compact.
        if !resp.succeeded || previous == 0 {
            return Ok(None);
        }
        match self.store.compact(previous) {
            Ok(_) => Ok(Some(previous)),
            // Someone (etcdctl compaction) compacted further already.
            Err(StoreError::Compacted { .. }) => Ok(None),
            Err(e) => Err(store_error(e)),
        }
    }

    /// When the compactor last ticked; a cluster that never ticked counts from its birth.
    fn last_tick(&self) -> Result<Option<DateTime<Utc>>, ApiError> {
        if let Some(kv) = self.read_key(TICK_KEY)? {
            return Ok(std::str::from_utf8(&kv.value)
                .ok()
                .and_then(parse_timestamp));
        }
        let Some(kv) = self.read_key(BIRTH_KEY)? else {
            return Ok(None);
        };
        let ns: serde_json::Value = serde_json::from_slice(&kv.value).unwrap_or_default();
        Ok(ns["metadata"]["creationTimestamp"]
            .as_str()
            .and_then(parse_timestamp))
    }

    fn read_key(&self, key: &[u8]) -> Result<Option<crate::store::KeyValue>, ApiError> {
        let mut resp = self
            .store
            .range(&RangeRequest::single(key))
            .map_err(store_error)?;
        Ok(resp.kvs.pop())
    }
}

fn put(key: &[u8], value: String) -> RequestOp {
    RequestOp::Put {
        key: key.to_vec(),
        value: value.into_bytes(),
        prev_kv: false,
        lease: 0,
    }
}
