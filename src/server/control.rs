//! The server's background work: the control plane settling on a timer and after writes,
//! the store revision that wakes watchers, and on the embedded store a batcher that turns
//! concurrent creates into one durable commit (a commit costs about a millisecond; sixteen
//! clients creating at once share it). On etcd each create is written from its request's own
//! thread: etcd commits concurrent clients' writes together itself, and a batcher there only
//! added two thread hand-offs per create and held each reply until its batch's slowest write.

use crate::api::options::WriteOptions;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::CreateRequest;
use crate::client::Embedded;
use crate::runtime::leader_election::Leadership;
use crate::runtime::process_checkpoint::ProcessCheckpoint;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the control plane runs when nothing is written.
const SETTLE_PERIOD: Duration = Duration::from_secs(1);
/// How often every component resyncs from a full list, as informers resync: whatever a
/// missed change left undone is done then. At least this often, and at most ...
const RESYNC_PERIOD: Duration = Duration::from_secs(300);
/// ... once in this many times the last resync took: a safety net must not become the work
/// (at 100,000 pods a resync relists every pod for each component, for a minute or more).
const RESYNC_SHARE: u32 = 50;
/// A control plane none of whose components finished a sync for longer than this is
/// reported as not live (a settle of a big change may take longer; each sync may not).
const STALL: Duration = Duration::from_secs(120);
/// A settle that keeps finding work (a controller that never rests) stops after this much CPU
/// time and continues at once: the health beat, the store-file check and resyncs come
/// between.
const SETTLE_SLICE: Duration = Duration::from_secs(10);
/// Most creates committed together.
const MAX_BATCH: usize = 256;

struct CreateJob {
    resource: &'static Resource,
    namespace: Option<String>,
    object: Value,
    opts: WriteOptions,
    reply: SyncSender<Result<Value, ApiError>>,
}

/// What `/readyz` and `/livez` report of the control plane.
#[derive(Default)]
struct Health {
    /// Components failing in the last settle, with why.
    failing: Vec<(&'static str, String)>,
    /// Why the control plane cannot go on (the store failed or its file is gone).
    broken: Option<String>,
    /// When the control plane last made progress (a component's sync, or a round).
    beat: Option<std::time::Instant>,
}

pub struct Control {
    client: Arc<Embedded>,
    /// The store's file: a server whose file was deleted must not acknowledge writes
    /// that vanish when it exits.
    store_file: Option<std::path::PathBuf>,
    health: Arc<Mutex<Health>>,
    /// Set when serving must stop (the store file is gone).
    fatal: tokio::sync::watch::Sender<Option<String>>,
    kick: Mutex<Option<Sender<()>>>,
    creates: Mutex<Option<Sender<CreateJob>>>,
    /// Creates are written on the request's thread (a store in etcd), not by the batcher.
    creates_here: bool,
    revision: tokio::sync::watch::Sender<i64>,
    /// Settles counted as they start and finish, for a caller to wait for one that began
    /// after something it did (a clock step).
    rounds: Mutex<Rounds>,
    round_done: Condvar,
    stopping: Arc<AtomicBool>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    /// Which components this process runs (all of them, unless it shares its cluster).
    leadership: Arc<Leadership>,
}

#[derive(Default)]
struct Rounds {
    started: u64,
    finished: u64,
}

impl Control {
    pub fn start(
        client: Arc<Embedded>,
        store_file: Option<std::path::PathBuf>,
        leadership: Arc<Leadership>,
    ) -> Arc<Control> {
        let (kick_tx, kick_rx) = std::sync::mpsc::channel();
        let (create_tx, create_rx) = std::sync::mpsc::channel();
        let current = client.server().current_revision().unwrap_or(0);
        let creates_here = client.server().overlaps_creates();
        let control = Arc::new(Control {
            client,
            store_file,
            health: Arc::default(),
            fatal: tokio::sync::watch::channel(None).0,
            kick: Mutex::new(Some(kick_tx)),
            creates: Mutex::new(Some(create_tx)),
            creates_here,
            revision: tokio::sync::watch::channel(current).0,
            rounds: Mutex::new(Rounds::default()),
            round_done: Condvar::new(),
            stopping: Arc::new(AtomicBool::new(false)),
            threads: Mutex::new(Vec::new()),
            leadership,
        });
        let settler = {
            let c = control.clone();
            std::thread::spawn(move || c.settle_loop(kick_rx))
        };
        let batcher = (!creates_here).then(|| {
            let c = control.clone();
            std::thread::spawn(move || c.create_loop(&create_rx))
        });
        if let Ok(mut t) = control.threads.lock() {
            t.push(settler);
            t.extend(batcher);
        }
        control
    }

