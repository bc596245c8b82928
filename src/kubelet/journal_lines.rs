//! What the kubelet of a node writes to its journal about the things it did, in klog's
//! structured form: each event it recorded (client-go's recorder logs it as "Event
//! occurred" while it sends it) and its node's registration. `journalctl -u kubelet` shows
//! these beside the entries the journal file keeps (stops, starts, manifest errors), so it
//! says what `kubectl get events` says, from the node's side. (A real kubelet logs its
//! events at verbosity 3; kubelite's node journal shows them, as if it ran with `--v=3`,
//! since they are what a learner looks there for.)

use super::static_files::{klog, quoted};
use crate::api::json::str_at;
use crate::nodefs::kubelet_pid;
use chrono::{DateTime, Utc};
use serde_json::Value;

fn time(v: &Value, pointer: &str) -> Option<DateTime<Utc>> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(crate::clock::parse_timestamp)
}

/// Whether `event` was recorded by `node`'s kubelet.
pub fn is_kubelets(event: &Value, node: &str) -> bool {
    (str_at(event, "/source/component") == "kubelet" && str_at(event, "/source/host") == node)
        || (str_at(event, "/reportingComponent") == "kubelet"
            && str_at(event, "/reportingInstance") == node)
}

/// The recorder's line for `event` at each time it happened that the event still tells
/// (its first and, for a repeated one, its last occurrence).
pub fn event_occurred(event: &Value, node: &str) -> Vec<(DateTime<Utc>, String)> {
    let first = time(event, "/firstTimestamp").or_else(|| time(event, "/eventTime"));
    let last = time(event, "/lastTimestamp");
    let Some(first) = first.or(last) else {
        return Vec::new();
    };
    let namespace = str_at(event, "/involvedObject/namespace");
    let name = str_at(event, "/involvedObject/name");
    // klog.KRef: `namespace/name`, or the name alone for a cluster-scoped object.
    let object = if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    };
    let msg = format!(
        "\"Event occurred\" object={} fieldPath={} kind={} apiVersion={} type={} reason={} message={}",
        quoted(&object),
        quoted(str_at(event, "/involvedObject/fieldPath")),
        quoted(str_at(event, "/involvedObject/kind")),
        quoted(str_at(event, "/involvedObject/apiVersion")),
        quoted(str_at(event, "/type")),
        quoted(str_at(event, "/reason")),
        quoted(str_at(event, "/message")),
    );
    let pid = kubelet_pid(node);
    let mut lines = vec![(first, klog('I', first, pid, "event.go:389", &msg))];
    let repeated = event.pointer("/count").and_then(Value::as_i64).unwrap_or(1) > 1;
    if let Some(last) = last.filter(|l| repeated && *l > first) {
        lines.push((last, klog('I', last, pid, "event.go:389", &msg)));
    }
    lines
}

/// The kubelet's lines when it registered `node` with the API server (the Node's creation).
pub fn registration(node: &Value) -> Vec<(DateTime<Utc>, String)> {
    let name = str_at(node, "/metadata/name");
    let Some(at) = time(node, "/metadata/creationTimestamp") else {
        return Vec::new();
    };
    let pid = kubelet_pid(name);
    let node_ref = format!("node={}", quoted(name));
    vec![
        (
            at,
            klog(
                'I',
                at,
                pid,
                "kubelet_node_status.go:75",
                &format!("\"Attempting to register node\" {node_ref}"),
            ),
        ),
        (
            at,
            klog(
                'I',
                at,
                pid,
                "kubelet_node_status.go:78",
                &format!("\"Successfully registered node\" {node_ref}"),
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_event_is_the_recorders_structured_line() {
        let event = json!({
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web",
                "apiVersion": "v1", "fieldPath": "spec.containers{web}"},
            "reason": "Pulling", "message": "Pulling image \"nginx\"", "type": "Normal",
            "source": {"component": "kubelet", "host": "node01"},
            "firstTimestamp": "2026-12-07T08:00:01Z", "lastTimestamp": "2026-12-07T08:00:01Z",
            "count": 1,
        });
        assert!(is_kubelets(&event, "node01"));
        assert!(!is_kubelets(&event, "node02"));
        let lines = event_occurred(&event, "node01");
        assert_eq!(lines.len(), 1);
        let want = format!(
            "I1207 08:00:01.000000 {:>7} event.go:389] \"Event occurred\" object=\"default/web\" fieldPath=\"spec.containers{{web}}\" kind=\"Pod\" apiVersion=\"v1\" type=\"Normal\" reason=\"Pulling\" message=\"Pulling image \\\"nginx\\\"\"",
            kubelet_pid("node01")
        );
        assert_eq!(lines[0].1, want);
        let mut again = event;
        again["count"] = json!(3);
        again["lastTimestamp"] = json!("2026-12-07T08:05:00Z");
        assert_eq!(event_occurred(&again, "node01").len(), 2);
    }
}
