//! The settle's windows over the change log: a backlog bigger than a window is read a
//! window per pass, every change exactly once; without a window, in one pass.

use super::{Settler, WINDOW};
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::apiserver::CreateRequest;
use crate::client::Client;
use crate::controllers::testutil::TestCluster;
use crate::runtime::{Component, Context};
use serde_json::json;
use std::cell::RefCell;
use std::rc::Rc;

/// Records the ConfigMaps each pass sees changed.
struct Recorder(Rc<RefCell<Vec<Vec<String>>>>);

impl Component for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let names = ctx
            .changed("configmaps")?
            .iter()
            .filter_map(|e| e.object.pointer("/metadata/name")?.as_str())
            .map(str::to_string)
            .collect();
        self.0.borrow_mut().push(names);
        Ok(false)
    }
}

#[test]
fn a_backlog_is_read_a_window_per_pass_and_every_change_once() {
    let t = TestCluster::new("window");
    let server = t.c().server().clone();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mut settler = Settler::windowed(vec![Box::new(Recorder(seen.clone()))], WINDOW);
    // The first settle is a full resync; what follows it is read from the change log.
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    seen.borrow_mut().clear();
    let total = 2 * WINDOW as usize + 300;
    let configmaps = crate::api::registry::find("configmaps").expect("configmaps");
    let requests = (0..total)
        .map(|i| CreateRequest {
            resource: configmaps,
            namespace: Some("default".to_string()),
            object: json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": format!("cm-{i:05}")}}),
        })
        .collect();
    for created in server.create_many(requests, &WriteOptions::default()) {
        created.expect("create");
    }
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    let passes = seen.borrow();
    assert!(passes.len() >= 3, "{} passes", passes.len());
    assert!(passes.iter().all(|p| p.len() <= WINDOW as usize));
    let mut names: Vec<&String> = passes.iter().flatten().collect();
    let read = names.len();
    names.sort();
    names.dedup();
    assert_eq!((read, names.len()), (total, total));
}

#[test]
fn without_a_window_a_backlog_is_read_in_one_pass() {
    let t = TestCluster::new("nowindow");
    let server = t.c().server().clone();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mut settler = Settler::new(vec![Box::new(Recorder(seen.clone()))]);
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    seen.borrow_mut().clear();
    let total = WINDOW as usize + 10;
    let configmaps = crate::api::registry::find("configmaps").expect("configmaps");
    let requests = (0..total)
        .map(|i| CreateRequest {
            resource: configmaps,
            namespace: Some("default".to_string()),
            object: json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": format!("cm-{i:05}")}}),
        })
        .collect();
    for created in server.create_many(requests, &WriteOptions::default()) {
        created.expect("create");
    }
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    let sizes: Vec<usize> = seen.borrow().iter().map(Vec::len).collect();
    assert_eq!(sizes, vec![total]);
}

/// Writes a ConfigMap behind the settle's back in its first pass, as a server's client
/// would, and records what each pass sees changed.
struct Bystander {
    server: std::sync::Arc<crate::apiserver::ApiServer>,
    seen: Rc<RefCell<Vec<Vec<String>>>>,
}

impl Component for Bystander {
    fn name(&self) -> &'static str {
        "bystander"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        Recorder(self.seen.clone()).sync(ctx)?;
        if self.seen.borrow().len() == 1 {
            let configmaps = ctx.resource("configmaps")?;
            let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "late", "namespace": "default"}});
            let created = self.server.create_many(
                vec![CreateRequest {
                    resource: configmaps,
                    namespace: Some("default".to_string()),
                    object: cm,
                }],
                &WriteOptions::default(),
            );
            created.into_iter().next().expect("one result")?;
        }
        Ok(false)
    }
}

#[test]
fn a_write_of_others_during_the_last_pass_is_read_before_the_checkpoint() {
    let t = TestCluster::new("late");
    let server = t.c().server().clone();
    let mut settler = Settler::new(vec![Box::new(Recorder(Rc::new(RefCell::new(Vec::new()))))]);
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    t.c()
        .create(
            crate::api::registry::find("configmaps").expect("configmaps"),
            Some("default"),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "first"}}),
            &WriteOptions::default(),
        )
        .expect("create");
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mut settler = Settler::new(vec![Box::new(Bystander {
        server: server.clone(),
        seen: seen.clone(),
    })]);
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    assert_eq!(
        *seen.borrow(),
        vec![vec!["first".to_string()], vec!["late".to_string()]]
    );
}