    /// A receiver of the store's revision, changed after every write the server sees.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<i64> {
        self.revision.subscribe()
    }

    /// Something was written: wake the watchers and the control plane.
    pub fn written(&self) {
        self.publish();
        if let Ok(k) = self.kick.lock()
            && let Some(k) = k.as_ref()
        {
            let _ = k.send(());
        }
    }

    /// Runs the control plane now and waits (at most `within`) for a settle that began
    /// after this call; whether one finished in time.
    pub fn settle_now(&self, within: Duration) -> bool {
        let wanted = self
            .rounds
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .started
            + 1;
        self.written();
        let rounds = self.rounds.lock().unwrap_or_else(|p| p.into_inner());
        let (rounds, _) = self
            .round_done
            .wait_timeout_while(rounds, within, |r| {
                r.finished < wanted && !self.stopping.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|p| p.into_inner());
        rounds.finished >= wanted
    }

    /// Wakes the watchers: any revision newer than this server's last write will do (they
    /// read what is there themselves), and asking etcd for its head would cost a round trip
    /// per write.
    fn publish(&self) {
        if let Ok(rev) = self.client.server().recent_revision() {
            self.revision.send_if_modified(|r| {
                let changed = *r != rev;
                *r = rev;
                changed
            });
        }
    }

    /// Creates through the batcher, or on this thread on etcd; returns once committed.
    pub fn create(
        &self,
        resource: &'static Resource,
        namespace: Option<String>,
        object: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        if self.creates_here {
            return self.create_here(resource, namespace, object, opts);
        }
        let (reply, result) = sync_channel(1);
        let job = CreateJob {
            resource,
            namespace,
            object,
            opts: opts.clone(),
            reply,
        };
        let sent = self
            .creates
            .lock()
            .ok()
            .and_then(|c| c.as_ref().map(|c| c.send(job).is_ok()))
            .unwrap_or(false);
        if !sent {
            return Err(shutting_down());
        }
        result
            .recv()
            .unwrap_or_else(|_| Err(ApiError::internal("the create was lost")))
    }

    /// A create prepared and sent to etcd from the caller's thread. Concurrent ones overlap
    /// as batches do: each counts what those still in flight admitted (quotas, namespaces),
    /// and preparations take turns.
    fn create_here(
        &self,
        resource: &'static Resource,
        namespace: Option<String>,
        object: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(shutting_down());
        }
        let request = CreateRequest {
            resource,
            namespace,
            object,
        };
        let result = self
            .client
            .server()
            .create_many_overlapping(vec![request], opts)
            .pop()
            .unwrap_or_else(|| Err(ApiError::internal("create returned nothing")));
        self.written();
        result
    }

