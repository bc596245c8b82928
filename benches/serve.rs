//! `kubelite serve` under load, over HTTPS: 5,000 durable ConfigMap creates from 16 concurrent
//! clients beside the real etcd's durable puts from as many clients (if `etcd` is on the
//! PATH), 5,000 pod creates, lists of 10,000 pods as JSON and as a Table, 100 watchers each
//! receiving 1,000 updates, and the server's memory holding 10,000 pods.
//!
//! `cargo bench --bench serve` (release build). Prints one line per figure.

#[path = "support/serve_child.rs"]
mod serve_child;
#[path = "../tests/serve/trust.rs"]
mod trust;

use serve_child::ServeChild;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
const CREATES: usize = 5_000;
const TOTAL_PODS: usize = 10_000;
const WATCHERS: usize = 100;
const UPDATES: usize = 1_000;

struct Serve {
    process: ServeChild,
    url: String,
    token: String,
    ca: Vec<u8>,
}

fn start() -> Serve {
    let home = std::env::temp_dir().join(format!("kubelite-serve-bench-{}", std::process::id()));
    let process = ServeChild::spawn(home.clone(), Stdio::inherit());
    let url = process.url(Duration::from_secs(60));
    let token = std::fs::read_to_string(home.join("serve-token"))
        .expect("token")
        .trim()
        .to_string();
    let ca = std::fs::read(home.join("ca.crt")).expect("ca");
    Serve {
        process,
        url,
        token,
        ca,
    }
}

fn http(s: &Serve) -> reqwest::blocking::Client {
    http_with_timeout(s, None)
}

fn http_with_timeout(s: &Serve, timeout: Option<Duration>) -> reqwest::blocking::Client {
    trust::https_builder(&String::from_utf8_lossy(&s.ca))
        .timeout(timeout)
        .build()
        .expect("client")
}

fn pod(name: &str) -> String {
    serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "bench"}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}]}})
    .to_string()
}

fn configmap(name: &str) -> String {
    serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name}, "data": {"key": "value"}})
    .to_string()
}

/// Creates pods `from..to` from `CLIENTS` threads; returns the elapsed time.
fn create_pods(s: &Serve, from: usize, to: usize) -> Duration {
    create(s, "pods", pod, from, to)
}

/// Creates objects `from..to` of a core collection from `CLIENTS` threads, each POST
/// answered only once durable; returns the elapsed time.
fn create(s: &Serve, plural: &str, object: fn(&str) -> String, from: usize, to: usize) -> Duration {
    let url = format!("{}/api/v1/namespaces/default/{plural}", s.url);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for c in 0..CLIENTS {
            let client = http(s);
            let (url, auth) = (url.clone(), format!("Bearer {}", s.token));
            scope.spawn(move || {
                for i in (from + c..to).step_by(CLIENTS) {
                    let resp = client
                        .post(&url)
                        .header("Authorization", &auth)
                        .header("Content-Type", "application/json")
                        .body(object(&format!("bench-{i:05}")))
                        .send()
                        .expect("create");
                    assert_eq!(
                        resp.status().as_u16(),
                        201,
                        "{}",
                        resp.text().unwrap_or_default()
                    );
                }
            });
        }
    });
    started.elapsed()
}

