//! What clients other than kubectl found different from kube-apiserver, each checked as
//! that client behaves on the wire: out-of-range numbers in the query, kube-apiserver's
//! Status for bad options, YAML and protobuf bodies, gzip, a watch read line by line, exec
//! over WebSocket with an older subprotocol and stdin as text frames.

use super::support::{Server, kubectl_available, status_and_json};
use super::wire;
use reqwest::blocking::Client as Http;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read};
use std::time::Duration;

fn http(s: &Server) -> Http {
    s.https_builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// Asserts a Status: its code, reason and message.
fn assert_status(got: (u16, Value), code: u16, reason: &str, message: &str, what: &str) {
    let (c, body) = got;
    assert_eq!(
        (
            c,
            body["code"].as_u64(),
            body["reason"].as_str(),
            body["message"].as_str()
        ),
        (code, Some(u64::from(code)), Some(reason), Some(message)),
        "{what}: {body}"
    );
}

#[test]
fn numbers_in_the_query_are_bounded_as_kube_apiserver_reads_them() {
    let s = Server::start(false);
    let c = http(&s);
    let auth = format!("Bearer {}", s.token());
    let pods = format!("{}/api/v1/namespaces/default/pods", s.url);
    let get =
        |q: &str| status_and_json(c.get(format!("{pods}?{q}")).header("Authorization", &auth));
    // This one dropped the connection (an overflow in the watch deadline).
    assert_status(
        get("watch=1&timeoutSeconds=18446744073709551615"),
        400,
        "BadRequest",
        "strconv.ParseInt: parsing \"18446744073709551615\": value out of range",
        "watch timeoutSeconds 2^64-1",
    );
    for (q, message) in [
        (
            "limit=abc",
            "strconv.ParseInt: parsing \"abc\": invalid syntax",
        ),
        ("limit=", "strconv.ParseInt: parsing \"\": invalid syntax"),
        (
            "limit=99999999999999999999",
            "strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
        ),
        (
            "timeoutSeconds=1.5",
            "strconv.ParseInt: parsing \"1.5\": invalid syntax",
        ),
        (
            "resourceVersion=abc",
            "invalid resource version: resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax",
        ),
        (
            "resourceVersion=-1",
            "invalid resource version: resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax",
        ),
        (
            "watch=1&resourceVersion=abc",
            "invalid resource version: resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax",
        ),
    ] {
        assert_status(get(q), 400, "BadRequest", message, q);
    }
    // Huge but well-formed numbers are served, not overflowed.
    let watch = c
        .get(format!(
            "{pods}?watch=1&timeoutSeconds=9223372036854775807&resourceVersion=1"
        ))
        .header("Authorization", &auth)
        .send()
        .expect("watch");
    assert_eq!(watch.status().as_u16(), 200);
    drop(watch);
    let (code, body) = get("limit=9223372036854775807");
    assert_eq!((code, body["kind"].as_str()), (200, Some("PodList")));

    // A revision the store has not reached: kube-apiserver's 504.
    let (code, body) = get("resourceVersion=999999999&resourceVersionMatch=NotOlderThan");
    assert_eq!(
        (code, body["reason"].as_str()),
        (504, Some("Timeout")),
        "{body}"
    );
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("Timeout: Too large resource version: 999999999, current: "),
        "{message}"
    );
    assert_eq!(body["details"]["retryAfterSeconds"], 1);
    assert_eq!(
        body["details"]["causes"],
        json!([{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}])
    );
    let (code, body) = get("resourceVersion=999999999&resourceVersionMatch=Exact");
    assert_eq!(
        (code, body["reason"].as_str()),
        (504, Some("Timeout")),
        "{body}"
    );
    assert_status(
        get("resourceVersion=1&resourceVersionMatch=Newest"),
        422,
        "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"",
        "resourceVersionMatch",
    );

    // Logs: garbage is 400, out of range is PodLogOptions' 422.
    let log = format!(
        "{}/api/v1/namespaces/kube-system/pods/etcd-master/log",
        s.url
    );
    let log_get =
        |q: &str| status_and_json(c.get(format!("{log}?{q}")).header("Authorization", &auth));
    assert_status(
        log_get("tailLines=x"),
        400,
        "BadRequest",
        "strconv.ParseInt: parsing \"x\": invalid syntax",
        "tailLines=x",
    );
    assert_status(
        log_get("tailLines=-1"),
        422,
        "Invalid",
        "PodLogOptions \"etcd-master\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0",
        "tailLines=-1",
    );
    assert_status(
        log_get("limitBytes=0"),
        422,
        "Invalid",
        "PodLogOptions \"etcd-master\" is invalid: limitBytes: Invalid value: 0: must be greater than 0",
        "limitBytes=0",
    );
    assert_status(
        log_get("sinceSeconds=18446744073709551615"),
        400,
        "BadRequest",
        "strconv.ParseInt: parsing \"18446744073709551615\": value out of range",
        "sinceSeconds",
    );
    let resp = c
        .get(format!("{log}?limitBytes=5&tailLines=9223372036854775807"))
        .header("Authorization", &auth)
        .send()
        .expect("log");
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.bytes().expect("log body").len() <= 5);

    // Deletes: garbage grace periods are 400.
    assert_status(
        status_and_json(
            c.delete(format!("{pods}/nope?gracePeriodSeconds=soon"))
                .header("Authorization", &auth),
        ),
        400,
        "BadRequest",
        "strconv.ParseInt: parsing \"soon\": invalid syntax",
        "gracePeriodSeconds",
    );
    // A grace period past any date is kept within one (it was a panic in the handler).
    let (code, body) = status_and_json(
        c.delete(format!(
            "{}/api/v1/namespaces/kube-system/pods/etcd-master?gracePeriodSeconds=9223372036854775807&dryRun=All",
            s.url
        ))
        .header("Authorization", &auth),
    );
    assert_eq!(code, 200, "{body}");
    // And the server is still there.
    let (code, _) = status_and_json(c.get(format!("{}/version", s.url)));
    assert_eq!(code, 200);
}

