//! A `kubelite serve` process on a free loopback port with its own KUBELITE_HOME, and the
//! real kubectl pointed at it (fresh discovery cache per server).

#[path = "trust.rs"]
mod trust;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_kubelite");
/// The clock of servers started with a fixed time (ages are then deterministic).
pub const FIXED_NOW: &str = "2026-11-29T01:42:16Z";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh private directory below the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(what: &str) -> TempDir {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!(
            "kubelite-serve-test-{}-{what}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct Server {
    pub home: TempDir,
    pub url: String,
    child: Option<Child>,
    cache: TempDir,
    /// serve's stderr (every server started on this home, appended), for failures to show.
    log: TempDir,
}

/// What a command printed and how it exited.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }
}

impl Run {
    /// Asserts exit 0 and returns stdout.
    pub fn ok(self, what: &str) -> String {
        assert_eq!(
            self.code, 0,
            "{what}: exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self.stdout
    }
}

impl Run {
    fn parts(&self) -> (i32, &str, &str) {
        (self.code, &self.stdout, &self.stderr)
    }
}

/// Runs ours, theirs, ours again and returns the (theirs, ours) pair that agrees. An age
/// printed by both can tick between two reads, but theirs sits between our two reads, so it
/// matches one of them unless a whole second passed around it (a loaded machine): then the
/// sandwich is tried again, a few times. A real difference never agrees and is returned.
pub fn read_between(mut theirs: impl FnMut() -> Run, mut ours: impl FnMut() -> Run) -> (Run, Run) {
    let mut last = None;
    for _ in 0..5 {
        let before = ours();
        let t = theirs();
        if t.parts() == before.parts() {
            return (t, before);
        }
        let after = ours();
        if t.parts() == after.parts() {
            return (t, after);
        }
        last = Some((t, after));
    }
    last.expect("five tries")
}

/// What kubelite's CLI (through serve) and kubectl print for `args`, asserted equal (stdout
/// and exit code always; stderr too when `stderr_too`); kubectl's run is returned.
pub fn same_as_kubectl(server: &Server, args: &[&str], stderr_too: bool) -> Run {
    let (theirs, ours) = read_between(
        || server.kubectl(args),
        || kubelite(&server.home.0, false, args),
    );
    assert_eq!(ours.stdout, theirs.stdout, "{args:?}: stdout");
    if stderr_too {
        assert_eq!(ours.stderr, theirs.stderr, "{args:?}: stderr");
    }
    assert_eq!(ours.code, theirs.code, "{args:?}: exit code");
    theirs
}

/// `text` without the lines that show a namespace's `kube-root-ca.crt`: each cluster
/// publishes its own CA there, so two clusters never print the same one.
pub fn without_root_ca(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|l| !l.contains("kube-root-ca.crt"))
        .collect()
}

/// Asserts two runs printed and exited alike (`got` is ours, `want` kubectl's).
pub fn same(what: &str, got: &Run, want: &Run, args: &[&str]) {
    assert_eq!(got.stdout, want.stdout, "{what} {args:?}: stdout");
    assert_eq!(got.stderr, want.stderr, "{what} {args:?}: stderr");
    assert_eq!(got.code, want.code, "{what} {args:?}: exit code");
}

