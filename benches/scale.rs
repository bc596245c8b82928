//! kubelite at scale (release build: `cargo bench --bench scale`): `kubelite serve` with
//! 1,000 worker nodes and 100,000 pods (100 Deployments of 1,000 replicas), the issue's
//! figures one line each:
//! - time from the Deployments' creation to every replica ready, and serve's peak RSS in
//!   each phase (start, create to Running, the lists, the watches);
//! - the store file's size;
//! - `get pods -A` through serve: kubelite as a remote client and the real kubectl (if on the
//!   PATH), time end to end and the client's peak RSS;
//! - serve's share of that: the same Table pages read by a plain HTTP client;
//! - watch latency: 100 watchers of one namespace while 10,000 pods are created in it from
//!   16 clients; per event, the time from the create's answer to the watcher reading it
//!   (p50/p99 over every watcher's ADDED events).
//!
//! `SCALE_NODES` and `SCALE_PODS` choose smaller sizes (e.g. `SCALE_NODES=100
//! SCALE_PODS=10000`); `SCALE_CHURN` the pods of the watch phase.

#[path = "support/serve_child.rs"]
mod serve_child;
#[path = "../tests/serve/trust.rs"]
mod trust;

use serve_child::ServeChild;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const REPLICAS_PER_DEPLOYMENT: usize = 1_000;
const CLIENTS: usize = 16;
const WATCHERS: usize = 100;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Serve {
    process: ServeChild,
    url: String,
    auth: String,
    ca: String,
}

impl Serve {
    fn start(nodes: usize) -> Serve {
        let home =
            std::env::temp_dir().join(format!("kubelite-scale-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).expect("home");
        // SAFETY: set before any thread of this process reads the environment.
        unsafe { std::env::set_var("KUBELITE_WORKERS", nodes.to_string()) };
        let process = ServeChild::spawn(home.clone(), Stdio::inherit());
        // A thousand nodes take a while to make.
        let url = process.url(Duration::from_secs(300));
        let token = std::fs::read_to_string(home.join("serve-token")).expect("token");
        let ca = std::fs::read_to_string(home.join("ca.crt")).expect("ca");
        Serve {
            process,
            url,
            auth: format!("Bearer {}", token.trim()),
            ca,
        }
    }

    fn pid(&self) -> u32 {
        self.process.child.id()
    }

    fn home(&self) -> &Path {
        &self.process.home
    }

    fn http(&self, timeout: Option<Duration>) -> reqwest::blocking::Client {
        trust::https_builder(&self.ca)
            .timeout(timeout)
            .build()
            .expect("client")
    }

    fn post(&self, client: &reqwest::blocking::Client, path: &str, body: String) {
        let resp = client
            .post(format!("{}{path}", self.url))
            .header("Authorization", &self.auth)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .expect("create");
        let status = resp.status().as_u16();
        assert_eq!(status, 201, "{}", resp.text().unwrap_or_default());
    }

    fn get_json(&self, client: &reqwest::blocking::Client, path: &str) -> serde_json::Value {
        let body = client
            .get(format!("{}{path}", self.url))
            .header("Authorization", &self.auth)
            .send()
            .and_then(|r| r.bytes())
            .expect("get");
        serde_json::from_slice(&body).expect("json")
    }
}

/// Serve's resident memory high-water mark since the last `reset_peak`, in MiB.
fn peak_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    kib as f64 / 1024.0
}

/// Starts a new phase of `peak_mib` (Linux: writing 5 to clear_refs resets VmHWM).
fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

fn deployment(name: &str, replicas: usize) -> String {
    serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
            },
        },
    })
    .to_string()
}

fn churn_pod(name: &str) -> String {
    serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "churn"}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}})
    .to_string()
}

