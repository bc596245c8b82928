//! The HTTP(S) client: the Kubernetes REST API over reqwest (blocking), with a bearer token
//! and the cluster's CA. It reaches `kubelite serve` (and any kube-apiserver) the way the
//! real kubectl does.

use super::Client;
use super::auth::credentials::{Authenticator, CertPair};
use super::auth::failure;
use super::auth::tls::{TlsSettings, client_config};
use crate::api::options::{DeleteOptions, ListOptions, PatchType, WatchEvent, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use reqwest::blocking::{Client as Http, Response};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod headers;
mod printed_rows;
mod stream;

const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
/// What a typed client (kubectl's clientset) accepts.
const TYPED_ACCEPT: &str = "application/json, */*";
/// kubectl's page size for lists (`--chunk-size`).
const CHUNK_SIZE: i64 = 500;
/// How long one watch call waits for changes from a server that does not drain.
const WATCH_WAIT_SECONDS: u64 = 1;

/// Makes ring the process's rustls crypto provider (once; later calls do nothing). reqwest
/// is built with rustls but without a provider of its own, so every reqwest client that
/// does not bring its own TLS configuration (the etcd store's) needs this first.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub struct Remote {
    /// The server as configured, for messages.
    base: String,
    /// Where requests go: `base`, or with `tls-server-name` as host so that it is sent as
    /// SNI (the real address is pinned with `resolve`, and `Host` keeps the real name).
    request_base: String,
    host_header: Option<String>,
    config: super::ConnectionConfig,
    /// What failure messages name.
    failure: failure::Context,
    auth: Authenticator,
    /// Rebuilt when an exec plugin hands out another client certificate.
    transport: Mutex<Arc<Transport>>,
    /// The server's `Warning:` headers already printed.
    warnings: headers::Warnings,
}

struct Transport {
    http: Http,
    /// The TLS settings of `http`, for connections reqwest cannot make (exec's WebSocket).
    tls: Arc<rustls::ClientConfig>,
    cert: Option<CertPair>,
}

