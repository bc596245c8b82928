//! Running the components until the cluster is quiescent: every pass hands each component
//! the changes since the previous pass; the cluster has settled when a whole pass writes
//! nothing. Where it settled (the last revision its passes read) and when timed work is next
//! due are recorded, so the next command that finds neither changed nor due does no work.
//!
//! A component that fails (an error, a conflict with a client's write, even a panic) does not
//! stop the others: it is started afresh and resyncs everything in the next pass, as a kube
//! controller that crashed resyncs from a fresh list. Failures are reported, never fatal.

use super::{Component, Context, PassShared};
use crate::api::status::ApiError;
use crate::apiserver::ApiServer;
use crate::client::Client;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A pass bound: a cluster that never settles (a component fighting another) must not hang
/// a command. Passes that are still catching up with the change log do not count. Chains
/// of dependent steps need passes in proportion: an OrderedReady StatefulSet spends three
/// a pod (created; scheduled and its claim provisioned; run and ready), so 100 replicas
/// need about 300. The time budget of a command bounds the rest.
const MAX_PASSES: usize = 1000;
/// Most revisions of the change log one pass of a long-running server reads: components
/// then hold a bounded number of changes however many objects were written since the last
/// settle. A one-shot command reads all of them at once (fewer passes, so faster).
pub const WINDOW: i64 = 1024;
/// A bound on all passes, catching up or not.
const MAX_ALL_PASSES: u64 = 20_000;
/// Passes in a row in which some component failed before a settle stops retrying; the
/// failed components resync in the next settle.
const MAX_FAILING_PASSES: usize = 3;
/// Deferred writes made durable at least every this many revisions: the store holds
/// deferred pages in memory until then, so a settle that writes a lot stays small.
const DURABLE_EVERY: i64 = 1024;

pub use crate::apiserver::Settled;

/// Where the last settle ended, kept by whoever runs the components.
pub trait Checkpoint {
    /// The store's current revision.
    fn revision(&self) -> Result<i64, ApiError>;
    /// The last settle, if any.
    fn load(&self) -> Result<Option<Settled>, ApiError>;
    /// Records a settle (`at` is ignored); returns the revision after recording it.
    fn save(&self, settled: &Settled) -> Result<i64, ApiError>;
    /// Batches the components' writes into one durable commit at the end of the settle
    /// (`false` commits them). Their writes are recomputed if a crash loses them.
    fn defer_durability(&self, on: bool) -> Result<(), ApiError>;
}

/// The API server keeps the record, under a key outside `/registry`.
impl Checkpoint for ApiServer {
    fn revision(&self) -> Result<i64, ApiError> {
        self.current_revision()
    }

    fn load(&self) -> Result<Option<Settled>, ApiError> {
        self.load_settled()
    }

    fn save(&self, settled: &Settled) -> Result<i64, ApiError> {
        self.save_settled(settled)
    }

    fn defer_durability(&self, on: bool) -> Result<(), ApiError> {
        ApiServer::defer_durability(self, on)
    }
}

/// How a settle ended.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Passes that wrote something.
    pub busy: usize,
    /// The pass bound stopped it with work left: the next settle continues.
    pub unfinished: bool,
    /// Components still failing at the end, with their last error.
    pub failing: Vec<(&'static str, String)>,
}

/// Makes a cluster's components afresh.
pub type MakeComponents = std::rc::Rc<dyn Fn() -> Vec<Box<dyn Component>>>;

/// The components of a cluster, run together.
pub struct Settler {
    components: Vec<Box<dyn Component>>,
    /// Makes the components afresh, to restart one that failed.
    remake: Option<MakeComponents>,
    /// Most revisions of the change log a pass reads.
    window: i64,
    /// Components to start afresh (a full resync) in the next pass.
    resync: BTreeSet<&'static str>,
    /// Components failing, with their last error.
    errors: BTreeMap<&'static str, String>,
    /// How long one settle may run before it stops with work left (`None`: until done).
    budget: Option<std::time::Duration>,
    /// Set when the process is stopping: the settle ends after the pass under way.
    interrupt: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// Told each time a component finishes its part of a pass (a server's liveness).
    progress: Option<Box<dyn Fn()>>,
}

