//! The gRPC connections to etcd's members, for a store whose calls block.
//!
//! The store trait is synchronous and is called from plain threads and from tokio's blocking
//! pool alike, so the connections live on a runtime of their own: a call is spawned there and
//! its caller waits on a channel. Nothing here ever blocks a thread of the caller's runtime
//! on itself (no `block_on`), so a call made anywhere cannot deadlock or panic.
//!
//! One HTTP/2 connection per endpoint, made when first used and made again by itself after
//! the member comes back. Calls go to the endpoint that answered last; when it does not
//! answer they go on to the next ones, as etcd's own client does.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};
use tonic::{Code, Status};

use super::{UNREACHABLE, io, server_error};
use crate::store::StoreError;

/// etcd's own limit on what it sends (`MaxCallRecvMsgSize` of its client: math.MaxInt32);
/// tonic's 4 MiB default would fail a list of a few thousand pods.
pub const MAX_MESSAGE: usize = i32::MAX as usize;

/// What TLS to etcd uses beside the system's CAs (kube-apiserver's `--etcd-*file`).
#[derive(Default, Clone)]
pub struct TlsFiles {
    pub ca_pem: Option<Vec<u8>>,
    pub cert_pem: Option<Vec<u8>>,
    pub key_pem: Option<Vec<u8>>,
}

pub struct Transport {
    /// Always `Some` until dropped (taken then to shut down without waiting).
    runtime: Option<tokio::runtime::Runtime>,
    channels: Vec<Channel>,
    /// Index of the endpoint that answered last.
    current: AtomicUsize,
    pub command_timeout: Duration,
}

/// `host:port` or `http(s)://host:port` as a URL.
fn url(endpoint: &str) -> String {
    let e = endpoint.trim_end_matches('/');
    if e.starts_with("http://") || e.starts_with("https://") {
        e.to_string()
    } else {
        format!("http://{e}")
    }
}

/// etcd's failures keep etcd's text (`etcdserver: ...`, `mvcc: ...`), so both stores fail
/// alike; a call that did not get an answer from etcd is `UNREACHABLE`.
pub fn status_error(s: &Status) -> StoreError {
    let msg = s.message();
    if msg.starts_with("etcdserver:") || msg.starts_with("mvcc:") {
        return server_error(msg);
    }
    match s.code() {
        Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled | Code::Unknown => {
            io(UNREACHABLE)
        }
        _ => io(msg),
    }
}

/// Whether a call failed before etcd had it (the connection could not be made or was
/// lost before sending): `Unavailable` without etcd's own words, safe to send elsewhere even
/// for a write, as etcd's client judges it.
pub fn never_sent(s: &Status) -> bool {
    s.code() == Code::Unavailable && !s.message().starts_with("etcdserver:")
}

impl Transport {
    pub fn new(
        endpoints: &[String],
        tls: &TlsFiles,
        dial_timeout: Duration,
        command_timeout: Duration,
    ) -> Result<Transport, StoreError> {
        // One thread: the connections and the streams need little, and a call's caller does
        // not run on it. A second one only bounced each call's tasks between the two (a
        // wakeup of the other thread per step of a call, more than the work itself).
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("etcd-client")
            .enable_all()
            .build()
            .map_err(|e| io(format!("cannot start the etcd client: {e}")))?;
        let _inside = runtime.enter();
        let mut channels = Vec::new();
        for endpoint in endpoints {
            let url = url(endpoint);
            let mut ep = Endpoint::from_shared(url.clone())
                .map_err(|e| io(format!("bad etcd endpoint {endpoint}: {e}")))?
                .connect_timeout(dial_timeout)
                .tcp_nodelay(true)
                .http2_keep_alive_interval(Duration::from_secs(10))
                .keep_alive_timeout(Duration::from_secs(10));
            if url.starts_with("https://") {
                // ring becomes the process's provider (once; one already installed stays).
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut config = ClientTlsConfig::new();
                config = match &tls.ca_pem {
                    Some(ca) => config.ca_certificate(Certificate::from_pem(ca)),
                    None => config.with_native_roots(),
                };
                if let (Some(cert), Some(key)) = (&tls.cert_pem, &tls.key_pem) {
                    config = config.identity(Identity::from_pem(cert, key));
                }
                ep = ep
                    .tls_config(config)
                    .map_err(|e| io(format!("TLS to etcd at {endpoint}: {e}")))?;
            }
            channels.push(ep.connect_lazy());
        }
        if channels.is_empty() {
            return Err(io("no etcd endpoint given"));
        }
        drop(_inside);
        Ok(Transport {
            runtime: Some(runtime),
            channels,
            current: AtomicUsize::new(0),
            command_timeout,
        })
    }