#[test]
fn options_bodies_and_methods_get_kube_apiservers_answers() {
    let s = Server::start(false);
    let c = http(&s);
    let auth = format!("Bearer {}", s.token());
    let cms = format!("{}/api/v1/namespaces/default/configmaps", s.url);

    // YAML bodies are accepted.
    let (code, body) = status_and_json(
        c.post(&cms)
            .header("Authorization", &auth)
            .header("Content-Type", "application/yaml")
            .body("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: \"1\"\n"),
    );
    assert_eq!(
        (code, body["data"]["a"].as_str()),
        (201, Some("1")),
        "{body}"
    );

    // Server-side apply needs a field manager.
    let apply = |q: &str| {
        status_and_json(
            c.patch(format!("{cms}/applied{q}"))
                .header("Authorization", &auth)
                .header("Content-Type", "application/apply-patch+yaml")
                .body(r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"}}"#),
        )
    };
    let got = apply("");
    assert_eq!(
        got.1["details"],
        json!({"group": "meta.k8s.io", "kind": "PatchOptions",
               "causes": [{"reason": "FieldValueRequired", "message": "Required value: is required for apply patch", "field": "fieldManager"}]}),
        "{}",
        got.1
    );
    assert_status(
        got,
        422,
        "Invalid",
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
        "apply without fieldManager",
    );
    assert_eq!(apply("?fieldManager=test").0, 201);

    // An unknown propagation policy.
    let got = status_and_json(
        c.delete(format!("{cms}/applied"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .body(r#"{"propagationPolicy":"Sideways"}"#),
    );
    assert_eq!(
        got.1["details"]["causes"][0]["reason"].as_str(),
        Some("FieldValueNotSupported")
    );
    assert_status(
        got,
        422,
        "Invalid",
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
        "propagationPolicy",
    );

    // DeleteOptions in protobuf (dryRun All: the object stays).
    let mut raw = vec![4 << 3 | 2, 10];
    raw.extend_from_slice(b"Background");
    raw.extend_from_slice(&[5 << 3 | 2, 3]);
    raw.extend_from_slice(b"All");
    let mut type_meta = vec![1 << 3 | 2, 2];
    type_meta.extend_from_slice(b"v1");
    type_meta.extend_from_slice(&[2 << 3 | 2, 13]);
    type_meta.extend_from_slice(b"DeleteOptions");
    let mut body = b"k8s\0".to_vec();
    body.extend_from_slice(&[1 << 3 | 2, type_meta.len() as u8]);
    body.extend_from_slice(&type_meta);
    body.extend_from_slice(&[2 << 3 | 2, raw.len() as u8]);
    body.extend_from_slice(&raw);
    let (code, out) = status_and_json(
        c.delete(format!("{cms}/applied"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/vnd.kubernetes.protobuf")
            .body(body),
    );
    assert_eq!(code, 200, "{out}");
    let (code, _) = status_and_json(
        c.get(format!("{cms}/applied"))
            .header("Authorization", &auth),
    );
    assert_eq!(code, 200, "a dry-run delete deleted");

    // /version (and discovery) serve GET only.
    for path in ["/version", "/api", "/apis"] {
        let (code, body) = status_and_json(
            c.delete(format!("{}{path}", s.url))
                .header("Authorization", &auth),
        );
        assert_eq!(
            (code, body["reason"].as_str()),
            (405, Some("MethodNotAllowed")),
            "DELETE {path}"
        );
    }
}

#[test]
fn large_responses_are_gzipped_for_clients_that_ask() {
    let s = Server::start(false);
    let c = http(&s);
    let auth = format!("Bearer {}", s.token());
    let cms = format!("{}/api/v1/namespaces/default/configmaps", s.url);
    // About 200 KiB of configmaps.
    for i in 0..4 {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": format!("big-{i}")}, "data": {"x": "y".repeat(50 * 1024)}});
        let (code, _) = status_and_json(
            c.post(&cms)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .body(cm.to_string()),
        );
        assert_eq!(code, 201);
    }
    let resp = c
        .get(&cms)
        .header("Authorization", &auth)
        .header("Accept-Encoding", "gzip")
        .send()
        .expect("list");
    let header = |r: &reqwest::blocking::Response, h: &str| {
        r.headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(header(&resp, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(header(&resp, "vary").as_deref(), Some("Accept-Encoding"));
    let compressed = resp.bytes().expect("body");
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut text)
        .expect("gunzip");
    let list: Value = serde_json::from_slice(&text).expect("json");
    let big = list["items"].as_array().map_or(0, |items| {
        let named = |i: &&Value| {
            i["metadata"]["name"]
                .as_str()
                .unwrap_or("")
                .starts_with("big-")
        };
        items.iter().filter(named).count()
    });
    assert_eq!(big, 4, "{list}");
    assert!(compressed.len() < text.len() / 10);

    // Not asked, or small: plain.
    let resp = c
        .get(&cms)
        .header("Authorization", &auth)
        .send()
        .expect("list");
    assert_eq!(header(&resp, "content-encoding"), None);
    let resp = c
        .get(format!("{cms}/big-0"))
        .header("Authorization", &auth)
        .header("Accept-Encoding", "gzip")
        .send()
        .expect("get");
    assert_eq!(header(&resp, "content-encoding"), None);
    // Watches never.
    let resp = c
        .get(format!("{cms}?watch=1&timeoutSeconds=1"))
        .header("Authorization", &auth)
        .header("Accept-Encoding", "gzip")
        .send()
        .expect("watch");
    assert_eq!(header(&resp, "content-encoding"), None);
}

/// The official Python client's `Watch.stream` and lightkube read a watch line by line
/// and parse each line as an event: the first line must be one, not a blank line.
#[test]
fn a_watch_read_line_by_line_starts_with_an_event() {
    let s = Server::start(false);
    let c = http(&s);
    let auth = format!("Bearer {}", s.token());
    let pods = format!("{}/api/v1/namespaces/kube-system/pods", s.url);
    let resp = c
        .get(format!("{pods}?watch=1&timeoutSeconds=2"))
        .header("Authorization", &auth)
        .send()
        .expect("watch");
    assert_eq!(resp.status().as_u16(), 200);
    let mut lines = BufReader::new(resp).lines();
    let first = lines.next().expect("a first line").expect("read");
    let event: Value = serde_json::from_str(&first)
        .unwrap_or_else(|e| panic!("first line {first:?} is not an event: {e}"));
    assert_eq!(event["type"], "ADDED", "{first}");
    for line in lines {
        let line = line.expect("read");
        assert!(serde_json::from_str::<Value>(&line).is_ok(), "{line:?}");
    }

    // A watch from the current revision has nothing to send: its head still arrives at
    // once (a client sees the watch open), and no blank line precedes the first event.
    let (_, list) = status_and_json(c.get(&pods).header("Authorization", &auth));
    let rv = list["metadata"]["resourceVersion"].as_str().expect("rv");
    let mut tls = wire::connect(&s, Duration::from_secs(10));
    let request = format!(
        "GET /api/v1/namespaces/kube-system/pods?watch=1&resourceVersion={rv}&timeoutSeconds=3 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        s.token()
    );
    assert!(wire::send(&mut tls, request.as_bytes()));
    let start = std::time::Instant::now();
    let (head, rest) = wire::read_head(&mut tls);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "head took {:?}",
        start.elapsed()
    );
    let mut body = rest;
    let _ = tls.read_to_end(&mut body);
    // Chunked: the terminating chunk only, no "1\r\n\n\r\n" blank line.
    assert_eq!(String::from_utf8_lossy(&body), "0\r\n\r\n");
}

/// Opens an exec WebSocket offering `protocols`; returns the connection after the 101
/// and the bytes read past the head.
fn exec_socket(s: &Server, query: &str, protocols: &str) -> (wire::Tls, String, Vec<u8>) {
    let mut tls = wire::connect(s, Duration::from_secs(30));
    let protocol_header = if protocols.is_empty() {
        String::new()
    } else {
        format!("Sec-WebSocket-Protocol: {protocols}\r\n")
    };
    let request = format!(
        "GET /api/v1/namespaces/kube-system/pods/etcd-master/exec?{query} HTTP/1.1\r\n\
         Host: x\r\nAuthorization: Bearer {}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{protocol_header}\r\n",
        s.token()
    );
    assert!(wire::send(&mut tls, request.as_bytes()));
    let (head, rest) = wire::read_head(&mut tls);
    (tls, head, rest)
}

/// kr8s and the Python client offer `v4.channel.k8s.io`: a 101 with it, the Status on
/// channel 3 as JSON, then a close frame.
/// What an exec's channel `id` carried, its frames' payloads joined.
fn channel(frames: &[Vec<u8>], id: u8) -> Vec<u8> {
    frames
        .iter()
        .filter(|f| f.first() == Some(&id))
        .flat_map(|f| f[1..].to_vec())
        .collect()
}

/// The payload of the error channel's (3) frame: how the command ended.
fn error_channel(frames: &[Vec<u8>]) -> &[u8] {
    let frame = frames
        .iter()
        .find(|f| f.first() == Some(&3))
        .expect("status");
    &frame[1..]
}

#[test]
fn exec_over_websocket_v4_as_kr8s_offers_it() {
    let s = Server::start(false);
    let (mut tls, head, rest) = exec_socket(
        &s,
        "command=etcdctl&command=get&command=%2Fregistry%2Fnamespaces%2Fdefault&command=--keys-only&stdout=true&stderr=true",
        "v4.channel.k8s.io",
    );
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("sec-websocket-protocol: v4.channel.k8s.io"),
        "{head}"
    );
    let frames = wire::ws_read_until_close(&mut tls, rest);
    let stdout = channel(&frames, 1);
    // etcdctl 3.4 ends each key of --keys-only with a blank line.
    assert_eq!(
        String::from_utf8_lossy(&stdout),
        "/registry/namespaces/default\n\n"
    );
    let status = error_channel(&frames);
    let status: Value = serde_json::from_slice(status).expect("JSON status");
    assert_eq!(status["status"], "Success");

    // A failure: the JSON Status with the exit code, as v5 sends it.
    let (mut tls, head, rest) = exec_socket(
        &s,
        "command=etcdctl&command=get&stdout=true&stderr=true",
        "v4.channel.k8s.io",
    );
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let frames = wire::ws_read_until_close(&mut tls, rest);
    let status = error_channel(&frames);
    let status: Value = serde_json::from_slice(status).expect("JSON status");
    assert_eq!(status["reason"], "NonZeroExitCode");
    assert_eq!(status["details"]["causes"][0]["message"], "128");

    // channel.k8s.io: the Status's message as text on failure, nothing on success.
    let (mut tls, head, rest) = exec_socket(
        &s,
        "command=etcdctl&command=get&stdout=true&stderr=true",
        "channel.k8s.io",
    );
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let frames = wire::ws_read_until_close(&mut tls, rest);
    let status = error_channel(&frames);
    assert_eq!(
        String::from_utf8_lossy(status),
        "command terminated with non-zero exit code: error executing command [etcdctl get], exit code 128"
    );
    let (mut tls, _, rest) = exec_socket(&s, "command=etcdctl&command=version&stdout=true", "");
    let frames = wire::ws_read_until_close(&mut tls, rest);
    assert!(frames.iter().all(|f| f.first() != Some(&3)), "{frames:?}");

    // Base64 protocols only: refused before the upgrade.
    let (_, head, _) = exec_socket(
        &s,
        "command=etcdctl&command=version&stdout=true",
        "base64.channel.k8s.io",
    );
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
}

/// The Python client's `write_stdin(str)` sends text frames: they are stdin too.
#[test]
fn exec_stdin_sent_as_text_frames_reaches_the_command() {
    let s = Server::start(false);
    let (mut tls, head, rest) = exec_socket(
        &s,
        "command=etcdctl&command=put&command=greeting&stdin=true&stdout=true&stderr=true",
        "v5.channel.k8s.io",
    );
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert!(rest.is_empty());
    assert!(wire::send(&mut tls, &wire::ws_frame(1, b"\x00hello ")));
    assert!(wire::send(&mut tls, &wire::ws_frame(1, b"\x00from text")));
    // v5's close of stdin.
    assert!(wire::send(&mut tls, &wire::ws_frame(2, b"\xff\x00")));
    let frames = wire::ws_read_until_close(&mut tls, Vec::new());
    let stdout = channel(&frames, 1);
    assert_eq!(String::from_utf8_lossy(&stdout), "OK\n", "{frames:?}");
    let (mut tls, _, rest) = exec_socket(
        &s,
        "command=etcdctl&command=get&command=greeting&command=--print-value-only&stdout=true",
        "v5.channel.k8s.io",
    );
    let frames = wire::ws_read_until_close(&mut tls, rest);
    let stdout = channel(&frames, 1);
    assert_eq!(String::from_utf8_lossy(&stdout), "hello from text\n");
}

/// `kubectl drain --dry-run=server` sends its DeleteOptions in protobuf: each delete is
/// accepted (it was a 400 `not valid JSON`) and, being a dry run, deletes nothing.
/// (`--disable-eviction`: serve advertises `pods/eviction`, which kubectl would use instead.)
#[test]
fn kubectl_drain_dry_run_server_deletes_with_protobuf_options() {
    require_kubectl!();
    let s = Server::start(false);
    s.kubectl(&[
        "create",
        "deployment",
        "web",
        "--image=nginx",
        "--replicas=2",
    ])
    .ok("create deployment");
    s.wait_until_settled();
    let before = s
        .kubectl(&["get", "pods", "-A", "-o", "name"])
        .ok("pods before");
    // kubectl then waits for pods that a dry run leaves in place: a short timeout ends it.
    let run = s.kubectl(&[
        "drain",
        "node01",
        "--dry-run=server",
        "--disable-eviction",
        "--ignore-daemonsets",
        "--force",
        "--timeout=3s",
    ]);
    // Each delete was accepted: what is left is kubectl waiting for pods a dry run keeps
    // (before, every delete failed with 400 "the body of the request is not valid JSON").
    assert!(
        run.stderr
            .contains("There are pending pods in node \"node01\" when an error occurred: context deadline exceeded"),
        "stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("BadRequest"), "{}", run.stderr);
    let after = s
        .kubectl(&["get", "pods", "-A", "-o", "name"])
        .ok("pods after");
    assert_eq!(before, after);
}
