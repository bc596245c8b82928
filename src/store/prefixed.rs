//! A store whose cluster lives under another key prefix, as kube-apiserver's `--etcd-prefix`
//! puts it: the API server always speaks of `/registry/...`, and the keys go to
//! `<prefix>/...` in the store underneath. kubelite's own keys (`kubelite/...`: the settle
//! record, the compactor's tick) go to `kubelite<prefix>/...`, so clusters under different
//! prefixes of one etcd keep apart. `compact_rev_key` stays where kube-apiserver keeps it,
//! shared, as compaction is the whole etcd's.
//!
//! Keys of the store underneath that belong to no image (another cluster's) are not shown.

use super::{
    DeleteResponse, Event, Expired, Header, KeyValue, LeaseGrant, LeaseStatus, PutResponse,
    RangeRequest, RangeResponse, RequestOp, ResponseOp, Store, StoreError, TxnRequest, TxnResponse,
    prefix_range_end,
};

/// Where the API server keeps the cluster; what a prefix replaces.
pub const REGISTRY: &str = "/registry";
const OWN: &[u8] = b"kubelite/";

pub struct Prefixed<S> {
    inner: S,
    /// Replaces `/registry`: no trailing `/`.
    prefix: Vec<u8>,
    /// Replaces `kubelite/`: `kubelite<prefix>/`.
    own: Vec<u8>,
}

/// `--etcd-prefix` as kube-apiserver takes it (`/registry`, `/registry/`, `/other`): the
/// prefix without its trailing `/`; refused when nothing would be left of it.
pub fn normalize(prefix: &str) -> Result<String, String> {
    let trimmed = prefix.trim_end_matches('/');
    if trimmed.is_empty() {
        return Err(format!(
            "--etcd-prefix={prefix:?}: the prefix must name a key path such as /registry"
        ));
    }
    if trimmed.starts_with('/') {
        Ok(trimmed.to_string())
    } else {
        Ok(format!("/{trimmed}"))
    }
}

impl<S: Store> Prefixed<S> {
    /// `prefix` as `normalize` gives it.
    pub fn new(inner: S, prefix: &str) -> Prefixed<S> {
        let prefix = prefix.as_bytes().to_vec();
        let mut own = b"kubelite".to_vec();
        own.extend_from_slice(&prefix);
        own.push(b'/');
        Prefixed { inner, prefix, own }
    }

    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The key in the store underneath.
    pub fn outer(&self, key: &[u8]) -> Vec<u8> {
        if let Some(rest) = key.strip_prefix(REGISTRY.as_bytes()) {
            return [self.prefix.as_slice(), rest].concat();
        }
        if let Some(rest) = key.strip_prefix(OWN) {
            return [self.own.as_slice(), rest].concat();
        }
        key.to_vec()
    }

    /// A range end in the store underneath: a prefix's end stays the end of its image.
    fn outer_end(&self, end: &[u8]) -> Vec<u8> {
        if end.is_empty() || end == [0] {
            return end.to_vec();
        }
        if end == prefix_range_end(REGISTRY.as_bytes()) {
            return prefix_range_end(&self.prefix);
        }
        if end == prefix_range_end(OWN) {
            return prefix_range_end(&self.own);
        }
        self.outer(end)
    }

