//! The change log of a real etcd, as the API server reads it (`events_between`): etcd keeps
//! history but serves it only through watches, so a piece of the log is one watch from the
//! first revision wanted, read until the last one has arrived, then closed.
//!
//! The watch covers every key, whatever range was asked for, and the events outside it are
//! dropped here: every revision is made by at least one change of some key, so a watch over
//! all keys has seen everything up to `until` once an event at `until` came. A watch over
//! the range alone could not tell a range nobody wrote from a stream that is still coming.

use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream;

use super::proto::etcdserverpb as pb;
use super::transport::MAX_MESSAGE;
use super::{EtcdStore, UNREACHABLE, io, server_error, wire};
use crate::store::rules::Bounds;
use crate::store::{Event, StoreError};
use pb::watch_client::WatchClient;

/// How long a watch that was created may stay quiet before the floor probe takes it that
/// history is there (etcd sends a compaction's cancel right after the creation).
const CREATED_QUIET: Duration = Duration::from_millis(300);

/// A watch over every key from `from`.
pub(super) fn watch_all(from: i64, prev_kv: bool) -> pb::WatchRequest {
    pb::WatchRequest {
        request_union: Some(pb::watch_request::RequestUnion::CreateRequest(
            pb::WatchCreateRequest {
                key: vec![0],
                range_end: vec![0],
                start_revision: from,
                prev_kv,
                ..Default::default()
            },
        )),
    }
}

/// What a canceled watch means: compacted history, or etcd's reason.
fn canceled(resp: &pb::WatchResponse) -> StoreError {
    if resp.compact_revision != 0 {
        return StoreError::Compacted {
            compact_revision: resp.compact_revision,
        };
    }
    if resp.cancel_reason.is_empty() {
        server_error("etcdserver: watch canceled")
    } else {
        server_error(&resp.cancel_reason)
    }
}

type Responses = tonic::Streaming<pb::WatchResponse>;

/// Opens a watch stream with `req` as its only request; the request side stays open, since
/// etcd ends the watches of a stream whose client stopped sending.
pub(super) async fn open(
    ch: tonic::transport::Channel,
    req: pb::WatchRequest,
) -> Result<Responses, tonic::Status> {
    let requests = stream::iter([req]).chain(stream::pending());
    Ok(WatchClient::new(ch)
        .max_decoding_message_size(MAX_MESSAGE)
        .watch(requests)
        .await?
        .into_inner())
}

impl EtcdStore {
    /// The changes of revisions `from..=until` over `[key, range_end)`, in revision order.
    /// `Compacted` when `from` is below etcd's compacted revision.
    pub(crate) fn history(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        until: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        if from > until {
            return Ok(Vec::new());
        }
        let req = watch_all(from, prev_kv);
        // The command timeout bounds the whole read, so a member that stops answering
        // mid-stream fails the call instead of holding it.
        let all = self.transport.unary(move |ch| {
            let req = req.clone();
            async move {
                let mut responses = open(ch, req).await?;
                let mut events = Vec::new();
                while let Some(resp) = responses.message().await? {
                    if resp.canceled {
                        return Ok(Err(canceled(&resp)));
                    }
                    let mut reached = 0;
                    for ev in resp.events {
                        let mod_revision = ev.kv.as_ref().map_or(0, |kv| kv.mod_revision);
                        reached = mod_revision;
                        if mod_revision > until {
                            break;
                        }
                        events.push(ev);
                    }
                    // A batch holds whole revisions, so `until` is complete once seen.
                    if reached >= until {
                        return Ok(Ok(events));
                    }
                }
                // etcd closed the stream before `until` arrived.
                Ok(Err(io(UNREACHABLE)))
            }
        })??;
        let wanted = Bounds::new(key, range_end);
        Ok(all
            .into_iter()
            .map(wire::event)
            .filter(|e| wanted.contains(&e.kv.key))
            .collect())
    }

    /// The lowest revision history starts after: a watch from revision 1 is canceled with
    /// it when etcd compacted; 0 when nothing was.
    pub(super) fn compacted_watch_floor(&self) -> Result<i64, StoreError> {
        let req = watch_all(1, false);
        self.transport.unary(move |ch| {
            let req = req.clone();
            async move {
                let mut responses = open(ch, req).await?;
                let mut created = false;
                loop {
                    let next = if created {
                        match tokio::time::timeout(CREATED_QUIET, responses.message()).await {
                            Ok(next) => next?,
                            Err(_) => return Ok(0),
                        }
                    } else {
                        responses.message().await?
                    };
                    let Some(resp) = next else { return Ok(0) };
                    if resp.compact_revision != 0 {
                        return Ok(resp.compact_revision);
                    }
                    if !resp.events.is_empty() || resp.canceled {
                        return Ok(0);
                    }
                    created |= resp.created;
                }
            }
        })
    }
}
