//! The kubelets, one per Node, and the simulated container runtime.
//!
//! Each running kubelet heartbeats (its Lease in `kube-node-lease`, its Node's conditions),
//! runs the pods bound to its node (image pull, create, start, restart policy with kube's
//! back-off; see [`simulation`] for the annotations that make containers exit, fail or stay
//! unready), stops pods being deleted, and keeps the control-plane node's mirror pods.
//! A node annotated `kubelite.io/kubelet: stopped` has a stopped kubelet that does nothing
//! ([`set_running`]).
//!
//! No state survives a command except in API objects: container states live in the pods'
//! statuses, and the instant a pod's back-off runs out is noted on the node's Lease
//! (annotation `kubelite.io/pods-due`) so the next command knows which node to look at.

mod container;
mod events;
pub mod exec;
mod heartbeat;
mod ips;
pub mod journal_lines;
mod logs;
mod mirror;
pub mod offline;
mod pod;
mod runtime;
pub mod simulation;
mod static_files;
pub mod static_pods;

pub use logs::{LogOptions, logs};

use crate::api::options::{DeleteOptions, ListOptions, PatchType, WriteOptions};
use crate::api::status::ApiError;
use crate::apiserver::project::Keep;
use crate::client::Client;
use crate::clock::parse_timestamp;
use crate::runtime::{Component, Context};
use chrono::{DateTime, SecondsFormat, Utc};
use container::str_at;
use heartbeat::LEASE_NAMESPACE;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The Node annotation that stops a node's kubelet.
pub const STATE_ANNOTATION: &str = "kubelite.io/kubelet";
/// The Lease annotation noting when a pod of the node next needs its kubelet.
const PODS_DUE_ANNOTATION: &str = "kubelite.io/pods-due";