/// Median time of `n` full lists with the given Accept header, and the body size.
fn list(s: &Serve, accept: &str, n: usize) -> (Duration, usize) {
    let client = http(s);
    let url = format!("{}/api/v1/namespaces/default/pods", s.url);
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..n {
        let t = Instant::now();
        let body = client
            .get(&url)
            .header("Authorization", format!("Bearer {}", s.token))
            .header("Accept", accept)
            .send()
            .and_then(|r| r.bytes())
            .expect("list");
        times.push(t.elapsed());
        size = body.len();
    }
    times.sort();
    (times[n / 2], size)
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// `WATCHERS` watch streams on one ConfigMap's namespace; `UPDATES` patches; the time until
/// every watcher has seen every update.
fn watchers(s: &Serve) -> Duration {
    let client = http(s);
    let auth = format!("Bearer {}", s.token);
    let base = format!("{}/api/v1/namespaces/kube-public/configmaps", s.url);
    let created = client
        .post(&base)
        .header("Authorization", &auth)
        .header("Content-Type", "application/json")
        .body(r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"counter"},"data":{"n":"0"}}"#)
        .send()
        .and_then(|r| r.bytes())
        .expect("configmap");
    let created: serde_json::Value = serde_json::from_slice(&created).expect("configmap json");
    let rv = created["metadata"]["resourceVersion"]
        .as_str()
        .unwrap_or("0")
        .to_string();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let mut handles = Vec::new();
    for _ in 0..WATCHERS {
        // A watcher that misses an update fails after this, instead of waiting forever.
        let client = http_with_timeout(s, Some(Duration::from_secs(60)));
        let (url, auth, ready) = (
            format!("{base}?watch=true&resourceVersion={rv}"),
            auth.clone(),
            ready_tx.clone(),
        );
        handles.push(std::thread::spawn(move || {
            let resp = client
                .get(&url)
                .header("Authorization", &auth)
                .send()
                .expect("watch");
            let _ = ready.send(());
            let mut seen = 0;
            for line in BufReader::new(resp).lines() {
                let Ok(line) = line else { break };
                if line.contains("\"MODIFIED\"") {
                    seen += 1;
                    if seen == UPDATES {
                        break;
                    }
                }
            }
            seen
        }));
    }
    for _ in 0..WATCHERS {
        ready_rx.recv().expect("watcher ready");
    }
    let started = Instant::now();
    for i in 1..=UPDATES {
        let resp = client
            .patch(format!("{base}/counter"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/merge-patch+json")
            .body(format!(r#"{{"data":{{"n":"{i}"}}}}"#))
            .send()
            .expect("patch");
        assert_eq!(resp.status().as_u16(), 200);
    }
    let updates_done = started.elapsed();
    for h in handles {
        assert_eq!(
            h.join().expect("watcher"),
            UPDATES,
            "a watcher missed updates"
        );
    }
    println!(
        "  ({UPDATES} updates sent in {:.0} ms)",
        updates_done.as_secs_f64() * 1e3
    );
    started.elapsed()
}

fn main() {
    let s = start();
    let pid = s.process.child.id();
    let idle = rss_kib(pid, "VmRSS:");
    let t = create(&s, "configmaps", configmap, 0, CREATES);
    println!(
        "durable creates: {CREATES} ConfigMaps from {CLIENTS} HTTPS clients in {:.2} s = {:.0} creates/s",
        t.as_secs_f64(),
        CREATES as f64 / t.as_secs_f64()
    );
    match etcd_puts(CREATES) {
        Some(t) => println!(
            "durable creates: real etcd, {CREATES} puts from {CLIENTS} clients (its JSON gateway, plain HTTP) in {:.2} s = {:.0} puts/s",
            t.as_secs_f64(),
            CREATES as f64 / t.as_secs_f64()
        ),
        None => println!("durable creates: real etcd not on the PATH: SKIPPED"),
    }
    let t = create_pods(&s, 0, CREATES);
    println!(
        "create: {CREATES} pods from {CLIENTS} HTTPS clients in {:.2} s = {:.0} creates/s",
        t.as_secs_f64(),
        CREATES as f64 / t.as_secs_f64()
    );
    let t = create_pods(&s, CREATES, TOTAL_PODS);
    println!(
        "create: {} more pods in {:.2} s",
        TOTAL_PODS - CREATES,
        t.as_secs_f64()
    );
    std::thread::sleep(Duration::from_secs(2));
    println!(
        "memory: serve holding {TOTAL_PODS} pods: VmRSS {:.1} MB (peak so far {:.1} MB; {:.1} MB before the creates)",
        rss_kib(pid, "VmRSS:") as f64 / 1024.0,
        rss_kib(pid, "VmHWM:") as f64 / 1024.0,
        idle as f64 / 1024.0
    );
    let (t, size) = list(&s, "application/json", 5);
    println!(
        "list: {TOTAL_PODS} pods as JSON: {:.1} ms median ({:.1} MB)",
        t.as_secs_f64() * 1e3,
        size as f64 / 1e6
    );
    let table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    let (t, size) = list(&s, table, 5);
    println!(
        "list: {TOTAL_PODS} pods as Table: {:.1} ms median ({:.1} MB)",
        t.as_secs_f64() * 1e3,
        size as f64 / 1e6
    );
    std::thread::sleep(Duration::from_secs(2));
    println!(
        "memory: after the lists: VmRSS {:.1} MB (peak {:.1} MB)",
        rss_kib(pid, "VmRSS:") as f64 / 1024.0,
        rss_kib(pid, "VmHWM:") as f64 / 1024.0,
    );
    let t = watchers(&s);
    println!(
        "watch: {WATCHERS} watchers each received all {UPDATES} updates in {:.2} s",
        t.as_secs_f64()
    );
}

/// The real etcd, on loopback with a fresh data directory, taking `n` puts of ConfigMap-sized
/// values from `CLIENTS` threads through its JSON gateway; the elapsed time.
fn etcd_puts(n: usize) -> Option<Duration> {
    use base64::Engine;
    // reqwest is built without a TLS provider of its own; plain HTTP still asks for one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = std::env::temp_dir().join(format!("kubelite-bench-etcd-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = free_port();
    let client_url = format!("http://127.0.0.1:{port}");
    let peer_url = format!("http://127.0.0.1:{}", free_port());
    let mut etcd = Command::new("etcd")
        .args(["--data-dir", &dir.display().to_string()])
        .args(["--listen-client-urls", &client_url])
        .args(["--advertise-client-urls", &client_url])
        .args(["--listen-peer-urls", &peer_url])
        .args(["--initial-advertise-peer-urls", &peer_url])
        .args(["--initial-cluster", &format!("default={peer_url}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let put_url = format!("{client_url}/v3/kv/put");
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let ready = reqwest::blocking::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while ready
        .post(&put_url)
        .body(format!(
            r#"{{"key":"{}","value":"{}"}}"#,
            b64("ready"),
            b64("1")
        ))
        .send()
        .map_or(true, |r| !r.status().is_success())
    {
        assert!(Instant::now() < deadline, "etcd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let value = b64(&configmap("bench"));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for c in 0..CLIENTS {
            let (client, put_url, value) = (reqwest::blocking::Client::new(), &put_url, &value);
            scope.spawn(move || {
                for i in (c..n).step_by(CLIENTS) {
                    let key = b64(&format!("/registry/configmaps/default/bench-{i:05}"));
                    let resp = client
                        .post(put_url)
                        .body(format!(r#"{{"key":"{key}","value":"{value}"}}"#))
                        .send()
                        .expect("etcd put");
                    assert!(resp.status().is_success());
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let _ = etcd.kill();
    let _ = etcd.wait();
    let _ = std::fs::remove_dir_all(&dir);
    Some(elapsed)
}

/// A loopback port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}
