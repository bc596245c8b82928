//! Runs kubelite and the real kubectl, each against its own fresh mock (same script), and
//! puts what each printed and each request it sent side by side.
//!
//! Normalisations of the recorded requests, each because the two legitimately differ:
//! - the `kubectl` on the PATH is a dispatcher that asks `/version` first: that request
//!   (User-Agent `kubectl-dispatcher/...`) is dropped (the versioned binary is used when
//!   it is beside it, so there is usually none);
//! - the User-Agent is compared by shape only (`NAME/VERSION (OS/ARCH) kubernetes/COMMIT`):
//!   program name and version differ;
//! - the time `rollout restart` stamps into its patch is recorded as `TIME`;
//! - `timeoutSeconds` of a watch is random in client-go (5 to 10 minutes): recorded as `N`,
//!   and so is the `timeout` a typed client's watch names beside it;
//! - JSON bodies are compared as JSON values (key order aside, as a server reads them);
//! - the five-character suffix kubectl's `debug` draws at random for its names
//!   (`debugger-xxxxx`, `node-debugger-NODE-xxxxx`) is recorded as `XXXXX`, in paths and
//!   bodies (and in what the tools print, by the test that runs `debug`);
//! - kubelite decodes no protobuf: where kubectl's typed clients ask for
//!   `application/vnd.kubernetes.protobuf,application/json`, it asks for JSON, so that
//!   Accept is compared as `application/json` (and `top`'s metrics client's
//!   `application/vnd.kubernetes.protobuf, */*` as `application/json, */*`);
//! - kubectl's typed clients (the `create` generators) POST protobuf, kubelite JSON:
//!   such a request's body is compared by type and metadata only (what the mock can read
//!   without schemas; see `protobuf.rs`), and its Content-Type as `application/json`;
//! - the mock's OpenAPI v3 documents carry no schemas, so kubectl's client-side apply,
//!   finding none for its strategic merge patch, asks `/openapi/v2` (404) and then uses
//!   its built-in types; against a real server it would not: that request is dropped;
//! - kubelite speaks no SPDY: kubectl's fallback to it after a refused WebSocket exec
//!   (a `POST .../exec` right after the `GET .../exec`) is dropped;
//! - headers other than Accept, Content-Type, User-Agent (shape) and Authorization
//!   (presence) are not compared (`Kubectl-Command`, `Kubectl-Session`, `Accept-Encoding`).

use super::http::{self, Request};
use super::protobuf;
use super::world::World;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_kubelite");

/// What one tool printed, its exit status, and the requests it sent (normalised).
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    pub requests: Vec<String>,
}

pub fn kubectl_program() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path)
        .map(|d| d.join("kubectl"))
        .find(|p| p.is_file())?;
    let real = std::fs::canonicalize(&found).unwrap_or(found.clone());
    let versioned = real.with_file_name("kubectl.1.32");
    Some(if versioned.is_file() {
        versioned
    } else {
        found
    })
}

