//! The space quota and the NOSPACE alarm on the redb store (see `store::alarm`). The alarm
//! is a row of `kv_meta`, so it survives a restart as etcd's alarm bucket does; the flag
//! in memory answers the check every write makes without a read.

use std::sync::atomic::Ordering;

use super::schema::{self, META};
use super::{RedbStore, reclaim::file_len};
use crate::store::{AlarmMember, AlarmType, StoreError};

impl RedbStore {
    /// Sets the quota: the size in bytes past which the store file takes no more writes.
    pub(super) fn store_quota(&self, bytes: u64) {
        self.quota.store(bytes, Ordering::SeqCst);
    }

    /// Lets a write that adds about `cost` bytes through, or refuses it: at once while the
    /// alarm is raised, else by raising it when the file would pass the quota.
    pub(super) fn admit(&self, cost: u64) -> Result<(), StoreError> {
        if cost == 0 {
            return Ok(());
        }
        if self.nospace.load(Ordering::SeqCst) {
            return Err(StoreError::NoSpace);
        }
        let quota = self.quota.load(Ordering::SeqCst);
        if file_len(&self.path).saturating_add(cost) <= quota {
            return Ok(());
        }
        self.set_alarm(true)?;
        Err(StoreError::NoSpace)
    }

    /// Raises or clears the alarm, durably.
    fn set_alarm(&self, raised: bool) -> Result<(), StoreError> {
        let txn = self.begin_write(true)?;
        {
            let mut meta = txn.open_table(META)?;
            if raised {
                meta.insert(schema::META_ALARM_NOSPACE, 1)?;
            } else {
                meta.remove(schema::META_ALARM_NOSPACE)?;
            }
        }
        txn.commit()?;
        self.nospace.store(raised, Ordering::SeqCst);
        Ok(())
    }

    /// Reads the persisted alarm into memory (at open).
    pub(super) fn load_alarm(&self) -> Result<(), StoreError> {
        let txn = self.begin_read()?;
        let raised = txn
            .open_table(META)?
            .get(schema::META_ALARM_NOSPACE)?
            .is_some_and(|v| v.value() != 0);
        self.nospace.store(raised, Ordering::SeqCst);
        Ok(())
    }

    pub(super) fn raised_alarms(&self) -> Vec<AlarmMember> {
        if self.nospace.load(Ordering::SeqCst) {
            vec![AlarmMember {
                member_id: 0,
                alarm: AlarmType::NoSpace,
            }]
        } else {
            Vec::new()
        }
    }

    pub(super) fn disarm(&self) -> Result<Vec<AlarmMember>, StoreError> {
        let raised = self.raised_alarms();
        if !raised.is_empty() {
            self.set_alarm(false)?;
        }
        Ok(raised)
    }
}