    fn settle_loop(&self, kick: Receiver<()>) {
        background_priority();
        let file = self.store_file.as_deref().and_then(file_identity);
        // A server reads the change log in windows: its memory stays bounded however many
        // objects clients write between two settles.
        let shared = !self.leadership.is_everything();
        let mut settler = crate::runtime::Settler::restartable(
            crate::embedded::make_components_led(self.client.home(), self.leadership.clone()),
            crate::runtime::WINDOW,
        )
        .with_budget(SETTLE_SLICE)
        .interrupted_by(self.stopping.clone())
        .beating({
            let health = self.health.clone();
            move || {
                let mut h = health.lock().unwrap_or_else(|p| p.into_inner());
                h.beat = Some(std::time::Instant::now());
            }
        });
        let mut resynced = std::time::Instant::now();
        let mut resync_period = RESYNC_PERIOD;
        let mut data_dir = DataDirWatch::new(self.client.home(), self.store_file.as_deref());
        // Processes sharing the cluster each keep where they got to (see ProcessCheckpoint).
        let own = ProcessCheckpoint::new(self.client.server().clone());
        let checkpoint: &dyn crate::runtime::Checkpoint = if shared {
            &own
        } else {
            self.client.server().as_ref()
        };
        // A cluster in etcd is settled first here, at once; one of serve's own store was
        // settled before serving, so its loop waits for a write or the period as usual.
        let mut more = shared;
        loop {
            if !more {
                match kick.recv_timeout(SETTLE_PERIOD) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            while kick.try_recv().is_ok() {}
            if self.stopping.load(Ordering::SeqCst) {
                return;
            }
            if let Some(path) = self.store_file.as_deref()
                && file.is_some()
                && file_identity(path) != file
            {
                let why = format!(
                    "the store file {} was deleted or replaced; stopping, since writes can no \
                     longer be kept",
                    path.display()
                );
                eprintln!("kubelite serve: {why}");
                self.set_health(|h| h.broken = Some(why.clone()));
                self.fatal.send_replace(Some(why));
                return;
            }
            data_dir.check();
            let resyncing = resynced.elapsed() >= resync_period;
            if resyncing {
                settler.resync_all();
                resynced = std::time::Instant::now();
            }
            more = false;
            let round = {
                let mut r = self.rounds.lock().unwrap_or_else(|p| p.into_inner());
                r.started += 1;
                r.started
            };
            let settled = crate::embedded::settle_on(&mut settler, &self.client, checkpoint);
            if resyncing {
                resync_period = RESYNC_PERIOD.max(resynced.elapsed() * RESYNC_SHARE);
            }
            self.rounds
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .finished = round;
            self.round_done.notify_all();
            match settled {
                Ok(outcome) => {
                    more = outcome.unfinished;
                    self.report(outcome.failing);
                }
                Err(e) => {
                    eprintln!("kubelite serve: {e}");
                    self.set_health(|h| h.broken = Some(e));
                }
            }
            self.publish();
        }
    }

    /// Records a settle's failures for the health checks, logging each new one once.
    fn report(&self, failing: Vec<(&'static str, String)>) {
        self.set_health(|h| {
            for (component, why) in &failing {
                if !h.failing.iter().any(|(c, w)| c == component && w == why) {
                    eprintln!("kubelite serve: {component} failed: {why} (it is restarted)");
                }
            }
            h.failing = failing;
            h.broken = None;
        });
    }

    fn set_health(&self, change: impl FnOnce(&mut Health)) {
        let mut h = self.health.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut h);
        h.beat = Some(std::time::Instant::now());
    }

    /// The failed checks of `/readyz` (`ready`) or `/livez`, by name, each with why.
    pub fn failed_checks(&self, ready: bool) -> Vec<(String, String)> {
        let h = self.health.lock().unwrap_or_else(|p| p.into_inner());
        let mut failed = Vec::new();
        if let Some(why) = &h.broken {
            failed.push(("etcd".to_string(), why.clone()));
        }
        let stalled = h.beat.is_some_and(|b| b.elapsed() > STALL);
        if stalled {
            failed.push((
                "control-plane".to_string(),
                format!("no component finished a sync for {}s", STALL.as_secs()),
            ));
        }
        if ready {
            for (component, why) in &h.failing {
                failed.push((format!("control-plane/{component}"), why.clone()));
            }
        }
        failed
    }

    /// Fires when serving must stop for a reason of the control plane's (with the reason).
    pub fn fatal(&self) -> tokio::sync::watch::Receiver<Option<String>> {
        self.fatal.subscribe()
    }

    fn create_loop(&self, jobs: &Receiver<CreateJob>) {
        loop {
            let Ok(first) = jobs.recv() else {
                return;
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            // Jobs with the same options commit together, in arrival order.
            let mut rest = batch.into_iter().peekable();
            while let Some(job) = rest.next() {
                let opts = job.opts.clone();
                let mut group = vec![job];
                while let Some(next) = rest.next_if(|j| j.opts == opts) {
                    group.push(next);
                }
                let (requests, replies): (Vec<_>, Vec<_>) = group
                    .into_iter()
                    .map(|j| {
                        (
                            CreateRequest {
                                resource: j.resource,
                                namespace: j.namespace,
                                object: j.object,
                            },
                            j.reply,
                        )
                    })
                    .unzip();
                let results = self.client.server().create_many(requests, &opts);
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            self.written();
        }
    }

    /// Stops the background threads after the work they have in hand.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Ok(mut k) = self.kick.lock() {
            k.take();
        }
        if let Ok(mut c) = self.creates.lock() {
            c.take();
        }
        let threads = self
            .threads
            .lock()
            .map(|mut t| std::mem::take(&mut *t))
            .unwrap_or_default();
        for t in threads {
            let _ = t.join();
        }
    }
}

fn shutting_down() -> ApiError {
    ApiError::new(503, "ServiceUnavailable", "the server is shutting down")
}

/// Which file `path` is (device and inode), to notice it deleted or replaced.
/// Notices an etcd manifest that now names another data dir than the store this server
/// holds: the server keeps its store (a restart opens the other one) and says so once.
struct DataDirWatch {
    home: Option<std::path::PathBuf>,
    serving: Option<std::path::PathBuf>,
    /// The manifest's modification time when last looked at.
    seen: Option<std::time::SystemTime>,
    told: Option<std::path::PathBuf>,
}

impl DataDirWatch {
    fn new(home: Option<&std::path::Path>, serving: Option<&std::path::Path>) -> Self {
        let mut w = DataDirWatch {
            home: home.map(std::path::Path::to_path_buf),
            serving: serving.map(std::path::Path::to_path_buf),
            seen: None,
            told: None,
        };
        w.seen = w.modified();
        w
    }

