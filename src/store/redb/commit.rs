//! Who pays for an fsync, and when.
//!
//! Every write is durable before it is answered, except the writes of a thread that asked to
//! defer (the control plane, whose writes are recomputed if lost). Concurrent durable writers
//! share one commit (group commit): each queues its transactions, and whoever takes the
//! leader's lock first commits everything queued, answering the others. A reader on any other
//! thread first makes deferred writes durable, so nothing is ever seen that a crash could
//! take back (a resourceVersion a client saw never goes backwards).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::ThreadId;

use crate::store::{StoreError, TxnRequest, TxnResponse};

/// Where a job's answer is left for its writer.
type Answer = Arc<Mutex<Option<Result<Vec<TxnResponse>, StoreError>>>>;

/// One writer's transactions, waiting for a commit.
struct Job {
    reqs: Vec<TxnRequest>,
    answer: Answer,
}

/// The waiting room of group commit, and the bookkeeping of deferred writes.
#[derive(Default)]
pub(super) struct Commits {
    queue: Mutex<Vec<Job>>,
    leader: Mutex<()>,
    /// Threads whose writes are deferred (not fsynced until a durable commit).
    deferring: Mutex<Vec<ThreadId>>,
    /// Deferred commits made so far (counted before each is committed).
    deferred: AtomicU64,
    /// How many of them a durable commit has covered.
    covered: AtomicU64,
}

/// What the leader runs: all queued jobs in one durable commit, one answer per job.
pub(super) type CommitAll<'a> =
    dyn FnMut(&[&[TxnRequest]]) -> Result<Vec<Vec<TxnResponse>>, StoreError> + 'a;
/// What the leader falls back to when the batch fails: one job alone, durably.
pub(super) type CommitOne<'a> =
    dyn FnMut(&[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> + 'a;

impl Commits {
    /// Whether the calling thread's writes are deferred.
    pub(super) fn this_thread_defers(&self) -> bool {
        let me = std::thread::current().id();
        lock(&self.deferring).contains(&me)
    }

    /// Turns deferral on or off for the calling thread; returns whether it was on.
    pub(super) fn set_this_thread(&self, on: bool) -> bool {
        let me = std::thread::current().id();
        let mut threads = lock(&self.deferring);
        let was = threads.contains(&me);
        threads.retain(|t| *t != me);
        if on {
            threads.push(me);
        }
        was
    }

    /// Call while holding the write transaction of a deferred commit, before committing it.
    pub(super) fn count_deferred(&self) {
        self.deferred.fetch_add(1, Ordering::SeqCst);
    }

    /// Deferred commits made so far; read while holding a write transaction, this is what a
    /// durable commit of that transaction covers.
    pub(super) fn deferred_so_far(&self) -> u64 {
        self.deferred.load(Ordering::SeqCst)
    }

    /// Records that a durable commit covered the first `upto` deferred commits.
    pub(super) fn covered_upto(&self, upto: u64) {
        self.covered.fetch_max(upto, Ordering::SeqCst);
    }

    /// Whether some committed write is not durable yet.
    pub(super) fn anything_undurable(&self) -> bool {
        self.deferred.load(Ordering::SeqCst) > self.covered.load(Ordering::SeqCst)
    }

    /// Commits `reqs` durably, sharing the commit with whoever else is waiting. An empty
    /// `reqs` only makes earlier deferred writes durable.
    pub(super) fn submit(
        &self,
        reqs: Vec<TxnRequest>,
        commit_all: &mut CommitAll<'_>,
        commit_one: &mut CommitOne<'_>,
    ) -> Result<Vec<TxnResponse>, StoreError> {
        let answer: Answer = Arc::new(Mutex::new(None));
        lock(&self.queue).push(Job {
            reqs,
            answer: answer.clone(),
        });
        let _leader = lock(&self.leader);
        if let Some(done) = lock(&answer).take() {
            return done;
        }
        // Nobody has taken our job: a leader answers every job it takes before it lets the
        // next leader in. So it is still queued, and we lead.
        let jobs = std::mem::take(&mut *lock(&self.queue));
        let batch: Vec<&[TxnRequest]> = jobs.iter().map(|j| j.reqs.as_slice()).collect();
        match commit_all(&batch) {
            Ok(answers) => {
                for (job, a) in jobs.iter().zip(answers) {
                    *lock(&job.answer) = Some(Ok(a));
                }
            }
            // One job's bad request must not fail the others: each alone, in order.
            Err(_) => {
                for job in &jobs {
                    *lock(&job.answer) = Some(commit_one(&job.reqs));
                }
            }
        }
        lock(&answer)
            .take()
            .unwrap_or_else(|| Err(StoreError::Io("group commit lost a write".to_string())))
    }
}

/// Locks a mutex; a thread that panicked while holding one left only plain data behind.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
