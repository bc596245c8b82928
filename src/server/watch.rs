//! Watch: a chunked stream of newline-terminated `{"type","object"}` events. With no
//! resourceVersion (or "0") it starts with a synthetic ADDED per current object, as
//! kube-apiserver does; with one, it replays the changes after it, or sends an ERROR event
//! (410 Expired) when that history has been compacted. The stream stays open until the
//! client leaves or `timeoutSeconds` passes.

use super::State;
use super::body::ResponseBody;
use super::message::{Request, Response, error};
use super::negotiate::{Representation, TABLE_CONTENT_TYPE, choose};
use super::query;
use super::rest::list_options;
use super::route::Target;
use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::print::columns;
use crate::print::list::with_type_meta;
use hyper::body::Bytes;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How long a stream waits for a change before it checks whether the client is still there.
const IDLE_CHECK: Duration = Duration::from_secs(1);
/// How often an idle stream that allows bookmarks gets one.
const BOOKMARK_PERIOD: Duration = Duration::from_secs(30);
pub use crate::api::options::WATCH_DRAIN_HEADER as DRAIN_HEADER;

struct Stream {
    state: Arc<State>,
    resource: &'static Resource,
    namespace: Option<String>,
    opts: ListOptions,
    table: bool,
    bookmarks: bool,
    tx: mpsc::Sender<Bytes>,
}

pub async fn serve(state: Arc<State>, t: Target, req: Request) -> Response {
    // What the API server computes on request cannot be watched (kube has no watch for it).
    if crate::api::registry::is_computed(t.resource) {
        let resp = error(&ApiError::method_not_allowed());
        let warnings: Vec<String> = crate::api::registry::deprecation(t.resource)
            .map(str::to_string)
            .into_iter()
            .collect();
        return super::fields::with_warnings(resp, &warnings);
    }
    let mut opts = match list_options(&req) {
        Ok(o) => o,
        Err(e) => return error(&e),
    };
    opts.limit = None;
    opts.continue_token = None;
    let since = match req
        .param("resourceVersion")
        .filter(|v| !v.is_empty() && *v != "0")
    {
        None => None,
        Some(v) => match query::parse_uint64(v) {
            // Beyond any revision: the stream waits for changes that never come.
            Ok(n) => Some(i64::try_from(n).unwrap_or(i64::MAX)),
            Err(e) => {
                return error(&ApiError::bad_request(format!(
                    "invalid resource version: resourceVersion: Invalid value: {}: {}",
                    query::go_quote(v),
                    e.message
                )));
            }
        },
    };
    // 0 (or none) is kube-apiserver's default, which for kubelite is "until the client
    // leaves"; the rest is clamped so that the deadline cannot overflow.
    let deadline = match query::int64(&req, "timeoutSeconds") {
        Ok(Some(s)) if s != 0 => Some(Instant::now() + query::seconds(s)),
        Ok(_) => None,
        Err(e) => return error(&e),
    };
    let table = choose(req.header("accept"), &[Representation::Table]) == Representation::Table;
    let drain = req.header(DRAIN_HEADER) == "drain";
    let (tx, rx) = mpsc::channel(256);
    let stream = Stream {
        state,
        // Tables print every built-in version's objects alike, from the stored version; each
        // version of a custom resource has its own columns.
        resource: if table && !crate::api::custom::is_custom(t.resource) {
            crate::api::registry::stored_version_of(t.resource).unwrap_or(t.resource)
        } else {
            t.resource
        },
        namespace: t.namespace,
        opts,
        table,
        bookmarks: req.param("allowWatchBookmarks") == Some("true") || drain,
        tx,
    };
    // Selectors are checked before the stream starts, so a bad one gets a plain 400.
    if let Err(e) = check_selectors(stream.resource, &stream.opts) {
        return error(&e);
    }
    // Serve stopping ends the stream (and so the response), as kube-apiserver ends its
    // watches when it shuts down; clients then re-list or watch again elsewhere.
    let stop = stream.state.stopped();
    tokio::spawn(async move {
        tokio::select! {
            _ = stream.run(since, deadline, drain) => {}
            _ = stop => {}
        }
    });
    let content_type = if table {
        TABLE_CONTENT_TYPE
    } else {
        "application/json"
    };
    let mut resp = hyper::Response::new(ResponseBody::Stream(rx));
    if let Ok(v) = hyper::header::HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    resp
}

