//! The CertificateSigningRequest strategy, as kube-apiserver's registry applies it: a new
//! request records who sent it and starts with an empty status; the main resource may then
//! change only metadata, `status` only the status but not the approval, `approval` only
//! the Approved/Denied conditions. Condition timestamps the writer left out are filled.

use crate::api::options::Requester;
use crate::api::order;
pub use crate::api::validation::CsrDoor as Door;
use serde_json::{Map, Value, json};

pub const KIND: &str = "CertificateSigningRequest";

/// The spec's fields in kube's JSON order.
const SPEC_ORDER: &[&str] = &[
    "request",
    "signerName",
    "expirationSeconds",
    "usages",
    "username",
    "uid",
    "groups",
    "extra",
];

/// The condition types only the approval subresource may set.
const APPROVAL_TYPES: &[&str] = &["Approved", "Denied"];

/// PrepareForCreate: the requester's identity replaces whatever the client sent (none
/// when the request has no user), and the status starts empty.
pub fn prepare_for_create(obj: &mut Value, requester: Option<&Requester>) {
    let Some(map) = obj.as_object_mut() else {
        return;
    };
    if !map.get("spec").is_some_and(Value::is_object) {
        order::set_ordered(map, order::TOP_LEVEL, "spec", json!({}));
    }
    if let Some(spec) = map.get_mut("spec").and_then(Value::as_object_mut) {
        for field in ["username", "uid", "groups", "extra"] {
            spec.shift_remove(field);
        }
        if let Some(user) = requester {
            if !user.name.is_empty() {
                spec.insert("username".into(), json!(user.name));
            }
            if !user.groups.is_empty() {
                spec.insert("groups".into(), json!(user.groups));
            }
        }
        order::reorder(spec, SPEC_ORDER);
    }
    order::set_ordered(map, order::TOP_LEVEL, "status", json!({}));
}

/// PrepareForUpdate of each door: what the writer may not change is taken from `old`.
pub fn prepare_for_update(door: Door, obj: &mut Value, old: &Value, now: &str) {
    let Some(map) = obj.as_object_mut() else {
        return;
    };
    match old.get("spec") {
        Some(spec) => order::set_ordered(map, order::TOP_LEVEL, "spec", spec.clone()),
        None => {
            map.shift_remove("spec");
        }
    }
    let old_status = old.get("status").cloned().unwrap_or_else(|| json!({}));
    let sent = map
        .get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let kept = old_status
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let status = match door {
        Door::Main => old_status,
        // Certificate and Failed conditions from the writer; approval stays as it was.
        Door::Status => {
            let mut status = map.get("status").cloned().unwrap_or_else(|| json!({}));
            let conditions = preserve(&sent, &kept, |t| APPROVAL_TYPES.contains(&t));
            set_conditions(&mut status, conditions);
            status
        }
        // Only the approval conditions from the writer; everything else as it was.
        Door::Approval => {
            let mut status = old_status;
            let conditions = preserve(&sent, &kept, |t| !APPROVAL_TYPES.contains(&t));
            set_conditions(&mut status, conditions);
            status
        }
    };
    order::set_ordered(map, order::TOP_LEVEL, "status", status);
    if door != Door::Main {
        stamp_conditions(obj, old, now);
    }
}

