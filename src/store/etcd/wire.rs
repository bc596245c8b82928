//! Between the store's types and etcd's gRPC messages, as a client sends and reads them
//! (the server side of `kubelite etcd` has its own, in the other direction).

use super::proto::etcdserverpb as pb;
use super::proto::mvccpb;
use crate::store::{
    Compare, CompareResult, CompareTarget, DeleteResponse, Event, EventKind, Header, KeyValue,
    PutResponse, RangeRequest, RangeResponse, RequestOp, ResponseOp, SortOrder, SortTarget,
    TxnRequest, TxnResponse,
};

pub fn header(h: Option<&pb::ResponseHeader>) -> Header {
    Header {
        revision: h.map_or(0, |h| h.revision),
    }
}

pub fn kv(kv: mvccpb::KeyValue) -> KeyValue {
    KeyValue {
        key: kv.key,
        value: kv.value,
        create_revision: kv.create_revision,
        mod_revision: kv.mod_revision,
        version: kv.version,
        lease: kv.lease,
    }
}

pub fn event(e: mvccpb::Event) -> Event {
    let kind = match e.r#type() {
        mvccpb::event::EventType::Delete => EventKind::Delete,
        mvccpb::event::EventType::Put => EventKind::Put,
    };
    Event {
        kind,
        kv: kv(e.kv.unwrap_or_default()),
        prev_kv: e.prev_kv.map(kv),
    }
}

pub fn range_request(r: &RangeRequest) -> pb::RangeRequest {
    use pb::range_request::{SortOrder as O, SortTarget as T};
    let order = match r.sort_order {
        SortOrder::None => O::None,
        SortOrder::Ascend => O::Ascend,
        SortOrder::Descend => O::Descend,
    };
    let target = match r.sort_target {
        SortTarget::Key => T::Key,
        SortTarget::Version => T::Version,
        SortTarget::Create => T::Create,
        SortTarget::Mod => T::Mod,
        SortTarget::Value => T::Value,
    };
    pb::RangeRequest {
        key: r.key.clone(),
        range_end: r.range_end.clone(),
        limit: r.limit,
        revision: r.revision,
        sort_order: order as i32,
        sort_target: target as i32,
        keys_only: r.keys_only,
        count_only: r.count_only,
        ..Default::default()
    }
}

pub fn range_response(r: pb::RangeResponse) -> RangeResponse {
    RangeResponse {
        header: header(r.header.as_ref()),
        kvs: r.kvs.into_iter().map(kv).collect(),
        more: r.more,
        count: r.count,
    }
}

pub fn put_response(r: pb::PutResponse) -> PutResponse {
    PutResponse {
        header: header(r.header.as_ref()),
        prev_kv: r.prev_kv.map(kv),
    }
}

pub fn delete_request(key: &[u8], range_end: &[u8], prev_kv: bool) -> pb::DeleteRangeRequest {
    pb::DeleteRangeRequest {
        key: key.to_vec(),
        range_end: range_end.to_vec(),
        prev_kv,
    }
}

pub fn delete_response(r: pb::DeleteRangeResponse) -> DeleteResponse {
    DeleteResponse {
        header: header(r.header.as_ref()),
        deleted: r.deleted,
        prev_kvs: r.prev_kvs.into_iter().map(kv).collect(),
    }
}

fn compare(c: &Compare) -> pb::Compare {
    use pb::compare::{CompareResult as R, CompareTarget as T, TargetUnion as U};
    let result = match c.result {
        CompareResult::Equal => R::Equal,
        CompareResult::Greater => R::Greater,
        CompareResult::Less => R::Less,
        CompareResult::NotEqual => R::NotEqual,
    };
    let (target, value) = match &c.target {
        CompareTarget::Version(n) => (T::Version, U::Version(*n)),
        CompareTarget::Create(n) => (T::Create, U::CreateRevision(*n)),
        CompareTarget::Mod(n) => (T::Mod, U::ModRevision(*n)),
        CompareTarget::Value(v) => (T::Value, U::Value(v.clone())),
        CompareTarget::Lease(n) => (T::Lease, U::Lease(*n)),
    };
    pb::Compare {
        result: result as i32,
        target: target as i32,
        key: c.key.clone(),
        range_end: c.range_end.clone(),
        target_union: Some(value),
    }
}

fn request_op(op: &RequestOp) -> pb::RequestOp {
    use pb::request_op::Request;
    let request = match op {
        RequestOp::Range(r) => Request::RequestRange(range_request(r)),
        RequestOp::Put {
            key,
            value,
            prev_kv,
            lease,
        } => Request::RequestPut(pb::PutRequest {
            key: key.clone(),
            value: value.clone(),
            lease: *lease,
            prev_kv: *prev_kv,
            ..Default::default()
        }),
        RequestOp::Delete {
            key,
            range_end,
            prev_kv,
        } => Request::RequestDeleteRange(delete_request(key, range_end, *prev_kv)),
    };
    pb::RequestOp {
        request: Some(request),
    }
}

pub fn txn_request(t: &TxnRequest) -> pb::TxnRequest {
    pb::TxnRequest {
        compare: t.compare.iter().map(compare).collect(),
        success: t.success.iter().map(request_op).collect(),
        failure: t.failure.iter().map(request_op).collect(),
    }
}

/// `None` for an answer of a kind the store has no place for (a nested txn's).
pub fn txn_response(t: pb::TxnResponse) -> Option<TxnResponse> {
    use pb::response_op::Response;
    let responses = t
        .responses
        .into_iter()
        .map(|op| match op.response? {
            Response::ResponseRange(r) => Some(ResponseOp::Range(range_response(r))),
            Response::ResponsePut(p) => Some(ResponseOp::Put(put_response(p))),
            Response::ResponseDeleteRange(d) => Some(ResponseOp::Delete(delete_response(d))),
            Response::ResponseTxn(_) => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(TxnResponse {
        header: header(t.header.as_ref()),
        succeeded: t.succeeded,
        responses,
    })
}