/// Starts or stops a node's kubelet. A started kubelet heartbeats at once on the next pass.
pub fn set_running(client: &dyn Client, node: &str, running: bool) -> Result<(), ApiError> {
    let nodes = resource("nodes")?;
    let current = client.get(nodes, None, node)?;
    let stopped = is_stopped(&current);
    if running != stopped {
        return Ok(());
    }
    let value = if running {
        Value::Null
    } else {
        json!("stopped")
    };
    let patch = json!({"metadata": {"annotations": {STATE_ANNOTATION: value}}});
    client.patch(
        nodes,
        None,
        node,
        PatchType::Merge,
        &patch,
        &WriteOptions::default(),
    )?;
    if running {
        // Forget the last renewal, so the restarted kubelet renews at once.
        let clear = json!({"spec": {"renewTime": null}});
        match client.patch(
            resource("leases")?,
            Some(LEASE_NAMESPACE),
            node,
            PatchType::Merge,
            &clear,
            &WriteOptions::default(),
        ) {
            Ok(_) => {}
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn resource(plural: &str) -> Result<&'static crate::api::registry::Resource, ApiError> {
    crate::api::registry::find(plural)
        .ok_or_else(|| ApiError::internal(format!("no resource {plural}")))
}

fn is_stopped(node: &Value) -> bool {
    node.pointer("/metadata/annotations")
        .and_then(|a| a.get(STATE_ANNOTATION))
        .and_then(Value::as_str)
        == Some("stopped")
}

/// What the kubelets know of a node.
struct NodeInfo {
    node: Value,
    lease: Option<Value>,
    /// Back-offs noted on the lease by an earlier command.
    noted_due: Option<DateTime<Utc>>,
    /// Back-offs found in this process.
    pods_due: Option<DateTime<Utc>>,
    /// Whether every pod of the node was looked at in this process.
    rescanned: bool,
    /// Pod addresses in use, loaded when first needed.
    ips: Option<BTreeSet<u32>>,
    /// Whether this process runs the node's kubelet (another serve on the same cluster
    /// may hold its Lease).
    owned: bool,
}

impl NodeInfo {
    fn name(&self) -> &str {
        str_at(&self.node, "/metadata/name")
    }

    fn running(&self) -> bool {
        self.owned && !is_stopped(&self.node)
    }

    fn control_plane(&self) -> bool {
        self.node
            .pointer("/metadata/labels")
            .and_then(|l| l.get("node-role.kubernetes.io/control-plane"))
            .is_some()
    }

    fn renewal_due(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        heartbeat::renewal_due(self.lease.as_ref(), now)
    }

    /// The back-off instant the lease should carry.
    fn wanted_note(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let earlier = self.noted_due.filter(|d| !self.rescanned && *d > now);
        match (earlier, self.pods_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The kubelet of every node.
#[derive(Default)]
pub struct Kubelets {
    nodes: BTreeMap<String, NodeInfo>,
    loaded: bool,
    /// Whether the nodes' pod addresses were loaded.
    ips_loaded: bool,
    next_due: Option<DateTime<Utc>>,
    /// The cluster's home, where the nodes' files are: the control-plane node's static pods
    /// then come from its manifest files. Without it (a cluster in memory) they are kubeadm's.
    home: Option<std::path::PathBuf>,
    /// Set when several processes share the cluster: only the nodes whose kubelet Lease
    /// this one holds are run here.
    owner: Option<std::sync::Arc<crate::runtime::leader_election::Leadership>>,
}

impl Kubelets {
    pub fn new() -> Self {
        Kubelets::default()
    }

    /// Kubelets whose nodes' files are in `home` (`None`: no files; built-in static pods).
    pub fn with_node_files(home: Option<&std::path::Path>) -> Self {
        Kubelets {
            home: home.map(std::path::Path::to_path_buf),
            ..Kubelets::default()
        }
    }

    /// Kubelets of only the nodes whose kubelet Lease `leadership` holds.
    pub fn run_only_owned(
        mut self,
        leadership: std::sync::Arc<crate::runtime::leader_election::Leadership>,
    ) -> Self {
        self.owner = Some(leadership);
        self
    }

    /// Follows the kubelet Leases: a node gained is looked at afresh (its pods, and the
    /// addresses another process gave out meanwhile).
    fn follow_ownership(&mut self, rescan: &mut BTreeSet<String>) {
        let Some(owner) = &self.owner else {
            return;
        };
        let mut gained = false;
        for (name, info) in &mut self.nodes {
            let owned = owner.runs_kubelet(name);
            if owned && !info.owned {
                rescan.insert(name.clone());
                gained = true;
            }
            info.owned = owned;
        }
        if gained {
            self.ips_loaded = false;
        }
    }

    /// Loads nodes and leases (first pass), or applies their changes.
    fn refresh(&mut self, ctx: &Context) -> Result<BTreeSet<String>, ApiError> {
        let mut rescan = BTreeSet::new();
        let (nodes, leases) = if self.loaded {
            let pick = |plural: &str| -> Result<Vec<Value>, ApiError> {
                Ok(ctx
                    .changed(plural)?
                    .iter()
                    .filter(|e| e.kind != "DELETED")
                    .map(|e| e.object.clone())
                    .collect())
            };
            let leases: Vec<Value> = pick("leases")?
                .into_iter()
                .filter(|l| str_at(l, "/metadata/namespace") == LEASE_NAMESPACE)
                .collect();
            (pick("nodes")?, leases)
        } else {
            (
                ctx.list("nodes", None, &ListOptions::default())?,
                ctx.list("leases", Some(LEASE_NAMESPACE), &ListOptions::default())?,
            )
        };
        for node in nodes {
            let name = str_at(&node, "/metadata/name").to_string();
            let info = self.nodes.entry(name.clone()).or_insert_with(|| NodeInfo {
                node: Value::Null,
                lease: None,
                noted_due: None,
                pods_due: None,
                rescanned: false,
                ips: None,
                owned: self.owner.is_none(),
            });
            if older(&node, &info.node) {
                continue;
            }
            let was_stopped = !info.node.is_null() && is_stopped(&info.node);
            info.node = node;
            if was_stopped && info.running() {
                rescan.insert(name);
            }
        }
        for lease in leases {
            let name = str_at(&lease, "/metadata/name").to_string();
            if let Some(info) = self.nodes.get_mut(&name) {
                if info.lease.as_ref().is_some_and(|held| older(&lease, held)) {
                    continue;
                }
                info.noted_due = lease
                    .pointer("/metadata/annotations")
                    .and_then(|a| a.get(PODS_DUE_ANNOTATION))
                    .and_then(Value::as_str)
                    .and_then(parse_timestamp);
                if lease.pointer("/spec/renewTime").is_none_or(Value::is_null) {
                    // A restarted kubelet: look at all of its pods again.
                    rescan.insert(name.clone());
                }
                if !self.loaded && info.noted_due.is_some_and(|d| d <= ctx.now) {
                    rescan.insert(name);
                }
                info.lease = Some(lease);
            }
        }
        // A long-running process (serve) reaching a pod's due instant (a back-off or a run
        // time ending) looks at that node's pods again; the sync notes what is due next.
        for (name, info) in &mut self.nodes {
            if info.pods_due.is_some_and(|d| d <= ctx.now) {
                info.pods_due = None;
                rescan.insert(name.clone());
            }
        }
        self.loaded = true;
        self.follow_ownership(&mut rescan);
        rescan.retain(|n| self.nodes.get(n).is_some_and(NodeInfo::running));
        Ok(rescan)
    }

    /// Renews leases and posts node statuses that are due.
    fn heartbeats(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let mut wrote = false;
        for info in self.nodes.values_mut() {
            if !info.running() {
                continue;
            }
            // A write that lost a race (409) is retried in the next pass, which sees the
            // newer object among the changes.
            let renew = ctx.now >= info.renewal_due(ctx.now);
            if renew {
                wrote = true;
                match heartbeat::renew(ctx, &info.node, info.lease.clone()) {
                    Ok(lease) => info.lease = Some(lease),
                    Err(e) if e.code == 409 => continue,
                    Err(e) => return Err(e),
                }
            }
            // The status is looked at with each renewal, and at once when someone (the node
            // controller) marked the node otherwise than its running kubelet reports it.
            let update = heartbeat::status_update(&info.node, ctx.now);
            let Some(conditions) = update.filter(|_| renew || !heartbeat::healthy(&info.node))
            else {
                continue;
            };
            let mut node = info.node.clone();
            node["status"]["conditions"] = conditions;
            let nodes = ctx.resource("nodes")?;
            let name = info.name().to_string();
            wrote = true;
            match ctx
                .client
                .update_status(nodes, None, &name, node, &WriteOptions::default())
            {
                Ok(node) => info.node = node,
                Err(e) if e.code == 409 => {}
                Err(e) => return Err(e),
            }
        }
        Ok(wrote)
    }

    /// Runs one pod at `ctx.now`. Returns whether anything was written.
    fn sync_pod(&mut self, ctx: &Context, mut pod: Value) -> Result<bool, ApiError> {
        let node_name = str_at(&pod, "/spec/nodeName").to_string();
        let needs_ip = pod.pointer("/status/podIP").is_none()
            && pod.pointer("/spec/hostNetwork").and_then(Value::as_bool) != Some(true);
        if needs_ip && !self.ips_loaded && self.nodes.contains_key(&node_name) {
            self.load_ips(ctx)?;
        }
        let Some(info) = self.nodes.get_mut(&node_name) else {
            return Ok(false);
        };
        if !info.running() {
            return Ok(false);
        }
        if pod.get("kind").is_none() {
            pod["kind"] = json!("Pod");
            pod["apiVersion"] = json!("v1");
        }
        let namespace = str_at(&pod, "/metadata/namespace").to_string();
        let name = str_at(&pod, "/metadata/name").to_string();
        let pods = ctx.resource("pods")?;
        let mirror = pod
            .pointer("/metadata/annotations")
            .and_then(|a| a.get("kubernetes.io/config.mirror"))
            .is_some();
        if pod.pointer("/metadata/deletionTimestamp").is_some() {
            // A mirror pod's deletion stops nothing: the static pod keeps running.
            let stops = if mirror {
                Vec::new()
            } else {
                pod::stop_events(&pod)
            };
            for e in stops {
                events::record_one(ctx, &pod, &node_name, &e)?;
            }
            let opts = DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            };
            return match ctx.client.delete(pods, Some(&namespace), &name, &opts) {
                Ok(_) => Ok(true),
                Err(e) if e.code == 404 => Ok(false),
                Err(e) => Err(e),
            };
        }
        let phase = str_at(&pod, "/status/phase");
        if phase == "Succeeded" || phase == "Failed" {
            return Ok(false);
        }
        let host_ip = static_pods::node_ip(&info.node);
        let pod_ip = if pod.pointer("/spec/hostNetwork").and_then(Value::as_bool) == Some(true) {
            host_ip.clone()
        } else if let Some(ip) = pod.pointer("/status/podIP").and_then(Value::as_str) {
            ip.to_string()
        } else {
            allocate_ip(info)
        };
        let uid = str_at(&pod, "/metadata/uid").to_string();
        let history = |fp: &str| pull_history(ctx, &namespace, &name, &uid, fp);
        let env = pod::PodEnv {
            now: ctx.now,
            host_ip: &host_ip,
            pod_ip: &pod_ip,
            record_events: !mirror,
            pull_history: &history,
            exits_at_start: if mirror {
                static_pods::exits_at_start(&pod)
            } else {
                None
            },
        };
        let outcome = pod::sync(&pod, &env);
        if let Some(d) = outcome.due {
            info.pods_due = Some(info.pods_due.map_or(d, |p| p.min(d)));
        }
        if outcome.events.is_empty() && pod.get("status") == Some(&outcome.status) {
            return Ok(false);
        }
        for e in &outcome.events {
            events::record_one(ctx, &pod, &node_name, e)?;
        }
        pod["status"] = outcome.status;
        match ctx
            .client
            .update_status(pods, Some(&namespace), &name, pod, &WriteOptions::default())
        {
            // A pod changed or gone meanwhile comes back as a change in the next pass.
            Ok(_) => Ok(true),
            Err(e) if e.code == 404 || e.code == 409 => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// Syncs every pod of the cluster (a full resync), a page at a time rather than all
    /// at once (gigabytes at 100,000 pods), in the order of every other pass: by namespace
    /// name, then pod name. The store's key order differs from that where one namespace's
    /// name begins another's (`web`, `web-2`), and the order decides pods' addresses.
    fn sync_every_pod(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let opts = ListOptions::default();
        let mut namespaces = BTreeSet::new();
        ctx.list_pages("pods", None, &opts, Some(&POD_NAMESPACE), &mut |page| {
            namespaces.extend(
                page.iter()
                    .map(|p| str_at(p, "/metadata/namespace").to_string()),
            );
            Ok(())
        })?;
        let mut wrote = false;
        for namespace in &namespaces {
            ctx.list_pages("pods", Some(namespace), &opts, None, &mut |page| {
                for pod in page {
                    wrote |= self.sync_pod(ctx, pod)?;
                }
                Ok(())
            })?;
        }
        Ok(wrote)
    }

    /// The addresses every node's pods hold: one list of the pods, the first time a pod of
    /// this process needs an address (later changes are applied as they are seen).
    fn load_ips(&mut self, ctx: &Context) -> Result<(), ApiError> {
        for info in self.nodes.values_mut() {
            info.ips = Some(BTreeSet::new());
        }
        let opts = ListOptions::default();
        ctx.list_pages("pods", None, &opts, Some(&POD_ADDRESS), &mut |page| {
            for p in page {
                let ip = p
                    .pointer("/status/podIP")
                    .and_then(Value::as_str)
                    .and_then(ips::to_u32);
                let node = str_at(&p, "/spec/nodeName");
                if let (Some(ip), Some(info)) = (ip, self.nodes.get_mut(node)) {
                    info.ips.get_or_insert_with(BTreeSet::new).insert(ip);
                }
            }
            Ok(())
        })?;
        self.ips_loaded = true;
        Ok(())
    }

    /// Makes the control-plane nodes' mirror pods follow their static pods: from the
    /// manifest files when the nodes have files, else kubeadm's four. `forced`: look even if
    /// the files did not change (a mirror pod was deleted, a full resync).
    fn sync_static_pods(&self, ctx: &Context, forced: bool) -> Result<bool, ApiError> {
        let masters: Vec<Value> = self
            .nodes
            .values()
            .filter(|i| i.running() && i.control_plane())
            .map(|i| i.node.clone())
            .collect();
        let mut wrote = false;
        for node in masters {
            wrote |= match &self.home {
                Some(home) => self.follow_files(ctx, home, &node, forced)?,
                None if forced => {
                    let ip = static_pods::node_ip(&node);
                    let name = str_at(&node, "/metadata/name");
                    let manifests = static_pods::COMPONENTS
                        .iter()
                        .map(|c| static_pods::manifest(c, name, &ip))
                        .collect();
                    mirror::follow(ctx, &node, manifests)?
                }
                None => false,
            };
        }
        Ok(wrote)
    }

    /// One node's mirror pods made to follow its manifest files, if they changed.
    fn follow_files(
        &self,
        ctx: &Context,
        home: &std::path::Path,
        node: &Value,
        forced: bool,
    ) -> Result<bool, ApiError> {
        let name = str_at(node, "/metadata/name");
        if !crate::nodefs::valid_node_name(name) {
            return Ok(false);
        }
        let io = |e: std::io::Error| ApiError::internal(format!("node {name}'s files: {e}"));
        static_pods::write_manifests(home, name, &static_pods::node_ip(node)).map_err(io)?;
        let dir = static_files::dir(home, name);
        let fingerprint = static_files::fingerprint(&dir);
        let seen = static_files::last_seen(home, name);
        let changed = seen.as_deref() != Some(fingerprint.as_str());
        if !changed && !forced {
            return Ok(false);
        }
        let mut manifests = Vec::new();
        for (path, m) in static_files::read_all(&dir) {
            match m {
                static_files::Manifest::Pod(p) => manifests.push(p),
                // Logged when the files changed, not again on every resync.
                static_files::Manifest::Invalid(err) if changed => {
                    let line = static_files::could_not_process(ctx.now, name, &path, &err);
                    crate::nodefs::journal::append(home, name, "kubelet", ctx.now, &line)
                        .map_err(io)?;
                }
                static_files::Manifest::Invalid(_) => {}
            }
        }
        let wrote = mirror::follow(ctx, node, manifests)?;
        static_files::record_seen(home, name, &fingerprint).map_err(io)?;
        Ok(wrote)
    }

    /// Notes pending back-offs on the leases, so a later command finds them.
    fn note_dues(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let leases = ctx.resource("leases")?;
        let mut wrote = false;
        for info in self.nodes.values_mut() {
            let Some(mut lease) = info.lease.clone() else {
                continue;
            };
            let want = info.wanted_note(ctx.now);
            if want == info.noted_due {
                continue;
            }
            let value = want.map(|d| json!(d.to_rfc3339_opts(SecondsFormat::AutoSi, true)));
            let meta = &mut lease["metadata"];
            match value {
                Some(v) => {
                    if !meta.get("annotations").is_some_and(Value::is_object) {
                        meta["annotations"] = json!({});
                    }
                    meta["annotations"][PODS_DUE_ANNOTATION] = v;
                }
                None => {
                    if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
                        a.shift_remove(PODS_DUE_ANNOTATION);
                        if a.is_empty() {
                            meta.as_object_mut().map(|m| m.shift_remove("annotations"));
                        }
                    }
                }
            }
            let name = info.name().to_string();
            wrote = true;
            match ctx.client.update(
                leases,
                Some(LEASE_NAMESPACE),
                &name,
                lease,
                &WriteOptions::default(),
            ) {
                Ok(lease) => {
                    info.lease = Some(lease);
                    info.noted_due = want;
                }
                // Lost a race: the next pass sees the newer lease and notes again.
                Err(e) if e.code == 409 => {}
                Err(e) => return Err(e),
            }
        }
        Ok(wrote)
    }
}

/// What `load_ips` reads of a pod: the list decodes no more of each pod than that.
static POD_ADDRESS: Keep = Keep::Fields(&[
    ("spec", Keep::Fields(&[("nodeName", Keep::All)])),
    ("status", Keep::Fields(&[("podIP", Keep::All)])),
]);

/// Allocates the next free pod address of the node.
fn allocate_ip(info: &mut NodeInfo) -> String {
    let cidr = str_at(&info.node, "/spec/podCIDR").to_string();
    let used = info.ips.get_or_insert_with(BTreeSet::new);
    let Some(ip) = ips::allocate(&cidr, used) else {
        return String::new();
    };
    used.insert(u32::from(ip));
    ip.to_string()
}

/// Earlier pulls of a container, from its folded `Pulling` event. The kubelet names a
/// pod's events `<pod>.<hex time>`, so only those are read, not the namespace's.
fn pull_history(
    ctx: &Context,
    namespace: &str,
    pod: &str,
    uid: &str,
    fp: &str,
) -> pod::PullHistory {
    let opts = ListOptions {
        field_selector: Some(format!("involvedObject.uid={uid},reason=Pulling")),
        name_prefix: Some(format!("{pod}.")),
        ..Default::default()
    };
    let events = ctx
        .list("events", Some(namespace), &opts)
        .unwrap_or_default();
    let Some(e) = events
        .iter()
        .find(|e| str_at(e, "/involvedObject/fieldPath") == fp)
    else {
        return pod::PullHistory::default();
    };
    pod::PullHistory {
        attempts: e.get("count").and_then(Value::as_u64).unwrap_or(1) as u32,
        last: e
            .get("lastTimestamp")
            .and_then(Value::as_str)
            .and_then(parse_timestamp),
    }
}

/// What a full resync reads of every pod to learn which namespaces hold pods.
static POD_NAMESPACE: Keep =
    Keep::Fields(&[("metadata", Keep::Fields(&[("namespace", Keep::All)]))]);

/// Whether `seen` is an older version of the object than `held`. A server's settle reads the
/// change log a window at a time, so while it works through a backlog (100,000 pods created
/// at once) the changes of a pass are older than the node and Lease this kubelet last wrote:
/// taking them would renew from a stale resourceVersion (a conflict each pass, so no
/// heartbeat at all, and every node going NotReady).
fn older(seen: &Value, held: &Value) -> bool {
    let version = |o: &Value| str_at(o, "/metadata/resourceVersion").parse::<i64>().ok();
    matches!((version(seen), version(held)), (Some(s), Some(h)) if s < h)
}

impl Component for Kubelets {
    fn name(&self) -> &'static str {
        "kubelet"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let first = !self.loaded;
        let rescan = self.refresh(ctx)?;
        let mut wrote = self.heartbeats(ctx)?;
        // Pods from the change log are borrowed and copied one at a time, when run.
        let changed = if ctx.since == 0 {
            None
        } else {
            Some(ctx.changed("pods")?)
        };
        let mut todo: BTreeMap<(String, String), Cow<Value>> = BTreeMap::new();
        let mut static_check = ctx.since == 0
            || (first
                && self
                    .nodes
                    .values()
                    .any(|i| i.control_plane() && rescan.contains(i.name())));
        if ctx.since == 0 {
            for info in self.nodes.values_mut() {
                info.rescanned = true;
            }
            wrote |= self.sync_every_pod(ctx)?;
        } else {
            for node in &rescan {
                let opts = ListOptions {
                    field_selector: Some(format!("spec.nodeName={node}")),
                    ..Default::default()
                };
                for p in ctx.list("pods", None, &opts)? {
                    todo.insert(pod_key(&p), Cow::Owned(p));
                }
                if let Some(info) = self.nodes.get_mut(node) {
                    info.rescanned = true;
                    static_check |= info.control_plane();
                }
            }
            for e in changed.iter().flat_map(|c| c.iter()) {
                let key = pod_key(&e.object);
                if e.kind == "DELETED" {
                    todo.remove(&key);
                    let node = str_at(&e.object, "/spec/nodeName");
                    if let Some(info) = self.nodes.get_mut(node) {
                        if let (Some(used), Some(ip)) = (
                            info.ips.as_mut(),
                            e.object
                                .pointer("/status/podIP")
                                .and_then(Value::as_str)
                                .and_then(ips::to_u32),
                        ) {
                            used.remove(&ip);
                        }
                        let mirror = e
                            .object
                            .pointer("/metadata/annotations")
                            .and_then(|a| a.get("kubernetes.io/config.mirror"))
                            .is_some();
                        if mirror
                            || (key.0 == static_pods::NAMESPACE
                                && static_pods::is_static_pod_name(&key.1, node))
                        {
                            static_check = true;
                        }
                    }
                } else if str_at(&e.object, "/spec/nodeName").is_empty() {
                    // Not bound yet: no kubelet runs it (and an earlier version is stale).
                    todo.remove(&key);
                } else {
                    todo.insert(key, Cow::Borrowed(&e.object));
                }
            }
        }
        for (_, pod) in todo {
            wrote |= self.sync_pod(ctx, pod.into_owned())?;
        }
        wrote |= self.sync_static_pods(ctx, static_check)?;
        wrote |= self.note_dues(ctx)?;
        self.next_due = self
            .nodes
            .values()
            .filter(|i| i.running())
            .flat_map(|i| {
                [
                    Some(i.renewal_due(ctx.now)),
                    i.wanted_note(ctx.now),
                    heartbeat::status_due(&i.node),
                ]
            })
            .flatten()
            .min();
        Ok(wrote)
    }

    fn next_due(&self) -> Option<DateTime<Utc>> {
        self.next_due
    }

    /// Manifest files edited since the mirror pods were made need a pass.
    fn wants_pass(&mut self) -> bool {
        self.home.as_deref().is_some_and(static_files::any_changed)
    }
}

fn pod_key(p: &Value) -> (String, String) {
    (
        str_at(p, "/metadata/namespace").to_string(),
        str_at(p, "/metadata/name").to_string(),
    )
}

#[cfg(test)]
#[path = "kubelet_tests.rs"]
mod tests;
