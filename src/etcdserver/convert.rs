//! Between the store's types and etcd's wire messages.

use super::proto::etcdserverpb as pb;
use super::proto::mvccpb;
use crate::store::{
    Compare, CompareResult, CompareTarget, DeleteResponse, Event, EventKind, KeyValue, PutResponse,
    RangeRequest, RangeResponse, RequestOp, ResponseOp, SortOrder, SortTarget, TxnRequest,
    TxnResponse,
};
use tonic::Status;

pub fn kv(kv: KeyValue) -> mvccpb::KeyValue {
    mvccpb::KeyValue {
        key: kv.key,
        create_revision: kv.create_revision,
        mod_revision: kv.mod_revision,
        version: kv.version,
        value: kv.value,
        lease: kv.lease,
    }
}

pub fn event(e: Event) -> mvccpb::Event {
    let kind = match e.kind {
        EventKind::Put => mvccpb::event::EventType::Put,
        EventKind::Delete => mvccpb::event::EventType::Delete,
    };
    mvccpb::Event {
        r#type: kind as i32,
        kv: Some(kv(e.kv)),
        prev_kv: e.prev_kv.map(kv),
    }
}

/// The revision filters of a range, which the store does not apply itself.
#[derive(Clone, Copy, Default)]
pub struct RevisionFilters {
    min_mod: i64,
    max_mod: i64,
    min_create: i64,
    max_create: i64,
    /// The limit the client asked for (the store is asked for all keys when filtering).
    limit: i64,
}

impl RevisionFilters {
    fn any(&self) -> bool {
        self.min_mod != 0 || self.max_mod != 0 || self.min_create != 0 || self.max_create != 0
    }

    fn keeps(&self, kv: &KeyValue) -> bool {
        (self.min_mod == 0 || kv.mod_revision >= self.min_mod)
            && (self.max_mod == 0 || kv.mod_revision <= self.max_mod)
            && (self.min_create == 0 || kv.create_revision >= self.min_create)
            && (self.max_create == 0 || kv.create_revision <= self.max_create)
    }

    /// etcd's order: the keys in range (count), then the filters, then the limit.
    pub fn apply(&self, mut resp: RangeResponse) -> RangeResponse {
        if !self.any() {
            return resp;
        }
        resp.kvs.retain(|kv| self.keeps(kv));
        if self.limit > 0 && resp.kvs.len() as i64 > self.limit {
            resp.kvs.truncate(self.limit as usize);
            resp.more = true;
        }
        resp
    }
}

pub fn range_request(r: pb::RangeRequest) -> (RangeRequest, RevisionFilters) {
    let filters = RevisionFilters {
        min_mod: r.min_mod_revision,
        max_mod: r.max_mod_revision,
        min_create: r.min_create_revision,
        max_create: r.max_create_revision,
        limit: r.limit,
    };
    let sort_order = match r.sort_order() {
        pb::range_request::SortOrder::None => SortOrder::None,
        pb::range_request::SortOrder::Ascend => SortOrder::Ascend,
        pb::range_request::SortOrder::Descend => SortOrder::Descend,
    };
    let sort_target = match r.sort_target() {
        pb::range_request::SortTarget::Key => SortTarget::Key,
        pb::range_request::SortTarget::Version => SortTarget::Version,
        pb::range_request::SortTarget::Create => SortTarget::Create,
        pb::range_request::SortTarget::Mod => SortTarget::Mod,
        pb::range_request::SortTarget::Value => SortTarget::Value,
    };
    let req = RangeRequest {
        key: r.key,
        range_end: r.range_end,
        limit: if filters.any() { 0 } else { r.limit },
        revision: r.revision,
        keys_only: r.keys_only,
        count_only: r.count_only && !filters.any(),
        uncounted: false,
        sort_order,
        sort_target,
    };
    (req, filters)
}

/// The range answer; `header` fills the response header from the store revision.
pub fn range_response(
    resp: RangeResponse,
    filters: RevisionFilters,
    count_only: bool,
    header: pb::ResponseHeader,
) -> pb::RangeResponse {
    let mut resp = filters.apply(resp);
    if count_only {
        resp.kvs.clear();
    }
    pb::RangeResponse {
        header: Some(header),
        kvs: resp.kvs.into_iter().map(kv).collect(),
        more: resp.more,
        count: resp.count,
    }
}

/// Nested responses of a transaction carry only their revision, as etcd's do.
fn inner_header(revision: i64) -> Option<pb::ResponseHeader> {
    Some(pb::ResponseHeader {
        revision,
        ..Default::default()
    })
}

pub fn put_response(resp: PutResponse, header: pb::ResponseHeader) -> pb::PutResponse {
    pb::PutResponse {
        header: Some(header),
        prev_kv: resp.prev_kv.map(kv),
    }
}

pub fn delete_response(
    resp: DeleteResponse,
    header: pb::ResponseHeader,
) -> pb::DeleteRangeResponse {
    pb::DeleteRangeResponse {
        header: Some(header),
        deleted: resp.deleted,
        prev_kvs: resp.prev_kvs.into_iter().map(kv).collect(),
    }
}

