//! The Lease service, and the pass that revokes expired leases.

use super::proto::etcdserverpb as pb;
use super::{Member, blocking, status};
use crate::etcdctl::Backend;
use crate::store::StoreError;
use std::sync::Arc;
use std::time::Duration;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

pub struct LeaseService(pub Arc<Member>);

/// etcd's largest TTL (`MaxLeaseTTL`, 9,000,000,000 seconds).
const MAX_LEASE_TTL: i64 = 9_000_000_000;
/// How often expired leases are looked for; leases run on whole seconds.
const EXPIRE_EVERY: Duration = Duration::from_millis(500);

/// Revokes expired leases for as long as the server runs; their keys' deletes reach the
/// watches.
pub async fn expire_loop(m: Arc<Member>) {
    let mut tick = tokio::time::interval(EXPIRE_EVERY);
    loop {
        tick.tick().await;
        if let Ok(rev) = blocking(|| {
            m.backend.expire_leases()?;
            m.store().current_revision()
        }) {
            m.written(rev);
        }
    }
}

/// A grant with the id the client asked for, or (0) an etcd-like one the member draws,
/// the next one when it is taken.
fn grant(m: &Member, id: i64, ttl: i64) -> Result<crate::store::LeaseGrant, StoreError> {
    let now = m.backend.now();
    if id != 0 {
        return m.store().lease_grant(id, ttl, now);
    }
    let first = m.backend.new_lease_id();
    let mut id = first;
    loop {
        match m.store().lease_grant(id, ttl, now) {
            Err(StoreError::Io(msg))
                if msg == "etcdserver: lease already exists"
                    && id < first.saturating_add(1 << 16) =>
            {
                id += 1;
            }
            other => return other,
        }
    }
}

#[tonic::async_trait]
impl pb::lease_server::Lease for LeaseService {
    async fn lease_grant(
        &self,
        req: Request<pb::LeaseGrantRequest>,
    ) -> Result<Response<pb::LeaseGrantResponse>, Status> {
        let r = req.into_inner();
        if r.ttl > MAX_LEASE_TTL {
            return Err(Status::out_of_range("etcdserver: too large lease TTL"));
        }
        let m = &self.0;
        let g = blocking(|| grant(m, r.id, r.ttl)).map_err(status)?;
        Ok(Response::new(pb::LeaseGrantResponse {
            header: Some(m.header(g.header.revision)),
            id: g.id,
            ttl: g.ttl,
            error: String::new(),
        }))
    }

    async fn lease_revoke(
        &self,
        req: Request<pb::LeaseRevokeRequest>,
    ) -> Result<Response<pb::LeaseRevokeResponse>, Status> {
        let id = req.into_inner().id;
        let m = &self.0;
        let h = blocking(|| m.store().lease_revoke(id)).map_err(status)?;
        m.written(h.revision);
        Ok(Response::new(pb::LeaseRevokeResponse {
            header: Some(m.header(h.revision)),
        }))
    }

    type LeaseKeepAliveStream = ReceiverStream<Result<pb::LeaseKeepAliveResponse, Status>>;

    async fn lease_keep_alive(
        &self,
        req: Request<Streaming<pb::LeaseKeepAliveRequest>>,
    ) -> Result<Response<Self::LeaseKeepAliveStream>, Status> {
        let mut inbound = req.into_inner();
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        let m = self.0.clone();
        tokio::spawn(async move {
            while let Ok(Some(r)) = inbound.message().await {
                let answer = blocking(|| -> Result<pb::LeaseKeepAliveResponse, Status> {
                    let rev = m.store().current_revision().map_err(status)?;
                    // A lease that is gone answers TTL 0, as etcd's does.
                    let ttl = match m.store().lease_keep_alive(r.id, m.backend.now()) {
                        Ok(g) => g.ttl,
                        Err(StoreError::LeaseNotFound) => 0,
                        Err(e) => return Err(status(e)),
                    };
                    Ok(pb::LeaseKeepAliveResponse {
                        header: Some(m.header(rev)),
                        id: r.id,
                        ttl,
                    })
                });
                if tx.send(answer).await.is_err() {
                    break;
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn lease_time_to_live(
        &self,
        req: Request<pb::LeaseTimeToLiveRequest>,
    ) -> Result<Response<pb::LeaseTimeToLiveResponse>, Status> {
        let r = req.into_inner();
        let m = &self.0;
        let s = blocking(|| m.store().lease_time_to_live(r.id, r.keys, m.backend.now()))
            .map_err(status)?;
        Ok(Response::new(pb::LeaseTimeToLiveResponse {
            header: Some(m.header(s.header.revision)),
            id: s.id,
            ttl: s.ttl,
            granted_ttl: s.granted_ttl,
            keys: s.keys,
        }))
    }

    async fn lease_leases(
        &self,
        _req: Request<pb::LeaseLeasesRequest>,
    ) -> Result<Response<pb::LeaseLeasesResponse>, Status> {
        let m = &self.0;
        let (ids, rev) = blocking(|| -> Result<_, StoreError> {
            Ok((m.store().lease_list()?, m.store().current_revision()?))
        })
        .map_err(status)?;
        Ok(Response::new(pb::LeaseLeasesResponse {
            header: Some(m.header(rev)),
            leases: ids.into_iter().map(|id| pb::LeaseStatus { id }).collect(),
        }))
    }
}
