//! `kubelite serve --etcd-servers`: the cluster kept in a real etcd (Debian's 3.4, started
//! here on free loopback ports), driven by the real kubectl and read back with the real
//! etcdctl.

#[path = "support/loopback.rs"]
mod loopback;
use loopback::free_port;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kubelite");

/// Skips, loudly, where etcd, etcdctl or kubectl is missing: the oracles cannot run there.
macro_rules! require_tools {
    () => {
        if !tools_present() {
            eprintln!(
                "\n\n!!!!!!!! SKIPPED: `etcd`, `etcdctl` and `kubectl` must be on PATH.\n!!!!!!!! \
                 Install them (apt-get install -y etcd-server etcd-client) to run the tests of \
                 serve on etcd.\n\n"
            );
            return;
        }
    };
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

fn tools_present() -> bool {
    on_path("etcd") && on_path("etcdctl") && on_path("kubectl")
}

fn temp_dir(tag: &str) -> PathBuf {
    loopback::temp_dir("kl-serve-etcd", tag)
}

/// Polls `ok` every 200 ms for at most `limit`; whether it came true.
fn eventually(limit: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    ok()
}

/// A real etcd on fixed loopback ports and its own data dir, which can be stopped and
/// started again on both; killed and removed on drop.
struct Etcd {
    child: Option<Child>,
    dir: PathBuf,
    client: u16,
    peer: u16,
}

impl Etcd {
    fn start() -> Etcd {
        let mut etcd = Etcd {
            child: None,
            dir: temp_dir("etcd"),
            client: free_port(),
            peer: free_port(),
        };
        etcd.resume();
        etcd
    }

    fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.client)
    }

    fn url(&self) -> String {
        format!("http://{}", self.endpoint())
    }

    /// Starts the process (again) on the same data and ports; waits until it is healthy.
    fn resume(&mut self) {
        let (client, peer) = (self.client, self.peer);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("etcd.log"))
            .expect("log file");
        let child = Command::new("etcd")
            .arg("--name=default")
            .arg(format!("--data-dir={}", self.dir.join("data").display()))
            .arg(format!("--listen-client-urls=http://127.0.0.1:{client}"))
            .arg(format!("--advertise-client-urls=http://127.0.0.1:{client}"))
            .arg(format!("--listen-peer-urls=http://127.0.0.1:{peer}"))
            .arg(format!(
                "--initial-advertise-peer-urls=http://127.0.0.1:{peer}"
            ))
            .arg(format!("--initial-cluster=default=http://127.0.0.1:{peer}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start etcd");
        self.child = Some(child);
        let healthy = eventually(Duration::from_secs(20), || {
            self.etcdctl(&["endpoint", "health"]).status.success()
        });
        assert!(
            healthy,
            "etcd on {} did not become healthy",
            self.endpoint()
        );
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The real etcdctl against this etcd.
    fn etcdctl(&self, args: &[&str]) -> Output {
        Command::new("etcdctl")
            .env_clear()
            .env("ETCDCTL_API", "3")
            .arg(format!("--endpoints={}", self.endpoint()))
            .args(args)
            .output()
            .expect("run etcdctl")
    }

    /// The keys under `prefix`, as `etcdctl get --prefix --keys-only` prints them.
    fn keys(&self, prefix: &str) -> Vec<String> {
        let out = self.etcdctl(&["get", "--prefix", "--keys-only", prefix]);
        assert!(out.status.success(), "etcdctl get: {out:?}");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `kubelite serve` on its own home; stopped (SIGTERM, then SIGKILL) and its home removed
/// on drop.
struct Serve {
    child: Option<Child>,
    home: PathBuf,
    owns_home: bool,
}

impl Serve {
    fn start(flags: &[&str]) -> Serve {
        Serve::start_in(temp_dir("home"), true, flags)
    }

    fn start_in(home: PathBuf, owns_home: bool, flags: &[&str]) -> Serve {
        let _ = std::fs::remove_file(home.join("serve.json"));
        let child = serve_command(&home, flags)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kubelite serve");
        let pid = u64::from(child.id());
        let mut serve = Serve {
            child: Some(child),
            home,
            owns_home,
        };
        let started = eventually(Duration::from_secs(90), || {
            std::fs::read_to_string(serve.home.join("serve.json"))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .is_some_and(|v| v["pid"].as_u64() == Some(pid) && v["url"].is_string())
        });
        if !started {
            let status = serve
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok())
                .flatten();
            panic!("kubelite serve {flags:?} did not start (exit: {status:?})");
        }
        serve
    }

    fn kubectl(&self, args: &[&str]) -> Output {
        Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(self.home.join("kubeconfig"))
            .arg("--cache-dir")
            .arg(self.home.join("kubectl-cache"))
            .args(args)
            .env_remove("KUBECONFIG")
            .output()
            .expect("run kubectl")
    }

    /// Stops the server as Ctrl-C does and waits for it; its exit code.
    fn stop(&mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        // SAFETY: the pid is our own child, not yet waited for (so not reused).
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.stop();
        if self.owns_home {
            let _ = std::fs::remove_dir_all(&self.home);
        }
    }
}

fn serve_command(home: &Path, flags: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0"])
        .args(flags)
        .env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW");
    cmd
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The pods of `app` in `default` are `want` and all Running.
fn running(serve: &Serve, app: &str, want: usize) -> bool {
    let out = serve.kubectl(&[
        "get",
        "pods",
        "-l",
        &format!("app={app}"),
        "-o",
        "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}",
    ]);
    let phases = String::from_utf8_lossy(&out.stdout).into_owned();
    let phases: Vec<&str> = phases.lines().collect();
    phases.len() == want && phases.iter().all(|p| *p == "Running")
}

/// Creates Deployment `web` (two nginx replicas) through `via` and waits (bounded) until
/// `seen_by` shows both its pods Running.
fn run_web(via: &Serve, seen_by: &Serve) {
    let created = via.kubectl(&[
        "create",
        "deployment",
        "web",
        "--image=nginx",
        "--replicas=2",
    ]);
    assert!(created.status.success(), "{}", text(&created));
    assert!(
        eventually(Duration::from_secs(120), || running(seen_by, "web", 2)),
        "the Deployment's pods did not run: {}",
        text(&seen_by.kubectl(&["get", "pods", "-A"]))
    );
}

#[test]
fn a_deployment_runs_on_etcd_under_kube_apiserver_keys_and_outlives_a_restart() {
    require_tools!();
    let etcd = Etcd::start();
    let url = etcd.url();
    let flags = ["--etcd-servers", url.as_str()];
    let mut serve = Serve::start(&flags);
    run_web(&serve, &serve);

    // The real etcdctl sees kube-apiserver's keys.
    let keys = etcd.keys("/registry/");
    for want in [
        "/registry/namespaces/default",
        "/registry/minions/master",
        "/registry/deployments/default/web",
        "/registry/services/specs/default/kubernetes",
    ] {
        assert!(keys.iter().any(|k| k == want), "no {want} in {keys:?}");
    }
    let pods: Vec<_> = keys
        .iter()
        .filter(|k| k.starts_with("/registry/pods/default/web-"))
        .collect();
    assert_eq!(pods.len(), 2, "{keys:?}");
    assert!(
        keys.iter()
            .any(|k| k.starts_with("/registry/replicasets/default/web-")),
        "{keys:?}"
    );

    // Stopped and started again on the same etcd: everything is still there.
    let home = serve.home.clone();
    serve.owns_home = false;
    assert_eq!(serve.stop(), Some(0));
    assert!(
        etcd.keys("kubelite/registry/serve").is_empty(),
        "a stopped serve still holds the cluster"
    );
    let serve = Serve::start_in(home, true, &flags);
    // Watches work on etcd (rollout status waits through one).
    let rollout = serve.kubectl(&["rollout", "status", "deployment/web", "--timeout=60s"]);
    assert!(rollout.status.success(), "{}", text(&rollout));
    let deploy = serve.kubectl(&[
        "get",
        "deployment",
        "web",
        "-o",
        "jsonpath={.spec.replicas}",
    ]);
    assert_eq!(text(&deploy), "2");
    assert!(
        eventually(Duration::from_secs(60), || running(&serve, "web", 2)),
        "{}",
        text(&serve.kubectl(&["get", "pods"]))
    );
    let after: Vec<_> = etcd
        .keys("/registry/pods/default/web-")
        .into_iter()
        .collect();
    assert_eq!(
        after.iter().collect::<Vec<_>>(),
        pods,
        "the pods were replaced"
    );
}

#[test]
fn etcd_prefix_puts_the_cluster_under_another_prefix() {
    require_tools!();
    let etcd = Etcd::start();
    let url = etcd.url();
    let serve = Serve::start(&["--etcd-servers", url.as_str(), "--etcd-prefix=/other"]);
    let created = serve.kubectl(&["create", "configmap", "c1", "--from-literal=a=b"]);
    assert!(created.status.success(), "{}", text(&created));
    let got = serve.kubectl(&["get", "configmap", "c1", "-o", "jsonpath={.data.a}"]);
    assert_eq!(text(&got), "b");
    let keys = etcd.keys("/other/");
    assert!(
        keys.iter().any(|k| k == "/other/configmaps/default/c1"),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|k| k == "/other/namespaces/kube-system"),
        "{keys:?}"
    );
    assert_eq!(etcd.keys("/registry"), Vec::<String>::new());
}

#[test]
fn unreachable_etcd_at_start_is_an_error_naming_the_endpoints() {
    let home = temp_dir("unreachable");
    let (a, b) = (free_port(), free_port());
    let servers = format!("http://127.0.0.1:{a},127.0.0.1:{b}");
    let out = serve_command(&home, &["--etcd-servers", &servers])
        .output()
        .expect("run serve");
    let _ = std::fs::remove_dir_all(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: cannot reach etcd at http://127.0.0.1:{a}, 127.0.0.1:{b}: context deadline \
             exceeded\n"
        )
    );
}

