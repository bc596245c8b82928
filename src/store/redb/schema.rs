//! The tables of the redb file and the encoding of one stored record.
//!
//! - `current`: key -> record of the key as it is now (live keys only). Serves reads at the
//!   current revision with one lookup or one range scan.
//! - `history`: (key, revision, sub) -> record, for every put and every deletion
//!   (tombstone). Serves reads at past revisions and the `prev_kv` of events. The sub-revision
//!   is needed because one txn may delete a key and then put it again. The live version of a
//!   key is a stub there (its record is the one in `current`, kept once); a write that
//!   supersedes it puts the full record in its place.
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
/// Format 2: records compressed, with compact headers, and the live version of a key held
/// once (in `current`; its `history` entry is a stub). Format 1 files (fixed headers, every
/// version in full in `history`) are still read, and rewritten as format 2 when opened for
/// writing (`migrate`).
pub(super) const FORMAT_VERSION: i64 = 2;
pub(super) const FORMAT_V1: i64 = 1;

/// Whether records of a file of this format can be read.
pub(super) fn readable_format(format: i64) -> bool {
    format == FORMAT_V1 || format == FORMAT_VERSION
}
/// The compacted revision of a store never compacted: etcd starts at -1, so that
/// compacting at revision 0 once succeeds.
pub(super) const NEVER_COMPACTED: i64 = -1;

/// Format 1's tags, and its header: the tag then four little-endian i64.
const V1_PUT: u8 = 0;
const V1_TOMBSTONE: u8 = 1;
const V1_HEADER_LEN: usize = 1 + 8 * 4;
/// Format 2's tag: this bit, and flags below it.
const V2: u8 = 0x80;
const FLAG_TOMBSTONE: u8 = 1;
const FLAG_COMPRESSED: u8 = 2;
/// A `history` entry of the live version: its record is the one in `current`.
const FLAG_STUB: u8 = 4;
const V2_FLAGS: u8 = FLAG_TOMBSTONE | FLAG_COMPRESSED | FLAG_STUB;

/// One stored version of a key. A tombstone marks a deletion at `mod_revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    pub tombstone: bool,
    pub create_revision: i64,
    pub mod_revision: i64,
    pub version: i64,
    pub lease: i64,
    /// The sub-revision of the write (where its `history` entry is); 0 in format 1.
    pub sub: u32,
    /// A stub stands for the record in `current` and has no value of its own.
    pub stub: bool,
    pub value: Vec<u8>,
}

impl Record {
    pub(super) fn tombstone(revision: i64, sub: u32) -> Record {
        Record {
            tombstone: true,
            create_revision: 0,
            mod_revision: revision,
            version: 0,
            lease: 0,
            sub,
            stub: false,
            value: Vec::new(),
        }
    }

    /// Layout: tag byte, then create, mod, version, lease and sub as LEB128 varints; then,
    /// unless a stub, the value: as it is, or its length (varint) and its zstd compression.
    pub(super) fn encode(&self) -> Vec<u8> {
        let packed = if self.stub {
            None
        } else {
            super::compress::compress(&self.value)
        };
        let mut tag = V2;
        if self.tombstone {
            tag |= FLAG_TOMBSTONE;
        }
        if self.stub {
            tag |= FLAG_STUB;
        }
        if packed.is_some() {
            tag |= FLAG_COMPRESSED;
        }
        let mut out = Vec::with_capacity(16 + self.value.len());
        out.push(tag);
        for n in [
            self.create_revision,
            self.mod_revision,
            self.version,
            self.lease,
        ] {
            put_varint(&mut out, n as u64);
        }
        put_varint(&mut out, u64::from(self.sub));
        match (&packed, self.stub) {
            (_, true) => {}
            (Some(packed), _) => {
                put_varint(&mut out, self.value.len() as u64);
                out.extend_from_slice(packed);
            }
            (None, _) => out.extend_from_slice(&self.value),
        }
        out
    }

    /// This record as the `history` stub of the live version.
    pub(super) fn stub_of(&self) -> Vec<u8> {
        Record {
            stub: true,
            value: Vec::new(),
            ..self.clone()
        }
        .encode()
    }

    /// Decodes a record of either format; `with_value` false skips the value.
    pub(super) fn decode(bytes: &[u8], with_value: bool) -> Result<Record, StoreError> {
        let bad = || StoreError::Corrupt(format!("bad record of {} bytes", bytes.len()));
        let Some(&tag) = bytes.first() else {
            return Err(bad());
        };
        if tag & V2 == 0 {
            return Self::decode_v1(bytes, with_value);
        }
        if tag & !(V2 | V2_FLAGS) != 0 {
            return Err(bad());
        }
        let mut at = 1;
        let mut ints = [0i64; 5];
        for n in &mut ints {
            *n = get_varint(bytes, &mut at).ok_or_else(bad)? as i64;
        }
        let stub = tag & FLAG_STUB != 0;
        let value = if !with_value || stub {
            Vec::new()
        } else if tag & FLAG_COMPRESSED != 0 {
            let len = get_varint(bytes, &mut at).ok_or_else(bad)?;
            let len = usize::try_from(len).map_err(|_| bad())?;
            super::compress::decompress(&bytes[at..], len)?
        } else {
            bytes[at..].to_vec()
        };
        Ok(Record {
            tombstone: tag & FLAG_TOMBSTONE != 0,
            create_revision: ints[0],
            mod_revision: ints[1],
            version: ints[2],
            lease: ints[3],
            sub: u32::try_from(ints[4]).map_err(|_| bad())?,
            stub,
            value,
        })
    }

    fn decode_v1(bytes: &[u8], with_value: bool) -> Result<Record, StoreError> {
        if bytes.len() < V1_HEADER_LEN || (bytes[0] != V1_PUT && bytes[0] != V1_TOMBSTONE) {
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
            tombstone: bytes[0] == V1_TOMBSTONE,
            create_revision: int(0),
            mod_revision: int(1),
            version: int(2),
            lease: int(3),
            sub: 0,
            stub: false,
            value: if with_value {
                bytes[V1_HEADER_LEN..].to_vec()
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

/// Whether an encoded record is a `history` stub (read without decoding the rest).
pub(super) fn is_stub(bytes: &[u8]) -> bool {
    bytes
        .first()
        .is_some_and(|t| t & V2 != 0 && t & FLAG_STUB != 0)
}

/// The record of a `history` entry: a stub's is the live one in `current`.
pub(super) fn resolve(
    current: &impl ReadableTable<&'static [u8], &'static [u8]>,
    key: &[u8],
    bytes: &[u8],
) -> Result<Vec<u8>, StoreError> {
    if !is_stub(bytes) {
        return Ok(bytes.to_vec());
    }
    match current.get(key)? {
        Some(live) => Ok(live.value().to_vec()),
        None => Err(StoreError::Corrupt(format!(
            "history stub of {} without a live key",
            String::from_utf8_lossy(key)
        ))),
    }
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(n);
        }
    }
    None
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
