//! The KV service: Range, Put, DeleteRange, Txn, Compact.

use super::convert;
use super::proto::etcdserverpb as pb;
use super::{Member, blocking, check_size, status};
use crate::store::{
    Compare, CompareResult, CompareTarget, RangeRequest, RequestOp, ResponseOp, TxnRequest,
};
use prost::Message;
use std::sync::Arc;
use tonic::{Request, Response, Status};

pub struct KvService(pub Arc<Member>);

/// How often a put that keeps the key's value or lease retries when the key changed under it.
const KEEP_RETRIES: usize = 100;

#[tonic::async_trait]
impl pb::kv_server::Kv for KvService {
    async fn range(
        &self,
        req: Request<pb::RangeRequest>,
    ) -> Result<Response<pb::RangeResponse>, Status> {
        let r = req.into_inner();
        if r.key.is_empty() {
            return Err(Status::invalid_argument("etcdserver: key is not provided"));
        }
        let count_only = r.count_only;
        let (store_req, filters) = convert::range_request(r);
        let m = &self.0;
        let resp = blocking(|| m.store().range(&store_req)).map_err(status)?;
        let header = m.header(resp.header.revision);
        Ok(Response::new(convert::range_response(
            resp, filters, count_only, header,
        )))
    }

    async fn put(&self, req: Request<pb::PutRequest>) -> Result<Response<pb::PutResponse>, Status> {
        let p = req.into_inner();
        check_size(p.encoded_len())?;
        if p.key.is_empty() {
            return Err(Status::invalid_argument("etcdserver: key is not provided"));
        }
        if p.ignore_value && !p.value.is_empty() {
            return Err(Status::invalid_argument("etcdserver: value is provided"));
        }
        if p.ignore_lease && p.lease != 0 {
            return Err(Status::invalid_argument("etcdserver: lease is provided"));
        }
        let m = &self.0;
        let resp = blocking(|| put(m, p))?;
        m.written(resp.header.as_ref().map_or(0, |h| h.revision));
        Ok(Response::new(resp))
    }

    async fn delete_range(
        &self,
        req: Request<pb::DeleteRangeRequest>,
    ) -> Result<Response<pb::DeleteRangeResponse>, Status> {
        let d = req.into_inner();
        if d.key.is_empty() {
            return Err(Status::invalid_argument("etcdserver: key is not provided"));
        }
        let m = &self.0;
        let resp =
            blocking(|| m.store().delete_range(&d.key, &d.range_end, d.prev_kv)).map_err(status)?;
        m.written(resp.header.revision);
        let header = m.header(resp.header.revision);
        Ok(Response::new(convert::delete_response(resp, header)))
    }

    async fn txn(&self, req: Request<pb::TxnRequest>) -> Result<Response<pb::TxnResponse>, Status> {
        let t = req.into_inner();
        check_size(t.encoded_len())?;
        let (store_req, success, failure) = convert::txn_request(t)?;
        let m = &self.0;
        let resp = blocking(|| m.store().txn(&store_req)).map_err(status)?;
        m.written(resp.header.revision);
        let shapes = if resp.succeeded { success } else { failure };
        let header = m.header(resp.header.revision);
        Ok(Response::new(convert::txn_response(resp, shapes, header)))
    }

    async fn compact(
        &self,
        req: Request<pb::CompactionRequest>,
    ) -> Result<Response<pb::CompactionResponse>, Status> {
        let c = req.into_inner();
        let m = &self.0;
        let header = blocking(|| m.store().compact(c.revision)).map_err(status)?;
        Ok(Response::new(pb::CompactionResponse {
            header: Some(m.header(header.revision)),
        }))
    }
}

/// A put as one txn (the store's puts take a lease only there). `ignore_value` and
/// `ignore_lease` keep what the key has: read it, then write only if it has not changed since.
fn put(m: &Member, p: pb::PutRequest) -> Result<pb::PutResponse, Status> {
    for _ in 0..KEEP_RETRIES {
        let (mut value, mut lease, mut compare) = (p.value.clone(), p.lease, Vec::new());
        if p.ignore_value || p.ignore_lease {
            let found = m
                .store()
                .range(&RangeRequest::single(&p.key))
                .map_err(status)?;
            let Some(kv) = found.kvs.into_iter().next() else {
                return Err(Status::invalid_argument("etcdserver: key not found"));
            };
            if p.ignore_value {
                value = kv.value;
            }
            if p.ignore_lease {
                lease = kv.lease;
            }
            compare.push(Compare {
                key: p.key.clone(),
                range_end: Vec::new(),
                target: CompareTarget::Mod(kv.mod_revision),
                result: CompareResult::Equal,
            });
        }
        let txn = TxnRequest {
            compare,
            success: vec![RequestOp::Put {
                key: p.key.clone(),
                value,
                prev_kv: p.prev_kv,
                lease,
            }],
            failure: Vec::new(),
        };
        let resp = m.store().txn(&txn).map_err(status)?;
        if !resp.succeeded {
            continue;
        }
        let header = m.header(resp.header.revision);
        return match resp.responses.into_iter().next() {
            Some(ResponseOp::Put(put)) => Ok(convert::put_response(put, header)),
            _ => Err(Status::internal(
                "the store answered a put with no put response",
            )),
        };
    }
    Err(Status::aborted(
        "kubelite etcd: the key kept changing during the put",
    ))
}
