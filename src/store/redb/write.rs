//! Applies transactions inside one redb write transaction. Every write goes to three
//! tables: `current` (the new state), `history` (a stub for the version at its revision;
//! the version it replaces gets its full record there) and `changes` (the log entry). The store revision is written to `meta` at the end.

use ::redb::{ReadableTable, Table, WriteTransaction};

use super::read::{self, Snapshot};
use super::schema::{
    self, CHANGES, CURRENT, HISTORY, LEASE_EXPIRY, LEASE_KEYS, LEASES, META, Record,
};
use crate::store::rules::{self, Bounds};
use crate::store::{
    DeleteResponse, Header, PutResponse, RequestOp, ResponseOp, StoreError, TxnRequest, TxnResponse,
};

pub(super) struct Writer<'t> {
    pub(super) current: Table<'t, &'static [u8], &'static [u8]>,
    pub(super) history: Table<'t, (&'static [u8], i64, u32), &'static [u8]>,
    pub(super) changes: Table<'t, (i64, u32), &'static [u8]>,
    pub(super) meta: Table<'t, &'static str, i64>,
    pub(super) leases: Table<'t, i64, (i64, i64)>,
    pub(super) lease_keys: Table<'t, (i64, &'static [u8]), ()>,
    pub(super) lease_expiry: Table<'t, (i64, i64), ()>,
    /// The store revision including the transactions applied so far.
    pub(super) revision: i64,
    pub(super) compacted: i64,
    /// Whether anything was written, so the commit is needed.
    pub(super) dirty: bool,
}

/// The write position within one transaction: its revision and the next sub-revision.
pub(super) struct TxnWrites {
    pub(super) revision: i64,
    pub(super) sub: u32,
}

