//! `pods/exec` through `kubelite serve` (or a kube-apiserver) over WebSocket, subprotocol
//! `v5.channel.k8s.io`, as kubectl 1.30+ does it. reqwest cannot take a connection over,
//! so this writes the HTTP/1.1 upgrade on its own TLS stream (to read an error Status as
//! kubectl prints it), then hands the stream to tungstenite. With `-i`, a thread reads
//! stdin and the connection is polled between its chunks; with `-t`, the terminal's size
//! goes on channel 4 when it changes.

use super::Remote;
use super::auth::failure;
use super::remote::{decode_reply, encode};
use crate::api::exec::ExecError;
use crate::api::status::ApiError;
use crate::ws::{self, Message, WebSocket};
use base64::Engine;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PROTOCOL: &str = "v5.channel.k8s.io";
/// kubectl's own read deadline (client-go: twelve 5-second pings and a second).
const READ_TIMEOUT: Duration = Duration::from_secs(61);
const MAX_HEAD: usize = 64 * 1024;
/// An error reply is a small Status; more is not read.
const MAX_BODY: usize = 1024 * 1024;
/// With stdin forwarded, how long a read waits before stdin gets its turn.
const POLL: Duration = Duration::from_millis(20);
/// How often the terminal's size is looked at under `-t`.
const RESIZE_CHECK: Duration = Duration::from_secs(1);
/// At most this many stdin bytes are sent between two reads of the connection.
const STDIN_TURN: usize = 64 * 1024;

/// Which streams an exec attaches beyond stdout and stderr.
#[derive(Clone, Copy)]
pub struct ExecStreams {
    /// Forward this process's stdin (`-i`).
    pub stdin: bool,
    /// The remote side is a terminal (`-t`, granted only with a terminal on stdin).
    pub tty: bool,
    /// The local terminal's (width, height), when there is one.
    pub size: fn() -> Option<(u16, u16)>,
}

