//! The writes this process made that the feed has not delivered yet. The API server's
//! memos trust the feed to say which keys changed, but the feed hears of a write a moment
//! after etcd answered it, and by then the writer may have been told and sent its next
//! request: a namespace marked Terminating, a quota lowered, then a create at once. Until
//! the feed catches up, what this process wrote counts as changed.

use std::sync::{Mutex, MutexGuard};

use crate::store::rules::Bounds;
use crate::store::{RequestOp, TxnRequest, TxnResponse};

/// Most writes kept waiting for the feed; past it (a feed stuck while etcd is away) the
/// memos are told nothing can be known until the feed reaches the last of them.
const MOST: usize = 8192;

#[derive(Default)]
struct Pending {
    /// The keys of each write and the revision etcd gave it, in no particular order.
    writes: Vec<(Bounds, i64)>,
    /// Writes were let go of unseen: nothing is known before the feed reaches this.
    unknown_until: i64,
    /// The newest revision a write of this process got.
    newest: i64,
}

#[derive(Default)]
pub struct OwnWrites(Mutex<Pending>);

impl OwnWrites {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A write of `[key, range_end)` that etcd made at `revision`.
    pub fn wrote(&self, key: &[u8], range_end: &[u8], revision: i64) {
        self.record([Bounds::new(key, range_end)], revision);
    }

    /// The writes of the branch of `req` that ran, as `resp` says.
    pub fn wrote_txn(&self, req: &TxnRequest, resp: &TxnResponse) {
        let ops = if resp.succeeded {
            &req.success
        } else {
            &req.failure
        };
        let keys = ops.iter().filter_map(|op| match op {
            RequestOp::Put { key, .. } => Some(Bounds::new(key, &[])),
            RequestOp::Delete { key, range_end, .. } => Some(Bounds::new(key, range_end)),
            RequestOp::Range(_) => None,
        });
        self.record(keys, resp.header.revision);
    }

    fn record(&self, keys: impl IntoIterator<Item = Bounds>, revision: i64) {
        let mut p = self.lock();
        p.newest = p.newest.max(revision);
        p.writes
            .extend(keys.into_iter().map(|bounds| (bounds, revision)));
        if p.writes.len() > MOST {
            let last = p.writes.iter().map(|(_, r)| *r).max().unwrap_or(revision);
            p.unknown_until = p.unknown_until.max(last);
            p.writes.clear();
        }
    }

    /// Whether a write after `reached` (what the feed delivered) touched `[key, range_end)`;
    /// `None` when writes were let go of before the feed saw them. Forgets what it reached.
    pub fn touched_after(&self, key: &[u8], range_end: &[u8], reached: i64) -> Option<bool> {
        let mut p = self.lock();
        p.writes.retain(|(_, r)| *r > reached);
        if reached < p.unknown_until {
            return None;
        }
        let wanted = Bounds::new(key, range_end);
        Some(p.writes.iter().any(|(b, _)| overlap(b, &wanted)))
    }

    /// The newest revision a write of this process got (0 before any).
    pub fn newest(&self) -> i64 {
        self.lock().newest
    }
}

/// Whether two key ranges share a key.
fn overlap(a: &Bounds, b: &Bounds) -> bool {
    match (span(a), span(b)) {
        (Some((a0, a1)), Some((b0, b1))) => {
            let before = |start: &[u8], end: &Option<Vec<u8>>| match end {
                Some(end) => start < end.as_slice(),
                None => true,
            };
            before(a0, &b1) && before(b0, &a1)
        }
        _ => false,
    }
}

/// A range as its first key and the key after its last (`None`: no end).
fn span(b: &Bounds) -> Option<(&[u8], Option<Vec<u8>>)> {
    match b {
        Bounds::Single(k) => {
            let mut next = k.clone();
            next.push(0);
            Some((k, Some(next)))
        }
        Bounds::From(start) => Some((start, None)),
        Bounds::Between(start, end) => Some((start, Some(end.clone()))),
        Bounds::Nothing => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::prefix_range_end;

    #[test]
    fn a_write_counts_until_the_feed_reaches_it() {
        let own = OwnWrites::default();
        own.wrote(b"/registry/namespaces/a", &[], 7);
        let end = prefix_range_end(b"/registry/namespaces/");
        assert_eq!(
            own.touched_after(b"/registry/namespaces/", &end, 6),
            Some(true)
        );
        assert_eq!(
            own.touched_after(b"/registry/namespaces/a", &[], 6),
            Some(true)
        );
        assert_eq!(
            own.touched_after(b"/registry/namespaces/b", &[], 6),
            Some(false)
        );
        assert_eq!(
            own.touched_after(b"/registry/namespaces/a", &[], 7),
            Some(false)
        );
        assert_eq!(
            own.touched_after(b"/registry/namespaces/a", &[], 6),
            Some(false)
        );
        assert_eq!(own.newest(), 7);
    }

    #[test]
    fn a_deleted_range_touches_the_keys_in_it() {
        let own = OwnWrites::default();
        own.wrote(b"/registry/pods/a/", b"/registry/pods/a0", 3);
        assert_eq!(own.touched_after(b"/registry/pods/a/x", &[], 2), Some(true));
        assert_eq!(
            own.touched_after(b"/registry/pods/b/x", &[], 2),
            Some(false)
        );
        assert_eq!(own.touched_after(b"/registry/", &[0], 2), Some(true));
    }

    #[test]
    fn too_many_unseen_writes_make_it_unknown() {
        let own = OwnWrites::default();
        for r in 0..=MOST as i64 {
            own.wrote(format!("/k/{r}").as_bytes(), &[], r + 10);
        }
        assert_eq!(own.touched_after(b"/other", &[], 5), None);
        assert_eq!(
            own.touched_after(b"/other", &[], MOST as i64 + 10),
            Some(false)
        );
    }
}
