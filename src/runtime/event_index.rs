//! What a settle knows of the stored Events of the objects its components record events
//! about. The recorder folds a repeat into the earlier identical event and names a new one
//! after how many the object has, so it must know the object's events: it lists them once
//! in a settle, then keeps them current from its own writes and, at the start of each
//! pass, from the change log. A StatefulSet rolling out a hundred ordinals (an event a pass
//! about the same object) then reads each new event once instead of listing its growing
//! events again every pass.

use super::Context;
use crate::api::options::{ListOptions, WatchEvent};
use crate::api::status::ApiError;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Past this many events known, the index starts afresh at the next pass (a settle
/// recording about thousands of objects holds their events only while a pass uses them).
const KEEP_MAX: usize = 4096;
/// Past this many objects known within one pass, the index forgets them before it learns
/// another: a pass recording about every pod of a big cluster (a full resync) holds a
/// bounded number of them. An object forgotten is listed again if it is needed again.
const PASS_OBJECTS_MAX: usize = 1024;

/// One settle's index, shared by its passes.
#[derive(Default)]
pub struct EventIndex {
    inner: RefCell<Inner>,
}

#[derive(Default)]
struct Inner {
    /// By the involved object's uid.
    objects: HashMap<String, ObjectEvents>,
    /// The revision up to which the change log was applied (0: never).
    revision: i64,
    /// The pass that last caught up.
    pass: Option<u64>,
    /// The newest revision of anything listed or written into the index: a pass that reads
    /// the change log only up to an earlier revision cannot catch it up.
    ahead: i64,
}

/// The stored events of one object: those named `<object>.` in its namespace and about its
/// uid, as a list of that prefix finds them.
struct ObjectEvents {
    namespace: String,
    prefix: String,
    /// By name, so in the order a list gives them.
    stored: BTreeMap<String, Value>,
    /// What makes two events the same (see `events::stored_keys`), to the first event by
    /// name with it.
    by_key: HashMap<String, String>,
}

impl ObjectEvents {
    fn put(&mut self, event: Value, keys: &dyn Fn(&Value) -> [String; 2]) {
        let name = name_of(&event).to_string();
        for k in keys(&event) {
            let first = self.by_key.entry(k).or_insert_with(|| name.clone());
            if name < *first {
                *first = name.clone();
            }
        }
        self.stored.insert(name, event);
    }

    fn remove(&mut self, name: &str, keys: &dyn Fn(&Value) -> [String; 2]) {
        if self.stored.remove(name).is_some() {
            self.by_key.clear();
            let stored = std::mem::take(&mut self.stored);
            for e in stored.into_values() {
                self.put(e, keys);
            }
        }
    }

    /// Whether a changed event is one of this object's (as its list would find it).
    fn holds(&self, uid: &str, event: &Value) -> bool {
        text(event, "/involvedObject/uid") == uid
            && text(event, "/metadata/namespace") == self.namespace
            && name_of(event).starts_with(&self.prefix)
    }
}

impl EventIndex {
    /// Brings the index to the revision this pass reads up to, once a pass: the events
    /// written since it was last current are applied; when that cannot be done exactly (a
    /// pass reading less far than the index already knows, history compacted away, too
    /// much held) it starts afresh.
    pub fn catch_up(
        &self,
        ctx: &Context,
        keys: &dyn Fn(&Value) -> [String; 2],
    ) -> Result<(), ApiError> {
        let upto = ctx.shared.upto;
        let from = {
            let mut inner = self.inner.borrow_mut();
            if inner.pass == Some(ctx.pass) {
                return Ok(());
            }
            inner.pass = Some(ctx.pass);
            let held: usize = inner.objects.values().map(|o| o.stored.len()).sum();
            let usable = !inner.objects.is_empty()
                && upto != 0
                && inner.revision != 0
                && upto >= inner.ahead
                && held <= KEEP_MAX;
            if !usable {
                inner.start_afresh(upto);
                return Ok(());
            }
            inner.revision
        };
        let feed: Rc<Vec<WatchEvent>> = if from == ctx.since {
            ctx.changed("events")?
        } else {
            let r = ctx.resource("events")?;
            match ctx
                .client
                .watch_until(r, None, &ListOptions::default(), from, upto)
            {
                Ok(events) => Rc::new(events),
                Err(e) if e.code == 410 => {
                    self.inner.borrow_mut().start_afresh(upto);
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        };
        let mut inner = self.inner.borrow_mut();
        for change in feed.iter() {
            let uid = text(&change.object, "/involvedObject/uid");
            let Some(known) = inner.objects.get_mut(uid) else {
                continue;
            };
            if !known.holds(uid, &change.object) {
                continue;
            }
            if change.kind == "DELETED" {
                known.remove(name_of(&change.object), keys);
            } else {
                known.put(change.object.clone(), keys);
            }
        }
        inner.revision = upto;
        Ok(())
    }

    pub fn knows(&self, uid: &str) -> bool {
        self.inner.borrow().objects.contains_key(uid)
    }

    /// The events of the object `uid` as listed (named `prefix` in `namespace`) at
    /// `revision`.
    pub fn listed(
        &self,
        uid: &str,
        namespace: &str,
        prefix: String,
        events: Vec<Value>,
        revision: i64,
        keys: &dyn Fn(&Value) -> [String; 2],
    ) {
        let mut known = ObjectEvents {
            namespace: namespace.to_string(),
            prefix,
            stored: BTreeMap::new(),
            by_key: HashMap::new(),
        };
        for e in events {
            known.put(e, keys);
        }
        let mut inner = self.inner.borrow_mut();
        inner.ahead = inner.ahead.max(revision);
        if inner.objects.len() >= PASS_OBJECTS_MAX {
            // What is forgotten is as if never listed: the rest, and what is listed next,
            // are caught up from the same revision at the next pass.
            inner.objects.clear();
        }
        inner.objects.insert(uid.to_string(), known);
    }

    /// How many events the object `uid` has.
    pub fn count(&self, uid: &str) -> usize {
        self.inner
            .borrow()
            .objects
            .get(uid)
            .map_or(0, |o| o.stored.len())
    }

    /// The object's first event with `key`.
    pub fn repeat(&self, uid: &str, key: &str) -> Option<Value> {
        let inner = self.inner.borrow();
        let known = inner.objects.get(uid)?;
        known.stored.get(known.by_key.get(key)?).cloned()
    }

    /// An event the recorder wrote (created, or updated as a repeat), known if the object's
    /// events are.
    pub fn written(&self, uid: &str, event: Value, keys: &dyn Fn(&Value) -> [String; 2]) {
        let mut inner = self.inner.borrow_mut();
        let revision = text(&event, "/metadata/resourceVersion")
            .parse::<i64>()
            .unwrap_or(i64::MAX);
        let Some(known) = inner.objects.get_mut(uid) else {
            return;
        };
        if !known.holds(uid, &event) {
            return;
        }
        known.put(event, keys);
        inner.ahead = inner.ahead.max(revision);
    }
}

impl Inner {
    fn start_afresh(&mut self, upto: i64) {
        self.objects.clear();
        self.revision = upto;
        self.ahead = 0;
    }
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn name_of(event: &Value) -> &str {
    text(event, "/metadata/name")
}

/// Passes of one settle recording about one object, with other writers changing its
/// events between them: what the index knows is what a fresh list would find.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Client;
    use crate::controllers::testutil::TestCluster;
    use crate::runtime::PassShared;
    use crate::runtime::events::{NewEvent, Reporter, flush, record};
    use serde_json::json;

    fn pass<'a>(t: &'a TestCluster, index: &Rc<EventIndex>, n: u64, since: i64) -> Context<'a> {
        let upto = t.c().server().current_revision().expect("revision");
        Context {
            client: t.c(),
            now: t.now,
            since,
            pass: n,
            shared: PassShared::upto(upto, index.clone()),
        }
    }

    fn event<'a>(involved: &'a Value, reason: &'a str) -> NewEvent<'a> {
        NewEvent {
            involved,
            kind: "Normal",
            reason,
            message: "m",
            field_path: None,
            reporter: Reporter::Source {
                component: "test-controller",
                host: None,
            },
        }
    }

    fn seen(t: &TestCluster) -> Vec<(String, i64)> {
        t.list("events", Some("default"))
            .iter()
            .map(|e| {
                (
                    e["reason"].as_str().unwrap_or("").to_string(),
                    e["count"].as_i64().unwrap_or(0),
                )
            })
            .collect()
    }

    #[test]
    fn later_passes_see_events_other_writers_changed() {
        let t = TestCluster::new("event-index");
        let cm = t.create(
            "configmaps",
            Some("default"),
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "cm", "namespace": "default"}}),
        );
        let index = Rc::new(EventIndex::default());
        let first = pass(&t, &index, 0, 1);
        record(&first, &event(&cm, "Once")).unwrap();
        record(&first, &event(&cm, "Gone")).unwrap();
        flush(&first).unwrap();
        // A repeat in the same pass, after the flush: folded.
        record(&first, &event(&cm, "Once")).unwrap();
        flush(&first).unwrap();
        assert_eq!(seen(&t), [("Once".into(), 2), ("Gone".into(), 1)]);

        // Another writer deletes one event between passes: a repeat of it is new again,
        // not a count on an event that is no more.
        let since = first.shared.upto;
        let r = crate::api::registry::find("events").unwrap();
        let gone = t.list("events", Some("default"))[1]["metadata"]["name"]
            .as_str()
            .unwrap()
            .to_string();
        t.c()
            .delete(r, Some("default"), &gone, &Default::default())
            .unwrap();
        let second = pass(&t, &index, 1, since);
        record(&second, &event(&cm, "Gone")).unwrap();
        record(&second, &event(&cm, "Once")).unwrap();
        flush(&second).unwrap();
        assert_eq!(seen(&t), [("Once".into(), 3), ("Gone".into(), 1)]);

        // A pass that skipped the events (none recorded) does not lose what it skipped.
        let since = second.shared.upto;
        let third = pass(&t, &index, 2, since);
        let once = t.list("events", Some("default"))[0]["metadata"]["name"]
            .as_str()
            .unwrap()
            .to_string();
        t.c()
            .delete(r, Some("default"), &once, &Default::default())
            .unwrap();
        let fourth = pass(&t, &index, 3, third.shared.upto);
        record(&fourth, &event(&cm, "Once")).unwrap();
        flush(&fourth).unwrap();
        let mut now = seen(&t);
        now.sort();
        assert_eq!(now, [("Gone".into(), 1), ("Once".into(), 1)]);
    }

    #[test]
    fn a_pass_recording_about_many_objects_writes_as_it_goes_and_still_folds_repeats() {
        let t = TestCluster::new("event-index-many");
        let objects: Vec<Value> = (0..PASS_OBJECTS_MAX + 2)
            .map(|i| {
                json!({"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": format!("cm{i:04}"), "namespace": "default",
                                    "uid": format!("uid-{i}")}})
            })
            .collect();
        let index = Rc::new(EventIndex::default());
        let one = pass(&t, &index, 0, 1);
        for o in &objects {
            record(&one, &event(o, "Once")).unwrap();
        }
        // Written before the pass ends, and the index holds a bounded part of them.
        assert!(t.list("events", Some("default")).len() >= super::super::events::FLUSH_AT);
        assert!(index.inner.borrow().objects.len() <= PASS_OBJECTS_MAX);
        // The first object was forgotten: its repeat is found by listing it again.
        record(&one, &event(&objects[0], "Once")).unwrap();
        assert!(flush(&one).unwrap());
        let events = t.list("events", Some("default"));
        assert_eq!(events.len(), objects.len());
        let first = events
            .iter()
            .find(|e| e["involvedObject"]["name"] == "cm0000")
            .unwrap();
        assert_eq!(first["count"], 2);
        // Nothing was left for the last flush but what was written early: still a write.
        let two = pass(&t, &index, 1, one.shared.upto);
        for o in &objects[..super::super::events::FLUSH_AT] {
            record(&two, &event(o, "Other")).unwrap();
        }
        assert!(flush(&two).unwrap());
    }
}
