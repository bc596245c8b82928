//! A small HTTPS admission webhook for the tests: a rustls server on 127.0.0.1:0 with a
//! certificate from rcgen (valid for 127.0.0.1 and `hook.default.svc`), one thread per
//! connection, which records every AdmissionReview it gets and answers by path:
//! `/allow`, `/deny`, `/mutate` (adds a label), `/warn` (allows with a warning),
//! `/hang` (answers after 3 s), `/silent` (never answers, for admission and conversion
//! alike), `/garbage` (not JSON). A ConversionReview (CRD conversion
//! webhooks) is answered by `conversion`.

use base64::Engine;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct WebhookServer {
    pub port: u16,
    /// The CA of the server's certificate, base64 as `caBundle` wants it.
    pub ca_bundle: String,
    pub reviews: Arc<Mutex<Vec<(String, Value)>>>,
}

impl WebhookServer {
    pub fn start() -> WebhookServer {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let ca_key = rcgen::KeyPair::generate().expect("key");
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, "webhook-ca");
        let ca_cert = ca.self_signed(&ca_key).expect("ca");
        let issuer = rcgen::Issuer::new(ca, ca_key);
        let params = rcgen::CertificateParams::new(vec![
            "127.0.0.1".to_string(),
            "hook.default.svc".to_string(),
        ])
        .expect("params");
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = params.signed_by(&key, &issuer).expect("cert");
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .expect("tls config");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let reviews: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
        let seen = reviews.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let config = config.clone();
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut tls = rustls::StreamOwned::new(conn, stream);
                    while serve_one(&mut tls, &seen).is_some() {}
                });
            }
        });
        WebhookServer {
            port,
            ca_bundle: base64::engine::general_purpose::STANDARD.encode(ca_cert.pem()),
            reviews,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    /// The reviews received on `path` so far.
    pub fn reviews_on(&self, path: &str) -> Vec<Value> {
        self.reviews
            .lock()
            .expect("lock")
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// One request on a kept-alive connection; None when the connection is done.
fn serve_one(
    tls: &mut rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>,
    seen: &Mutex<Vec<(String, Value)>>,
) -> Option<()> {
    let mut reader = BufReader::new(&mut *tls);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    if line.is_empty() {
        return None;
    }
    let target = line.split_whitespace().nth(1)?.to_string();
    let path = target.split('?').next()?.to_string();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let review: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    seen.lock().ok()?.push((target, review.clone()));
    if path == "/silent" {
        // Never answers: waits until the caller gives up and closes the connection.
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
        return None;
    }
    let uid = review["request"]["uid"].clone();
    if review["kind"] == "ConversionReview" && path != "/garbage" {
        return respond(tls, &conversion(&path, &review).to_string());
    }
    let answer = match path.as_str() {
        "/deny" => json!({"uid": uid, "allowed": false,
            "status": {"message": "no pods today", "code": 403}}),
        "/mutate" => {
            let has_labels = review["request"]["object"]["metadata"]["labels"].is_object();
            let patch = if has_labels {
                json!([{"op": "add", "path": "/metadata/labels/mutated", "value": "yes"}])
            } else {
                json!([{"op": "add", "path": "/metadata/labels", "value": {"mutated": "yes"}}])
            };
            json!({"uid": uid, "allowed": true, "patchType": "JSONPatch",
                "patch": base64::engine::general_purpose::STANDARD.encode(patch.to_string())})
        }
        "/warn" => json!({"uid": uid, "allowed": true, "warnings": ["think twice"]}),
        "/hang" => {
            std::thread::sleep(Duration::from_secs(3));
            json!({"uid": uid, "allowed": true})
        }
        _ => json!({"uid": uid, "allowed": true}),
    };
    let text = if path == "/garbage" {
        "this is not json".to_string()
    } else {
        json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": answer})
            .to_string()
    };
    respond(tls, &text)
}

fn respond(
    tls: &mut rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>,
    text: &str,
) -> Option<()> {
    let resp = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{text}",
        text.len()
    );
    tls.write_all(resp.as_bytes()).ok()?;
    tls.flush().ok()?;
    Some(())
}

/// A ConversionReview's answer: widgets' `spec.size` (an integer, v1) becomes
/// `spec.replicas` (a string, v2) and back. `/convert-uid` answers another uid,
/// `/convert-fail` refuses, `/convert-rename` renames the objects.
fn conversion(path: &str, review: &Value) -> Value {
    let request = &review["request"];
    let desired = request["desiredAPIVersion"].as_str().unwrap_or("");
    let converted: Vec<Value> = request["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            let mut o = o.clone();
            if let Some(spec) = o.get_mut("spec").and_then(Value::as_object_mut) {
                if desired.ends_with("/v2") {
                    if let Some(size) = spec.remove("size") {
                        spec.insert("replicas".into(), json!(size.to_string()));
                    }
                } else if let Some(replicas) = spec.remove("replicas") {
                    let n: i64 = replicas.as_str().and_then(|r| r.parse().ok()).unwrap_or(0);
                    spec.insert("size".into(), json!(n));
                }
            }
            o["apiVersion"] = json!(desired);
            if path == "/convert-rename" {
                o["metadata"]["name"] = json!("renamed");
            }
            o
        })
        .collect();
    let uid = if path == "/convert-uid" {
        json!("not-the-uid")
    } else {
        request["uid"].clone()
    };
    let response = if path == "/convert-fail" {
        json!({"uid": uid, "result": {"status": "Failure", "message": "cannot convert today"}})
    } else {
        json!({"uid": uid, "result": {"status": "Success"}, "convertedObjects": converted})
    };
    json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview", "response": response})
}