fn compare(c: pb::Compare) -> Compare {
    use pb::compare::{CompareResult as R, CompareTarget as T, TargetUnion as U};
    let result = match c.result() {
        R::Equal => CompareResult::Equal,
        R::Greater => CompareResult::Greater,
        R::Less => CompareResult::Less,
        R::NotEqual => CompareResult::NotEqual,
    };
    // The target names the field; the union carries the value (absent: its zero).
    let number = match &c.target_union {
        Some(U::Version(n) | U::CreateRevision(n) | U::ModRevision(n) | U::Lease(n)) => *n,
        _ => 0,
    };
    let target = match c.target() {
        T::Version => CompareTarget::Version(number),
        T::Create => CompareTarget::Create(number),
        T::Mod => CompareTarget::Mod(number),
        T::Lease => CompareTarget::Lease(number),
        T::Value => CompareTarget::Value(match c.target_union {
            Some(U::Value(v)) => v,
            _ => Vec::new(),
        }),
    };
    Compare {
        key: c.key,
        range_end: c.range_end,
        target,
        result,
    }
}

/// What a request op became, with what its answer needs that the store does not keep.
pub enum OpShape {
    Range(RevisionFilters, bool),
    Put,
    Delete,
}

fn request_op(op: pb::RequestOp) -> Result<(RequestOp, OpShape), Status> {
    use pb::request_op::Request;
    match op.request {
        Some(Request::RequestRange(r)) => {
            let count_only = r.count_only;
            let (req, filters) = range_request(r);
            Ok((RequestOp::Range(req), OpShape::Range(filters, count_only)))
        }
        Some(Request::RequestPut(p)) => {
            if p.ignore_value || p.ignore_lease {
                return Err(Status::unimplemented(
                    "kubelite etcd: ignore_value and ignore_lease are not supported inside a txn",
                ));
            }
            Ok((
                RequestOp::Put {
                    key: p.key,
                    value: p.value,
                    prev_kv: p.prev_kv,
                    lease: p.lease,
                },
                OpShape::Put,
            ))
        }
        Some(Request::RequestDeleteRange(d)) => Ok((
            RequestOp::Delete {
                key: d.key,
                range_end: d.range_end,
                prev_kv: d.prev_kv,
            },
            OpShape::Delete,
        )),
        Some(Request::RequestTxn(_)) => Err(Status::unimplemented(
            "kubelite etcd: nested transactions are not supported",
        )),
        None => Err(Status::invalid_argument("etcdserver: request op is empty")),
    }
}

/// The most ops a branch may have (etcd's `--max-txn-ops` default).
pub const MAX_TXN_OPS: usize = 128;

pub fn txn_request(t: pb::TxnRequest) -> Result<(TxnRequest, Vec<OpShape>, Vec<OpShape>), Status> {
    if t.success.len() > MAX_TXN_OPS || t.failure.len() > MAX_TXN_OPS {
        return Err(Status::invalid_argument(
            "etcdserver: too many operations in txn request",
        ));
    }
    let branch = |ops: Vec<pb::RequestOp>| -> Result<(Vec<RequestOp>, Vec<OpShape>), Status> {
        ops.into_iter()
            .map(request_op)
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.into_iter().unzip())
    };
    let (success, success_shape) = branch(t.success)?;
    let (failure, failure_shape) = branch(t.failure)?;
    let req = TxnRequest {
        compare: t.compare.into_iter().map(compare).collect(),
        success,
        failure,
    };
    Ok((req, success_shape, failure_shape))
}

pub fn txn_response(
    resp: TxnResponse,
    shapes: Vec<OpShape>,
    header: pb::ResponseHeader,
) -> pb::TxnResponse {
    use pb::response_op::Response;
    let responses = resp
        .responses
        .into_iter()
        .zip(shapes)
        .map(|(op, shape)| {
            let response = match (op, shape) {
                (ResponseOp::Range(r), OpShape::Range(filters, count_only)) => {
                    let rev = r.header.revision;
                    let mut out = range_response(r, filters, count_only, Default::default());
                    out.header = inner_header(rev);
                    Response::ResponseRange(out)
                }
                (ResponseOp::Range(r), _) => {
                    let rev = r.header.revision;
                    let mut out = range_response(r, Default::default(), false, Default::default());
                    out.header = inner_header(rev);
                    Response::ResponseRange(out)
                }
                (ResponseOp::Put(p), _) => {
                    let rev = p.header.revision;
                    let mut out = put_response(p, Default::default());
                    out.header = inner_header(rev);
                    Response::ResponsePut(out)
                }
                (ResponseOp::Delete(d), _) => {
                    let rev = d.header.revision;
                    let mut out = delete_response(d, Default::default());
                    out.header = inner_header(rev);
                    Response::ResponseDeleteRange(out)
                }
            };
            pb::ResponseOp {
                response: Some(response),
            }
        })
        .collect();
    pb::TxnResponse {
        header: Some(header),
        succeeded: resp.succeeded,
        responses,
    }
}