    /// The API server's key for a key of the store underneath; `None` for a key of no image.
    fn inner_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        if let Some(rest) = key.strip_prefix(self.prefix.as_slice()) {
            return Some([REGISTRY.as_bytes(), rest].concat());
        }
        if let Some(rest) = key.strip_prefix(self.own.as_slice()) {
            return Some([OWN, rest].concat());
        }
        if key.starts_with(REGISTRY.as_bytes()) || key.starts_with(b"kubelite") {
            return None;
        }
        Some(key.to_vec())
    }

    fn inner_kv(&self, mut kv: KeyValue) -> Option<KeyValue> {
        kv.key = self.inner_key(&kv.key)?;
        Some(kv)
    }

    fn inner_kvs(&self, kvs: Vec<KeyValue>) -> (Vec<KeyValue>, i64) {
        let before = kvs.len();
        let kept: Vec<KeyValue> = kvs.into_iter().filter_map(|kv| self.inner_kv(kv)).collect();
        let dropped = (before - kept.len()) as i64;
        (kept, dropped)
    }

    fn outer_range(&self, req: &RangeRequest) -> RangeRequest {
        RangeRequest {
            key: self.outer(&req.key),
            range_end: self.outer_end(&req.range_end),
            ..req.clone()
        }
    }

    fn inner_range(&self, mut resp: RangeResponse) -> RangeResponse {
        let (kvs, dropped) = self.inner_kvs(std::mem::take(&mut resp.kvs));
        resp.kvs = kvs;
        resp.count -= dropped;
        resp
    }

    fn inner_put(&self, mut resp: PutResponse) -> PutResponse {
        resp.prev_kv = resp.prev_kv.and_then(|kv| self.inner_kv(kv));
        resp
    }

    fn inner_delete(&self, mut resp: DeleteResponse) -> DeleteResponse {
        resp.prev_kvs = self.inner_kvs(std::mem::take(&mut resp.prev_kvs)).0;
        resp
    }

    fn outer_op(&self, op: &RequestOp) -> RequestOp {
        match op {
            RequestOp::Range(r) => RequestOp::Range(self.outer_range(r)),
            RequestOp::Put {
                key,
                value,
                prev_kv,
                lease,
            } => RequestOp::Put {
                key: self.outer(key),
                value: value.clone(),
                prev_kv: *prev_kv,
                lease: *lease,
            },
            RequestOp::Delete {
                key,
                range_end,
                prev_kv,
            } => RequestOp::Delete {
                key: self.outer(key),
                range_end: self.outer_end(range_end),
                prev_kv: *prev_kv,
            },
        }
    }

    fn outer_txn(&self, req: &TxnRequest) -> TxnRequest {
        TxnRequest {
            compare: req
                .compare
                .iter()
                .map(|c| super::Compare {
                    key: self.outer(&c.key),
                    range_end: self.outer_end(&c.range_end),
                    ..c.clone()
                })
                .collect(),
            success: req.success.iter().map(|op| self.outer_op(op)).collect(),
            failure: req.failure.iter().map(|op| self.outer_op(op)).collect(),
        }
    }

    fn inner_txn(&self, mut resp: TxnResponse) -> TxnResponse {
        resp.responses = std::mem::take(&mut resp.responses)
            .into_iter()
            .map(|r| match r {
                ResponseOp::Range(r) => ResponseOp::Range(self.inner_range(r)),
                ResponseOp::Put(p) => ResponseOp::Put(self.inner_put(p)),
                ResponseOp::Delete(d) => ResponseOp::Delete(self.inner_delete(d)),
            })
            .collect();
        resp
    }

    fn inner_events(&self, events: Vec<Event>) -> Vec<Event> {
        events
            .into_iter()
            .filter_map(|mut e| {
                e.kv.key = self.inner_key(&e.kv.key)?;
                e.prev_kv = e.prev_kv.and_then(|kv| self.inner_kv(kv));
                Some(e)
            })
            .collect()
    }
}