impl Remote {
    /// A client for the server `config` describes: its CA (or the system's roots),
    /// `insecure-skip-tls-verify`, `tls-server-name`, client certificate, token, token
    /// file, basic auth, exec plugin, impersonation, proxy and request timeout. A token
    /// file is read now; an exec plugin runs at the first request.
    pub fn connect(config: &super::ConnectionConfig) -> Result<Remote, String> {
        let base = config.server.trim_end_matches('/').to_string();
        let url = reqwest::Url::parse(&base)
            .map_err(|e| format!("the server URL {base:?} is not valid: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "the server URL {base:?} must start with https:// or http://"
            ));
        }
        if let Some(p) = &config.proxy_url {
            check_proxy_url(p)?;
        }
        let auth = Authenticator::new(config)?;
        let (request_base, host_header, pinned) = sni_route(config, &url);
        let transport = build_transport(config, auth.static_cert(), pinned.as_ref())?;
        Ok(Remote {
            base,
            request_base,
            host_header,
            config: config.clone(),
            failure: failure::Context::new(config),
            auth,
            transport: Mutex::new(Arc::new(transport)),
            warnings: Default::default(),
        })
    }

    /// A client for `server` (`https://host:port`), trusting `ca_pem` (PEM certificates),
    /// sending `token`.
    pub fn new(server: &str, ca_pem: Option<&[u8]>, token: Option<&str>) -> Result<Remote, String> {
        Remote::connect(&super::ConnectionConfig {
            server: server.to_string(),
            ca_pem: ca_pem.map(<[u8]>::to_vec),
            credentials: super::Credentials {
                token: token.map(str::to_string),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    pub(super) fn base(&self) -> &str {
        &self.base
    }

    pub(super) fn failure_context(&self) -> &failure::Context {
        &self.failure
    }

    /// The transport for the client certificate to present now (running an exec plugin
    /// when it supplies the certificate).
    fn transport(&self) -> Result<Arc<Transport>, ApiError> {
        let cert = self.auth.client_cert()?;
        let mut current = self.transport.lock().unwrap_or_else(|p| p.into_inner());
        if current.cert != cert {
            let url = reqwest::Url::parse(&self.base).map_err(|e| {
                failure::unable_to_connect(&format!("the server URL is not valid: {e}"))
            })?;
            let (_, _, pinned) = sni_route(&self.config, &url);
            let fresh = build_transport(&self.config, cert, pinned.as_ref())
                .map_err(|e| failure::unable_to_connect(&e))?;
            *current = Arc::new(fresh);
        }
        Ok(current.clone())
    }

    pub(super) fn tls(&self) -> Result<Arc<rustls::ClientConfig>, ApiError> {
        Ok(self.transport()?.tls.clone())
    }

    /// Headers every request carries: who sends it, credentials and impersonation.
    /// Credentials travel only over TLS: to a plain `http://` server kubectl sends none.
    pub(super) fn auth_headers(&self) -> Result<Vec<(&'static str, String)>, ApiError> {
        let mut h = vec![("User-Agent", headers::user_agent())];
        if self.base.starts_with("https://")
            && let Some(a) = self.auth.authorization()?
        {
            h.push(("Authorization", a));
        }
        if let Some(u) = &self.config.impersonate_user {
            h.push(("Impersonate-User", u.clone()));
        }
        for g in &self.config.impersonate_groups {
            h.push(("Impersonate-Group", g.clone()));
        }
        Ok(h)
    }

    /// Where requests are sent, and the `Host` to name (with `tls-server-name`).
    pub(super) fn dial_target(&self) -> (&str, Option<&str>) {
        (&self.request_base, self.host_header.as_deref())
    }

    fn request(&self, method: Method, path: &str, query: &[(&str, String)]) -> Pending {
        self.request_accepting(method, path, query, "application/json")
    }

    fn request_accepting(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        accept: &str,
    ) -> Pending {
        let mut query = query.to_vec();
        // kubectl's --request-timeout also tells the server how long to take (in place of
        // a request's own default, such as discovery's 32s).
        let watching = query.iter().any(|(k, _)| *k == "watch");
        if let Some(t) = self.config.request_timeout.filter(|_| !watching) {
            query.retain(|(k, _)| *k != "timeout");
            query.push(("timeout", go_duration(t)));
        }
        // Go's url.Values.Encode sorts by key (stably: repeated keys keep their order).
        query.sort_by_key(|(k, _)| *k);
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        let mut url = format!("{}{}", self.request_base, path);
        if !q.is_empty() {
            url.push('?');
            url.push_str(&q.join("&"));
        }
        Pending {
            method,
            url,
            headers: vec![("Accept", accept.to_string())],
            body: None,
        }
    }

    /// Sends a request with the current credentials; after a 401, refreshes them (token
    /// file, exec plugin) and tries once more.
    fn send(&self, p: &Pending) -> Result<Response, ApiError> {
        let resp = self.send_once(p, None)?;
        if resp.status() == StatusCode::UNAUTHORIZED && self.auth.refresh() {
            return self.send_once(p, None);
        }
        Ok(resp)
    }

    /// Sends a request once, with the current credentials; its reply is not read yet.
    /// `timeout` replaces the client's (a reply read as it arrives may take longer).
    fn send_once(&self, p: &Pending, timeout: Option<Duration>) -> Result<Response, ApiError> {
        let transport = self.transport()?;
        let mut b = transport.http.request(p.method.clone(), &p.url);
        if let Some(h) = &self.host_header {
            b = b.header("Host", h);
        }
        for (k, v) in p.headers.iter().cloned().chain(self.auth_headers()?) {
            b = b.header(k, v);
        }
        if let Some(body) = &p.body {
            b = b.body(body.clone());
        }
        if let Some(t) = timeout {
            b = b.timeout(t);
        }
        let resp = b
            .send()
            .map_err(|e| failure::from_reqwest(&e, &self.failure))?;
        self.warnings.print(resp.headers());
        Ok(resp)
    }

    /// Sends a request and decodes the JSON reply; failures become the server's Status.
    fn call(&self, p: Pending) -> Result<Value, ApiError> {
        let resp = self.send(&p)?;
        let code = resp.status();
        let bytes = resp
            .bytes()
            .map_err(|e| failure::from_reqwest(&e, &self.failure))?;
        decode_reply(code, &bytes)
    }

    fn object_path(r: &Resource, namespace: Option<&str>, name: &str) -> String {
        format!("{}/{}", r.collection_path(namespace), encode_path(name))
    }
}

/// The most of a failed reply's body read for its Status.
const MAX_ERROR_BODY: u64 = 1024 * 1024;

/// A reply's body copied to `out` chunk by chunk, each flushed as it comes; a failure's
/// body (bounded) decoded into the server's error.
fn copy_reply(
    mut resp: Response,
    out: &mut dyn std::io::Write,
    fail: &failure::Context,
) -> Result<(), ApiError> {
    use std::io::Read;
    let code = resp.status();
    if !code.is_success() {
        let mut bytes = Vec::new();
        let _ = (&mut resp).take(MAX_ERROR_BODY).read_to_end(&mut bytes);
        return decode_reply(code, &bytes).map(|_| ());
    }
    let mut chunk = vec![0u8; 32 * 1024];
    loop {
        let n = match resp.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(failure::from_io(&e, fail)
                    .unwrap_or_else(|| failure::unable_to_connect(&e.to_string())));
            }
        };
        // The reader went away (a closed pipe): nothing more to print.
        if out
            .write_all(&chunk[..n])
            .and_then(|()| out.flush())
            .is_err()
        {
            return Ok(());
        }
    }
}

pub(super) fn decode_reply(code: StatusCode, bytes: &[u8]) -> Result<Value, ApiError> {
    let parsed: Option<Value> = serde_json::from_slice(bytes).ok();
    if code.is_success() {
        return parsed.ok_or_else(|| ApiError::internal("the server's reply is not JSON"));
    }
    match parsed {
        Some(status) if status["kind"] == "Status" => Ok(status),
        _ => Err(ApiError::new(
            code.as_u16(),
            &code
                .canonical_reason()
                .unwrap_or("Unknown")
                .replace(' ', ""),
            String::from_utf8_lossy(bytes).trim().to_string(),
        )),
    }
    .and_then(|status| Err(ApiError::from_status(code.as_u16(), &status)))
}

/// A path with a query (`/openapi/v3/api/v1?hash=AB`) as the path and its (decoded)
/// parameters, so that the query is written, and extended, like any other.
fn split_query(path: &str) -> (&str, Vec<(&str, String)>) {
    let Some((path, query)) = path.split_once('?') else {
        return (path, Vec::new());
    };
    let params = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k, decode(v))
        })
        .collect();
    (path, params)
}

