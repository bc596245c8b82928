//! Leases on a real etcd, through its gateway's `/v3/lease/*`. etcd runs leases on its own
//! clock, so the `now` the store trait passes is not used here.

use std::io::{BufRead, BufReader, Read};

use serde_json::{Value, json};

use super::{EtcdStore, UNREACHABLE, header_of, int, io, server_error, unb64};
use crate::store::{LeaseGrant, LeaseStatus, StoreError};

/// A keep-alive answer is one short line; anything far longer is not etcd talking.
const MAX_LINE: u64 = 1 << 20;

impl EtcdStore {
    pub(super) fn grant_lease(&self, id: i64, ttl: i64) -> Result<LeaseGrant, StoreError> {
        let v = self.post(
            "/v3/lease/grant",
            &json!({ "ID": id.to_string(), "TTL": ttl.to_string() }),
        )?;
        Ok(LeaseGrant {
            header: header_of(&v),
            id: int(v.get("ID")),
            ttl: int(v.get("TTL")),
        })
    }

    pub(super) fn revoke_lease(&self, id: i64) -> Result<crate::store::Header, StoreError> {
        let v = self.post("/v3/lease/revoke", &json!({ "ID": id.to_string() }))?;
        Ok(header_of(&v))
    }

    pub(super) fn lease_ttl(&self, id: i64, keys: bool) -> Result<LeaseStatus, StoreError> {
        let v = self.post(
            "/v3/lease/timetolive",
            &json!({ "ID": id.to_string(), "keys": keys }),
        )?;
        let keys = v
            .get("keys")
            .and_then(Value::as_array)
            .map(|ks| ks.iter().map(|k| unb64(Some(k))).collect())
            .transpose()?
            .unwrap_or_default();
        Ok(LeaseStatus {
            header: header_of(&v),
            id: int(v.get("ID")),
            ttl: int(v.get("TTL")),
            granted_ttl: int(v.get("grantedTTL").or_else(|| v.get("granted_ttl"))),
            keys,
        })
    }

    pub(super) fn list_leases(&self) -> Result<Vec<i64>, StoreError> {
        let v = self.post("/v3/lease/leases", &json!({}))?;
        let mut ids: Vec<i64> = v
            .get("leases")
            .and_then(Value::as_array)
            .map(|ls| ls.iter().map(|l| int(l.get("ID"))).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        Ok(ids)
    }

    /// One renewal: the keep-alive stream's first answer (it then stays open; dropping the
    /// response closes it). etcd answers a missing lease with a TTL of 0.
    pub(super) fn keep_lease_alive(&self, id: i64) -> Result<LeaseGrant, StoreError> {
        let resp = self
            .client
            .post(format!("{}/v3/lease/keepalive", self.base))
            .header("content-type", "application/json")
            .body(json!({ "ID": id.to_string() }).to_string())
            .send()
            .map_err(|_| io(UNREACHABLE))?;
        let mut line = String::new();
        BufReader::new(resp.take(MAX_LINE))
            .read_line(&mut line)
            .map_err(|_| io(UNREACHABLE))?;
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| io(format!("etcd sent bad JSON ({e}): {line}")))?;
        if let Some(err) = v.get("error") {
            let msg = err
                .get("message")
                .or_else(|| v.get("message"))
                .and_then(Value::as_str)
                .or_else(|| err.as_str())
                .unwrap_or("keep-alive failed");
            return Err(server_error(msg));
        }
        let result = v.get("result").unwrap_or(&v);
        self.remember(result);
        let ttl = int(result.get("TTL"));
        if ttl <= 0 {
            return Err(StoreError::LeaseNotFound);
        }
        Ok(LeaseGrant {
            header: header_of(result),
            id: int(result.get("ID")),
            ttl,
        })
    }
}
