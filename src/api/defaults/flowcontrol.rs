//! flowcontrol.apiserver.k8s.io/v1 defaults (kube's `SetDefaults_*` for FlowSchema and
//! PriorityLevelConfiguration) and their create strategies' reset of status.

use super::order::{TOP_LEVEL, insert_ordered, normalize_meta, object_at};
use serde_json::{Map, Value, json};

const FLOW_SCHEMA_SPEC: &[&str] = &[
    "priorityLevelConfiguration",
    "matchingPrecedence",
    "distinguisherMethod",
    "rules",
];
const LEVEL_SPEC: &[&str] = &["type", "limited", "exempt"];
const LIMITED: &[&str] = &[
    "nominalConcurrencyShares",
    "limitResponse",
    "lendablePercent",
    "borrowingLimitPercent",
];
const EXEMPT: &[&str] = &["nominalConcurrencyShares", "lendablePercent"];
const LIMIT_RESPONSE: &[&str] = &["type", "queuing"];
const QUEUING: &[&str] = &["queues", "handSize", "queueLengthLimit"];

/// The object's spec (made when missing), its metadata put in order first.
fn spec(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let o = obj.as_object_mut()?;
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    object_at(o, TOP_LEVEL, "spec")
}

/// A zero (or missing) integer field takes `value`, as Go defaults non-pointer fields.
fn zero_to(map: &mut Map<String, Value>, order: &[&str], key: &str, value: i64) {
    if map.get(key).and_then(Value::as_i64) == Some(0) {
        map.shift_remove(key);
    }
    insert_ordered(map, order, key, json!(value));
}

/// matchingPrecedence 0 → 1000.
pub fn default_flow_schema(obj: &mut Value) {
    if let Some(spec) = spec(obj) {
        zero_to(spec, FLOW_SCHEMA_SPEC, "matchingPrecedence", 1000);
    }
}

/// Exempt levels get their exempt block (shares and lendable percent 0); limited ones 30
/// shares, lendable 0, and queuing 64 queues, hand of 8, 50 a queue.
pub fn default_priority_level(obj: &mut Value) {
    let Some(spec) = spec(obj) else {
        return;
    };
    if spec.get("type").and_then(Value::as_str) == Some("Exempt")
        && let Some(exempt) = object_at(spec, LEVEL_SPEC, "exempt")
    {
        insert_ordered(exempt, EXEMPT, "nominalConcurrencyShares", json!(0));
        insert_ordered(exempt, EXEMPT, "lendablePercent", json!(0));
    }
    if let Some(limited) = spec.get_mut("limited").and_then(Value::as_object_mut) {
        insert_ordered(limited, LIMITED, "nominalConcurrencyShares", json!(30));
        insert_ordered(limited, LIMITED, "lendablePercent", json!(0));
        let response = object_at(limited, LIMITED, "limitResponse");
        if let Some(queuing) = response
            .and_then(|r| r.get_mut("queuing"))
            .and_then(Value::as_object_mut)
        {
            zero_to(queuing, QUEUING, "queues", 64);
            zero_to(queuing, QUEUING, "handSize", 8);
            zero_to(queuing, QUEUING, "queueLengthLimit", 50);
        }
        if let Some(response) = limited
            .get_mut("limitResponse")
            .and_then(Value::as_object_mut)
        {
            super::order::reorder(response, LIMIT_RESPONSE);
        }
    }
}

/// Both create strategies start with an empty status and generation 1.
pub fn prepare_for_create(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = object_at(o, TOP_LEVEL, "metadata") {
        meta.insert("generation".into(), json!(1));
        normalize_meta(meta);
    }
    o.shift_remove("status");
    insert_ordered(o, TOP_LEVEL, "status", json!({}));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_levels_get_kubes_queuing_defaults() {
        let mut pl = json!({"spec": {"type": "Limited", "limited": {"limitResponse": {
            "type": "Queue", "queuing": {}}}}});
        default_priority_level(&mut pl);
        assert_eq!(
            pl["spec"]["limited"],
            json!({"nominalConcurrencyShares": 30,
                   "limitResponse": {"type": "Queue", "queuing": {"queues": 64, "handSize": 8, "queueLengthLimit": 50}},
                   "lendablePercent": 0})
        );
    }

    #[test]
    fn exempt_levels_get_an_exempt_block() {
        let mut pl = json!({"spec": {"type": "Exempt"}});
        default_priority_level(&mut pl);
        assert_eq!(
            pl["spec"]["exempt"],
            json!({"nominalConcurrencyShares": 0, "lendablePercent": 0})
        );
    }

    #[test]
    fn schemas_default_their_precedence_and_start_without_status() {
        let mut fs = json!({"metadata": {"name": "a"}, "spec": {"priorityLevelConfiguration": {"name": "x"}},
                            "status": {"conditions": [{"type": "Dangling"}]}});
        default_flow_schema(&mut fs);
        prepare_for_create(&mut fs);
        assert_eq!(fs["spec"]["matchingPrecedence"], 1000);
        assert_eq!(fs["status"], json!({}));
        assert_eq!(fs["metadata"]["generation"], 1);
    }
}
