//! What the kubelet does with one pod at one instant: run init containers to completion,
//! start the containers (pull, create, start), apply the restart policy with kube's
//! back-off, and compute the pod status a real kubelet would write. Pure: it returns the
//! events to record and the new status; the caller writes them.

use super::container::{Container, State, Terminated, str_at};
use super::runtime;
use super::simulation::Simulation;
use crate::clock::timestamp;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

/// kube's container restart back-off: 10 s, doubling, at most 5 min.
const BACKOFF_START_SECS: i64 = 10;
const BACKOFF_MAX_SECS: i64 = 300;
/// Bounds the start/exit/restart loop of one container in one sync.
const MAX_STEPS: usize = 8;

/// An event the kubelet wants recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub kind: &'static str,
    pub reason: &'static str,
    pub message: String,
    pub field_path: String,
}

/// Earlier failed pulls of one container: how many, and when the last one was.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PullHistory {
    pub attempts: u32,
    pub last: Option<DateTime<Utc>>,
}

/// What the sync needs to know besides the pod.
pub struct PodEnv<'a> {
    pub now: DateTime<Utc>,
    pub host_ip: &'a str,
    pub pod_ip: &'a str,
    /// Mirror pods get no events (kube records them on the static pod, not the mirror).
    pub record_events: bool,
    /// Failed pulls so far, by field path; asked only for containers in image back-off.
    pub pull_history: &'a dyn Fn(&str) -> PullHistory,
    /// The exit code the containers exit with right after they start, whatever the pod's
    /// annotations say (a static pod whose command line its process refuses).
    pub exits_at_start: Option<i64>,
}

/// The result of a sync.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub events: Vec<Planned>,
    pub status: Value,
    /// When this pod next needs the kubelet (a back-off running out).
    pub due: Option<DateTime<Utc>>,
}

/// The back-off after `n` earlier failures (n ≥ 1).
pub fn backoff(n: i64) -> Duration {
    let shift = (n - 1).clamp(0, 10) as u32;
    Duration::seconds((BACKOFF_START_SECS << shift).min(BACKOFF_MAX_SECS))
}

struct Run<'a> {
    env: &'a PodEnv<'a>,
    sim: Simulation,
    uid: String,
    /// `name_namespace(uid)`, as kubelet names pods in messages.
    pod_ref: String,
    restart_policy: String,
    events: Vec<Planned>,
    due: Option<DateTime<Utc>>,
    /// Images this sync pulled: a later container of the pod finds them present.
    pulled: Vec<String>,
}

