//! The periodic retry of pods that fit nowhere: kube-scheduler moves a pod that stayed
//! unschedulable for 5 minutes back to its active queue (podMaxInUnschedulablePodsDuration)
//! and tries it again, recording another `FailedScheduling` even when nothing changed; the
//! repeats fold into the event's series, which `describe` prints as `(x4 over 20m)`.
//!
//! The time of each pod's last attempt is kept between passes; a pod first seen in this
//! process (the CLI runs one per command) takes it from its last FailedScheduling event.

use crate::api::options::{ListOptions, WatchEvent};
use crate::api::status::ApiError;
use crate::runtime::Context;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// How long a pod stays unschedulable before it is tried again regardless.
pub const UNSCHEDULABLE_FLUSH: Duration = Duration::minutes(5);

#[derive(Default)]
pub struct Retries {
    last_attempt: HashMap<(String, String), DateTime<Utc>>,
    /// Whether a pass has looked at every pending pod since this process started.
    primed: bool,
}

fn key(namespace: &str, name: &str) -> (String, String) {
    (namespace.to_string(), name.to_string())
}

impl Retries {
    /// Forgets pods that were deleted or are no longer waiting for a node.
    pub fn apply(&mut self, events: &[WatchEvent], still_pending: fn(&Value) -> bool) {
        for e in events {
            if e.kind == "DELETED" || !still_pending(&e.object) {
                let text = |p: &str| e.object.pointer(p).and_then(Value::as_str).unwrap_or("");
                self.last_attempt
                    .remove(&key(text("/metadata/namespace"), text("/metadata/name")));
            }
        }
    }

    /// Forgets every pod but these (a full resync's pending pods).
    pub fn keep_only(&mut self, pending: &HashSet<(String, String)>) {
        self.last_attempt.retain(|k, _| pending.contains(k));
    }

    /// Whether some pod is due for its periodic retry at `now`, or may be: a process that
    /// just started does not know when the pods were last tried (their events do).
    pub fn any_due(&self, now: DateTime<Utc>) -> bool {
        !self.primed || self.next_due().is_some_and(|d| d <= now)
    }

    /// Every pending pod was looked at.
    pub fn primed(&mut self) {
        self.primed = true;
    }

    /// When the next pod is due.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.last_attempt
            .values()
            .min()
            .map(|t| *t + UNSCHEDULABLE_FLUSH)
    }

    /// A failed attempt at `now`.
    pub fn attempted(&mut self, namespace: &str, name: &str, now: DateTime<Utc>) {
        self.last_attempt.insert(key(namespace, name), now);
    }

    pub fn forget(&mut self, namespace: &str, name: &str) {
        self.last_attempt.remove(&key(namespace, name));
    }

    /// Whether a pod that fails again for the same reason is due for a recorded retry;
    /// a pod not seen before takes its last attempt from its events.
    pub fn due(&mut self, ctx: &Context, pod: &Value) -> Result<bool, ApiError> {
        let text = |p: &str| pod.pointer(p).and_then(Value::as_str).unwrap_or("");
        let k = key(text("/metadata/namespace"), text("/metadata/name"));
        let last = match self.last_attempt.get(&k) {
            Some(t) => *t,
            None => {
                let t = last_failure(ctx, pod)?.unwrap_or(ctx.now);
                self.last_attempt.insert(k, t);
                t
            }
        };
        Ok(ctx.now >= last + UNSCHEDULABLE_FLUSH)
    }
}

/// When the pod's last FailedScheduling was observed, from its events.
fn last_failure(ctx: &Context, pod: &Value) -> Result<Option<DateTime<Utc>>, ApiError> {
    let text = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let opts = ListOptions {
        name_prefix: Some(format!("{}.", text(pod, "/metadata/name"))),
        ..Default::default()
    };
    let uid = text(pod, "/metadata/uid");
    let events = ctx.list("events", Some(&text(pod, "/metadata/namespace")), &opts)?;
    Ok(events
        .iter()
        .filter(|e| {
            text(e, "/involvedObject/uid") == uid && text(e, "/reason") == "FailedScheduling"
        })
        .filter_map(|e| {
            ["/series/lastObservedTime", "/eventTime", "/lastTimestamp"]
                .iter()
                .find_map(|p| DateTime::parse_from_rfc3339(&text(e, p)).ok())
        })
        .map(|t| t.with_timezone(&Utc))
        .max())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn due_five_minutes_after_the_last_attempt_until_bound() {
        let mut r = Retries::default();
        assert_eq!(r.next_due(), None);
        assert!(r.any_due(at("2026-11-29T01:00:00Z")));
        r.primed();
        r.attempted("default", "a", at("2026-11-29T01:00:00Z"));
        r.attempted("default", "b", at("2026-11-29T01:02:00Z"));
        assert_eq!(r.next_due(), Some(at("2026-11-29T01:05:00Z")));
        assert!(!r.any_due(at("2026-11-29T01:04:59Z")));
        assert!(r.any_due(at("2026-11-29T01:05:00Z")));
        let bound = WatchEvent {
            kind: "MODIFIED",
            object: json!({"metadata": {"namespace": "default", "name": "a"}, "spec": {"nodeName": "n"}}),
        };
        r.apply(&[bound], |p| p.pointer("/spec/nodeName").is_none());
        assert_eq!(r.next_due(), Some(at("2026-11-29T01:07:00Z")));
    }
}