/// Fails its first `fail` syncs, by error or by panic, then records what it sees.
struct Flaky {
    fail: usize,
    panic: bool,
    syncs: Rc<RefCell<Vec<i64>>>,
}

impl Component for Flaky {
    fn name(&self) -> &'static str {
        "flaky"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        self.syncs.borrow_mut().push(ctx.since);
        if self.syncs.borrow().len() <= self.fail {
            if self.panic {
                panic!("flaky component panics on purpose");
            }
            return Err(ApiError::new(
                409,
                "Conflict",
                "the object has been modified",
            ));
        }
        Ok(false)
    }
}

type Records<T> = Rc<RefCell<Vec<T>>>;

fn flaky_beside_recorder(
    panic: bool,
    fail: usize,
) -> (Settler, Records<i64>, Records<Vec<String>>) {
    let syncs = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::new(RefCell::new(Vec::new()));
    let settler = Settler::new(vec![
        Box::new(Flaky {
            fail,
            panic,
            syncs: syncs.clone(),
        }),
        Box::new(Recorder(seen.clone())),
    ]);
    (settler, syncs, seen)
}

#[test]
fn a_failing_component_resyncs_and_does_not_stop_the_others() {
    for panic in [false, true] {
        let t = TestCluster::new("flaky");
        let server = t.c().server().clone();
        let (mut settler, syncs, seen) = flaky_beside_recorder(panic, 1);
        let outcome = settler
            .settle(t.c(), server.as_ref(), t.now)
            .expect("a failure is not fatal");
        // The other component ran in the failing pass; the failed one retried with a full
        // resync (since 0) and then succeeded.
        assert!(!seen.borrow().is_empty());
        assert_eq!(&syncs.borrow()[..2], &[0, 0], "panic={panic}");
        assert!(outcome.failing.is_empty(), "{:?}", outcome.failing);
    }
}

#[test]
fn a_component_that_keeps_failing_is_reported_and_resyncs_in_the_next_settle() {
    let t = TestCluster::new("broken");
    let server = t.c().server().clone();
    let (mut settler, syncs, _) = flaky_beside_recorder(true, usize::MAX);
    let outcome = settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("a failure is not fatal");
    assert_eq!(outcome.failing.len(), 1);
    assert_eq!(outcome.failing[0].0, "flaky");
    assert!(
        outcome.failing[0].1.contains("panics on purpose"),
        "{:?}",
        outcome.failing
    );
    let tried = syncs.borrow().len();
    assert!((2..=10).contains(&tried), "{tried} tries");
    // A new settler (the next command) reads the checkpoint: the component resyncs.
    let (mut next, syncs, _) = flaky_beside_recorder(false, 0);
    next.settle(t.c(), server.as_ref(), t.now).expect("settle");
    assert_eq!(syncs.borrow().first(), Some(&0));
}

/// Writes a ConfigMap in each of its first `writes` syncs, counting its syncs.
struct Busy {
    writes: usize,
    syncs: Rc<RefCell<usize>>,
}

impl Component for Busy {
    fn name(&self) -> &'static str {
        "busy"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let n = {
            let mut syncs = self.syncs.borrow_mut();
            *syncs += 1;
            *syncs
        };
        if n > self.writes {
            return Ok(false);
        }
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": format!("busy-{n}"), "namespace": "default"}});
        ctx.client.create(
            ctx.resource("configmaps")?,
            Some("default"),
            cm,
            &WriteOptions::default(),
        )?;
        Ok(true)
    }
}

#[test]
fn a_settle_out_of_time_says_so_and_the_next_one_continues() {
    let t = TestCluster::new("budget");
    let server = t.c().server().clone();
    let syncs = Rc::new(RefCell::new(0));
    let busy = Busy {
        writes: 5,
        syncs: syncs.clone(),
    };
    let mut settler = Settler::new(vec![Box::new(busy)]).with_budget(std::time::Duration::ZERO);
    let outcome = settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    assert!(outcome.unfinished);
    assert_eq!(*syncs.borrow(), 1);
    // Nothing changed since, but the work left is picked up by the next settle.
    let syncs = Rc::new(RefCell::new(0));
    let busy = Busy {
        writes: 0,
        syncs: syncs.clone(),
    };
    let outcome = Settler::new(vec![Box::new(busy)])
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    assert!(!outcome.unfinished);
    assert!(*syncs.borrow() >= 1, "the next settle did not run");
}