impl Remote {
    /// Runs `command` in `container` of pod `namespace/name` without stdin; its stdout and
    /// stderr go to `out` and `err`. Errors before the command ran (no such pod) are
    /// `ExecError::Api`; a command that could not run is `ExecError::Unsupported` with the
    /// server's message.
    pub fn exec(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        command: &[String],
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32, ExecError> {
        let streams = ExecStreams {
            stdin: false,
            tty: false,
            size: || None,
        };
        self.exec_with(namespace, name, container, command, streams, out, err)
    }

    /// [`Remote::exec`] with the streams `-i` and `-t` ask for: this process's stdin is
    /// forwarded, and under a tty the server sends stderr as stdout.
    #[allow(clippy::too_many_arguments)]
    pub fn exec_with(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        command: &[String],
        streams: ExecStreams,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32, ExecError> {
        let feed = streams.stdin.then(read_stdin);
        self.exec_session(namespace, name, container, command, streams, feed, out, err)
    }

    /// `pods/attach`: this process joins the streams of the container's running process
    /// (its stdin with `-i`, a terminal with `-t`), as kubectl attach does, until the
    /// process or the connection ends.
    pub fn attach_with(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        streams: ExecStreams,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32, ExecError> {
        let feed = streams.stdin.then(read_stdin);
        self.exec_session(namespace, name, container, &[], streams, feed, out, err)
    }

    /// [`Remote::exec`] with `input` as the command's stdin (`stdin=true`), ended after
    /// it, as `kubectl cp` feeds `tar` in the container.
    #[allow(clippy::too_many_arguments)]
    pub fn exec_feeding(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        command: &[String],
        input: Vec<u8>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32, ExecError> {
        let streams = ExecStreams {
            stdin: true,
            tty: false,
            size: || None,
        };
        let (tx, rx) = mpsc::sync_channel(4);
        std::thread::spawn(move || {
            for chunk in input.chunks(16 * 1024) {
                if tx.send(Some(chunk.to_vec())).is_err() {
                    return;
                }
            }
            let _ = tx.send(None);
        });
        self.exec_session(
            namespace,
            name,
            container,
            command,
            streams,
            Some(rx),
            out,
            err,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn exec_session(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        command: &[String],
        streams: ExecStreams,
        feed: Option<mpsc::Receiver<Option<Vec<u8>>>>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32, ExecError> {
        let unreachable = |e: String| ExecError::Api(failure::unable_to_connect(&e));
        let mut query: Vec<String> = command
            .iter()
            .map(|c| format!("command={}", encode(c)))
            .collect();
        // kubectl's order (sorted keys); a tty has no separate stderr.
        query.push(format!("container={}", encode(container)));
        if !streams.tty {
            query.push("stderr=true".to_string());
        }
        if streams.stdin {
            query.push("stdin=true".to_string());
        }
        query.push("stdout=true".to_string());
        if streams.tty {
            query.push("tty=true".to_string());
        }
        let target = format!(
            "/api/v1/namespaces/{}/pods/{}/{}?{}",
            encode(namespace),
            encode(name),
            // No command: the container's own process (attach).
            if command.is_empty() { "attach" } else { "exec" },
            query.join("&")
        );
        let (stream, rest) = self.upgrade(&target, PROTOCOL).map_err(ExecError::Api)?;
        let mut socket = ws::client(stream, rest);
        let status = session(&mut socket, streams, feed, out, err).map_err(unreachable)?;
        exit_code(status)
    }
}

impl Remote {
    /// Opens a connection to the server and upgrades `target` (path and query) to a
    /// WebSocket with `protocol`: the stream and what came after the 101's head. A reply
    /// other than 101 is the server's error, as kubectl prints it.
    pub(super) fn upgrade(
        &self,
        target: &str,
        protocol: &str,
    ) -> Result<(Box<dyn Conn>, Vec<u8>), ApiError> {
        let unreachable = |e: String| failure::unable_to_connect(&e);
        let authority = failure::authority(self.base()).to_string();
        let tcp = TcpStream::connect(self.exec_address(&authority)).map_err(|e| {
            failure::from_io(&e, self.failure_context())
                .unwrap_or_else(|| failure::unable_to_connect(&e.to_string()))
        })?;
        let _ = tcp.set_read_timeout(Some(READ_TIMEOUT));
        // Over plain HTTP (`kubectl proxy`, say) the WebSocket runs on the bare socket.
        let mut stream: Box<dyn Conn> = if self.base().starts_with("https://") {
            Box::new(self.tls_stream(tcp, &authority).map_err(unreachable)?)
        } else {
            Box::new(tcp)
        };
        let key = base64::engine::general_purpose::STANDARD.encode(nonce());
        let mut head = format!(
            "GET {target} HTTP/1.1\r\nHost: {authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Protocol: {protocol}\r\n"
        );
        for (k, v) in self.auth_headers()? {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.flush())
            .map_err(|e| {
                failure::from_io(&e, self.failure_context())
                    .unwrap_or_else(|| failure::unable_to_connect(&e.to_string()))
            })?;
        let mut buf = Vec::new();
        let end = read_head(&mut stream, &mut buf).map_err(unreachable)?;
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        let rest = buf.split_off(end + 4);
        let code: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| unreachable("the server's reply is not HTTP".to_string()))?;
        if code != 101 {
            let body = read_body(&mut stream, &head, rest);
            let status =
                reqwest::StatusCode::from_u16(code).unwrap_or(reqwest::StatusCode::BAD_GATEWAY);
            return Err(match decode_reply(status, &body) {
                Err(e) => e,
                Ok(_) => ApiError::internal(format!("the upgrade was answered with {code}")),
            });
        }
        if header(&head, "sec-websocket-accept") != Some(ws::accept_key(&key).as_str()) {
            return Err(unreachable("the WebSocket handshake failed".to_string()));
        }
        Ok((stream, rest))
    }

    /// `host:port` of the server (the scheme's port when it names none).
    fn exec_address(&self, authority: &str) -> String {
        if authority.contains(':') && !authority.ends_with(']') {
            return authority.to_string();
        }
        let port = if self.base().starts_with("https://") {
            443
        } else {
            80
        };
        format!("{authority}:{port}")
    }

    /// TLS over `tcp` as the client's settings say. With tls-server-name, the
    /// certificate is checked against that name (the verifier does it) and it is sent as
    /// SNI when it is a DNS name.
    fn tls_stream(
        &self,
        tcp: TcpStream,
        authority: &str,
    ) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, String> {
        let host = match authority.rsplit_once(':') {
            Some((h, _)) => h.trim_start_matches('[').trim_end_matches(']'),
            None => authority,
        };
        let (request_base, _) = self.dial_target();
        let sni = failure::authority(request_base);
        let sni = match sni.rsplit_once(':') {
            Some((h, _)) => h.trim_start_matches('[').trim_end_matches(']'),
            None => sni,
        };
        let server_name = rustls::pki_types::ServerName::try_from(sni.to_string())
            .map_err(|e| format!("{host:?} is not a server name: {e}"))?;
        let tls = rustls::ClientConnection::new(self.tls().map_err(|e| e.message)?, server_name)
            .map_err(|e| e.to_string())?;
        Ok(rustls::StreamOwned::new(tls, tcp))
    }
}

/// The exec connection: a socket, bare or in TLS, whose reads can be given a timeout.
pub trait Conn: Read + Write {
    fn set_timeout(&self, timeout: Duration);
}

impl Conn for TcpStream {
    fn set_timeout(&self, timeout: Duration) {
        let _ = self.set_read_timeout(Some(timeout));
    }
}

impl Conn for rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    fn set_timeout(&self, timeout: Duration) {
        let _ = self.sock.set_read_timeout(Some(timeout));
    }
}

/// Runs the WebSocket session to its end; returns the channel-3 Status, if any.
fn session(
    socket: &mut WebSocket<Box<dyn Conn>>,
    streams: ExecStreams,
    mut stdin: Option<mpsc::Receiver<Option<Vec<u8>>>>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Option<Value>, String> {
    if stdin.is_some() {
        socket.get_ref().set_timeout(POLL);
    }
    let mut size = None;
    let mut size_checked: Option<Instant> = None;
    let mut last_read = Instant::now();
    let mut status: Option<Value> = None;
    loop {
        if let Some(rx) = &stdin
            && !send_stdin(socket, rx).map_err(|e| e.to_string())?
        {
            stdin = None;
            socket.get_ref().set_timeout(READ_TIMEOUT);
        }
        if streams.tty && size_checked.is_none_or(|t| t.elapsed() >= RESIZE_CHECK) {
            size_checked = Some(Instant::now());
            let now = (streams.size)();
            if let Some((width, height)) = now.filter(|_| now != size) {
                let message = format!("\x04{{\"Width\":{width},\"Height\":{height}}}\n");
                socket
                    .send(Message::binary(message.into_bytes()))
                    .map_err(|e| e.to_string())?;
                size = now;
            }
        }
        // tungstenite answers pings, and the close, by itself.
        match socket.read() {
            Ok(Message::Binary(payload)) => {
                last_read = Instant::now();
                match payload.split_first() {
                    Some((1, data)) => {
                        let _ = out.write_all(data);
                        let _ = out.flush();
                    }
                    Some((2, data)) => {
                        let _ = err.write_all(data);
                    }
                    Some((3, data)) => status = serde_json::from_slice(data).ok(),
                    _ => {}
                }
            }
            Ok(Message::Close(_)) => {
                // Sends the close reply tungstenite queued.
                let _ = socket.flush();
                return Ok(status);
            }
            Ok(_) => last_read = Instant::now(),
            Err(ws::Error::Io(e)) if is_timeout(&e) && last_read.elapsed() < READ_TIMEOUT => {}
            Err(e) if ws::is_end(&e) => return Ok(status),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Sends the stdin chunks that are ready (data on channel 0, then `\xff\x00` at its end,
/// as kubectl sends them); says whether stdin is still open.
fn send_stdin<S: Read + Write>(
    socket: &mut WebSocket<S>,
    rx: &mpsc::Receiver<Option<Vec<u8>>>,
) -> Result<bool, ws::Error> {
    let mut sent = 0;
    let mut open = true;
    // A bounded turn, so a fast stdin (a file, /dev/zero) leaves the reads their share.
    while open && sent < STDIN_TURN {
        let message = match rx.try_recv() {
            Ok(Some(data)) => {
                let mut message = Vec::with_capacity(data.len() + 1);
                message.push(0);
                message.extend_from_slice(&data);
                message
            }
            Ok(None) | Err(mpsc::TryRecvError::Disconnected) => {
                open = false;
                b"\xff\x00".to_vec()
            }
            Err(mpsc::TryRecvError::Empty) => break,
        };
        sent += message.len();
        socket.write(Message::binary(message))?;
    }
    if sent > 0 {
        socket.flush()?;
    }
    Ok(open)
}

/// Reads this process's stdin on a thread: chunks, then `None` at its end. The thread
/// stays blocked if the command ends first (a terminal never ends); the process exits.
fn read_stdin() -> mpsc::Receiver<Option<Vec<u8>>> {
    let (tx, rx) = mpsc::sync_channel(4);
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match stdin.read(&mut chunk) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(None);
                    return;
                }
                Ok(n) => {
                    if tx.send(Some(chunk[..n].to_vec())).is_err() {
                        return;
                    }
                }
            }
        }
    });
    rx
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// The exit status a channel-3 Status stands for (none: the command succeeded, as kubectl
/// takes it).
fn exit_code(status: Option<Value>) -> Result<i32, ExecError> {
    let Some(status) = status else {
        return Ok(0);
    };
    if status["status"] == "Success" {
        return Ok(0);
    }
    if status["reason"] == "NonZeroExitCode" {
        let code = status
            .pointer("/details/causes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|c| c["reason"] == "ExitCode")
            .and_then(|c| c["message"].as_str())
            .and_then(|m| m.parse::<i32>().ok());
        if let Some(code) = code {
            return Ok(code);
        }
    }
    let message = status["message"].as_str().unwrap_or("the command failed");
    Err(ExecError::Unsupported(message.to_string()))
}

/// Reads until the end of the response head; returns where its `\r\n\r\n` starts.
fn read_head(stream: &mut impl Read, buf: &mut Vec<u8>) -> Result<usize, String> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Ok(at);
        }
        if buf.len() > MAX_HEAD {
            return Err("the server's reply head is too large".to_string());
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err("the server closed the connection".to_string()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The body of a non-101 reply (kubelite answers with a Content-Length).
fn read_body(stream: &mut impl Read, head: &str, mut body: Vec<u8>) -> Vec<u8> {
    let length = header(head, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut chunk = [0u8; 4096];
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    body
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// 16 bytes that differ between calls. The WebSocket key only shows that the server speaks
/// WebSocket, so no secrecy is needed.
fn nonce() -> [u8; 16] {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mixed = nanos ^ (u128::from(std::process::id()) << 64);
    mixed.to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statuses_become_exit_codes_or_errors() {
        assert_eq!(exit_code(None).ok(), Some(0));
        assert_eq!(
            exit_code(Some(json!({"metadata": {}, "status": "Success"}))).ok(),
            Some(0)
        );
        let failed = json!({"status": "Failure", "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": "128"}]}});
        assert_eq!(exit_code(Some(failed)).ok(), Some(128));
        let refused = json!({"status": "Failure", "reason": "InternalError", "message": "no ls"});
        match exit_code(Some(refused)) {
            Err(ExecError::Unsupported(m)) => assert_eq!(m, "no ls"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn headers_are_found_by_any_case() {
        let head =
            "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: abc=\r\nUpgrade: websocket";
        assert_eq!(header(head, "sec-websocket-accept"), Some("abc="));
        assert_eq!(header(head, "content-length"), None);
    }
}
