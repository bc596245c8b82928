//! What serve promises under stress: every acknowledged write survives `kill -9`, no
//! revision a client saw is taken back, and the control plane keeps up with clients that
//! write hard (conflicts on one object, creates during other writes, owners deleted during
//! writes) and still stops on SIGTERM.

use crate::support::Server;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A client of one server: its URL, token and HTTPS connection pool.
#[derive(Clone)]
struct Api {
    url: String,
    token: String,
    http: reqwest::blocking::Client,
}

impl Api {
    fn of(s: &Server) -> Api {
        Api {
            url: s.url.clone(),
            token: s.token(),
            http: s.https(),
        }
    }

    /// Sends a request; the status and JSON body, or None if the connection failed.
    fn send(&self, method: &str, path: &str, body: Option<(&str, Value)>) -> Option<(u16, Value)> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .timeout(Duration::from_secs(60));
        if let Some((content_type, body)) = body {
            req = req
                .header("content-type", content_type)
                .body(body.to_string());
        }
        let resp = req.send().ok()?;
        let code = resp.status().as_u16();
        let body = resp.bytes().ok()?;
        Some((code, serde_json::from_slice(&body).unwrap_or(Value::Null)))
    }

    fn get(&self, path: &str) -> Value {
        match self.send("GET", path, None) {
            Some((200, v)) => v,
            other => panic!("GET {path}: {other:?}"),
        }
    }

    fn create(&self, collection: &str, object: Value) -> Option<(u16, Value)> {
        self.send("POST", collection, Some(("application/json", object)))
    }
}

