//! One object's key, read and then written under a guard: the write names the
//! mod_revision it read, so another writer that got in between makes it a Conflict
//! instead of being overwritten. Writers that may simply try again on the newer object
//! do so through `retry_while`.

use super::ApiServer;
use super::codec::store_error;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::store::{
    Compare, CompareResult, CompareTarget, KeyValue, RangeRequest, RequestOp, StoreError,
    TxnRequest,
};

impl ApiServer {
    /// The object stored at `key` (named `name`, of `r`), or NotFound.
    pub(super) fn stored(&self, r: &Resource, key: &str, name: &str) -> Result<KeyValue, ApiError> {
        let resp = self
            .store
            .range(&RangeRequest::single(key.as_bytes()))
            .map_err(store_error)?;
        resp.kvs
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::not_found(r.group, r.plural, name))
    }

    /// Puts `value` at `key` (or, with `None`, deletes it) if the key is still at
    /// `mod_revision`; returns the new revision, or a Conflict if someone wrote first.
    pub(super) fn write_unless_changed(
        &self,
        r: &Resource,
        name: &str,
        key: &str,
        mod_revision: i64,
        value: Option<Vec<u8>>,
    ) -> Result<i64, ApiError> {
        let lease = match value {
            Some(_) => self.lease_for(key)?,
            None => 0,
        };
        let key = key.as_bytes().to_vec();
        let write = match value {
            Some(value) => RequestOp::Put {
                key: key.clone(),
                value,
                prev_kv: false,
                lease,
            },
            None => RequestOp::Delete {
                key: key.clone(),
                range_end: vec![],
                prev_kv: false,
            },
        };
        let resp = self
            .store
            .txn(&TxnRequest {
                compare: vec![Compare {
                    key,
                    range_end: vec![],
                    target: CompareTarget::Mod(mod_revision),
                    result: CompareResult::Equal,
                }],
                success: vec![write],
                failure: vec![],
            })
            .map_err(|e| {
                if e == StoreError::LeaseNotFound {
                    self.forget_event_lease();
                }
                store_error(e)
            })?;
        if !resp.succeeded {
            return Err(ApiError::conflict(r.group, r.plural, name));
        }
        Ok(resp.header.revision)
    }
}

/// Runs `attempt` up to `tries` times in all, again each time it fails with an error
/// `retry` takes (a lost race another read can win); any other outcome is the answer.
pub(super) fn retry_while<T>(
    tries: usize,
    retry: impl Fn(&ApiError) -> bool,
    mut attempt: impl FnMut() -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut tried = 1;
    loop {
        match attempt() {
            Err(e) if tried < tries && retry(&e) => tried += 1,
            other => return other,
        }
    }
}

/// The error of a guarded write that lost its race.
pub(super) fn is_conflict(e: &ApiError) -> bool {
    e.code == 409 && e.reason == "Conflict"
}
