//! Leases in the write transaction: grant, attach and detach as keys are put and deleted,
//! revoke, and the expiry pass over the `lease_expiry` index (see `store::lease`).

use ::redb::ReadableTable;

use super::RedbStore;
use super::schema;
use super::write::{TxnWrites, Writer};
use crate::store::{Expired, Header, LeaseGrant, StoreError};

/// etcd's smallest TTL with its default election timeout (1.5 s, rounded up).
const MIN_TTL: i64 = 2;
/// etcd's largest TTL (`MaxLeaseTTL`).
const MAX_TTL: i64 = 9_000_000_000;

impl Writer<'_> {
    /// Moves `key` from lease `old` to lease `new` (0: none). A put naming a lease that does
    /// not exist fails, as in etcd.
    pub(super) fn move_to_lease(
        &mut self,
        key: &[u8],
        old: i64,
        new: i64,
    ) -> Result<(), StoreError> {
        if new != 0 && self.leases.get(new)?.is_none() {
            return Err(StoreError::LeaseNotFound);
        }
        if old == new {
            return Ok(());
        }
        if old != 0 {
            self.lease_keys.remove((old, key))?;
        }
        if new != 0 {
            self.lease_keys.insert((new, key), ())?;
        }
        Ok(())
    }

    pub(super) fn grant(&mut self, id: i64, ttl: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        if ttl > MAX_TTL {
            return Err(StoreError::Io(
                "etcdserver: too large lease TTL".to_string(),
            ));
        }
        let ttl = ttl.max(MIN_TTL);
        let last = self
            .meta
            .get(schema::META_LEASE_ID)?
            .map_or(0, |v| v.value());
        let id = match id {
            0 => last
                .checked_add(1)
                .ok_or_else(|| StoreError::Io("etcdserver: no lease id left".to_string()))?,
            id if id < 0 || self.leases.get(id)?.is_some() => {
                return Err(StoreError::Io(
                    "etcdserver: lease already exists".to_string(),
                ));
            }
            id => id,
        };
        let expiry = now.saturating_add(ttl);
        self.leases.insert(id, (ttl, expiry))?;
        self.lease_expiry.insert((expiry, id), ())?;
        self.meta.insert(schema::META_LEASE_ID, last.max(id))?;
        self.dirty = true;
        Ok(LeaseGrant {
            header: Header {
                revision: self.revision,
            },
            id,
            ttl,
        })
    }

    /// Renews lease `id` for its granted TTL from `now`. A lease already past its expiry is
    /// gone for its holder even before the expiry pass sweeps it, as in etcd.
    pub(super) fn keep_alive(&mut self, id: i64, now: i64) -> Result<LeaseGrant, StoreError> {
        let Some((ttl, expiry)) = self.leases.get(id)?.map(|l| l.value()) else {
            return Err(StoreError::LeaseNotFound);
        };
        if expiry <= now {
            return Err(StoreError::LeaseNotFound);
        }
        let renewed = now.saturating_add(ttl);
        self.lease_expiry.remove((expiry, id))?;
        self.leases.insert(id, (ttl, renewed))?;
        self.lease_expiry.insert((renewed, id), ())?;
        self.dirty = true;
        Ok(LeaseGrant {
            header: Header {
                revision: self.revision,
            },
            id,
            ttl,
        })
    }

    /// Revokes lease `id`: all its keys deleted at one new revision.
    pub(super) fn revoke(&mut self, id: i64) -> Result<(), StoreError> {
        if self.leases.get(id)?.is_none() {
            return Err(StoreError::LeaseNotFound);
        }
        self.revoke_some(id, usize::MAX)?;
        Ok(())
    }

    /// Deletes up to `budget` keys of lease `id` at one new revision, and the lease itself
    /// once it has no keys left. Returns the keys deleted and whether the lease is gone.
    fn revoke_some(&mut self, id: i64, budget: usize) -> Result<(usize, bool), StoreError> {
        let mut keys = Vec::new();
        for entry in self.lease_keys.range((id, &[][..])..)? {
            let (k, _) = entry?;
            let (lease, key) = k.value();
            if lease != id || keys.len() >= budget {
                break;
            }
            keys.push(key.to_vec());
        }
        let mut writes = TxnWrites {
            revision: self.revision + 1,
            sub: 0,
        };
        for key in &keys {
            self.delete(key, &[], false, &mut writes)?;
        }
        if writes.sub > 0 {
            self.revision += 1;
        }
        let rest = self.lease_keys.range((id, &[][..])..)?.next().transpose()?;
        let done = rest.is_none_or(|(k, _)| k.value().0 != id);
        if done && let Some(lease) = self.leases.remove(id)? {
            let (_, expiry) = lease.value();
            self.lease_expiry.remove((expiry, id))?;
        }
        self.dirty = true;
        Ok((keys.len(), done))
    }

    /// Revokes what expired at or before `now`, earliest first, deleting at most `max_keys`.
    pub(super) fn expire(&mut self, now: i64, max_keys: usize) -> Result<Expired, StoreError> {
        let mut out = Expired::default();
        loop {
            let first = self.lease_expiry.first()?.map(|(k, _)| k.value());
            let Some((expiry, id)) = first else {
                return Ok(out);
            };
            if expiry > now {
                return Ok(out);
            }
            if out.keys >= max_keys {
                out.more = true;
                return Ok(out);
            }
            let (keys, done) = self.revoke_some(id, max_keys - out.keys)?;
            out.keys += keys;
            if done {
                out.leases += 1;
            } else if keys == 0 {
                // Cannot happen (a lease with keys left gave none): stop rather than spin.
                return Err(StoreError::Corrupt(format!("lease {id} cannot be revoked")));
            }
        }
    }
}

impl RedbStore {
    /// Whether some lease expired at or before `now` (one lookup in the expiry index).
    pub(super) fn anything_expired(&self, now: i64) -> Result<bool, StoreError> {
        let txn = self.begin_read()?;
        let index = match txn.open_table(schema::LEASE_EXPIRY) {
            Ok(t) => t,
            Err(::redb::TableError::TableDoesNotExist(_)) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        Ok(index.first()?.is_some_and(|(k, _)| k.value().0 <= now))
    }
}