fn resource_version(v: &Value) -> i64 {
    v.pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn deployment(name: &str, replicas: i64) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {"replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
}

/// Polls `check` every 200 ms until it holds or `limit` passes; the last failure otherwise.
fn eventually(limit: Duration, mut check: impl FnMut() -> Result<(), String>) {
    let deadline = Instant::now() + limit;
    loop {
        match check() {
            Ok(()) => return,
            Err(why) if Instant::now() >= deadline => panic!("still not so after {limit:?}: {why}"),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

/// Deployments (in `default`) whose available replicas are not yet what they ask for.
fn unavailable(api: &Api, names: &[String]) -> Vec<String> {
    let list = api.get("/apis/apps/v1/namespaces/default/deployments");
    let mut ready: BTreeMap<String, bool> = BTreeMap::new();
    for d in list["items"].as_array().into_iter().flatten() {
        let name = d["metadata"]["name"].as_str().unwrap_or("").to_string();
        let want = d["spec"]["replicas"].as_i64().unwrap_or(1);
        let done = d["status"]["availableReplicas"].as_i64() == Some(want)
            && d["status"]["updatedReplicas"].as_i64() == Some(want)
            && d["status"]["observedGeneration"] == d["metadata"]["generation"];
        ready.insert(name, done);
    }
    names
        .iter()
        .filter(|n| ready.get(*n) != Some(&true))
        .cloned()
        .collect()
}

fn clock_millis(modulo: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    u64::from(nanos) % modulo
}

#[test]
fn kill_9_loses_no_acknowledged_write_and_takes_back_no_revision() {
    let mut s = Server::start(false);
    let mut acked: Vec<String> = Vec::new();
    let mut deployments: Vec<String> = Vec::new();
    for trial in 0..3 {
        let api = Api::of(&s);
        let stop = Arc::new(AtomicBool::new(false));
        let acks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        // Eight clients create ConfigMaps; one creates Deployments, so the control plane
        // writes (deferred) all the while.
        let writers: Vec<_> = (0..9)
            .map(|w| {
                let api = api.clone();
                let stop = stop.clone();
                let acks = acks.clone();
                std::thread::spawn(move || {
                    let mut mine = Vec::new();
                    for n in 0..5_000 {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let (path, name, object) = if w == 8 {
                            let name = format!("d{trial}-{n}");
                            let object = deployment(&name, 1);
                            ("/apis/apps/v1/namespaces/default/deployments", name, object)
                        } else {
                            let name = format!("cm{trial}-{w}-{n}");
                            let object = json!({"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": name}, "data": {"n": n.to_string()}});
                            ("/api/v1/namespaces/default/configmaps", name, object)
                        };
                        match api.create(path, object) {
                            Some((201, v)) => {
                                acks.fetch_add(1, Ordering::SeqCst);
                                mine.push((w == 8, name, resource_version(&v)));
                            }
                            Some((code, v)) => panic!("create {name}: {code} {v}"),
                            None => break, // the server is gone
                        }
                    }
                    mine
                })
            })
            .collect();
        // Kill at a random moment once the clients are writing (a busy machine may take a
        // while to get there).
        eventually(Duration::from_secs(60), || {
            match acks.load(Ordering::SeqCst) {
                n if n >= 20 => Ok(()),
                n => Err(format!("{n} creates acknowledged")),
            }
        });
        std::thread::sleep(Duration::from_millis(clock_millis(800)));
        s.kill_and_restart();
        stop.store(true, Ordering::SeqCst);
        let mut seen_max = 0;
        let mut this_trial = 0;
        for w in writers {
            for (is_deployment, name, rv) in w.join().expect("writer") {
                seen_max = seen_max.max(rv);
                this_trial += 1;
                if is_deployment {
                    deployments.push(name);
                } else {
                    acked.push(name);
                }
            }
        }
        assert!(this_trial > 0, "trial {trial}: nothing was acknowledged");
        let api = Api::of(&s);
        let list = api.get("/api/v1/namespaces/default/configmaps");
        assert!(
            resource_version(&list) >= seen_max,
            "trial {trial}: a client saw revision {seen_max}, the restarted server is at {}",
            resource_version(&list)
        );
        let present: std::collections::BTreeSet<&str> = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["metadata"]["name"].as_str())
            .collect();
        let lost: Vec<&String> = acked
            .iter()
            .filter(|n| !present.contains(n.as_str()))
            .collect();
        assert!(
            lost.is_empty(),
            "trial {trial}: {} of {} acknowledged creates lost, e.g. {:?}",
            lost.len(),
            acked.len(),
            &lost[..lost.len().min(5)]
        );
        eprintln!(
            "trial {trial}: {this_trial} creates acknowledged before SIGKILL; all {} \
             ConfigMaps acknowledged so far present; highest revision seen {seen_max}, \
             restarted at {}",
            acked.len(),
            resource_version(&list)
        );
    }
    // The control plane resumed: every acknowledged Deployment, and a new one, get pods.
    let api = Api::of(&s);
    let created = api.create(
        "/apis/apps/v1/namespaces/default/deployments",
        deployment("after", 2),
    );
    assert_eq!(created.map(|c| c.0), Some(201));
    deployments.push("after".to_string());
    eventually(Duration::from_secs(120), || {
        let left = unavailable(&api, &deployments);
        match left.is_empty() {
            true => Ok(()),
            false => Err(format!(
                "{} deployments not available: {left:?}",
                left.len()
            )),
        }
    });
    assert_eq!(s.stop(), 0, "serve did not stop cleanly on SIGTERM");
}

#[test]
fn the_control_plane_keeps_up_with_clients_writing_hard() {
    let mut s = Server::start(false);
    let api = Api::of(&s);
    let deployments = "/apis/apps/v1/namespaces/default/deployments";
    let configmaps = "/api/v1/namespaces/default/configmaps";
    assert_eq!(
        api.create(deployments, deployment("smp", 2)).map(|c| c.0),
        Some(201)
    );
    // Owners with three dependents each, to be deleted while others write.
    let mut dependents = Vec::new();
    let mut owners = Vec::new();
    for o in 0..10 {
        let owner = format!("owner-{o}");
        let (code, v) = api
            .create(configmaps, json!({"metadata": {"name": owner}}))
            .expect("create owner");
        assert_eq!(code, 201, "{v}");
        let uid = v["metadata"]["uid"].as_str().expect("uid").to_string();
        for d in 0..3 {
            let name = format!("dep-{o}-{d}");
            let object = json!({"metadata": {"name": name, "ownerReferences": [
                {"apiVersion": "v1", "kind": "ConfigMap", "name": owner, "uid": uid}]}});
            assert_eq!(api.create(configmaps, object).map(|c| c.0), Some(201));
            dependents.push(name);
        }
        owners.push(owner);
    }
    let patcher = {
        let api = api.clone();
        std::thread::spawn(move || {
            for n in 0..300 {
                let patch = json!({"spec": {"template": {"metadata": {"annotations":
                    {"kubelite.test/n": n.to_string()}}}}});
                let sent = api.send(
                    "PATCH",
                    "/apis/apps/v1/namespaces/default/deployments/smp",
                    Some(("application/strategic-merge-patch+json", patch)),
                );
                assert_eq!(sent.map(|s| s.0), Some(200), "patch {n}");
            }
        })
    };
    let creator = {
        let api = api.clone();
        std::thread::spawn(move || {
            (0..40)
                .map(|n| {
                    let name = format!("web-{n}");
                    let sent = api.create(deployments, deployment(&name, 1));
                    assert_eq!(sent.map(|s| s.0), Some(201), "create {name}");
                    name
                })
                .collect::<Vec<_>>()
        })
    };
    for owner in &owners {
        let path = format!("{configmaps}/{owner}");
        let body = json!({"propagationPolicy": "Background"});
        let sent = api.send("DELETE", &path, Some(("application/json", body)));
        assert_eq!(sent.map(|s| s.0), Some(200), "delete {owner}");
    }
    patcher.join().expect("patcher");
    let mut names = creator.join().expect("creator");
    names.push("smp".to_string());
    eventually(Duration::from_secs(180), || {
        let left = unavailable(&api, &names);
        let list = api.get(configmaps);
        let remaining: Vec<&str> = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["metadata"]["name"].as_str())
            .filter(|n| dependents.iter().any(|d| d == n))
            .collect();
        if left.is_empty() && remaining.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "not available: {left:?}; dependents left: {remaining:?}"
            ))
        }
    });
    // The newest template rolled out: one ReplicaSet of smp has every replica.
    let rs = api.get("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dsmp");
    let full: Vec<&Value> = rs["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["spec"]["replicas"].as_i64() == Some(2))
        .collect();
    assert_eq!(full.len(), 1, "{rs}");
    assert_eq!(
        full[0]["spec"]["template"]["metadata"]["annotations"]["kubelite.test/n"],
        "299"
    );
    let health = api
        .http
        .get(format!("{}/readyz?verbose", api.url))
        .send()
        .expect("readyz");
    let code = health.status().as_u16();
    assert_eq!(code, 200, "{}", health.text().unwrap_or_default());
    assert_eq!(s.stop(), 0, "serve did not stop cleanly on SIGTERM");
}

#[test]
fn serve_stops_promptly_while_its_control_plane_is_busy() {
    let mut s = Server::start(false);
    let api = Api::of(&s);
    let created = api.create(
        "/apis/apps/v1/namespaces/default/deployments",
        deployment("big", 100_000),
    );
    assert_eq!(created.map(|c| c.0), Some(201));
    // Wait until the control plane is at it: the first pods exist.
    eventually(Duration::from_secs(60), || {
        let pods = api.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dbig&limit=1");
        match pods["items"].as_array().map(Vec::len) {
            Some(n) if n > 0 => Ok(()),
            _ => Err("no pod of big yet".to_string()),
        }
    });
    match s.terminate_within(Duration::from_secs(30)) {
        Some((code, took)) => assert_eq!(code, 0, "exit status after {took:?}"),
        None => panic!("serve did not exit within 30 s of SIGTERM while settling"),
    }
}
