//! Output writers, one file per `-w` format. Every writer prints the same response types:
//! the store's responses plus the header identity etcd adds, and the cluster views.

pub mod alarm;
pub mod fields;
pub mod json;
pub mod lease;
pub mod protobuf;
pub mod simple;
pub mod table;

use crate::store::{DeleteResponse, Event, PutResponse, RangeResponse, TxnResponse};

/// etcd's ResponseHeader. Nested responses inside a txn carry only a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hdr {
    pub cluster_id: u64,
    pub member_id: u64,
    pub revision: i64,
    pub raft_term: u64,
}

impl Hdr {
    pub fn nested(revision: i64) -> Hdr {
        Hdr {
            revision,
            ..Hdr::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Simple,
    Json,
    Fields,
    Protobuf,
    Table,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "simple" => Some(Format::Simple),
            "json" => Some(Format::Json),
            "fields" => Some(Format::Fields),
            "protobuf" => Some(Format::Protobuf),
            "table" => Some(Format::Table),
            _ => None,
        }
    }
}

/// A response of a txn branch, with the header etcd gives it.
pub enum TxnOp<'a> {
    Range(Hdr, &'a RangeResponse),
    Put(Hdr, &'a PutResponse),
    Delete(Hdr, &'a DeleteResponse),
}

/// A transaction's result ready to print.
pub struct TxnView<'a> {
    pub hdr: Hdr,
    pub resp: &'a TxnResponse,
    pub ops: Vec<TxnOp<'a>>,
}

/// One batch of watch events, as one etcd WatchResponse.
pub struct WatchBatch<'a> {
    pub hdr: Hdr,
    pub events: &'a [Event],
    pub compact_revision: i64,
    pub canceled: bool,
}

/// One member, as `member list` shows it.
pub struct MemberView {
    pub id: u64,
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
    pub is_learner: bool,
}

/// One endpoint's status, as `endpoint status` shows it.
pub struct StatusView {
    pub endpoint: String,
    pub hdr: Hdr,
    pub version: String,
    pub db_size: i64,
    pub db_size_in_use: i64,
    pub leader: u64,
    pub is_learner: bool,
    pub raft_index: u64,
    pub raft_term: u64,
    pub raft_applied_index: u64,
    pub errors: Vec<String>,
}

/// One endpoint's health, as `endpoint health` shows it.
pub struct HealthView {
    pub endpoint: String,
    pub health: bool,
    /// Go's Duration text, e.g. "991.961µs".
    pub took: String,
    pub error: String,
}

/// Go's time.Duration String() (what `took` shows).
pub use crate::go::duration::format as go_duration;

/// go-humanize's Bytes (SI units), as `endpoint status` prints the database size.
pub fn humanize_bytes(size: i64) -> String {
    let s = size.max(0) as f64;
    if s < 10.0 {
        return format!("{size} B");
    }
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let e = (s.ln() / 1000f64.ln()).floor() as usize;
    let e = e.min(units.len() - 1);
    let val = (s / 1000f64.powi(e as i32) * 10.0 + 0.5).floor() / 10.0;
    if val < 10.0 {
        format!("{val:.1} {}", units[e])
    } else {
        format!("{val:.0} {}", units[e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn go_style_numbers() {
        assert_eq!(humanize_bytes(24576), "25 kB");
        assert_eq!(humanize_bytes(5), "5 B");
        assert_eq!(humanize_bytes(1_500_000), "1.5 MB");
        assert_eq!(go_duration(Duration::from_nanos(991_961)), "991.961µs");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(go_duration(Duration::from_nanos(12)), "12ns");
    }
}
