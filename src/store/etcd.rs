//! [`Store`] on a real etcd (or `kubelite etcd`), through etcd's v3 gRPC API: KV, Watch,
//! Lease and Maintenance calls on HTTP/2 connections (TLS when the URLs say https). Used
//! for a cluster kept in etcd (`--etcd-servers`) and by etcdctl's `--endpoints`.

mod alarm;
mod cluster;
mod feed;
mod history;
pub mod hold;
mod lease;
mod own_writes;
pub mod proto;
mod snapshot;
mod transport;
mod wire;

pub use cluster::{EtcdCluster, is_unreachable};
pub use transport::TlsFiles;

use std::sync::Mutex;
use std::time::Duration;

use pb::kv_client::KvClient;
use pb::maintenance_client::MaintenanceClient;
use proto::etcdserverpb as pb;
use transport::{MAX_MESSAGE, Transport};

use super::member::ClusterInfo;
use super::{
    AlarmMember, DeleteResponse, Event, Header, LeaseGrant, LeaseStatus, PutResponse, RangeRequest,
    RangeResponse, Store, StoreError, TxnRequest, TxnResponse,
};

/// What etcdctl prints when no endpoint answers in time.
const UNREACHABLE: &str = "context deadline exceeded";

pub struct EtcdStore {
    transport: Transport,
    /// Identity from the last response header: cluster_id, member_id, raft_term.
    identity: Mutex<Option<(u64, u64, u64)>>,
}

fn io(msg: impl Into<String>) -> StoreError {
    StoreError::Io(msg.into())
}

/// Maps etcd's error text to the store's errors, so both backends fail alike.
fn server_error(message: &str) -> StoreError {
    match message {
        "etcdserver: mvcc: required revision has been compacted" => StoreError::Compacted {
            compact_revision: 0,
        },
        "etcdserver: mvcc: required revision is a future revision" => StoreError::FutureRevision,
        "etcdserver: duplicate key given in txn request" => StoreError::DuplicateKey,
        "etcdserver: key is not provided" => StoreError::EmptyKey,
        "etcdserver: requested lease not found" => StoreError::LeaseNotFound,
        "etcdserver: mvcc: database space exceeded" => StoreError::NoSpace,
        other => io(other),
    }
}

fn kv_client(ch: tonic::transport::Channel) -> KvClient<tonic::transport::Channel> {
    KvClient::new(ch).max_decoding_message_size(MAX_MESSAGE)
}

fn maintenance_client(
    ch: tonic::transport::Channel,
) -> MaintenanceClient<tonic::transport::Channel> {
    MaintenanceClient::new(ch).max_decoding_message_size(MAX_MESSAGE)
}

impl EtcdStore {
    /// Uses the first endpoint that answers a status request within `dial_timeout`.
    pub fn connect(
        endpoints: &[String],
        dial_timeout: Duration,
        command_timeout: Duration,
    ) -> Result<EtcdStore, StoreError> {
        EtcdStore::connect_tls(
            endpoints,
            &TlsFiles::default(),
            dial_timeout,
            command_timeout,
        )
    }

    /// `connect` with the CA and client certificate given (`--etcd-cafile`, ...).
    pub fn connect_tls(
        endpoints: &[String],
        tls: &TlsFiles,
        dial_timeout: Duration,
        command_timeout: Duration,
    ) -> Result<EtcdStore, StoreError> {
        let store = EtcdStore {
            transport: Transport::new(endpoints, tls, dial_timeout, command_timeout)?,
            identity: Mutex::new(None),
        };
        // The first endpoint that answers becomes the one in use.
        store
            .transport
            .call(dial_timeout.min(command_timeout), |ch| async move {
                maintenance_client(ch).status(pb::StatusRequest {}).await
            })?;
        Ok(store)
    }

    fn remember(&self, h: Option<&pb::ResponseHeader>) {
        if let Some(h) = h
            && h.cluster_id != 0
            && let Ok(mut slot) = self.identity.lock()
        {
            *slot = Some((h.cluster_id, h.member_id, h.raft_term));
        }
    }

