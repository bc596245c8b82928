//! The control plane's runtime: what every component (scheduler, controllers, kubelets,
//! kube-proxy) shares. A component is level-triggered reconcile logic behind one small
//! trait; the runtime runs them all until the cluster is quiescent.
//!
//! Components reach the cluster only through the `Client` in their `Context`, exactly as
//! the real ones reach kube-apiserver, never through the store.

pub mod cache;
pub mod controller;
mod event_index;
pub mod events;
pub mod leader_election;
pub mod process_checkpoint;
mod settle;

pub use cache::Cache;
pub use controller::{
    Controller, Key, Kind, Mapping, Reconciled, Reconciler, Trigger, Triggers, Wake, key_of,
};
pub use settle::{
    Checkpoint, MakeComponents, Outcome, Settled, Settler, WINDOW, panic_message, settle_once,
    sync_from_start,
};

use crate::api::options::{ListOptions, WatchEvent};
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::apiserver::project::Keep;
use crate::client::Client;
use crate::print::list::with_type_meta;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::rc::Rc;

/// What one pass of a component sees.
pub struct Context<'a> {
    pub client: &'a dyn Client,
    /// The cluster's clock for this pass (the wall clock, or `KUBELITE_NOW`).
    pub now: DateTime<Utc>,
    /// The resourceVersion up to which the component has already reconciled; 0 means it has
    /// seen nothing and must look at everything (a full resync).
    pub since: i64,
    /// Which pass of a settle this is. Two passes can share `since` (the first pass starts
    /// where the checkpoint is), so caches of a pass's reads key on this.
    pub pass: u64,
    /// What the components of this pass share.
    pub shared: PassShared,
}