/// Undoes percent-encoding (what [`encode`] does).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a name in a URL path as Go's URL does for client-go: `:`, `@` and the
/// other sub-delimiters stay (`kubeadm:get-nodes`), `?`, `#`, `%` and the rest are escaped.
fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'~' | b'$' | b'&' | b'+' | b',' | b':' | b';' | b'=' | b'@'
            )
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes a query value or path segment.
pub(super) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn list_query(opts: &ListOptions) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    if let Some(l) = &opts.label_selector {
        q.push(("labelSelector", l.clone()));
    }
    if let Some(f) = &opts.field_selector {
        q.push(("fieldSelector", f.clone()));
    }
    if let Some(l) = opts.limit.filter(|l| *l > 0) {
        q.push(("limit", l.to_string()));
    }
    if let Some(c) = &opts.continue_token {
        q.push(("continue", c.clone()));
    }
    q
}

/// Whole seconds as Go prints a `time.Duration` (`45s`, `7m38s`, `1h0m0s`).
fn go_duration_seconds(total: u64) -> String {
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

fn write_query(opts: &WriteOptions) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    if opts.dry_run {
        q.push(("dryRun", "All".to_string()));
    }
    if let Some(m) = &opts.field_manager {
        q.push(("fieldManager", m.clone()));
    }
    if let Some(v) = opts.field_validation {
        q.push(("fieldValidation", v.to_string()));
    }
    q
}

