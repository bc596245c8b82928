//! What every write reads of the cluster's configuration (admission webhooks and policies),
//! remembered while the store's followed change log shows none of its keys changed. On a
//! store in etcd each of those reads is a round trip, and a create made a dozen of them; on
//! a local store there is no log and the reads happen every time, as they are cheap there.
//! Like kube-apiserver's informers, what is remembered may lag the store by the log's
//! delay for another server's writes (a webhook made through another server applies from
//! the writes after the log delivered it); this server's own writes count at once.

use std::sync::Mutex;

use crate::api::status::ApiError;
use crate::store::{RangeRequest, Store};

pub struct Memo<T>(Mutex<Option<(i64, T)>>);

/// What a memo asks of a store (every store answers it; tests fake it).
pub trait ChangeLog {
    fn followed_revision(&self) -> Option<i64>;
    fn changed_after(&self, key: &[u8], range_end: &[u8], since: i64) -> Option<bool>;
}

impl<S: Store + ?Sized> ChangeLog for S {
    fn followed_revision(&self) -> Option<i64> {
        Store::followed_revision(self)
    }
    fn changed_after(&self, key: &[u8], range_end: &[u8], since: i64) -> Option<bool> {
        Store::changed_after(self, key, range_end, since)
    }
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(Mutex::new(None))
    }
}

impl<T: Clone> Memo<T> {
    /// The value `read` gives from the keys under `prefixes`, read again only when the store
    /// cannot tell that none of them changed since the last read.
    pub fn get<S: ChangeLog + ?Sized>(
        &self,
        store: &S,
        prefixes: &[&[u8]],
        read: impl FnOnce() -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        // Taken before reading: whatever changes after it is seen by the next check.
        let Some(followed) = store.followed_revision() else {
            return read();
        };
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((since, value)) = slot.as_mut() {
            let unchanged = prefixes.iter().all(|p| {
                let range = RangeRequest::prefix(p);
                store.changed_after(&range.key, &range.range_end, *since) == Some(false)
            });
            if unchanged {
                // Later checks need only look at what comes after this one.
                *since = (*since).max(followed);
                return Ok(value.clone());
            }
        }
        let value = read()?;
        *slot = Some((followed, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A change log at revision `at` whose keys last changed at `changed` (`None`: no log).
    struct Log {
        at: Option<i64>,
        changed: Cell<i64>,
        holds_from: i64,
    }

    impl ChangeLog for Log {
        fn followed_revision(&self) -> Option<i64> {
            self.at
        }
        fn changed_after(&self, _key: &[u8], _end: &[u8], since: i64) -> Option<bool> {
            self.at?;
            (since + 1 >= self.holds_from).then(|| self.changed.get() > since)
        }
    }

    fn reads(memo: &Memo<u32>, log: &Log, count: &Cell<u32>) -> u32 {
        memo.get(log, &[b"/registry/x/".as_slice()], || {
            count.set(count.get() + 1);
            Ok(count.get())
        })
        .expect("read")
    }

    #[test]
    fn reads_again_only_after_a_change() {
        let (memo, count) = (Memo::default(), Cell::new(0));
        let log = Log {
            at: Some(10),
            changed: Cell::new(3),
            holds_from: 1,
        };
        assert_eq!(reads(&memo, &log, &count), 1);
        assert_eq!(reads(&memo, &log, &count), 1, "unchanged: remembered");
        log.changed.set(11);
        assert_eq!(reads(&memo, &log, &count), 2, "changed after the read");
        assert_eq!(
            reads(&memo, &log, &count),
            3,
            "the read was at 10, the change at 11"
        );
    }

    #[test]
    fn without_a_log_or_its_history_reads_every_time() {
        let (memo, count) = (Memo::default(), Cell::new(0));
        let none = Log {
            at: None,
            changed: Cell::new(0),
            holds_from: 1,
        };
        assert_eq!(reads(&memo, &none, &count), 1);
        assert_eq!(reads(&memo, &none, &count), 2);
        let forgot = Log {
            at: Some(10),
            changed: Cell::new(0),
            holds_from: 20,
        };
        assert_eq!(reads(&memo, &forgot, &count), 3);
        assert_eq!(
            reads(&memo, &forgot, &count),
            4,
            "history it no longer holds"
        );
    }
}
