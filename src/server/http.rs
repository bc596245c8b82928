//! Connections and requests: TLS, HTTP/1.1, authentication (client certificate or bearer
//! token, see `authn`) and authorization (`authz`), body limits, and
//! handing each request to the REST handlers (on the blocking pool, since the store is
//! synchronous) or to a watch stream.

use super::State;
use super::authn::{self, PeerCert};
use super::authz;
use super::limits::Admitted;
use super::message::{Request, Response, error, parse_query};
use super::route::{self, Route};
use super::sa_authn;
use crate::api::status::ApiError;
use http_body_util::BodyExt;
use hyper::Method;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_LENGTH, HeaderValue};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;

/// kube-apiserver's limit on request bodies (3 MiB).
pub const MAX_BODY: usize = 3 * 1024 * 1024;
/// How much of an oversize body is read and dropped before the 413.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// hyper's read buffer, and so the largest request head: kubectl's heads are a few KiB.
const MAX_HEAD_BUFFER: usize = 64 * 1024;

/// Serves until Ctrl-C or SIGTERM, then stops in bounded time: no new connections, idle
/// keep-alive connections closed, watches and exec sessions ended, and requests in flight
/// given `shutdown_grace` to finish.
pub async fn run(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    state: Arc<State>,
) -> Result<(), String> {
    let acceptor = TlsAcceptor::from(tls);
    let limits = state.limits.clone();
    let fatal = state.control.fatal();
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let accept = {
        let connections = connections.clone();
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                // Beyond the cap, clients wait in the listen backlog.
                let Ok(permit) = connections.clone().acquire_owned().await else {
                    return;
                };
                let Ok((tcp, _)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let _ = tcp.set_nodelay(true);
                tokio::spawn(connection(tcp, acceptor.clone(), state.clone(), permit));
            }
        })
    };
    wait_for_shutdown(fatal.clone()).await?;
    accept.abort();
    state.stop.send_replace(true);
    // Every connection holds a permit: all of them back means all connections closed.
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(
        limits.shutdown_grace + Duration::from_secs(1),
        connections.acquire_many(all),
    )
    .await;
    match fatal.borrow().clone() {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

/// One client connection: TLS, then HTTP/1.1 until the client leaves, a read times out,
/// or serve stops.
async fn connection(
    tcp: tokio::net::TcpStream,
    acceptor: TlsAcceptor,
    state: Arc<State>,
    permit: OwnedSemaphorePermit,
) {
    let Ok(Ok(stream)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await else {
        return;
    };
    // The certificate is checked once per connection, as kube-apiserver does.
    let cert = Arc::new(
        state
            .cert_checker
            .check(stream.get_ref().1.peer_certificates()),
    );
    let permit = Arc::new(permit);
    let service = {
        let state = state.clone();
        let permit = permit.clone();
        hyper::service::service_fn(move |req| {
            handle(state.clone(), cert.clone(), permit.clone(), req)
        })
    };
    let stop = state.stopped();
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        // Also the limit on an idle keep-alive connection: hyper times the wait for the
        // next request's head the same way.
        .header_read_timeout(state.limits.header_read)
        .max_buf_size(MAX_HEAD_BUFFER)
        .serve_connection(TokioIo::new(stream), service)
        // `pods/exec` takes the connection over (WebSocket, SPDY).
        .with_upgrades();
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stop => {
            // Idle connections close now; a request in flight gets the grace to finish.
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(state.limits.shutdown_grace, conn).await;
        }
    }
}

/// Waits for SIGINT, SIGTERM, or a reason of the control plane's to stop.
async fn wait_for_shutdown(
    mut fatal: tokio::sync::watch::Receiver<Option<String>>,
) -> Result<(), String> {
    use tokio::signal::unix::{SignalKind, signal};
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(2);
    for kind in [SignalKind::interrupt(), SignalKind::terminate()] {
        let mut s = signal(kind).map_err(|e| format!("cannot handle signals: {e}"))?;
        let tx = tx.clone();
        tokio::spawn(async move {
            s.recv().await;
            let _ = tx.send(()).await;
        });
    }
    tokio::spawn(async move {
        if fatal.wait_for(Option::is_some).await.is_ok() {
            let _ = tx.send(()).await;
        }
    });
    rx.recv().await;
    Ok(())
}

async fn handle(
    state: Arc<State>,
    cert: Arc<PeerCert>,
    connection: Arc<OwnedSemaphorePermit>,
    req: hyper::Request<Incoming>,
) -> Result<Response, Infallible> {
    // Custom resources are looked up only for paths no built-in resource has.
    let path = req.uri().path();
    let route = match route::resolve(path) {
        Route::NotFound => match route::resolve_with(path, &super::custom_resources(&state)) {
            Route::NotFound if super::rest::cannot_convert(&state, path, req.method()) => {
                Route::Unconvertible
            }
            found => found,
        },
        found => found,
    };
    let public = matches!(route, Route::Health(_) | Route::Version);
    let unauthorized = || error(&ApiError::new(401, "Unauthorized", "Unauthorized"));
    let identity = match sa_authn::authenticate(req.headers(), &cert, &state) {
        Err(()) => return Ok(unauthorized()),
        Ok(None) if public => None,
        Ok(None) => return Ok(unauthorized()),
        Ok(Some(id)) => Some(id),
    };
    let server = state.client.server();
    let identity = match identity.map(|id| authz::impersonate(server, id, req.headers())) {
        Some(Err(e)) => return Ok(error(&e)),
        Some(Ok(id)) => Some(id),
        None => None,
    };
    // kube-apiserver's order: authentication, impersonation, in-flight limits, authorization.
    let privileged = identity
        .as_ref()
        .is_some_and(|id| id.groups.iter().any(|g| g == "system:masters"));
    let admitted = match state
        .inflight
        .admit(req.method(), &route, req.uri().query(), privileged)
    {
        Some(a) => a,
        None => return Ok(super::limits::too_many_requests()),
    };
    if let Some(id) = &identity
        && let Err(e) = authz::authorize(
            server,
            id,
            req.method(),
            &route,
            req.uri().path(),
            req.uri().query(),
            req.headers(),
        )
    {
        return Ok(error(&e));
    }
    if let Route::Resource(target) = route {
        if target.resource.plural == "pods"
            && target.name.is_some()
            && target.subresource.as_deref() == Some("exec")
        {
            return Ok(super::exec::serve(state, target, req, connection).await);
        }
        if super::no_process::applies(&target) {
            return Ok(super::no_process::refuse(&target));
        }
        // A review is answered for whoever sends it; writes record who sent them.
        return Ok(
            read_and_dispatch(state, Route::Resource(target), req, admitted, identity).await,
        );
    }
    Ok(read_and_dispatch(state, route, req, admitted, None).await)
}

/// Reads the body whole (within the body deadline) and hands the request to its handler.
async fn read_and_dispatch(
    state: Arc<State>,
    route: Route,
    req: hyper::Request<Incoming>,
    admitted: Admitted,
    identity: Option<authn::Identity>,
) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return too_large(body).await;
    }
    let body = match tokio::time::timeout(state.limits.body_read, read_body(body)).await {
        Ok(Ok(b)) => b,
        Ok(Err(resp)) => return *resp,
        Err(_) => return body_timeout(),
    };
    let request = Request {
        method: parts.method,
        query: parse_query(parts.uri.query().unwrap_or("")),
        headers: parts.headers,
        body,
        requester: identity.as_ref().map(|id| crate::api::options::Requester {
            name: id.user.clone(),
            groups: id.groups.clone(),
        }),
    };
    let reviewer = match &route {
        Route::Resource(t) if super::reviews::is_review(t.resource) => identity,
        _ => None,
    };
    if let Route::Resource(target) = &route
        && request.method == Method::GET
        && target.subresource.is_none()
        && !super::metrics::is_metrics(target.resource)
        && !super::reviews::is_review(target.resource)
        && matches!(request.param("watch"), Some("true" | "1"))
    {
        let Route::Resource(target) = route else {
            unreachable!("matched above")
        };
        return super::watch::serve(state, target, request).await;
    }
    tokio::task::spawn_blocking(move || {
        let resp = match (&reviewer, &route) {
            // Checked with the cluster's signing key, which the embedded client holds.
            (Some(_), Route::Resource(t)) if t.resource.plural == "tokenreviews" => {
                sa_authn::token_review(&state, t.name.is_some(), &request)
            }
            (Some(id), Route::Resource(t)) => super::reviews::handle(
                state.client.server(),
                id,
                t.resource,
                t.namespace.as_deref(),
                t.name.is_some(),
                &request,
            ),
            _ => super::rest::handle(&state, route, &request),
        };
        // The place in flight is given back once the answer is ready to go.
        drop(admitted);
        super::gzip::maybe_compress(resp, request.header("accept-encoding"))
    })
    .await
    .unwrap_or_else(|_| error(&ApiError::internal("the request handler failed")))
}

