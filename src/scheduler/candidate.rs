//! A pod the scheduler may place, and what scheduling reads of it.

use super::model::PodInfo;
use super::parse;
use crate::api::status::ApiError;
use crate::runtime::Context;
use serde_json::Value;

pub const SCHEDULER_NAME: &str = "default-scheduler";

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

pub fn terminal(pod: &Value) -> bool {
    matches!(text(pod, "/status/phase"), "Succeeded" | "Failed")
}

pub fn bound(pod: &Value) -> bool {
    !text(pod, "/spec/nodeName").is_empty()
}

/// A pod this scheduler should place: no node, not being deleted, not finished, ours, and
/// not held back by scheduling gates.
pub fn pending(pod: &Value) -> bool {
    let scheduler = text(pod, "/spec/schedulerName");
    !bound(pod)
        && pod.pointer("/metadata/deletionTimestamp").is_none()
        && !terminal(pod)
        && (scheduler.is_empty() || scheduler == SCHEDULER_NAME)
        && pod
            .pointer("/spec/schedulingGates")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
}

/// A pending pod in the queue: what scheduling reads of it, what its PodScheduled
/// condition says now, and the object itself when it is at hand (a retry of every pending
/// pod reads them a page at a time and keeps only this, reading a pod again to write it).
#[derive(Clone)]
pub(super) struct Candidate {
    pub(super) info: PodInfo,
    /// The message of an `Unschedulable` PodScheduled=False condition.
    pub(super) reported: Option<String>,
    pod: Option<Value>,
    /// The PersistentVolumeClaims it mounts (VolumeBinding reads them).
    pub(super) claims: Vec<String>,
}

impl Candidate {
    pub(super) fn new(pod: &Value, keep: bool) -> Candidate {
        let reported = pod
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .and_then(|cs| cs.iter().find(|c| text(c, "/type") == "PodScheduled"))
            .filter(|c| text(c, "/status") == "False" && text(c, "/reason") == "Unschedulable")
            .map(|c| text(c, "/message").to_string());
        Candidate {
            info: parse::pod(pod),
            reported,
            pod: keep.then(|| pod.clone()),
            claims: super::volumes::claims_of(pod),
        }
    }

    /// The pod as a list item, read again if it was not kept; None if it is gone or no
    /// longer pending.
    pub(super) fn object(&mut self, ctx: &Context) -> Result<Option<Value>, ApiError> {
        if let Some(pod) = self.pod.take() {
            return Ok(Some(pod));
        }
        let r = ctx.resource("pods")?;
        match ctx
            .client
            .get(r, Some(&self.info.namespace), &self.info.name)
        {
            Ok(mut pod) => {
                if let Some(m) = pod.as_object_mut() {
                    m.shift_remove("apiVersion");
                    m.shift_remove("kind");
                }
                Ok(pending(&pod).then_some(pod))
            }
            Err(e) if e.code == 404 => Ok(None),
            Err(e) => Err(e),
        }
    }
}
