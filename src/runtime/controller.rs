//! One runtime for every controller, in the manner of kube-runtime's watcher, reflector and
//! controller: a controller declares once what wakes it (its own kind, the kinds it owns
//! through controller ownerReferences, kinds mapped to its objects by a function) and how to
//! reconcile one object. The runtime turns each pass's changes into the keys to reconcile,
//! keeps the queue of keys with timed work, looks once per process for timed work an
//! earlier process left, and contains each reconcile so that one object cannot stop the
//! others.

use super::cache::Cache;
use super::events::{NewEvent, Reporter};
use super::{Component, Context};
use crate::api::options::{ListOptions, WatchEvent};
use crate::api::status::ApiError;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// A (namespace, name) key; the namespace is "" for cluster-scoped objects.
pub type Key = (String, String);

/// The key of an object.
pub fn key_of(o: &Value) -> Key {
    let field = |f: &str| {
        o.pointer(&format!("/metadata/{f}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (field("namespace"), field("name"))
}

/// The kind a controller reconciles.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    pub plural: &'static str,
    pub kind: &'static str,
    pub api_version: &'static str,
}

/// How a change of another kind wakes a controller's objects.
pub enum Mapping {
    /// The object's controlling owner, when it is of the controller's kind. With `adopts`,
    /// an ownerless object that changed (and is still there) wakes every object of the
    /// controller's kind in its namespace: one of them may adopt it.
    Owned { adopts: bool },
    /// A function of the change (it may read the cluster to map it).
    By(fn(&Context, &WatchEvent, &mut Wake) -> Result<(), ApiError>),
}

/// One kind of object whose changes wake a controller.
pub struct Trigger {
    pub plural: &'static str,
    pub mapping: Mapping,
}

/// What wakes a controller, declared once.
pub struct Triggers {
    /// Its own kind: a changed object is reconciled; a deleted one is `gone`.
    pub kind: Kind,
    pub others: Vec<Trigger>,
    /// Objects of its kind that may have timed work left by an earlier process (a pod
    /// becoming available, a deadline, a lease running out): a new process reconciles them
    /// in its first pass. None when no timed work outlives a process.
    pub timed: Option<fn(&Value) -> bool>,
}

/// The objects a change wakes.
#[derive(Default)]
pub struct Wake {
    keys: BTreeSet<Key>,
    namespaces: BTreeSet<String>,
    all: bool,
}

impl Wake {
    /// One object.
    pub fn key(&mut self, namespace: &str, name: &str) {
        self.keys.insert((namespace.to_string(), name.to_string()));
    }

    /// Every object of the controller's kind in a namespace.
    pub fn namespace(&mut self, namespace: &str) {
        self.namespaces.insert(namespace.to_string());
    }

    /// Every object of the controller's kind.
    pub fn all(&mut self) {
        self.all = true;
    }
}

/// What one reconcile did: whether it wrote, and when the object has timed work next.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub wrote: bool,
    pub requeue_after: Option<Duration>,
}

impl Reconciled {
    /// Done, having written or not; nothing timed.
    pub fn wrote(wrote: bool) -> Self {
        Reconciled {
            wrote,
            requeue_after: None,
        }
    }

    /// Timed work at `at` (none when `None`), as a delay from the pass's `now`.
    pub fn requeue_at(self, ctx: &Context, at: Option<DateTime<Utc>>) -> Self {
        Reconciled {
            requeue_after: at.map(|at| (at - ctx.now).to_std().unwrap_or(Duration::ZERO)),
            ..self
        }
    }
}

/// A controller's own logic: reconcile one object toward what it asks for.
pub trait Reconciler {
    /// The controller's name, as its events' source.
    fn name(&self) -> &'static str;

    /// What wakes it; read once, when the controller is made.
    fn triggers(&self) -> Triggers;

    /// Brings one object (read fresh from the API server) and what it controls to where
    /// the object asks. Level-triggered: whatever woke it, the answer is the same.
    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        object: &Value,
    ) -> Result<Reconciled, ApiError>;

    /// Whether a change of another kind (`plural`) can matter to it, before it is mapped to
    /// keys. A controller that reads only part of an object (the DaemonSet controller
    /// reads a node's labels and taints, not the status its kubelet writes every
    /// heartbeat) keeps what it saw of the last change and passes over a change that left
    /// that part as it was. Every change is offered in revision order; by default all
    /// matter.
    fn matters(&mut self, _plural: &str, _change: &WatchEvent) -> bool {
        true
    }

    /// An object that woke it is gone; returns whether it wrote.
    fn gone(&mut self, _ctx: &Context, _cache: &mut Cache, _key: &Key) -> Result<bool, ApiError> {
        Ok(false)
    }
}

/// A reconciler run as a component of the control plane.
pub struct Controller<R> {
    reconciler: R,
    triggers: Triggers,
    /// Keys with timed work, and when it is due.
    queue: BTreeMap<Key, DateTime<Utc>>,
    /// Whether this process has looked for timed work an earlier one left.
    started: bool,
    /// What its reconciles listed, kept current between passes.
    cache: Cache,
    /// A pass left keys unreconciled because the process is stopping: the next process
    /// starts this controller afresh.
    interrupted: bool,
}

impl<R: Reconciler> Controller<R> {
    pub fn new(reconciler: R) -> Self {
        let triggers = reconciler.triggers();
        Controller {
            reconciler,
            triggers,
            queue: BTreeMap::new(),
            started: false,
            cache: Cache::default(),
            interrupted: false,
        }
    }

