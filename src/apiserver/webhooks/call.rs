//! The HTTPS POST of a review. Calls run on one small tokio runtime of their own (the API
//! server's callers may be on a runtime's blocking threads or plain threads, where neither
//! a second runtime's `block_on` nor reqwest's blocking client may be used safely); the
//! caller waits on a channel. The webhook's timeout cuts the whole exchange.

use super::tls;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Why a webhook could not be asked: the text after `failed calling webhook "x": `.
#[derive(Debug)]
pub struct CallError(pub String);

impl CallError {
    pub fn invalid(detail: String) -> Self {
        CallError(format!("received invalid webhook response: {detail}"))
    }
}

/// Where a call goes: the URL kube names in messages, and the one dialled.
pub struct Target {
    pub url: String,
    pub dial: String,
    pub ca_bundle: Vec<u8>,
    /// For Services: the name the certificate must carry.
    pub server_name: Option<String>,
}

/// The largest answer read; a webhook's review is small.
const MAX_RESPONSE: usize = 3 << 20;

fn runtime() -> Option<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("admission-webhooks")
            .enable_all()
            .build()
            .ok()
    })
    .as_ref()
}

fn client(target: &Target) -> Result<reqwest::Client, String> {
    type Key = (Vec<u8>, Option<String>);
    static CLIENTS: OnceLock<Mutex<HashMap<Key, reqwest::Client>>> = OnceLock::new();
    let clients = CLIENTS.get_or_init(Default::default);
    let key = (target.ca_bundle.clone(), target.server_name.clone());
    if let Ok(c) = clients.lock()
        && let Some(found) = c.get(&key)
    {
        return Ok(found.clone());
    }
    let config = tls::client_config(&target.ca_bundle, target.server_name.as_deref())?;
    let built = reqwest::Client::builder()
        .use_preconfigured_tls(config)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    if let Ok(mut c) = clients.lock() {
        // Bounded: configurations come and go; clients are cheap to build again.
        if c.len() >= 64 {
            c.clear();
        }
        c.insert(key, built.clone());
    }
    Ok(built)
}

/// POSTs `review` and returns the body of a 2xx answer.
pub fn post(target: &Target, timeout_seconds: u64, review: &Value) -> Result<Vec<u8>, CallError> {
    let shown = format!("{}?timeout={timeout_seconds}s", target.url);
    let fail = |detail: String| {
        CallError(format!(
            "failed to call webhook: Post \"{shown}\": {detail}"
        ))
    };
    let client = client(target).map_err(fail)?;
    let body = serde_json::to_vec(review).map_err(|e| fail(e.to_string()))?;
    let dial = format!("{}?timeout={timeout_seconds}s", target.dial);
    let Some(rt) = runtime() else {
        return Err(fail("the webhook client could not start".into()));
    };
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let limit = Duration::from_secs(timeout_seconds);
    rt.spawn(async move {
        let exchange = async {
            let mut resp = client
                .post(&dial)
                .header("content-type", "application/json")
                .header("accept", "application/json, */*")
                .body(body)
                .send()
                .await
                .map_err(|e| describe(&e))?;
            let status = resp.status();
            let mut read = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(|e| describe(&e))? {
                if read.len() + chunk.len() > MAX_RESPONSE {
                    return Err("the webhook's response is too large".to_string());
                }
                read.extend_from_slice(&chunk);
            }
            Ok((status, read))
        };
        let result = match tokio::time::timeout(limit, exchange).await {
            Ok(r) => r,
            Err(_) => Err("context deadline exceeded".to_string()),
        };
        let _ = tx.send(result);
    });
    // The task always answers within its timeout; the margin covers scheduling.
    let (status, body) = match rx.recv_timeout(limit + Duration::from_secs(5)) {
        Ok(r) => r.map_err(fail)?,
        Err(_) => return Err(fail("context deadline exceeded".into())),
    };
    if !status.is_success() {
        return Err(CallError(format!(
            "failed to call webhook: an error on the server ({:?}) has prevented the request from succeeding",
            String::from_utf8_lossy(&body)
                .chars()
                .take(256)
                .collect::<String>()
        )));
    }
    Ok(body)
}

/// Go's net/http and crypto/tls words for the usual failures, else reqwest's.
fn describe(e: &reqwest::Error) -> String {
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut refused = false;
    while let Some(s) = source {
        chain.push_str(&format!("{s:?} "));
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            refused = true;
        }
        source = s.source();
    }
    let addr = e
        .url()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
        .unwrap_or_default();
    if refused {
        return format!("dial tcp {addr}: connect: connection refused");
    }
    if chain.contains("UnknownIssuer") {
        return "tls: failed to verify certificate: x509: certificate signed by unknown authority"
            .to_string();
    }
    if chain.contains("NotValidForName") {
        return "tls: failed to verify certificate: x509: certificate is not valid for the requested name".to_string();
    }
    if chain.contains("Expired") {
        return "tls: failed to verify certificate: x509: certificate has expired or is not yet valid".to_string();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}