/// A request not yet sent: kept whole so that it can be sent again after a 401.
struct Pending {
    method: Method,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

impl Pending {
    fn header(mut self, name: &'static str, value: &str) -> Pending {
        self.headers.push((name, value.to_string()));
        self
    }
}

fn json_body(mut p: Pending, content_type: &str, v: &Value) -> Pending {
    p.headers.push(("Content-Type", content_type.to_string()));
    p.body = Some(serde_json::to_vec(v).unwrap_or_default());
    p
}

/// The HTTP client for `config`, presenting `cert`.
fn build_transport(
    config: &super::ConnectionConfig,
    cert: Option<CertPair>,
    pinned: Option<&(String, std::net::SocketAddr)>,
) -> Result<Transport, String> {
    let (cert_pem, key_pem) = match &cert {
        Some((c, k)) => (Some(c.as_slice()), Some(k.as_slice())),
        None => (None, None),
    };
    let tls = client_config(&TlsSettings {
        ca_pem: config.ca_pem.as_deref(),
        insecure_skip_tls_verify: config.insecure_skip_tls_verify,
        tls_server_name: config.tls_server_name.as_deref(),
        client_cert_pem: cert_pem,
        client_key_pem: key_pem,
    })?;
    // No timeout unless asked for: a watch or a slow list may take long. Connecting gets
    // Go's dial timeout.
    let mut b = Http::builder()
        .use_preconfigured_tls(tls.clone())
        .timeout(config.request_timeout)
        .connect_timeout(Duration::from_secs(30));
    if let Some(p) = &config.proxy_url {
        let proxy =
            reqwest::Proxy::all(p).map_err(|e| format!("proxy-url {p:?} is not valid: {e}"))?;
        b = b.proxy(proxy);
    }
    if let Some((name, addr)) = pinned {
        b = b.resolve(name, *addr);
    }
    let http = b
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    Ok(Transport {
        http,
        tls: Arc::new(tls),
        cert,
    })
}

/// With `tls-server-name` (and no proxy), requests name that host, so that rustls sends it
/// as SNI, while the connection is pinned to the server's real address and `Host` keeps
/// the real authority. Returns the request base, the Host header, and the pin.
fn sni_route(
    config: &super::ConnectionConfig,
    url: &reqwest::Url,
) -> (
    String,
    Option<String>,
    Option<(String, std::net::SocketAddr)>,
) {
    let base = config.server.trim_end_matches('/').to_string();
    let (Some(name), None, Some(host), Some(port)) = (
        config.tls_server_name.as_deref(),
        config.proxy_url.as_ref(),
        url.host_str(),
        url.port_or_known_default(),
    ) else {
        return (base, None, None);
    };
    if url.scheme() != "https" || name.parse::<std::net::IpAddr>().is_ok() {
        return (base, None, None);
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let Some(addr) = std::net::ToSocketAddrs::to_socket_addrs(&(host, port))
        .ok()
        .and_then(|mut a| a.next())
    else {
        return (base, None, None);
    };
    let mut rerouted = url.clone();
    if rerouted.set_host(Some(name)).is_err() {
        return (base, None, None);
    }
    let authority = failure::authority(&base).to_string();
    (
        rerouted.as_str().trim_end_matches('/').to_string(),
        Some(authority),
        Some((name.to_string(), addr)),
    )
}

/// http, https and socks5 proxies are what kubeconfig allows; this build has no SOCKS.
fn check_proxy_url(p: &str) -> Result<(), String> {
    match p.split_once("://").map(|(s, _)| s) {
        Some("http" | "https") => Ok(()),
        Some("socks5" | "socks5h") => Err(format!(
            "proxy-url {p:?}: socks5 proxies are not supported by this kubelite build \
             (use an http or https proxy)"
        )),
        _ => Err(format!(
            "proxy-url {p:?} must be an http, https or socks5 URL"
        )),
    }
}

/// A duration as Go's `time.Duration` prints it (`32s`, `1m0s`, `1.5s`, `500ms`).
pub(super) use crate::go::duration::format as go_duration;

impl Client for Remote {
    fn get(&self, r: &Resource, namespace: Option<&str>, name: &str) -> Result<Value, ApiError> {
        self.call(self.request(Method::GET, &Self::object_path(r, namespace, name), &[]))
    }

    fn list(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        let mut list =
            self.list_chunked(&r.collection_path(namespace), opts, &[], "application/json")?;
        // The name prefix is kubelite's own option, not the HTTP API's: filter here.
        if let (Some(prefix), Some(items)) = (
            &opts.name_prefix,
            list.get_mut("items").and_then(Value::as_array_mut),
        ) {
            items.retain(|o| {
                o.pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.starts_with(prefix.as_str()))
            });
        }
        Ok(list)
    }

    /// As kubectl's metrics clientset asks (one request, no paging); in JSON, as kubectl
    /// does with `--use-protocol-buffers=false` (kubelite decodes no protobuf).
    fn metrics(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        let path = match name {
            Some(n) => Self::object_path(r, namespace, n),
            None => r.collection_path(namespace),
        };
        self.call(self.request_accepting(Method::GET, &path, &list_query(opts), TYPED_ACCEPT))
    }

    fn create_token(&self, namespace: &str, name: &str, body: &Value) -> Result<Value, ApiError> {
        let path = format!(
            "/api/v1/namespaces/{}/serviceaccounts/{}/token",
            encode(namespace),
            encode(name)
        );
        // kubectl's protobuf clientset asks for protobuf, else JSON: JSON here.
        let p = self.request(Method::POST, &path, &[]);
        self.call(json_body(p, "application/json", body))
    }

    fn review(&self, r: &Resource, body: &Value) -> Result<Value, ApiError> {
        let p = self.request_accepting(Method::POST, &r.collection_path(None), &[], TYPED_ACCEPT);
        self.call(json_body(p, "application/json", body))
    }

    fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ApiError> {
        let path = format!(
            "/api/v1/namespaces/{}/pods/{}/binding",
            encode(namespace),
            encode(pod)
        );
        let binding = serde_json::json!({
            "kind": "Binding", "apiVersion": "v1",
            "metadata": {"name": pod, "namespace": namespace},
            "target": {"kind": "Node", "apiVersion": "v1", "name": node}
        });
        self.call(json_body(
            self.request(Method::POST, &path, &[]),
            "application/json",
            &binding,
        ))?;
        Ok(())
    }

    fn evict(&self, namespace: &str, pod: &str, opts: &DeleteOptions) -> Result<(), ApiError> {
        let path = format!(
            "/api/v1/namespaces/{}/pods/{}/eviction",
            encode(namespace),
            encode(pod)
        );
        // kubectl's body: the Eviction with its DeleteOptions (dry run and grace period
        // only when asked for).
        let mut delete_options = serde_json::Map::new();
        if let Some(g) = opts.grace_period_seconds {
            delete_options.insert("gracePeriodSeconds".into(), g.into());
        }
        if opts.dry_run {
            delete_options.insert("dryRun".into(), serde_json::json!(["All"]));
        }
        let eviction = serde_json::json!({
            "kind": "Eviction", "apiVersion": "policy/v1",
            "metadata": {"name": pod, "namespace": namespace, "creationTimestamp": null},
            "deleteOptions": delete_options,
        });
        // kubectl's eviction client is a typed one.
        self.call(json_body(
            self.request_accepting(Method::POST, &path, &[], TYPED_ACCEPT),
            "application/json",
            &eviction,
        ))?;
        Ok(())
    }

    fn create(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        // kubectl names the namespace in the body too.
        let mut obj = obj;
        if let (Some(ns), Some(meta)) = (
            namespace.filter(|_| r.namespaced),
            obj.get_mut("metadata").and_then(Value::as_object_mut),
        ) {
            meta.entry("namespace").or_insert_with(|| json!(ns));
        }
        let b = self.request(
            Method::POST,
            &r.collection_path(namespace),
            &write_query(opts),
        );
        self.call(json_body(b, "application/json", &obj))
    }

    fn update(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let b = self.request(
            Method::PUT,
            &Self::object_path(r, namespace, name),
            &write_query(opts),
        );
        self.call(json_body(b, "application/json", &obj))
    }

    fn update_status(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        // `status`, or the subresource named (a CertificateSigningRequest's `approval`).
        let sub = opts.subresource.unwrap_or("status");
        let path = format!("{}/{sub}", Self::object_path(r, namespace, name));
        let b = self.request(Method::PUT, &path, &write_query(opts));
        self.call(json_body(b, "application/json", &obj))
    }

    fn patch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let content_type = patch_type.content_type();
        let b = self.request(
            Method::PATCH,
            &Self::object_path(r, namespace, name),
            &write_query(opts),
        );
        self.call(json_body(b, content_type, patch))
    }

