//! The `serve-http` surface: a `kubelite serve` on loopback (own KUBELITE_HOME, port 0),
//! raw HTTP/1.1 requests over TLS, one connection each. A well-formed request (framing
//! right) must get a status line back; a malformed one may be answered or closed. The
//! process must stay up and `/readyz` must say 200 every 50 cases and at the end. A 500
//! answer, or a panic in the server's stderr, is a failure.

use crate::engine::Surface;
use arbitrary::{Result as ArbResult, Unstructured};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const ANSWER_TIME: Duration = Duration::from_secs(15);

pub struct Server {
    child: Mutex<Child>,
    home: PathBuf,
    addr: SocketAddr,
    token: String,
    tls: Arc<rustls::ClientConfig>,
    /// The server's stderr, where a panic's message lands; how much of it was read.
    log: PathBuf,
    log_seen: AtomicU64,
}

static SERVER: OnceLock<Mutex<Option<Arc<Server>>>> = OnceLock::new();
static CASES: AtomicU64 = AtomicU64::new(0);
/// Answers by status class (index 1..=5), and closes without an answer (index 0).
pub static OUTCOMES: [AtomicU64; 6] = [const { AtomicU64::new(0) }; 6];

fn slot() -> &'static Mutex<Option<Arc<Server>>> {
    SERVER.get_or_init(|| Mutex::new(None))
}

fn current() -> Result<Arc<Server>, String> {
    slot()
        .lock()
        .unwrap()
        .clone()
        .ok_or_else(|| "no server running".to_string())
}

