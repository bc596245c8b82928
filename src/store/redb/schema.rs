//! The tables of the redb file and the encoding of one stored record.
//!
//! - `current`: key -> record of the key as it is now (live keys only). Serves reads at the
//!   current revision with one lookup or one range scan.
//! - `history`: (key, revision, sub) -> record, for every put and every deletion
//!   (tombstone). Serves reads at past revisions and the `prev_kv` of events. The sub-revision
//!   is needed because one txn may delete a key and then put it again.
//! - `changes`: (revision, sub) -> key, the change log in write order. Serves
//!   `events_since` and tells compaction which keys have history to drop.
//! - `meta`: name -> integer (current and compacted revision, format version, next lease id).
//! - `leases`: lease id -> (granted TTL, expiry in unix seconds on the cluster's clock).
//! - `lease_keys`: (lease id, key) -> (), the keys attached to each lease.
//! - `lease_expiry`: (expiry, lease id) -> (), so that an expiry pass finds what expired by
//!   a range scan that stops at `now`: its cost is what expired, not every lease or key.

use ::redb::{ReadableTable, TableDefinition};

use crate::store::{KeyValue, StoreError};

pub(super) const CURRENT: TableDefinition<&[u8], &[u8]> = TableDefinition::new("kv_current");
pub(super) const HISTORY: TableDefinition<(&[u8], i64, u32), &[u8]> =
    TableDefinition::new("kv_history");
pub(super) const CHANGES: TableDefinition<(i64, u32), &[u8]> = TableDefinition::new("kv_changes");
pub(super) const META: TableDefinition<&str, i64> = TableDefinition::new("kv_meta");
pub(super) const LEASES: TableDefinition<i64, (i64, i64)> = TableDefinition::new("leases");
pub(super) const LEASE_KEYS: TableDefinition<(i64, &[u8]), ()> = TableDefinition::new("lease_keys");
pub(super) const LEASE_EXPIRY: TableDefinition<(i64, i64), ()> =
    TableDefinition::new("lease_expiry");

pub(super) const META_REVISION: &str = "revision";
pub(super) const META_COMPACTED: &str = "compacted";
pub(super) const META_FORMAT: &str = "format";
/// The highest lease id granted so far (absent: none yet).
pub(super) const META_LEASE_ID: &str = "lease_id";
/// 1 while the NOSPACE alarm is raised (absent: not raised).
pub(super) const META_ALARM_NOSPACE: &str = "alarm_nospace";
pub(super) const FORMAT_VERSION: i64 = 1;
/// The compacted revision of a store never compacted: etcd starts at -1, so that
/// compacting at revision 0 once succeeds.
pub(super) const NEVER_COMPACTED: i64 = -1;

const TAG_PUT: u8 = 0;
const TAG_TOMBSTONE: u8 = 1;
const HEADER_LEN: usize = 1 + 8 * 4;

/// One stored version of a key. A tombstone marks a deletion at `mod_revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    pub tombstone: bool,
    pub create_revision: i64,
    pub mod_revision: i64,
    pub version: i64,
    pub lease: i64,
    pub value: Vec<u8>,
}

impl Record {
    pub(super) fn tombstone(revision: i64) -> Record {
        Record {
            tombstone: true,
            create_revision: 0,
            mod_revision: revision,
            version: 0,
            lease: 0,
            value: Vec::new(),
        }
    }

    /// Layout: tag byte, then create, mod, version, lease as little-endian i64, then the value.
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.value.len());
        out.push(if self.tombstone {
            TAG_TOMBSTONE
        } else {
            TAG_PUT
        });
        for n in [
            self.create_revision,
            self.mod_revision,
            self.version,
            self.lease,
        ] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&self.value);
        out
    }

    /// Decodes a record; `with_value` false skips copying the value.
    pub(super) fn decode(bytes: &[u8], with_value: bool) -> Result<Record, StoreError> {
        if bytes.len() < HEADER_LEN || bytes[0] > TAG_TOMBSTONE {
            return Err(StoreError::Corrupt(format!(
                "bad record of {} bytes",
                bytes.len()
            )));
        }
        let int = |i: usize| {
            let start = 1 + 8 * i;
            let mut buf = [0u8; 8];
            buf.copy_from_slice(&bytes[start..start + 8]);
            i64::from_le_bytes(buf)
        };
        Ok(Record {
            tombstone: bytes[0] == TAG_TOMBSTONE,
            create_revision: int(0),
            mod_revision: int(1),
            version: int(2),
            lease: int(3),
            value: if with_value {
                bytes[HEADER_LEN..].to_vec()
            } else {
                Vec::new()
            },
        })
    }

    pub(super) fn into_kv(self, key: &[u8]) -> KeyValue {
        KeyValue {
            key: key.to_vec(),
            value: self.value,
            create_revision: self.create_revision,
            mod_revision: self.mod_revision,
            version: self.version,
            lease: self.lease,
        }
    }
}

/// Reads one meta integer; a missing entry means the file was never initialised.
pub(super) fn meta_get(
    meta: &impl ReadableTable<&'static str, i64>,
    name: &str,
) -> Result<i64, StoreError> {
    match meta.get(name)? {
        Some(v) => Ok(v.value()),
        None => Err(StoreError::Corrupt(format!("meta entry {name:?} missing"))),
    }
}
