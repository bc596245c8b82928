//! A small in-memory etcd for the etcdctl surface: a few keys, a revision counter, and just
//! enough of the v3 semantics (ranges, puts, deletes, txns, events) that every command's
//! output code runs. No disk, so a million command lines take seconds, not hours.

use kubelite::etcdctl::{Backend, ClusterInfo};
use kubelite::store::{
    Compare, CompareResult, CompareTarget, DeleteResponse, Event, EventKind, Header, KeyValue,
    PutResponse, RangeRequest, RangeResponse, RequestOp, ResponseOp, SortOrder, Store, StoreError,
    TxnRequest, TxnResponse,
};
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Default)]
struct State {
    kvs: BTreeMap<Vec<u8>, KeyValue>,
    revision: i64,
    compacted: i64,
    events: Vec<Event>,
}

pub struct FakeStore(Mutex<State>);

impl FakeStore {
    /// Three keys under `/registry/` and one binary one, at revision 5.
    pub fn seeded() -> FakeStore {
        let s = FakeStore(Mutex::new(State::default()));
        for (k, v) in [
            ("/registry/pods/default/web", "{\"kind\":\"Pod\"}"),
            ("/registry/configmaps/default/a", "a"),
            ("foo", "bar"),
            ("k\u{0}\u{ff}", "\u{1}\u{2}"),
        ] {
            let _ = s.put(k.as_bytes(), v.as_bytes(), false);
        }
        s
    }
}

fn in_range(key: &[u8], start: &[u8], end: &[u8]) -> bool {
    if end.is_empty() {
        key == start
    } else if end == [0] {
        key >= start
    } else {
        key >= start && key < end
    }
}

impl State {
    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        if req.key.is_empty() {
            return Err(StoreError::EmptyKey);
        }
        if req.revision > self.revision {
            return Err(StoreError::FutureRevision);
        }
        if req.revision > 0 && req.revision < self.compacted {
            return Err(StoreError::Compacted {
                compact_revision: self.compacted,
            });
        }
        let mut kvs: Vec<KeyValue> = self
            .kvs
            .values()
            .filter(|kv| in_range(&kv.key, &req.key, &req.range_end))
            .cloned()
            .collect();
        if req.sort_order == SortOrder::Descend {
            kvs.reverse();
        }
        let count = kvs.len() as i64;
        let more = req.limit > 0 && count > req.limit;
        if req.limit > 0 {
            kvs.truncate(req.limit as usize);
        }
        if req.keys_only {
            kvs.iter_mut().for_each(|kv| kv.value.clear());
        }
        if req.count_only {
            kvs.clear();
        }
        Ok(RangeResponse {
            header: Header {
                revision: self.revision,
            },
            kvs,
            more,
            count,
        })
    }

    fn put(&mut self, key: &[u8], value: &[u8], prev_kv: bool) -> PutResponse {
        self.revision += 1;
        let prev = self.kvs.get(key).cloned();
        let kv = KeyValue {
            key: key.to_vec(),
            value: value.to_vec(),
            create_revision: prev.as_ref().map_or(self.revision, |p| p.create_revision),
            mod_revision: self.revision,
            version: prev.as_ref().map_or(1, |p| p.version + 1),
            lease: 0,
        };
        self.kvs.insert(key.to_vec(), kv.clone());
        self.events.push(Event {
            kind: EventKind::Put,
            kv,
            prev_kv: prev.clone().filter(|_| prev_kv),
        });
        PutResponse {
            header: Header {
                revision: self.revision,
            },
            prev_kv: prev.filter(|_| prev_kv),
        }
    }

    fn delete(&mut self, key: &[u8], end: &[u8], prev_kv: bool) -> DeleteResponse {
        let gone: Vec<Vec<u8>> = self
            .kvs
            .keys()
            .filter(|k| in_range(k, key, end))
            .cloned()
            .collect();
        if !gone.is_empty() {
            self.revision += 1;
        }
        let mut prev_kvs = Vec::new();
        for k in &gone {
            if let Some(kv) = self.kvs.remove(k) {
                self.events.push(Event {
                    kind: EventKind::Delete,
                    kv: KeyValue {
                        key: k.clone(),
                        mod_revision: self.revision,
                        ..KeyValue::default()
                    },
                    prev_kv: Some(kv.clone()),
                });
                prev_kvs.push(kv);
            }
        }
        DeleteResponse {
            header: Header {
                revision: self.revision,
            },
            deleted: gone.len() as i64,
            prev_kvs: if prev_kv { prev_kvs } else { Vec::new() },
        }
    }

    fn holds(&self, c: &Compare) -> bool {
        let matching: Vec<&KeyValue> = self
            .kvs
            .values()
            .filter(|kv| in_range(&kv.key, &c.key, &c.range_end))
            .collect();
        let cmp = |stored: std::cmp::Ordering| match c.result {
            CompareResult::Equal => stored.is_eq(),
            CompareResult::Greater => stored.is_gt(),
            CompareResult::Less => stored.is_lt(),
            CompareResult::NotEqual => stored.is_ne(),
        };
        let missing = KeyValue::default();
        let kvs = if matching.is_empty() {
            vec![&missing]
        } else {
            matching
        };
        kvs.iter().all(|kv| match &c.target {
            CompareTarget::Version(v) => cmp(kv.version.cmp(v)),
            CompareTarget::Create(v) => cmp(kv.create_revision.cmp(v)),
            CompareTarget::Mod(v) => cmp(kv.mod_revision.cmp(v)),
            CompareTarget::Lease(v) => cmp(kv.lease.cmp(v)),
            CompareTarget::Value(v) => !kv.key.is_empty() && cmp(kv.value.cmp(v)),
        })
    }

    fn txn(&mut self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        let succeeded = req.compare.iter().all(|c| self.holds(c));
        let ops = if succeeded {
            &req.success
        } else {
            &req.failure
        };
        let mut responses = Vec::new();
        for op in ops {
            responses.push(match op {
                RequestOp::Range(r) => ResponseOp::Range(self.range(r)?),
                RequestOp::Put {
                    key,
                    value,
                    prev_kv,
                    ..
                } => {
                    if key.is_empty() {
                        return Err(StoreError::EmptyKey);
                    }
                    ResponseOp::Put(self.put(key, value, *prev_kv))
                }
                RequestOp::Delete {
                    key,
                    range_end,
                    prev_kv,
                } => ResponseOp::Delete(self.delete(key, range_end, *prev_kv)),
            });
        }
        Ok(TxnResponse {
            header: Header {
                revision: self.revision,
            },
            succeeded,
            responses,
        })
    }
}