impl Server {
    /// Starts the server and waits (bounded) until it has written its URL.
    pub fn start() -> Result<Arc<Server>, String> {
        let home = std::env::temp_dir().join(format!("kubelite-fuzz-serve-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
        let log = home.join("fuzz-serve.log");
        let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let child = Command::new(env!("CARGO_BIN_EXE_kubelite"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("KUBELITE_HOME", &home)
            .env_remove("KUBECONFIG")
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("start kubelite serve: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(120);
        let url = loop {
            if let Ok(t) = std::fs::read_to_string(home.join("serve.json"))
                && let Ok(v) = serde_json::from_str::<Value>(&t)
                && let Some(u) = v["url"].as_str()
            {
                break u.to_string();
            }
            if Instant::now() > deadline {
                return Err("kubelite serve did not start in 120 s".into());
            }
            std::thread::park_timeout(Duration::from_millis(50));
        };
        let addr: SocketAddr = url
            .trim_start_matches("https://")
            .trim_end_matches('/')
            .parse()
            .map_err(|e| format!("server url {url}: {e}"))?;
        let token = std::fs::read_to_string(home.join("serve-token"))
            .map_err(|e| e.to_string())?
            .trim()
            .to_string();
        let ca = std::fs::read_to_string(home.join("ca.crt")).map_err(|e| e.to_string())?;
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(kubelite::server::pem_der(&ca)?)
            .map_err(|e| e.to_string())?;
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let server = Arc::new(Server {
            child: Mutex::new(child),
            home,
            addr,
            token,
            tls: Arc::new(tls),
            log,
            log_seen: AtomicU64::new(0),
        });
        *slot().lock().unwrap() = Some(server.clone());
        Ok(server)
    }

    /// A panic the server wrote to stderr since the last look.
    fn panicked(&self) -> Option<String> {
        let len = std::fs::metadata(&self.log).ok()?.len();
        let seen = self.log_seen.swap(len, Ordering::Relaxed);
        if len <= seen {
            return None;
        }
        let text = std::fs::read(&self.log).ok()?;
        let new = String::from_utf8_lossy(text.get(seen as usize..)?).into_owned();
        let at = new.find("panicked at")?;
        Some(new[at..].lines().take(2).collect::<Vec<_>>().join(" "))
    }

    fn alive(&self) -> Result<(), String> {
        match self.child.lock().unwrap().try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!("kubelite serve exited: {status}")),
            Err(e) => Err(format!("kubelite serve: {e}")),
        }
    }

    /// Sends raw bytes on a fresh TLS connection; the status code, or None when the server
    /// closed without one. `close` ends our side after the request (malformed framing).
    fn exchange(&self, request: &[u8], close: bool) -> Result<Option<u16>, String> {
        self.exchange_body(request, close).map(|(code, _)| code)
    }

    /// [`Server::exchange`], with the start of the body when the answer is a 500 (its
    /// Status message says what failed).
    fn exchange_body(&self, request: &[u8], close: bool) -> Result<(Option<u16>, String), String> {
        let sock = TcpStream::connect_timeout(&self.addr, ANSWER_TIME)
            .map_err(|e| format!("connect: {e}"))?;
        sock.set_read_timeout(Some(ANSWER_TIME)).ok();
        sock.set_write_timeout(Some(ANSWER_TIME)).ok();
        let name = rustls::pki_types::ServerName::IpAddress(self.addr.ip().into());
        let conn = rustls::ClientConnection::new(self.tls.clone(), name)
            .map_err(|e| format!("tls: {e}"))?;
        let mut tls = rustls::StreamOwned::new(conn, sock);
        let written = tls.write_all(request).and_then(|_| tls.flush());
        if close {
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        let started = Instant::now();
        loop {
            if got.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
            match tls.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    return Err(format!("no answer in {:?}", started.elapsed()));
                }
                Err(_) => break,
            }
        }
        let status = std::str::from_utf8(&got)
            .ok()
            .and_then(|t| t.strip_prefix("HTTP/1.1 "))
            .and_then(|t| t.get(..3))
            .and_then(|c| c.parse::<u16>().ok());
        let mut body = String::new();
        if status == Some(500) {
            // Connection: close, so the body ends at EOF; read at most 4 KiB of it.
            while got.len() < 4096 {
                match tls.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&got);
            body = text
                .split_once("\r\n\r\n")
                .and_then(|(_, b)| serde_json::from_str::<Value>(b.trim()).ok())
                .and_then(|v| v["message"].as_str().map(str::to_string))
                .unwrap_or_else(|| text.chars().take(300).collect());
        }
        match (status, written) {
            (Some(code), _) => Ok((Some(code), body)),
            (None, Err(e)) if !close => Err(format!("write failed: {e}")),
            (None, _) => Ok((None, body)),
        }
    }

    /// `GET /readyz` answers 200.
    pub fn ready(&self) -> Result<(), String> {
        let req = format!(
            "GET /readyz HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
            self.addr, self.token
        );
        match self.exchange(req.as_bytes(), false)? {
            Some(200) => Ok(()),
            other => Err(format!("/readyz answered {other:?}")),
        }
    }

    /// SIGTERM, then a bounded wait; the exit status.
    pub fn stop(&self) -> Option<i32> {
        let mut child = self.child.lock().unwrap();
        // SAFETY: the pid is our own child, not yet waited for (so not reused).
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Ok(Some(s)) = child.try_wait() {
                break s.code();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::park_timeout(Duration::from_millis(20));
        };
        // The server's stderr stays beside the failing inputs.
        let keep = crate::engine::crash_dir("serve-http");
        if std::fs::create_dir_all(&keep).is_ok() {
            let _ = std::fs::copy(&self.log, keep.join("serve-stderr.log"));
        }
        let _ = std::fs::remove_dir_all(&self.home);
        *slot().lock().unwrap() = None;
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap();
        if let Ok(None) = child.try_wait() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Whether the request's framing is right: a request line, `name: value` header lines,
/// a blank line, and a body exactly as long as Content-Length (no chunked encoding).
pub fn well_formed(req: &[u8]) -> bool {
    let Some(end) = req.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let Ok(head) = std::str::from_utf8(&req[..end]) else {
        return false;
    };
    let body = &req[end + 4..];
    let mut lines = head.split("\r\n");
    let Some(line) = lines.next() else {
        return false;
    };
    let parts: Vec<&str> = line.split(' ').collect();
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    if parts.len() != 3
        || !token(parts[0])
        || !parts[1].starts_with('/')
        || parts[1].bytes().any(|b| !(0x21..0x7f).contains(&b))
        || parts[2] != "HTTP/1.1"
    {
        return false;
    }
    let mut length = None;
    let mut host = false;
    for l in lines {
        let Some((name, value)) = l.split_once(':') else {
            return false;
        };
        if !token(name) || value.bytes().any(|b| b < 0x20 && b != b'\t' || b == 0x7f) {
            return false;
        }
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                if length.is_some() {
                    return false;
                }
                length = value.parse::<usize>().ok();
                if length.is_none() {
                    return false;
                }
            }
            "transfer-encoding" | "upgrade" | "expect" => return false,
            "host" => host = true,
            _ => {}
        }
    }
    host && length.unwrap_or(0) == body.len()
}

fn check(input: &[u8]) -> Result<(), String> {
    let server = current()?;
    let raw = String::from_utf8_lossy(input);
    // Seeds and generated requests name the token by placeholder.
    let req: Vec<u8> = if raw.contains("{{TOKEN}}") || raw.contains("{{HOST}}") {
        raw.replace("{{TOKEN}}", &server.token)
            .replace("{{HOST}}", &server.addr.to_string())
            .into_bytes()
    } else {
        input.to_vec()
    };
    let wf = well_formed(&req);
    let answer = server.exchange_body(&req, !wf);
    let outcome = match answer {
        Ok((Some(500), message)) => {
            OUTCOMES[5].fetch_add(1, Ordering::Relaxed);
            // Failures are told apart by the text before the first colon: the message's
            // first words.
            let key: String = message.replace(':', ";").chars().take(60).collect();
            Err(format!("the server answered 500 ({key}): {message}"))
        }
        Ok((Some(code), _)) => {
            let class = usize::from(code / 100).clamp(1, 5);
            OUTCOMES[class].fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Ok((None, _)) if !wf => {
            OUTCOMES[0].fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Ok((None, _)) => Err("a well-formed request got no answer".to_string()),
        Err(e) => Err(format!("request failed: {e}")),
    };
    server.alive()?;
    if let Some(p) = server.panicked() {
        return Err(format!("the server {p}"));
    }
    if CASES.fetch_add(1, Ordering::Relaxed) % 50 == 49 {
        server.ready()?;
    }
    outcome
}

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "BREW",
];

const PATHS: &[&str] = &[
    "/api",
    "/apis",
    "/api/v1",
    "/apis/apps/v1",
    "/version",
    "/healthz",
    "/readyz",
    "/livez",
    "/openapi/v2",
    "/openapi/v3",
    "/api/v1/namespaces",
    "/api/v1/namespaces/default",
    "/api/v1/namespaces/default/pods",
    "/api/v1/namespaces/default/pods/web",
    "/api/v1/namespaces/default/pods/web/status",
    "/api/v1/namespaces/default/pods/web/log",
    "/api/v1/namespaces/default/pods/web/exec",
    "/api/v1/namespaces/default/pods/web/binding",
    "/api/v1/namespaces/default/configmaps",
    "/api/v1/namespaces/default/configmaps/cm",
    "/api/v1/namespaces/default/secrets",
    "/api/v1/namespaces/default/services",
    "/api/v1/namespaces/default/events",
    "/api/v1/nodes",
    "/api/v1/nodes/n1",
    "/api/v1/pods",
    "/apis/apps/v1/namespaces/default/deployments",
    "/apis/apps/v1/namespaces/default/deployments/d",
    "/apis/apps/v1/namespaces/default/deployments/d/scale",
    "/apis/batch/v1/namespaces/default/jobs",
    "/apis/nope/v1/x",
    "/api/v1/namespaces/%2e%2e/pods",
    "/api/v1/namespaces/default/serviceaccounts/default/token",
    "/",
    "//",
    "/api/v1/componentstatuses",
];

const QUERIES: &[&str] = &[
    "labelSelector=app%3Dweb",
    "labelSelector=app+in+(a,b)",
    "labelSelector=%21x",
    "fieldSelector=metadata.name%3Dweb",
    "fieldSelector=spec.nodeName%21%3D",
    "limit=1",
    "limit=-1",
    "limit=x",
    "continue=abc",
    "resourceVersion=0",
    "resourceVersion=99999999",
    "resourceVersionMatch=NotOlderThan",
    "dryRun=All",
    "fieldManager=f",
    "fieldValidation=Strict",
    "force=true",
    "pretty=true",
    "propagationPolicy=Foreground",
    "gracePeriodSeconds=0",
    "timeoutSeconds=1",
    "watch=false",
    "allowWatchBookmarks=true",
    "container=c",
    "command=sh",
    "stdout=1",
    "tailLines=2",
    "sinceSeconds=1",
    "includeObject=Object",
    "%zz=1",
    "a=%",
    "=",
    "&&",
];

const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/yaml",
    "application/vnd.kubernetes.protobuf",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/json-patch+json",
    "application/apply-patch+yaml",
    "text/plain",
    "application/json; charset=utf-8",
    "",
];

const ACCEPTS: &[&str] = &[
    "application/json",
    "application/yaml",
    "application/vnd.kubernetes.protobuf",
    "application/json;as=Table;v=v1;g=meta.k8s.io",
    "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
    "*/*",
    "text/html",
    "application/json;stream=watch",
];

fn gen_request(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let method = *u.choose(METHODS)?;
    let mut target = u.choose(PATHS)?.to_string();
    let n = u.int_in_range(0..=3)?;
    for i in 0..n {
        target.push(if i == 0 { '?' } else { '&' });
        target.push_str(u.choose(QUERIES)?);
    }
    let body: Vec<u8> = match u.int_in_range(0..=5)? {
        0 => Vec::new(),
        1 | 2 => crate::surfaces::gen_manifest(u)?,
        3 => crate::surfaces::gen_patch(u)?,
        4 => crate::surfaces::gen_protobuf(u)?,
        _ => u.arbitrary::<Vec<u8>>()?,
    };
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {{{{HOST}}}}\r\n");
    if u.ratio(7, 8)? {
        head.push_str("Authorization: Bearer {{TOKEN}}\r\n");
    }
    let ct = *u.choose(CONTENT_TYPES)?;
    if !ct.is_empty() {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    if u.ratio(1, 2)? {
        head.push_str(&format!("Accept: {}\r\n", u.choose(ACCEPTS)?));
    }
    if u.ratio(1, 8)? {
        head.push_str("Impersonate-User: system:admin\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = head.into_bytes();
    out.extend(body);
    Ok(out)
}

pub fn surface() -> Surface {
    Surface {
        name: "serve-http",
        dict: &[
            "\r\n",
            ": ",
            "Content-Length: 0\r\n",
            "Transfer-Encoding: chunked\r\n",
            "Content-Type: application/vnd.kubernetes.protobuf\r\n",
            "Connection: keep-alive\r\n",
            "?watch=true&timeoutSeconds=1",
            "/api/v1/namespaces/default/pods",
            "%00",
            "%",
            "HTTP/1.0",
            "Expect: 100-continue\r\n",
            "{",
            "}",
            "k8s\0",
        ],
        generate: gen_request,
        check,
        max_len: 64 * 1024,
    }
}