/// Creates the Deployments holding `pods` replicas, then waits until every replica is
/// ready; the time from the first create to the last replica ready.
fn deploy(s: &Serve, pods: usize) -> Duration {
    let client = s.http(Some(Duration::from_secs(120)));
    let started = Instant::now();
    let mut left = pods;
    let mut i = 0;
    while left > 0 {
        let replicas = left.min(REPLICAS_PER_DEPLOYMENT);
        let body = deployment(&format!("app-{i:03}"), replicas);
        s.post(
            &client,
            "/apis/apps/v1/namespaces/default/deployments",
            body,
        );
        left -= replicas;
        i += 1;
    }
    // A bounded poll: the slowest figure the issue allows, ten times over.
    let deadline = Instant::now() + Duration::from_secs(1_200);
    loop {
        let list = s.get_json(&client, "/apis/apps/v1/namespaces/default/deployments");
        let ready: u64 = list["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|d| d["status"]["readyReplicas"].as_u64().unwrap_or(0))
                    .sum()
            })
            .unwrap_or(0);
        if ready as usize == pods {
            return started.elapsed();
        }
        assert!(
            Instant::now() < deadline,
            "only {ready} of {pods} replicas ready after 20 minutes"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Runs `program args` with serve's kubeconfig, output discarded; its wall time and peak RSS
/// (MiB, from wait4's rusage).
fn client_run(s: &Serve, program: &str, args: &[&str]) -> Option<(Duration, f64)> {
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .env("KUBECONFIG", s.home().join("kubeconfig"))
        .env_remove("KUBELITE_HOME")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .ok()?;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of that plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not yet waited for; both pointers are to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{program} {args:?} failed"
    );
    Some((elapsed, usage.ru_maxrss as f64 / 1024.0))
}

/// The median of three runs of `get pods -A` by `program`.
fn get_pods_all(s: &Serve, program: &str) -> Option<(Duration, f64)> {
    let mut runs: Vec<(Duration, f64)> = (0..3)
        .map(|_| client_run(s, program, &["get", "pods", "-A"]))
        .collect::<Option<_>>()?;
    runs.sort_by_key(|r| r.0);
    Some(runs[1])
}

/// What kubectl asks for a Table of every pod, in pages of 500 following `continue`, read
/// by one client over one connection: serve's own share of `get pods -A` (no client decoding
/// or printing), the median of three walks; and the rows read.
fn table_pages(s: &Serve) -> (Duration, usize) {
    const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    let client = s.http(Some(Duration::from_secs(120)));
    let mut walks: Vec<(Duration, usize)> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let (mut rows, mut next) = (0, String::new());
            loop {
                let mut url = format!("{}/api/v1/pods?limit=500", s.url);
                if !next.is_empty() {
                    url.push_str(&format!("&continue={next}"));
                }
                let body = client
                    .get(url)
                    .header("Authorization", &s.auth)
                    .header("Accept", TABLE)
                    .send()
                    .and_then(|r| r.bytes())
                    .expect("page");
                let page: serde_json::Value = serde_json::from_slice(&body).expect("json");
                rows += page["rows"].as_array().map_or(0, Vec::len);
                match page["metadata"]["continue"].as_str() {
                    Some(c) if !c.is_empty() => next = c.to_string(),
                    _ => break,
                }
            }
            (started.elapsed(), rows)
        })
        .collect();
    walks.sort_by_key(|w| w.0);
    walks[1]
}

