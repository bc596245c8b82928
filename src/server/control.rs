//! The server's background work: the control plane settling on a timer and after writes,
//! the store revision that wakes watchers, and a batcher that turns concurrent creates into
//! one durable commit (a commit costs about a millisecond; sixteen clients creating at once
//! share it).

use crate::api::options::WriteOptions;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::CreateRequest;
use crate::client::Embedded;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the control plane runs when nothing is written.
const SETTLE_PERIOD: Duration = Duration::from_secs(1);
/// Most creates committed together.
const MAX_BATCH: usize = 256;

struct CreateJob {
    resource: &'static Resource,
    namespace: Option<String>,
    object: Value,
    opts: WriteOptions,
    reply: SyncSender<Result<Value, ApiError>>,
}

pub struct Control {
    client: Arc<Embedded>,
    kick: Mutex<Option<Sender<()>>>,
    creates: Mutex<Option<Sender<CreateJob>>>,
    revision: tokio::sync::watch::Sender<i64>,
    stopping: Arc<AtomicBool>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl Control {
    pub fn start(client: Arc<Embedded>) -> Arc<Control> {
        let (kick_tx, kick_rx) = std::sync::mpsc::channel();
        let (create_tx, create_rx) = std::sync::mpsc::channel();
        let current = client.server().store().current_revision().unwrap_or(0);
        let control = Arc::new(Control {
            client,
            kick: Mutex::new(Some(kick_tx)),
            creates: Mutex::new(Some(create_tx)),
            revision: tokio::sync::watch::channel(current).0,
            stopping: Arc::new(AtomicBool::new(false)),
            threads: Mutex::new(Vec::new()),
        });
        let settler = {
            let c = control.clone();
            std::thread::spawn(move || c.settle_loop(kick_rx))
        };
        let batcher = {
            let c = control.clone();
            std::thread::spawn(move || c.create_loop(create_rx))
        };
        if let Ok(mut t) = control.threads.lock() {
            t.push(settler);
            t.push(batcher);
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

    fn publish(&self) {
        if let Ok(rev) = self.client.server().store().current_revision() {
            self.revision.send_if_modified(|r| {
                let changed = *r != rev;
                *r = rev;
                changed
            });
        }
    }

    /// Creates through the batcher; blocks until the batch holding it is committed.
    pub fn create(
        &self,
        resource: &'static Resource,
        namespace: Option<String>,
        object: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
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
            return Err(ApiError::new(
                503,
                "ServiceUnavailable",
                "the server is shutting down",
            ));
        }
        result
            .recv()
            .unwrap_or_else(|_| Err(ApiError::internal("the create was lost")))
    }

    fn settle_loop(&self, kick: Receiver<()>) {
        background_priority();
        // A server reads the change log in windows: its memory stays bounded however many
        // objects clients write between two settles.
        let mut settler =
            crate::runtime::Settler::windowed(crate::cluster::components(), crate::runtime::WINDOW);
        loop {
            match kick.recv_timeout(SETTLE_PERIOD) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            while kick.try_recv().is_ok() {}
            if self.stopping.load(Ordering::SeqCst) {
                return;
            }
            if let Err(e) = crate::cluster::settle_with(&mut settler, &self.client) {
                eprintln!("kubelite serve: {e}");
            }
            self.publish();
        }
    }

    fn create_loop(&self, jobs: Receiver<CreateJob>) {
        while let Ok(first) = jobs.recv() {
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
