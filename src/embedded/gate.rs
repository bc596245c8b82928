//! The control-plane components follow their static pods, as on a kubeadm node: the
//! scheduler runs only while a `kube-scheduler` mirror pod's container runs, the controllers
//! only while a `kube-controller-manager` one's does, each with the flags that pod's command
//! carries. A manifest that is gone or broken, a wrong image, a flag that does not parse:
//! the component is not running, and new pods stay Pending (no scheduler) or Deployments get
//! no ReplicaSets (no controller manager) until the file is fixed.
//!
//! A component that starts again (its pod is back, or was recreated with new flags) starts
//! afresh and reads everything, as a restarted process lists before it watches.

use crate::api::options::ListOptions;
use crate::api::status::ApiError;
use crate::apiserver::project::Keep;
use crate::runtime::{Component, Context, sync_from_start};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A control-plane component's running pod: its command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    pub command: Vec<String>,
}

/// The control-plane pods as one pass saw them, shared by every gated component (one list
/// a pass, not one per controller).
///
/// The pods are listed once and then caught up from the change log at each pass, as an
/// informer keeps its list: a pass of a settle must not decode kube-system's pods again
/// when none of them changed.
#[derive(Default)]
pub struct Seen {
    /// The cluster's home: whether its kubelet makes the mirror pods from files.
    home: Option<std::path::PathBuf>,
    at: Option<(u64, DateTime<Utc>, i64)>,
    /// The control-plane mirror pods by name, as of a revision (`None` until first listed).
    kept: Option<Kept>,
    /// Per component: its running pod, or `None` when its pods exist and none runs.
    pods: BTreeMap<String, Option<Running>>,
    follows_files: bool,
}

/// kube-system's control-plane mirror pods as of `revision`: per pod name (the store's
/// order, as a list hands them out), its component and what it runs.
struct Kept {
    revision: i64,
    mirrors: BTreeMap<String, (String, Option<Running>)>,
}

impl Seen {
    pub fn new(home: &std::path::Path) -> Self {
        Seen {
            home: Some(home.to_path_buf()),
            ..Seen::default()
        }
    }
}

/// Whether `component` runs: a mirror pod of it runs (or was just made and not yet
/// started). With no mirror pod at all it runs unless the kubelet makes the mirror pods from
/// files (then the file is gone or broken); a new cluster's first pass, before the kubelet
/// made any, runs everything, as kubeadm init starts the control plane before anything else.
pub(super) fn running(
    seen: &RefCell<Seen>,
    ctx: &Context,
    component: &str,
) -> Result<Option<Running>, ApiError> {
    let key = (ctx.pass, ctx.now, ctx.since);
    if seen.borrow().at != Some(key) {
        let mut s = seen.borrow_mut();
        let kept = match s.kept.take() {
            // A full resync reads everything afresh.
            Some(kept) if ctx.since != 0 => catch_up(ctx, kept)?,
            _ => None,
        };
        let kept = match kept {
            Some(kept) => kept,
            None => list_mirrors(ctx)?,
        };
        let mut map: BTreeMap<String, Option<Running>> = BTreeMap::new();
        for (name, r) in kept.mirrors.values() {
            let slot = map.entry(name.clone()).or_insert(None);
            if slot.is_none() {
                *slot = r.clone();
            }
        }
        s.kept = Some(kept);
        s.follows_files = s
            .home
            .as_deref()
            .is_some_and(crate::kubelet::static_pods::follows_files);
        s.pods = map;
        s.at = Some(key);
    }
    let s = seen.borrow();
    Ok(match s.pods.get(component) {
        Some(r) => r.clone(),
        None if s.follows_files => None,
        None => Some(Running {
            command: Vec::new(),
        }),
    })
}

/// The namespace of the control-plane pods.
const NAMESPACE: &str = "kube-system";

/// What `pod_state` reads of a pod: a list decodes no more of each mirror pod than that
/// (their specs and statuses are big, and every one-shot command lists them once).
pub(super) static MIRROR_STATE: Keep = Keep::Fields(&[
    (
        "metadata",
        Keep::Fields(&[
            ("name", Keep::All),
            ("labels", Keep::All),
            ("annotations", Keep::All),
        ]),
    ),
    (
        "spec",
        Keep::Fields(&[(
            "containers",
            Keep::Fields(&[
                ("name", Keep::All),
                ("command", Keep::All),
                ("args", Keep::All),
            ]),
        )]),
    ),
    (
        "status",
        Keep::Fields(&[
            ("phase", Keep::All),
            (
                "containerStatuses",
                Keep::Fields(&[("name", Keep::All), ("state", Keep::All)]),
            ),
        ]),
    ),
]);

