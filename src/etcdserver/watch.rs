//! The Watch service: one task per stream keeps that stream's watchers, each with the next
//! revision it owes its client, and sends what the store holds from there whenever the
//! member writes (or a watcher is created on the past).

use super::convert;
use super::proto::etcdserverpb as pb;
use super::{Member, blocking};
use crate::store::{EventKind, StoreError};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

pub struct WatchService(pub Arc<Member>);

/// Most revisions one read of the change log covers, so that a watch from far back is sent
/// in bounded pieces.
const REVISIONS_PER_READ: i64 = 1000;
/// How often etcd's watch server sends progress notifications (10 minutes).
const PROGRESS_EVERY: Duration = Duration::from_secs(600);

struct Watcher {
    key: Vec<u8>,
    range_end: Vec<u8>,
    /// The first revision not yet sent.
    next: i64,
    prev_kv: bool,
    no_put: bool,
    no_delete: bool,
    progress_notify: bool,
    /// Whether anything was sent since the last progress notification.
    sent: bool,
}

type Out = mpsc::Sender<Result<pb::WatchResponse, Status>>;

#[tonic::async_trait]
impl pb::watch_server::Watch for WatchService {
    type WatchStream = ReceiverStream<Result<pb::WatchResponse, Status>>;

    async fn watch(
        &self,
        req: Request<Streaming<pb::WatchRequest>>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        let (tx, rx) = mpsc::channel(64);
        tokio::spawn(run_stream(self.0.clone(), req.into_inner(), tx));
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}

async fn run_stream(m: Arc<Member>, mut inbound: Streaming<pb::WatchRequest>, out: Out) {
    let mut watchers: BTreeMap<i64, Watcher> = BTreeMap::new();
    let mut next_id = 0i64;
    let mut written = m.revision.subscribe();
    let mut progress = tokio::time::interval(PROGRESS_EVERY);
    progress.tick().await;
    loop {
        tokio::select! {
            msg = inbound.message() => {
                let Ok(Some(msg)) = msg else { return };
                let ok = handle(&m, msg, &mut watchers, &mut next_id, &out).await;
                if !ok || deliver(&m, &mut watchers, &out).await.is_err() {
                    return;
                }
            }
            changed = written.changed() => {
                if changed.is_err() || deliver(&m, &mut watchers, &out).await.is_err() {
                    return;
                }
            }
            _ = progress.tick() => {
                if notify_progress(&m, &mut watchers, &out).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Answers one request of the stream; false when the client is gone.
async fn handle(
    m: &Member,
    msg: pb::WatchRequest,
    watchers: &mut BTreeMap<i64, Watcher>,
    next_id: &mut i64,
    out: &Out,
) -> bool {
    use pb::watch_request::RequestUnion;
    let current = match blocking(|| m.store().current_revision()) {
        Ok(rev) => rev,
        Err(e) => return out.send(Err(super::status(e))).await.is_ok(),
    };
    let response = match msg.request_union {
        Some(RequestUnion::CreateRequest(c)) => {
            let id = if c.watch_id != 0 {
                c.watch_id
            } else {
                take_id(watchers, next_id)
            };
            use pb::watch_create_request::FilterType;
            use std::collections::btree_map::Entry;
            let has = |f: FilterType| c.filters.contains(&(f as i32));
            match watchers.entry(id) {
                // etcd refuses a watch id in use with a created-and-canceled answer.
                Entry::Occupied(_) => pb::WatchResponse {
                    header: Some(m.header(current)),
                    watch_id: id,
                    created: true,
                    canceled: true,
                    cancel_reason: "mvcc: duplicate watch ID provided on the WatchStream"
                        .to_string(),
                    ..Default::default()
                },
                Entry::Vacant(slot) => {
                    slot.insert(Watcher {
                        next: if c.start_revision > 0 {
                            c.start_revision
                        } else {
                            current + 1
                        },
                        no_put: has(FilterType::Noput),
                        no_delete: has(FilterType::Nodelete),
                        key: c.key,
                        range_end: c.range_end,
                        prev_kv: c.prev_kv,
                        progress_notify: c.progress_notify,
                        sent: false,
                    });
                    pb::WatchResponse {
                        header: Some(m.header(current)),
                        watch_id: id,
                        created: true,
                        ..Default::default()
                    }
                }
            }
        }
        Some(RequestUnion::CancelRequest(c)) => {
            if watchers.remove(&c.watch_id).is_none() {
                return true;
            }
            pb::WatchResponse {
                header: Some(m.header(current)),
                watch_id: c.watch_id,
                canceled: true,
                ..Default::default()
            }
        }
        // A progress notification for the whole stream carries watch id -1, as etcd's does.
        Some(RequestUnion::ProgressRequest(_)) => pb::WatchResponse {
            header: Some(m.header(current)),
            watch_id: -1,
            ..Default::default()
        },
        None => return true,
    };
    out.send(Ok(response)).await.is_ok()
}

/// The lowest automatic watch id not in use, from the last one given.
fn take_id(watchers: &BTreeMap<i64, Watcher>, next_id: &mut i64) -> i64 {
    while watchers.contains_key(next_id) {
        *next_id += 1;
    }
    let id = *next_id;
    *next_id += 1;
    id
}

/// Sends every watcher what the store has for it up to the current revision. A watcher
/// whose revision was compacted away is told so and canceled, as etcd does.
async fn deliver(m: &Member, watchers: &mut BTreeMap<i64, Watcher>, out: &Out) -> Result<(), ()> {
    let current = blocking(|| m.store().current_revision()).map_err(|_| ())?;
    let ids: Vec<i64> = watchers.keys().copied().collect();
    for id in ids {
        while let Some(w) = watchers.get_mut(&id) {
            if w.next > current {
                break;
            }
            let until = current.min(w.next.saturating_add(REVISIONS_PER_READ - 1));
            let read = blocking(|| {
                m.store()
                    .events_between(&w.key, &w.range_end, w.next, until, w.prev_kv)
            });
            let events = match read {
                Ok(events) => events,
                Err(StoreError::Compacted { compact_revision }) => {
                    watchers.remove(&id);
                    let r = pb::WatchResponse {
                        header: Some(m.header(current)),
                        watch_id: id,
                        canceled: true,
                        compact_revision,
                        ..Default::default()
                    };
                    out.send(Ok(r)).await.map_err(|_| ())?;
                    break;
                }
                Err(e) => {
                    out.send(Err(super::status(e))).await.map_err(|_| ())?;
                    return Err(());
                }
            };
            w.next = until + 1;
            let events: Vec<_> = events
                .into_iter()
                .filter(|e| match e.kind {
                    EventKind::Put => !w.no_put,
                    EventKind::Delete => !w.no_delete,
                })
                .map(convert::event)
                .collect();
            if events.is_empty() {
                continue;
            }
            w.sent = true;
            let r = pb::WatchResponse {
                header: Some(m.header(current)),
                watch_id: id,
                events,
                ..Default::default()
            };
            out.send(Ok(r)).await.map_err(|_| ())?;
        }
    }
    Ok(())
}

/// etcd's periodic progress notification: an empty response to each watcher that asked for
/// them and was sent nothing since the last one.
async fn notify_progress(
    m: &Member,
    watchers: &mut BTreeMap<i64, Watcher>,
    out: &Out,
) -> Result<(), ()> {
    let current = blocking(|| m.store().current_revision()).map_err(|_| ())?;
    for (id, w) in watchers.iter_mut() {
        if w.progress_notify && !w.sent {
            let r = pb::WatchResponse {
                header: Some(m.header(current)),
                watch_id: *id,
                ..Default::default()
            };
            out.send(Ok(r)).await.map_err(|_| ())?;
        }
        w.sent = false;
    }
    Ok(())
}
