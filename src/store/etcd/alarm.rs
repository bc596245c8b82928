//! A real etcd's alarms and defragmentation, through the gateway's maintenance API.

use serde_json::{Value, json};

use super::{EtcdStore, uint};
use crate::store::{AlarmMember, AlarmType, StoreError};

fn alarms_of(v: &Value) -> Vec<AlarmMember> {
    v.get("alarms")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let name = match a.get("alarm") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return None,
            };
            Some(AlarmMember {
                member_id: uint(a.get("memberID")),
                alarm: AlarmType::from_name(&name)?,
            })
        })
        .collect()
}

impl EtcdStore {
    pub(super) fn list_alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        let v = self.post("/v3/maintenance/alarm", &json!({ "action": "GET" }))?;
        Ok(alarms_of(&v))
    }

    /// Deactivates each raised alarm, as clientv3's `AlarmDisarm` of no alarm in particular.
    pub(super) fn disarm_all(&self) -> Result<Vec<AlarmMember>, StoreError> {
        let mut disarmed = Vec::new();
        for a in self.list_alarms()? {
            let v = self.post(
                "/v3/maintenance/alarm",
                &json!({
                    "action": "DEACTIVATE",
                    "memberID": a.member_id.to_string(),
                    "alarm": a.alarm.name(),
                }),
            )?;
            disarmed.extend(alarms_of(&v));
        }
        Ok(disarmed)
    }

    pub(super) fn defragment_member(&self) -> Result<(), StoreError> {
        self.post("/v3/maintenance/defragment", &json!({}))?;
        Ok(())
    }
}
