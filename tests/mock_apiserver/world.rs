//! The mock's cluster: a few objects and a script of what happens to them, answered the
//! way kube-apiserver answers. Nothing runs: a Deployment's status advances only through
//! the statuses its script lists (one per watch event), a pod with a finalizer goes away
//! only when someone watches it after its deletion, and logs are fixed lines.

use super::discovery;
use super::http::{Body, Reply, Request};
use super::protobuf;
use super::tables;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A resource the mock serves.
#[derive(Clone, Copy)]
pub struct Kind {
    pub plural: &'static str,
    pub kind: &'static str,
    /// `""` for the core group.
    pub group: &'static str,
    /// Whether objects live in a namespace (nodes and namespaces do not).
    pub namespaced: bool,
}

pub const KINDS: &[Kind] = &[
    Kind {
        plural: "pods",
        kind: "Pod",
        group: "",
        namespaced: true,
    },
    Kind {
        plural: "configmaps",
        kind: "ConfigMap",
        group: "",
        namespaced: true,
    },
    Kind {
        plural: "deployments",
        kind: "Deployment",
        group: "apps",
        namespaced: true,
    },
    Kind {
        plural: "daemonsets",
        kind: "DaemonSet",
        group: "apps",
        namespaced: true,
    },
    Kind {
        plural: "replicasets",
        kind: "ReplicaSet",
        group: "apps",
        namespaced: true,
    },
    Kind {
        plural: "services",
        kind: "Service",
        group: "",
        namespaced: true,
    },
    Kind {
        plural: "secrets",
        kind: "Secret",
        group: "",
        namespaced: true,
    },
    Kind {
        plural: "serviceaccounts",
        kind: "ServiceAccount",
        group: "",
        namespaced: true,
    },
    Kind {
        plural: "resourcequotas",
        kind: "ResourceQuota",
        group: "",
        namespaced: true,
    },
    Kind {
        plural: "events",
        kind: "Event",
        group: "",
        namespaced: true,
    },
    Kind {
        plural: "namespaces",
        kind: "Namespace",
        group: "",
        namespaced: false,
    },
    Kind {
        plural: "nodes",
        kind: "Node",
        group: "",
        namespaced: false,
    },
    Kind {
        plural: "controllerrevisions",
        kind: "ControllerRevision",
        group: "apps",
        namespaced: true,
    },
    Kind {
        plural: "horizontalpodautoscalers",
        kind: "HorizontalPodAutoscaler",
        group: "autoscaling",
        namespaced: true,
    },
    Kind {
        plural: "poddisruptionbudgets",
        kind: "PodDisruptionBudget",
        group: "policy",
        namespaced: true,
    },
    Kind {
        plural: "certificatesigningrequests",
        kind: "CertificateSigningRequest",
        group: "certificates.k8s.io",
        namespaced: false,
    },
];

/// The API groups besides the core one, as `/apis` lists them.
pub const GROUPS: &[&str] = &["apps", "autoscaling", "policy", "certificates.k8s.io"];

impl Kind {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            "v1".into()
        } else {
            format!("{}/v1", self.group)
        }
    }
}

#[derive(Default)]
pub struct World {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    rv: u64,
    /// (plural, namespace, name) → object, with apiVersion and kind.
    objects: BTreeMap<(String, String, String), Value>,
    /// Statuses an object will go through, one per watch event (then the watch holds).
    script: BTreeMap<(String, String, String), Vec<Value>>,
    /// Whether the watch ends after the script (as a server closing a watch does) or holds.
    closes: bool,
    /// What every exec prints on stdout, when the mock runs commands at all.
    exec_output: Option<String>,
    /// The PodMetrics the mock's metrics-server reports, when it has one.
    pod_metrics: Option<Vec<Value>>,
    /// A container with files, whose exec plays tar (for cp).
    files: Option<super::container::Files>,
    /// A pod that port-forwards (echoing), and what it saw.
    forwards: Option<super::portforward::Log>,
}

fn key(plural: &str, ns: &str, name: &str) -> (String, String, String) {
    (plural.to_string(), ns.to_string(), name.to_string())
}