impl Stream {
    async fn run(self, since: Option<i64>, deadline: Option<Instant>, drain: bool) {
        let mut revisions = self.state.control.subscribe();
        let mut from = match since {
            Some(rv) => rv,
            None => match self.initial().await {
                Some(rv) => rv,
                None => return,
            },
        };
        let mut last_sent = Instant::now();
        loop {
            revisions.borrow_and_update();
            let (events, next) = match self.changes(from).await {
                Ok(x) => x,
                Err(e) => {
                    let _ = self
                        .send(&json!({"type": "ERROR", "object": e.to_status()}))
                        .await;
                    return;
                }
            };
            for (kind, obj) in events {
                if !self.send_event(kind, obj).await {
                    return;
                }
                last_sent = Instant::now();
            }
            from = next;
            if drain {
                let _ = self.send(&self.bookmark(from)).await;
                return;
            }
            if self.bookmarks && last_sent.elapsed() >= BOOKMARK_PERIOD {
                if !self.send(&self.bookmark(from)).await {
                    return;
                }
                last_sent = Instant::now();
            }
            // Wait for a write, the client leaving, or the deadline.
            loop {
                if deadline.is_some_and(|d| Instant::now() >= d) || self.tx.is_closed() {
                    return;
                }
                if let Ok(changed) = tokio::time::timeout(IDLE_CHECK, revisions.changed()).await {
                    if changed.is_err() {
                        return;
                    }
                    break;
                }
                if self.bookmarks && last_sent.elapsed() >= BOOKMARK_PERIOD {
                    break;
                }
            }
        }
    }

    /// The current objects as ADDED events; returns the revision they were read at.
    async fn initial(&self) -> Option<i64> {
        let state = self.state.clone();
        let (r, ns, opts) = (self.resource, self.namespace.clone(), self.opts.clone());
        let listed = tokio::task::spawn_blocking(move || {
            let mut items = Vec::new();
            let meta = state
                .client
                .server()
                .visit_list(r, ns.as_deref(), &opts, &mut |o| items.push(o))?;
            let rv = meta["resourceVersion"]
                .as_str()
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0);
            Ok::<_, ApiError>((items, rv))
        })
        .await
        .unwrap_or_else(|_| Err(ApiError::internal("the watch failed")));
        match listed {
            Ok((items, rv)) => {
                for obj in items {
                    if !self.send_event("ADDED", obj).await {
                        return None;
                    }
                }
                Some(rv)
            }
            Err(e) => {
                let _ = self
                    .send(&json!({"type": "ERROR", "object": e.to_status()}))
                    .await;
                None
            }
        }
    }

    async fn changes(&self, from: i64) -> Result<(Vec<(&'static str, Value)>, i64), ApiError> {
        let state = self.state.clone();
        let (r, ns, opts) = (self.resource, self.namespace.clone(), self.opts.clone());
        tokio::task::spawn_blocking(move || {
            // The revision reached is read BEFORE the events: `ApiServer::watch` reads it
            // after them, so a write landing in between would be skipped by the next call.
            let server = state.client.server();
            let before = server.current_revision()?;
            let (events, _) = server.watch(r, ns.as_deref(), &opts, from)?;
            let newest = events
                .iter()
                .filter_map(|e| e.object.pointer("/metadata/resourceVersion"))
                .filter_map(|v| v.as_str()?.parse::<i64>().ok())
                .max()
                .unwrap_or(from);
            let next = before.max(newest).max(from);
            Ok((
                events.into_iter().map(|e| (e.kind, e.object)).collect(),
                next,
            ))
        })
        .await
        .unwrap_or_else(|_| Err(ApiError::internal("the watch failed")))
    }

    async fn send_event(&self, kind: &str, obj: Value) -> bool {
        let obj = with_type_meta(obj, &self.resource.api_version(), self.resource.kind);
        let object = if self.table {
            let rv = obj.pointer("/metadata/resourceVersion").cloned();
            let now = self.state.client.server().clock().now();
            let mut t = match crate::api::custom::definition_of(self.resource) {
                Some(d) => {
                    let include = columns::IncludeObject::whole_if(self.opts.include_object);
                    columns::custom_table(d, vec![columns::custom_row(d, obj, now, include)])
                }
                None => columns::table(
                    self.resource.plural,
                    std::slice::from_ref(&obj),
                    now,
                    self.opts.include_object,
                ),
            };
            t["metadata"] = json!({"resourceVersion": rv});
            t
        } else {
            obj
        };
        self.send(&json!({"type": kind, "object": object})).await
    }

    fn bookmark(&self, rv: i64) -> Value {
        json!({"type": "BOOKMARK", "object": {
            "kind": self.resource.kind,
            "apiVersion": self.resource.api_version(),
            "metadata": {"resourceVersion": rv.to_string()}
        }})
    }

    /// Sends one event line; false once the client has gone.
    async fn send(&self, event: &Value) -> bool {
        let mut line = match serde_json::to_vec(event) {
            Ok(l) => l,
            Err(_) => return false,
        };
        line.push(b'\n');
        self.tx.send(Bytes::from(line)).await.is_ok()
    }
}

fn check_selectors(r: &Resource, opts: &ListOptions) -> Result<(), ApiError> {
    use crate::api::selector::{FieldSelector, LabelSelector};
    if let Some(l) = opts
        .label_selector
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        LabelSelector::parse(l).map_err(ApiError::bad_request)?;
    }
    if let Some(f) = opts
        .field_selector
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        FieldSelector::parse(f)
            .and_then(|f| f.validate_for(r.plural))
            .map_err(ApiError::bad_request)?;
    }
    Ok(())
}
