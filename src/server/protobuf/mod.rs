//! Request bodies in Kubernetes' protobuf form (`application/vnd.kubernetes.protobuf`), as
//! the real kubectl's imperative commands send them, read into the JSON the same object
//! has when sent as `application/json`.
//!
//! The form: the magic `k8s\0`, then a `runtime.Unknown` envelope (1 typeMeta {1 apiVersion,
//! 2 kind}, 2 raw, 3 contentEncoding, 4 contentType) whose `raw` is the object's message.

mod decode;
mod options;
mod reviews;
mod schema;
mod tables;
mod wire;

use crate::api::status::ApiError;
use schema::Message;
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
    let Some(msg) = message_for(&envelope.api_version, &envelope.kind) else {
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

/// The top-level message of `kind` in `api_version`, when kubelite knows its wire form.
fn message_for(api_version: &str, kind: &str) -> Option<&'static Message> {
    // DeleteOptions is registered in every group-version (clients send it in theirs).
    if kind == "DeleteOptions" {
        return Some(&options::META_DELETE_OPTIONS);
    }
    match (api_version, kind) {
        ("authorization.k8s.io/v1", "SelfSubjectAccessReview") => {
            return Some(&reviews::SELF_SUBJECT_ACCESS_REVIEW);
        }
        ("authorization.k8s.io/v1", "SelfSubjectRulesReview") => {
            return Some(&reviews::SELF_SUBJECT_RULES_REVIEW);
        }
        ("authentication.k8s.io/v1", "SelfSubjectReview") => {
            return Some(&reviews::SELF_SUBJECT_REVIEW);
        }
        _ => {}
    }
    tables::KINDS
        .iter()
        .find(|(v, k, _)| *v == api_version && *k == kind)
        .map(|(_, _, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each body the real kubectl sent, next to the JSON it prints for the same command.
    const CAPTURED: &[(&str, &[u8], &str)] = &[
        (
            "configmap",
            include_bytes!("testdata/configmap.pb"),
            include_str!("testdata/configmap.json"),
        ),
        (
            "deployment",
            include_bytes!("testdata/deployment.pb"),
            include_str!("testdata/deployment.json"),
        ),
        (
            "namespace",
            include_bytes!("testdata/namespace.pb"),
            include_str!("testdata/namespace.json"),
        ),
        (
            "serviceaccount",
            include_bytes!("testdata/serviceaccount.pb"),
            include_str!("testdata/serviceaccount.json"),
        ),
        (
            "quota",
            include_bytes!("testdata/quota.pb"),
            include_str!("testdata/quota.json"),
        ),
        (
            "secret-generic",
            include_bytes!("testdata/secret-generic.pb"),
            include_str!("testdata/secret-generic.json"),
        ),
        (
            "secret-docker",
            include_bytes!("testdata/secret-docker.pb"),
            include_str!("testdata/secret-docker.json"),
        ),
        (
            "service-clusterip",
            include_bytes!("testdata/service-clusterip.pb"),
            include_str!("testdata/service-clusterip.json"),
        ),
        (
            "service-nodeport",
            include_bytes!("testdata/service-nodeport.pb"),
            include_str!("testdata/service-nodeport.json"),
        ),
        (
            "service-externalname",
            include_bytes!("testdata/service-externalname.pb"),
            include_str!("testdata/service-externalname.json"),
        ),
    ];

    /// A length-delimited field.
    fn ld(number: u8, bytes: &[u8]) -> Vec<u8> {
        let mut out = vec![number << 3 | 2, bytes.len() as u8];
        out.extend_from_slice(bytes);
        out
    }

    #[test]
    fn delete_options_read_in_any_group_version() {
        // gracePeriodSeconds 0 (a varint field 1), propagationPolicy, dryRun ["All"].
        let mut raw = vec![1 << 3, 0];
        raw.extend(ld(4, b"Background"));
        raw.extend(ld(5, b"All"));
        for gv in ["v1", "apps/v1", "meta.k8s.io/v1"] {
            let mut type_meta = ld(1, gv.as_bytes());
            type_meta.extend(ld(2, b"DeleteOptions"));
            let mut body = MAGIC.to_vec();
            body.extend(ld(1, &type_meta));
            body.extend(ld(2, &raw));
            let got = body_to_json(&body).unwrap_or_else(|e| panic!("{gv}: {e:?}"));
            assert_eq!(
                got.to_string(),
                format!(
                    r#"{{"kind":"DeleteOptions","apiVersion":"{gv}","gracePeriodSeconds":0,"propagationPolicy":"Background","dryRun":["All"]}}"#
                )
            );
        }
    }

    #[test]
    fn kubectl_bodies_read_as_kubectl_json_key_order_included() {
        for (name, body, printed) in CAPTURED {
            let got = body_to_json(body).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let want: Value = serde_json::from_str(printed).expect("fixture JSON");
            // Compact text compares the key order too (serde_json keeps insertion order).
            assert_eq!(got.to_string(), want.to_string(), "{name}");
        }
    }

    #[test]
    fn every_truncation_of_a_body_is_an_error_not_a_panic() {
        let (_, body, _) = CAPTURED[1];
        for end in 0..body.len() {
            // Some prefixes end on a field boundary and still read; none may panic.
            if let Err(e) = body_to_json(&body[..end]) {
                assert!(matches!(e.code, 400 | 415), "{end}: {e:?}");
            }
        }
        // Cutting the raw object short inside its envelope is always an error.
        let short = &body[..body.len() - 1];
        assert_eq!(body_to_json(short).map_err(|e| e.code), Err(400));
    }

    #[test]
    fn every_byte_of_every_body_altered_is_read_or_refused_never_a_panic() {
        for (name, body, _) in CAPTURED {
            for i in 0..body.len() {
                for replacement in [0x00, 0x01, 0x07, 0x7f, 0x80, 0xff] {
                    let mut altered = body.to_vec();
                    altered[i] = replacement;
                    if let Err(e) = body_to_json(&altered) {
                        assert!(matches!(e.code, 400 | 415), "{name} [{i}]: {e:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn kinds_kubelite_does_not_read_are_415() {
        // An envelope (Unknown: typeMeta {apiVersion, kind}, raw) of a kind no table has.
        let type_meta = [&[10u8, 6][..], b"nope/1", &[18, 3], b"Foo"].concat();
        let unknown = [&[10u8, type_meta.len() as u8][..], &type_meta, &[18, 0]].concat();
        let body = [MAGIC, &unknown].concat();
        let e = body_to_json(&body).expect_err("unsupported");
        assert_eq!((e.code, e.reason.as_str()), (415, "UnsupportedMediaType"));
    }

    #[test]
    fn a_token_request_is_read_now_that_tokens_are_served() {
        let tr = body_to_json(include_bytes!("testdata/token-request.pb")).expect("read");
        assert_eq!(
            (tr["kind"].as_str(), tr["apiVersion"].as_str()),
            (Some("TokenRequest"), Some("authentication.k8s.io/v1"))
        );
    }

    #[test]
    fn a_job_is_read_now_that_batch_is_served() {
        let job = body_to_json(include_bytes!("testdata/job.pb")).expect("job");
        assert_eq!(
            (job["kind"].as_str(), job["apiVersion"].as_str()),
            (Some("Job"), Some("batch/v1"))
        );
    }

    /// An envelope around `raw` with the given type and encoding.
    fn envelope(api_version: &str, kind: &str, raw: &[u8], encoding: &str) -> Vec<u8> {
        fn len(out: &mut Vec<u8>, number: u8, bytes: &[u8]) {
            out.push(number << 3 | 2);
            out.push(bytes.len() as u8);
            out.extend_from_slice(bytes);
        }
        let mut type_meta = Vec::new();
        len(&mut type_meta, 1, api_version.as_bytes());
        len(&mut type_meta, 2, kind.as_bytes());
        let mut out = MAGIC.to_vec();
        len(&mut out, 1, &type_meta);
        len(&mut out, 2, raw);
        len(&mut out, 3, encoding.as_bytes());
        len(&mut out, 4, b"");
        out
    }

    #[test]
    fn envelope_errors() {
        let code = |b: &[u8]| body_to_json(b).map_err(|e| (e.code, e.message));
        // No magic: 400.
        let (c, m) = code(b"{\"kind\":\"ConfigMap\"}").expect_err("no magic");
        assert_eq!(c, 400);
        assert!(m.contains("magic"), "{m}");
        assert_eq!(code(b"k8s").map_err(|e| e.0), Err(400));
        // Compressed raw bytes: 415.
        let (c, m) = code(&envelope("v1", "ConfigMap", b"", "gzip")).expect_err("gzip");
        assert_eq!(c, 415);
        assert!(m.contains("\"gzip\""), "{m}");
        // No type: 400.
        assert_eq!(code(&envelope("", "", b"", "")).map_err(|e| e.0), Err(400));
        // An unknown envelope field or a varint where bytes belong: 400.
        let mut extra = envelope("v1", "ConfigMap", b"", "");
        extra.extend_from_slice(&[0x2a, 0x00]);
        assert_eq!(code(&extra).map_err(|e| e.0), Err(400));
        let mut varint = MAGIC.to_vec();
        varint.extend_from_slice(&[0x08, 0x01]);
        assert_eq!(code(&varint).map_err(|e| e.0), Err(400));
        // A well-formed empty ConfigMap.
        let ok = code(&envelope("v1", "ConfigMap", b"", "")).expect("empty configmap");
        assert_eq!(ok.to_string(), r#"{"kind":"ConfigMap","apiVersion":"v1"}"#);
        // A bad object inside a good envelope: 400 naming the field.
        let (c, m) =
            code(&envelope("v1", "ConfigMap", &[0x0a, 0x02, 0x0a, 0x05], "")).expect_err("bad");
        assert_eq!(c, 400);
        assert!(
            m.ends_with("ConfigMap v1: metadata: length 5 reaches past the end (0 bytes left)"),
            "{m}"
        );
    }

    #[test]
    fn content_types() {
        assert!(is_protobuf("application/vnd.kubernetes.protobuf"));
        assert!(is_protobuf(
            "application/vnd.kubernetes.protobuf; charset=x"
        ));
        assert!(!is_protobuf("application/json"));
        assert!(!is_protobuf(""));
    }

    #[test]
    fn every_kind_serve_stores_has_a_schema() {
        // APIServices are computed, never written by kubectl (no kube-aggregator schema);
        // kubectl writes CRDs as unstructured JSON (it has no apiextensions schema either);
        // Bindings are never stored.
        for r in crate::api::registry::RESOURCES.iter().filter(|r| {
            !matches!(
                r.plural,
                "apiservices" | "customresourcedefinitions" | "bindings"
            )
        }) {
            assert!(
                message_for(&r.api_version(), r.kind).is_some(),
                "{}",
                r.kind
            );
        }
    }
}