    fn apply(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        name: &str,
        config: &Value,
        opts: &WriteOptions,
        force: bool,
    ) -> Result<Value, ApiError> {
        // kubectl names `force` on every server-side apply, false included.
        let mut query = write_query(opts);
        // kubectl always says whether conflicts are forced (`force=false` too).
        query.push(("force", force.to_string()));
        let mut path = Self::object_path(r, namespace, name);
        if let Some(sub) = opts.subresource {
            path = format!("{path}/{sub}");
        }
        let b = self.request(Method::PATCH, &path, &query);
        // JSON is YAML: kubectl sends its apply configuration as JSON too.
        self.call(json_body(b, "application/apply-patch+yaml", config))
    }

    fn patch_raw(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        body: &[u8],
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let content_type = patch_type.content_type();
        let mut path = Self::object_path(r, namespace, name);
        // kubectl writes subresources (scale) with its typed client.
        let mut accept = "application/json";
        if let Some(sub) = opts.subresource {
            path = format!("{path}/{sub}");
            // `debug`'s clientset asks for protobuf, else JSON: JSON here.
            if sub != "ephemeralcontainers" {
                accept = TYPED_ACCEPT;
            }
        }
        let mut p = self.request_accepting(Method::PATCH, &path, &write_query(opts), accept);
        p.headers.push(("Content-Type", content_type.to_string()));
        p.body = Some(body.to_vec());
        self.call(p)
    }

    fn delete(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        let mut body = serde_json::Map::new();
        if let Some(p) = &opts.propagation_policy {
            body.insert("propagationPolicy".into(), json!(p));
        }
        if let Some(g) = opts.grace_period_seconds {
            body.insert("gracePeriodSeconds".into(), json!(g));
        }
        if opts.dry_run {
            body.insert("dryRun".into(), json!(["All"]));
        }
        let b = self.request(Method::DELETE, &Self::object_path(r, namespace, name), &[]);
        self.call(json_body(b, "application/json", &Value::Object(body)))
    }