impl Settler {
    /// Components whose passes read every change since the last pass.
    pub fn new(components: Vec<Box<dyn Component>>) -> Self {
        Settler {
            components,
            remake: None,
            window: i64::MAX,
            resync: BTreeSet::new(),
            errors: BTreeMap::new(),
            budget: None,
            interrupt: None,
            progress: None,
        }
    }

    /// Calls `beat` each time a component finishes its part of a pass, so a watcher can
    /// tell a control plane at work on a long settle from one that is stuck.
    pub fn beating(mut self, beat: impl Fn() + 'static) -> Self {
        self.progress = Some(Box::new(beat));
        self
    }

    /// Ends each settle after the pass under way once `flag` is set (a server stopping must
    /// not wait for a settle of a million pods).
    pub fn interrupted_by(mut self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Self {
        self.interrupt = Some(flag);
        self
    }

    /// Stops each settle after `budget` of work (the settling thread's CPU time), leaving the
    /// rest to the next settle: a command answers in bounded time whatever was asked of the
    /// cluster.
    pub fn with_budget(mut self, budget: std::time::Duration) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Components whose passes read at most `window` revisions of the change log each.
    pub fn windowed(components: Vec<Box<dyn Component>>, window: i64) -> Self {
        Settler {
            window: window.max(1),
            ..Settler::new(components)
        }
    }

    /// The components `make` makes, remade one by one when they fail.
    pub fn restartable(make: MakeComponents, window: i64) -> Self {
        Settler {
            remake: Some(make.clone()),
            ..Settler::windowed(make(), window)
        }
    }

    /// Makes every component resync from scratch in the next pass (a periodic resync, as
    /// informers do, repairs whatever a missed change left behind).
    pub fn resync_all(&mut self) {
        self.resync.extend(self.components.iter().map(|c| c.name()));
    }

    /// Runs every component until nothing is left to do at `now`.
    pub fn settle(
        &mut self,
        client: &dyn Client,
        checkpoint: &dyn Checkpoint,
        now: DateTime<Utc>,
    ) -> Result<Outcome, ApiError> {
        let last = checkpoint.load()?.unwrap_or_default();
        let names = self.components.iter().map(|c| c.name());
        let named: Vec<&'static str> = names
            .filter(|name| last.resync.iter().any(|n| n == name))
            .collect();
        self.resync.extend(named);
        if self.idle_after(&last, checkpoint, now)? {
            return Ok(Outcome::default());
        }
        checkpoint.defer_durability(true)?;
        let outcome = self.run_passes(client, checkpoint, now, last.read);
        let committed = checkpoint.defer_durability(false);
        let outcome = outcome?;
        committed?;
        Ok(outcome)
    }

    /// Whether a settle at `now` would find nothing to do, asked without running one (a
    /// reader that must not write, on a store opened read-only): what it reads then is what
    /// a settle would have left.
    pub fn nothing_to_do(
        &mut self,
        checkpoint: &dyn Checkpoint,
        now: DateTime<Utc>,
    ) -> Result<bool, ApiError> {
        let last = checkpoint.load()?.unwrap_or_default();
        Ok(last.resync.is_empty() && self.idle_after(&last, checkpoint, now)?)
    }

    /// Nothing to do after the settle `last` at `now`: nothing written since, nothing left
    /// over or due, and no component asking for a pass (a node's files edited).
    fn idle_after(
        &mut self,
        last: &Settled,
        checkpoint: &dyn Checkpoint,
        now: DateTime<Utc>,
    ) -> Result<bool, ApiError> {
        // Nothing to read if the record is the newest write and came right after what the
        // passes read (a client's write between the two must still be read).
        let nothing_changed =
            last.at > 0 && last.read == last.at - 1 && checkpoint.revision()? == last.at;
        Ok(nothing_changed
            && !last.unfinished
            && self.resync.is_empty()
            && last.next_due.is_none_or(|d| now < d)
            && !self.components.iter_mut().any(|c| c.wants_pass()))
    }

    fn run_passes(
        &mut self,
        client: &dyn Client,
        checkpoint: &dyn Checkpoint,
        now: DateTime<Utc>,
        mut since: i64,
    ) -> Result<Outcome, ApiError> {
        let mut outcome = Outcome::default();
        let mut caught_up_busy = 0;
        let mut failing_passes = 0;
        let mut durable_at = checkpoint.revision()?;
        let started = WorkTimer::start();
        // What the passes know of stored events, kept current from pass to pass.
        let stored_events = std::rc::Rc::default();
        for pass in 0..MAX_ALL_PASSES {
            let start = checkpoint.revision()?;
            if start - durable_at >= DURABLE_EVERY {
                checkpoint.defer_durability(false)?;
                checkpoint.defer_durability(true)?;
                durable_at = start;
            }
            // A full resync (since 0) lists everything; otherwise a window of the log.
            let upto = if since == 0 {
                start
            } else {
                start.min(since.saturating_add(self.window))
            };
            let ctx = Context {
                client,
                now,
                since,
                pass,
                shared: PassShared::upto(upto, std::rc::Rc::clone(&stored_events))
                    .stopped_by(self.interrupt.clone()),
            };
            let (wrote, failed) = self.pass(&ctx);
            since = upto;
            if wrote {
                outcome.busy += 1;
            }
            failing_passes = if failed { failing_passes + 1 } else { 0 };
            let stopping = self
                .interrupt
                .as_ref()
                .is_some_and(|f| f.load(std::sync::atomic::Ordering::SeqCst));
            let out_of_time = stopping || self.budget.is_some_and(|b| started.elapsed() >= b);
            if out_of_time && (wrote || upto < start) {
                outcome.unfinished = true;
                break;
            }
            if upto < start {
                continue;
            }
            if failing_passes >= MAX_FAILING_PASSES {
                break;
            }
            if !wrote && !failed {
                // Writes of others (a server's clients) that landed during this pass are
                // read by one more pass: the checkpoint must not skip them.
                if checkpoint.revision()? == start {
                    break;
                }
                continue;
            }
            caught_up_busy += 1;
            if caught_up_busy >= MAX_PASSES {
                outcome.unfinished = true;
                break;
            }
        }
        let next_due = self.components.iter().filter_map(|c| c.next_due()).min();
        checkpoint.save(&Settled {
            read: since,
            at: 0,
            next_due,
            resync: self
                .resync
                .iter()
                .copied()
                .chain(
                    self.components
                        .iter()
                        .filter(|c| c.resync_next())
                        .map(|c| c.name()),
                )
                .collect::<BTreeSet<&str>>()
                .into_iter()
                .map(str::to_string)
                .collect(),
            unfinished: outcome.unfinished,
        })?;
        outcome.failing = self
            .errors
            .iter()
            .map(|(name, why)| (*name, why.clone()))
            .collect();
        Ok(outcome)
    }

    /// One pass of every component; returns whether anything was written and whether some
    /// component failed.
    fn pass(&mut self, ctx: &Context) -> (bool, bool) {
        let (mut wrote, mut failed) = (false, false);
        for i in 0..self.components.len() {
            let name = self.components[i].name();
            let fresh = self.resync.remove(name);
            if fresh && let Some(remade) = self.remade(name) {
                self.components[i] = remade;
            }
            // A component starting afresh reads everything, in a context of its own.
            let resync_ctx;
            let ctx = if fresh {
                resync_ctx = Context {
                    client: ctx.client,
                    now: ctx.now,
                    since: 0,
                    pass: ctx.pass,
                    shared: PassShared::default().stopped_by(self.interrupt.clone()),
                };
                &resync_ctx
            } else {
                ctx
            };
            let component = &mut self.components[i];
            let result = contain(|| {
                let w = component.sync(ctx)?;
                Ok(super::events::flush(ctx)? || w)
            });
            if let Some(beat) = &self.progress {
                beat();
            }
            match result {
                Ok(w) => {
                    wrote |= w;
                    self.errors.remove(name);
                }
                Err(why) => {
                    failed = true;
                    // Events already recorded by the failed sync are still worth keeping.
                    wrote |= contain(|| super::events::flush(ctx)).unwrap_or(false);
                    self.resync.insert(name);
                    // A conflict with another writer is ordinary (kube's controllers requeue
                    // it); anything else is a failure to report.
                    match why {
                        Failure::Conflict => self.errors.remove(name),
                        Failure::Other(why) => self.errors.insert(name, why),
                    };
                }
            }
        }
        (wrote, failed)
    }

    fn remade(&self, name: &str) -> Option<Box<dyn Component>> {
        let make = self.remake.as_ref()?;
        make().into_iter().find(|c| c.name() == name)
    }
}

/// Why a component's work did not finish.
enum Failure {
    /// It lost a race with another writer (409): retried, not reported.
    Conflict,
    /// An error or a panic, described.
    Other(String),
}

/// Runs one component's work, turning an error or a panic into why it failed.
fn contain<T>(work: impl FnOnce() -> Result<T, ApiError>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) if e.code == 409 => Err(Failure::Conflict),
        Ok(Err(e)) => Err(Failure::Other(e.message)),
        Err(panic) => {
            let what = panic_message(panic.as_ref());
            Err(Failure::Other(format!("panicked: {what}")))
        }
    }
}