    fn modified(&self) -> Option<std::time::SystemTime> {
        let home = self.home.as_deref()?;
        let file = crate::nodefs::host_path(
            home,
            crate::cluster::CONTROL_PLANE_NODE,
            crate::nodefs::MANIFESTS_DIR,
        )
        .join("etcd.yaml");
        std::fs::metadata(file).and_then(|m| m.modified()).ok()
    }

    /// One stat a settle; the manifest is read only when it changed.
    fn check(&mut self) {
        let now = self.modified();
        if now == self.seen {
            return;
        }
        self.seen = now;
        let (Some(home), Some(serving)) = (self.home.as_deref(), self.serving.as_deref()) else {
            return;
        };
        let wanted = crate::embedded::store_file(home).ok();
        if wanted.as_deref().is_some_and(|w| w != serving) && wanted != self.told {
            eprintln!(
                "kubelite serve: etcd's manifest now keeps its data in {}; this server keeps \
                 serving {} until it is restarted",
                wanted
                    .as_deref()
                    .map(|w| w.display().to_string())
                    .unwrap_or_default(),
                serving.display()
            );
            self.told = wanted;
        }
    }
}

fn file_identity(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

unsafe extern "C" {
    fn gettid() -> std::ffi::c_int;
    fn setpriority(
        which: std::ffi::c_int,
        who: std::ffi::c_uint,
        prio: std::ffi::c_int,
    ) -> std::ffi::c_int;
}

/// Runs the calling thread at a lower CPU priority (nice 10): on a busy machine the API's
/// requests go first and the control plane's reconciling takes what is left, as a
/// background loop should. Best effort: a refusal leaves the priority as it was.
fn background_priority() {
    const PRIO_PROCESS: std::ffi::c_int = 0;
    // SAFETY: gettid has no preconditions; setpriority on our own thread id changes only
    // this thread's nice value (Linux applies it per thread) and reports failure by value.
    unsafe {
        let tid = gettid();
        let _ = setpriority(PRIO_PROCESS, tid as std::ffi::c_uint, 10);
    }
}