#[test]
fn requests_time_out_while_etcd_is_down_and_serve_recovers_when_it_returns() {
    require_tools!();
    let mut etcd = Etcd::start();
    let url = etcd.url();
    let serve = Serve::start(&["--etcd-servers", url.as_str()]);
    let before = serve.kubectl(&["create", "configmap", "before", "--from-literal=a=b"]);
    assert!(before.status.success(), "{}", text(&before));

    etcd.stop();
    let get = serve.kubectl(&["get", "configmap", "before"]);
    assert_eq!(get.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&get.stderr),
        "Error from server (Timeout): Timeout: request did not complete within requested \
         timeout - context deadline exceeded\n"
    );
    let raw = serve.kubectl(&[
        "get",
        "--raw",
        "/api/v1/namespaces/default/configmaps/before",
    ]);
    assert!(
        text(&raw).contains("Timeout"),
        "a read while etcd is down: {}",
        text(&raw)
    );
    let ready = serve.kubectl(&["get", "--raw", "/readyz?verbose"]);
    assert!(text(&ready).contains("[-]etcd failed"), "{}", text(&ready));

    etcd.resume();
    assert!(
        eventually(Duration::from_secs(60), || {
            serve
                .kubectl(&["create", "configmap", "after", "--from-literal=a=b"])
                .status
                .success()
        }),
        "serve did not recover after etcd came back"
    );
    let both = serve.kubectl(&["get", "configmaps", "-o", "name"]);
    assert!(text(&both).contains("configmap/before"), "{}", text(&both));
    assert!(text(&both).contains("configmap/after"), "{}", text(&both));
    // The control plane runs again too.
    let created = serve.kubectl(&["create", "deployment", "back", "--image=nginx"]);
    assert!(created.status.success(), "{}", text(&created));
    assert!(
        eventually(Duration::from_secs(120), || running(&serve, "back", 1)),
        "{}",
        text(&serve.kubectl(&["get", "pods"]))
    );
}

