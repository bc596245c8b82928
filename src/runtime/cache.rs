//! The objects one controller reads, listed once and then kept current from the change
//! log, as kube's informers keep theirs: a controller reconciling many objects of a
//! namespace (ReplicaSets and their pods, Services and theirs) reads the namespace's pods
//! once, not once per object, and a later pass catches the list up with what changed since
//! (an OrderedReady StatefulSet woken three times a pod must not decode every pod each
//! time). What the controller writes itself it keeps track of, and it forgets a list its
//! writes made stale (pods adopted or released): the next use catches it up.
//!
//! Within a pass a list is read (or caught up) at its first use and then kept as it is
//! until forgotten, exactly as a fresh list read at that moment would be. Lists of more
//! than `KEEP_MAX` objects, and lists unused for `KEEP_PASSES` passes, are dropped between
//! passes rather than kept.
//!
//! Lists are read a page at a time and pods are kept slim (what controllers read of them),
//! so a pass over a namespace of many pods holds a fraction of their objects: a Deployment
//! asking for 2147483647 replicas must not cost its controllers the whole of every pod.

use super::Context;
use crate::api::options::{ListOptions, WatchEvent};
use crate::api::status::ApiError;
use crate::apiserver::project::Keep;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

/// Lists bigger than this are read afresh each pass instead of kept between passes (a
/// controller holds them only while it works). A pass holds the whole list anyway, so
/// keeping it costs no more at the peak; reading 10,000 pods again every pass cost the
/// ReplicaSet controller a fifth of serve's CPU while such a namespace converged. The
/// bound is above the scale benchmark's 100,000 pods of one namespace.
const KEEP_MAX: usize = 131_072;
/// Lists a controller has not used for this many passes are dropped.
const KEEP_PASSES: u64 = 16;

/// Lists by (resource, namespace), read at most once each until forgotten.
#[derive(Default)]
pub struct Cache {
    lists: HashMap<(&'static str, Option<String>), Kept>,
    /// Passes begun (see `begin_pass`).
    passes: u64,
}

/// One list, in the store's key order, as of `revision`.
struct Kept {
    objects: Rc<Vec<Value>>,
    /// Indexes of `objects` by name, built on first use and dropped when the list changes.
    indexes: HashMap<&'static str, Rc<Index>>,
    revision: i64,
    /// Read or caught up in this pass (and not forgotten since).
    current: bool,
    /// The last pass that used it.
    used: u64,
}

impl Cache {
    /// Starts a pass: every kept list is caught up with the change log at its next use. On
    /// a full resync (`since` 0) everything is read afresh.
    pub fn begin_pass(&mut self, ctx: &Context) {
        self.passes += 1;
        if ctx.since == 0 {
            self.lists.clear();
            return;
        }
        let passes = self.passes;
        self.lists.retain(|_, kept| {
            kept.current = false;
            kept.objects.len() <= KEEP_MAX && passes - kept.used <= KEEP_PASSES
        });
    }

    /// Every object of `plural` in `namespace` (or all), read on first use.
    pub fn list(
        &mut self,
        ctx: &Context,
        plural: &'static str,
        namespace: Option<&str>,
    ) -> Result<Rc<Vec<Value>>, ApiError> {
        let key = (plural, namespace.map(str::to_string));
        let passes = self.passes;
        if let Some(kept) = self.lists.get_mut(&key) {
            kept.used = passes;
            if kept.current {
                return Ok(kept.objects.clone());
            }
            if catch_up(ctx, plural, namespace, kept)? {
                kept.current = true;
                return Ok(kept.objects.clone());
            }
        }
        let mut objects = Vec::new();
        let keep = (plural == "pods").then_some(&POD_SLIM);
        let opts = ListOptions::default();
        let revision = ctx.list_pages(plural, namespace, &opts, keep, &mut |page| {
            objects.extend(page.into_iter().map(|o| slim(plural, o)));
            Ok(())
        })?;
        let objects = Rc::new(objects);
        self.lists.insert(
            key,
            Kept {
                objects: objects.clone(),
                indexes: HashMap::new(),
                revision,
                current: true,
                used: passes,
            },
        );
        Ok(objects)
    }