impl Store for FakeStore {
    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        self.0.lock().unwrap().range(req)
    }
    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError> {
        if key.is_empty() {
            return Err(StoreError::EmptyKey);
        }
        Ok(self.0.lock().unwrap().put(key, value, prev_kv))
    }
    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError> {
        if key.is_empty() {
            return Err(StoreError::EmptyKey);
        }
        Ok(self.0.lock().unwrap().delete(key, range_end, prev_kv))
    }
    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        self.0.lock().unwrap().txn(req)
    }
    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        reqs.iter().map(|r| self.txn(r)).collect()
    }
    fn events_since(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let s = self.0.lock().unwrap();
        if from > 0 && from < s.compacted {
            return Err(StoreError::Compacted {
                compact_revision: s.compacted,
            });
        }
        Ok(s.events
            .iter()
            .filter(|e| e.kv.mod_revision >= from && in_range(&e.kv.key, key, range_end))
            .map(|e| Event {
                prev_kv: e.prev_kv.clone().filter(|_| prev_kv),
                ..e.clone()
            })
            .collect())
    }
    fn compact(&self, revision: i64) -> Result<Header, StoreError> {
        let mut s = self.0.lock().unwrap();
        if revision > s.revision {
            return Err(StoreError::FutureRevision);
        }
        if revision <= s.compacted {
            return Err(StoreError::Compacted {
                compact_revision: s.compacted,
            });
        }
        s.compacted = revision;
        Ok(Header {
            revision: s.revision,
        })
    }
    fn current_revision(&self) -> Result<i64, StoreError> {
        Ok(self.0.lock().unwrap().revision)
    }
    fn compacted_revision(&self) -> Result<i64, StoreError> {
        Ok(self.0.lock().unwrap().compacted)
    }
}

pub struct FakeBackend(pub FakeStore);

impl Backend for FakeBackend {
    fn store(&self) -> &dyn Store {
        &self.0
    }
    fn cluster_info(&self) -> Result<ClusterInfo, StoreError> {
        Ok(ClusterInfo::embedded())
    }
}
