//! Recording Events, as client-go's event recorders do: core/v1 Events with a `source`
//! (controllers, kubelet), and events.k8s.io-style ones with a reporting controller and an
//! `eventTime` (the scheduler). A repeat of the same event on the same object is folded into
//! the existing one (`count`, or `series` for the new style), not written again.

use super::Context;
use super::event_index::EventIndex;
use crate::api::options::{ListOptions, WriteOptions};
use crate::api::status::ApiError;
use chrono::SecondsFormat;
use serde_json::{Value, json};

/// Who reports an event.
#[derive(Debug, Clone, Copy)]
pub enum Reporter<'a> {
    /// A core/v1 event source: `replicaset-controller`, or `kubelet` on a host.
    Source {
        component: &'a str,
        host: Option<&'a str>,
    },
    /// An events.k8s.io reporter: `default-scheduler` with its instance name.
    Controller {
        name: &'a str,
        instance: &'a str,
        action: &'a str,
    },
}

/// One event to record about `involved` (an object with kind, apiVersion and metadata).
pub struct NewEvent<'a> {
    pub involved: &'a Value,
    /// `Normal` or `Warning`.
    pub kind: &'a str,
    pub reason: &'a str,
    pub message: &'a str,
    /// `spec.containers{nginx}` for container events.
    pub field_path: Option<&'a str>,
    pub reporter: Reporter<'a>,
}

/// Records an event, folding it into an identical earlier one. Events are named
/// `<object>.<hex time>` as kube names them, so one object's events list in the order they
/// were made; a repeat is looked for among that object's events only.
pub fn record(ctx: &Context, ev: &NewEvent) -> Result<(), ApiError> {
    match try_record(ctx, ev) {
        // As in client-go's recorder, the event of a namespace that is going away (403)
        // or gone (404) is dropped. A name taken meanwhile is no reason to (see `land`).
        Err(e) if matches!(e.code, 403 | 404) => Ok(()),
        Err(e) => Err(e),
        // A pass that records about many objects (a kubelet's full resync starting
        // thousands of pods) writes its events as it goes rather than hold them all.
        Ok(()) if ctx.shared.events.len() >= FLUSH_AT => {
            let wrote = write_pending(ctx)?;
            ctx.shared.events.flushed_early(wrote);
            Ok(())
        }
        Ok(()) => Ok(()),
    }
}

/// Pending events past which a pass writes them before it ends.
pub(super) const FLUSH_AT: usize = 1024;

fn try_record(ctx: &Context, ev: &NewEvent) -> Result<(), ApiError> {
    let events = ctx.resource("events")?;
    let namespace = ev
        .involved
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default");
    let uid = ev
        .involved
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("");
    let pending = &ctx.shared.events;
    pending.know(ctx, uid, namespace, ev.involved)?;
    let key = new_key(ev);
    // A repeat of an event recorded earlier in this pass, not yet written.
    if let Some(i) = pending.pending_repeat(uid, &key) {
        fold_repeat(&mut pending.events.borrow_mut()[i].1, ctx);
        return Ok(());
    }
    if let Some(mut old) = pending.stored_repeat(uid, &key) {
        fold_repeat(&mut old, ctx);
        let name = old
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let saved = match ctx.client.update(
            events,
            Some(namespace),
            &name,
            old.clone(),
            &WriteOptions::default(),
        ) {
            // Another writer counted a repeat first: fold into the event as it is now.
            Err(e) if e.code == 409 => land(ctx, namespace, old)?,
            other => other?,
        };
        pending.stored_written(uid, saved);
        return Ok(());
    }
    // Nanoseconds of now, plus one per earlier event of the object (stored or pending):
    // names of one instant still sort in the order the events were made.
    let earlier = pending.count(uid);
    let nanos = ctx.now.timestamp_nanos_opt().unwrap_or(0) as u64;
    let involved_name = ev
        .involved
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let name = format!("{involved_name}.{:x}", nanos + earlier as u64);
    let event = new_event(ctx, ev, namespace, &name);
    pending.push(uid, namespace, event);
    Ok(())
}