/// `WATCHERS` watches of namespace `churn` while `pods` pods are created in it from
/// `CLIENTS` clients; each ADDED event's delay after its create was answered, sorted.
fn watch_latency(s: &Serve, pods: usize) -> Vec<Duration> {
    let client = s.http(None);
    s.post(
        &client,
        "/api/v1/namespaces",
        r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"churn"}}"#.to_string(),
    );
    let list = s.get_json(&client, "/api/v1/namespaces/churn/pods");
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap_or("0")
        .to_string();
    let (ready_tx, ready_rx) = mpsc::channel();
    let watchers: Vec<_> = (0..WATCHERS)
        .map(|_| {
            // A watcher that misses a create fails after this instead of waiting forever.
            let client = s.http(Some(Duration::from_secs(600)));
            let url = format!(
                "{}/api/v1/namespaces/churn/pods?watch=true&resourceVersion={rv}",
                s.url
            );
            let (auth, ready) = (s.auth.clone(), ready_tx.clone());
            std::thread::spawn(move || {
                let resp = client
                    .get(&url)
                    .header("Authorization", &auth)
                    .send()
                    .expect("watch");
                let _ = ready.send(());
                let mut seen = HashMap::with_capacity(pods);
                for line in BufReader::new(resp).lines() {
                    let Ok(line) = line else { break };
                    if !line.starts_with(r#"{"type":"ADDED""#) {
                        continue;
                    }
                    let at = Instant::now();
                    let event: serde_json::Value = serde_json::from_str(&line).expect("event");
                    let name = event["object"]["metadata"]["name"].as_str().unwrap_or("");
                    seen.insert(name.to_string(), at);
                    if seen.len() == pods {
                        break;
                    }
                }
                seen
            })
        })
        .collect();
    for _ in 0..WATCHERS {
        ready_rx.recv().expect("watcher ready");
    }
    let answered: HashMap<String, Instant> = std::thread::scope(|scope| {
        let creators: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let client = s.http(Some(Duration::from_secs(120)));
                scope.spawn(move || {
                    (c..pods)
                        .step_by(CLIENTS)
                        .map(|i| {
                            let name = format!("churn-{i:05}");
                            s.post(&client, "/api/v1/namespaces/churn/pods", churn_pod(&name));
                            (name, Instant::now())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        creators
            .into_iter()
            .flat_map(|c| c.join().expect("creator"))
            .collect()
    });
    let mut delays = Vec::with_capacity(pods * WATCHERS);
    for w in watchers {
        let seen = w.join().expect("watcher");
        assert_eq!(seen.len(), pods, "a watcher missed creates");
        for (name, at) in seen {
            // An event read before its create's answer came back counts as no delay.
            delays.push(at.saturating_duration_since(answered[&name]));
        }
    }
    delays.sort();
    delays
}

fn main() {
    let nodes = setting("SCALE_NODES", 1_000);
    let pods = setting("SCALE_PODS", 100_000);
    let churn = setting("SCALE_CHURN", 10_000);
    println!("scale: {nodes} worker nodes, {pods} pods, {churn} pods of churn");

    let started = Instant::now();
    let s = Serve::start(nodes);
    let pid = s.pid();
    println!(
        "start: serve with {nodes} nodes answering in {:.2} s, peak RSS {:.0} MiB",
        started.elapsed().as_secs_f64(),
        peak_mib(pid)
    );

    reset_peak(pid);
    let t = deploy(&s, pods);
    println!(
        "create to Running: {pods} replicas ready in {:.1} s ({:.0} pods/s), serve's peak RSS {:.0} MiB",
        t.as_secs_f64(),
        pods as f64 / t.as_secs_f64(),
        peak_mib(pid)
    );
    let store = std::fs::metadata(s.home().join("cluster.redb")).map_or(0, |m| m.len());
    println!(
        "store: {:.1} MiB ({:.1} KB a pod)",
        store as f64 / (1 << 20) as f64,
        store as f64 / pods as f64 / 1e3
    );

    reset_peak(pid);
    let kubelite = env!("CARGO_BIN_EXE_kubelite");
    for (who, program) in [("kubelite remote", kubelite), ("real kubectl", "kubectl")] {
        match get_pods_all(&s, program) {
            Some((t, rss)) => println!(
                "get pods -A through serve, {who}: {:.2} s median of 3, client peak RSS {rss:.0} MiB",
                t.as_secs_f64()
            ),
            None => println!("get pods -A through serve, {who}: not on the PATH: SKIPPED"),
        }
    }
    let (t, rows) = table_pages(&s);
    println!(
        "Table of all pods in pages of 500 (kubectl's requests), serve alone: {rows} rows in {:.2} s, median of 3",
        t.as_secs_f64()
    );
    println!("lists: serve's peak RSS {:.0} MiB", peak_mib(pid));

    if churn == 0 {
        println!("watch latency: SCALE_CHURN=0: SKIPPED");
        return;
    }
    reset_peak(pid);
    let delays = watch_latency(&s, churn);
    let at = |q: f64| delays[((delays.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    println!(
        "watch latency: {WATCHERS} watchers, {churn} pods created: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; serve's peak RSS {:.0} MiB",
        at(0.5),
        at(0.99),
        at(1.0),
        peak_mib(pid)
    );
}