/// What a caught panic said (its `&str` or `String` payload).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// One component's single pass, for tests and benchmarks of that component alone.
pub fn settle_once(
    component: &mut dyn Component,
    client: &dyn Client,
    now: DateTime<Utc>,
    since: i64,
) -> Result<bool, ApiError> {
    let ctx = Context {
        client,
        now,
        since,
        pass: 0,
        shared: Default::default(),
    };
    let wrote = component.sync(&ctx)?;
    Ok(super::events::flush(&ctx)? || wrote)
}

/// A component (re)started within a settle lists everything, as a new process's informers
/// do: its pass reads the cluster from revision 0, whatever the settle's own window.
pub fn sync_from_start(component: &mut dyn Component, ctx: &Context) -> Result<bool, ApiError> {
    let full = Context {
        client: ctx.client,
        now: ctx.now,
        since: 0,
        pass: ctx.pass,
        shared: Default::default(),
    };
    let wrote = component.sync(&full)?;
    Ok(super::events::flush(&full)? || wrote)
}

/// Measures a settle's work as the CPU time of the thread running it, not the wall clock:
/// where a settle stops (and whether a command says the control plane is still working)
/// then depends on the work asked for, not on how busy the machine is.
struct WorkTimer {
    cpu: Option<std::time::Duration>,
    wall: std::time::Instant,
}

impl WorkTimer {
    fn start() -> Self {
        WorkTimer {
            cpu: thread_cpu_time(),
            wall: std::time::Instant::now(),
        }
    }

    /// The work done since `start`: CPU time, or wall time where the CPU clock is missing.
    fn elapsed(&self) -> std::time::Duration {
        match (self.cpu, thread_cpu_time()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => self.wall.elapsed(),
        }
    }
}

/// The calling thread's CPU time, when the system tells it.
fn thread_cpu_time() -> Option<std::time::Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a pointer to a live local.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    let secs = u64::try_from(ts.tv_sec).ok()?;
    let nanos = u32::try_from(ts.tv_nsec).ok()?;
    ok.then(|| std::time::Duration::new(secs, nanos))
}

#[cfg(test)]
#[path = "settle_tests.rs"]
mod tests;