impl World {
    /// Adds `obj` (with apiVersion, kind, metadata.name and namespace).
    pub fn add(&self, plural: &str, mut obj: Value) {
        let mut s = self.state.lock().unwrap();
        s.rv += 1;
        let rv = s.rv.to_string();
        obj["metadata"]["resourceVersion"] = json!(rv);
        obj["metadata"]["uid"] =
            json!(format!("uid-{}", obj["metadata"]["name"].as_str().unwrap()));
        obj["metadata"]["creationTimestamp"] = json!("2026-11-29T00:00:00Z");
        let ns = obj["metadata"]["namespace"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let name = obj["metadata"]["name"].as_str().unwrap().to_string();
        s.objects.insert(key(plural, &ns, &name), obj);
    }

    /// The statuses the object will be seen in by a watch, in order.
    pub fn script(&self, plural: &str, ns: &str, name: &str, statuses: Vec<Value>, closes: bool) {
        let mut s = self.state.lock().unwrap();
        s.script.insert(key(plural, ns, name), statuses);
        s.closes = closes;
    }

    /// Registers a metrics-server (`metrics.k8s.io/v1beta1`) that reports `pod_metrics`.
    pub fn serve_metrics(&self, pod_metrics: Vec<Value>) {
        self.state.lock().unwrap().pod_metrics = Some(pod_metrics);
    }

    /// Marks the object as being deleted (a finalizer still holds it): a watch sees it go.
    pub fn delete_later(&self, plural: &str, ns: &str, name: &str) {
        let mut s = self.state.lock().unwrap();
        if let Some(o) = s.objects.get_mut(&key(plural, ns, name)) {
            o["metadata"]["deletionTimestamp"] = json!("2026-11-29T00:10:00Z");
        }
    }

    /// Makes every `pods/exec` (over WebSocket) print `output` and succeed.
    pub fn run_exec(&self, output: &str) {
        self.state.lock().unwrap().exec_output = Some(output.to_string());
    }

    /// Makes every `pods/exec` run in a container holding `files` (see container.rs).
    pub fn hold_files(&self, files: super::container::Files) {
        self.state.lock().unwrap().files = Some(files);
    }

    /// Makes `pods/portforward` over kubectl's tunnel echo, noting what it sees in `log`.
    pub fn forward_ports(&self, log: super::portforward::Log) {
        self.state.lock().unwrap().forwards = Some(log);
    }

    pub fn answer(&self, req: &Request) -> Reply {
        let path = req.path().to_string();
        match path.as_str() {
            "/version" => return Reply::json(200, &version()),
            "/api" | "/apis" => {
                let metrics = self.state.lock().unwrap().pod_metrics.is_some();
                return discovery::root(&path, req, metrics);
            }
            p if p.starts_with("/apis/metrics.k8s.io/") => {
                let s = self.state.lock().unwrap();
                return match &s.pod_metrics {
                    Some(items) => pod_metrics(p, items),
                    None => not_found_text(),
                };
            }
            p if p.starts_with("/openapi/v3") => return discovery::openapi(p),
            p if p == "/api/v1" || GROUPS.iter().any(|g| p == format!("/apis/{g}/v1")) => {
                return discovery::group_version(p);
            }
            _ => {}
        }
        let Some(route) = Route::parse(&path) else {
            return not_found_text();
        };
        let mut s = self.state.lock().unwrap();
        s.route(req, &route)
    }
}

/// `/api/v1/namespaces/NS/PLURAL[/NAME[/SUB]]`, the same under `/apis/GROUP/v1`,
/// `/api/v1/PLURAL[/NAME[/SUB]]` for nodes and namespaces, and `/api/v1/PLURAL` for a
/// namespaced kind across all namespaces.
struct Route {
    kind: Kind,
    /// `None`: every namespace (a list); `""` for cluster-scoped kinds.
    namespace: Option<String>,
    name: Option<String>,
    sub: Option<String>,
}

impl Route {
    fn parse(path: &str) -> Option<Route> {
        let rest = path.strip_prefix("/api/v1/").map(|r| ("", r)).or_else(|| {
            GROUPS.iter().find_map(|g| {
                path.strip_prefix(&format!("/apis/{g}/v1/"))
                    .map(|r| (*g, r))
            })
        })?;
        let (group, rest) = rest;
        let parts: Vec<&str> = rest.split('/').collect();
        let find = |plural: &str| {
            KINDS
                .iter()
                .find(|k| k.plural == plural && k.group == group)
                .copied()
        };
        let route = |kind: Kind, namespace: Option<String>, tail: &[&str]| Route {
            kind,
            namespace,
            name: tail.first().map(|s| s.to_string()),
            sub: tail.get(1).map(|s| s.to_string()),
        };
        match parts.as_slice() {
            ["namespaces", ns, plural, tail @ ..] if find(plural).is_some_and(|k| k.namespaced) => {
                Some(route(find(plural)?, Some(ns.to_string()), tail))
            }
            [plural, tail @ ..] => {
                let kind = find(plural)?;
                if kind.namespaced {
                    return tail.is_empty().then(|| route(kind, None, tail));
                }
                Some(route(kind, Some(String::new()), tail))
            }
            _ => None,
        }
    }