    /// `list` with an index of it: the positions of its objects grouped by `key` (built
    /// once per version of the list, so a controller reconciling many owners of one
    /// namespace does not scan every object of it for each owner).
    pub fn indexed(
        &mut self,
        ctx: &Context,
        plural: &'static str,
        namespace: Option<&str>,
        name: &'static str,
        key: fn(&Value) -> Option<&str>,
    ) -> Result<(Rc<Vec<Value>>, Rc<Index>), ApiError> {
        let objects = self.list(ctx, plural, namespace)?;
        let build = || Rc::new(Index::of(&objects, key));
        let index = match self.lists.get_mut(&(plural, namespace.map(str::to_string))) {
            Some(kept) => kept.indexes.entry(name).or_insert_with(build).clone(),
            None => build(),
        };
        Ok((objects, index))
    }

    /// Drops a list, so the next use reads it again.
    pub fn forget(&mut self, plural: &'static str, namespace: Option<&str>) {
        if let Some(kept) = self.lists.get_mut(&(plural, namespace.map(str::to_string))) {
            kept.current = false;
        }
    }
}

/// Brings a kept list to the cluster's current state from the change log since its
/// revision; false when that history is compacted away (the list is read again).
fn catch_up(
    ctx: &Context,
    plural: &'static str,
    namespace: Option<&str>,
    kept: &mut Kept,
) -> Result<bool, ApiError> {
    // Catching up reads every change since; past as many revisions as the list holds
    // objects (a Deployment's pods churning), reading the list again costs no more.
    let behind = ctx.shared.upto.saturating_sub(kept.revision);
    if behind > kept.objects.len() as i64 {
        return Ok(false);
    }
    let r = ctx.resource(plural)?;
    let (events, last) =
        match ctx
            .client
            .watch(r, namespace, &ListOptions::default(), kept.revision)
        {
            Ok(read) => read,
            Err(e) if e.code == 410 => return Ok(false),
            Err(e) => return Err(e),
        };
    if !events.is_empty() {
        let objects = Rc::make_mut(&mut kept.objects);
        // Indexes still in use elsewhere are dropped (built again when next asked for);
        // the others follow each change.
        kept.indexes.retain(|_, index| Rc::get_mut(index).is_some());
        for event in events.iter() {
            let change = apply(plural, objects, event);
            for index in kept.indexes.values_mut() {
                if let Some(index) = Rc::get_mut(index) {
                    index.follow(change, objects);
                }
            }
        }
    }
    kept.revision = kept.revision.max(last);
    Ok(true)
}

/// Positions in a list grouped by a key of each object; the objects without one apart.
/// Each position's group is kept beside the list and follows its changes (a changed object
/// is keyed again, nothing else), so a list catching up with a few changes of 100,000 pods
/// does not key every pod again; the positions by group are gathered from that, once per
/// version of the list, on first use.
#[derive(Debug)]
pub struct Index {
    key: fn(&Value) -> Option<&str>,
    /// Each key's number.
    ids: HashMap<String, u32>,
    /// The group of each position of the list (`UNKEYED` for an object without a key).
    slots: Vec<u32>,
    /// Positions by group, gathered from `slots` when first asked for.
    groups: std::cell::OnceCell<Groups>,
}

/// The group of objects without a key.
const UNKEYED: u32 = u32::MAX;

#[derive(Debug, Default)]
struct Groups {
    keyed: HashMap<u32, Vec<usize>>,
    unkeyed: Vec<usize>,
}

impl Index {
    fn of(objects: &[Value], key: fn(&Value) -> Option<&str>) -> Index {
        let mut index = Index {
            key,
            ids: HashMap::new(),
            slots: Vec::with_capacity(objects.len()),
            groups: Default::default(),
        };
        for o in objects {
            let slot = index.slot(o);
            index.slots.push(slot);
        }
        index
    }

