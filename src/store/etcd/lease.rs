//! Leases on a real etcd, through its Lease service. etcd runs leases on its own clock, so
//! the `now` the store trait passes is not used here.

use futures_util::StreamExt;
use futures_util::stream;

use super::proto::etcdserverpb as pb;
use super::{EtcdStore, io, server_error, wire};
use crate::store::{Header, LeaseGrant, LeaseStatus, StoreError};
use pb::lease_client::LeaseClient;

impl EtcdStore {
    pub(super) fn grant_lease(&self, id: i64, ttl: i64) -> Result<LeaseGrant, StoreError> {
        let req = pb::LeaseGrantRequest { ttl, id };
        let resp = self.transport.unary(|ch| async move {
            Ok(LeaseClient::new(ch).lease_grant(req).await?.into_inner())
        })?;
        if !resp.error.is_empty() {
            return Err(server_error(&resp.error));
        }
        self.remember(resp.header.as_ref());
        Ok(LeaseGrant {
            header: wire::header(resp.header.as_ref()),
            id: resp.id,
            ttl: resp.ttl,
        })
    }

    pub(super) fn revoke_lease(&self, id: i64) -> Result<Header, StoreError> {
        let req = pb::LeaseRevokeRequest { id };
        let resp = self.transport.unary(|ch| async move {
            Ok(LeaseClient::new(ch).lease_revoke(req).await?.into_inner())
        })?;
        Ok(wire::header(resp.header.as_ref()))
    }

    pub(super) fn lease_ttl(&self, id: i64, keys: bool) -> Result<LeaseStatus, StoreError> {
        let req = pb::LeaseTimeToLiveRequest { id, keys };
        let resp = self.transport.unary(|ch| async move {
            Ok(LeaseClient::new(ch)
                .lease_time_to_live(req)
                .await?
                .into_inner())
        })?;
        Ok(LeaseStatus {
            header: wire::header(resp.header.as_ref()),
            id: resp.id,
            ttl: resp.ttl,
            granted_ttl: resp.granted_ttl,
            keys: resp.keys,
        })
    }

    pub(super) fn list_leases(&self) -> Result<Vec<i64>, StoreError> {
        let resp = self.transport.unary(|ch| async move {
            Ok(LeaseClient::new(ch)
                .lease_leases(pb::LeaseLeasesRequest {})
                .await?
                .into_inner())
        })?;
        let mut ids: Vec<i64> = resp.leases.iter().map(|l| l.id).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// One renewal: the keep-alive stream's first answer, then the stream is closed. etcd
    /// answers a missing lease with a TTL of 0.
    pub(super) fn keep_lease_alive(&self, id: i64) -> Result<LeaseGrant, StoreError> {
        let resp = self.transport.unary(|ch| async move {
            let requests =
                stream::iter([pb::LeaseKeepAliveRequest { id }]).chain(stream::pending());
            let mut answers = LeaseClient::new(ch)
                .lease_keep_alive(requests)
                .await?
                .into_inner();
            answers.message().await
        })?;
        let Some(resp) = resp else {
            return Err(io("etcd closed the keep-alive stream without an answer"));
        };
        self.remember(resp.header.as_ref());
        if resp.ttl <= 0 {
            return Err(StoreError::LeaseNotFound);
        }
        Ok(LeaseGrant {
            header: wire::header(resp.header.as_ref()),
            id: resp.id,
            ttl: resp.ttl,
        })
    }
}
