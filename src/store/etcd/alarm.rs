//! A real etcd's alarms and defragmentation, through its Maintenance service.

use super::proto::etcdserverpb as pb;
use super::{EtcdStore, maintenance_client};
use crate::store::{AlarmMember, AlarmType, StoreError};
use pb::alarm_request::AlarmAction;

fn alarms_of(resp: pb::AlarmResponse) -> Vec<AlarmMember> {
    resp.alarms
        .into_iter()
        .filter_map(|a| {
            Some(AlarmMember {
                member_id: a.member_id,
                alarm: AlarmType::from_name(&a.alarm.to_string())?,
            })
        })
        .collect()
}

impl EtcdStore {
    fn alarm(&self, req: pb::AlarmRequest) -> Result<Vec<AlarmMember>, StoreError> {
        let resp = self
            .transport
            .unary(|ch| async move { Ok(maintenance_client(ch).alarm(req).await?.into_inner()) })?;
        Ok(alarms_of(resp))
    }

    pub(super) fn list_alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        self.alarm(pb::AlarmRequest {
            action: AlarmAction::Get as i32,
            ..Default::default()
        })
    }

    /// Deactivates each raised alarm, as clientv3's `AlarmDisarm` of no alarm in particular.
    pub(super) fn disarm_all(&self) -> Result<Vec<AlarmMember>, StoreError> {
        let mut disarmed = Vec::new();
        for a in self.list_alarms()? {
            disarmed.extend(self.alarm(pb::AlarmRequest {
                action: AlarmAction::Deactivate as i32,
                member_id: a.member_id,
                alarm: a.alarm.number() as i32,
            })?);
        }
        Ok(disarmed)
    }

    pub(super) fn defragment_member(&self) -> Result<(), StoreError> {
        self.transport.unary(|ch| async move {
            Ok(maintenance_client(ch)
                .defragment(pb::DefragmentRequest {})
                .await?
                .into_inner())
        })?;
        Ok(())
    }
}