/// State shared by the components of one pass: each resource's changes are read (and
/// decoded) once, and the Events they record are written together. What a component
/// writes during the pass is seen in the next pass (but for the events it recorded, which
/// the settle's index of stored events knows at once).
#[derive(Default)]
pub struct PassShared {
    changed: std::cell::RefCell<std::collections::HashMap<String, Rc<Vec<WatchEvent>>>>,
    events: events::Pending,
    /// The last revision whose changes this pass reads (0: all of them). A settle reads the
    /// change log in windows, so a pass holds a bounded number of changes whatever the
    /// size of the backlog.
    upto: i64,
    /// Set when the process is stopping: a component's pass ends between two objects.
    stopping: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl PassShared {
    /// Shared state of a pass that reads changes up to revision `upto` (0: all), with
    /// what its settle knows of stored events.
    pub fn upto(upto: i64, stored_events: Rc<event_index::EventIndex>) -> Self {
        PassShared {
            upto,
            events: events::Pending::with_index(stored_events),
            ..Default::default()
        }
    }

    /// The same, ending each component's work between two objects once `flag` is set.
    pub fn stopped_by(
        mut self,
        flag: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    ) -> Self {
        self.stopping = flag;
        self
    }
}

impl Context<'_> {
    /// The resource named `plural` (`pods`, `replicasets`, ...).
    pub fn resource(&self, plural: &str) -> Result<&'static Resource, ApiError> {
        registry::find(plural)
            // A custom resource, named `<plural>.<group>`.
            .or_else(|| registry::custom::find_in(&self.client.custom_resources(), plural))
            .ok_or_else(|| ApiError::internal(format!("no resource {plural}")))
    }

    /// Objects of a resource changed since `self.since` (all of them on a full resync), in
    /// revision order, as watch events. This is how a component finds its work in time
    /// proportional to what changed.
    pub fn changed(&self, plural: &str) -> Result<Rc<Vec<WatchEvent>>, ApiError> {
        if let Some(events) = self.shared.changed.borrow().get(plural) {
            return Ok(events.clone());
        }
        let events = Rc::new(self.read_changes(plural)?);
        self.shared
            .changed
            .borrow_mut()
            .insert(plural.to_string(), events.clone());
        Ok(events)
    }

    fn read_changes(&self, plural: &str) -> Result<Vec<WatchEvent>, ApiError> {
        let r = self.resource(plural)?;
        if self.since == 0 {
            let list = self.client.list(r, None, &ListOptions::default())?;
            return Ok(added(list, r));
        }
        let until = match self.shared.upto {
            0 => i64::MAX,
            upto => upto,
        };
        match self
            .client
            .watch_until(r, None, &ListOptions::default(), self.since, until)
        {
            Ok(events) => Ok(events),
            // The change log was compacted: fall back to everything.
            Err(e) if e.code == 410 => Ok(added(
                self.client.list(r, None, &ListOptions::default())?,
                r,
            )),
            Err(e) => Err(e),
        }
    }

    /// Whether the process is stopping: a component with many objects to go through leaves
    /// the rest (and starts afresh next time) rather than hold a server's shutdown.
    pub fn stopping(&self) -> bool {
        self.shared
            .stopping
            .as_ref()
            .is_some_and(|f| f.load(std::sync::atomic::Ordering::SeqCst))
    }

    /// The last revision whose changes this pass reads, when it reads up to one (a settle's
    /// pass does; a context of its own reads everything).
    pub fn reads_upto(&self) -> Option<i64> {
        Some(self.shared.upto).filter(|u| *u > 0)
    }

    /// Whether anything of these resources changed since `self.since`.
    pub fn any_changed(&self, plurals: &[&str]) -> Result<bool, ApiError> {
        if self.since == 0 {
            return Ok(true);
        }
        for p in plurals {
            if !self.changed(p)?.is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every object of a resource (in one namespace, or all), as list items.
    pub fn list(
        &self,
        plural: &str,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Vec<Value>, ApiError> {
        let r = self.resource(plural)?;
        Ok(items(self.client.list(r, namespace, opts)?))
    }
}

/// Objects per page of `Context::list_pages`.
pub const PAGE: i64 = 500;

impl Context<'_> {
    /// Every object of a resource (in one namespace, or all), handed to `visit` a page at a
    /// time, so that a pass holds a page of a big collection rather than all of it. The
    /// pages are read at one revision, as one list; returns that revision. With `keep`,
    /// objects need carry only those fields (the rest is not decoded).
    pub fn list_pages(
        &self,
        plural: &str,
        namespace: Option<&str>,
        opts: &ListOptions,
        keep: Option<&'static Keep>,
        visit: &mut dyn FnMut(Vec<Value>) -> Result<(), ApiError>,
    ) -> Result<i64, ApiError> {
        let r = self.resource(plural)?;
        let mut opts = ListOptions {
            limit: Some(PAGE),
            continue_token: None,
            ..opts.clone()
        };
        let mut revision = None;
        loop {
            let list = match keep {
                Some(keep) => self.client.list_projected(r, namespace, &opts, keep)?,
                None => self.client.list(r, namespace, &opts)?,
            };
            revision.get_or_insert_with(|| list_revision(&list).unwrap_or(0));
            let next = list
                .pointer("/metadata/continue")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            visit(items(list))?;
            match next {
                Some(token) => opts.continue_token = Some(token),
                None => return Ok(revision.unwrap_or(0)),
            }
        }
    }
}

/// The revision a list was read at (its `metadata.resourceVersion`).
fn list_revision(list: &Value) -> Option<i64> {
    list.pointer("/metadata/resourceVersion")?
        .as_str()?
        .parse()
        .ok()
}

/// A list as the watch events that would have built it.
fn added(list: Value, r: &Resource) -> Vec<WatchEvent> {
    items(list)
        .into_iter()
        .map(|obj| WatchEvent {
            kind: "ADDED",
            object: with_type_meta(obj, &r.api_version(), r.kind),
        })
        .collect()
}

/// The items of a list, moved out of it.
pub fn items(mut list: Value) -> Vec<Value> {
    match list["items"].take() {
        Value::Array(items) => items,
        _ => Vec::new(),
    }
}

/// A control-plane component: one reconcile loop.
pub trait Component {
    fn name(&self) -> &'static str;

    /// Brings observed state toward desired state for whatever needs it at `ctx.now`.
    /// Level-triggered: correct whatever woke it. Returns whether it wrote anything.
    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError>;

    /// The earliest future instant at which this component has timed work (a heartbeat, a
    /// grace period running out), as seen in its last pass.
    fn next_due(&self) -> Option<DateTime<Utc>> {
        None
    }

    /// Whether something outside the API (a node's files) changed and needs a pass even
    /// when the cluster has nothing else to do.
    fn wants_pass(&mut self) -> bool {
        false
    }

    /// Whether the next settle must start this component afresh (a full resync): it is not
    /// running now, and what it misses meanwhile it must read when it starts again.
    fn resync_next(&self) -> bool {
        false
    }
}
