//! Raw HTTPS connections to `kubelite serve`, for tests that must control every byte a
//! client sends (slow heads, half-sent bodies, WebSocket frames) and see every byte back.

use super::support::Server;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type Tls = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

/// The server's `host:port`.
pub fn addr(s: &Server) -> String {
    s.url.trim_start_matches("https://").to_string()
}

fn client_config(s: &Server) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    let pem = String::from_utf8(s.ca()).expect("pem");
    roots
        .add(kubelite::server::pem_der(&pem).expect("der"))
        .expect("root");
    Arc::new(
        rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("tls")
        .with_root_certificates(roots)
        .with_no_client_auth(),
    )
}

/// A TLS connection with its handshake done; reads time out after `read_timeout`.
pub fn connect(s: &Server, read_timeout: Duration) -> Tls {
    let tcp = TcpStream::connect(addr(s)).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1")
        .expect("name")
        .to_owned();
    let conn = rustls::ClientConnection::new(client_config(s), name).expect("tls client");
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    while tls.conn.is_handshaking() {
        tls.conn.complete_io(&mut tls.sock).expect("TLS handshake");
    }
    tls.sock
        .set_read_timeout(Some(read_timeout))
        .expect("timeout");
    tls
}

/// Whether the server has closed `tls`: a read sees the end (or a reset) rather than
/// timing out. Anything the server sent first is consumed.
pub fn closed(tls: &mut Tls) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match tls.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true,
        }
    }
}

/// Reads the response head (up to the blank line); returns it and what came after it.
pub fn read_head(tls: &mut Tls) -> (String, Vec<u8>) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = got.split_off(end + 4);
            return (String::from_utf8_lossy(&got).into_owned(), rest);
        }
        match tls.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading the response head: {e}"),
        }
    }
    panic!(
        "no complete response head; got {:?}",
        String::from_utf8_lossy(&got)
    );
}

/// Writes `bytes`; false once the server has closed the connection.
pub fn send(tls: &mut Tls, bytes: &[u8]) -> bool {
    tls.write_all(bytes).and_then(|()| tls.flush()).is_ok()
}

/// The resident memory of a process in KiB (`VmRSS` of /proc/PID/status).
pub fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// A client's WebSocket frame (masked, as RFC 6455 requires of clients).
pub fn ws_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mask = [0x5a, 0x17, 0xc3, 0x08];
    let mut out = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => out.push(0x80 | n as u8),
        n => {
            out.push(0x80 | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    out.extend_from_slice(&mask);
    out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    out
}

/// Reads the server's (unmasked) frames until its close frame; returns the data frames'
/// payloads, starting with the bytes already read (`pending`).
pub fn ws_read_until_close(tls: &mut Tls, mut pending: Vec<u8>) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    let mut buf = [0u8; 8192];
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        while let Some((opcode, payload, used)) = parse_server_frame(&pending) {
            pending.drain(..used);
            if opcode == 8 {
                return frames;
            }
            frames.push(payload);
        }
        assert!(
            Instant::now() < deadline,
            "no close frame; frames so far: {frames:?}"
        );
        match tls.read(&mut buf) {
            Ok(0) => panic!("connection ended without a close frame: {frames:?}"),
            Ok(n) => pending.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading frames: {e}"),
        }
    }
}

fn parse_server_frame(buf: &[u8]) -> Option<(u8, Vec<u8>, usize)> {
    let [b0, b1, ..] = buf else {
        return None;
    };
    let (len, at) = match b1 & 0x7f {
        126 => (u16::from_be_bytes([*buf.get(2)?, *buf.get(3)?]) as usize, 4),
        127 => (
            u64::from_be_bytes(buf.get(2..10)?.try_into().ok()?) as usize,
            10,
        ),
        n => (n as usize, 2),
    };
    let payload = buf.get(at..at + len)?.to_vec();
    Some((b0 & 0x0f, payload, at + len))
}