/// Runs openssl with `args` in `dir`; panics with its output on failure.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run openssl");
    assert!(out.status.success(), "openssl {args:?}: {}", text(&out));
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files in `dir`.
/// etcd's gateway dials etcd itself with the server certificate, so it is a client's too.
fn make_certs(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let req = |name: &str, cn: &str| {
        let (key, csr, subj) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("/CN={cn}"),
        );
        let mut args = vec!["req"];
        args.extend(ec);
        args.extend(["-keyout", &key, "-out", &csr, "-subj", &subj]);
        openssl(dir, &args);
    };
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=etcd-ca",
    ]);
    openssl(dir, &ca);
    req("server", "etcd");
    req("client", "kube-apiserver-etcd-client");
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n",
    )
    .expect("ext");
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n").expect("ext");
    for name in ["server", "client"] {
        let (csr, crt, ext) = (
            format!("{name}.csr"),
            format!("{name}.crt"),
            format!("{name}.ext"),
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &crt,
                "-days",
                "2",
                "-extfile",
                &ext,
            ],
        );
    }
}

#[test]
fn tls_to_etcd_with_a_client_certificate() {
    require_tools!();
    if !on_path("openssl") {
        eprintln!(
            "\n\n!!!!!!!! SKIPPED: openssl is not on PATH (it makes the test's certificates).\n\n"
        );
        return;
    }
    let dir = temp_dir("tls");
    make_certs(&dir);
    let (client, peer) = (free_port(), free_port());
    let file = |name: &str| dir.join(name).display().to_string();
    let mut etcd = Command::new("etcd")
        .arg("--name=default")
        .arg(format!("--data-dir={}", file("data")))
        .arg(format!("--listen-client-urls=https://127.0.0.1:{client}"))
        .arg(format!(
            "--advertise-client-urls=https://127.0.0.1:{client}"
        ))
        .arg(format!("--listen-peer-urls=http://127.0.0.1:{peer}"))
        .arg(format!(
            "--initial-advertise-peer-urls=http://127.0.0.1:{peer}"
        ))
        .arg(format!("--initial-cluster=default=http://127.0.0.1:{peer}"))
        .arg(format!("--cert-file={}", file("server.crt")))
        .arg(format!("--key-file={}", file("server.key")))
        .arg(format!("--trusted-ca-file={}", file("ca.crt")))
        .arg("--client-cert-auth")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start etcd");
    let url = format!("https://127.0.0.1:{client}");
    let (ca, cert, key) = (
        format!("--etcd-cafile={}", file("ca.crt")),
        format!("--etcd-certfile={}", file("client.crt")),
        format!("--etcd-keyfile={}", file("client.key")),
    );
    let healthy = eventually(Duration::from_secs(20), || {
        Command::new("etcdctl")
            .env_clear()
            .args([
                format!("--endpoints={url}"),
                format!("--cacert={}", file("ca.crt")),
            ])
            .args([
                format!("--cert={}", file("client.crt")),
                format!("--key={}", file("client.key")),
            ])
            .args(["endpoint", "health"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let outcome = std::panic::catch_unwind(|| {
        assert!(healthy, "etcd with TLS did not become healthy");
        // Without the client certificate etcd turns serve away.
        let home = temp_dir("tls-nocert");
        let refused = serve_command(&home, &["--etcd-servers", &url, &ca])
            .output()
            .expect("run serve");
        let _ = std::fs::remove_dir_all(&home);
        assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
        assert!(text(&refused).contains(&format!("cannot reach etcd at {url}")));

        let serve = Serve::start(&["--etcd-servers", &url, &ca, &cert, &key]);
        let created = serve.kubectl(&["create", "configmap", "over-tls", "--from-literal=a=b"]);
        assert!(created.status.success(), "{}", text(&created));
    });
    let _ = etcd.kill();
    let _ = etcd.wait();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn events_carry_etcd_leases_and_the_compactor_compacts_etcd() {
    require_tools!();
    let etcd = Etcd::start();
    let url = etcd.url();
    let serve = Serve::start(&["--etcd-servers", url.as_str()]);
    let created = serve.kubectl(&["create", "deployment", "ev", "--image=nginx"]);
    assert!(created.status.success(), "{}", text(&created));
    assert!(
        eventually(Duration::from_secs(120), || running(&serve, "ev", 1)),
        "{}",
        text(&serve.kubectl(&["get", "pods"]))
    );
    // Events carry an etcd lease of the Event TTL.
    let events = etcd.etcdctl(&["get", "--prefix", "/registry/events/default/", "-w", "json"]);
    let events: serde_json::Value = serde_json::from_slice(&events.stdout).expect("json");
    let kvs = events["kvs"].as_array().cloned().unwrap_or_default();
    assert!(!kvs.is_empty(), "no Events in etcd");
    assert!(
        kvs.iter().all(|kv| kv["lease"].as_i64().unwrap_or(0) != 0),
        "an Event without a lease: {events}"
    );

    // Two compactor ticks (five minutes apart on serve's clock): the second compacts etcd to
    // the revision of the first, as kube-apiserver's compactor does.
    for _ in 0..2 {
        let moved = serve.kubectl(&[
            "create",
            "--raw",
            "/kubelite/clock?advance=6m",
            "-f",
            "/dev/null",
        ]);
        assert!(moved.status.success(), "{}", text(&moved));
    }
    let rev_key = etcd.etcdctl(&["get", "compact_rev_key", "-w", "json"]);
    let rev_key: serde_json::Value = serde_json::from_slice(&rev_key.stdout).expect("json");
    assert_eq!(rev_key["kvs"][0]["version"], 2, "{rev_key}");
    let old = etcd.etcdctl(&["get", "--rev=2", "/registry/namespaces/default"]);
    assert!(
        String::from_utf8_lossy(&old.stderr).contains("required revision has been compacted"),
        "{}",
        text(&old)
    );
    // A watch from a compacted revision is told to list again (410), as etcd refused it
    // (bounded: a watch that was not refused would stream until the request timeout).
    let watch = serve.kubectl(&[
        "get",
        "--request-timeout=20s",
        "--raw",
        "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2",
    ]);
    assert!(
        text(&watch).contains(r#""reason":"Expired","code":410"#),
        "{}",
        text(&watch)
    );
    // Everything still reads, and the components go on after the compaction.
    let scaled = serve.kubectl(&["scale", "deployment", "ev", "--replicas=2"]);
    assert!(scaled.status.success(), "{}", text(&scaled));
    assert!(
        eventually(Duration::from_secs(120), || running(&serve, "ev", 2)),
        "{}",
        text(&serve.kubectl(&["get", "pods"]))
    );
}

/// `kubelite etcd` (the repository's own etcd server) on a free loopback port; killed and
/// its data dir removed on drop.
struct KubeliteEtcd {
    child: Child,
    dir: PathBuf,
    endpoint: String,
}

impl KubeliteEtcd {
    fn start() -> KubeliteEtcd {
        let dir = temp_dir("kubelite-etcd");
        let endpoint = format!("127.0.0.1:{}", free_port());
        let child = Command::new(BIN)
            .arg("etcd")
            .arg(format!("--data-dir={}", dir.join("data").display()))
            .arg(format!("--listen-client-urls=http://{endpoint}"))
            .arg(format!("--advertise-client-urls=http://{endpoint}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kubelite etcd");
        let etcd = KubeliteEtcd {
            child,
            dir,
            endpoint,
        };
        let healthy = eventually(Duration::from_secs(20), || {
            etcd.etcdctl(&["endpoint", "health"]).status.success()
        });
        assert!(healthy, "kubelite etcd on {} did not start", etcd.endpoint);
        etcd
    }

    fn etcdctl(&self, args: &[&str]) -> Output {
        Command::new("etcdctl")
            .env_clear()
            .env("ETCDCTL_API", "3")
            .arg(format!("--endpoints={}", self.endpoint))
            .args(args)
            .output()
            .expect("run etcdctl")
    }
}

impl Drop for KubeliteEtcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn serve_runs_a_deployment_on_kubelite_etcd() {
    require_tools!();
    let etcd = KubeliteEtcd::start();
    let url = format!("http://{}", etcd.endpoint);
    let serve = Serve::start(&["--etcd-servers", url.as_str()]);
    run_web(&serve, &serve);
    // The cluster is in kubelite etcd under kube-apiserver's keys.
    let keys = etcd.etcdctl(&["get", "--prefix", "/registry/deployments/", "--keys-only"]);
    assert!(
        text(&keys).contains("/registry/deployments/default/web"),
        "{}",
        text(&keys)
    );
}

#[test]
fn an_endpoint_that_cannot_be_reached_is_passed_over_for_the_next() {
    require_tools!();
    let etcd = Etcd::start();
    let servers = format!("http://127.0.0.1:{},{}", free_port(), etcd.url());
    let serve = Serve::start(&["--etcd-servers", servers.as_str()]);
    let created = serve.kubectl(&["create", "configmap", "via-second", "--from-literal=a=b"]);
    assert!(created.status.success(), "{}", text(&created));
    let stored = etcd.etcdctl(&[
        "get",
        "/registry/configmaps/default/via-second",
        "--keys-only",
    ]);
    assert!(text(&stored).contains("via-second"), "{}", text(&stored));
}

// After the helpers and the macro above, which it uses.
#[path = "serve_etcd/admission.rs"]
mod admission;
#[path = "serve_etcd/ha.rs"]
mod ha;
#[path = "serve_etcd/one_shot.rs"]
mod one_shot;
#[path = "serve_etcd/store_copy.rs"]
mod store_copy;
#[path = "serve/trust.rs"]
mod trust;
