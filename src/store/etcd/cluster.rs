//! A whole Kubernetes cluster kept in a real etcd (`serve --etcd-servers`): the [`Store`]
//! the API server runs on, where what the embedded store does by itself is etcd's to do.
//!
//! - History is read through watches (`history`), in bounded pieces as the components ask;
//!   the last piece read is kept for the next kind asking for the same window.
//! - Every write is durable when etcd answers (its raft log is synced on a quorum first), so
//!   deferred durability has nothing to defer.
//! - Leases run on etcd's own clock and etcd expires them: the TTL of Events counts in real
//!   time, not on a stepped cluster clock, and housekeeping has nothing to expire.
//! - Space is not reclaimed: defragmenting blocks the member while it runs, and
//!   kube-apiserver leaves it to the operator (`etcdctl defrag`), as kubelite does.
//! - Compaction is etcd's (`compact_rev_key` and the compactor tick as kube-apiserver's).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::json;

use super::EtcdStore;
use crate::store::rules::Bounds;
use crate::store::{
    DeleteResponse, Event, Expired, Header, LeaseGrant, PutResponse, RangeRequest, RangeResponse,
    Store, StoreError, TxnRequest, TxnResponse,
};

/// Transactions of one batch in flight at once (the server's batches come from at most as
/// many concurrent clients as it serves; etcd takes more than that in one commit).
const BATCH_SENDERS: usize = 16;

/// Most events the last history read keeps for the next caller asking the same window.
const KEPT_EVENTS: usize = 20_000;

/// A window of history: from, until, with previous values.
type Window = (i64, i64, bool);

pub struct EtcdCluster {
    etcd: Arc<EtcdStore>,
    last_read: Mutex<Option<(Window, Arc<Vec<Event>>)>>,
}

impl EtcdCluster {
    pub fn new(etcd: Arc<EtcdStore>) -> EtcdCluster {
        EtcdCluster {
            etcd,
            last_read: Mutex::new(None),
        }
    }
}

impl EtcdCluster {
    /// Every change of `from..=until`: read once for all the kinds a settle pass asks about
    /// over the same window, which would otherwise read the same history once a kind.
    fn all_events(
        &self,
        from: i64,
        until: i64,
        prev_kv: bool,
    ) -> Result<Arc<Vec<Event>>, StoreError> {
        let window = (from, until, prev_kv);
        if let Some((w, events)) = &*lock(&self.last_read)
            && *w == window
        {
            return Ok(events.clone());
        }
        let events = Arc::new(self.etcd.history(&[0], &[0], from, until, prev_kv)?);
        if events.len() <= KEPT_EVENTS {
            *lock(&self.last_read) = Some((window, events.clone()));
        }
        Ok(events)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Store for EtcdCluster {
    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        self.etcd.range(req)
    }

    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError> {
        self.etcd.put(key, value, prev_kv)
    }

    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError> {
        self.etcd.delete_range(key, range_end, prev_kv)
    }

    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        self.etcd.txn(req)
    }

    /// One etcd transaction each (etcd has no commit of several revisions), sent at once
    /// from several threads, so that etcd commits them together as it does for concurrent
    /// clients; the batch's requests came from concurrent clients, so their order among
    /// themselves is free. A failure leaves the others written; the API server answers all
    /// of the batch with the error then, as kube-apiserver answers a write whose outcome it
    /// could not learn (a timeout): the client reads again before retrying.
    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        if reqs.len() < 2 {
            return self.etcd.txn_batch(reqs);
        }
        let next = AtomicUsize::new(0);
        let answers: Vec<Mutex<Option<Result<TxnResponse, StoreError>>>> =
            reqs.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|scope| {
            for _ in 0..reqs.len().min(BATCH_SENDERS) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(req) = reqs.get(i) else { break };
                        let answer = self.etcd.txn(req);
                        *lock(&answers[i]) = Some(answer);
                    }
                });
            }
        });
        answers
            .into_iter()
            .map(|a| {
                a.into_inner()
                    .unwrap_or_else(|p| p.into_inner())
                    .unwrap_or_else(|| Err(StoreError::Io("a txn was not sent".to_string())))
            })
            .collect()
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
        let current = self.etcd.current_revision()?;
        let (from, until) = (from.max(1), until.min(current));
        if from > until {
            return Ok(Vec::new());
        }
        let all = self.all_events(from, until, prev_kv)?;
        let wanted = Bounds::new(key, range_end);
        Ok(all
            .iter()
            .filter(|e| wanted.contains(&e.kv.key))
            .cloned()
            .collect())
    }

    fn compact(&self, revision: i64) -> Result<Header, StoreError> {
        self.etcd.compact(revision)
    }

    fn current_revision(&self) -> Result<i64, StoreError> {
        self.etcd.current_revision()
    }

    fn compacted_revision(&self) -> Result<i64, StoreError> {
        self.etcd.compacted_revision()
    }

    fn save_snapshot(&self, path: &std::path::Path) -> Result<(), StoreError> {
        self.etcd.save_snapshot(path)
    }

    /// etcd's lease, counted on etcd's clock from now (`now` is the cluster's, not etcd's).
    fn lease_grant(&self, id: i64, ttl: i64, _now: i64) -> Result<LeaseGrant, StoreError> {
        let v = self.etcd.post(
            "/v3/lease/grant",
            &json!({ "ID": id.to_string(), "TTL": ttl.to_string() }),
        )?;
        if let Some(why) = v.get("error").and_then(serde_json::Value::as_str)
            && !why.is_empty()
        {
            return Err(super::server_error(why));
        }
        Ok(LeaseGrant {
            header: super::header_of(&v),
            id: super::int(v.get("ID")),
            ttl: super::int(v.get("TTL")),
        })
    }

    fn lease_revoke(&self, id: i64) -> Result<Header, StoreError> {
        let v = self
            .etcd
            .post("/v3/lease/revoke", &json!({ "ID": id.to_string() }))?;
        Ok(super::header_of(&v))
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