    fn watch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        since: i64,
    ) -> Result<(Vec<WatchEvent>, i64), ApiError> {
        let mut q = list_query(opts);
        q.retain(|(k, _)| *k != "limit" && *k != "continue");
        q.push(("watch", "true".into()));
        q.push(("resourceVersion", since.to_string()));
        q.push(("allowWatchBookmarks", "true".into()));
        q.push(("timeoutSeconds", WATCH_WAIT_SECONDS.to_string()));
        let p = self
            .request(Method::GET, &r.collection_path(namespace), &q)
            .header(crate::api::options::WATCH_DRAIN_HEADER, "drain");
        let resp = self.send(&p)?;
        let code = resp.status();
        let bytes = resp
            .bytes()
            .map_err(|e| failure::from_reqwest(&e, &self.failure))?;
        if !code.is_success() {
            return decode_reply(code, &bytes).map(|_| (Vec::new(), since));
        }
        parse_watch_stream(&bytes, since)
    }

    fn get_table(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        let b = self.request_accepting(
            Method::GET,
            &Self::object_path(r, namespace, name),
            &[],
            TABLE_ACCEPT,
        );
        self.call(b)
    }

    fn list_table(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        let mut extra = Vec::new();
        if opts.include_object {
            extra.push(("includeObject", "Object".to_string()));
        }
        self.list_chunked(&r.collection_path(namespace), opts, &extra, TABLE_ACCEPT)
    }

    fn list_table_printed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        if opts.include_object {
            return self.list_table(r, namespace, opts);
        }
        let path = r.collection_path(namespace);
        self.list_pages(&path, opts, &[], TABLE_ACCEPT, &printed_rows::decode)
    }

    fn version(&self) -> Result<Value, ApiError> {
        let q = [("timeout", "32s".to_string())];
        self.call(self.request_accepting(Method::GET, "/version", &q, TYPED_ACCEPT))
    }

    fn server_url(&self) -> String {
        self.base.clone()
    }

    fn get_path(&self, path: &str, accept: &str) -> Option<Result<Value, ApiError>> {
        let (path, query) = split_query(path);
        Some(self.call(self.request_accepting(Method::GET, path, &query, accept)))
    }

    fn live(&self) -> bool {
        true
    }

    fn patch_typed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let b = self.request_accepting(
            Method::PATCH,
            &Self::object_path(r, namespace, name),
            &write_query(opts),
            TYPED_ACCEPT,
        );
        self.call(json_body(b, patch_type.content_type(), patch))
    }

    fn get_raw(&self, path: &str) -> Option<Result<Vec<u8>, ApiError>> {
        self.send_raw("GET", path, None)
    }

    fn get_raw_to(&self, path: &str, out: &mut dyn std::io::Write) -> Option<Result<(), ApiError>> {
        let (path, query) = split_query(path);
        let p = self.request_accepting(Method::GET, path, &query, TYPED_ACCEPT);
        Some(
            self.send(&p)
                .and_then(|resp| copy_reply(resp, out, &self.failure)),
        )
    }

    fn send_raw(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Option<Result<Vec<u8>, ApiError>> {
        let method = match method {
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "DELETE" => Method::DELETE,
            _ => Method::GET,
        };
        let (path, query) = split_query(path);
        let mut p = self.request_accepting(method, path, &query, TYPED_ACCEPT);
        p.body = body;
        let reply = self.send(&p).and_then(|resp| {
            let code = resp.status();
            let bytes = resp
                .bytes()
                .map_err(|e| failure::from_reqwest(&e, &self.failure))?;
            if code.is_success() {
                return Ok(bytes.to_vec());
            }
            decode_reply(code, &bytes).map(|_| Vec::new())
        });
        Some(reply)
    }

    fn create_as_built(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
        typed: bool,
    ) -> Result<Value, ApiError> {
        let accept = if typed {
            TYPED_ACCEPT
        } else {
            "application/json"
        };
        let b = self.request_accepting(
            Method::POST,
            &r.collection_path(namespace),
            &write_query(opts),
            accept,
        );
        self.call(json_body(b, "application/json", &obj))
    }

    fn delete_typed(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        let version = if r.group.is_empty() {
            r.version.to_string()
        } else {
            format!("{}/{}", r.group, r.version)
        };
        let mut body = serde_json::Map::new();
        body.insert("kind".into(), json!("DeleteOptions"));
        body.insert("apiVersion".into(), json!(version));
        if let Some(p) = &opts.propagation_policy {
            body.insert("propagationPolicy".into(), json!(p));
        }
        if let Some(g) = opts.grace_period_seconds {
            body.insert("gracePeriodSeconds".into(), json!(g));
        }
        if opts.dry_run {
            body.insert("dryRun".into(), json!(["All"]));
        }
        let b = self.request_accepting(
            Method::DELETE,
            &Self::object_path(r, namespace, name),
            &[],
            TYPED_ACCEPT,
        );
        self.call(json_body(b, "application/json", &Value::Object(body)))
    }

    fn list_typed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        // A limit of 0 makes one request with no limit, as a typed client's List.
        let opts = ListOptions {
            limit: Some(0),
            ..opts.clone()
        };
        self.list_chunked(&r.collection_path(namespace), &opts, &[], TYPED_ACCEPT)
    }

    fn get_typed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.call(self.request_accepting(
            Method::GET,
            &Self::object_path(r, namespace, name),
            &[],
            TYPED_ACCEPT,
        ))
    }

    fn watch_stream(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        req: &super::WatchRequest,
    ) -> Result<super::WatchStream, ApiError> {
        let mut q = list_query(opts);
        q.retain(|(k, _)| *k != "limit" && *k != "continue");
        if req.bookmarks {
            q.push(("allowWatchBookmarks", "true".into()));
        }
        q.push(("resourceVersion", req.resource_version.clone()));
        if let Some(t) = req.timeout_seconds {
            if req.typed {
                q.push(("timeout", go_duration_seconds(t)));
            }
            q.push(("timeoutSeconds", t.to_string()));
        }
        q.push(("watch", "true".into()));
        let accept = if req.table {
            TABLE_ACCEPT
        } else {
            "application/json"
        };
        let p = self.request_accepting(Method::GET, &r.collection_path(namespace), &q, accept);
        let resp = self.send_streaming(&p, req.timeout)?;
        Ok(super::WatchStream::new(Box::new(std::io::BufReader::new(
            resp,
        ))))
    }

    fn list_then_watch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        req: &super::WatchRequest,
    ) -> Result<(Value, super::WatchStream), ApiError> {
        let list = self.list_chunked(
            &r.collection_path(namespace),
            opts,
            &[("resourceVersion", "0".to_string())],
            "application/json",
        )?;
        let rv = list
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or("0")
            .to_string();
        let req = super::WatchRequest {
            resource_version: rv,
            ..req.clone()
        };
        let stream = self.watch_stream(r, namespace, opts, &req)?;
        Ok((list, stream))
    }

    fn logs(
        &self,
        namespace: &str,
        pod: &str,
        req: &super::LogRequest,
    ) -> Result<Box<dyn std::io::Read + Send>, ApiError> {
        let path = format!(
            "/api/v1/namespaces/{}/pods/{}/log",
            encode(namespace),
            encode(pod)
        );
        let p = self.request_accepting(Method::GET, &path, &req.query(), TYPED_ACCEPT);
        Ok(Box::new(self.send_streaming(&p, None)?))
    }
}

