//! The HTTP(S) client: the Kubernetes REST API over reqwest (blocking), with a bearer token
//! and the cluster's CA. It reaches `kubelite serve` (and any kube-apiserver) the way the
//! real kubectl does.

use super::Client;
use crate::api::options::{DeleteOptions, ListOptions, PatchType, WatchEvent, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use reqwest::blocking::{Client as Http, RequestBuilder};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
/// How long one watch call waits for changes from a server that does not drain.
const WATCH_WAIT_SECONDS: u64 = 1;

/// Makes ring the process's rustls crypto provider (once; later calls do nothing). reqwest
/// is built with rustls but without a provider of its own, so every reqwest client that
/// does not bring its own TLS configuration (the etcd store's) needs this first.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub struct Remote {
    base: String,
    token: Option<String>,
    http: Http,
    /// The TLS settings of `http`, for connections reqwest cannot make (exec's WebSocket).
    tls: Arc<rustls::ClientConfig>,
}

impl Remote {
    /// A client for the server `config` describes.
    // TODO(issue 6): client certificates, token files, basic auth, exec plugins, proxies,
    // insecure-skip-tls-verify, tls-server-name and timeouts.
    pub fn connect(config: &super::ConnectionConfig) -> Result<Remote, String> {
        Remote::new(
            &config.server,
            config.ca_pem.as_deref(),
            config.credentials.token.as_deref(),
        )
    }

    /// A client for `server` (`https://host:port`), trusting `ca_pem` (PEM certificates).
    pub fn new(server: &str, ca_pem: Option<&[u8]>, token: Option<&str>) -> Result<Remote, String> {
        let mut roots = rustls::RootCertStore::empty();
        if let Some(pem) = ca_pem {
            let text = std::str::from_utf8(pem)
                .map_err(|_| "the CA certificate is not PEM text".to_string())?;
            for block in text.split("-----END CERTIFICATE-----") {
                if !block.contains("-----BEGIN CERTIFICATE-----") {
                    continue;
                }
                let der = crate::server::pem_der(&format!("{block}-----END CERTIFICATE-----"))?;
                roots
                    .add(der)
                    .map_err(|e| format!("the CA certificate is not usable: {e}"))?;
            }
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot configure TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let http = Http::builder()
            .use_preconfigured_tls(tls.clone())
            .timeout(Some(Duration::from_secs(60)))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Remote {
            base: server.trim_end_matches('/').to_string(),
            token: token.map(str::to_string),
            http,
            tls: Arc::new(tls),
        })
    }

    pub(super) fn base(&self) -> &str {
        &self.base
    }

    pub(super) fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    pub(super) fn tls(&self) -> Arc<rustls::ClientConfig> {
        self.tls.clone()
    }

    fn request(&self, method: Method, path: &str, query: &[(&str, String)]) -> RequestBuilder {
        self.request_accepting(method, path, query, "application/json")
    }

    fn request_accepting(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        accept: &str,
    ) -> RequestBuilder {
        let mut url = format!("{}{}", self.base, path);
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if !q.is_empty() {
            url.push('?');
            url.push_str(&q.join("&"));
        }
        let mut b = self.http.request(method, url).header("Accept", accept);
        if let Some(t) = &self.token {
            b = b.header("Authorization", format!("Bearer {t}"));
        }
        b
    }

    /// Sends a request and decodes the JSON reply; failures become the server's Status.
    fn call(&self, b: RequestBuilder) -> Result<Value, ApiError> {
        let resp = b.send().map_err(|e| {
            ApiError::new(
                503,
                "ServiceUnavailable",
                format!("cannot reach {}: {e}", self.base),
            )
        })?;
        let code = resp.status();
        let bytes = resp.bytes().map_err(|e| {
            ApiError::internal(format!("cannot read the reply of {}: {e}", self.base))
        })?;
        decode_reply(code, &bytes)
    }

    fn object_path(r: &Resource, namespace: Option<&str>, name: &str) -> String {
        format!("{}/{}", r.collection_path(namespace), encode(name))
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

fn write_query(opts: &WriteOptions) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    if opts.dry_run {
        q.push(("dryRun", "All".to_string()));
    }
    if let Some(m) = &opts.field_manager {
        q.push(("fieldManager", m.clone()));
    }
    q
}

fn json_body(b: RequestBuilder, content_type: &str, v: &Value) -> RequestBuilder {
    b.header("Content-Type", content_type)
        .body(serde_json::to_vec(v).unwrap_or_default())
}

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
        let mut list = self.call(self.request(
            Method::GET,
            &r.collection_path(namespace),
            &list_query(opts),
        ))?;
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

    fn create(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
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
        let path = format!("{}/status", Self::object_path(r, namespace, name));
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
        let content_type = match patch_type {
            PatchType::Merge => "application/merge-patch+json",
            PatchType::Json => "application/json-patch+json",
            PatchType::Strategic => "application/strategic-merge-patch+json",
        };
        let b = self.request(
            Method::PATCH,
            &Self::object_path(r, namespace, name),
            &write_query(opts),
        );
        self.call(json_body(b, content_type, patch))
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
        let b = self
            .request(Method::GET, &r.collection_path(namespace), &q)
            .header(crate::server::WATCH_DRAIN_HEADER, "drain");
        let resp = b.send().map_err(|e| {
            ApiError::new(
                503,
                "ServiceUnavailable",
                format!("cannot reach {}: {e}", self.base),
            )
        })?;
        let code = resp.status();
        let bytes = resp.bytes().map_err(|e| {
            ApiError::internal(format!("cannot read the watch of {}: {e}", self.base))
        })?;
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
        let mut q = list_query(opts);
        if opts.include_object {
            q.push(("includeObject", "Object".into()));
        }
        let b =
            self.request_accepting(Method::GET, &r.collection_path(namespace), &q, TABLE_ACCEPT);
        self.call(b)
    }

    fn version(&self) -> Result<Value, ApiError> {
        self.call(self.request(Method::GET, "/version", &[]))
    }

    fn server_url(&self) -> String {
        self.base.clone()
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
            Some("ERROR") => {
                let code = ev
                    .pointer("/object/code")
                    .and_then(Value::as_u64)
                    .unwrap_or(500) as u16;
                return Err(ApiError::from_status(code, &ev["object"]));
            }
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
}
