//! The part of etcd's JSON gateway (`POST /v3/...` over HTTP/1, beside gRPC on the client
//! port) that `kubelite etcdctl --endpoints` needs to save a snapshot: `maintenance/status`
//! (how it finds a member that answers) and `maintenance/snapshot`. The JSON is the
//! gateway's: 64-bit numbers as strings, zero values left out, a stream as one
//! `{"result":...}` object a line. Every other gateway path answers one JSON error saying
//! what is served.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::post;
use base64::Engine;
use serde_json::{Map, Value, json};

use super::proto::etcdserverpb as pb;
use super::{Member, blocking};

const UNSERVED: &str = "kubelite etcd serves only /v3/maintenance/status and /v3/maintenance/snapshot of etcd's JSON gateway: use gRPC (the real etcdctl) for the rest";

/// The gateway's routes, added to the gRPC router.
pub fn routes(router: axum::Router, member: Arc<Member>) -> axum::Router {
    let for_status = member.clone();
    router
        .route(
            "/v3/maintenance/status",
            post(move || {
                let m = for_status.clone();
                async move { status(&m) }
            }),
        )
        .route(
            "/v3/maintenance/snapshot",
            post(move || {
                let m = member.clone();
                async move { snapshot(&m) }
            }),
        )
        .route("/v3/{*rest}", post(|| async { unserved() }))
}

fn json_response(code: StatusCode, body: String) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = code;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    resp
}

/// A unary error as the gateway writes it.
fn error(code: StatusCode, grpc: tonic::Status) -> Response {
    let body = json!({
        "error": grpc.message(),
        "code": grpc.code() as i32,
        "message": grpc.message(),
    });
    json_response(code, body.to_string())
}

fn unserved() -> Response {
    error(
        StatusCode::NOT_IMPLEMENTED,
        tonic::Status::unimplemented(UNSERVED),
    )
}

/// Puts `key` in `obj` unless the value is a zero (the gateway emits no defaults).
fn set_num(obj: &mut Map<String, Value>, key: &str, n: u64) {
    if n != 0 {
        obj.insert(key.into(), Value::String(n.to_string()));
    }
}

fn header_json(h: &pb::ResponseHeader) -> Value {
    let mut obj = Map::new();
    set_num(&mut obj, "cluster_id", h.cluster_id);
    set_num(&mut obj, "member_id", h.member_id);
    set_num(&mut obj, "revision", h.revision as u64);
    set_num(&mut obj, "raft_term", h.raft_term);
    Value::Object(obj)
}

fn status(m: &Member) -> Response {
    let st = match blocking(|| m.status_response()) {
        Ok(st) => st,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    let mut obj = Map::new();
    if let Some(h) = &st.header {
        obj.insert("header".into(), header_json(h));
    }
    if !st.version.is_empty() {
        obj.insert("version".into(), Value::String(st.version.clone()));
    }
    set_num(&mut obj, "dbSize", st.db_size as u64);
    set_num(&mut obj, "leader", st.leader);
    set_num(&mut obj, "raftIndex", st.raft_index);
    set_num(&mut obj, "raftTerm", st.raft_term);
    set_num(&mut obj, "raftAppliedIndex", st.raft_applied_index);
    if !st.errors.is_empty() {
        obj.insert("errors".into(), json!(st.errors));
    }
    set_num(&mut obj, "dbSizeInUse", st.db_size_in_use as u64);
    json_response(StatusCode::OK, Value::Object(obj).to_string())
}

/// A stream's error line, as the gateway ends a broken stream.
fn stream_error(e: &tonic::Status) -> String {
    let line = json!({"error": {
        "grpc_code": e.code() as i32,
        "http_code": 500,
        "message": e.message(),
        "http_status": "Internal Server Error",
    }});
    format!("{line}\n")
}

fn snapshot(m: &Member) -> Response {
    let snap = match blocking(|| m.snapshot()) {
        // The gateway reports a stream that fails at once on the stream itself.
        Err(e) => return json_response(StatusCode::OK, stream_error(&e)),
        Ok(snap) => snap,
    };
    let header = header_json(&m.header(snap.revision()));
    let chunks = tokio_stream::wrappers::ReceiverStream::new(snap.chunks());
    let lines = futures_util::StreamExt::map(chunks, move |chunk| {
        let line = match chunk {
            Ok(c) => {
                let mut result = Map::new();
                result.insert("header".into(), header.clone());
                set_num(&mut result, "remaining_bytes", c.remaining_bytes);
                result.insert(
                    "blob".into(),
                    Value::String(base64::engine::general_purpose::STANDARD.encode(&c.blob)),
                );
                format!("{}\n", json!({ "result": result }))
            }
            Err(e) => stream_error(&tonic::Status::internal(format!(
                "reading the snapshot: {e}"
            ))),
        };
        Ok::<_, std::convert::Infallible>(line)
    });
    json_response_stream(lines)
}

fn json_response_stream(
    lines: impl futures_util::Stream<Item = Result<String, std::convert::Infallible>> + Send + 'static,
) -> Response {
    let mut resp = Response::new(Body::from_stream(lines));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    resp
}
