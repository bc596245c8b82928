//! What keeps one client from exhausting the server: how long a request's head and body
//! may take to arrive, how many connections are open at once, and kube-apiserver's
//! in-flight limits (`--max-requests-inflight`, `--max-mutating-requests-inflight`):
//! requests beyond them get its 429, long-running ones (watch, exec, logs) never count.

use super::message::Response;
use super::route::Route;
use hyper::Method;
use hyper::header::HeaderValue;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The numbers, from `serve`'s flags.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Read-only requests at once (0: no limit), as kube-apiserver's flag.
    pub max_inflight: usize,
    /// Writes at once (0: no limit).
    pub max_mutating_inflight: usize,
    /// Connections open at once; the next ones wait in the listen backlog.
    pub max_connections: usize,
    /// A request head (or, between requests, the next one) must arrive within this;
    /// kube-apiserver's `ReadHeaderTimeout` is 32 s.
    pub header_read: Duration,
    /// A request body must arrive within this (kube-apiserver's request timeout, 60 s).
    pub body_read: Duration,
    /// How long requests in flight get to finish once serve is told to stop.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_inflight: 400,
            max_mutating_inflight: 200,
            max_connections: 1024,
            header_read: Duration::from_secs(32),
            body_read: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// The two in-flight pools.
pub struct Inflight {
    read: Option<Arc<Semaphore>>,
    mutating: Option<Arc<Semaphore>>,
}

/// Holds a request's place in its pool until dropped.
pub struct Admitted {
    _held: Option<OwnedSemaphorePermit>,
}

impl Inflight {
    pub fn new(limits: &Limits) -> Inflight {
        let pool = |n: usize| (n > 0).then(|| Arc::new(Semaphore::new(n)));
        Inflight {
            read: pool(limits.max_inflight),
            mutating: pool(limits.max_mutating_inflight),
        }
    }

    /// A place for a request; `None` when its pool is full (answer `too_many_requests`).
    /// Long-running requests and members of `system:masters` (whom kube-apiserver never
    /// turns away) need none.
    pub fn admit(
        &self,
        method: &Method,
        route: &Route,
        query: Option<&str>,
        privileged: bool,
    ) -> Option<Admitted> {
        if privileged || long_running(method, route, query) {
            return Some(Admitted { _held: None });
        }
        let mutating = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        let pool = if mutating { &self.mutating } else { &self.read };
        match pool {
            None => Some(Admitted { _held: None }),
            Some(p) => p
                .clone()
                .try_acquire_owned()
                .map(|permit| Admitted {
                    _held: Some(permit),
                })
                .ok(),
        }
    }
}

/// kube-apiserver's long-running check: watches, and the `exec`, `attach`, `log`,
/// `portforward` and `proxy` subresources.
fn long_running(method: &Method, route: &Route, query: Option<&str>) -> bool {
    let Route::Resource(t) = route else {
        return false;
    };
    if matches!(
        t.subresource.as_deref(),
        Some("exec" | "attach" | "log" | "portforward" | "proxy")
    ) {
        return true;
    }
    *method == Method::GET
        && super::message::parse_query(query.unwrap_or(""))
            .iter()
            .rev()
            .find(|(k, _)| k == "watch")
            .is_some_and(|(_, v)| v == "true" || v == "1")
}

/// The 429 of kube-apiserver's in-flight filter: plain text (Go's `http.Error`) and
/// `Retry-After: 1`; client-go turns it into reason TooManyRequests and retries.
pub fn too_many_requests() -> Response {
    let mut r = super::message::bytes_response(
        429,
        "text/plain; charset=utf-8",
        "Too many requests, please try again later.\n",
    );
    let h = r.headers_mut();
    h.insert("retry-after", HeaderValue::from_static("1"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(read: usize, write: usize) -> Limits {
        Limits {
            max_inflight: read,
            max_mutating_inflight: write,
            ..Limits::default()
        }
    }

    #[test]
    fn reads_and_writes_have_their_own_pools() {
        let inflight = Inflight::new(&limits(1, 1));
        let pods = super::super::route::resolve("/api/v1/namespaces/default/pods");
        let held = inflight.admit(&Method::GET, &pods, None, false);
        assert!(held.is_some());
        let refused = inflight.admit(&Method::GET, &pods, Some("limit=5"), false);
        assert!(refused.is_none());
        // Writes are counted apart, watches and masters not at all.
        let write = inflight.admit(&Method::POST, &pods, None, false);
        assert!(write.is_some());
        assert!(inflight.admit(&Method::PUT, &pods, None, false).is_none());
        assert!(
            inflight
                .admit(&Method::GET, &pods, Some("watch=1"), false)
                .is_some()
        );
        assert!(inflight.admit(&Method::GET, &pods, None, true).is_some());
        drop(held);
        assert!(inflight.admit(&Method::GET, &pods, None, false).is_some());
    }

    #[test]
    fn logs_and_exec_are_long_running() {
        let inflight = Inflight::new(&limits(1, 1));
        let pods = super::super::route::resolve("/api/v1/namespaces/default/pods");
        let _held = inflight.admit(&Method::GET, &pods, None, false);
        for path in [
            "/api/v1/namespaces/default/pods/web/log",
            "/api/v1/namespaces/default/pods/web/exec",
        ] {
            let route = super::super::route::resolve(path);
            assert!(inflight.admit(&Method::GET, &route, None, false).is_some());
        }
        let zero = Inflight::new(&limits(0, 0));
        let _a = zero.admit(&Method::GET, &pods, None, false);
        assert!(zero.admit(&Method::GET, &pods, None, false).is_some());
    }

    #[test]
    fn the_429_is_kubes() {
        let r = too_many_requests();
        assert_eq!(r.status().as_u16(), 429);
        assert_eq!(
            r.headers().get("retry-after").map(HeaderValue::as_bytes),
            Some(&b"1"[..])
        );
    }
}