impl<'t> Writer<'t> {
    pub(super) fn open(txn: &'t WriteTransaction) -> Result<Writer<'t>, StoreError> {
        let meta = txn.open_table(META)?;
        let revision = schema::meta_get(&meta, schema::META_REVISION)?;
        let compacted = schema::meta_get(&meta, schema::META_COMPACTED)?;
        Ok(Writer {
            current: txn.open_table(CURRENT)?,
            history: txn.open_table(HISTORY)?,
            changes: txn.open_table(CHANGES)?,
            meta,
            leases: txn.open_table(LEASES)?,
            lease_keys: txn.open_table(LEASE_KEYS)?,
            lease_expiry: txn.open_table(LEASE_EXPIRY)?,
            revision,
            compacted,
            dirty: false,
        })
    }

    /// Records the revisions in `meta`; call before committing.
    pub(super) fn finish(mut self) -> Result<(), StoreError> {
        if self.dirty {
            self.meta.insert(schema::META_REVISION, self.revision)?;
            self.meta.insert(schema::META_COMPACTED, self.compacted)?;
        }
        Ok(())
    }

    /// Runs one transaction; its writes, if any, get the next revision.
    pub(super) fn txn(&mut self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        rules::validate_txn(req)?;
        let start = self.revision;
        let succeeded = self.compares_hold(req)?;
        let ops = if succeeded {
            &req.success
        } else {
            &req.failure
        };
        let mut writes = TxnWrites {
            revision: start + 1,
            sub: 0,
        };
        let mut responses = Vec::with_capacity(ops.len());
        for op in ops {
            let mut response = match op {
                RequestOp::Range(r) => {
                    let snap = Snapshot {
                        current: &self.current,
                        history: &self.history,
                        current_at: if writes.sub > 0 { start + 1 } else { start },
                        newest: start,
                        compacted: self.compacted,
                    };
                    ResponseOp::Range(read::range(&snap, r, 0)?)
                }
                RequestOp::Put {
                    key,
                    value,
                    prev_kv,
                    lease,
                } => ResponseOp::Put(self.put(key, value, *prev_kv, *lease, &mut writes)?),
                RequestOp::Delete {
                    key,
                    range_end,
                    prev_kv,
                } => ResponseOp::Delete(self.delete(key, range_end, *prev_kv, &mut writes)?),
            };
            // As in etcd, each op's header is the revision as the txn stands after it: the
            // new revision once anything was written, the old one before.
            let header = Header {
                revision: if writes.sub > 0 { start + 1 } else { start },
            };
            match &mut response {
                ResponseOp::Range(r) => r.header = header,
                ResponseOp::Put(p) => p.header = header,
                ResponseOp::Delete(d) => d.header = header,
            }
            responses.push(response);
        }
        if writes.sub > 0 {
            self.revision = start + 1;
            self.dirty = true;
        }
        let header = Header {
            revision: self.revision,
        };
        Ok(TxnResponse {
            header,
            succeeded,
            responses,
        })
    }

    fn compares_hold(&self, req: &TxnRequest) -> Result<bool, StoreError> {
        for cmp in &req.compare {
            let kvs = read::current_kvs(&self.current, &Bounds::new(&cmp.key, &cmp.range_end))?;
            if !rules::compare_holds(cmp, &kvs) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn put(
        &mut self,
        key: &[u8],
        value: &[u8],
        want_prev: bool,
        lease: i64,
        writes: &mut TxnWrites,
    ) -> Result<PutResponse, StoreError> {
        let old = match self.current.get(key)? {
            Some(bytes) => Some((
                Record::decode(bytes.value(), want_prev)?,
                bytes.value().to_vec(),
            )),
            None => None,
        };
        if let Some((old, bytes)) = &old {
            self.supersede(key, old, bytes)?;
        }
        let old = old.map(|(record, _)| record);
        self.move_to_lease(key, old.as_ref().map_or(0, |o| o.lease), lease)?;
        let revision = writes.revision;
        let sub = self.log_change(key, writes)?;
        let record = Record {
            tombstone: false,
            create_revision: old.as_ref().map_or(revision, |o| o.create_revision),
            mod_revision: revision,
            version: old.as_ref().map_or(1, |o| o.version + 1),
            lease,
            sub,
            stub: false,
            value: value.to_vec(),
        };
        self.current.insert(key, record.encode().as_slice())?;
        self.history
            .insert((key, revision, sub), record.stub_of().as_slice())?;
        Ok(PutResponse {
            header: Header::default(),
            prev_kv: if want_prev {
                old.map(|o| o.into_kv(key))
            } else {
                None
            },
        })
    }

    pub(super) fn delete(
        &mut self,
        key: &[u8],
        range_end: &[u8],
        want_prev: bool,
        writes: &mut TxnWrites,
    ) -> Result<DeleteResponse, StoreError> {
        let doomed = read::current_kvs(&self.current, &Bounds::new(key, range_end))?;
        for kv in &doomed {
            self.move_to_lease(&kv.key, kv.lease, 0)?;
            let removed = self
                .current
                .remove(kv.key.as_slice())?
                .map(|bytes| bytes.value().to_vec());
            if let Some(bytes) = removed {
                self.supersede(&kv.key, &Record::decode(&bytes, false)?, &bytes)?;
            }
            let sub = self.log_change(&kv.key, writes)?;
            let tombstone = Record::tombstone(writes.revision, sub).encode();
            self.history.insert(
                (kv.key.as_slice(), writes.revision, sub),
                tombstone.as_slice(),
            )?;
        }
        Ok(DeleteResponse {
            header: Header::default(),
            deleted: i64::try_from(doomed.len()).unwrap_or(i64::MAX),
            prev_kvs: if want_prev { doomed } else { Vec::new() },
        })
    }

    /// The live version of `key` (`old`, encoded as `bytes` in `current`) is about to be
    /// replaced: its `history` stub becomes the full record, unless compaction dropped it.
    fn supersede(&mut self, key: &[u8], old: &Record, bytes: &[u8]) -> Result<(), StoreError> {
        let at = (key, old.mod_revision, old.sub);
        let stubbed = match self.history.get(at)? {
            Some(entry) => schema::is_stub(entry.value()),
            None => false,
        };
        if stubbed {
            self.history.insert(at, bytes)?;
        }
        Ok(())
    }

    /// Appends to the change log; returns the sub-revision of this write.
    fn log_change(&mut self, key: &[u8], writes: &mut TxnWrites) -> Result<u32, StoreError> {
        let sub = writes.sub;
        self.changes.insert((writes.revision, sub), key)?;
        writes.sub += 1;
        Ok(sub)
    }
}