/// The whole body, or the response that refuses it.
async fn read_body(mut body: Incoming) -> Result<Bytes, Box<Response>> {
    let mut read = Vec::new();
    loop {
        match body.frame().await {
            None => return Ok(Bytes::from(read)),
            Some(Ok(frame)) => {
                if let Some(d) = frame.data_ref() {
                    if read.len() + d.len() > MAX_BODY {
                        return Err(Box::new(too_large(body).await));
                    }
                    read.extend_from_slice(d);
                }
            }
            Some(Err(e)) => {
                return Err(Box::new(error(&ApiError::bad_request(format!(
                    "cannot read the request body: {e}"
                )))));
            }
        }
    }
}

/// kube-apiserver's answer to a request that outlives its timeout (here: a body that does
/// not arrive in time); the connection closes after it.
fn body_timeout() -> Response {
    let mut e = ApiError::new(
        504,
        "Timeout",
        "Timeout: request did not complete within the allotted timeout",
    );
    e.details = Some(Box::new(serde_json::json!({})));
    let mut r = error(&e);
    r.headers_mut()
        .insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// 413, after reading (and dropping) what the client still sends, up to a bound, so that
/// it gets to read the answer instead of a broken pipe.
async fn too_large(mut rest: Incoming) -> Response {
    let mut drained = 0usize;
    while drained < DRAIN_LIMIT {
        match rest.frame().await {
            Some(Ok(f)) => drained += f.data_ref().map_or(0, |d| d.len()),
            _ => break,
        }
    }
    error(&ApiError::new(
        413,
        "RequestEntityTooLarge",
        format!("the request body is larger than the limit of {MAX_BODY} bytes"),
    ))
}
