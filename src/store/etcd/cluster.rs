//! A whole Kubernetes cluster kept in a real etcd (`serve --etcd-servers`): the [`Store`]
//! the API server runs on, where what the embedded store does by itself is etcd's to do.
//!
//! - History comes from one long-lived watch kept in memory (`feed`); what it does not
//!   hold is read through a watch of its own (`history`).
//! - Every write is durable when etcd answers (its raft log is synced on a quorum first), so
//!   deferred durability has nothing to defer.
//! - Leases run on etcd's own clock and etcd expires them: the TTL of Events counts in real
//!   time, not on a stepped cluster clock, and housekeeping has nothing to expire.
//! - Space is not reclaimed: defragmenting blocks the member while it runs, and
//!   kube-apiserver leaves it to the operator (`etcdctl defrag`), as kubelite does.
//! - Compaction is etcd's (`compact_rev_key` and the compactor tick as kube-apiserver's).

use std::sync::Arc;

use super::EtcdStore;
use super::feed::Feed;
use super::own_writes::OwnWrites;
use crate::store::{
    DeleteResponse, Event, Expired, Header, LeaseGrant, PutResponse, RangeRequest, RangeResponse,
    Store, StoreError, TxnRequest, TxnResponse,
};

pub struct EtcdCluster {
    etcd: Arc<EtcdStore>,
    feed: Feed,
    /// What this process wrote that the feed has not delivered yet.
    own: OwnWrites,
}

impl EtcdCluster {
    /// Starts following etcd's changes from its current revision.
    pub fn new(etcd: Arc<EtcdStore>) -> Result<EtcdCluster, StoreError> {
        let head = etcd.current_revision()?;
        let feed = Feed::start(|f| etcd.transport.spawn(f), etcd.transport.channels(), head);
        Ok(EtcdCluster {
            etcd,
            feed,
            own: OwnWrites::default(),
        })
    }
}

impl Store for EtcdCluster {
    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        self.etcd.range(req)
    }

    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError> {
        let resp = self.etcd.put(key, value, prev_kv)?;
        self.own.wrote(key, &[], resp.header.revision);
        Ok(resp)
    }

    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError> {
        let resp = self.etcd.delete_range(key, range_end, prev_kv)?;
        self.own.wrote(key, range_end, resp.header.revision);
        Ok(resp)
    }

    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        let resp = self.etcd.txn(req)?;
        self.own.wrote_txn(req, &resp);
        Ok(resp)
    }

    /// One etcd transaction each (etcd has no commit of several revisions), sent at once
    /// on one connection, so that etcd commits them together as it does for concurrent
    /// clients; the batch's requests came from concurrent clients, so their order among
    /// themselves is free. A failure leaves the others written; the API server answers all
    /// of the batch with the error then, as kube-apiserver answers a write whose outcome it
    /// could not learn (a timeout): the client reads again before retrying.
    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        if reqs.len() < 2 {
            return reqs.iter().map(|r| self.txn(r)).collect();
        }
        let answers = self.etcd.txns_at_once(reqs);
        // Those written count even when another failed.
        for (req, resp) in reqs.iter().zip(&answers) {
            if let Ok(resp) = resp {
                self.own.wrote_txn(req, resp);
            }
        }
        answers.into_iter().collect()
    }

    fn events_since(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        self.events_between(key, range_end, from, i64::MAX, prev_kv)
    }

    fn events_between(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        until: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        // A revision the feed reached exists: asking etcd for its head is needed only
        // when the caller reads further than that (a watch up to "now").
        let reached = self.feed.reached();
        let current = if until <= reached {
            reached
        } else {
            self.etcd.current_revision()?
        };
        let (from, until) = (from.max(1), until.min(current));
        if from > until {
            return Ok(Vec::new());
        }
        if !prev_kv
            && let Some(events) = self.feed.read(
                key,
                range_end,
                from,
                until,
                self.etcd.transport.command_timeout,
            )
        {
            return events;
        }
        self.etcd.history(key, range_end, from, until, prev_kv)
    }

    fn compact(&self, revision: i64) -> Result<Header, StoreError> {
        let header = self.etcd.compact(revision)?;
        self.feed.compacted(revision);
        Ok(header)
    }

    fn current_revision(&self) -> Result<i64, StoreError> {
        self.etcd.current_revision()
    }

    fn compacted_revision(&self) -> Result<i64, StoreError> {
        self.etcd.compacted_revision()
    }

    fn followed_revision(&self) -> Option<i64> {
        Some(self.feed.reached())
    }

    /// No later than the feed and every write of this process: no read of etcd.
    fn recent_revision(&self) -> Result<i64, StoreError> {
        Ok(self.feed.reached().max(self.own.newest()))
    }

    /// The feed's answer, and this process's own writes it has not delivered yet.
    fn changed_after(&self, key: &[u8], range_end: &[u8], since: i64) -> Option<bool> {
        // Taken first: the feed's answer covers at least up to it.
        let reached = self.feed.reached();
        let fed = self.feed.changed_after(key, range_end, since)?;
        let own = self.own.touched_after(key, range_end, reached)?;
        Some(fed || own)
    }

    fn save_snapshot(&self, path: &std::path::Path) -> Result<(), StoreError> {
        self.etcd.save_snapshot(path)
    }

    /// etcd's lease, counted on etcd's clock from now (`now` is the cluster's, not etcd's).
    fn lease_grant(&self, id: i64, ttl: i64, _now: i64) -> Result<LeaseGrant, StoreError> {
        self.etcd.grant_lease(id, ttl)
    }

    fn lease_revoke(&self, id: i64) -> Result<Header, StoreError> {
        self.etcd.revoke_lease(id)
    }

    /// etcd expires its leases itself.
    fn expire_leases(&self, _now: i64, _max_keys: usize) -> Result<Expired, StoreError> {
        Ok(Expired::default())
    }
}

/// Whether `e` says etcd did not answer (down, unreachable, or too slow), rather than that
/// it refused the request.
pub fn is_unreachable(e: &StoreError) -> bool {
    matches!(e, StoreError::Io(msg) if msg == super::UNREACHABLE)
}