pub fn kubectl_available() -> bool {
    Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Server {
    /// Starts `kubelite serve --listen 127.0.0.1:0`; `fixed_now` pins the cluster clock.
    pub fn start(fixed_now: bool) -> Server {
        Server::start_with(fixed_now, &[])
    }

    /// `start` with more `serve` flags.
    pub fn start_with(fixed_now: bool, flags: &[&str]) -> Server {
        let home = TempDir::new("home");
        let log = TempDir::new("serve-log");
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .args(flags)
            .env("KUBELITE_HOME", &home.0)
            .env_remove("KUBECONFIG")
            .stdout(Stdio::null())
            .stderr(append_to(&log));
        if fixed_now {
            cmd.env("KUBELITE_NOW", FIXED_NOW);
        } else {
            cmd.env_remove("KUBELITE_NOW");
        }
        let child = cmd.spawn().expect("start kubelite serve");
        let state = home.0.join("serve.json");
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = loop {
            if let Ok(text) = std::fs::read_to_string(&state)
                && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
                && let Some(u) = v["url"].as_str()
            {
                break u.to_string();
            }
            assert!(Instant::now() < deadline, "kubelite serve did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        Server {
            home,
            url,
            child: Some(child),
            cache: TempDir::new("cache"),
            log,
        }
    }

    /// What serve wrote to stderr so far (its log), for a failure's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.0.join("stderr")).unwrap_or_default()
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.home.0.join("kubeconfig")
    }

    /// The real kubectl against this server.
    pub fn kubectl(&self, args: &[&str]) -> Run {
        self.kubectl_in(args, None)
    }

    /// Waits (up to 60 s) until the control plane is quiet: every Deployment rolled out,
    /// every pod past Pending and two reads half a second apart the same. A slow machine
    /// pauses mid-rollout for longer than half a second, so the rollouts are asked too.
    pub fn wait_until_settled(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut last = String::new();
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(500));
            let now = self.kubectl(&["get", "pods", "-A", "-o", "wide"]).stdout;
            let busy = now.contains("Pending")
                || now.contains("ContainerCreating")
                || now.contains("Terminating")
                || !self.deployments_rolled_out();
            if !busy && now == last {
                return;
            }
            last = now;
        }
    }

    /// Every Deployment's controller has seen its spec, and all its replicas are updated and
    /// available (none left over from an older ReplicaSet).
    fn deployments_rolled_out(&self) -> bool {
        let template = "jsonpath={range .items[*]}{.metadata.generation} \
             {.status.observedGeneration} {.spec.replicas} {.status.replicas} \
             {.status.updatedReplicas} {.status.availableReplicas};{end}";
        let out = self.kubectl(&["get", "deployments", "-A", "-o", template]);
        if out.code != 0 {
            return false;
        }
        out.stdout
            .split(';')
            .filter(|d| !d.trim().is_empty())
            .all(|d| {
                let v: Vec<&str> = d.split(' ').collect();
                // Absent counts are zero (a Deployment scaled to none has no status.replicas).
                let n = |i: usize| v.get(i).copied().filter(|s| !s.is_empty()).unwrap_or("0");
                n(0) == n(1) && [n(3), n(4), n(5)].iter().all(|c| *c == n(2))
            })
    }

    /// The real kubectl against this server, for the caller to run (with stdin, an editor,
    /// a working directory).
    pub fn kubectl_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("kubectl");
        cmd.arg("--kubeconfig")
            .arg(self.kubeconfig())
            .arg("--cache-dir")
            .arg(&self.cache.0)
            .args(args)
            .env_remove("KUBECONFIG");
        cmd
    }

    pub fn kubectl_in(&self, args: &[&str], dir: Option<&Path>) -> Run {
        let mut cmd = self.kubectl_command(args);
        if let Some(d) = dir {
            cmd.current_dir(d);
        }
        cmd.output().expect("run kubectl").into()
    }

    /// Stops the server with SIGTERM and returns its exit status.
    pub fn stop(&mut self) -> i32 {
        let Some(mut child) = self.child.take() else {
            return 0;
        };
        // SAFETY: the pid is our own child, not yet waited for (so not reused).
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return -1;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server with SIGKILL (no cleanup: its `serve.json` stays behind) and starts
    /// a new one on the same home and port-less address, on the wall clock; waits until the
    /// new one announces itself.
    pub fn kill_and_restart(&mut self) {
        self.kill_and_restart_on(false);
    }

    /// `kill_and_restart`, the new server's clock pinned at `FIXED_NOW` when `fixed_now`.
    pub fn kill_and_restart_on(&mut self, fixed_now: bool) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .env("KUBELITE_HOME", &self.home.0)
            .env_remove("KUBECONFIG")
            .env_remove("KUBELITE_NOW")
            .stdout(Stdio::null())
            .stderr(append_to(&self.log));
        if fixed_now {
            cmd.env("KUBELITE_NOW", FIXED_NOW);
        }
        let child = cmd.spawn().expect("restart kubelite serve");
        let state = self.home.0.join("serve.json");
        let deadline = Instant::now() + Duration::from_secs(60);
        self.url = loop {
            if let Ok(text) = std::fs::read_to_string(&state)
                && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
                && v["pid"].as_u64() == Some(u64::from(child.id()))
                && let Some(u) = v["url"].as_str()
            {
                break u.to_string();
            }
            assert!(Instant::now() < deadline, "kubelite serve did not restart");
            std::thread::sleep(Duration::from_millis(50));
        };
        self.child = Some(child);
    }

    /// A blocking HTTPS client that trusts this server's CA (send the token yourself).
    pub fn https(&self) -> reqwest::blocking::Client {
        self.https_builder().build().expect("client")
    }

    /// The builder of `https`, for a client that needs more (a timeout of its own).
    pub fn https_builder(&self) -> reqwest::blocking::ClientBuilder {
        trust::https_builder(&String::from_utf8(self.ca()).expect("pem"))
    }

    /// The serve process's id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Sends SIGTERM and waits up to `bound` for the process to exit: its exit code and
    /// how long it took, or `None` (and the process killed) when it did not exit in time.
    pub fn terminate_within(&mut self, bound: Duration) -> Option<(i32, Duration)> {
        let mut child = self.child.take()?;
        let start = Instant::now();
        // SAFETY: the pid is our own child, not yet waited for (so not reused).
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return Some((status.code().unwrap_or(-1), start.elapsed()));
            }
            if start.elapsed() > bound {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn token(&self) -> String {
        std::fs::read_to_string(self.home.0.join("serve-token"))
            .expect("token")
            .trim()
            .to_string()
    }

    pub fn ca(&self) -> Vec<u8> {
        std::fs::read(self.home.0.join("ca.crt")).expect("ca")
    }
}