/// kube-system's control-plane pods, listed.
fn list_mirrors(ctx: &Context) -> Result<Kept, ApiError> {
    let opts = ListOptions {
        label_selector: Some("tier=control-plane".to_string()),
        ..Default::default()
    };
    let mut mirrors = BTreeMap::new();
    let keep = Some(&MIRROR_STATE);
    let revision = ctx.list_pages("pods", Some(NAMESPACE), &opts, keep, &mut |page| {
        for p in &page {
            if let Some(state) = pod_state(p) {
                mirrors.insert(pod_name(p), state);
            }
        }
        Ok(())
    })?;
    Ok(Kept { revision, mirrors })
}

/// `kept` brought to the cluster's current state from the change log of kube-system's pods;
/// `None` when that history is compacted away (the pods are listed again).
fn catch_up(ctx: &Context, mut kept: Kept) -> Result<Option<Kept>, ApiError> {
    let r = ctx.resource("pods")?;
    // Every pod of the namespace: one that loses its tier label leaves the list, which a
    // watch filtered by the label would not say.
    let (events, last) =
        match ctx
            .client
            .watch(r, Some(NAMESPACE), &ListOptions::default(), kept.revision)
        {
            Ok(read) => read,
            Err(e) if e.code == 410 => return Ok(None),
            Err(e) => return Err(e),
        };
    for event in events.iter() {
        let name = pod_name(&event.object);
        let state = match event.kind {
            "DELETED" => None,
            _ => Some(&event.object)
                .filter(|p| is_control_plane(p))
                .and_then(pod_state),
        };
        match state {
            Some(state) => kept.mirrors.insert(name, state),
            None => kept.mirrors.remove(&name),
        };
    }
    kept.revision = kept.revision.max(last);
    Ok(Some(kept))
}

/// A pod's name.
fn pod_name(p: &Value) -> String {
    crate::api::json::str_at(p, "/metadata/name").to_string()
}

/// Whether a pod is one the list's `tier=control-plane` selector picks.
fn is_control_plane(p: &Value) -> bool {
    p.pointer("/metadata/labels/tier").and_then(Value::as_str) == Some("control-plane")
}

/// A mirror pod's component, and what it runs if its container runs (or has not been
/// started yet).
pub(super) fn pod_state(p: &Value) -> Option<(String, Option<Running>)> {
    let (component, command) = crate::api::pod::mirror_component(p)?;
    Some((component, command.map(|command| Running { command })))
}

/// What of a command line the component depends on (its settings, as text); `None` when
/// the command line stops the process at start (a flag that does not parse). A pod whose
/// command line says the same keeps the component running as it is.
pub type Settings = Rc<dyn Fn(&[String]) -> Option<String>>;
/// Makes the component from the command line of its pod.
pub type Make = Rc<dyn Fn(&[String]) -> Option<Box<dyn Component>>>;

/// A component that runs only while its static pod runs.
pub struct Gated {
    name: &'static str,
    /// The static pod's component label (`kube-scheduler`).
    pod: &'static str,
    seen: Rc<RefCell<Seen>>,
    settings: Settings,
    make: Make,
    /// The running component and the settings it was started with.
    inner: Option<(String, Box<dyn Component>)>,
    /// Whether it was seen not running in this process (it starts afresh when it runs).
    stopped: bool,
}

impl Gated {
    pub fn new(
        name: &'static str,
        pod: &'static str,
        seen: Rc<RefCell<Seen>>,
        settings: Settings,
        make: Make,
    ) -> Self {
        Gated {
            name,
            pod,
            seen,
            settings,
            make,
            inner: None,
            stopped: false,
        }
    }

    fn stop(&mut self) -> Result<bool, ApiError> {
        self.inner = None;
        self.stopped = true;
        Ok(false)
    }
}

impl Component for Gated {
    fn name(&self) -> &'static str {
        self.name
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let Some(pod) = running(&self.seen, ctx, self.pod)? else {
            return self.stop();
        };
        let Some(settings) = (self.settings)(&pod.command) else {
            return self.stop();
        };
        let current = self.inner.as_ref().map(|(s, _)| s.clone());
        if current.as_deref() != Some(settings.as_str()) {
            // Back after a stop, or restarted with other flags: a new process, which lists
            // everything. The first start in this process carries on from the checkpoint.
            let fresh = self.stopped || current.is_some();
            let Some(component) = (self.make)(&pod.command) else {
                return self.stop();
            };
            self.inner = Some((settings, component));
            self.stopped = false;
            if fresh && ctx.since != 0 {
                return match self.inner.as_mut() {
                    Some((_, c)) => sync_from_start(c.as_mut(), ctx),
                    None => Ok(false),
                };
            }
        }
        match self.inner.as_mut() {
            Some((_, c)) => c.sync(ctx),
            None => Ok(false),
        }
    }

    fn next_due(&self) -> Option<DateTime<Utc>> {
        self.inner.as_ref().and_then(|(_, c)| c.next_due())
    }

    fn resync_next(&self) -> bool {
        self.inner.as_ref().is_none_or(|(_, c)| c.resync_next())
    }
}