/// The API server's checkpoint, with a client's create landing just before each save: the
/// moment no pass reads it.
struct RacingSave<'a> {
    server: &'a crate::apiserver::ApiServer,
    name: &'static str,
}

impl super::Checkpoint for RacingSave<'_> {
    fn revision(&self) -> Result<i64, ApiError> {
        self.server.revision()
    }
    fn load(&self) -> Result<Option<super::Settled>, ApiError> {
        self.server.load()
    }
    fn save(&self, settled: &super::Settled) -> Result<i64, ApiError> {
        let configmaps = crate::api::registry::find("configmaps").expect("configmaps");
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": self.name, "namespace": "default"}});
        let created = self.server.create_many(
            vec![CreateRequest {
                resource: configmaps,
                namespace: Some("default".to_string()),
                object: cm,
            }],
            &WriteOptions::default(),
        );
        created.into_iter().next().expect("one result")?;
        self.server.save(settled)
    }
    fn defer_durability(&self, on: bool) -> Result<(), ApiError> {
        self.server.defer_durability(on)
    }
}

#[test]
fn a_write_landing_between_the_last_pass_and_the_checkpoint_is_read_by_the_next_settle() {
    let t = TestCluster::new("racing-save");
    let server = t.c().server().clone();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mut settler = Settler::new(vec![Box::new(Recorder(seen.clone()))]);
    let racing = RacingSave {
        server: server.as_ref(),
        name: "raced",
    };
    settler.settle(t.c(), &racing, t.now).expect("settle");
    seen.borrow_mut().clear();
    // No write since: the next settle must still read the create its checkpoint raced with.
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    let names: Vec<String> = seen.borrow().iter().flatten().cloned().collect();
    assert_eq!(names, vec!["raced".to_string()]);
}

/// Has timed work due `after` its pass, and asks for a pass while `wants` is set.
struct Timed {
    after: chrono::Duration,
    due: Option<chrono::DateTime<chrono::Utc>>,
    wants: Rc<RefCell<bool>>,
}

impl Component for Timed {
    fn name(&self) -> &'static str {
        "timed"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        self.due = Some(ctx.now + self.after);
        Ok(false)
    }

    fn next_due(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.due
    }

    fn wants_pass(&mut self) -> bool {
        *self.wants.borrow()
    }
}

/// A reader may skip the settle only when the settle would do nothing: not after a write,
/// not once timed work is due, not while a component asks for a pass.
#[test]
fn nothing_to_do_only_when_a_settle_would_do_nothing() {
    let t = TestCluster::new("idle");
    let server = t.c().server().clone();
    let wants = Rc::new(RefCell::new(false));
    let timed = || Timed {
        after: chrono::Duration::seconds(10),
        due: None,
        wants: wants.clone(),
    };
    let mut settler = Settler::new(vec![Box::new(timed())]);
    // A reader's settler is new: it knows only what the record says.
    let mut reader = Settler::new(vec![Box::new(timed())]);
    assert!(!reader.nothing_to_do(server.as_ref(), t.now).expect("ask"));
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    assert!(reader.nothing_to_do(server.as_ref(), t.now).expect("ask"));
    let due = t.now + chrono::Duration::seconds(10);
    assert!(!reader.nothing_to_do(server.as_ref(), due).expect("ask"));
    *wants.borrow_mut() = true;
    assert!(!reader.nothing_to_do(server.as_ref(), t.now).expect("ask"));
    *wants.borrow_mut() = false;
    t.c()
        .create(
            crate::api::registry::find("configmaps").expect("configmaps"),
            Some("default"),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "new"}}),
            &WriteOptions::default(),
        )
        .expect("create");
    assert!(!reader.nothing_to_do(server.as_ref(), t.now).expect("ask"));
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    assert!(reader.nothing_to_do(server.as_ref(), t.now).expect("ask"));
}

/// A watcher of the settle hears from it once a component per pass, failing ones too, so
/// a long settle is seen to be at work while it runs.
#[test]
fn every_sync_of_a_pass_beats() {
    let t = TestCluster::new("beats");
    let server = t.c().server().clone();
    let (settler, syncs, seen) = flaky_beside_recorder(true, 1);
    let beats = Rc::new(RefCell::new(0));
    let counted = beats.clone();
    let mut settler = settler.beating(move || *counted.borrow_mut() += 1);
    settler
        .settle(t.c(), server.as_ref(), t.now)
        .expect("settle");
    let syncs = syncs.borrow().len() + seen.borrow().len();
    assert!(syncs >= 2);
    assert_eq!(*beats.borrow(), syncs);
}
