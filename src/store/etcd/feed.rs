//! The change log of a cluster in etcd, followed by one long-lived watch over every key and
//! kept in memory, so that the components' reads of history (`events_between`, once a kind
//! and a settle pass) cost no watch of their own. A read waits until the watch has delivered
//! the revision it needs (every revision changes at least one key, so the watch sees each).
//!
//! What the feed does not hold (history before it started or that it let go of, previous
//! values) is read from etcd by a watch of its own, as before; that is also how a read below
//! etcd's compacted revision gets `Compacted` (410 Gone for a client's watch).
//!
//! When the stream breaks (etcd down, a member gone) the feed follows again from the next
//! revision, on the next endpoint; if etcd compacted that history meanwhile it starts over at
//! the compacted revision, and reads from before it go to etcd (and are refused there).

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use tonic::transport::Channel;

use super::history::{open, watch_all};
use super::proto::mvccpb;
use super::{UNREACHABLE, io, wire};
use crate::store::rules::Bounds;
use crate::store::{Event, StoreError};

/// Most bytes of keys and values the feed keeps; older events are let go of first.
const KEPT_BYTES: usize = 64 << 20;
/// Pause before following again after the stream broke.
const RETRY: Duration = Duration::from_millis(500);

struct Log {
    events: VecDeque<Event>,
    bytes: usize,
    /// Every event of a revision from `start` on is in `events`, up to `reached`.
    start: i64,
    /// The last revision the watch delivered.
    reached: i64,
}

struct Shared {
    log: Mutex<Log>,
    grew: Condvar,
}

pub struct Feed {
    shared: Arc<Shared>,
}

fn lock(m: &Mutex<Log>) -> MutexGuard<'_, Log> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn size(e: &Event) -> usize {
    e.kv.key.len() + e.kv.value.len() + 64
}

impl Log {
    fn append(&mut self, events: Vec<mvccpb::Event>) {
        for e in events {
            let e = wire::event(e);
            self.reached = self.reached.max(e.kv.mod_revision);
            self.bytes += size(&e);
            self.events.push_back(e);
        }
        // Whole revisions go, so that `start` stays exact.
        while self.bytes > KEPT_BYTES {
            let Some(oldest) = self.events.front().map(|e| e.kv.mod_revision) else {
                break;
            };
            self.forget_below(oldest + 1);
        }
    }

    /// Lets go of the events of revisions below `revision`.
    fn forget_below(&mut self, revision: i64) {
        while self
            .events
            .front()
            .is_some_and(|e| e.kv.mod_revision < revision)
        {
            if let Some(e) = self.events.pop_front() {
                self.bytes -= size(&e);
            }
        }
        self.start = self.start.max(revision);
    }

    /// Starts over at `revision`: what came before is etcd's to tell (or refuse).
    fn restart_at(&mut self, revision: i64) {
        self.events.clear();
        self.bytes = 0;
        self.start = revision;
        self.reached = revision - 1;
    }
}

impl Feed {
    /// Follows etcd's changes after `head` on `channels` (tried in turn) until dropped.
    pub fn start(
        spawn: impl FnOnce(std::pin::Pin<Box<dyn Future<Output = ()> + Send>>),
        channels: Vec<Channel>,
        head: i64,
    ) -> Feed {
        let shared = Arc::new(Shared {
            log: Mutex::new(Log {
                events: VecDeque::new(),
                bytes: 0,
                start: head + 1,
                reached: head,
            }),
            grew: Condvar::new(),
        });
        spawn(Box::pin(follow(channels, Arc::downgrade(&shared))));
        Feed { shared }
    }

    /// The changes of revisions `from..=until` over `[key, range_end)`, waiting at most
    /// `timeout` for the watch to deliver `until`; `None` when the feed does not hold `from`.
    pub fn read(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        until: i64,
        timeout: Duration,
    ) -> Option<Result<Vec<Event>, StoreError>> {
        let deadline = Instant::now() + timeout;
        let mut log = lock(&self.shared.log);
        loop {
            if from < log.start {
                return None;
            }
            if log.reached >= until {
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Some(Err(io(UNREACHABLE)));
            }
            log = self
                .shared
                .grew
                .wait_timeout(log, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        let wanted = Bounds::new(key, range_end);
        let first = log.events.partition_point(|e| e.kv.mod_revision < from);
        Some(Ok(log
            .events
            .range(first..)
            .take_while(|e| e.kv.mod_revision <= until)
            .filter(|e| wanted.contains(&e.kv.key))
            .cloned()
            .collect()))
    }

    /// The last revision the watch delivered.
    pub fn reached(&self) -> i64 {
        lock(&self.shared.log).reached
    }

    /// Whether a key of `[key, range_end)` changed in revisions `since + 1..=reached`;
    /// `None` when the feed does not hold all of them. Costs the events since `since`.
    pub fn changed_after(&self, key: &[u8], range_end: &[u8], since: i64) -> Option<bool> {
        let log = lock(&self.shared.log);
        if since + 1 < log.start {
            return None;
        }
        let wanted = Bounds::new(key, range_end);
        let first = log.events.partition_point(|e| e.kv.mod_revision <= since);
        Some(
            log.events
                .range(first..)
                .any(|e| wanted.contains(&e.kv.key)),
        )
    }

    /// etcd compacted below `revision`: reads from before it must get `Compacted` too.
    pub fn compacted(&self, revision: i64) {
        lock(&self.shared.log).forget_below(revision);
    }
}

/// The watch, followed again after each break until the feed is dropped.
async fn follow(channels: Vec<Channel>, shared: Weak<Shared>) {
    let mut at = 0;
    loop {
        let Some(from) = shared.upgrade().map(|s| lock(&s.log).reached + 1) else {
            return;
        };
        if follow_once(channels[at % channels.len()].clone(), from, &shared)
            .await
            .is_none()
        {
            return;
        }
        at += 1;
        tokio::time::sleep(RETRY).await;
    }
}

/// One watch stream, until it breaks (`Some`) or the feed is dropped (`None`).
async fn follow_once(ch: Channel, from: i64, shared: &Weak<Shared>) -> Option<()> {
    let Ok(mut responses) = open(ch, watch_all(from, false)).await else {
        return Some(());
    };
    while let Ok(Some(resp)) = responses.message().await {
        let s = shared.upgrade()?;
        if resp.canceled {
            if resp.compact_revision != 0 {
                lock(&s.log).restart_at(resp.compact_revision);
            }
            return Some(());
        }
        if !resp.events.is_empty() {
            lock(&s.log).append(resp.events);
            s.grew.notify_all();
        }
    }
    Some(())
}