/// The sent conditions with every one whose type `kept_type` picks replaced by the old
/// object's of that type (kube's preserveConditionInstances): as sent when those are
/// unchanged, so the order stays; else moved to the end.
fn preserve(sent: &[Value], old: &[Value], kept_type: impl Fn(&str) -> bool) -> Vec<Value> {
    let type_of = |c: &Value| {
        c.get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let of_kept = |list: &[Value]| -> Vec<Value> {
        list.iter()
            .filter(|c| kept_type(&type_of(c)))
            .cloned()
            .collect()
    };
    if of_kept(sent) == of_kept(old) {
        return sent.to_vec();
    }
    let mut out: Vec<Value> = sent
        .iter()
        .filter(|c| !kept_type(&type_of(c)))
        .cloned()
        .collect();
    out.extend(old.iter().filter(|c| kept_type(&type_of(c))).cloned());
    out
}

fn set_conditions(status: &mut Value, conditions: Vec<Value>) {
    let Some(map) = status.as_object_mut() else {
        *status = json!({});
        return set_conditions(status, conditions);
    };
    if conditions.is_empty() {
        map.shift_remove("conditions");
    } else {
        map.insert("conditions".into(), Value::Array(conditions));
        order::reorder(map, &["conditions", "certificate"]);
    }
}

/// Fills each condition's missing lastUpdateTime with now, and a missing
/// lastTransitionTime with the old condition's of the same type and status, else now.
fn stamp_conditions(obj: &mut Value, old: &Value, now: &str) {
    let old_conditions: Vec<Value> = old
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(conditions) = obj
        .pointer_mut("/status/conditions")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for c in conditions.iter_mut().filter_map(Value::as_object_mut) {
        if missing(c, "lastUpdateTime") {
            c.insert("lastUpdateTime".into(), json!(now));
        }
        if missing(c, "lastTransitionTime") {
            let same = old_conditions
                .iter()
                .find(|o| o.get("type") == c.get("type") && o.get("status") == c.get("status"));
            let at = same
                .and_then(|o| o.get("lastTransitionTime"))
                .filter(|t| t.as_str().is_some_and(|t| !t.is_empty()))
                .cloned()
                .unwrap_or_else(|| json!(now));
            c.insert("lastTransitionTime".into(), at);
        }
        order::reorder(c, CONDITION_ORDER);
    }
}

/// A condition's fields in kube's JSON order.
pub const CONDITION_ORDER: &[&str] = &[
    "type",
    "status",
    "reason",
    "message",
    "lastUpdateTime",
    "lastTransitionTime",
];

fn missing(c: &Map<String, Value>, field: &str) -> bool {
    c.get(field)
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requester() -> Requester {
        Requester {
            name: "kubernetes-admin".into(),
            groups: vec!["system:masters".into(), "system:authenticated".into()],
        }
    }

    #[test]
    fn create_records_the_sender_over_what_the_client_claims() {
        let mut csr = json!({"spec": {"username": "forged", "uid": "1", "groups": ["system:masters"],
            "request": "x", "signerName": "kubernetes.io/kube-apiserver-client", "usages": ["client auth"]},
            "status": {"conditions": [{"type": "Approved", "status": "True"}]}});
        prepare_for_create(&mut csr, Some(&requester()));
        assert_eq!(csr["spec"]["username"], "kubernetes-admin");
        assert_eq!(csr["spec"]["groups"][1], "system:authenticated");
        assert!(csr["spec"].get("uid").is_none());
        assert_eq!(csr["status"], json!({}));
        let mut anonymous = json!({"spec": {"username": "forged"}});
        prepare_for_create(&mut anonymous, None);
        assert!(anonymous["spec"].get("username").is_none());
    }

    #[test]
    fn each_door_changes_only_its_part() {
        let old = json!({"spec": {"request": "r"}, "status": {"conditions": [
            {"type": "Approved", "status": "True", "lastUpdateTime": "t0", "lastTransitionTime": "t0"}]}});
        // The status door keeps the approval and takes the certificate and Failed.
        let mut st = json!({"spec": {"request": "changed"}, "status": {"certificate": "Y2VydA==",
            "conditions": [{"type": "Failed", "status": "True"}]}});
        prepare_for_update(Door::Status, &mut st, &old, "t1");
        assert_eq!(st["spec"]["request"], "r");
        assert_eq!(st["status"]["certificate"], "Y2VydA==");
        let types: Vec<&str> = st["status"]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["Failed", "Approved"]);
        assert_eq!(st["status"]["conditions"][0]["lastUpdateTime"], "t1");
        // The approval door takes Denied and nothing else.
        let mut ap = json!({"status": {"certificate": "eA==", "conditions": [
            {"type": "Denied", "status": "True"}, {"type": "Failed", "status": "True"}]}});
        prepare_for_update(Door::Approval, &mut ap, &old, "t2");
        assert!(ap["status"].get("certificate").is_none());
        // (Dropping Approved is the writer's; validation refuses that removal.)
        assert_eq!(ap["status"]["conditions"].as_array().unwrap().len(), 1);
        assert_eq!(ap["status"]["conditions"][0]["type"], "Denied");
        assert_eq!(ap["status"]["conditions"][0]["lastTransitionTime"], "t2");
        // The main resource changes neither.
        let mut main = json!({"spec": {"request": "x"}, "status": {}});
        prepare_for_update(Door::Main, &mut main, &old, "t3");
        assert_eq!(main["status"], old["status"]);
    }
}
