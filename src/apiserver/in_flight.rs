//! Creates that overlap: on etcd, serve prepares a create while others are still being
//! committed, so that a round trip to etcd is not a pause for everyone. A create (or batch)
//! prepared while others are in flight sees what those admitted, as if it were part of them:
//! their quota charges (a quota holds over both), the Namespaces, LimitRanges and
//! ResourceQuotas they create, and their seeds continue (names and uids stay unique). What
//! one admitted stops counting once it is written: the store holds it then. A batch that
//! allocates Service addresses neither overlaps another nor is overlapped, since its
//! allocator reads the addresses in use from the store.
//!
//! Preparations take turns on a mutex of their own, so each finished one wakes one waiter,
//! not all of them.

use std::collections::HashSet;
use std::sync::{Condvar, Mutex, MutexGuard};

use serde_json::Value;

use crate::api::registry::Resource;

/// What one batch admitted that a batch prepared while it is in flight must count.
#[derive(Default, Clone)]
pub(super) struct Admitted {
    pub namespaces_created: HashSet<String>,
    pub quota_charged: Vec<(&'static Resource, String, Value)>,
    pub policies: Vec<(&'static str, Value)>,
}

#[derive(Default)]
struct Open {
    /// The seed revision of the batches in flight, and the next index of a seed.
    base_revision: i64,
    next_index: usize,
    /// The batches in flight, by ticket.
    batches: Vec<(u64, Admitted, bool)>,
    next_ticket: u64,
}

#[derive(Default)]
pub struct InFlight {
    /// Held while a batch is prepared: preparations never overlap, only commits do.
    preparing: Mutex<()>,
    open: Mutex<Open>,
    /// Signalled when no batch is in flight any more or an exclusive one was written: what
    /// a turn waits for besides the preparing mutex.
    changed: Condvar,
}

/// A batch's turn to prepare: what the batches in flight admitted, and where its seeds
/// start. Given back with `prepared` (or dropped, when it fails before).
pub(super) struct Turn<'a> {
    in_flight: &'a InFlight,
    pub base_revision: Option<i64>,
    pub first_index: usize,
    pub earlier: Admitted,
    exclusive: bool,
    /// Released when the batch is prepared (or the turn dropped).
    _preparing: MutexGuard<'a, ()>,
}

impl InFlight {
    fn lock(&self) -> MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for this batch's turn to prepare; `exclusive` waits for no batch in flight.
    /// `base_revision` is `None` when none is in flight (the caller reads a fresh one).
    pub(super) fn turn(&self, exclusive: bool, count: usize) -> Turn<'_> {
        let preparing = self.preparing.lock().unwrap_or_else(|p| p.into_inner());
        let mut open = self.lock();
        loop {
            let blocked = open.batches.iter().any(|(_, _, ex)| *ex)
                || (exclusive && !open.batches.is_empty());
            if !blocked {
                break;
            }
            open = self.changed.wait(open).unwrap_or_else(|p| p.into_inner());
        }
        let mut earlier = Admitted::default();
        for (_, a, _) in &open.batches {
            earlier
                .namespaces_created
                .extend(a.namespaces_created.iter().cloned());
            earlier
                .quota_charged
                .extend(a.quota_charged.iter().cloned());
            earlier.policies.extend(a.policies.iter().cloned());
        }
        let (base_revision, first_index) = if open.batches.is_empty() {
            (None, 0)
        } else {
            (Some(open.base_revision), open.next_index)
        };
        open.next_index = first_index + count;
        Turn {
            in_flight: self,
            base_revision,
            first_index,
            earlier,
            exclusive,
            _preparing: preparing,
        }
    }
}

impl Turn<'_> {
    /// The batch is prepared (at `base_revision`) and goes to be written: what it admitted
    /// counts for the batches prepared until `written` is called with the ticket.
    pub(super) fn prepared(self, base_revision: i64, admitted: Admitted) -> u64 {
        let mut open = self.in_flight.lock();
        if open.batches.is_empty() {
            open.base_revision = base_revision;
        }
        let ticket = open.next_ticket;
        open.next_ticket += 1;
        open.batches.push((ticket, admitted, self.exclusive));
        ticket
    }
}

impl InFlight {
    /// The batch of `ticket` was written (or failed): the store answers for it now.
    pub(super) fn written(&self, ticket: u64) {
        let mut open = self.lock();
        let exclusive = open.batches.iter().any(|(t, _, ex)| *t == ticket && *ex);
        open.batches.retain(|(t, _, _)| *t != ticket);
        let empty = open.batches.is_empty();
        if empty {
            open.next_index = 0;
        }
        drop(open);
        // Only these can unblock a turn; other writes wake nobody.
        if empty || exclusive {
            self.changed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admitted(ns: &str) -> Admitted {
        let mut a = Admitted::default();
        a.namespaces_created.insert(ns.to_string());
        a
    }

    #[test]
    fn a_batch_prepared_while_another_is_in_flight_sees_what_it_admitted() {
        let f = InFlight::default();
        let first = f.turn(false, 3);
        assert_eq!((first.base_revision, first.first_index), (None, 0));
        let t1 = first.prepared(10, admitted("a"));
        let second = f.turn(false, 2);
        assert_eq!((second.base_revision, second.first_index), (Some(10), 3));
        assert!(second.earlier.namespaces_created.contains("a"));
        let t2 = second.prepared(10, admitted("b"));
        f.written(t1);
        let third = f.turn(false, 1);
        assert_eq!((third.base_revision, third.first_index), (Some(10), 5));
        assert!(!third.earlier.namespaces_created.contains("a"), "written");
        assert!(third.earlier.namespaces_created.contains("b"));
        drop(third);
        f.written(t2);
        let fresh = f.turn(false, 1);
        assert_eq!((fresh.base_revision, fresh.first_index), (None, 0));
    }

    #[test]
    fn an_exclusive_batch_waits_for_the_batches_in_flight() {
        let f = std::sync::Arc::new(InFlight::default());
        let t1 = f.turn(false, 1).prepared(1, Admitted::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let waiting = {
            let f = f.clone();
            std::thread::spawn(move || {
                let turn = f.turn(true, 1);
                tx.send(turn.base_revision).expect("send");
            })
        };
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(100))
                .is_err(),
            "an exclusive batch overlapped one in flight"
        );
        f.written(t1);
        assert_eq!(
            rx.recv_timeout(std::time::Duration::from_secs(10)).ok(),
            Some(None)
        );
        waiting.join().expect("join");
    }
}