    fn ns(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }
}

impl State {
    fn route(&mut self, req: &Request, r: &Route) -> Reply {
        let plural = r.kind.plural;
        let table = req.header("accept").is_some_and(|a| a.contains("as=Table"));
        match (req.method.as_str(), &r.name, r.sub.as_deref()) {
            ("GET", None, _) if req.param("watch").as_deref() == Some("true") => {
                self.watch(req, r, table)
            }
            ("GET", None, _) => {
                let (items, next) = page(self.matching(req, r), req);
                let rv = self.rv.to_string();
                let mut list = if table {
                    tables::table(plural, &items, &rv)
                } else {
                    let items: Vec<Value> = items.into_iter().map(strip_type).collect();
                    json!({"kind": format!("{}List", r.kind.kind), "apiVersion": r.kind.api_version(),
                           "metadata": {"resourceVersion": rv}, "items": items})
                };
                if let Some(token) = next {
                    list["metadata"]["continue"] = json!(token);
                }
                Reply::json(200, &list)
            }
            ("POST", None, _) => self.create(req, r),
            (method, Some(name), sub) => {
                let k = key(plural, r.ns(), name);
                let apply = req
                    .header("content-type")
                    .is_some_and(|c| c.starts_with("application/apply-patch"));
                let Some(obj) = self.objects.get(&k).cloned() else {
                    if method == "PATCH" && sub.is_none() && apply {
                        return self.create(req, r);
                    }
                    return not_found(r, name);
                };
                match (method, sub) {
                    ("GET", None) if table => {
                        let rv = obj["metadata"]["resourceVersion"]
                            .as_str()
                            .unwrap_or("")
                            .to_string();
                        Reply::json(200, &tables::table(plural, &[obj], &rv))
                    }
                    ("GET", None) => Reply::json(200, &obj),
                    ("GET", Some("log")) => logs(req),
                    ("GET", Some("exec"))
                        if self.files.is_some() && req.header("upgrade") == Some("websocket") =>
                    {
                        let files = self.files.clone().unwrap_or_default();
                        let command = super::container::commands(req);
                        let mut reply = exec(req, "");
                        reply.body = Body::Session(Box::new(move |out, input| {
                            super::container::session(&files, &command, out, input);
                        }));
                        reply
                    }
                    ("GET", Some("portforward"))
                        if self.forwards.is_some()
                            && req.header("sec-websocket-protocol")
                                == Some(super::portforward::PROTOCOL) =>
                    {
                        let log = self.forwards.clone().unwrap_or_default();
                        let mut reply = exec(req, "");
                        for (k, v) in reply.headers.iter_mut() {
                            if k == "Sec-WebSocket-Protocol" {
                                *v = super::portforward::PROTOCOL.to_string();
                            }
                        }
                        reply.body = Body::Session(Box::new(move |out, input| {
                            super::portforward::session(&log, out, input);
                        }));
                        reply
                    }
                    ("GET", Some("attach"))
                        if self.exec_output.is_some()
                            && req.header("upgrade") == Some("websocket") =>
                    {
                        let output = self.exec_output.clone().unwrap_or_default();
                        let mut reply = exec(req, "");
                        reply.body = Body::Session(Box::new(move |out, _| {
                            super::container::attached(out, output.as_bytes());
                        }));
                        reply
                    }
                    ("GET", Some("exec"))
                        if self.exec_output.is_some()
                            && req.header("upgrade") == Some("websocket") =>
                    {
                        exec(req, self.exec_output.as_deref().unwrap_or(""))
                    }
                    ("GET" | "POST", Some("exec")) => Reply::json(
                        400,
                        &status(400, "BadRequest", "the mock API server runs no containers"),
                    ),
                    ("GET", Some("scale")) => Reply::json(200, &scale_of(&obj)),
                    ("PATCH", Some("scale")) => {
                        let patch: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
                        let mut obj = obj;
                        obj["spec"]["replicas"] = patch["spec"]["replicas"].clone();
                        let obj = self.store(k, obj);
                        Reply::json(200, &scale_of(&obj))
                            .with_header("Warning", "299 - \"the mock scaled it, nothing runs\"")
                    }
                    // The ephemeral containers of the patch join the pod's (what the
                    // mock needs of kube-apiserver's strategic merge by name).
                    ("PATCH", Some("ephemeralcontainers")) if plural == "pods" => {
                        let patch: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
                        let mut obj = obj;
                        let added = patch["spec"]["ephemeralContainers"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default();
                        let mut list = obj["spec"]["ephemeralContainers"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default();
                        // ... and run at once (a kubelet's report, for `debug -i`'s wait).
                        let mut statuses = obj["status"]["ephemeralContainerStatuses"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default();
                        for c in &added {
                            statuses.push(json!({"name": c["name"], "ready": false, "restartCount": 0,
                                                 "image": c["image"], "imageID": "",
                                                 "state": {"running": {"startedAt": "2026-11-29T00:00:00Z"}}}));
                        }
                        list.extend(added);
                        obj["spec"]["ephemeralContainers"] = Value::Array(list);
                        obj["status"]["ephemeralContainerStatuses"] = Value::Array(statuses);
                        Reply::json(200, &self.store(k, obj))
                    }
                    ("PATCH", None) => {
                        let patch: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
                        let mut obj = obj;
                        merge(&mut obj, &patch);
                        Reply::json(200, &self.store(k, obj))
                    }
                    ("DELETE", None) => self.delete(k, obj),
                    ("PUT", None) => {
                        let mut new: Value =
                            serde_json::from_slice(&req.body).unwrap_or(Value::Null);
                        for f in ["uid", "creationTimestamp"] {
                            new["metadata"][f] = obj["metadata"][f].clone();
                        }
                        Reply::json(200, &self.store(k, new))
                    }
                    // A decision on a CertificateSigningRequest: kubectl's body is protobuf,
                    // which the mock cannot read; the answer is the object, which kubectl
                    // does not print.
                    ("PUT", Some("approval")) => Reply::json(200, &obj),
                    // An eviction the (absent) disruption budgets allow: the pod goes.
                    ("POST", Some("eviction")) => {
                        self.objects.remove(&k);
                        self.rv += 1;
                        let ok = json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
                                        "status": "Success", "code": 201});
                        Reply::json(201, &ok)
                    }
                    _ => Reply::json(405, &status(405, "MethodNotAllowed", "not here")),
                }
            }
            _ => Reply::json(405, &status(405, "MethodNotAllowed", "not here")),
        }
    }

    fn store(&mut self, k: (String, String, String), mut obj: Value) -> Value {
        self.rv += 1;
        obj["metadata"]["resourceVersion"] = json!(self.rv.to_string());
        self.objects.insert(k, obj.clone());
        obj
    }

    fn matching(&self, req: &Request, r: &Route) -> Vec<Value> {
        let fields = req.param("fieldSelector").unwrap_or_default();
        let by_label = req.param("labelSelector");
        self.objects
            .iter()
            .filter(|((p, ns, _), _)| {
                p == r.kind.plural && r.namespace.as_ref().is_none_or(|want| want == ns)
            })
            .filter(|(_, o)| fields.split(',').all(|term| field_matches(o, term)))
            .filter(|(_, o)| {
                by_label.as_ref().is_none_or(|l| {
                    l.split(',').all(|term| match term.split_once('=') {
                        Some((k, v)) => o["metadata"]["labels"][k] == v,
                        None => true,
                    })
                })
            })
            .map(|(_, o)| o.clone())
            .collect()
    }

    fn create(&mut self, req: &Request, r: &Route) -> Reply {
        let obj: Value = if req.header("content-type") == Some(protobuf::CONTENT_TYPE) {
            protobuf::decode(&req.body).unwrap_or(Value::Null)
        } else {
            serde_json::from_slice(&req.body).unwrap_or(Value::Null)
        };
        if req.param("fieldValidation").as_deref() == Some("Strict") {
            let known = [
                "apiVersion",
                "kind",
                "metadata",
                "data",
                "binaryData",
                "immutable",
                "spec",
                "status",
            ];
            if let Some(field) = obj
                .as_object()
                .and_then(|m| m.keys().find(|k| !known.contains(&k.as_str())))
            {
                let k = r.kind.kind;
                return Reply::json(
                    400,
                    &status(
                        400,
                        "BadRequest",
                        &format!(
                            "{k} in version \"v1\" cannot be handled as a {k}: strict decoding error: unknown field \"{field}\""
                        ),
                    ),
                );
            }
        }
        let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
        let k = key(r.kind.plural, r.ns(), &name);
        if self.objects.contains_key(&k) {
            let what = qualified(r);
            return Reply::json(
                409,
                &status(
                    409,
                    "AlreadyExists",
                    &format!("{what} \"{name}\" already exists"),
                ),
            );
        }
        let mut obj = obj;
        if r.kind.namespaced {
            obj["metadata"]["namespace"] = json!(r.ns());
        }
        obj["metadata"]["uid"] = json!(format!("uid-{name}"));
        obj["metadata"]["creationTimestamp"] = json!("2026-11-29T00:00:00Z");
        Reply::json(201, &self.store(k, obj))
    }

    /// With finalizers the object only gets a deletionTimestamp; a later watch sees it go.
    fn delete(&mut self, k: (String, String, String), mut obj: Value) -> Reply {
        let finalized = obj["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|f| !f.is_empty());
        if finalized {
            obj["metadata"]["deletionTimestamp"] = json!("2026-11-29T00:10:00Z");
            obj["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            return Reply::json(200, &self.store(k, obj));
        }
        self.objects.remove(&k);
        Reply::json(200, &obj)
    }

    fn watch(&mut self, req: &Request, r: &Route, table: bool) -> Reply {
        let mut events = Vec::new();
        for obj in self.matching(req, r) {
            let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
            let k = key(r.kind.plural, r.ns(), &name);
            if obj["metadata"]["deletionTimestamp"].is_string() {
                self.objects.remove(&k);
                self.rv += 1;
                let mut gone = obj.clone();
                gone["metadata"]["resourceVersion"] = json!(self.rv.to_string());
                events.push(("DELETED", gone));
                continue;
            }
            for st in self.script.remove(&k).unwrap_or_default() {
                let mut next = self.objects[&k].clone();
                merge(&mut next, &st);
                events.push(("MODIFIED", self.store(k.clone(), next)));
            }
        }
        let chunks = events
            .into_iter()
            .map(|(ty, obj)| {
                let rv = obj["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                let object = if table {
                    tables::table(r.kind.plural, &[obj], &rv)
                } else {
                    obj
                };
                let mut line = serde_json::to_vec(&json!({"type": ty, "object": object})).unwrap();
                line.push(b'\n');
                line
            })
            .collect();
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Body::Chunks {
                chunks,
                hold: !self.closes,
            },
        }
    }
}

/// One `path=value` or `path!=value` term of a field selector (`""` matches all).
fn field_matches(obj: &Value, term: &str) -> bool {
    if term.is_empty() {
        return true;
    }
    let (path, want, equal) = match term.split_once("!=") {
        Some((p, v)) => (p, v, false),
        None => match term.split_once('=') {
            Some((p, v)) => (p, v.trim_start_matches('='), true),
            None => return true,
        },
    };
    let pointer = format!("/{}", path.replace('.', "/"));
    let got = obj.pointer(&pointer).and_then(Value::as_str).unwrap_or("");
    (got == want) == equal
}

/// The page `limit` and `continue` (an offset, here) ask for, and the next page's token.
fn page(items: Vec<Value>, req: &Request) -> (Vec<Value>, Option<String>) {
    let from: usize = req
        .param("continue")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let limit: usize = req
        .param("limit")
        .and_then(|l| l.parse().ok())
        .filter(|l| *l > 0)
        .unwrap_or(usize::MAX);
    let rest: Vec<Value> = items.into_iter().skip(from).collect();
    if rest.len() <= limit {
        return (rest, None);
    }
    (
        rest.into_iter().take(limit).collect(),
        Some((from + limit).to_string()),
    )
}

fn qualified(r: &Route) -> String {
    if r.kind.group.is_empty() {
        r.kind.plural.to_string()
    } else {
        format!("{}.{}", r.kind.plural, r.kind.group)
    }
}

fn strip_type(mut o: Value) -> Value {
    if let Some(m) = o.as_object_mut() {
        m.remove("apiVersion");
        m.remove("kind");
    }
    o
}

/// JSON merge patch, with strategic merge's list of containers merged by name and its
/// `$` directives ignored: enough for what the tests patch.
fn merge(target: &mut Value, patch: &Value) {
    let Some(p) = patch.as_object() else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    for (k, v) in p {
        if k.starts_with('$') {
            continue;
        }
        if v.is_null() {
            target.as_object_mut().unwrap().remove(k);
        } else if k == "containers" && v.is_array() && target[k].is_array() {
            for c in v.as_array().unwrap() {
                let list = target[k].as_array_mut().unwrap();
                match list.iter_mut().find(|t| t["name"] == c["name"]) {
                    Some(t) => merge(t, c),
                    None => list.push(c.clone()),
                }
            }
        } else {
            merge(&mut target[k], v);
        }
    }
}

fn scale_of(obj: &Value) -> Value {
    json!({"kind": "Scale", "apiVersion": "autoscaling/v1",
           "metadata": {"name": obj["metadata"]["name"], "namespace": obj["metadata"]["namespace"],
                        "uid": obj["metadata"]["uid"], "resourceVersion": obj["metadata"]["resourceVersion"]},
           "spec": {"replicas": obj["spec"]["replicas"]},
           "status": {"replicas": obj["status"]["replicas"], "selector": "app=web"}})
}

/// Four fixed lines; `tailLines`, `timestamps`, `limitBytes` as the kubelet applies them.
fn logs(req: &Request) -> Reply {
    let mut lines: Vec<String> = (1..=4)
        .map(|i| {
            let stamp = format!("2026-11-29T00:00:0{i}.000000000Z ");
            let ts = req.param("timestamps").as_deref() == Some("true");
            format!("{}log line {i}\n", if ts { stamp.as_str() } else { "" })
        })
        .collect();
    if let Some(n) = req.param("tailLines").and_then(|t| t.parse::<usize>().ok()) {
        lines = lines.split_off(lines.len().saturating_sub(n));
    }
    let mut text = lines.concat().into_bytes();
    if let Some(n) = req
        .param("limitBytes")
        .and_then(|t| t.parse::<usize>().ok())
    {
        text.truncate(n);
    }
    if req.param("follow").as_deref() == Some("true") {
        let chunks = text
            .split_inclusive(|b| *b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        return Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: Body::Chunks {
                chunks,
                hold: false,
            },
        };
    }
    Reply::typed(200, "text/plain", text)
}

/// A WebSocket exec that prints `output`, reports success and closes.
fn exec(req: &Request, output: &str) -> Reply {
    use super::websocket::{PROTOCOL, accept_key, channel_frame, close_frame};
    let key = req.header("sec-websocket-key").unwrap_or("");
    Reply {
        status: 101,
        headers: vec![
            ("Upgrade".into(), "websocket".into()),
            ("Connection".into(), "Upgrade".into()),
            ("Sec-WebSocket-Accept".into(), accept_key(key)),
            ("Sec-WebSocket-Protocol".into(), PROTOCOL.into()),
        ],
        body: Body::Upgraded(vec![
            channel_frame(1, output.as_bytes()),
            channel_frame(3, br#"{"metadata":{},"status":"Success"}"#),
            close_frame(),
        ]),
    }
}

pub fn status(code: u16, reason: &str, message: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
           "message": message, "reason": reason, "code": code})
}

fn not_found(r: &Route, name: &str) -> Reply {
    let mut st = status(
        404,
        "NotFound",
        &format!("{} \"{name}\" not found", qualified(r)),
    );
    st["details"] = json!({"name": name, "kind": r.kind.plural, "group": r.kind.group});
    Reply::json(404, &st)
}

fn not_found_text() -> Reply {
    Reply::typed(404, "text/plain", b"404 page not found\n".to_vec())
}

fn version() -> Value {
    json!({"major": "1", "minor": "32", "gitVersion": "v1.32.0", "gitCommit": "mock",
           "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0",
           "compiler": "gc", "platform": "linux/amd64"})
}

/// metrics-server's PodMetrics of one namespace (a list) or one pod.
fn pod_metrics(path: &str, items: &[Value]) -> Reply {
    let rest = path.trim_start_matches("/apis/metrics.k8s.io/v1beta1/");
    let parts: Vec<&str> = rest.split('/').collect();
    let in_ns = |ns: &str| {
        items
            .iter()
            .filter(|m| m["metadata"]["namespace"] == ns)
            .cloned()
            .collect::<Vec<_>>()
    };
    match parts.as_slice() {
        ["namespaces", ns, "pods"] => Reply::json(
            200,
            &json!({"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1",
                    "metadata": {}, "items": in_ns(ns)}),
        ),
        ["namespaces", ns, "pods", name] => {
            match in_ns(ns)
                .into_iter()
                .find(|m| m["metadata"]["name"] == *name)
            {
                Some(m) => Reply::json(200, &m),
                None => Reply::json(
                    404,
                    &status(
                        404,
                        "NotFound",
                        &format!("podmetrics.metrics.k8s.io \"{ns}/{name}\" not found"),
                    ),
                ),
            }
        }
        _ => not_found_text(),
    }
}
