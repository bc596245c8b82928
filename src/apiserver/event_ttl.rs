//! Events expire after `--event-ttl`, as kube-apiserver makes them: every write of an Event
//! attaches its key to a store lease of that TTL, and the lease's expiry deletes it.
//!
//! As kube-apiserver's lease manager does, one lease serves every Event written within a short
//! window (5 % of the TTL, at most a minute), and is granted that much longer than the TTL: an
//! Event lives at least the TTL and at most the TTL plus the window, and the store holds one
//! lease a minute of writes instead of one an Event. The TTL is measured on the cluster's
//! clock, so a stepped `KUBELITE_NOW` expires Events deterministically.

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use super::ApiServer;
use super::codec::store_error;
use crate::api::status::ApiError;
use crate::store::StoreError;

/// kube-apiserver's default `--event-ttl`: one hour.
pub const DEFAULT_EVENT_TTL: i64 = 3600;
/// Where one-shot commands (and `serve` without the flag) read the TTL: a Go duration.
pub const EVENT_TTL_ENV: &str = "KUBELITE_EVENT_TTL";
/// The storage prefix of Events (core/v1 and events.k8s.io/v1 share it).
const EVENTS_PREFIX: &str = "/registry/events/";
/// kube-apiserver's lease reuse: this share of the TTL, in percent ...
const REUSE_PERCENT: i64 = 5;
/// ... but at most this many seconds.
const MAX_REUSE: i64 = 60;

/// The TTL of Events and the lease in use.
pub(super) struct EventLeases {
    /// Seconds; 0 keeps Events forever (kube-apiserver attaches no lease then).
    ttl: AtomicI64,
    /// The lease new Events get, and when it expires (unix seconds).
    current: Mutex<Option<(i64, i64)>>,
}

impl EventLeases {
    pub(super) fn from_env() -> Result<EventLeases, String> {
        Ok(EventLeases::with_ttl(ttl_from_env()?))
    }

    pub(super) fn with_ttl(seconds: i64) -> EventLeases {
        EventLeases {
            ttl: AtomicI64::new(seconds),
            current: Mutex::new(None),
        }
    }
}

/// Refuses a malformed `KUBELITE_EVENT_TTL` (commands check it as they start).
pub fn check_event_ttl_env() -> Result<(), String> {
    ttl_from_env().map(|_| ())
}

/// `KUBELITE_EVENT_TTL` in seconds, the default when unset.
fn ttl_from_env() -> Result<i64, String> {
    match std::env::var(EVENT_TTL_ENV) {
        Ok(v) if !v.is_empty() => parse_ttl(&v)
            .ok_or_else(|| format!("{EVENT_TTL_ENV}={v:?} is not a duration (such as 1h0m0s)")),
        _ => Ok(DEFAULT_EVENT_TTL),
    }
}

/// A Go duration (`1h`, `90m`, `0s`) in whole seconds.
pub fn parse_ttl(v: &str) -> Option<i64> {
    if v.starts_with('-') {
        return None;
    }
    crate::go::duration::seconds(v).map(|s| s as i64)
}

impl ApiServer {
    /// Sets the store's space quota in bytes, as `serve --max-store-bytes` does.
    pub fn set_store_quota(&self, bytes: u64) {
        self.store.set_quota(bytes);
    }

    /// Sets how long Events live (seconds; 0 forever), as `serve --event-ttl` does.
    pub fn set_event_ttl(&self, seconds: i64) {
        self.event_leases
            .ttl
            .store(seconds.max(0), Ordering::SeqCst);
        *lock(&self.event_leases.current) = None;
    }

    pub fn event_ttl(&self) -> i64 {
        self.event_leases.ttl.load(Ordering::SeqCst)
    }

    /// The lease a write of `key` attaches it to: a lease of the Event TTL for an Event, none
    /// (0) for anything else or on a store without leases.
    pub(super) fn lease_for(&self, key: &str) -> Result<i64, ApiError> {
        let ttl = self.event_ttl();
        if ttl == 0 || !key.starts_with(EVENTS_PREFIX) {
            return Ok(0);
        }
        let now = self.clock.now().timestamp();
        let reuse = (ttl * REUSE_PERCENT / 100).min(MAX_REUSE);
        let mut current = lock(&self.event_leases.current);
        if let Some((id, expiry)) = *current {
            // kube-apiserver's rule: long enough for this Event, and not much longer (at
            // the very instant of the grant too, as a fixed clock asks every time).
            if now + ttl < expiry && now + ttl + reuse >= expiry {
                return Ok(id);
            }
        }
        match self.store.lease_grant(0, ttl + reuse, now) {
            Ok(grant) => {
                *current = Some((grant.id, now + grant.ttl));
                Ok(grant.id)
            }
            Err(StoreError::LeasesUnsupported) => Ok(0),
            Err(e) => Err(store_error(e)),
        }
    }

    /// A write failed because its lease is gone (revoked by hand): the next write grants a
    /// new one.
    pub(super) fn forget_event_lease(&self) {
        *lock(&self.event_leases.current) = None;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