    /// The group of an object, numbering its key if it is new.
    fn slot(&mut self, o: &Value) -> u32 {
        match (self.key)(o) {
            Some(k) => match self.ids.get(k) {
                Some(id) => *id,
                None => {
                    let id = self.ids.len() as u32;
                    self.ids.insert(k.to_string(), id);
                    id
                }
            },
            None => UNKEYED,
        }
    }

    /// Follows one change of the list (see `Change`).
    fn follow(&mut self, change: Change, objects: &[Value]) {
        self.groups = Default::default();
        match change {
            Change::Removed(at) => {
                self.slots.remove(at);
            }
            Change::Replaced(at) => self.slots[at] = self.slot(&objects[at]),
            Change::Inserted(at) => {
                let slot = self.slot(&objects[at]);
                self.slots.insert(at, slot);
            }
            Change::None => {}
        }
    }

    fn groups(&self) -> &Groups {
        self.groups.get_or_init(|| {
            let mut groups = Groups::default();
            for (at, slot) in self.slots.iter().enumerate() {
                match *slot {
                    UNKEYED => groups.unkeyed.push(at),
                    id => groups.keyed.entry(id).or_default().push(at),
                }
            }
            groups
        })
    }

    /// The positions keyed `key`, in list order.
    pub fn keyed(&self, key: &str) -> &[usize] {
        self.ids
            .get(key)
            .and_then(|id| self.groups().keyed.get(id))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The positions keyed `key` and those without a key, in list order.
    pub fn keyed_or_unkeyed(&self, key: &str) -> Vec<usize> {
        let keyed = self.keyed(key);
        let unkeyed = &self.groups().unkeyed;
        let mut all = Vec::with_capacity(keyed.len() + unkeyed.len());
        let (mut a, mut b) = (keyed.iter().peekable(), unkeyed.iter().peekable());
        while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
            if x < y {
                all.push(x);
                a.next();
            } else {
                all.push(y);
                b.next();
            }
        }
        all.extend(a.chain(b));
        all
    }
}

/// What one change did to a list kept in key order.
#[derive(Clone, Copy)]
enum Change {
    Removed(usize),
    Replaced(usize),
    Inserted(usize),
    None,
}

/// One change applied to a list kept in key order.
fn apply(plural: &'static str, objects: &mut Vec<Value>, event: &WatchEvent) -> Change {
    let at = objects.binary_search_by(|o| key_order(o, &event.object));
    match (event.kind, at) {
        ("DELETED", Ok(i)) => {
            objects.remove(i);
            Change::Removed(i)
        }
        ("DELETED", Err(_)) => Change::None,
        (_, Ok(i)) => {
            objects[i] = slim(plural, list_item(event.object.clone()));
            Change::Replaced(i)
        }
        (_, Err(i)) => {
            objects.insert(i, slim(plural, list_item(event.object.clone())));
            Change::Inserted(i)
        }
    }
}

/// How two objects' store keys (`<namespace>/<name>`, or `<name>`) order.
fn key_order(a: &Value, b: &Value) -> Ordering {
    fn key(o: &Value) -> impl Iterator<Item = u8> + '_ {
        let field = |f: &str| {
            o.get("metadata")
                .and_then(|m| m.get(f))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        let namespace = field("namespace");
        let separator: &[u8] = if namespace.is_empty() { b"" } else { b"/" };
        namespace
            .bytes()
            .chain(separator.iter().copied())
            .chain(field("name").bytes())
    }
    key(a).cmp(key(b))
}

/// A watched object as a list hands it out: without its kind and apiVersion.
fn list_item(mut o: Value) -> Value {
    if let Some(m) = o.as_object_mut() {
        m.shift_remove("apiVersion");
        m.shift_remove("kind");
    }
    o
}

/// What the cache keeps of an object: pods slim.
fn slim(plural: &str, mut o: Value) -> Value {
    if plural == "pods" {
        slim_pod(&mut o);
        o = compact(o);
    }
    o
}

/// A pod as controllers read it: its metadata (but managedFields), where it runs, its
/// containers' names and ports (named target ports), and its status's phase, addresses,
/// conditions, restart counts and exit codes. Nothing read from the cache is written back whole
/// (owners change by merge patch), so what is dropped is never lost.
fn slim_pod(pod: &mut Value) {
    if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.shift_remove("managedFields");
    }
    if let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) {
        spec.retain(|k, _| {
            matches!(
                k.as_str(),
                "nodeName" | "hostname" | "subdomain" | "containers" | "initContainers"
            )
        });
        for list in ["containers", "initContainers"] {
            for c in spec
                .get_mut(list)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
            {
                c.retain(|k, _| k == "name" || k == "ports");
            }
        }
    }
    if let Some(status) = pod.get_mut("status").and_then(Value::as_object_mut) {
        status.retain(|k, _| {
            matches!(
                k.as_str(),
                "phase"
                    | "conditions"
                    | "podIP"
                    | "podIPs"
                    | "hostIP"
                    | "containerStatuses"
                    | "initContainerStatuses"
            )
        });
        for list in ["containerStatuses", "initContainerStatuses"] {
            for c in status
                .get_mut(list)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
            {
                // Of its state, only an exit code (a Job's pod failure policy reads it).
                let exit_code = c
                    .get("state")
                    .and_then(|s| s.pointer("/terminated/exitCode"))
                    .cloned();
                c.retain(|k, _| {
                    matches!(k.as_str(), "name" | "ready" | "restartCount" | "started")
                });
                if let Some(code) = exit_code {
                    c.insert(
                        "state".into(),
                        serde_json::json!({"terminated": {"exitCode": code}}),
                    );
                }
            }
        }
        // Conditions are read for their state and time, not their words.
        for c in status
            .get_mut("conditions")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object_mut)
        {
            c.retain(|k, _| matches!(k.as_str(), "type" | "status" | "lastTransitionTime"));
        }
    }
}