    /// The keys to reconcile in this pass: everything on a full resync; otherwise the
    /// changed objects of the kind, what other changes map to, keys whose timed work is due,
    /// and, in a process's first pass, objects with timed work left.
    fn keys(&mut self, ctx: &Context) -> Result<BTreeSet<Key>, ApiError> {
        let kind = self.triggers.kind;
        let mut wake = Wake::default();
        if ctx.since == 0 {
            wake.all();
        } else {
            if !self.started
                && let Some(timed) = self.triggers.timed
            {
                for o in ctx.list(kind.plural, None, &ListOptions::default())? {
                    if timed(&o) {
                        wake.keys.insert(key_of(&o));
                    }
                }
            }
            let due = self.queue.iter().filter(|(_, at)| **at <= ctx.now);
            wake.keys.extend(due.map(|(k, _)| k.clone()));
            for ev in ctx.changed(kind.plural)?.iter() {
                wake.keys.insert(key_of(&ev.object));
            }
            for trigger in &self.triggers.others {
                for ev in ctx.changed(trigger.plural)?.iter() {
                    if self.reconciler.matters(trigger.plural, ev) {
                        map(ctx, kind, &trigger.mapping, ev, &mut wake)?;
                    }
                }
            }
        }
        if wake.all {
            wake.namespaces.clear();
            for o in ctx.list(kind.plural, None, &ListOptions::default())? {
                wake.keys.insert(key_of(&o));
            }
        }
        for ns in &wake.namespaces {
            for o in ctx.list(kind.plural, Some(ns), &ListOptions::default())? {
                wake.keys.insert(key_of(&o));
            }
        }
        Ok(wake.keys)
    }
}

fn map(
    ctx: &Context,
    kind: Kind,
    mapping: &Mapping,
    ev: &WatchEvent,
    wake: &mut Wake,
) -> Result<(), ApiError> {
    match mapping {
        Mapping::By(f) => f(ctx, ev, wake),
        Mapping::Owned { adopts } => {
            let o = &ev.object;
            let namespace = o
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("");
            let owner = o
                .pointer("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .and_then(|refs| refs.iter().find(|r| r["controller"] == json!(true)));
            match owner {
                Some(r) => {
                    if r["kind"] == kind.kind
                        && let Some(name) = r["name"].as_str()
                    {
                        wake.key(namespace, name);
                    }
                }
                None if *adopts && ev.kind != "DELETED" => wake.namespace(namespace),
                None => {}
            }
            Ok(())
        }
    }
}

impl<R: Reconciler + Default> Default for Controller<R> {
    fn default() -> Self {
        Controller::new(R::default())
    }
}

impl<R: Reconciler> Component for Controller<R> {
    fn name(&self) -> &'static str {
        self.reconciler.name()
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let keys = self.keys(ctx)?;
        self.started = true;
        self.interrupted = false;
        let kind = self.triggers.kind;
        let name = self.reconciler.name();
        let resource = ctx.resource(kind.plural)?;
        let cache = &mut self.cache;
        cache.begin_pass(ctx);
        let mut wrote = false;
        for key in keys {
            if ctx.stopping() {
                self.interrupted = true;
                break;
            }
            self.queue.remove(&key);
            let namespace = Some(key.0.as_str()).filter(|n| !n.is_empty());
            let object = match ctx.client.get(resource, namespace, &key.1) {
                Ok(o) => typed(o, kind),
                Err(e) if e.code == 404 => {
                    wrote |= self.reconciler.gone(ctx, cache, &key)?;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let reconciler = &mut self.reconciler;
            let done = contained(ctx, name, &object, || {
                reconciler.reconcile(ctx, cache, &object)
            })?;
            wrote |= done.wrote;
            if let Some(after) = done.requeue_after {
                let at = chrono::Duration::from_std(after)
                    .ok()
                    .and_then(|d| ctx.now.checked_add_signed(d));
                if let Some(at) = at {
                    self.queue.insert(key, at);
                }
            }
        }
        Ok(wrote)
    }

    fn next_due(&self) -> Option<DateTime<Utc>> {
        self.queue.values().min().copied()
    }

    fn resync_next(&self) -> bool {
        self.interrupted
    }
}

/// The object with its kind and apiVersion, as events and owner references need it.
fn typed(mut o: Value, kind: Kind) -> Value {
    if let Some(m) = o.as_object_mut()
        && !m.contains_key("kind")
    {
        m.insert("kind".into(), json!(kind.kind));
        m.insert("apiVersion".into(), json!(kind.api_version));
    }
    o
}

/// One object's reconcile, contained: an error the API server answers about that object
/// alone (4xx: invalid, forbidden, conflict, gone; e.g. a stored object that today's
/// validation refuses) ends only its reconcile, which runs again when it or what it owns
/// changes, or at the next full resync. A panic (a bug meeting this object) ends it too,
/// and the object gets a Warning event saying so. One object then cannot stop the
/// controller for every other. Other errors (the store failing) end the pass.
pub fn contained<T: Default>(
    ctx: &Context,
    component: &str,
    object: &Value,
    reconcile: impl FnOnce() -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(reconcile));
    match outcome {
        Ok(Err(e)) if (400..500).contains(&e.code) => Ok(T::default()),
        Ok(other) => other,
        Err(panic) => {
            let what = super::panic_message(panic.as_ref());
            let message =
                format!("{component} failed on this object ({what}); it goes on with the others");
            super::events::record(
                ctx,
                &NewEvent {
                    involved: object,
                    kind: "Warning",
                    reason: "ReconcileFailed",
                    message: &message,
                    field_path: None,
                    reporter: Reporter::Source {
                        component,
                        host: None,
                    },
                },
            )?;
            Ok(T::default())
        }
    }
}

#[cfg(test)]
#[path = "controller_tests.rs"]
mod tests;
