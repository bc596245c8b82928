//! Leases, as etcd v3 has them: a lease is granted with a TTL, keys are attached to it by the
//! puts that name it, and when it is revoked (or expires) every key attached to it is deleted
//! at one revision, which watchers see as ordinary delete events. kube-apiserver attaches
//! Events to leases of `--event-ttl`, which is how they go away.
//!
//! Unlike etcd, whose leases run on the leader's monotonic clock, a lease here expires on the
//! cluster's clock: the caller passes `now` (unix seconds), so a stepped `KUBELITE_NOW` expires
//! leases deterministically. Nothing expires by itself: whoever drives the cluster calls
//! [`super::Store::expire_leases`] (the API server's housekeeping does, in every command and
//! every second in `serve`).

use super::Header;

/// The answer to a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LeaseGrant {
    pub header: Header,
    pub id: i64,
    /// The TTL granted, in seconds.
    pub ttl: i64,
}

/// A lease's state, as `etcdctl lease timetolive` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LeaseStatus {
    pub header: Header,
    pub id: i64,
    /// Seconds left; -1 if the lease does not exist (etcd's answer for a revoked one).
    pub ttl: i64,
    /// The TTL it was granted with; 0 if it does not exist.
    pub granted_ttl: i64,
    /// The attached keys, when asked for.
    pub keys: Vec<Vec<u8>>,
}

/// What one expiry pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Expired {
    /// Leases revoked whole.
    pub leases: usize,
    /// Keys deleted.
    pub keys: usize,
    /// Expired leases (or keys of a lease) are left for the next pass.
    pub more: bool,
}
