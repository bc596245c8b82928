//! The controller runtime: containment of one object's reconcile.

use super::*;
use crate::runtime::{Checkpoint, Component, Context};
use serde_json::json;
use std::time::Duration;

#[test]
fn a_panic_on_one_object_is_a_warning_event_on_it_and_the_others_go_on() {
    let t = crate::controllers::testutil::TestCluster::new("contained");
    let cm = |name: &str| {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "default"}})
    };
    let bad = t.create("configmaps", Some("default"), cm("bad"));
    let good = t.create("configmaps", Some("default"), cm("good"));
    let ctx = Context {
        client: t.c(),
        now: t.now,
        since: 0,
        pass: 0,
        shared: Default::default(),
    };
    let mut reconciled = Vec::new();
    for obj in [&bad, &good] {
        let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
        let done = contained(&ctx, "test-controller", obj, || {
            if name == "bad" {
                panic!("a bug meets this object");
            }
            reconciled.push(name.clone());
            Ok(true)
        });
        assert!(done.is_ok());
    }
    crate::runtime::events::flush(&ctx).expect("flush");
    assert_eq!(reconciled, vec!["good".to_string()]);
    let events = t.list("events", Some("default"));
    let warned: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["involvedObject"]["name"].as_str().unwrap_or(""),
                e["reason"].as_str().unwrap_or(""),
                e["type"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(warned, vec![("bad", "ReconcileFailed", "Warning")]);
    assert!(
        events[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("a bug meets this object")
    );
}

/// A reconciler of ConfigMaps woken by Secrets of the same name; it notes what it saw and
/// asks to look again at "timed" a minute later.
#[derive(Default)]
struct Noter {
    seen: Vec<String>,
}

impl Reconciler for Noter {
    fn name(&self) -> &'static str {
        "noter"
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "configmaps",
                kind: "ConfigMap",
                api_version: "v1",
            },
            others: vec![Trigger {
                plural: "secrets",
                mapping: Mapping::By(|_, ev, wake| {
                    let meta = &ev.object["metadata"];
                    wake.key(
                        meta["namespace"].as_str().unwrap_or(""),
                        meta["name"].as_str().unwrap_or(""),
                    );
                    Ok(())
                }),
            }],
            timed: None,
        }
    }

    fn reconcile(
        &mut self,
        _ctx: &Context,
        _cache: &mut Cache,
        object: &Value,
    ) -> Result<Reconciled, ApiError> {
        let name = object["metadata"]["name"].as_str().unwrap_or("");
        self.seen.push(name.to_string());
        let requeue_after = (name == "timed").then_some(Duration::from_secs(60));
        Ok(Reconciled {
            wrote: false,
            requeue_after,
        })
    }
}

#[test]
fn changes_map_to_keys_and_timed_work_comes_back_when_due() {
    let t = crate::controllers::testutil::TestCluster::new("runtime-controller");
    for name in ["plain", "timed", "other"] {
        t.create(
            "configmaps",
            Some("default"),
            json!({"metadata": {"name": name, "namespace": "default"}}),
        );
    }
    let mut c = Controller::new(Noter::default());
    crate::runtime::settle_once(&mut c, t.c(), t.now, 0).expect("full resync");
    // (The cluster's own ConfigMaps, in kube-system, come after these.)
    assert_eq!(c.reconciler.seen[..3], ["other", "plain", "timed"]);
    assert_eq!(c.next_due(), Some(t.now + chrono::Duration::seconds(60)));
    // A Secret wakes its ConfigMap, and only it.
    let since = t.c().server().revision().expect("revision");
    t.create(
        "secrets",
        Some("default"),
        json!({"metadata": {"name": "plain", "namespace": "default"}}),
    );
    c.reconciler.seen.clear();
    crate::runtime::settle_once(&mut c, t.c(), t.now, since).expect("pass");
    assert_eq!(c.reconciler.seen, ["plain"]);
    // Nothing changed: only the due key, once it is due.
    let since = t.c().server().revision().expect("revision");
    c.reconciler.seen.clear();
    let later = t.now + chrono::Duration::seconds(30);
    crate::runtime::settle_once(&mut c, t.c(), later, since).expect("pass");
    assert!(c.reconciler.seen.is_empty());
    let due = t.now + chrono::Duration::seconds(60);
    crate::runtime::settle_once(&mut c, t.c(), due, since).expect("pass");
    assert_eq!(c.reconciler.seen, ["timed"]);
    assert_eq!(c.next_due(), Some(due + chrono::Duration::seconds(60)));
}

/// Notes what it reconciles and sets the process's stop flag on meeting "b".
struct StoppedAtB {
    seen: Vec<String>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Reconciler for StoppedAtB {
    fn name(&self) -> &'static str {
        "stopped-at-b"
    }

    fn triggers(&self) -> Triggers {
        Noter::default().triggers()
    }

    fn reconcile(
        &mut self,
        _ctx: &Context,
        _cache: &mut Cache,
        object: &Value,
    ) -> Result<Reconciled, ApiError> {
        let name = object["metadata"]["name"].as_str().unwrap_or("");
        self.seen.push(name.to_string());
        if name == "b" {
            self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        Ok(Reconciled::default())
    }
}

/// A process stopping ends a controller's pass between two objects (a pass over 100,000
/// pods must not hold a server's shutdown), and the controller then asks to start afresh,
/// since the objects it left are not in any later change.
#[test]
fn a_stopping_process_ends_the_pass_between_objects_and_resyncs_next() {
    let t = crate::controllers::testutil::TestCluster::new("runtime-stopping");
    for name in ["a", "b", "c"] {
        t.create(
            "configmaps",
            Some("default"),
            json!({"metadata": {"name": name, "namespace": "default"}}),
        );
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut c = Controller::new(StoppedAtB {
        seen: Vec::new(),
        stop: stop.clone(),
    });
    let ctx = |flag| Context {
        client: t.c(),
        now: t.now,
        since: 0,
        pass: 0,
        shared: crate::runtime::PassShared::default().stopped_by(flag),
    };
    c.sync(&ctx(Some(stop))).expect("pass");
    assert_eq!(c.reconciler.seen, ["a", "b"]);
    assert!(c.resync_next());
    // Not stopping: the whole pass, and nothing left to start afresh for.
    c.reconciler.seen.clear();
    c.sync(&ctx(None)).expect("pass");
    assert_eq!(c.reconciler.seen[..3], ["a", "b", "c"]);
    assert!(!c.resync_next());
}
