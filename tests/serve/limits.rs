//! No client can hold `kubelite serve` hostage: slow request heads and idle connections
//! are cut, requests beyond the in-flight limits get kube-apiserver's 429, memory stays
//! bounded under many slow connections, and SIGTERM ends serve in bounded time whatever
//! is open.

use super::support::Server;
use super::wire::{self, Tls};
use std::time::{Duration, Instant};

/// The head timeout the tests run serve with (seconds).
const HEAD_TIMEOUT: u64 = 2;

/// Starts a request head and never finishes it: one header line after each read that
/// times out (the connection's read timeout sets the pace), until the server closes the
/// connection or `limit` passes. Returns how long it stayed open.
fn dribble(tls: &mut Tls, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    if !wire::send(tls, b"GET /version HTTP/1.1\r\nHost: x\r\n") {
        return Some(start.elapsed());
    }
    let mut n = 0;
    while start.elapsed() < limit {
        if wire::closed(tls) {
            return Some(start.elapsed());
        }
        n += 1;
        if !wire::send(tls, format!("X-Slow-{n}: 1\r\n").as_bytes()) {
            return Some(start.elapsed());
        }
    }
    None
}

#[test]
fn slow_heads_and_idle_connections_are_closed() {
    let timeout = HEAD_TIMEOUT.to_string();
    let s = Server::start_with(
        false,
        &[
            "--header-read-timeout",
            &timeout,
            "--body-read-timeout",
            &timeout,
        ],
    );
    // Forty clients dribbling header bytes (each read waits 200 ms: the dribble's pace).
    let limit = Duration::from_secs(HEAD_TIMEOUT + 10);
    let handles: Vec<_> = (0..40)
        .map(|_| {
            let mut tls = wire::connect(&s, Duration::from_millis(200));
            std::thread::spawn(move || dribble(&mut tls, limit))
        })
        .collect();
    for h in handles {
        let open = h.join().expect("dribbler");
        let open = open.unwrap_or_else(|| panic!("a slow head was still open after {limit:?}"));
        assert!(
            open >= Duration::from_secs(HEAD_TIMEOUT - 1),
            "closed too early: {open:?}"
        );
    }

    // A keep-alive connection that goes idle after its request is closed as well.
    let mut tls = wire::connect(&s, Duration::from_millis(200));
    assert!(wire::send(
        &mut tls,
        b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n"
    ));
    let (head, _) = wire::read_head(&mut tls);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let start = Instant::now();
    while !wire::closed(&mut tls) {
        assert!(
            start.elapsed() < limit,
            "an idle keep-alive connection was still open after {limit:?}"
        );
    }
    // A body that stops arriving: kube-apiserver's 504 once the body deadline passes.
    let mut slow = half_sent(&s, "POST", &s.token());
    let start = Instant::now();
    let (head, body) = loop {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        match std::io::Read::read(&mut slow, &mut buf) {
            Ok(n) if n > 0 => {
                got.extend_from_slice(&buf[..n]);
                let _ = std::io::Read::read_to_end(&mut slow, &mut got);
                let text = String::from_utf8_lossy(&got).into_owned();
                let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
                break (head.to_string(), body.to_string());
            }
            Ok(_) => panic!("closed without an answer"),
            Err(_) => assert!(start.elapsed() < limit, "no answer to a stalled body"),
        }
    };
    assert!(head.starts_with("HTTP/1.1 504"), "{head}");
    assert!(
        body.contains("Timeout: request did not complete within the allotted timeout"),
        "{body}"
    );

    // And the server still serves.
    let mut tls = wire::connect(&s, Duration::from_secs(10));
    assert!(wire::send(
        &mut tls,
        b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n"
    ));
    assert!(wire::read_head(&mut tls).0.starts_with("HTTP/1.1 200"));
}

