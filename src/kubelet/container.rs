//! One container as the kubelet tracks it, read from and written back to a pod's
//! `containerStatuses` (so no state lives outside the API object).

use crate::clock::{parse_timestamp, timestamp};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// How a container ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Terminated {
    pub exit_code: i64,
    pub reason: String,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub container_id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running {
        started: DateTime<Utc>,
    },
    Terminated(Terminated),
}

/// A container's status.
#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    pub name: String,
    /// The image of the spec (what a waiting container reports).
    pub spec_image: String,
    pub state: State,
    pub last: Option<Terminated>,
    pub restarts: i64,
    /// The id of the current (or last) container instance, once one was created.
    pub container_id: Option<String>,
    pub ready: bool,
    /// The spec's `volumeMounts`, reported back in the status.
    pub mounts: Vec<Value>,
}

impl Container {
    /// A container the runtime has not created yet.
    pub fn new(spec: &Value, waiting_reason: &str) -> Container {
        Container {
            name: str_at(spec, "/name").to_string(),
            spec_image: str_at(spec, "/image").to_string(),
            state: State::Waiting {
                reason: waiting_reason.to_string(),
                message: None,
            },
            last: None,
            restarts: 0,
            container_id: None,
            ready: false,
            mounts: spec
                .get("volumeMounts")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// The container as the existing status describes it, or a new one.
    pub fn from_status(spec: &Value, status: Option<&Value>, waiting_reason: &str) -> Container {
        let mut c = Container::new(spec, waiting_reason);
        let Some(s) = status else {
            return c;
        };
        if let Some(state) = s.get("state").and_then(parse_state) {
            c.state = state;
        }
        c.last = s
            .pointer("/lastState/terminated")
            .and_then(parse_terminated);
        c.restarts = s.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
        c.container_id = s
            .get("containerID")
            .and_then(Value::as_str)
            .map(str::to_string);
        c.ready = s.get("ready").and_then(Value::as_bool).unwrap_or(false);
        c
    }

    pub fn is_waiting(&self, reason: &str) -> bool {
        matches!(&self.state, State::Waiting { reason: r, .. } if r == reason)
    }

    pub fn is_running(&self) -> bool {
        matches!(self.state, State::Running { .. })
    }

    pub fn terminated(&self) -> Option<&Terminated> {
        match &self.state {
            State::Terminated(t) => Some(t),
            _ => None,
        }
    }

    /// Whether an instance of this container was ever created.
    pub fn ever_created(&self) -> bool {
        self.container_id.is_some()
    }

    /// The status entry, with fields in the order of Go's `ContainerStatus`.
    pub fn to_status(&self) -> Value {
        let created = self.ever_created();
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        m.insert("state".into(), state_json(&self.state));
        m.insert(
            "lastState".into(),
            match &self.last {
                Some(t) => json!({"terminated": terminated_json(t)}),
                None => json!({}),
            },
        );
        m.insert("ready".into(), json!(self.ready));
        m.insert("restartCount".into(), json!(self.restarts));
        if created {
            m.insert(
                "image".into(),
                json!(super::runtime::normalize_image(&self.spec_image)),
            );
            m.insert(
                "imageID".into(),
                json!(super::runtime::image_id(&self.spec_image)),
            );
        } else {
            m.insert("image".into(), json!(self.spec_image));
            m.insert("imageID".into(), json!(""));
        }
        if let Some(id) = &self.container_id {
            m.insert("containerID".into(), json!(id));
        }
        m.insert("started".into(), json!(self.is_running()));
        let mounts: Vec<Value> = self.mounts.iter().map(status_mount).collect();
        if !mounts.is_empty() {
            m.insert("volumeMounts".into(), Value::Array(mounts));
        }
        Value::Object(m)
    }
}

/// A mount as the status reports it: read-only mounts say so and that they are not
/// recursively read-only.
fn status_mount(spec: &Value) -> Value {
    let mut m = Map::new();
    m.insert(
        "name".into(),
        spec.get("name").cloned().unwrap_or(json!("")),
    );
    m.insert(
        "mountPath".into(),
        spec.get("mountPath").cloned().unwrap_or(json!("")),
    );
    if spec.get("readOnly").and_then(Value::as_bool) == Some(true) {
        m.insert("readOnly".into(), json!(true));
        m.insert("recursiveReadOnly".into(), json!("Disabled"));
    }
    Value::Object(m)
}

fn state_json(state: &State) -> Value {
    match state {
        State::Waiting { reason, message } => {
            let mut w = json!({"reason": reason});
            if let Some(msg) = message {
                w["message"] = json!(msg);
            }
            json!({"waiting": w})
        }
        State::Running { started } => json!({"running": {"startedAt": timestamp(*started)}}),
        State::Terminated(t) => json!({"terminated": terminated_json(t)}),
    }
}

fn terminated_json(t: &Terminated) -> Value {
    json!({
        "exitCode": t.exit_code,
        "reason": t.reason,
        "startedAt": timestamp(t.started),
        "finishedAt": timestamp(t.finished),
        "containerID": t.container_id,
    })
}

fn parse_state(v: &Value) -> Option<State> {
    if let Some(w) = v.get("waiting") {
        return Some(State::Waiting {
            reason: str_at(w, "/reason").to_string(),
            message: w.get("message").and_then(Value::as_str).map(str::to_string),
        });
    }
    if let Some(r) = v.get("running") {
        let started = r
            .get("startedAt")
            .and_then(Value::as_str)
            .and_then(parse_timestamp)?;
        return Some(State::Running { started });
    }
    v.get("terminated")
        .and_then(parse_terminated)
        .map(State::Terminated)
}

fn parse_terminated(t: &Value) -> Option<Terminated> {
    let time = |k: &str| t.get(k).and_then(Value::as_str).and_then(parse_timestamp);
    Some(Terminated {
        exit_code: t.get("exitCode").and_then(Value::as_i64).unwrap_or(0),
        reason: str_at(t, "/reason").to_string(),
        started: time("startedAt")?,
        finished: time("finishedAt")?,
        container_id: str_at(t, "/containerID").to_string(),
    })
}

pub fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips() {
        let spec = json!({"name": "nginx", "image": "nginx", "volumeMounts": [
            {"name": "kube-api-access-x", "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"},
            {"name": "data", "mountPath": "/data"}
        ]});
        let t = parse_timestamp("2026-11-29T01:27:15Z").unwrap_or_default();
        let mut c = Container::new(&spec, "ContainerCreating");
        c.state = State::Running { started: t };
        c.container_id = Some("containerd://abc".into());
        c.ready = true;
        let status = c.to_status();
        assert_eq!(status["image"], "docker.io/library/nginx:latest");
        assert_eq!(status["started"], true);
        assert_eq!(
            status["volumeMounts"][0],
            json!({"name": "kube-api-access-x", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true, "recursiveReadOnly": "Disabled"})
        );
        assert_eq!(
            status["volumeMounts"][1],
            json!({"name": "data", "mountPath": "/data"})
        );
        let back = Container::from_status(&spec, Some(&status), "ContainerCreating");
        assert_eq!(back, c);
    }

    #[test]
    fn a_new_container_reports_the_spec_image_and_no_id() {
        let c = Container::new(&json!({"name": "a", "image": "nginx"}), "ContainerCreating");
        let s = c.to_status();
        assert_eq!(s["image"], "nginx");
        assert_eq!(s["imageID"], "");
        assert!(s.get("containerID").is_none());
        assert!(s.get("volumeMounts").is_none());
        assert_eq!(
            s["state"],
            json!({"waiting": {"reason": "ContainerCreating"}})
        );
    }
}