/// serve's stderr, appended to the log file in `dir`.
fn append_to(dir: &TempDir) -> Stdio {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.0.join("stderr"))
        .map_or_else(|_| Stdio::null(), Stdio::from)
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// kubelite's own CLI on a home directory (one-shot, embedded, or through the serve that
/// holds the home). Its discovery cache is the home's own: the default one under `$HOME` is
/// shared by every test, and a port reused by a later test's server would find the cache
/// an earlier server's resources left there.
pub fn kubelite(home: &Path, fixed_now: bool, args: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("KUBELITE_HOME", home)
        .env("KUBECACHEDIR", home.join(".kube").join("cache"))
        .env_remove("KUBECONFIG");
    if fixed_now {
        cmd.env("KUBELITE_NOW", FIXED_NOW);
    }
    cmd.output().expect("run kubelite").into()
}

/// Writes a manifest into `dir` and returns its path.
pub fn manifest(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write manifest");
    p
}

/// An executable script (an editor, a diff program) written into `dir`.
/// One file a text, `<prefix><i>.yaml`, and their paths.
pub fn manifests(dir: &Path, prefix: &str, texts: &[&str]) -> Vec<String> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let p = manifest(dir, &format!("{prefix}{i}.yaml"), text);
            p.to_str().expect("utf-8 path").to_string()
        })
        .collect()
}

pub fn script(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write script");
    let mut perms = std::fs::metadata(&p).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&p, perms).expect("chmod");
    p
}

pub const MULTI: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels:
    app: db
spec:
  containers:
  - name: postgres
    image: postgres:16
";

pub const POD_JSON: &str = r#"{"apiVersion": "v1", "kind": "Pod",
 "metadata": {"name": "cache", "labels": {"app": "cache", "tier": "backend"}},
 "spec": {"containers": [{"name": "redis", "image": "redis:7"}]}}"#;

/// Status code and JSON body of a request (`Null` when the body is not JSON).
pub fn status_and_json(b: reqwest::blocking::RequestBuilder) -> (u16, serde_json::Value) {
    let (code, _, body) = status_warnings_and_json(b);
    (code, body)
}

/// Status code, `Warning` headers and JSON body of a request (`Null` when the body is not
/// JSON).
pub fn status_warnings_and_json(
    b: reqwest::blocking::RequestBuilder,
) -> (u16, Vec<String>, serde_json::Value) {
    let resp = b.send().expect("request");
    let code = resp.status().as_u16();
    let warnings = resp
        .headers()
        .get_all("warning")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let body = resp.bytes().expect("body");
    (
        code,
        warnings,
        serde_json::from_slice(&body).unwrap_or_default(),
    )
}