/// Sends a request whose body never arrives whole: it stays in flight.
fn half_sent(s: &Server, method: &str, token: &str) -> Tls {
    let mut tls = wire::connect(s, Duration::from_millis(200));
    let head = format!(
        "{method} /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    assert!(wire::send(&mut tls, head.as_bytes()));
    tls
}

/// Whether the server has answered (or closed) a request sent by `half_sent`: a read
/// within its short timeout sees bytes or the end.
fn answered(tls: &mut Tls) -> bool {
    let mut buf = [0u8; 512];
    match std::io::Read::read(tls, &mut buf) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// One request on a fresh connection: its head and body.
fn request(s: &Server, method: &str, path: &str, token: &str, body: &str) -> (String, String) {
    let mut tls = wire::connect(s, Duration::from_secs(10));
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    assert!(wire::send(&mut tls, req.as_bytes()));
    let (head, mut rest) = wire::read_head(&mut tls);
    // `Connection: close` (and a watch's timeoutSeconds) end the body.
    let _ = std::io::Read::read_to_end(&mut tls, &mut rest);
    (head, String::from_utf8_lossy(&rest).into_owned())
}

#[test]
fn requests_beyond_the_inflight_limits_get_429() {
    let s = Server::start_with(
        false,
        &[
            "--max-requests-inflight",
            "1",
            "--max-mutating-requests-inflight",
            "1",
        ],
    );
    let viewer = std::fs::read_to_string(s.home.0.join("viewer-token")).expect("viewer token");
    let viewer = viewer.trim();
    let admin = s.token();
    let list = "/api/v1/namespaces/default/configmaps";

    // A read in flight (its body still coming) fills the read-only pool. It races the
    // probes for the one place: when a probe wins, the held read is the one turned away
    // (it gets an answer), and a new one is sent.
    let mut held = half_sent(&s, "GET", viewer);
    let start = Instant::now();
    let (head, body) = loop {
        let (head, body) = request(&s, "GET", list, viewer, "");
        if head.starts_with("HTTP/1.1 429") || start.elapsed() > Duration::from_secs(30) {
            break (head, body);
        }
        if answered(&mut held) {
            held = half_sent(&s, "GET", viewer);
        }
    };
    assert!(head.starts_with("HTTP/1.1 429"), "{head}");
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("\r\nretry-after: 1\r\n"), "{head}");
    assert!(
        lower.contains("content-type: text/plain; charset=utf-8"),
        "{head}"
    );
    assert_eq!(body, "Too many requests, please try again later.\n");
    // Writes have their own pool; watches and system:masters are never turned away.
    let (head, _) = request(&s, "POST", list, admin.as_str(), "{}");
    assert!(!head.starts_with("HTTP/1.1 429"), "{head}");
    let (head, _) = request(&s, "GET", list, &admin, "");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let (head, _) = request(
        &s,
        "GET",
        &format!("{list}?watch=1&timeoutSeconds=1"),
        viewer,
        "",
    );
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");

    // (The mutating pool is checked the same way in `server::limits`' unit tests: here
    // only system:masters may write, and kube-apiserver never turns those away.)

    // Once the requests in flight end, their places are free again.
    drop(held);
    let start = Instant::now();
    loop {
        let (head, _) = request(&s, "GET", list, viewer, "");
        if head.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still refused: {head}"
        );
    }
}

#[test]
fn memory_stays_bounded_under_many_slow_connections() {
    let timeout = "30";
    let s = Server::start_with(false, &["--header-read-timeout", timeout]);
    let pid = s.pid().expect("pid");
    // Warm up: a few complete requests, then the baseline.
    for _ in 0..5 {
        let mut tls = wire::connect(&s, Duration::from_secs(10));
        assert!(wire::send(
            &mut tls,
            b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n"
        ));
        wire::read_head(&mut tls);
    }
    let before = wire::rss_kib(pid);
    // Two hundred connections, each with a head that is still arriving.
    let mut open: Vec<Tls> = (0..200)
        .map(|_| {
            let mut tls = wire::connect(&s, Duration::from_millis(10));
            assert!(wire::send(
                &mut tls,
                b"GET /version HTTP/1.1\r\nHost: x\r\n"
            ));
            tls
        })
        .collect();
    for round in 0..20 {
        for tls in open.iter_mut() {
            let _ = wire::send(
                tls,
                format!("X-Slow-{round}: {}\r\n", "a".repeat(1000)).as_bytes(),
            );
        }
    }
    let during = wire::rss_kib(pid);
    eprintln!(
        "serve VmRSS: {before} KiB before, {during} KiB with 200 slow connections (+{} KiB)",
        during.saturating_sub(before)
    );
    assert!(
        during < before + 64 * 1024,
        "200 slow connections took {} KiB",
        during - before
    );
    for tls in open.iter_mut() {
        assert!(!wire::closed(tls), "a slow connection was closed early");
    }
}

#[test]
fn sigterm_ends_serve_with_watches_exec_and_keepalives_open() {
    let mut s = Server::start(false);
    let token = s.token();
    // A watch (nothing to send: it waits).
    let mut watch = wire::connect(&s, Duration::from_secs(10));
    let req = format!(
        "GET /api/v1/namespaces/default/configmaps?watch=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n"
    );
    assert!(wire::send(&mut watch, req.as_bytes()));
    assert!(wire::read_head(&mut watch).0.starts_with("HTTP/1.1 200"));
    // An exec session whose command waits for stdin that never ends.
    let mut exec = wire::connect(&s, Duration::from_secs(10));
    let req = format!(
        "GET /api/v1/namespaces/kube-system/pods/etcd-master/exec?command=etcdctl&command=put&command=k&stdin=true&stdout=true HTTP/1.1\r\n\
         Host: x\r\nAuthorization: Bearer {token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n"
    );
    assert!(wire::send(&mut exec, req.as_bytes()));
    assert!(wire::read_head(&mut exec).0.starts_with("HTTP/1.1 101"));
    assert!(wire::send(&mut exec, &wire::ws_frame(2, b"\x00some")));
    // An idle keep-alive connection, and a request whose body is still coming.
    let mut idle = wire::connect(&s, Duration::from_secs(10));
    assert!(wire::send(
        &mut idle,
        b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n"
    ));
    assert!(wire::read_head(&mut idle).0.starts_with("HTTP/1.1 200"));
    let _slow = half_sent(&s, "POST", &token);

    let bound = Duration::from_secs(20);
    let (code, took) = s
        .terminate_within(bound)
        .unwrap_or_else(|| panic!("serve did not exit within {bound:?} of SIGTERM"));
    eprintln!("serve exited {took:?} after SIGTERM (code {code})");
    assert_eq!(code, 0);
    // The watch ended with the stream's end, not a cut connection.
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut watch, &mut rest);
    assert!(
        String::from_utf8_lossy(&rest).ends_with("0\r\n\r\n"),
        "{:?}",
        String::from_utf8_lossy(&rest)
    );
}