    /// Each transaction on its own, all sent at once on the connection in use, so that etcd
    /// commits them together as it does for concurrent clients; each gets its own answer.
    /// Those that could not be sent go on to the next endpoints, as a single call does; one
    /// that timed out may have been applied and is not sent again.
    pub(crate) fn txns_at_once(&self, reqs: &[TxnRequest]) -> Vec<Result<TxnResponse, StoreError>> {
        let reqs: Vec<pb::TxnRequest> = reqs.iter().map(wire::txn_request).collect();
        let mut answers: Vec<Option<Result<pb::TxnResponse, StoreError>>> = vec![None; reqs.len()];
        let mut unsent: Vec<usize> = (0..reqs.len()).collect();
        let mut last = io(UNREACHABLE);
        for (at, channel) in self.transport.endpoints() {
            let batch: Vec<(usize, pb::TxnRequest)> =
                unsent.iter().map(|i| (*i, reqs[*i].clone())).collect();
            let sent = self
                .transport
                .run(self.transport.command_timeout, async move {
                    let calls: Vec<_> = batch
                        .into_iter()
                        .map(|(i, req)| {
                            let mut kv = kv_client(channel.clone());
                            (i, tokio::spawn(async move { kv.txn(req).await }))
                        })
                        .collect();
                    let mut answers = Vec::with_capacity(calls.len());
                    for (i, call) in calls {
                        answers.push((i, call.await));
                    }
                    Ok(answers)
                });
            let sent = match sent {
                Ok(sent) => sent,
                // No answer in time: what was sent may have been applied.
                Err(e) => {
                    last = e;
                    break;
                }
            };
            let mut still = Vec::new();
            for (i, answer) in sent {
                match answer {
                    Ok(Err(status)) if transport::never_sent(&status) => {
                        last = transport::status_error(&status);
                        still.push(i);
                    }
                    Ok(Ok(resp)) => answers[i] = Some(Ok(resp.into_inner())),
                    Ok(Err(status)) => answers[i] = Some(Err(transport::status_error(&status))),
                    Err(_) => answers[i] = Some(Err(io(UNREACHABLE))),
                }
            }
            if still.len() < unsent.len() {
                self.transport.prefer(at);
            }
            unsent = still;
            if unsent.is_empty() {
                break;
            }
        }
        answers
            .into_iter()
            .map(|a| {
                let resp = a.unwrap_or_else(|| Err(last.clone()))?;
                self.remember(resp.header.as_ref());
                wire::txn_response(resp).ok_or_else(|| io("etcd sent a nested txn's answer"))
            })
            .collect()
    }

    fn status(&self) -> Result<pb::StatusResponse, StoreError> {
        let st = self.transport.unary(|ch| async move {
            Ok(maintenance_client(ch)
                .status(pb::StatusRequest {})
                .await?
                .into_inner())
        })?;
        self.remember(st.header.as_ref());
        Ok(st)
    }
}

impl Store for EtcdStore {
    fn save_snapshot(&self, path: &std::path::Path) -> Result<(), StoreError> {
        self.stream_snapshot(path)
    }

    fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        let req = wire::range_request(req);
        let resp = self.transport.read(|ch| {
            let req = req.clone();
            async move { Ok(kv_client(ch).range(req).await?.into_inner()) }
        })?;
        self.remember(resp.header.as_ref());
        Ok(wire::range_response(resp))
    }

    fn put(&self, key: &[u8], value: &[u8], prev_kv: bool) -> Result<PutResponse, StoreError> {
        let req = pb::PutRequest {
            key: key.to_vec(),
            value: value.to_vec(),
            prev_kv,
            ..Default::default()
        };
        let resp = self.transport.unary(|ch| {
            let req = req.clone();
            async move { Ok(kv_client(ch).put(req).await?.into_inner()) }
        })?;
        self.remember(resp.header.as_ref());
        Ok(wire::put_response(resp))
    }

    fn delete_range(
        &self,
        key: &[u8],
        range_end: &[u8],
        prev_kv: bool,
    ) -> Result<DeleteResponse, StoreError> {
        let req = wire::delete_request(key, range_end, prev_kv);
        let resp = self.transport.unary(|ch| {
            let req = req.clone();
            async move { Ok(kv_client(ch).delete_range(req).await?.into_inner()) }
        })?;
        self.remember(resp.header.as_ref());
        Ok(wire::delete_response(resp))
    }

    fn txn(&self, req: &TxnRequest) -> Result<TxnResponse, StoreError> {
        let req = wire::txn_request(req);
        let resp = self.transport.unary(|ch| {
            let req = req.clone();
            async move { Ok(kv_client(ch).txn(req).await?.into_inner()) }
        })?;
        self.remember(resp.header.as_ref());
        wire::txn_response(resp).ok_or_else(|| io("etcd sent a nested txn's answer"))
    }

    /// etcd has no multi-transaction commit: the transactions run one after another, so a
    /// failure part-way leaves the earlier ones applied.
    fn txn_batch(&self, reqs: &[TxnRequest]) -> Result<Vec<TxnResponse>, StoreError> {
        reqs.iter().map(|r| self.txn(r)).collect()
    }

    fn events_since(
        &self,
        key: &[u8],
        range_end: &[u8],
        from: i64,
        prev_kv: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let current = self.current_revision()?;
        self.history(key, range_end, from.max(1), current, prev_kv)
    }

    fn compact(&self, revision: i64) -> Result<Header, StoreError> {
        let req = pb::CompactionRequest {
            revision,
            physical: false,
        };
        let resp = self
            .transport
            .unary(|ch| async move { Ok(kv_client(ch).compact(req).await?.into_inner()) })?;
        Ok(wire::header(resp.header.as_ref()))
    }

    fn current_revision(&self) -> Result<i64, StoreError> {
        let req = RangeRequest {
            key: vec![0],
            count_only: true,
            ..Default::default()
        };
        Ok(self.range(&req)?.header.revision)
    }

    fn lease_grant(&self, id: i64, ttl: i64, _now: i64) -> Result<LeaseGrant, StoreError> {
        self.grant_lease(id, ttl)
    }

    fn lease_revoke(&self, id: i64) -> Result<Header, StoreError> {
        self.revoke_lease(id)
    }

    fn lease_time_to_live(
        &self,
        id: i64,
        keys: bool,
        _now: i64,
    ) -> Result<LeaseStatus, StoreError> {
        self.lease_ttl(id, keys)
    }

    fn lease_list(&self) -> Result<Vec<i64>, StoreError> {
        self.list_leases()
    }

    fn lease_keep_alive(&self, id: i64, _now: i64) -> Result<LeaseGrant, StoreError> {
        self.keep_lease_alive(id)
    }

    fn defragment(&self) -> Result<(), StoreError> {
        self.defragment_member()
    }

    fn alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        self.list_alarms()
    }

    fn disarm_alarms(&self) -> Result<Vec<AlarmMember>, StoreError> {
        self.disarm_all()
    }

    /// etcd does not report its compacted revision directly; it is the lowest revision a
    /// watch can still start from. 0 when nothing was compacted.
    fn compacted_revision(&self) -> Result<i64, StoreError> {
        self.compacted_watch_floor()
    }
}

/// etcd's maintenance API: who the member is and how it is doing.
impl EtcdStore {
    /// The identity and status of the member in use (`Status` and `MemberList`).
    pub fn cluster_info(&self) -> Result<ClusterInfo, StoreError> {
        use pb::cluster_client::ClusterClient;
        let st = self.status()?;
        let members = self.transport.unary(|ch| async move {
            Ok(ClusterClient::new(ch)
                .member_list(pb::MemberListRequest {
                    linearizable: false,
                })
                .await?
                .into_inner())
        })?;
        let hdr = st.header.unwrap_or_default();
        let me = members
            .members
            .into_iter()
            .find(|m| m.id == hdr.member_id)
            .unwrap_or_default();
        Ok(ClusterInfo {
            cluster_id: hdr.cluster_id,
            member_id: hdr.member_id,
            raft_term: hdr.raft_term,
            member_name: me.name,
            peer_urls: me.peer_ur_ls,
            client_urls: me.client_ur_ls,
            version: st.version,
            db_size: st.db_size,
            db_size_in_use: st.db_size_in_use,
            leader: st.leader,
            raft_index: st.raft_index,
            raft_applied_index: st.raft_applied_index,
            is_learner: st.is_learner,
        })
    }

    /// cluster_id, member_id and raft_term, as the last response header gave them (asked
    /// for when no response came yet).
    pub fn header_identity(&self) -> Result<(u64, u64, u64), StoreError> {
        if let Ok(slot) = self.identity.lock()
            && let Some(id) = *slot
        {
            return Ok(id);
        }
        let info = self.cluster_info()?;
        Ok((info.cluster_id, info.member_id, info.raft_term))
    }
}
