//! `kubelite serve` on a real etcd beside `kubelite serve` on its redb file, side by side in
//! one run: durable ConfigMap creates from 16 concurrent HTTPS clients, and the same etcd's
//! own durable puts of the same size from as many clients (over gRPC on one connection, as
//! etcd's benchmark tool; and through its JSON gateway), the ceiling serve on etcd can reach;
//! then a list of every ConfigMap, and of `KUBELITE_BENCH_PODS` pods (3,000 unless set),
//! through each server. `KUBELITE_BENCH_CREATES_ONLY` stops after serve's creates on etcd
//! (with etcd's count of the calls they cost).
//!
//! `cargo bench --bench serve_etcd` (release build; needs `etcd` on the PATH). Prints one
//! line per figure.

#[path = "../tests/serve/trust.rs"]
mod trust;

use base64::Engine;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
/// ConfigMaps each run creates (and puts of etcd's): `KUBELITE_BENCH_CREATES`, 3,000 unless
/// set (more gives a profiler something to sample).
fn creates() -> usize {
    std::env::var("KUBELITE_BENCH_CREATES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3_000)
}

struct Serve {
    child: Child,
    home: PathBuf,
    url: String,
    token: String,
    ca: String,
}

impl Serve {
    fn start(tag: &str, flags: &[&str]) -> Serve {
        let home =
            std::env::temp_dir().join(format!("kubelite-bench-serve-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let child = Command::new(env!("CARGO_BIN_EXE_kubelite"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(flags)
            .env("KUBELITE_HOME", &home)
            .env_remove("KUBELITE_NOW")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start serve");
        let deadline = Instant::now() + Duration::from_secs(90);
        let url = loop {
            if let Ok(t) = std::fs::read_to_string(home.join("serve.json"))
                && let Ok(v) = serde_json::from_str::<serde_json::Value>(&t)
                && let Some(u) = v["url"].as_str()
            {
                break u.to_string();
            }
            assert!(Instant::now() < deadline, "serve {flags:?} did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        let token = std::fs::read_to_string(home.join("serve-token"))
            .expect("token")
            .trim()
            .to_string();
        let ca = std::fs::read_to_string(home.join("ca.crt")).expect("ca");
        Serve {
            child,
            home,
            url,
            token,
            ca,
        }
    }

    fn http(&self) -> reqwest::blocking::Client {
        trust::https_builder(&self.ca).build().expect("client")
    }

    /// `creates()` ConfigMaps from `CLIENTS` threads, each POST answered once durable.
    fn create_configmaps(&self) -> Duration {
        self.create("configmaps", creates(), configmap)
    }

    /// `count` objects of `resource` in `default` from `CLIENTS` threads.
    fn create(&self, resource: &str, count: usize, make: fn(&str) -> String) -> Duration {
        let url = format!("{}/api/v1/namespaces/default/{resource}", self.url);
        let started = Instant::now();
        std::thread::scope(|scope| {
            for c in 0..CLIENTS {
                let (client, url, auth) = (self.http(), &url, format!("Bearer {}", self.token));
                scope.spawn(move || {
                    for i in (c..count).step_by(CLIENTS) {
                        let resp = client
                            .post(url)
                            .header("Authorization", &auth)
                            .header("Content-Type", "application/json")
                            .body(make(&format!("bench-{i:05}")))
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

    /// Median of five lists of the default namespace's ConfigMaps.
    fn list_configmaps(&self) -> Duration {
        self.list("configmaps", creates())
    }

    /// Median of five lists of the default namespace's `resource` (`count` of them).
    fn list(&self, resource: &str, count: usize) -> Duration {
        let client = self.http();
        let url = format!("{}/api/v1/namespaces/default/{resource}", self.url);
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                let body = client
                    .get(&url)
                    .header("Authorization", format!("Bearer {}", self.token))
                    .send()
                    .and_then(|r| r.bytes())
                    .expect("list");
                assert!(body.len() > count * 50, "a short list");
                started.elapsed()
            })
            .collect();
        times.sort();
        times[2]
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        // SAFETY: the pid is our own child, not yet waited for (so not reused).
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// A pod bound to a node that does not exist: stored as a pod is, run by no kubelet.
fn pod(name: &str) -> String {
    serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "bench"}},
        "spec": {"nodeName": "bench-nowhere",
            "containers": [{"name": "web", "image": "nginx:1.27",
                "ports": [{"containerPort": 80}],
                "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}})
    .to_string()
}

fn configmap(name: &str) -> String {
    serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name}, "data": {"key": "value"}})
    .to_string()
}

struct Etcd {
    child: Child,
    dir: PathBuf,
    url: String,
}

impl Etcd {
    fn start() -> Option<Etcd> {
        let dir = std::env::temp_dir().join(format!("kubelite-bench-etcd-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let url = format!("http://127.0.0.1:{}", free_port());
        let peer = format!("http://127.0.0.1:{}", free_port());
        let child = Command::new("etcd")
            .args(["--data-dir", &dir.display().to_string()])
            .args([
                "--listen-client-urls",
                &url,
                "--advertise-client-urls",
                &url,
            ])
            .args([
                "--listen-peer-urls",
                &peer,
                "--initial-advertise-peer-urls",
                &peer,
            ])
            .args(["--initial-cluster", &format!("default={peer}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let etcd = Etcd { child, dir, url };
        let deadline = Instant::now() + Duration::from_secs(30);
        while etcd
            .put(&reqwest::blocking::Client::new(), "ready", "1")
            .is_err()
        {
            assert!(Instant::now() < deadline, "etcd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(etcd)
    }

    fn put(
        &self,
        client: &reqwest::blocking::Client,
        key: &str,
        value: &str,
    ) -> Result<(), String> {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let resp = client
            .post(format!("{}/v3/kv/put", self.url))
            .body(format!(
                r#"{{"key":"{}","value":"{}"}}"#,
                b64(key),
                b64(value)
            ))
            .send()
            .map_err(|e| e.to_string())?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(resp.status().to_string())
        }
    }

    /// `creates()` puts of ConfigMap-sized values from `CLIENTS` threads over gRPC, on one
    /// connection (kubelite's etcd client).
    fn grpc_puts(&self) -> Duration {
        use kubelite::store::Store;
        let etcd = kubelite::store::etcd::EtcdStore::connect(
            std::slice::from_ref(&self.url),
            Duration::from_secs(5),
            Duration::from_secs(10),
        )
        .expect("connect to etcd over gRPC");
        let value = configmap("bench");
        let started = Instant::now();
        std::thread::scope(|scope| {
            for c in 0..CLIENTS {
                let (value, etcd) = (&value, &etcd);
                scope.spawn(move || {
                    for i in (c..creates()).step_by(CLIENTS) {
                        let key = format!("/bench-grpc/configmaps/default/bench-{i:05}");
                        etcd.put(key.as_bytes(), value.as_bytes(), false)
                            .expect("etcd put");
                    }
                });
            }
        });
        started.elapsed()
    }

    /// `creates()` puts of ConfigMap-sized values from `CLIENTS` threads.
    fn puts(&self) -> Duration {
        let value = configmap("bench");
        let started = Instant::now();
        std::thread::scope(|scope| {
            for c in 0..CLIENTS {
                let value = &value;
                scope.spawn(move || {
                    let client = reqwest::blocking::Client::new();
                    for i in (c..creates()).step_by(CLIENTS) {
                        self.put(
                            &client,
                            &format!("/bench/configmaps/default/bench-{i:05}"),
                            value,
                        )
                        .expect("etcd put");
                    }
                });
            }
        });
        started.elapsed()
    }
}

impl Etcd {
    /// etcd's count of the gRPC calls it answered, by method (`/metrics`), and of the
    /// messages its watch streams sent.
    fn rpcs(&self) -> std::collections::BTreeMap<String, f64> {
        let text = reqwest::blocking::get(format!("{}/metrics", self.url))
            .and_then(|r| r.text())
            .expect("etcd's metrics");
        let mut counts = std::collections::BTreeMap::new();
        for line in text.lines() {
            let (name, counted) = if line.starts_with("grpc_server_handled_total{") {
                ("", true)
            } else if line.starts_with("grpc_server_msg_sent_total{")
                && line.contains("grpc_type=\"bidi_stream\"")
            {
                (" messages sent", true)
            } else {
                ("", false)
            };
            if !counted {
                continue;
            }
            let Some(method) = line
                .split("grpc_method=\"")
                .nth(1)
                .and_then(|m| m.split('"').next())
            else {
                continue;
            };
            let n: f64 = line
                .rsplit(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0.0);
            *counts.entry(format!("{method}{name}")).or_insert(0.0) += n;
        }
        counts
    }

    /// What etcd answered between `before` and now, per one of `count` creates.
    fn rpcs_per(&self, before: &std::collections::BTreeMap<String, f64>, count: usize) -> String {
        self.rpcs()
            .into_iter()
            .filter_map(|(method, n)| {
                let d = n - before.get(&method).copied().unwrap_or(0.0);
                (d > 0.0).then(|| format!("{method} {:.2}", d / count as f64))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn rate(what: &str, t: Duration) {
    println!(
        "{what}: {} from {CLIENTS} clients in {:.2} s = {:.0}/s",
        creates(),
        t.as_secs_f64(),
        creates() as f64 / t.as_secs_f64()
    );
}

fn main() {
    // reqwest is built without a TLS provider of its own; plain HTTP still asks for one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let Some(etcd) = Etcd::start() else {
        println!("serve on etcd: `etcd` is not on the PATH: SKIPPED");
        return;
    };
    let pods: usize = std::env::var("KUBELITE_BENCH_PODS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3_000);
    rate(
        "real etcd: durable puts (gRPC, 1 connection)",
        etcd.grpc_puts(),
    );
    rate("real etcd: durable puts (JSON gateway)", etcd.puts());
    let on_etcd = Serve::start("etcd", &["--etcd-servers", &etcd.url]);
    let before = etcd.rpcs();
    rate(
        "serve on etcd: durable ConfigMap creates",
        on_etcd.create_configmaps(),
    );
    println!(
        "serve on etcd: etcd's calls per create: {}",
        etcd.rpcs_per(&before, creates())
    );
    if std::env::var_os("KUBELITE_BENCH_CREATES_ONLY").is_some() {
        return;
    }
    println!(
        "serve on etcd: list of {} ConfigMaps: {:.1} ms median",
        creates(),
        on_etcd.list_configmaps().as_secs_f64() * 1e3
    );
    let made = on_etcd.create("pods", pods, pod);
    println!(
        "serve on etcd: {pods} pods created in {:.2} s; list of them: {:.1} ms median",
        made.as_secs_f64(),
        on_etcd.list("pods", pods).as_secs_f64() * 1e3
    );
    drop(on_etcd);
    let on_redb = Serve::start("redb", &[]);
    rate(
        "serve on redb: durable ConfigMap creates",
        on_redb.create_configmaps(),
    );
    println!(
        "serve on redb: list of {} ConfigMaps: {:.1} ms median",
        creates(),
        on_redb.list_configmaps().as_secs_f64() * 1e3
    );
    let made = on_redb.create("pods", pods, pod);
    println!(
        "serve on redb: {pods} pods created in {:.2} s; list of them: {:.1} ms median",
        made.as_secs_f64(),
        on_redb.list("pods", pods).as_secs_f64() * 1e3
    );
}