/// Records a burst of distinct events about one object (a controller's pods created or
/// deleted in one sync), written at once in one request: each is new, so no repeat is
/// looked for. They are named in order from one spread (kube's names grow with time; the
/// spread, from the burst's first event, keeps two bursts of one instant apart).
pub fn record_burst(ctx: &Context, burst: &[NewEvent]) -> Result<(), ApiError> {
    let Some(first) = burst.first() else {
        return Ok(());
    };
    let r = ctx.resource("events")?;
    let text = |o: &Value, p: &str| {
        o.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let spread = crate::api::ids::hash64(&format!(
        "{}/{}/{}",
        first.reason,
        first.message,
        text(first.involved, "/metadata/uid")
    )) % 1_000_000_000;
    let nanos = ctx.now.timestamp_nanos_opt().unwrap_or(0) as u64;
    let mut written = Vec::new();
    let objects = burst
        .iter()
        .enumerate()
        .map(|(i, ev)| {
            let namespace = Some(text(ev.involved, "/metadata/namespace"))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "default".to_string());
            let at = nanos.wrapping_add(spread).wrapping_add(i as u64);
            let name = format!("{}.{at:x}", text(ev.involved, "/metadata/name"));
            let object = new_event(ctx, ev, &namespace, &name);
            written.push((text(ev.involved, "/metadata/uid"), object.clone()));
            crate::client::NewObject {
                resource: r,
                namespace: Some(namespace),
                object,
            }
        })
        .collect();
    let results = ctx.client.create_many(objects, &WriteOptions::default());
    for (result, (uid, event)) in results.into_iter().zip(written) {
        match result {
            // What this settle knows of the object's events includes the new ones.
            Ok(created) => ctx.shared.events.stored_written(&uid, created),
            Err(e) if e.code == 409 => {
                let namespace = text(&event, "/metadata/namespace");
                ctx.shared
                    .events
                    .stored_written(&uid, land(ctx, &namespace, event)?);
            }
            // A namespace going away: its events are dropped, as client-go drops them.
            Err(e) if matches!(e.code, 403 | 404) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Events recorded in a pass and not yet written: they go to the API server together.
/// What is stored of each involved object's events is known from the settle's index (read
/// once a settle, see `event_index`), so a repeat is found without a scan.
#[derive(Default)]
pub struct Pending {
    events: std::cell::RefCell<Vec<(String, Value)>>,
    /// Whether events were written before the component's work ended (see `record`).
    wrote_early: std::cell::Cell<bool>,
    /// By the involved object's uid.
    objects: std::cell::RefCell<std::collections::HashMap<String, Unwritten>>,
    stored: std::rc::Rc<EventIndex>,
}

/// One involved object's pending events, indexed by what makes two events the same.
#[derive(Default)]
struct Unwritten {
    count: usize,
    by_key: std::collections::HashMap<String, usize>,
}

impl Pending {
    /// Pending events of a pass whose stored events are known from `stored`, the settle's.
    pub fn with_index(stored: std::rc::Rc<EventIndex>) -> Self {
        Pending {
            stored,
            ..Default::default()
        }
    }

    /// Makes the stored events of the object `uid` known, listing them if this settle has
    /// not yet.
    fn know(
        &self,
        ctx: &Context,
        uid: &str,
        namespace: &str,
        involved: &Value,
    ) -> Result<(), ApiError> {
        self.stored.catch_up(ctx, &stored_keys)?;
        if self.stored.knows(uid) {
            return Ok(());
        }
        let involved_name = involved
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let prefix = format!("{involved_name}.");
        let opts = ListOptions {
            name_prefix: Some(prefix.clone()),
            ..Default::default()
        };
        let list = ctx
            .client
            .list(ctx.resource("events")?, Some(namespace), &opts)?;
        let revision = super::list_revision(&list).unwrap_or(i64::MAX);
        let stored: Vec<Value> = super::items(list)
            .into_iter()
            .filter(|e| e.pointer("/involvedObject/uid").and_then(Value::as_str) == Some(uid))
            .collect();
        self.stored
            .listed(uid, namespace, prefix, stored, revision, &stored_keys);
        Ok(())
    }

    fn pending_repeat(&self, uid: &str, key: &str) -> Option<usize> {
        self.objects.borrow().get(uid)?.by_key.get(key).copied()
    }

    fn stored_repeat(&self, uid: &str, key: &str) -> Option<Value> {
        self.stored.repeat(uid, key)
    }

    /// A stored event as the recorder wrote it, so a later repeat folds into that.
    fn stored_written(&self, uid: &str, event: Value) {
        self.stored.written(uid, event, &stored_keys);
    }

    fn count(&self, uid: &str) -> usize {
        self.stored.count(uid) + self.objects.borrow().get(uid).map_or(0, |o| o.count)
    }

    fn push(&self, uid: &str, namespace: &str, event: Value) {
        let mut events = self.events.borrow_mut();
        let mut objects = self.objects.borrow_mut();
        let unwritten = objects.entry(uid.to_string()).or_default();
        unwritten.count += 1;
        for k in stored_keys(&event) {
            unwritten.by_key.entry(k).or_insert(events.len());
        }
        events.push((namespace.to_string(), event));
    }

    fn len(&self) -> usize {
        self.events.borrow().len()
    }

    fn flushed_early(&self, wrote: bool) {
        self.wrote_early.set(self.wrote_early.get() || wrote);
    }

    /// The pending events, with the uid of the object each is about.
    fn take(&self) -> Vec<(String, Value)> {
        self.objects.borrow_mut().clear();
        std::mem::take(&mut *self.events.borrow_mut())
    }
}

/// Writes the events recorded so far in this pass, in one request; whether it wrote any.
/// Best effort, as recording is: events of a namespace going away are dropped.
pub fn flush(ctx: &Context) -> Result<bool, ApiError> {
    let wrote = write_pending(ctx)?;
    Ok(ctx.shared.events.wrote_early.take() || wrote)
}

/// Writes the pending events in one request; whether it wrote any.
fn write_pending(ctx: &Context) -> Result<bool, ApiError> {
    let buffered = ctx.shared.events.take();
    if buffered.is_empty() {
        return Ok(false);
    }
    let events = ctx.resource("events")?;
    let objects = buffered
        .iter()
        .map(|(ns, object)| crate::client::NewObject {
            resource: events,
            namespace: Some(ns.clone()),
            object: object.clone(),
        })
        .collect();
    let mut wrote = false;
    let results = ctx.client.create_many(objects, &WriteOptions::default());
    for (result, (ns, event)) in results.into_iter().zip(buffered) {
        let uid = event
            .pointer("/involvedObject/uid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        // What this settle knows of the object's events includes the new ones.
        match result {
            Ok(created) => {
                ctx.shared.events.stored_written(&uid, created);
                wrote = true;
            }
            Err(e) if e.code == 409 => {
                let landed = land(ctx, &ns, event)?;
                ctx.shared.events.stored_written(&uid, landed);
                wrote = true;
            }
            // A namespace going away: its events are dropped, as client-go drops them.
            Err(e) if matches!(e.code, 403 | 404) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(wrote)
}

/// How many names a colliding event tries before its failure is reported.
const LANDING_TRIES: usize = 32;

/// Writes `event`, whose name another event took first. Names are `<object>.<hex of the
/// clock's nanoseconds>`, and two writers (components with passes of their own, serve
/// instances) can name an event in the same instant, above all on a fixed or stepped
/// clock, where every pass is the same instant. client-go's recorders drop such an event;
/// kubelite keeps it: the same event (same object, reporter, reason, message) is folded
/// into the one holding the name as kube aggregates a repeat (`count`, or `series`), and
/// another takes the next free name.
fn land(ctx: &Context, namespace: &str, mut event: Value) -> Result<Value, ApiError> {
    let r = ctx.resource("events")?;
    let opts = WriteOptions::default();
    let mut last = None;
    for _ in 0..LANDING_TRIES {
        let name = event
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match ctx.client.get(r, Some(namespace), &name) {
            Ok(mut holder) if same_event(&holder, &event) => {
                fold_repeat(&mut holder, ctx);
                match ctx.client.update(r, Some(namespace), &name, holder, &opts) {
                    Err(e) if e.code == 409 => {
                        last = Some(e);
                        continue;
                    }
                    other => return other,
                }
            }
            Ok(_) => event["metadata"]["name"] = json!(next_name(&name)),
            // The holder went away meanwhile: the name is free again.
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
        let mut fresh = event.clone();
        if let Some(meta) = fresh.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.shift_remove("resourceVersion");
            meta.shift_remove("uid");
            meta.shift_remove("creationTimestamp");
        }
        match ctx.client.create(r, Some(namespace), fresh, &opts) {
            Err(e) if e.code == 409 => last = Some(e),
            other => return other,
        }
    }
    let name = event["metadata"]["name"].as_str().unwrap_or("");
    Err(ApiError::internal(format!(
        "event {namespace}/{name} was not recorded: {LANDING_TRIES} names were taken ({})",
        last.map_or_else(String::new, |e| e.message)
    )))
}

/// Whether two events are one repeated: about the same object, from the same reporter,
/// with the same reason, message and field path.
fn same_event(a: &Value, b: &Value) -> bool {
    let uid = |e: &Value| e.pointer("/involvedObject/uid").cloned();
    uid(a) == uid(b) && stored_keys(a) == stored_keys(b)
}

/// The name after `name`: its hexadecimal time one nanosecond later, so the events of
/// one object still list in the order they were made.
fn next_name(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((object, hex)) => match u64::from_str_radix(hex, 16) {
            Ok(n) => format!("{object}.{:x}", n.wrapping_add(1)),
            Err(_) => format!("{name}.1"),
        },
        None => format!("{name}.1"),
    }
}

/// What makes a new event the same as an earlier one: its reporter, reason, message and
/// field path.
fn new_key(ev: &NewEvent) -> String {
    let rest = (ev.reason, ev.message, ev.field_path);
    match ev.reporter {
        Reporter::Source { component, host } => same_key("source", component, host, rest),
        Reporter::Controller { name, .. } => same_key("controller", name, None, rest),
    }
}

/// The keys under which an earlier event is the same as a new one: as a core/v1 source's
/// and as an events.k8s.io reporter's.
fn stored_keys(old: &Value) -> [String; 2] {
    let text = |p: &str| old.pointer(p).and_then(Value::as_str);
    let rest = (
        text("/reason").unwrap_or(""),
        text("/message").unwrap_or(""),
        text("/involvedObject/fieldPath"),
    );
    [
        same_key(
            "source",
            text("/source/component").unwrap_or("\u{0}none"),
            text("/source/host"),
            rest,
        ),
        same_key(
            "controller",
            text("/reportingComponent").unwrap_or("\u{0}none"),
            None,
            rest,
        ),
    ]
}

fn same_key(
    style: &str,
    who: &str,
    host: Option<&str>,
    (reason, message, field_path): (&str, &str, Option<&str>),
) -> String {
    // Length-prefixed parts: no message can make two different events one key.
    let mut key = String::new();
    let parts = [
        Some(style),
        Some(who),
        host,
        Some(reason),
        Some(message),
        field_path,
    ];
    for part in parts {
        match part {
            Some(p) => key.push_str(&format!("{}:{p}", p.len())),
            None => key.push('-'),
        }
    }
    key
}

/// A repeat: `count` and `lastTimestamp` for core events, `series` for new-style ones.
fn fold_repeat(old: &mut Value, ctx: &Context) {
    let now = ctx.now;
    if old.get("eventTime").is_some_and(|t| !t.is_null()) {
        let count = old
            .pointer("/series/count")
            .and_then(Value::as_i64)
            .unwrap_or(1)
            + 1;
        old["series"] = json!({"count": count, "lastObservedTime": micro_time(now)});
    } else {
        let count = old.get("count").and_then(Value::as_i64).unwrap_or(1) + 1;
        old["count"] = json!(count);
        old["lastTimestamp"] = json!(crate::clock::timestamp(now));
    }
}

fn new_event(ctx: &Context, ev: &NewEvent, namespace: &str, name: &str) -> Value {
    let involved_name = ev
        .involved
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut involved = json!({
        "kind": ev.involved.get("kind").cloned().unwrap_or(Value::Null),
        "namespace": ev.involved.pointer("/metadata/namespace").cloned().unwrap_or(json!("")),
        "name": involved_name,
        "uid": ev.involved.pointer("/metadata/uid").cloned().unwrap_or(json!("")),
        "apiVersion": ev.involved.get("apiVersion").cloned().unwrap_or(Value::Null),
        "resourceVersion": ev.involved.pointer("/metadata/resourceVersion").cloned().unwrap_or(json!("")),
    });
    if ev.involved.pointer("/metadata/namespace").is_none() {
        involved
            .as_object_mut()
            .map(|m| m.shift_remove("namespace"));
    }
    if let Some(fp) = ev.field_path {
        involved["fieldPath"] = json!(fp);
    }
    let meta = json!({"name": name, "namespace": namespace});
    match ev.reporter {
        Reporter::Source { component, host } => {
            let mut source = json!({"component": component});
            if let Some(h) = host {
                source["host"] = json!(h);
            }
            let ts = crate::clock::timestamp(ctx.now);
            json!({
                "apiVersion": "v1", "kind": "Event", "metadata": meta, "involvedObject": involved,
                "reason": ev.reason, "message": ev.message, "source": source,
                "firstTimestamp": ts, "lastTimestamp": ts, "count": 1, "type": ev.kind,
                "eventTime": null, "reportingComponent": component, "reportingInstance": host.unwrap_or(""),
            })
        }
        Reporter::Controller {
            name: controller,
            instance,
            action,
        } => json!({
            "apiVersion": "v1", "kind": "Event", "metadata": meta, "involvedObject": involved,
            "reason": ev.reason, "message": ev.message, "source": {},
            "firstTimestamp": null, "lastTimestamp": null, "type": ev.kind,
            "eventTime": micro_time(ctx.now), "action": action,
            "reportingComponent": controller, "reportingInstance": instance,
        }),
    }
}

/// A MicroTime as the API writes it: `2026-11-29T01:27:10.387104Z`.
pub fn micro_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Two writers naming events in the same instant (each pass with its own knowledge, as two
/// components or two serve instances have): nothing is dropped.
#[cfg(test)]
mod collisions {
    use super::*;
    use crate::controllers::testutil::TestCluster;

    fn pass<'a>(t: &'a TestCluster) -> Context<'a> {
        Context {
            client: t.c(),
            now: t.now,
            since: 0,
            pass: 0,
            shared: Default::default(),
        }
    }

    fn event<'a>(involved: &'a Value, reason: &'a str, message: &'a str) -> NewEvent<'a> {
        NewEvent {
            involved,
            kind: "Normal",
            reason,
            message,
            field_path: None,
            reporter: Reporter::Source {
                component: "test-controller",
                host: None,
            },
        }
    }

    fn seen(t: &TestCluster) -> Vec<(String, String, i64)> {
        t.list("events", Some("default"))
            .iter()
            .map(|e| {
                (
                    e["reason"].as_str().unwrap_or("").to_string(),
                    e["metadata"]["name"].as_str().unwrap_or("").to_string(),
                    e["count"].as_i64().unwrap_or(0),
                )
            })
            .collect()
    }

    #[test]
    fn a_name_taken_in_the_same_instant_moves_on_and_a_repeat_is_counted() {
        let t = TestCluster::new("event-collisions");
        let cm = t.create(
            "configmaps",
            Some("default"),
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "cm", "namespace": "default"}}),
        );
        let (one, two, three) = (pass(&t), pass(&t), pass(&t));
        // Each pass reads the object's events before any of them is written: all three
        // name their event alike.
        record(&one, &event(&cm, "First", "one")).unwrap();
        record(&two, &event(&cm, "Second", "two")).unwrap();
        record(&three, &event(&cm, "First", "one")).unwrap();
        for p in [&one, &two, &three] {
            flush(p).unwrap();
        }
        let nanos = t.now.timestamp_nanos_opt().unwrap();
        assert_eq!(
            seen(&t),
            vec![
                ("First".to_string(), format!("cm.{nanos:x}"), 2),
                ("Second".to_string(), format!("cm.{:x}", nanos + 1), 1),
            ]
        );
        // A burst meeting the same names goes on past them too.
        let burst = [event(&cm, "Third", "three"), event(&cm, "Fourth", "four")];
        let (four, five) = (pass(&t), pass(&t));
        record_burst(&four, &burst).unwrap();
        record_burst(&five, &burst).unwrap();
        let counts: Vec<(String, i64)> = seen(&t).into_iter().map(|(r, _, c)| (r, c)).collect();
        assert_eq!(
            counts,
            [("First", 2), ("Second", 1), ("Third", 2), ("Fourth", 2)]
                .map(|(r, c)| (r.to_string(), c))
                .to_vec()
        );
    }

    #[test]
    fn next_names_count_on_in_hex() {
        assert_eq!(next_name("web.ff"), "web.100");
        assert_eq!(next_name("a.b.c9"), "a.b.ca");
        assert_eq!(next_name("odd"), "odd.1");
    }
}