/// What `slim_pod` keeps of a pod (and a little more), so that a list need decode no
/// more of each pod than that.
static POD_SLIM: Keep = Keep::Fields(&[
    ("metadata", Keep::AllBut(&["managedFields"])),
    (
        "spec",
        Keep::Fields(&[
            ("nodeName", Keep::All),
            ("hostname", Keep::All),
            ("subdomain", Keep::All),
            ("containers", CONTAINER),
            ("initContainers", CONTAINER),
        ]),
    ),
    (
        "status",
        Keep::Fields(&[
            ("phase", Keep::All),
            ("conditions", Keep::All),
            ("podIP", Keep::All),
            ("podIPs", Keep::All),
            ("hostIP", Keep::All),
            ("containerStatuses", CONTAINER_STATUS),
            ("initContainerStatuses", CONTAINER_STATUS),
        ]),
    ),
]);

const CONTAINER: Keep = Keep::Fields(&[("name", Keep::All), ("ports", Keep::All)]);

const CONTAINER_STATUS: Keep = Keep::Fields(&[
    ("name", Keep::All),
    ("ready", Keep::All),
    ("restartCount", Keep::All),
    ("started", Keep::All),
    ("state", Keep::All),
]);

/// The value rebuilt with no spare room: decoding grows maps, arrays and strings by
/// doubling, and a slimmed object keeps the room of what was dropped.
fn compact(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = serde_json::Map::with_capacity(m.len());
            for (k, v) in m {
                out.insert(k.into_boxed_str().into_string(), compact(v));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(
            a.into_iter()
                .map(compact)
                .collect::<Vec<_>>()
                .into_boxed_slice()
                .into_vec(),
        ),
        Value::String(s) => Value::String(s.into_boxed_str().into_string()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An owner's positions and the orphans', merged in list order; others' left out.
    #[test]
    fn an_index_gives_a_keys_positions_with_the_unkeyed_in_list_order() {
        let objects: Vec<Value> = [Some("a"), None, Some("b"), Some("a"), None, Some("a")]
            .iter()
            .map(|k| json!({"k": k}))
            .collect();
        let index = Index::of(&objects, |o| o.get("k").and_then(Value::as_str));
        assert_eq!(index.keyed_or_unkeyed("a"), [0, 1, 3, 4, 5]);
        assert_eq!(index.keyed_or_unkeyed("b"), [1, 2, 4]);
        assert_eq!(index.keyed_or_unkeyed("c"), [1, 4]);
    }

    /// Inserts, replacements (an owner changing) and deletions followed one by one leave
    /// the index as a fresh index of the changed list.
    #[test]
    fn an_index_following_changes_is_the_index_of_the_changed_list() {
        fn key(o: &Value) -> Option<&str> {
            o.pointer("/metadata/owner").and_then(Value::as_str)
        }
        let owners = [Some("x"), Some("y"), None, Some("z")];
        let object = |name: usize, owner: Option<&str>| json!({"metadata": {"namespace": "ns", "name": format!("o{name:02}"), "owner": owner}});
        let mut objects: Vec<Value> = (0..40).step_by(3).map(|n| object(n, Some("x"))).collect();
        objects.sort_by(key_order);
        let mut index = Index::of(&objects, key);
        // A fixed pseudo-random walk: the same changes every run.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        for _ in 0..600 {
            let name = next(50) as usize;
            let owner = owners[next(4) as usize];
            let kind = if next(4) == 0 { "DELETED" } else { "MODIFIED" };
            let event = WatchEvent {
                kind,
                object: object(name, owner),
            };
            let change = apply("configmaps", &mut objects, &event);
            index.follow(change, &objects);
            // Asked for between changes too, so gathered groups must be gathered again.
            let _ = index.keyed("x");
        }
        let fresh = Index::of(&objects, key);
        for k in ["x", "y", "z", "w"] {
            assert_eq!(index.keyed(k), fresh.keyed(k), "{k}");
            assert_eq!(index.keyed_or_unkeyed(k), fresh.keyed_or_unkeyed(k), "{k}");
        }
        assert!(!fresh.keyed("z").is_empty() && !fresh.keyed_or_unkeyed("w").is_empty());
    }

    /// The projection a list decodes with keeps all that `slim` keeps.
    #[test]
    fn a_projected_pod_slims_to_the_same_pod() {
        let pod = json!({
            "metadata": {"name": "web-1", "namespace": "default", "uid": "u", "labels": {"app": "web"},
                "ownerReferences": [{"kind": "ReplicaSet", "name": "web", "uid": "r", "controller": true}],
                "managedFields": [{"manager": "kubelite"}], "deletionTimestamp": "2026-11-29T00:00:00Z"},
            "spec": {"nodeName": "node01", "hostname": "h", "subdomain": "s", "restartPolicy": "Always",
                "containers": [{"name": "c", "image": "nginx", "ports": [{"name": "http", "containerPort": 80}],
                                "env": [{"name": "A", "value": "1"}]}],
                "initContainers": [{"name": "i", "image": "busybox"}],
                "volumes": [{"name": "v", "emptyDir": {}}]},
            "status": {"phase": "Running", "podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}],
                "hostIP": "192.168.0.2", "qosClass": "BestEffort", "startTime": "2026-11-29T00:00:00Z",
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "t", "reason": "r"}],
                "containerStatuses": [{"name": "c", "ready": true, "restartCount": 2, "started": true,
                    "image": "nginx", "state": {"terminated": {"exitCode": 3, "reason": "Error"}},
                    "lastState": {}}],
                "initContainerStatuses": [{"name": "i", "ready": true, "restartCount": 0,
                    "state": {"running": {"startedAt": "t"}}}]}
        });
        let bytes = serde_json::to_vec(&pod).expect("encode");
        let projected = crate::apiserver::project::decode(&bytes, &POD_SLIM).expect("decode");
        assert!(projected.pointer("/metadata/managedFields").is_none());
        assert!(projected.pointer("/spec/volumes").is_none());
        assert_eq!(slim("pods", projected), slim("pods", pod));
    }
}
