//! Controller benchmark (release: `cargo bench --bench controllers`): a Deployment of 1,000
//! replicas on a cluster of 100 workers.
//! - controllers alone: from the Deployment's creation until 1,000 pods exist and the
//!   controllers are settled (Deployment -> ReplicaSet -> pods, events, statuses);
//! - the whole control plane (`cluster::components()`: scheduler, kubelets, controllers):
//!   the same, reporting how many pods are Running at the end;
//! - a full resync (what serve does every few minutes, and a restarted component) of the
//!   whole control plane with that Deployment at `RESYNC_REPLICAS`: its time per component
//!   and how far it raises the process's resident memory above the settled cluster's.

use kubelite::api::options::{ListOptions, WriteOptions};
use kubelite::api::registry;
use kubelite::client::{Client, Embedded};
use kubelite::clock::Clock;
use kubelite::runtime::{Component, Settler};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const REPLICAS: usize = 1_000;
const WORKERS: usize = 100;
/// The Deployment's size for the resync (100 pods a worker).
const RESYNC_REPLICAS: usize = 10_000;

fn deployment(replicas: usize) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "bench", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "bench"}},
            "template": {
                "metadata": {"labels": {"app": "bench"}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27",
                                         "resources": {"requests": {"cpu": "1m", "memory": "1Mi"}}}]},
            },
        },
    })
}

fn pods(client: &Embedded) -> Vec<Value> {
    let r = registry::find("pods").expect("pods");
    let list = client
        .list(r, Some("default"), &ListOptions::default())
        .expect("list pods");
    kubelite::runtime::items(list)
}

/// A component with its time spent in `sync` recorded.
struct Timed {
    inner: Box<dyn Component>,
    spent: std::rc::Rc<std::cell::RefCell<Vec<(&'static str, Duration)>>>,
}

impl Component for Timed {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn sync(
        &mut self,
        ctx: &kubelite::runtime::Context,
    ) -> Result<bool, kubelite::api::status::ApiError> {
        let start = Instant::now();
        let r = self.inner.sync(ctx);
        let d = start.elapsed();
        let name = self.inner.name();
        let mut spent = self.spent.borrow_mut();
        match spent.iter_mut().find(|(n, _)| *n == name) {
            Some((_, t)) => *t += d,
            None => spent.push((name, d)),
        }
        r
    }

    fn next_due(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.inner.next_due()
    }
}

fn report(spent: &[(&'static str, Duration)]) {
    for (name, d) in spent {
        println!("    {name:<32} {:>8.1} ms", d.as_secs_f64() * 1e3);
    }
}

/// This process's resident memory by `/proc/self/status` field (`VmRSS:`, `VmHWM:`), KiB.
fn resident_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Creates the Deployment on a new cluster, settles `components`; returns the settle time,
/// the number of pods and of Running pods.
fn run(
    tag: &str,
    components: Vec<Box<dyn Component>>,
    replicas: usize,
    resync: bool,
) -> (Duration, usize, usize) {
    let dir = std::env::temp_dir().join(format!("kubelite-bench-ctl-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-29T01:42:16Z")
        .expect("time")
        .with_timezone(&chrono::Utc);
    let client = kubelite::embedded::open_in(&dir, Clock::Fixed(now), WORKERS).expect("open");
    // Settle the fresh cluster first, so only the Deployment's work is timed.
    let spent = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let timed: Vec<Box<dyn Component>> = components
        .into_iter()
        .map(|inner| {
            Box::new(Timed {
                inner,
                spent: spent.clone(),
            }) as Box<dyn Component>
        })
        .collect();
    let mut settler = Settler::new(timed);
    settler
        .settle(&client, client.server().as_ref(), now)
        .expect("settle empty");
    let r = registry::find("deployments").expect("deployments");
    client
        .create(
            r,
            Some("default"),
            deployment(replicas),
            &WriteOptions::default(),
        )
        .expect("create deployment");
    spent.borrow_mut().clear();
    let start = Instant::now();
    let passes = settler
        .settle(&client, client.server().as_ref(), now)
        .expect("settle")
        .busy;
    let elapsed = start.elapsed();
    let all = pods(&client);
    let running = all
        .iter()
        .filter(|p| p["status"]["phase"] == "Running")
        .count();
    let n = all.len();
    drop(all);
    println!("  ({tag}: {passes} busy passes)");
    report(&spent.borrow());
    if resync {
        spent.borrow_mut().clear();
        let before = resident_kib("VmRSS:");
        // Linux: writing 5 to clear_refs starts a new high-water mark.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        settler.resync_all();
        let start = Instant::now();
        settler
            .settle(&client, client.server().as_ref(), now)
            .expect("resync");
        println!(
            "full resync with {} pods: {:.1} ms, resident memory {:.0} MiB settled, {:.0} MiB at most during the resync",
            n,
            start.elapsed().as_secs_f64() * 1e3,
            before as f64 / 1024.0,
            resident_kib("VmHWM:") as f64 / 1024.0
        );
        report(&spent.borrow());
    }
    drop(client);
    let _ = std::fs::remove_dir_all(&dir);
    (elapsed, n, running)
}

fn main() {
    println!("Deployment of {REPLICAS} replicas, {WORKERS} worker nodes");
    let (t, n, _) = run("controllers", kubelite::controllers::all(), REPLICAS, false);
    println!(
        "controllers only: {n} pods created and settled in {:.1} ms",
        t.as_secs_f64() * 1e3
    );
    assert_eq!(n, REPLICAS, "the controllers must create every replica");
    let (t, n, running) = run("all", kubelite::embedded::components(None), REPLICAS, false);
    println!(
        "whole control plane: {n} pods, {running} Running, settled in {:.1} ms",
        t.as_secs_f64() * 1e3
    );
    let (t, n, running) = run(
        "resync",
        kubelite::embedded::components(None),
        RESYNC_REPLICAS,
        true,
    );
    println!(
        "whole control plane at {RESYNC_REPLICAS} replicas: {n} pods, {running} Running, settled in {:.1} ms",
        t.as_secs_f64() * 1e3
    );
}
