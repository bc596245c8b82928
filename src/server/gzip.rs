//! Response compression as kube-apiserver does it: a whole response larger than 128 KiB,
//! to a client whose `Accept-Encoding` names gzip, goes out gzip-compressed with
//! `Vary: Accept-Encoding`. Streams (watch, logs, exec) are never compressed.

use super::body::ResponseBody;
use super::message::Response;
use flate2::Compression;
use flate2::write::GzEncoder;
use hyper::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, VARY};
use std::io::Write;

/// kube-apiserver's `defaultGzipThresholdBytes`: bodies must be larger than this.
pub const THRESHOLD: usize = 128 * 1024;

/// Whether an `Accept-Encoding` header names gzip the way kube-apiserver recognizes it: a
/// comma-separated token that is exactly `gzip` (with parameters, such as a q-value, it
/// is not recognized).
pub fn accepted(accept_encoding: &str) -> bool {
    accept_encoding
        .split(',')
        .any(|token| token.trim() == "gzip")
}

/// `resp`, compressed when its client accepts gzip and its whole body is large enough.
pub fn maybe_compress(resp: Response, accept_encoding: &str) -> Response {
    let plain_text = resp
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    let large = matches!(resp.body(), ResponseBody::Full(Some(b)) if b.len() > THRESHOLD);
    if !large || plain_text || !accepted(accept_encoding) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let ResponseBody::Full(Some(bytes)) = body else {
        return hyper::Response::from_parts(parts, body);
    };
    // kube-apiserver's gzip level is 1 (BestSpeed) as well.
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::fast());
    let compressed = encoder.write_all(&bytes).and_then(|()| encoder.finish());
    let Ok(compressed) = compressed else {
        return hyper::Response::from_parts(parts, ResponseBody::Full(Some(bytes)));
    };
    parts.headers.remove(CONTENT_LENGTH);
    parts
        .headers
        .insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    parts
        .headers
        .append(VARY, HeaderValue::from_static("Accept-Encoding"));
    hyper::Response::from_parts(parts, ResponseBody::full(compressed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn body_of(resp: Response) -> Vec<u8> {
        match resp.into_body() {
            ResponseBody::Full(Some(b)) => b.to_vec(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn large_bodies_are_compressed_for_clients_that_ask() {
        let big = format!("[{}]", "1,".repeat(THRESHOLD / 2) + "1");
        let resp = super::super::message::bytes_response(200, "application/json", big.clone());
        let out = maybe_compress(resp, "deflate, gzip");
        assert_eq!(
            out.headers()
                .get(CONTENT_ENCODING)
                .map(HeaderValue::as_bytes),
            Some(&b"gzip"[..])
        );
        assert_eq!(
            out.headers().get(VARY).map(HeaderValue::as_bytes),
            Some(&b"Accept-Encoding"[..])
        );
        let mut text = String::new();
        let read = flate2::read::GzDecoder::new(&body_of(out)[..]).read_to_string(&mut text);
        assert!(read.is_ok());
        assert_eq!(text, big);
    }

    #[test]
    fn small_bodies_logs_and_other_clients_are_left_alone() {
        // A body at the threshold, a log, and a client that takes no gzip.
        for (content_type, body, accept) in [
            ("application/json", "x".repeat(THRESHOLD), "gzip"),
            ("text/plain", "y".repeat(THRESHOLD + 1), "gzip"),
            (
                "application/json",
                "z".repeat(THRESHOLD + 1),
                "br, identity",
            ),
        ] {
            let resp = super::super::message::bytes_response(200, content_type, body);
            let sent = maybe_compress(resp, accept);
            assert!(
                sent.headers().get(CONTENT_ENCODING).is_none(),
                "{content_type} for {accept}"
            );
        }
        assert!(!accepted("gzipx") && accepted(" gzip ") && !accepted(""));
        assert!(!accepted("gzip;q=1.0") && !accepted("GZIP"));
    }
}