impl Run<'_> {
    fn event(&mut self, kind: &'static str, reason: &'static str, message: String, fp: &str) {
        if self.env.record_events {
            self.events.push(Planned {
                kind,
                reason,
                message,
                field_path: fp.to_string(),
            });
        }
    }

    fn due_at(&mut self, t: DateTime<Utc>) {
        self.due = Some(self.due.map_or(t, |d| d.min(t)));
    }

    /// Tries to pull, create and start a container; false if it could not start now.
    fn start(&mut self, c: &mut Container, fp: &str, image_policy: &str) -> bool {
        let now = self.env.now;
        if c.is_waiting("ImagePullBackOff") || c.is_waiting("ErrImagePull") {
            let h = (self.env.pull_history)(fp);
            let retry = h.last.unwrap_or(now) + backoff(i64::from(h.attempts.max(1)));
            if c.is_waiting("ErrImagePull") || now < retry {
                if c.is_waiting("ErrImagePull") {
                    self.enter_pull_backoff(c, fp);
                }
                self.due_at(retry.max(now + backoff(1)));
                return false;
            }
        }
        let image = c.spec_image.clone();
        let present = runtime::prepulled(&image) || c.restarts > 0 || self.pulled.contains(&image);
        let must_pull = match image_policy {
            "Never" => false,
            "IfNotPresent" => !present || self.sim.pull_fails || runtime::missing(&image),
            _ => true,
        };
        if must_pull {
            self.event(
                "Normal",
                "Pulling",
                format!("Pulling image \"{image}\""),
                fp,
            );
            if self.sim.pull_fails || runtime::missing(&image) {
                let err = runtime::pull_error(&image);
                self.event(
                    "Warning",
                    "Failed",
                    format!("Failed to pull image \"{image}\": {err}"),
                    fp,
                );
                self.event("Warning", "Failed", "Error: ErrImagePull".into(), fp);
                c.state = State::Waiting {
                    reason: "ErrImagePull".into(),
                    message: Some(err),
                };
                let h = (self.env.pull_history)(fp);
                self.enter_pull_backoff(c, fp);
                self.due_at(now + backoff(i64::from(h.attempts) + 1));
                return false;
            }
            self.pulled.push(image.clone());
            let millis = runtime::pull_millis(&image, &format!("{}/{}", self.uid, c.name));
            self.event(
                "Normal",
                "Pulled",
                runtime::pulled_message(&image, millis),
                fp,
            );
        } else {
            self.event(
                "Normal",
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
                fp,
            );
        }
        let name = c.name.clone();
        self.event(
            "Normal",
            "Created",
            format!("Created container: {name}"),
            fp,
        );
        self.event("Normal", "Started", format!("Started container {name}"), fp);
        c.container_id = Some(runtime::container_id(&format!(
            "{}/{}/{}",
            self.uid, c.name, c.restarts
        )));
        c.state = State::Running { started: now };
        true
    }

    fn enter_pull_backoff(&mut self, c: &mut Container, fp: &str) {
        let image = c.spec_image.clone();
        let err = match &c.state {
            State::Waiting {
                message: Some(m), ..
            } if !m.starts_with("Back-off") => m.clone(),
            _ => runtime::pull_error(&image),
        };
        self.event(
            "Normal",
            "BackOff",
            format!("Back-off pulling image \"{image}\""),
            fp,
        );
        self.event("Warning", "Failed", "Error: ImagePullBackOff".into(), fp);
        c.state = State::Waiting {
            reason: "ImagePullBackOff".into(),
            message: Some(format!(
                "Back-off pulling image \"{image}\": ErrImagePull: {err}"
            )),
        };
    }

    fn terminate(&self, c: &mut Container, exit_code: i64, finished: DateTime<Utc>) {
        let started = match c.state {
            State::Running { started } => started,
            _ => self.env.now,
        };
        c.state = State::Terminated(Terminated {
            exit_code,
            reason: if exit_code == 0 { "Completed" } else { "Error" }.into(),
            started,
            finished,
            container_id: c.container_id.clone().unwrap_or_default(),
        });
        c.ready = false;
    }

    fn restarts_after(&self, exit_code: i64) -> bool {
        match self.restart_policy.as_str() {
            "Never" => false,
            "OnFailure" => exit_code != 0,
            _ => true,
        }
    }

    /// Drives an app container as far as it goes at `now`.
    fn step_app(&mut self, c: &mut Container, fp: &str, image_policy: &str) {
        for _ in 0..MAX_STEPS {
            match c.state.clone() {
                State::Running { started } => match (self.sim.exit_code, self.sim.run_seconds) {
                    (None, None) => break,
                    (code, Some(secs)) => {
                        // It exits when its run time is up, not when the kubelet looks.
                        let end = started + Duration::seconds(secs);
                        if self.env.now < end {
                            self.due_at(end);
                            break;
                        }
                        self.terminate(c, code.unwrap_or(0), end);
                    }
                    (Some(code), None) => self.terminate(c, code, self.env.now),
                },
                State::Terminated(t) => {
                    if !self.restarts_after(t.exit_code) {
                        break;
                    }
                    c.last = Some(t);
                    if !self.restart_when_due(c, fp, image_policy) {
                        break;
                    }
                }
                State::Waiting { reason, .. } if reason == "CrashLoopBackOff" => {
                    if !self.restart_when_due(c, fp, image_policy) {
                        break;
                    }
                }
                State::Waiting { .. } => {
                    if !self.start(c, fp, image_policy) {
                        break;
                    }
                }
            }
        }
        c.ready = c.is_running() && !self.sim.never_ready;
    }

    /// Restarts a container whose last run ended, now or once its back-off has passed
    /// (it waits in CrashLoopBackOff meanwhile). True if it started again.
    fn restart_when_due(&mut self, c: &mut Container, fp: &str, image_policy: &str) -> bool {
        let now = self.env.now;
        let finished = c.last.as_ref().map_or(now, |t| t.finished);
        // The first restart is immediate; kube's back-off applies from the second on.
        if c.restarts > 0 {
            let wait = backoff(c.restarts);
            let at = finished + wait;
            if now < at {
                if !c.is_waiting("CrashLoopBackOff") {
                    let name = c.name.clone();
                    self.event(
                        "Warning",
                        "BackOff",
                        format!(
                            "Back-off restarting failed container {name} in pod {}",
                            self.pod_ref
                        ),
                        fp,
                    );
                    c.state = State::Waiting {
                        reason: "CrashLoopBackOff".into(),
                        message: Some(format!(
                            "back-off {}s restarting failed container={name} pod={}",
                            wait.num_seconds(),
                            self.pod_ref
                        )),
                    };
                }
                self.due_at(at);
                return false;
            }
        }
        c.restarts += 1;
        c.state = State::Waiting {
            reason: "ContainerCreating".into(),
            message: None,
        };
        self.start(c, fp, image_policy)
    }
}

