//! What every handler speaks: a request read whole, a response, and the usual ways of making
//! one (bytes, JSON, an API error as its `Status`). `http` serves connections with them.

use super::body::ResponseBody;
use crate::api::status::ApiError;
use hyper::Method;
use hyper::StatusCode;
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::Value;

pub type Response = hyper::Response<ResponseBody>;

/// One request, read whole (bodies are small: see `http::MAX_BODY`).
pub struct Request {
    pub method: Method,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Who sends it (none for the anonymous health checks).
    pub requester: Option<crate::api::options::Requester>,
}

impl Request {
    /// The last value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// `a=1&b=x%3Dy` as decoded pairs; `+` is a space, as Go's url.Values writes it.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

pub fn bytes_response(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response {
    let mut r = hyper::Response::new(ResponseBody::full(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r
}

pub fn json_as(status: u16, content_type: &str, v: &Value) -> Response {
    match serde_json::to_vec(v) {
        Ok(b) => bytes_response(status, content_type, b),
        Err(e) => error(&ApiError::internal(format!(
            "cannot encode the response: {e}"
        ))),
    }
}

pub fn json(status: u16, v: &Value) -> Response {
    json_as(status, "application/json", v)
}

/// A failed request: its `Status` object with its code.
pub fn error(e: &ApiError) -> Response {
    let body = serde_json::to_vec(&e.to_status()).unwrap_or_default();
    bytes_response(e.code, "application/json", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_queries_as_go_encodes_them() {
        let q = parse_query("labelSelector=app%3Dweb%2Ctier+in+%28a%29&limit=500&watch");
        assert_eq!(q[0], ("labelSelector".into(), "app=web,tier in (a)".into()));
        assert_eq!(q[1], ("limit".into(), "500".into()));
        assert_eq!(q[2], ("watch".into(), String::new()));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
