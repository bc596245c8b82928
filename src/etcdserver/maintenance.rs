//! The Maintenance service (status, defragment, alarms, snapshot) and the Cluster service (a member
//! list of one). What a single member cannot do answers Unimplemented, saying why.

use super::proto::etcdserverpb as pb;
use super::{Member, blocking, status};
use std::sync::Arc;
use tonic::{Request, Response, Status};

pub struct MaintenanceService(pub Arc<Member>);
pub struct ClusterService(pub Arc<Member>);

/// The answer to any change of membership.
const ONE_MEMBER: &str = "kubelite etcd is a cluster of one member: members cannot be added, removed, updated or promoted";

impl Member {
    fn current(&self) -> Result<pb::ResponseHeader, Status> {
        let rev = blocking(|| self.store().current_revision()).map_err(status)?;
        Ok(self.header(rev))
    }

    fn members(&self) -> Result<Vec<pb::Member>, Status> {
        let info = self.info()?;
        Ok(vec![pb::Member {
            id: info.member_id,
            name: info.member_name,
            peer_ur_ls: info.peer_urls,
            client_ur_ls: info.client_urls,
            is_learner: false,
        }])
    }

    fn alarm_list(&self, alarms: Vec<crate::store::AlarmMember>) -> Vec<pb::AlarmMember> {
        alarms
            .into_iter()
            .map(|a| pb::AlarmMember {
                member_id: a.member_id,
                alarm: a.alarm.number() as i32,
            })
            .collect()
    }
}

type SnapshotStream = std::pin::Pin<
    Box<dyn futures_util::Stream<Item = Result<pb::SnapshotResponse, Status>> + Send>,
>;

impl Member {
    /// The member's status, as Maintenance.Status (and the JSON gateway) answer it.
    pub(super) fn status_response(&self) -> Result<pb::StatusResponse, Status> {
        let info = self.info()?;
        let alarms = self.store().alarms().map_err(status)?;
        Ok(pb::StatusResponse {
            header: Some(self.header(info.raft_index as i64)),
            version: info.version,
            db_size: info.db_size,
            leader: info.leader,
            raft_index: info.raft_index,
            raft_term: info.raft_term,
            raft_applied_index: info.raft_applied_index,
            // etcd lists its raised alarms here, in Go's text of the alarm member.
            errors: alarms
                .iter()
                .map(|a| format!("memberID:{} alarm:{} ", a.member_id, a.alarm.name()))
                .collect(),
            db_size_in_use: info.db_size_in_use,
            is_learner: false,
        })
    }
}

#[tonic::async_trait]
impl pb::maintenance_server::Maintenance for MaintenanceService {
    async fn alarm(
        &self,
        req: Request<pb::AlarmRequest>,
    ) -> Result<Response<pb::AlarmResponse>, Status> {
        use pb::alarm_request::AlarmAction;
        let r = req.into_inner();
        let m = &self.0;
        let alarms = match r.action() {
            AlarmAction::Get => blocking(|| m.store().alarms()),
            AlarmAction::Deactivate => blocking(|| m.store().disarm_alarms()),
            AlarmAction::Activate => {
                return Err(Status::unimplemented(
                    "kubelite etcd raises its alarms itself (NOSPACE): they cannot be activated",
                ));
            }
        }
        .map_err(status)?;
        Ok(Response::new(pb::AlarmResponse {
            header: Some(m.current()?),
            alarms: m.alarm_list(alarms),
        }))
    }

    async fn status(
        &self,
        _req: Request<pb::StatusRequest>,
    ) -> Result<Response<pb::StatusResponse>, Status> {
        let m = &self.0;
        blocking(|| m.status_response()).map(Response::new)
    }

    async fn defragment(
        &self,
        _req: Request<pb::DefragmentRequest>,
    ) -> Result<Response<pb::DefragmentResponse>, Status> {
        let m = &self.0;
        blocking(|| m.store().defragment()).map_err(status)?;
        Ok(Response::new(pb::DefragmentResponse {
            header: Some(m.current()?),
        }))
    }

    async fn hash(
        &self,
        _req: Request<pb::HashRequest>,
    ) -> Result<Response<pb::HashResponse>, Status> {
        Err(Status::unimplemented(
            "kubelite etcd keeps no bolt database to hash (etcd's Hash is of its backend file)",
        ))
    }

    async fn hash_kv(
        &self,
        _req: Request<pb::HashKvRequest>,
    ) -> Result<Response<pb::HashKvResponse>, Status> {
        Err(Status::unimplemented(
            "kubelite etcd does not compute etcd's HashKV (it would match no etcd member's anyway)",
        ))
    }

    type SnapshotStream = SnapshotStream;

    async fn snapshot(
        &self,
        _req: Request<pb::SnapshotRequest>,
    ) -> Result<Response<SnapshotStream>, Status> {
        let m = &self.0;
        let snap = blocking(|| m.snapshot())?;
        // Each message carries the revision the snapshot holds (etcd 3.4 sends no header;
        // its clients ignore one).
        let header = m.header(snap.revision());
        let chunks = tokio_stream::wrappers::ReceiverStream::new(snap.chunks());
        let stream = futures_util::StreamExt::map(chunks, move |chunk| {
            chunk
                .map(|c| pb::SnapshotResponse {
                    header: Some(header),
                    remaining_bytes: c.remaining_bytes,
                    blob: c.blob,
                })
                .map_err(|e| Status::internal(format!("reading the snapshot: {e}")))
        });
        Ok(Response::new(Box::pin(stream)))
    }

    async fn move_leader(
        &self,
        _req: Request<pb::MoveLeaderRequest>,
    ) -> Result<Response<pb::MoveLeaderResponse>, Status> {
        Err(Status::unimplemented(ONE_MEMBER))
    }
}

#[tonic::async_trait]
impl pb::cluster_server::Cluster for ClusterService {
    async fn member_add(
        &self,
        _r: Request<pb::MemberAddRequest>,
    ) -> Result<Response<pb::MemberAddResponse>, Status> {
        Err(Status::unimplemented(ONE_MEMBER))
    }

    async fn member_remove(
        &self,
        _r: Request<pb::MemberRemoveRequest>,
    ) -> Result<Response<pb::MemberRemoveResponse>, Status> {
        Err(Status::unimplemented(ONE_MEMBER))
    }

    async fn member_update(
        &self,
        _r: Request<pb::MemberUpdateRequest>,
    ) -> Result<Response<pb::MemberUpdateResponse>, Status> {
        Err(Status::unimplemented(ONE_MEMBER))
    }

    async fn member_promote(
        &self,
        _r: Request<pb::MemberPromoteRequest>,
    ) -> Result<Response<pb::MemberPromoteResponse>, Status> {
        Err(Status::unimplemented(ONE_MEMBER))
    }

    async fn member_list(
        &self,
        _r: Request<pb::MemberListRequest>,
    ) -> Result<Response<pb::MemberListResponse>, Status> {
        let m = &self.0;
        let members = blocking(|| m.members())?;
        Ok(Response::new(pb::MemberListResponse {
            // etcd's cluster service puts no revision in its headers.
            header: Some(m.header(0)),
            members,
        }))
    }
}