impl<S: Store> Store for Prefixed<S> {
    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        Ok(self.inner_range(self.inner.range(&self.outer_range(req))?))
    }

    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError> {
        Ok(self.inner_put(self.inner.put(&self.outer(key), value, prev_kv)?))
    }

    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError> {
        let resp =
            self.inner
                .delete_range(&self.outer(key), &self.outer_end(range_end), prev_kv)?;
        Ok(self.inner_delete(resp))
    }

    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        Ok(self.inner_txn(self.inner.txn(&self.outer_txn(req))?))
    }

    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        let outer: Vec<TxnRequest> = reqs.iter().map(|r| self.outer_txn(r)).collect();
        Ok(self
            .inner
            .txn_batch(&outer)?
            .into_iter()
            .map(|r| self.inner_txn(r))
            .collect())
    }

    fn events_since(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let events =
            self.inner
                .events_since(&self.outer(key), &self.outer_end(range_end), from, prev_kv)?;
        Ok(self.inner_events(events))
    }

    fn events_between(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        until: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let events = self.inner.events_between(
            &self.outer(key),
            &self.outer_end(range_end),
            from,
            until,
            prev_kv,
        )?;
        Ok(self.inner_events(events))
    }

    fn compact(&self, revision: i64) -> Result<Header, StoreError> {
        self.inner.compact(revision)
    }

    fn current_revision(&self) -> Result<i64, StoreError> {
        self.inner.current_revision()
    }

    fn compacted_revision(&self) -> Result<i64, StoreError> {
        self.inner.compacted_revision()
    }

    fn recent_revision(&self) -> Result<i64, StoreError> {
        self.inner.recent_revision()
    }

    fn followed_revision(&self) -> Option<i64> {
        self.inner.followed_revision()
    }

    fn changed_after(&self, key: &[u8], range_end: &[u8], since: i64) -> Option<bool> {
        self.inner
            .changed_after(&self.outer(key), &self.outer_end(range_end), since)
    }

    fn set_deferred(&self, on: bool) -> Result<(), StoreError> {
        self.inner.set_deferred(on)
    }

    fn save_snapshot(&self, path: &std::path::Path) -> Result<(), StoreError> {
        self.inner.save_snapshot(path)
    }

    fn lease_grant(&self, id: i64, ttl: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        self.inner.lease_grant(id, ttl, now)
    }

    fn lease_revoke(&self, id: i64) -> Result<Header, StoreError> {
        self.inner.lease_revoke(id)
    }

    fn lease_time_to_live(&self, id: i64, keys: bool, now: i64) -> Result<LeaseStatus, StoreError> {
        let mut status = self.inner.lease_time_to_live(id, keys, now)?;
        status.keys = std::mem::take(&mut status.keys)
            .into_iter()
            .filter_map(|k| self.inner_key(&k))
            .collect();
        Ok(status)
    }

    fn lease_list(&self) -> Result<Vec<i64>, StoreError> {
        self.inner.lease_list()
    }

    fn expire_leases(&self, now: i64, max_keys: usize) -> Result<Expired, StoreError> {
        self.inner.expire_leases(now, max_keys)
    }

    fn reclaim_space(&self) -> Result<Option<(u64, u64)>, StoreError> {
        self.inner.reclaim_space()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::redb::RedbStore;

    type Shared = std::sync::Arc<RedbStore>;

    /// A prefixed store on a fresh redb file, and that store itself.
    fn store(prefix: &str) -> (Prefixed<Shared>, Shared) {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("kubelite-prefixed-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("s.redb");
        let redb =
            std::sync::Arc::new(RedbStore::open(&file, std::time::Duration::from_secs(1)).unwrap());
        // The open file stays readable after its directory is gone.
        let _ = std::fs::remove_dir_all(&dir);
        (Prefixed::new(redb.clone(), prefix), redb)
    }

    fn keys(store: &dyn Store, prefix: &[u8]) -> Vec<String> {
        store
            .range(&RangeRequest::prefix(prefix))
            .unwrap()
            .kvs
            .iter()
            .map(|kv| String::from_utf8_lossy(&kv.key).into_owned())
            .collect()
    }

    #[test]
    fn registry_keys_move_under_the_prefix_and_read_back_as_registry() {
        let (p, under) = store("/other");
        p.put(b"/registry/pods/default/a", b"1", false).unwrap();
        p.put(b"kubelite/settled", b"2", false).unwrap();
        p.put(b"compact_rev_key", b"3", false).unwrap();
        assert_eq!(keys(&*under, b"/other/"), ["/other/pods/default/a"]);
        assert_eq!(keys(&*under, b"kubelite"), ["kubelite/other/settled"]);
        assert_eq!(keys(&*under, b"compact"), ["compact_rev_key"]);
        assert_eq!(keys(&p, b"/registry/"), ["/registry/pods/default/a"]);
        assert_eq!(keys(&p, b"kubelite/"), ["kubelite/settled"]);
    }

    #[test]
    fn changes_in_ranges_are_told_alike_by_the_log_read_and_redbs_own_pass() {
        let (p, under) = store("/other");
        p.put(b"/registry/roles/kube-system/a", b"1", false)
            .unwrap();
        let since = p.current_revision().unwrap();
        let range = |prefix: &[u8]| (prefix.to_vec(), prefix_range_end(prefix));
        let watched = [
            range(b"/registry/clusterroles/"),
            range(b"/registry/roles/kube-system/"),
        ];
        // Nothing since; then a write between the ranges (inside their span) is not one.
        assert!(!p.changed_in(&watched, since).unwrap());
        p.put(b"/registry/pods/default/x", b"2", false).unwrap();
        assert!(!p.changed_in(&watched, since).unwrap());
        let outer = [
            range(b"/other/clusterroles/"),
            range(b"/other/roles/kube-system/"),
        ];
        assert!(!under.changed_in(&outer, since).unwrap());
        // A deletion in one of them is.
        p.delete_range(b"/registry/roles/kube-system/a", &[], false)
            .unwrap();
        assert!(p.changed_in(&watched, since).unwrap());
        assert!(under.changed_in(&outer, since).unwrap());
        assert!(
            !p.changed_in(&watched, p.current_revision().unwrap())
                .unwrap()
        );
    }

    #[test]
    fn another_clusters_keys_are_not_seen() {
        let (p, under) = store("/other");
        under.put(b"/registry/pods/default/x", b"1", false).unwrap();
        under
            .put(b"kubelite/registry/settled", b"1", false)
            .unwrap();
        p.put(b"/registry/pods/default/a", b"1", false).unwrap();
        let all = p
            .range(&RangeRequest {
                key: vec![0],
                range_end: vec![0],
                ..Default::default()
            })
            .unwrap();
        let seen: Vec<_> = all.kvs.iter().map(|kv| kv.key.clone()).collect();
        assert_eq!(seen, [b"/registry/pods/default/a".to_vec()]);
        assert_eq!(all.count, 1);
        let events = p.events_since(&[0], &[0], 1, false).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kv.key, b"/registry/pods/default/a");
    }

    #[test]
    fn prefixes_are_normalized_as_kube_apiserver_joins_them() {
        assert_eq!(normalize("/registry/").unwrap(), "/registry");
        assert_eq!(normalize("other").unwrap(), "/other");
        assert!(normalize("/").is_err());
    }
}