/// Runs a pod at `env.now`.
pub fn sync(pod: &Value, env: &PodEnv) -> Outcome {
    let name = str_at(pod, "/metadata/name");
    let namespace = str_at(pod, "/metadata/namespace");
    let uid = str_at(pod, "/metadata/uid").to_string();
    let mut run = Run {
        env,
        sim: {
            let mut sim = Simulation::of(pod);
            if let Some(code) = env.exits_at_start {
                sim.exit_code = Some(code);
                sim.run_seconds = None;
            }
            sim
        },
        pod_ref: format!("{name}_{namespace}({uid})"),
        uid,
        restart_policy: str_at(pod, "/spec/restartPolicy").to_string(),
        events: Vec::new(),
        due: None,
        pulled: Vec::new(),
    };
    let status = pod.get("status").cloned().unwrap_or(json!({}));
    let specs = |key: &str| -> Vec<Value> {
        pod.pointer(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let init_specs = specs("initContainers");
    let app_specs = specs("containers");

    let mut inits = containers(
        &init_specs,
        &status,
        "initContainerStatuses",
        "PodInitializing",
    );
    let mut init_done = true;
    for (c, spec) in inits.iter_mut().zip(&init_specs) {
        if c.terminated().is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        let fp = format!("spec.initContainers{{{}}}", c.name);
        if run.start(c, &fp, str_at(spec, "/imagePullPolicy")) {
            // Init containers run to completion at once.
            run.terminate(c, 0, env.now);
            c.ready = true;
        } else {
            init_done = false;
            break;
        }
    }
    let waiting = if inits.is_empty() || init_done {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    let mut apps = containers(&app_specs, &status, "containerStatuses", waiting);
    if init_done {
        for (c, spec) in apps.iter_mut().zip(&app_specs) {
            let fp = format!("spec.containers{{{}}}", c.name);
            run.step_app(c, &fp, str_at(spec, "/imagePullPolicy"));
        }
    }
    let phase = phase(init_done, &apps, &run);
    // Ephemeral containers (added through `pods/ephemeralcontainers`) start once in a
    // running pod and are never restarted.
    let ephemeral_specs = specs("ephemeralContainers");
    let mut ephemeral = containers(
        &ephemeral_specs,
        &status,
        "ephemeralContainerStatuses",
        "ContainerCreating",
    );
    if phase == "Running" {
        for (c, spec) in ephemeral.iter_mut().zip(&ephemeral_specs) {
            if !c.ever_created() {
                let fp = format!("spec.ephemeralContainers{{{}}}", c.name);
                run.start(c, &fp, str_at(spec, "/imagePullPolicy"));
            }
        }
    }
    let mut status = pod_status(pod, env, &phase, init_done, &inits, &apps);
    if !ephemeral.is_empty()
        && let Some(map) = status.as_object_mut()
    {
        // After qosClass, as in Go's PodStatus; kubelet's probes set no `started` here.
        let list = ephemeral
            .iter()
            .map(|c| {
                let mut s = c.to_status();
                if let Some(m) = s.as_object_mut() {
                    m.shift_remove("started");
                }
                s
            })
            .collect();
        map.insert("ephemeralContainerStatuses".into(), Value::Array(list));
    }
    Outcome {
        events: run.events,
        status,
        due: run.due,
    }
}

fn containers(specs: &[Value], status: &Value, key: &str, waiting: &str) -> Vec<Container> {
    let existing = status.get(key).and_then(Value::as_array);
    specs
        .iter()
        .map(|spec| {
            let name = str_at(spec, "/name");
            let found = existing.and_then(|list| list.iter().find(|s| str_at(s, "/name") == name));
            Container::from_status(spec, found, waiting)
        })
        .collect()
}

fn phase(init_done: bool, apps: &[Container], run: &Run) -> String {
    if !init_done {
        return "Pending".into();
    }
    if apps.iter().any(Container::is_running) {
        return "Running".into();
    }
    let finished: Vec<&Terminated> = apps.iter().filter_map(Container::terminated).collect();
    let all_done =
        finished.len() == apps.len() && finished.iter().all(|t| !run.restarts_after(t.exit_code));
    if all_done && !apps.is_empty() {
        return if finished.iter().all(|t| t.exit_code == 0) {
            "Succeeded".into()
        } else {
            "Failed".into()
        };
    }
    if apps.iter().any(Container::ever_created) {
        "Running".into()
    } else {
        "Pending".into()
    }
}

/// The pod status as kubelet writes it, fields in Go's `PodStatus` order.
fn pod_status(
    pod: &Value,
    env: &PodEnv,
    phase: &str,
    init_done: bool,
    inits: &[Container],
    apps: &[Container],
) -> Value {
    let old = pod.get("status").cloned().unwrap_or(json!({}));
    let now = timestamp(env.now);
    let start_time = old
        .get("startTime")
        .and_then(Value::as_str)
        .map_or(now.clone(), str::to_string);
    let terminal = phase == "Succeeded" || phase == "Failed";
    let names = |cs: &[&Container]| {
        let list: Vec<&str> = cs.iter().map(|c| c.name.as_str()).collect();
        format!("[{}]", list.join(" "))
    };
    let unready: Vec<&Container> = apps.iter().filter(|c| !c.ready).collect();
    let pending_inits: Vec<&Container> = inits
        .iter()
        .filter(|c| c.terminated().is_none_or(|t| t.exit_code != 0))
        .collect();
    let ready = if terminal {
        Cond::no("PodCompleted", None)
    } else if unready.is_empty() {
        Cond::yes()
    } else {
        Cond::no(
            "ContainersNotReady",
            Some(format!(
                "containers with unready status: {}",
                names(&unready)
            )),
        )
    };
    let initialized = if init_done || terminal {
        if terminal && !init_done {
            Cond::no("PodCompleted", None)
        } else {
            Cond::yes()
        }
    } else {
        Cond::no(
            "ContainersNotInitialized",
            Some(format!(
                "containers with incomplete status: {}",
                names(&pending_inits)
            )),
        )
    };
    let sandbox = if terminal {
        Cond::no_plain()
    } else {
        Cond::yes()
    };
    let scheduled_time = old
        .get("conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| str_at(c, "/type") == "PodScheduled"))
        .and_then(|c| c.get("lastTransitionTime").cloned())
        .unwrap_or(json!(start_time));
    let conditions = vec![
        sandbox.render("PodReadyToStartContainers", &old, &now),
        initialized.render("Initialized", &old, &now),
        ready.render("Ready", &old, &now),
        ready.render("ContainersReady", &old, &now),
        json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": scheduled_time}),
    ];
    let mut s = Map::new();
    s.insert("phase".into(), json!(phase));
    s.insert("conditions".into(), Value::Array(conditions));
    if let Some(n) = old.get("nominatedNodeName") {
        s.insert("nominatedNodeName".into(), n.clone());
    }
    s.insert("hostIP".into(), json!(env.host_ip));
    s.insert("hostIPs".into(), json!([{"ip": env.host_ip}]));
    if !env.pod_ip.is_empty() {
        s.insert("podIP".into(), json!(env.pod_ip));
        s.insert("podIPs".into(), json!([{"ip": env.pod_ip}]));
    }
    s.insert("startTime".into(), json!(start_time));
    if !inits.is_empty() {
        s.insert(
            "initContainerStatuses".into(),
            Value::Array(inits.iter().map(Container::to_status).collect()),
        );
    }
    s.insert(
        "containerStatuses".into(),
        Value::Array(apps.iter().map(Container::to_status).collect()),
    );
    if let Some(q) = old.get("qosClass") {
        s.insert("qosClass".into(), q.clone());
    }
    Value::Object(s)
}

/// A condition's value before its times are settled.
struct Cond {
    status: &'static str,
    reason: Option<&'static str>,
    message: Option<String>,
}

impl Cond {
    fn yes() -> Cond {
        Cond {
            status: "True",
            reason: None,
            message: None,
        }
    }

    fn no(reason: &'static str, message: Option<String>) -> Cond {
        Cond {
            status: "False",
            reason: Some(reason),
            message,
        }
    }

    fn no_plain() -> Cond {
        Cond {
            status: "False",
            reason: None,
            message: None,
        }
    }

    /// The condition, keeping its transition time when its status did not change.
    fn render(&self, kind: &str, old_status: &Value, now: &str) -> Value {
        let old = old_status
            .get("conditions")
            .and_then(Value::as_array)
            .and_then(|cs| cs.iter().find(|c| str_at(c, "/type") == kind));
        let since = match old {
            Some(c) if str_at(c, "/status") == self.status => {
                c.get("lastTransitionTime").cloned().unwrap_or(json!(now))
            }
            _ => json!(now),
        };
        let mut c = json!({"type": kind, "status": self.status, "lastProbeTime": null, "lastTransitionTime": since});
        if let Some(r) = self.reason {
            c["reason"] = json!(r);
        }
        if let Some(m) = &self.message {
            c["message"] = json!(m);
        }
        c
    }
}

/// The Killing events of a pod being stopped: one per running container.
pub fn stop_events(pod: &Value) -> Vec<Planned> {
    let mut out = Vec::new();
    for (key, spec_key) in [
        ("initContainerStatuses", "initContainers"),
        ("containerStatuses", "containers"),
        ("ephemeralContainerStatuses", "ephemeralContainers"),
    ] {
        let Some(list) = pod
            .pointer(&format!("/status/{key}"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        for s in list
            .iter()
            .filter(|s| s.pointer("/state/running").is_some())
        {
            let name = str_at(s, "/name");
            out.push(Planned {
                kind: "Normal",
                reason: "Killing",
                message: format!("Stopping container {name}"),
                field_path: format!("spec.{spec_key}{{{name}}}"),
            });
        }
    }
    out
}

#[cfg(test)]
#[path = "pod_tests.rs"]
mod tests;
