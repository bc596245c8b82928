//! etcd's space quota and its NOSPACE alarm.
//!
//! A store has a quota (`--quota-backend-bytes` in etcd, 2 GiB by default). A request that
//! would write (a put, a transaction with a put in either branch, a lease grant) when the
//! store file plus the request's cost would pass the quota raises the NOSPACE alarm and
//! fails. While the alarm is raised every such request fails with
//! [`super::StoreError::NoSpace`]; reads, deletes, lease revokes and compaction still work,
//! so space can be freed. The alarm is persisted (it survives a restart) and stays raised
//! until disarmed, even once space is free: compact, defragment, then disarm, as etcd's
//! operators do. A store still over its quota after a disarm raises it again at the next
//! write.

use super::{RequestOp, TxnRequest};

/// etcd's default `--quota-backend-bytes`.
pub const DEFAULT_QUOTA_BYTES: u64 = 2 << 30;

/// The quota of one-shot commands (`serve --max-store-bytes` for a server).
pub const QUOTA_ENV: &str = "KUBELITE_MAX_STORE_BYTES";

/// `KUBELITE_MAX_STORE_BYTES` (a number of bytes), the default when unset; malformed is an
/// error, not a silent default.
pub fn quota_from_env() -> Result<u64, String> {
    match std::env::var(QUOTA_ENV) {
        Ok(v) if !v.is_empty() => parse_quota(&v)
            .ok_or_else(|| format!("{QUOTA_ENV}={v:?} is not a number of bytes greater than 0")),
        _ => Ok(DEFAULT_QUOTA_BYTES),
    }
}

/// A quota in bytes: a whole number above 0.
pub fn parse_quota(text: &str) -> Option<u64> {
    text.parse().ok().filter(|&n: &u64| n > 0)
}

/// The alarms etcd has (`etcdserverpb.AlarmType`); this store raises only NOSPACE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmType {
    NoSpace,
    Corrupt,
}

impl AlarmType {
    /// etcd's name of the alarm, as `alarm list` prints it.
    pub fn name(self) -> &'static str {
        match self {
            AlarmType::NoSpace => "NOSPACE",
            AlarmType::Corrupt => "CORRUPT",
        }
    }

    /// The protobuf enum number.
    pub fn number(self) -> u64 {
        match self {
            AlarmType::NoSpace => 1,
            AlarmType::Corrupt => 2,
        }
    }

    pub fn from_name(name: &str) -> Option<AlarmType> {
        match name {
            "NOSPACE" | "1" => Some(AlarmType::NoSpace),
            "CORRUPT" | "2" => Some(AlarmType::Corrupt),
            _ => None,
        }
    }
}

/// A raised alarm and the member that raised it (0: the embedded store's single member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlarmMember {
    pub member_id: u64,
    pub alarm: AlarmType,
}

/// What etcd adds to a put's size when it weighs it against the quota.
const PUT_OVERHEAD: u64 = 256;
/// What etcd adds for a lease.
pub const LEASE_COST: u64 = 64;

/// The bytes a transaction may add, as etcd weighs it: the puts of the heavier branch.
pub fn txn_cost(req: &TxnRequest) -> u64 {
    let branch = |ops: &[RequestOp]| -> u64 {
        ops.iter()
            .map(|op| match op {
                RequestOp::Put {
                    key, value, lease, ..
                } => {
                    let lease = if *lease != 0 { LEASE_COST } else { 0 };
                    (key.len() + value.len()) as u64 + PUT_OVERHEAD + lease
                }
                _ => 0,
            })
            .sum()
    };
    branch(&req.success).max(branch(&req.failure))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_puts_cost() {
        let del = RequestOp::Delete {
            key: b"k".to_vec(),
            range_end: vec![],
            prev_kv: false,
        };
        let put = RequestOp::Put {
            key: b"k".to_vec(),
            value: b"vv".to_vec(),
            prev_kv: false,
            lease: 0,
        };
        let req = TxnRequest {
            compare: vec![],
            success: vec![del.clone()],
            failure: vec![put, del],
        };
        assert_eq!(txn_cost(&req), 3 + PUT_OVERHEAD);
        assert_eq!(txn_cost(&TxnRequest::default()), 0);
    }
}