/// A private temporary directory, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(what: &str) -> Scratch {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let p =
            std::env::temp_dir().join(format!("kubelite-mock-{}-{what}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A kubeconfig naming `url` over plain HTTP, with a token that must never be sent there.
pub fn kubeconfig(dir: &Path, url: &str) -> PathBuf {
    let p = dir.join("kubeconfig");
    std::fs::write(
        &p,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: {url}\ncontexts:\n- name: mock\n  context:\n    cluster: mock\n    user: someone\n    namespace: default\ncurrent-context: mock\nusers:\n- name: someone\n  user:\n    token: not-for-plain-http\n"
        ),
    )
    .unwrap();
    p
}

#[derive(Clone, Copy, Debug)]
pub enum Tool {
    Kubelite,
    Kubectl,
}

/// Runs `args` with `tool` against a fresh mock set up by `setup`, in `dir` (for files).
pub fn run(tool: Tool, setup: &dyn Fn(&World), args: &[&str], dir: &Path) -> Outcome {
    run_env(tool, setup, args, dir, &[])
}

/// `run` with environment variables set for the tool (an editor, a diff program).
pub fn run_env(
    tool: Tool,
    setup: &dyn Fn(&World),
    args: &[&str],
    dir: &Path,
    env: &[(&str, &str)],
) -> Outcome {
    Mock::new(setup).run(tool, args, dir, env)
}

/// A mock kept up for several runs, with the kubeconfig and cache directory they share:
/// the same address, so the same discovery cache (`<cache>/discovery/<host_port>/`).
pub struct Mock {
    listener: http::Listener,
    scratch: Scratch,
    config: PathBuf,
}

impl Mock {
    /// A fresh mock set up by `setup`, and an empty cache.
    pub fn new(setup: &dyn Fn(&World)) -> Mock {
        let world = Arc::new(World::default());
        setup(&world);
        let listener = http::serve(Arc::new(move |r: &Request| world.answer(r)));
        let scratch = Scratch::new("run");
        let config = kubeconfig(&scratch.0, &listener.url);
        Mock {
            listener,
            scratch,
            config,
        }
    }

    /// The `--cache-dir` every run against this mock is given.
    pub fn cache(&self) -> PathBuf {
        self.scratch.0.join("cache")
    }

    /// The mock's address as the discovery cache names its directory (`host_port`).
    pub fn host_port(&self) -> String {
        self.listener
            .url
            .trim_start_matches("http://")
            .replace(':', "_")
    }

    /// Runs `args` with `tool`, in `dir` (for files); the requests are this run's only.
    pub fn run(&self, tool: Tool, args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Outcome {
        let before = self.listener.recorded.lock().unwrap().len();
        let mut cmd = match tool {
            Tool::Kubelite => {
                let mut c = Command::new(BIN);
                c.env("KUBELITE_HOME", self.scratch.0.join("home"));
                c
            }
            Tool::Kubectl => Command::new(kubectl_program().expect("kubectl")),
        };
        cmd.arg("--kubeconfig")
            .arg(&self.config)
            .arg("--cache-dir")
            .arg(self.cache())
            .args(args)
            .current_dir(dir)
            .env_remove("KUBECONFIG")
            .env_remove("KUBECACHEDIR")
            .env_remove("KUBELITE_NOW")
            .envs(env.iter().copied());
        let (stdout, stderr, code) = bounded(cmd);
        let recorded = self.listener.recorded.lock().unwrap().clone();
        let requests = recorded[before..]
            .iter()
            .filter(|r| !(r.method == "POST" && r.path().ends_with("/exec")))
            .filter_map(normalise)
            .collect();
        Outcome {
            stdout,
            stderr,
            code,
            requests,
        }
    }
}

const LIMIT: Duration = Duration::from_secs(30);

fn bounded(mut cmd: Command) -> (String, String, i32) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let (mut o, mut e) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut o, &mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut e, &mut s);
        s
    });
    let deadline = Instant::now() + LIMIT;
    let code = loop {
        if let Ok(Some(st)) = child.try_wait() {
            break st.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break -9;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (out.join().unwrap(), err.join().unwrap(), code)
}

/// One request as a line, or `None` for one that is not compared (the dispatcher's).
fn normalise(r: &Request) -> Option<String> {
    let ua = r.header("user-agent").unwrap_or("");
    if ua.starts_with("kubectl-dispatcher") || r.path() == "/openapi/v2" {
        return None;
    }
    let mut query: Vec<String> = r
        .target
        .split_once('?')
        .map(|(_, q)| {
            q.split('&')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    let v = match k {
                        "timeoutSeconds" => "N".to_string(),
                        // The same random time as a Go duration (a typed client's watch).
                        "timeout" if r.target.contains("watch=true") => "N".to_string(),
                        // kubectl builds describe's event selector from a Go map.
                        "fieldSelector" => sorted_terms(&http::decode(v)),
                        _ => http::decode(v),
                    };
                    format!("{k}={v}")
                })
                .collect()
        })
        .unwrap_or_default();
    query.sort();
    let mut line = format!("{} {}", r.method, r.path());
    if !query.is_empty() {
        line.push('?');
        line.push_str(&query.join("&"));
    }
    for h in ["accept", "content-type"] {
        if let Some(v) = r.header(h) {
            let v = match v {
                "application/vnd.kubernetes.protobuf,application/json" => "application/json",
                // kubectl top's metrics client (`--use-protocol-buffers`, its default).
                "application/vnd.kubernetes.protobuf, */*" => "application/json, */*",
                v => v,
            };
            line.push_str(&format!("\n    {h}: {v}"));
        }
    }
    let ua_shape = ua.split_once(' ').is_some_and(|(prog, rest)| {
        prog.contains('/') && rest.contains('(') && rest.contains(") kubernetes/")
    });
    line.push_str(&format!(
        "\n    user-agent: {}",
        if ua_shape {
            "NAME/VERSION (OS/ARCH) kubernetes/COMMIT"
        } else {
            ua
        }
    ));
    if r.header("authorization").is_some() {
        line.push_str("\n    authorization: (sent)");
    }
    if r.header("content-type") == Some(protobuf::CONTENT_TYPE) {
        let summary = protobuf::decode(&r.body).map_or(Value::Null, |o| protobuf::summary(&o));
        line = line.replace(protobuf::CONTENT_TYPE, "application/json");
        line.push_str(&format!(
            "\n    {SUMMARY}{}",
            serde_json::to_string(&sorted(summary)).unwrap()
        ));
        return Some(masked_debug_suffix(&line));
    }
    if !r.body.is_empty() {
        let body = match serde_json::from_slice::<Value>(&r.body) {
            Ok(v) => serde_json::to_string(&sorted(v)).unwrap(),
            Err(_) => String::from_utf8_lossy(&r.body).into_owned(),
        };
        line.push_str(&format!("\n    body: {}", masked_restart_time(&body)));
    }
    Some(masked_debug_suffix(&line))
}

