//! A small embedded cluster for controller tests: a fixed clock that tests move forward,
//! and helpers to play the scheduler and kubelet (bind, mark Running/Ready).

use crate::api::options::{ListOptions, WriteOptions};
use crate::client::{Client, Embedded};
use crate::clock::{Clock, timestamp};
use crate::runtime::{Component, Settler};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

static SEQ: AtomicUsize = AtomicUsize::new(0);

pub struct TestCluster {
    dir: PathBuf,
    pub client: Option<Embedded>,
    pub now: DateTime<Utc>,
}

pub fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-29T01:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

impl TestCluster {
    pub fn new(tag: &str) -> TestCluster {
        let n = SEQ.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("kubelite-ctl-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let now = start();
        let client = crate::embedded::open_in(&dir, Clock::Fixed(now), 2).expect("open cluster");
        TestCluster {
            dir,
            client: Some(client),
            now,
        }
    }

    pub fn c(&self) -> &Embedded {
        self.client.as_ref().expect("cluster open")
    }

    /// Moves the cluster's clock forward (reopens the store with the new clock).
    pub fn advance(&mut self, secs: i64) {
        self.client = None;
        self.now += Duration::seconds(secs);
        self.client =
            Some(crate::embedded::open_in(&self.dir, Clock::Fixed(self.now), 2).expect("reopen"));
    }

    /// Runs these controllers until nothing is left to do (and fails a test whose
    /// controllers never settle). Plays the kubelet's last step too: a pod being deleted
    /// gracefully is removed, as its kubelet would remove it once stopped.
    pub fn settle(&self, components: Vec<Box<dyn Component>>) -> usize {
        let client = self.c();
        let mut settler = Settler::new(components);
        let mut busy = 0;
        loop {
            let outcome = settler
                .settle(client, client.server().as_ref(), self.now)
                .expect("settle");
            assert!(outcome.failing.is_empty(), "failed: {:?}", outcome.failing);
            busy += outcome.busy;
            assert!(busy < 100, "the controllers did not settle");
            if self.finish_terminating_pods() == 0 {
                return busy;
            }
        }
    }

    /// Force-deletes pods that have a deletionTimestamp; returns how many.
    fn finish_terminating_pods(&self) -> usize {
        let r = crate::api::registry::find("pods").expect("pods");
        let force = crate::api::options::DeleteOptions {
            grace_period_seconds: Some(0),
            ..Default::default()
        };
        let mut n = 0;
        for p in self.list("pods", None) {
            if p["metadata"].get("deletionTimestamp").is_some() {
                let ns = p["metadata"]["namespace"].as_str().unwrap_or("default");
                let name = p["metadata"]["name"].as_str().unwrap_or("");
                if self.c().delete(r, Some(ns), name, &force).is_ok() {
                    n += 1;
                }
            }
        }
        n
    }

    pub fn create(&self, plural: &str, ns: Option<&str>, obj: Value) -> Value {
        let r = crate::api::registry::find(plural).expect("resource");
        self.c()
            .create(r, ns, obj, &WriteOptions::default())
            .expect("create")
    }

    pub fn get(&self, plural: &str, ns: Option<&str>, name: &str) -> Option<Value> {
        let r = crate::api::registry::find(plural).expect("resource");
        self.c().get(r, ns, name).ok()
    }

    pub fn list(&self, plural: &str, ns: Option<&str>) -> Vec<Value> {
        let r = crate::api::registry::find(plural).expect("resource");
        crate::runtime::items(self.c().list(r, ns, &ListOptions::default()).expect("list"))
    }

    pub fn update(&self, plural: &str, obj: Value) -> Value {
        let r = crate::api::registry::find(plural).expect("resource");
        let ns = obj["metadata"]["namespace"].as_str().map(str::to_string);
        let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
        self.c()
            .update(r, ns.as_deref(), &name, obj, &WriteOptions::default())
            .expect("update")
    }

    /// Plays scheduler and kubelet: binds the pod and marks it Running and Ready.
    pub fn run_pod(&self, pod: &Value, node: &str, ip: &str) {
        let ns = pod["metadata"]["namespace"].as_str().unwrap_or("default");
        let name = pod["metadata"]["name"].as_str().unwrap_or("");
        if pod["spec"]["nodeName"].as_str().is_none() {
            // pods/binding is being fixed on main (its update validation refuses the new
            // nodeName); until then a pod stays unbound here, which these tests tolerate.
            let _ = self.c().server().bind(ns, name, node);
        }
        let mut p = self.get("pods", Some(ns), name).expect("pod");
        let t = timestamp(self.now);
        p["status"]["phase"] = json!("Running");
        p["status"]["podIP"] = json!(ip);
        p["status"]["conditions"] = json!([
            {"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": t},
        ]);
        let r = crate::api::registry::find("pods").expect("pods");
        self.c()
            .update_status(r, Some(ns), name, p, &WriteOptions::default())
            .expect("status");
    }

    /// Runs every pending pod of a namespace, alternating between node01 and node02.
    pub fn run_all(&self, ns: &str) -> usize {
        let mut n = 0;
        for (i, p) in self.list("pods", Some(ns)).iter().enumerate() {
            if p["status"]["phase"] == "Running" || p["metadata"].get("deletionTimestamp").is_some()
            {
                continue;
            }
            let node = if i % 2 == 0 { "node01" } else { "node02" };
            let ip = format!("10.244.{}.{}", 1 + i % 2, 10 + i);
            self.run_pod(p, node, &ip);
            n += 1;
        }
        n
    }

    /// Events of a namespace as `reason: message` lines, oldest first.
    pub fn events(&self, ns: &str) -> Vec<String> {
        self.list("events", Some(ns))
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    e["reason"].as_str().unwrap_or(""),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        self.client = None;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
