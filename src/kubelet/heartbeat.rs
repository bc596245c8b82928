//! Node heartbeats, as kubelet 1.32 sends them: the Lease `kube-node-lease/<node>` renewed
//! every 10 s, and the Node's status posted when it changed or at least every 5 min
//! (nodeStatusReportFrequency), so a healthy node's status is rarely written.

use super::container::str_at;
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::clock::{parse_timestamp, timestamp};
use crate::runtime::Context;
use crate::runtime::events::micro_time;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

pub const LEASE_NAMESPACE: &str = "kube-node-lease";
/// How often the lease is renewed (kubelet: a quarter of the lease duration).
pub const RENEW_INTERVAL_SECS: i64 = 10;
pub const LEASE_DURATION_SECS: i64 = 40;
/// How long an unchanged node status may go unreported.
pub const STATUS_REPORT_SECS: i64 = 300;

/// The node conditions a healthy kubelet reports.
const CONDITIONS: &[(&str, &str, &str, &str)] = &[
    (
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
    ),
    (
        "DiskPressure",
        "False",
        "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure",
    ),
    (
        "PIDPressure",
        "False",
        "KubeletHasSufficientPID",
        "kubelet has sufficient PID available",
    ),
    (
        "Ready",
        "True",
        "KubeletReady",
        "kubelet is posting ready status",
    ),
];

/// When a lease is next due for renewal (now, if it was never renewed).
pub fn renewal_due(lease: Option<&Value>, now: DateTime<Utc>) -> DateTime<Utc> {
    lease
        .and_then(|l| l.pointer("/spec/renewTime"))
        .and_then(Value::as_str)
        .and_then(parse_timestamp)
        .map_or(now, |t| t + Duration::seconds(RENEW_INTERVAL_SECS))
}

/// The lease a kubelet keeps for its node.
pub fn new_lease(node: &Value, now: DateTime<Utc>) -> Value {
    let name = str_at(node, "/metadata/name");
    json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": name,
            "namespace": LEASE_NAMESPACE,
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name, "uid": str_at(node, "/metadata/uid")}]
        },
        "spec": {"holderIdentity": name, "leaseDurationSeconds": LEASE_DURATION_SECS, "renewTime": micro_time(now)}
    })
}

/// Renews (or creates) a node's lease; returns the lease as written.
pub fn renew(ctx: &Context, node: &Value, lease: Option<Value>) -> Result<Value, ApiError> {
    let leases = ctx.resource("leases")?;
    let name = str_at(node, "/metadata/name");
    match lease {
        Some(mut l) => {
            l["spec"]["holderIdentity"] = json!(name);
            l["spec"]["leaseDurationSeconds"] = json!(LEASE_DURATION_SECS);
            l["spec"]["renewTime"] = json!(micro_time(ctx.now));
            ctx.client.update(
                leases,
                Some(LEASE_NAMESPACE),
                name,
                l,
                &WriteOptions::default(),
            )
        }
        None => ctx.client.create(
            leases,
            Some(LEASE_NAMESPACE),
            new_lease(node, ctx.now),
            &WriteOptions::default(),
        ),
    }
}

/// The node's conditions if its status must be posted now, else None: posted when a
/// condition differs from what a healthy kubelet reports (the node controller set Unknown
/// while the kubelet was stopped), or when the last report is 5 minutes old.
pub fn status_update(node: &Value, now: DateTime<Utc>) -> Option<Value> {
    let old: Vec<Value> = node
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let find = |kind: &str| old.iter().find(|c| str_at(c, "/type") == kind);
    let changed = CONDITIONS.iter().any(|(kind, status, reason, _)| {
        find(kind)
            .is_none_or(|c| str_at(c, "/status") != *status || str_at(c, "/reason") != *reason)
    });
    let last_report = find("Ready")
        .and_then(|c| c.get("lastHeartbeatTime"))
        .and_then(Value::as_str)
        .and_then(parse_timestamp);
    let stale = last_report.is_none_or(|t| now >= t + Duration::seconds(STATUS_REPORT_SECS));
    if !changed && !stale {
        return None;
    }
    let ts = timestamp(now);
    let conditions: Vec<Value> = CONDITIONS
        .iter()
        .map(|(kind, status, reason, message)| {
            let since = find(kind)
                .filter(|c| str_at(c, "/status") == *status)
                .and_then(|c| c.get("lastTransitionTime").cloned())
                .unwrap_or(json!(ts));
            json!({"type": kind, "status": status, "lastHeartbeatTime": ts, "lastTransitionTime": since, "reason": reason, "message": message})
        })
        .collect();
    Some(Value::Array(conditions))
}