/// `rollout restart` stamps the wall clock (to the second) into its patch: that time is
/// recorded as `TIME`, since two runs can fall either side of a second.
fn masked_restart_time(body: &str) -> String {
    const KEY: &str = "\"kubectl.kubernetes.io/restartedAt\":\"";
    let Some(at) = body.find(KEY) else {
        return body.to_string();
    };
    let start = at + KEY.len();
    let end = body[start..].find('"').map_or(body.len(), |e| start + e);
    format!("{}TIME{}", &body[..start], &body[end..])
}

/// `debugger-xxxxx` with its random suffix recorded as `XXXXX`.
pub fn masked_debug_suffix(text: &str) -> String {
    regex_lite::Regex::new("debugger-([a-z0-9-]*-)?[bcdfghjklmnpqrstvwxz2456789]{5}\\b")
        .unwrap()
        .replace_all(text, "debugger-${1}XXXXX")
        .into_owned()
}

/// A selector's comma-separated terms in sorted order (`\,` inside a value is no
/// separator).
fn sorted_terms(selector: &str) -> String {
    let mut terms = vec![String::new()];
    let mut escaped = false;
    for c in selector.chars() {
        if c == ',' && !escaped {
            terms.push(String::new());
            continue;
        }
        escaped = c == '\\' && !escaped;
        if let Some(last) = terms.last_mut() {
            last.push(c);
        }
    }
    terms.sort();
    terms.join(",")
}

fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<_> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// How a body kubectl sent as protobuf is recorded (see `summarise_where_...`).
const SUMMARY: &str = "body (protobuf; type and metadata only): ";

/// kubectl's typed clients POST protobuf, kubelite (which speaks none) JSON: where
/// kubectl's request has a protobuf body, kubelite's request at the same place is
/// compared by the same summary (type and metadata) of its JSON body, and the rest of
/// both is compared as usual.
fn summarise_where_kubectl_sent_protobuf(ours: &mut [String], theirs: &[String]) {
    for (o, t) in ours.iter_mut().zip(theirs) {
        if !t.contains(SUMMARY) {
            continue;
        }
        let Some((head, body)) = o.split_once("\n    body: ") else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(body) else {
            continue;
        };
        *o = format!(
            "{head}\n    {SUMMARY}{}",
            serde_json::to_string(&sorted(protobuf::summary(&v))).unwrap()
        );
    }
}

/// Runs both tools and says how they differ (empty when they agree).
pub fn differences(setup: &dyn Fn(&World), args: &[&str], dir: &Path) -> String {
    differences_env(setup, args, dir, &[])
}

/// `differences` with environment variables set for both tools.
pub fn differences_env(
    setup: &dyn Fn(&World),
    args: &[&str],
    dir: &Path,
    env: &[(&str, &str)],
) -> String {
    let ours = run_env(Tool::Kubelite, setup, args, dir, env);
    let theirs = run_env(Tool::Kubectl, setup, args, dir, env);
    compare(args, ours, theirs)
}

/// How what kubelite did differs from what kubectl did, given `args` (empty when they
/// agree).
pub fn compare(args: &[&str], mut ours: Outcome, theirs: Outcome) -> String {
    summarise_where_kubectl_sent_protobuf(&mut ours.requests, &theirs.requests);
    let mut d = String::new();
    for (what, a, b) in [
        ("stdout", &ours.stdout, &theirs.stdout),
        ("stderr", &ours.stderr, &theirs.stderr),
    ] {
        let (a, b) = (masked_debug_suffix(a), masked_debug_suffix(b));
        if a != b {
            d.push_str(&format!("{what}:\n  kubelite: {a:?}\n  kubectl:  {b:?}\n"));
        }
    }
    if ours.code != theirs.code {
        d.push_str(&format!(
            "exit: kubelite {} kubectl {}\n",
            ours.code, theirs.code
        ));
    }
    if ours.requests != theirs.requests {
        d.push_str(&format!(
            "requests:\n--- kubelite\n{}\n--- kubectl\n{}\n",
            ours.requests.join("\n"),
            theirs.requests.join("\n")
        ));
    }
    if d.is_empty() {
        return d;
    }
    format!("`{}`:\n{d}", args.join(" "))
}
