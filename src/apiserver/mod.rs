//! kube-apiserver: the only code that touches the store.
//!
//! Each request runs the pipeline the seed describes: authenticate and authorize (the
//! embedded cluster has one local user, allowed everything; `serve` adds real checks),
//! decode, default, validate, admit, persist, respond. Objects are stored as JSON under the
//! keys kube-apiserver uses; `resourceVersion` is the key's mod_revision.

mod admit;
mod allocate;
pub mod apply;
pub mod authorizer;
pub mod binding;
pub mod certificates;
mod checkpoint;
pub mod cluster_ca;
pub(crate) mod codec;
mod computed;
mod conversion_webhook;
mod crd;
mod create;
mod custom_objects;
pub mod custom_resources;
pub mod decision;
mod delete;
mod escalation;
mod event_ttl;
mod eviction;
mod exec;
mod guarded;
mod housekeeping;
mod in_flight;
mod ingress_class;
mod json_patch;
mod limitrange;
pub mod managed;
mod memo;
mod metrics;
mod names;
mod namespace_memo;
pub mod node_authorizer;
mod node_restriction;
pub mod openapi;
pub mod patch;
mod podsecurity;
pub mod policies;
pub mod priority;
pub mod project;
mod quota;
mod read;
pub mod reviews;
pub mod scale;
pub mod smp;
mod storage_class;
pub mod tokens;
mod update;
pub mod webhooks;

#[cfg(test)]
mod tests;

/// A stored object as `list_stored` hands it out unread (serve's lists splice its bytes):
/// key, value and revisions.
pub use crate::store::KeyValue;
pub use crate::store::alarm::parse_quota as parse_store_quota;
pub use allocate::SERVICE_CIDR;
pub use checkpoint::Settled;
pub use create::CreateRequest;
pub use event_ttl::{DEFAULT_EVENT_TTL, EVENT_TTL_ENV, check_event_ttl_env, parse_ttl};
pub use exec::NodeExec;
pub use housekeeping::Housekeeping;

use crate::clock::Clock;
use crate::store::Store;
use std::sync::Arc;

/// The in-process API server.
pub struct ApiServer {
    store: Arc<dyn Store>,
    clock: Clock,
    /// Where `pods/exec` goes (see `exec`).
    nodes: Option<Arc<dyn NodeExec>>,
    /// The custom resources of the CRDs last read (see `custom_resources`).
    custom: custom_resources::Cache,
    /// How long Events live, and the lease they get (see `event_ttl`).
    event_leases: event_ttl::EventLeases,
    /// The admission webhooks last read (see `webhooks`).
    webhooks: webhooks::Cache,
    /// The admission policies and bindings last read (see `policies`).
    policies: policies::Cache,
    /// Namespaces, quotas and limit ranges as admission last read them (`namespace_memo`).
    namespace_memo: namespace_memo::Cache,
    /// Batches of creates being written while the next is prepared (see `in_flight`).
    in_flight: in_flight::InFlight,
}

impl ApiServer {
    pub fn new(store: Arc<dyn Store>, clock: Clock) -> Self {
        ApiServer {
            store,
            clock,
            nodes: None,
            custom: Default::default(),
            // A malformed KUBELITE_EVENT_TTL is refused where commands start (`embedded`).
            event_leases: event_ttl::EventLeases::from_env()
                .unwrap_or_else(|_| event_ttl::EventLeases::with_ttl(DEFAULT_EVENT_TTL)),
            webhooks: Default::default(),
            policies: Default::default(),
            namespace_memo: Default::default(),
            in_flight: Default::default(),
        }
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// An empty cluster's API server on a new redb store in `dir`, on the wall clock: for
    /// tests and fuzzing above this layer, which may not name the store.
    pub fn on_new_store(dir: &std::path::Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let store = crate::store::redb::RedbStore::open(
            &dir.join("store.redb"),
            std::time::Duration::from_secs(1),
        )
        .map_err(|e| e.to_string())?;
        Ok(ApiServer::new(Arc::new(store), Clock::Wall))
    }

    /// Tests only: stores `value` under `key` as it is, past every check, as a store written
    /// by an older kubelite may hold it.
    #[cfg(test)]
    pub fn put_unchecked(&self, key: &str, value: &[u8]) {
        self.store
            .put(key.as_bytes(), value, false)
            .expect("put_unchecked");
    }
}
