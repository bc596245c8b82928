//! Printers of the flowcontrol.apiserver.k8s.io kinds, with kube-apiserver 1.32's columns.
//! Its FlowSchema list is printed in matching order (precedence, then name).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn flow_schema_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "PriorityLevel",
            "`name` is the name of the priority level configuration being referenced Required.",
        ),
        string_col(
            "MatchingPrecedence",
            "`matchingPrecedence` is used to choose among the FlowSchemas that match a given request. The chosen FlowSchema is among those with the numerically lowest (which we take to be logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in [1,10000]. Note that if the precedence is not specified, it will be set to 1000 as default.",
        ),
        string_col(
            "DistinguisherMethod",
            "`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema. `nil` specifies that the distinguisher is disabled and thus will always be the empty string.",
        ),
        age_col(),
        string_col(
            "MissingPL",
            "references a broken or non-existent PriorityLevelConfiguration",
        ),
    ]
}

pub fn flow_schema_cells(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let method = match str_at(obj, &["spec", "distinguisherMethod", "type"]) {
        "" if field(obj, &["spec", "distinguisherMethod"]).is_none_or(Value::is_null) => "<none>",
        t => t,
    };
    let missing = array_at(obj, &["status", "conditions"])
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("Dangling"))
        .map_or("?", |c| {
            c.get("status").and_then(Value::as_str).unwrap_or("")
        });
    vec![
        json!(name_of(obj)),
        json!(str_at(obj, &["spec", "priorityLevelConfiguration", "name"])),
        json!(int_at(obj, &["spec", "matchingPrecedence"])),
        json!(method),
        json!(creation_age(obj, now)),
        json!(missing),
    ]
}

pub fn priority_level_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Type",
            "`type` indicates whether this priority level is subject to limitation on request execution.  A value of `\"Exempt\"` means that requests of this priority level are not subject to a limit (and thus are never queued) and do not detract from the capacity made available to other priority levels.  A value of `\"Limited\"` means that (a) requests of this priority level _are_ subject to limits and (b) some of the server's limited capacity is made available exclusively to this priority level. Required.",
        ),
        string_col(
            "NominalConcurrencyShares",
            "`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level.",
        ),
        string_col(
            "Queues",
            "`queues` is the number of queues for this priority level.",
        ),
        string_col(
            "HandSize",
            "`handSize` is a small positive number that configures the shuffle sharding of requests into queues.",
        ),
        string_col(
            "QueueLengthLimit",
            "`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time; excess requests are rejected.",
        ),
        age_col(),
    ]
}

pub fn priority_level_cells(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let none = || json!("<none>");
    let limited = field(obj, &["spec", "limited"]).filter(|v| !v.is_null());
    let shares = limited.map_or_else(none, |l| {
        json!(
            l.get("nominalConcurrencyShares")
                .and_then(Value::as_i64)
                .unwrap_or(0)
        )
    });
    let queuing = limited
        .and_then(|l| field(l, &["limitResponse", "queuing"]))
        .filter(|q| !q.is_null());
    let of = |k: &str| {
        queuing.map_or_else(none, |q| {
            json!(q.get(k).and_then(Value::as_i64).unwrap_or(0))
        })
    };
    vec![
        json!(name_of(obj)),
        json!(str_at(obj, &["spec", "type"])),
        shares,
        of("queues"),
        of("handSize"),
        of("queueLengthLimit"),
        json!(creation_age(obj, now)),
    ]
}

/// FlowSchema rows in kube's matching order: lowest precedence first, then by name.
pub fn sort_flow_schema_rows(rows: &mut [Value]) {
    let key = |row: &Value| {
        let cells = row.get("cells").and_then(Value::as_array);
        let cell = |i: usize| cells.and_then(|c| c.get(i)).cloned().unwrap_or(Value::Null);
        (
            cell(2).as_i64().unwrap_or(0),
            cell(0).as_str().unwrap_or("").to_string(),
        )
    };
    rows.sort_by_cached_key(key);
}
