//! Request bodies in Kubernetes' protobuf form (`application/vnd.kubernetes.protobuf`), as
//! the real kubectl's imperative commands send them, read into the JSON the same object
//! has when sent as `application/json`.
//!
//! The form: the magic `k8s\0`, then a `runtime.Unknown` envelope (1 typeMeta {1 apiVersion,
//! 2 kind}, 2 raw, 3 contentEncoding, 4 contentType) whose `raw` is the object's message.

mod decode;
mod schema;
mod tables;
mod wire;

use crate::api::status::ApiError;
use serde_json::{Map, Value};
use wire::{Reader, Value as Wire};

pub const CONTENT_TYPE: &str = "application/vnd.kubernetes.protobuf";
const MAGIC: &[u8] = b"k8s\0";

/// Whether a Content-Type names the protobuf form (parameters aside).
pub fn is_protobuf(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|base| base.trim().eq_ignore_ascii_case(CONTENT_TYPE))
}

/// The body as the JSON object Go's encoder writes for it: 400 when it is not well-formed,
/// 415 when it holds a kind kubelite cannot read in this form.
pub fn body_to_json(body: &[u8]) -> Result<Value, ApiError> {
    let raw = body.strip_prefix(MAGIC).ok_or_else(|| {
        malformed("it does not start with the Kubernetes protobuf magic \"k8s\\x00\"")
    })?;
    let envelope = Envelope::read(raw).map_err(|e| malformed(&e.to_string()))?;
    if !envelope.content_encoding.is_empty() {
        return Err(unsupported(&format!(
            "content encoding {:?} is not supported",
            envelope.content_encoding
        )));
    }
    let Some(msg) = schema::message_for(&envelope.api_version, &envelope.kind) else {
        return Err(unsupported(&format!(
            "kubelite cannot read {} {:?} in protobuf; send it as application/json",
            envelope.kind, envelope.api_version
        )));
    };
    let fields = decode::message(envelope.raw, msg, "")
        .map_err(|e| malformed(&format!("{} {}: {e}", envelope.kind, envelope.api_version)))?;
    let mut obj = Map::new();
    obj.insert("kind".into(), Value::String(envelope.kind));
    obj.insert("apiVersion".into(), Value::String(envelope.api_version));
    obj.extend(fields);
    Ok(Value::Object(obj))
}

fn malformed(detail: &str) -> ApiError {
    ApiError::bad_request(format!(
        "the body of the request is not valid Kubernetes protobuf: {detail}"
    ))
}

fn unsupported(detail: &str) -> ApiError {
    ApiError::new(
        415,
        "UnsupportedMediaType",
        format!("the body of the request was in {CONTENT_TYPE} and {detail}"),
    )
}

/// The `runtime.Unknown` wrapper around the object.
struct Envelope<'a> {
    api_version: String,
    kind: String,
    raw: &'a [u8],
    content_encoding: String,
}

impl<'a> Envelope<'a> {
    fn read(bytes: &'a [u8]) -> Result<Self, decode::DecodeError> {
        let mut env = Envelope {
            api_version: String::new(),
            kind: String::new(),
            raw: &[],
            content_encoding: String::new(),
        };
        let mut r = Reader::new(bytes);
        while let Some((number, value)) = next(&mut r, "envelope")? {
            let Wire::Len(b) = value else {
                return Err(bad(
                    "envelope",
                    format!("field {number} is not length-delimited"),
                ));
            };
            match number {
                1 => {
                    let mut t = Reader::new(b);
                    while let Some((n, v)) = next(&mut t, "typeMeta")? {
                        let Wire::Len(s) = v else {
                            return Err(bad("typeMeta", format!("field {n} is not a string")));
                        };
                        match n {
                            1 => env.api_version = utf8(s, "typeMeta.apiVersion")?,
                            2 => env.kind = utf8(s, "typeMeta.kind")?,
                            n => return Err(bad("typeMeta", format!("unknown field {n}"))),
                        }
                    }
                }
                2 => env.raw = b,
                3 => env.content_encoding = utf8(b, "contentEncoding")?,
                4 => {} // contentType: the raw bytes are protobuf whatever it says.
                n => return Err(bad("envelope", format!("unknown field {n}"))),
            }
        }
        if env.kind.is_empty() || env.api_version.is_empty() {
            return Err(bad("typeMeta", "kind and apiVersion must be set".into()));
        }
        Ok(env)
    }
}

fn next<'a>(r: &mut Reader<'a>, at: &str) -> Result<Option<(u32, Wire<'a>)>, decode::DecodeError> {
    r.field().map_err(|e| bad(at, e.to_string()))
}

fn bad(path: &str, what: String) -> decode::DecodeError {
    decode::DecodeError {
        path: path.to_string(),
        what,
    }
}

fn utf8(b: &[u8], path: &str) -> Result<String, decode::DecodeError> {
    String::from_utf8(b.to_vec()).map_err(|_| bad(path, "not valid UTF-8".into()))
}
