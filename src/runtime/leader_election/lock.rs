//! One Lease contended for, as client-go's `LeaderElector.tryAcquireOrRenew` does it over a
//! `LeaseLock`: the leader renews `renewTime`; another candidate takes the Lease only once it
//! has seen the same record unchanged for `leaseDurationSeconds` (by its own clock, not the
//! holder's timestamps); every write carries the resourceVersion it read, so of two
//! candidates writing at once one gets a conflict and stays a follower.

use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::client::Client;
use crate::runtime::events::micro_time;
use serde_json::{Value, json};
use std::time::Instant;

/// The election record a Lease's spec carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    pub holder: String,
    pub lease_seconds: i64,
    pub acquire_time: Value,
    pub renew_time: Value,
    pub transitions: i64,
}

impl Record {
    fn of(lease: &Value) -> Record {
        let spec = &lease["spec"];
        Record {
            holder: spec["holderIdentity"].as_str().unwrap_or("").to_string(),
            lease_seconds: spec["leaseDurationSeconds"].as_i64().unwrap_or(0),
            acquire_time: spec["acquireTime"].clone(),
            renew_time: spec["renewTime"].clone(),
            transitions: spec["leaseTransitions"].as_i64().unwrap_or(0),
        }
    }

    fn spec(&self) -> Value {
        json!({
            "holderIdentity": self.holder,
            "leaseDurationSeconds": self.lease_seconds,
            "acquireTime": self.acquire_time,
            "renewTime": self.renew_time,
            "leaseTransitions": self.transitions,
        })
    }
}

/// A Lease this process contends for, and what it last saw of it.
pub struct Candidate {
    pub namespace: String,
    pub name: String,
    identity: String,
    /// Owners the Lease is made with (a node's kubelet Lease goes with its Node).
    owners: Option<Value>,
    /// The Lease as last read or written (its resourceVersion guards the next write).
    lease: Option<Value>,
    observed: Option<Record>,
    /// When the observed record last changed, by this process's clock.
    observed_at: Instant,
}

impl Candidate {
    pub fn new(namespace: &str, name: &str, identity: &str, owners: Option<Value>) -> Self {
        Candidate {
            namespace: namespace.to_string(),
            name: name.to_string(),
            identity: identity.to_string(),
            owners,
            lease: None,
            observed: None,
            observed_at: Instant::now(),
        }
    }

    /// Whether the record last seen names this process.
    pub fn is_leader(&self) -> bool {
        self.observed
            .as_ref()
            .is_some_and(|r| r.holder == self.identity)
    }

    fn lease_valid(&self, now: Instant) -> bool {
        self.observed.as_ref().is_some_and(|r| {
            let secs = u64::try_from(r.lease_seconds).unwrap_or(0);
            self.observed_at + std::time::Duration::from_secs(secs) > now
        })
    }

    fn observe(&mut self, lease: Value, record: Record) {
        if self.observed.as_ref() != Some(&record) {
            self.observed = Some(record);
            self.observed_at = Instant::now();
        }
        self.lease = Some(lease);
    }

    /// One attempt: whether this process holds the Lease afterwards.
    pub fn try_acquire_or_renew(&mut self, client: &dyn Client, lease_seconds: i64) -> bool {
        let Some(leases) = crate::api::registry::find("leases") else {
            return false;
        };
        let now = micro_time(chrono::Utc::now());
        let mut wanted = Record {
            holder: self.identity.clone(),
            lease_seconds,
            acquire_time: json!(now),
            renew_time: json!(now),
            transitions: 0,
        };
        // The leader's fast path: renew on the Lease it wrote last.
        if self.is_leader()
            && self.lease_valid(Instant::now())
            && let (Some(old), Some(lease)) = (self.observed.clone(), self.lease.clone())
        {
            wanted.acquire_time = old.acquire_time;
            wanted.transitions = old.transitions;
            if let Ok(written) = self.write(client, leases, lease, &wanted) {
                self.observe(written, wanted);
                return true;
            }
        }
        let current = match client.get(leases, Some(&self.namespace), &self.name) {
            Ok(l) => l,
            Err(e) if e.code == 404 => return self.create(client, leases, wanted),
            Err(_) => return false,
        };
        let old = Record::of(&current);
        self.observe(current.clone(), old.clone());
        if !old.holder.is_empty() && self.lease_valid(Instant::now()) && !self.is_leader() {
            return false;
        }
        if self.is_leader() {
            wanted.acquire_time = old.acquire_time;
            wanted.transitions = old.transitions;
        } else {
            wanted.transitions = old.transitions + 1;
        }
        match self.write(client, leases, current, &wanted) {
            Ok(written) => {
                self.observe(written, wanted);
                true
            }
            Err(_) => false,
        }
    }

    fn create(
        &mut self,
        client: &dyn Client,
        leases: &'static crate::api::registry::Resource,
        wanted: Record,
    ) -> bool {
        let mut metadata = json!({"name": self.name, "namespace": self.namespace});
        if let Some(owners) = &self.owners {
            metadata["ownerReferences"] = owners.clone();
        }
        let lease = json!({
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": metadata,
            "spec": wanted.spec(),
        });
        match client.create(
            leases,
            Some(&self.namespace),
            lease,
            &WriteOptions::default(),
        ) {
            Ok(written) => {
                self.observe(written, wanted);
                true
            }
            Err(_) => false,
        }
    }

    /// The Lease updated to `record`, on the resourceVersion `lease` was read at.
    fn write(
        &self,
        client: &dyn Client,
        leases: &crate::api::registry::Resource,
        mut lease: Value,
        record: &Record,
    ) -> Result<Value, ApiError> {
        lease["spec"] = record.spec();
        client.update(
            leases,
            Some(&self.namespace),
            &self.name,
            lease,
            &WriteOptions::default(),
        )
    }

    /// Gives the Lease up (a stopping leader), so another candidate need not wait out the
    /// lease duration: no holder, a one-second lease.
    pub fn release(&mut self, client: &dyn Client) {
        let (Some(leases), Some(lease), Some(old)) = (
            crate::api::registry::find("leases"),
            self.lease.clone(),
            self.observed.clone(),
        ) else {
            return;
        };
        if !self.is_leader() {
            return;
        }
        let now = json!(micro_time(chrono::Utc::now()));
        let released = Record {
            holder: String::new(),
            lease_seconds: 1,
            acquire_time: now.clone(),
            renew_time: now,
            transitions: old.transitions,
        };
        if let Ok(written) = self.write(client, leases, lease, &released) {
            self.observe(written, released);
        }
    }

    /// Forgets being the leader (the renew deadline passed): the next attempt goes the slow
    /// way, reading the Lease first.
    pub fn step_down(&mut self) {
        self.lease = None;
        self.observed = None;
        self.observed_at = Instant::now();
    }
}