/// The events of a finished watch stream, and the revision to resume from (a BOOKMARK's,
/// else the newest event's).
fn parse_watch_stream(bytes: &[u8], since: i64) -> Result<(Vec<WatchEvent>, i64), ApiError> {
    let mut events = Vec::new();
    let mut next = since;
    for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let ev: Value = serde_json::from_slice(line)
            .map_err(|e| ApiError::internal(format!("a watch event is not JSON: {e}")))?;
        let rv = ev
            .pointer("/object/metadata/resourceVersion")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<i64>().ok());
        let kind = match ev["type"].as_str() {
            Some("ADDED") => "ADDED",
            Some("MODIFIED") => "MODIFIED",
            Some("DELETED") => "DELETED",
            Some("BOOKMARK") => {
                next = next.max(rv.unwrap_or(next));
                continue;
            }
            Some("ERROR") => return Err(super::watch_stream::error_event(&ev)),
            _ => continue,
        };
        next = next.max(rv.unwrap_or(next));
        let mut object = ev["object"].clone();
        if let Value::Object(m) = &mut object {
            m.shift_remove("kind");
            m.shift_remove("apiVersion");
        }
        events.push(WatchEvent { kind, object });
    }
    Ok((events, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_streams_resume_at_the_bookmark() {
        let stream = b"{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"7\"}}}\n{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}\n";
        let (events, next) = parse_watch_stream(stream, 3).expect("parses");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "ADDED");
        assert_eq!(events[0].object["metadata"]["name"], "a");
        assert_eq!(next, 9);
        let err = b"{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"reason\":\"Expired\",\"code\":410}}\n";
        assert_eq!(parse_watch_stream(err, 1).expect_err("410").code, 410);
    }

    /// A writer the test reads while the client writes.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::ErrorKind::Other)?
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn get_raw_prints_a_reply_that_never_ends_as_it_arrives() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let server = std::thread::spawn(move || {
            let Ok((mut conn, _)) = listener.accept() else {
                return;
            };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            // A watch: a first event, then the body stays open.
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello\n\r\n",
            );
            let _ = conn.flush();
            let _ = done_rx.recv_timeout(Duration::from_secs(60));
        });
        let remote = Remote::connect(&crate::client::ConnectionConfig {
            server: url,
            ..Default::default()
        })
        .expect("connect");
        let out = Shared::default();
        let mut writer = out.clone();
        let client =
            std::thread::spawn(move || remote.get_raw_to("/api/v1/pods?watch=true", &mut writer));
        let mut seen = Vec::new();
        for _ in 0..200 {
            seen = out.0.lock().expect("lock").clone();
            if !seen.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = done_tx.send(());
        let _ = server.join();
        let _ = client.join();
        assert_eq!(seen, b"hello\n");
    }

    /// Serves one plain-HTTP request with `reply` and hands back its head.
    fn capture_one(reply: &'static str) -> (String, std::thread::JoinHandle<String>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let handle = std::thread::spawn(move || {
            let Ok((mut conn, _)) = listener.accept() else {
                return String::new();
            };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let _ = conn.write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                    reply.len()
                )
                .as_bytes(),
            );
            String::from_utf8_lossy(&head).into_owned()
        });
        (url, handle)
    }

    #[test]
    fn requests_carry_credentials_impersonation_and_the_timeout() {
        let (url, server) = capture_one("{\"gitVersion\":\"v1.32.2\"}");
        let remote = Remote::connect(&crate::client::ConnectionConfig {
            server: url,
            request_timeout: Some(Duration::from_secs(90)),
            impersonate_user: Some("jane".into()),
            impersonate_groups: vec!["dev".into(), "ops".into()],
            credentials: crate::client::Credentials {
                username: Some("u".into()),
                password: Some("p".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .expect("connect");
        assert_eq!(remote.version().expect("version")["gitVersion"], "v1.32.2");
        let head = server.join().expect("server").to_ascii_lowercase();
        assert!(
            head.starts_with("get /version?timeout=1m30s http/1.1\r\n"),
            "{head}"
        );
        // Over plain HTTP no credential is sent (kubectl sends none without TLS).
        assert!(!head.contains("authorization:"), "{head}");
        assert!(head.contains("user-agent: kubelite/v"), "{head}");
        for line in [
            "impersonate-user: jane",
            "impersonate-group: dev",
            "impersonate-group: ops",
        ] {
            assert!(head.contains(&format!("{line}\r\n")), "{line} in {head}");
        }
        assert!(
            !head.contains("accept-encoding"),
            "compression is never asked for"
        );
    }

    #[test]
    fn paths_with_queries_are_split_and_decoded() {
        let (path, q) = split_query("/openapi/v3/api/v1?hash=A%2FB&timeout=32s");
        assert_eq!(path, "/openapi/v3/api/v1");
        assert_eq!(
            q,
            [("hash", "A/B".to_string()), ("timeout", "32s".to_string())]
        );
        assert_eq!(split_query("/api"), ("/api", Vec::new()));
    }

    #[test]
    fn durations_are_written_as_go_writes_them() {
        let cases = [
            (500, "500ms"),
            (32_000, "32s"),
            (60_000, "1m0s"),
            (1_500, "1.5s"),
            (3_723_000, "1h2m3s"),
        ];
        for (ms, text) in cases {
            assert_eq!(go_duration(Duration::from_millis(ms)), text);
        }
        assert!(check_proxy_url("socks5://p:1080").is_err());
        assert!(check_proxy_url("https://p:3128").is_ok());
        assert!(check_proxy_url("ftp://p").is_err());
    }

    #[test]
    fn errors_keep_the_servers_status() {
        let body = br#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}"#;
        let e = decode_reply(StatusCode::NOT_FOUND, body).expect_err("404");
        assert_eq!(
            e.to_string(),
            "Error from server (NotFound): pods \"x\" not found"
        );
        let e = decode_reply(StatusCode::BAD_GATEWAY, b"oops").expect_err("502");
        assert_eq!((e.code, e.message.as_str()), (502, "oops"));
        assert_eq!(encode("app=web,x in (a)"), "app%3Dweb%2Cx%20in%20%28a%29");
    }

    #[test]
    fn watch_timeouts_print_as_go_durations() {
        assert_eq!(go_duration_seconds(45), "45s");
        assert_eq!(go_duration_seconds(458), "7m38s");
        assert_eq!(go_duration_seconds(600), "10m0s");
        assert_eq!(go_duration_seconds(3600), "1h0m0s");
    }
}