    fn handle(&self) -> &tokio::runtime::Handle {
        match &self.runtime {
            Some(rt) => rt.handle(),
            None => unreachable!("the runtime lives until the transport is dropped"),
        }
    }

    /// Runs `fut` on the client's runtime, waiting at most `timeout` for it.
    pub fn run<T: Send + 'static>(
        &self,
        timeout: Duration,
        fut: impl Future<Output = Result<T, StoreError>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle().spawn(async move {
            let answer = tokio::time::timeout(timeout, fut)
                .await
                .unwrap_or_else(|_| Err(io(UNREACHABLE)));
            let _ = tx.send(answer);
        });
        rx.recv().unwrap_or_else(|_| Err(io(UNREACHABLE)))
    }

    /// Spawns `fut` on the client's runtime (a stream that outlives the call making it).
    pub fn spawn(&self, fut: impl Future<Output = ()> + Send + 'static) {
        self.handle().spawn(fut);
    }

    /// The connections, the one in use first.
    pub fn channels(&self) -> Vec<Channel> {
        let n = self.channels.len();
        let first = self.current.load(Ordering::Relaxed) % n;
        (0..n)
            .map(|i| self.channels[(first + i) % n].clone())
            .collect()
    }

    /// Every connection with its index, the one in use first.
    pub fn endpoints(&self) -> Vec<(usize, Channel)> {
        let n = self.channels.len();
        let first = self.current.load(Ordering::Relaxed) % n;
        (0..n)
            .map(|i| ((first + i) % n, self.channels[(first + i) % n].clone()))
            .collect()
    }

    /// Makes endpoint `at` the one in use (it answered where the one in use could not).
    pub fn prefer(&self, at: usize) {
        self.current.store(at, Ordering::Relaxed);
    }

    /// One call on the endpoint in use, or on the next ones while they cannot be reached.
    /// Only a call that could not be sent goes on (`Unavailable` without etcd's words): one
    /// that timed out may have been applied, and is not sent twice.
    pub fn call<T, F, Fut>(&self, timeout: Duration, make: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Fn(Channel) -> Fut,
        Fut: Future<Output = Result<T, Status>> + Send + 'static,
    {
        self.call_retrying(timeout, make, never_sent)
    }

    /// `call` for a read, which may be sent again: it also goes on when the member answered
    /// `Unavailable` in its own words (`etcdserver: no leader`, `... request timed out`,
    /// `... leader changed`), as etcd's client retries its repeatable calls elsewhere.
    pub fn read<T, F, Fut>(&self, make: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Fn(Channel) -> Fut,
        Fut: Future<Output = Result<T, Status>> + Send + 'static,
    {
        self.call_retrying(self.command_timeout, make, |s| {
            s.code() == Code::Unavailable
        })
    }

    fn call_retrying<T, F, Fut>(
        &self,
        timeout: Duration,
        make: F,
        elsewhere: fn(&Status) -> bool,
    ) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Fn(Channel) -> Fut,
        Fut: Future<Output = Result<T, Status>> + Send + 'static,
    {
        let n = self.channels.len();
        let first = self.current.load(Ordering::Relaxed) % n;
        let mut last = io(UNREACHABLE);
        for i in 0..n {
            let at = (first + i) % n;
            let fut = make(self.channels[at].clone());
            let answer = self.run(timeout, async move { Ok(fut.await) })?;
            match answer {
                Err(s) if elsewhere(&s) => {
                    last = status_error(&s);
                }
                answer => {
                    if at != first {
                        self.current.store(at, Ordering::Relaxed);
                    }
                    return answer.map_err(|s| status_error(&s));
                }
            }
        }
        Err(last)
    }

    /// `call` with the command timeout.
    pub fn unary<T, F, Fut>(&self, make: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Fn(Channel) -> Fut,
        Fut: Future<Output = Result<T, Status>> + Send + 'static,
    {
        self.call(self.command_timeout, make)
    }
}

impl Drop for Transport {
    /// Without waiting for the connections' tasks: a store may be dropped on a thread of
    /// another runtime, where waiting is not allowed.
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
