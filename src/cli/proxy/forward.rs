//! The proxy's HTTP: each request is checked (prefix, filter), rewritten for the server
//! (path, Host, credentials, X-Forwarded-For) and sent on a connection of its own to the
//! server; the reply streams back as it comes (watches, `logs -f`). An upgrade (exec over
//! WebSocket, when the filter lets it through) becomes a byte tunnel both ways.

use super::filter::{Filters, host_of};
use crate::client::Upstream;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};

type Body = BoxBody<Bytes, hyper::Error>;

/// What the proxy does with each request.
pub struct Plan {
    pub upstream: Upstream,
    pub filters: Option<Filters>,
    /// The API prefix, ending in `/`.
    pub prefix: String,
    pub append_server_path: bool,
}

/// Hop-by-hop headers (RFC 9110 7.6.1) are the connection's, not the request's.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "proxy-connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Accepts connections on `listener` until the process ends.
pub fn serve(listener: std::net::TcpListener, plan: Plan) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let plan = Arc::new(plan);
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        loop {
            let Ok((stream, peer)) = listener.accept().await else {
                continue;
            };
            let plan = plan.clone();
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |req| handle(plan.clone(), peer, req));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .with_upgrades()
                    .await;
            });
        }
    })
}

async fn handle(
    plan: Arc<Plan>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let path = req.uri().path().to_string();
    // Go's ServeMux: the prefix is a subtree; its name without the slash redirects.
    if path.len() + 1 == plan.prefix.len() && plan.prefix.starts_with(&path) {
        let body = format!("<a href=\"{}\">Moved Permanently</a>.\n\n", plan.prefix);
        let mut r = text(
            StatusCode::MOVED_PERMANENTLY,
            "text/html; charset=utf-8",
            body,
        );
        if let Ok(v) = HeaderValue::from_str(&plan.prefix) {
            r.headers_mut().insert("location", v);
        }
        return Ok(r);
    }
    if !path.starts_with(&plan.prefix) {
        return Ok(plain(StatusCode::NOT_FOUND, "404 page not found\n"));
    }
    // kubectl strips the prefix unless it starts with /api (then paths pass unchanged).
    let forwarded = if plan.prefix.starts_with("/api") {
        path.clone()
    } else {
        let rest = &path[plan.prefix.len() - 1..];
        if rest.starts_with('/') {
            rest.to_string()
        } else {
            format!("/{rest}")
        }
    };
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    if let Some(f) = &plan.filters
        && !f.accept(req.method().as_str(), &forwarded, host_of(&host))
    {
        return Ok(plain(StatusCode::FORBIDDEN, "Forbidden\n"));
    }
    match forward(&plan, peer, req, &forwarded).await {
        Ok(r) => Ok(r),
        Err(e) => {
            let now = chrono::Local::now().format("%m%d %H:%M:%S%.6f");
            let pid = std::process::id();
            eprintln!("E{now} {pid:>7} proxy_server.go:147] Error while proxying request: {e}");
            Ok(plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n")))
        }
    }
}

/// Sends the request on to the server and hands its reply back.
async fn forward(
    plan: &Plan,
    peer: SocketAddr,
    mut req: Request<Incoming>,
    path: &str,
) -> Result<Response<Body>, String> {
    let up = &plan.upstream;
    let upgrade = req.headers().contains_key("upgrade");
    let mut target = if plan.append_server_path {
        format!("{}{path}", up.path)
    } else {
        path.to_string()
    };
    if let Some(q) = req.uri().query() {
        target.push('?');
        target.push_str(q);
    }
    let mut out = Request::builder()
        .method(req.method().clone())
        .uri(target)
        .body(())
        .map_err(|e| e.to_string())?;
    let headers = out.headers_mut();
    for (k, v) in req.headers() {
        let name = k.as_str();
        if name == "host" || (HOP_BY_HOP.contains(&name) && !(upgrade && is_upgrade_header(name))) {
            continue;
        }
        headers.append(k.clone(), v.clone());
    }
    set(headers, "host", &up.authority);
    for (k, v) in &up.defaults {
        if !headers.contains_key(*k) {
            set(headers, k, v);
        }
    }
    for (k, v) in &up.overrides {
        set(headers, k, v);
    }
    let client_ip = peer.ip().to_string();
    let xff = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(prior) => format!("{prior}, {client_ip}"),
        None => client_ip,
    };
    set(headers, "x-forwarded-for", &xff);
    let client_upgrade = upgrade.then(|| hyper::upgrade::on(&mut req));
    let (parts, ()) = out.into_parts();
    let out = Request::from_parts(parts, req.into_body());

    let tcp = tokio::net::TcpStream::connect(&up.address)
        .await
        .map_err(|e| format!("dial tcp {}: {}", up.address, go_error(&e)))?;
    let mut reply = match &up.tls {
        Some((config, name)) => {
            let tls = tokio_rustls::TlsConnector::from(config.clone())
                .connect(name.clone(), tcp)
                .await
                .map_err(|e| e.to_string())?;
            send(tls, out).await?
        }
        None => send(tcp, out).await?,
    };
    if reply.status() == StatusCode::SWITCHING_PROTOCOLS
        && let Some(client_upgrade) = client_upgrade
    {
        let server_upgrade = hyper::upgrade::on(&mut reply);
        tokio::spawn(async move {
            if let (Ok(a), Ok(b)) = tokio::join!(client_upgrade, server_upgrade) {
                let _ =
                    tokio::io::copy_bidirectional(&mut TokioIo::new(a), &mut TokioIo::new(b)).await;
            }
        });
    }
    let upgraded = reply.status() == StatusCode::SWITCHING_PROTOCOLS;
    let (mut parts, body) = reply.into_parts();
    let names: Vec<HeaderName> = parts.headers.keys().cloned().collect();
    for name in names {
        if HOP_BY_HOP.contains(&name.as_str()) && !(upgraded && is_upgrade_header(name.as_str())) {
            parts.headers.remove(&name);
        }
    }
    Ok(Response::from_parts(parts, body.boxed()))
}

fn is_upgrade_header(name: &str) -> bool {
    name == "upgrade" || name == "connection"
}

/// One request on a fresh connection to the server; the connection lives on (for the
/// reply's body, or an upgrade) in a task of its own.
async fn send<S>(stream: S, req: Request<Incoming>) -> Result<Response<Incoming>, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.with_upgrades().await;
    });
    sender.send_request(req).await.map_err(|e| e.to_string())
}

fn set(headers: &mut hyper::HeaderMap, name: &str, value: &str) {
    if let (Ok(k), Ok(v)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        headers.insert(k, v);
    }
}

/// Go's words for the commonest dial failures.
fn go_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connect: connection refused".to_string(),
        _ => e.to_string(),
    }
}

/// A reply of the proxy's own, as Go's http.Error writes it.
fn plain(status: StatusCode, body: &str) -> Response<Body> {
    let mut r = text(status, "text/plain; charset=utf-8", body.to_string());
    r.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response<Body> {
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let mut r = Response::new(
        Full::new(Bytes::from(body))
            .map_err(|never| match never {})
            .boxed(),
    );
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert("content-type", HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&date) {
        h.insert("date", v);
    }
    r
}