/// Whether the node's conditions are what a healthy kubelet reports.
pub fn healthy(node: &Value) -> bool {
    let conds = node.pointer("/status/conditions").and_then(Value::as_array);
    CONDITIONS.iter().all(|(kind, status, reason, _)| {
        conds
            .and_then(|cs| cs.iter().find(|c| str_at(c, "/type") == *kind))
            .is_some_and(|c| str_at(c, "/status") == *status && str_at(c, "/reason") == *reason)
    })
}

/// When the node's status must next be reported even if nothing changed.
pub fn status_due(node: &Value) -> Option<DateTime<Utc>> {
    node.pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| str_at(c, "/type") == "Ready"))
        .and_then(|c| c.get("lastHeartbeatTime"))
        .and_then(Value::as_str)
        .and_then(parse_timestamp)
        .map(|t| t + Duration::seconds(STATUS_REPORT_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        parse_timestamp(s).unwrap_or_default()
    }

    fn node(ready: &str, heartbeat: &str) -> Value {
        let conds: Vec<Value> = CONDITIONS
            .iter()
            .map(|(k, s, r, m)| {
                let (s, r) = if *k == "Ready" { (ready, if ready == "True" { *r } else { "NodeStatusUnknown" }) } else { (*s, *r) };
                json!({"type": k, "status": s, "lastHeartbeatTime": heartbeat, "lastTransitionTime": "2026-11-25T23:42:00Z", "reason": r, "message": m})
            })
            .collect();
        json!({"metadata": {"name": "node01", "uid": "n-1"}, "status": {"conditions": conds}})
    }

    #[test]
    fn a_healthy_status_is_reported_every_five_minutes() {
        let n = node("True", "2026-11-29T01:40:00Z");
        assert_eq!(status_update(&n, t("2026-11-29T01:44:59Z")), None);
        let c = status_update(&n, t("2026-11-29T01:45:00Z")).unwrap_or_default();
        assert_eq!(c[3]["lastHeartbeatTime"], "2026-11-29T01:45:00Z");
        // Unchanged conditions keep their transition time.
        assert_eq!(c[3]["lastTransitionTime"], "2026-11-25T23:42:00Z");
        assert_eq!(status_due(&n), Some(t("2026-11-29T01:45:00Z")));
    }

    #[test]
    fn an_unknown_node_is_made_ready_at_once() {
        let n = node("Unknown", "2026-11-29T01:40:00Z");
        let now = t("2026-11-29T01:40:30Z");
        assert!(!healthy(&n));
        assert!(healthy(&node("True", "2026-11-29T01:40:00Z")));
        let c = status_update(&n, now).unwrap_or_default();
        assert_eq!(c[3]["status"], "True");
        assert_eq!(c[3]["reason"], "KubeletReady");
        assert_eq!(c[3]["lastTransitionTime"], "2026-11-29T01:40:30Z");
        assert_eq!(c[0]["lastTransitionTime"], "2026-11-25T23:42:00Z");
    }

    #[test]
    fn leases_renew_every_ten_seconds() {
        let now = t("2026-11-29T01:42:16Z");
        let lease = new_lease(&json!({"metadata": {"name": "node01", "uid": "n-1"}}), now);
        assert_eq!(lease["spec"]["renewTime"], "2026-11-29T01:42:16.000000Z");
        assert_eq!(lease["spec"]["leaseDurationSeconds"], 40);
        assert_eq!(lease["metadata"]["ownerReferences"][0]["uid"], "n-1");
        assert_eq!(renewal_due(Some(&lease), now), now + Duration::seconds(10));
        assert_eq!(renewal_due(None, now), now);
    }
}
