//! `pods/portforward` as kubectl 1.31+ does it: a WebSocket with subprotocol
//! `SPDY/3.1+portforward.k8s.io` whose binary messages carry a SPDY/3.1 session. Each
//! local connection opens two streams (headers `streamtype` error or data, `port`,
//! `requestid`): the error stream, closed for writing at once, on which the kubelet says
//! what went wrong, and the data stream, which carries the connection's bytes both ways.
//! Header blocks are zlib streams; stored (uncompressed) blocks need no dictionary.
//!
//! One thread owns the WebSocket; each local connection has a reader thread that hands
//! its bytes over by channel.

use super::Remote;
use super::remote::encode;
use super::remote_exec::Conn;
use crate::api::status::ApiError;
use crate::ws::{self, Message, WebSocket};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

pub const PROTOCOL: &str = "SPDY/3.1+portforward.k8s.io";
const SYN_STREAM: u16 = 1;
const RST_STREAM: u16 = 3;
const PING: u16 = 6;
const GOAWAY: u16 = 7;
const FLAG_FIN: u8 = 1;
const POLL: Duration = Duration::from_millis(20);
const MAX_FRAME: usize = 16 * 1024 * 1024;

/// A local listener and the pod port its connections go to.
pub struct Forward {
    pub listener: TcpListener,
    pub local: u16,
    pub remote: u16,
}

enum Cmd {
    Open {
        request: u32,
        remote: u16,
        conn: TcpStream,
    },
    Data(u32, Vec<u8>),
    Fin(u32),
}

impl Remote {
    /// Opens the port-forward session to `namespace/pod`; `serve` then runs it.
    pub fn port_forward(&self, namespace: &str, pod: &str) -> Result<PortForward, ApiError> {
        let target = format!(
            "/api/v1/namespaces/{}/pods/{}/portforward",
            encode(namespace),
            encode(pod)
        );
        let (stream, rest) = self.upgrade(&target, PROTOCOL)?;
        Ok(PortForward {
            socket: ws::client(stream, rest),
        })
    }
}

pub struct PortForward {
    socket: WebSocket<Box<dyn Conn>>,
}

/// A SPDY/3 control frame.
fn control(kind: u16, flags: u8, data: &[u8]) -> Vec<u8> {
    let mut f = vec![0x80, 3];
    f.extend_from_slice(&kind.to_be_bytes());
    f.push(flags);
    f.extend_from_slice(&(data.len() as u32).to_be_bytes()[1..]);
    f.extend_from_slice(data);
    f
}

fn data_frame(stream: u32, fin: bool, data: &[u8]) -> Vec<u8> {
    let mut f = (stream & 0x7fff_ffff).to_be_bytes().to_vec();
    f.push(if fin { FLAG_FIN } else { 0 });
    f.extend_from_slice(&(data.len() as u32).to_be_bytes()[1..]);
    f.extend_from_slice(data);
    f
}

/// A SYN_STREAM whose header block is one stored deflate block (then an empty one, as a
/// sync flush ends), continuing the session's zlib stream; the first starts it.
fn syn_stream(stream: u32, headers: &[(&str, String)], first: bool) -> Vec<u8> {
    let mut block = (headers.len() as u32).to_be_bytes().to_vec();
    for (k, v) in headers {
        block.extend_from_slice(&(k.len() as u32).to_be_bytes());
        block.extend_from_slice(k.as_bytes());
        block.extend_from_slice(&(v.len() as u32).to_be_bytes());
        block.extend_from_slice(v.as_bytes());
    }
    let mut d = stream.to_be_bytes().to_vec();
    d.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    if first {
        d.extend_from_slice(&[0x78, 0x01]);
    }
    let len = block.len() as u16;
    d.push(0x00);
    d.extend_from_slice(&len.to_le_bytes());
    d.extend_from_slice(&(!len).to_le_bytes());
    d.extend_from_slice(&block);
    d.extend_from_slice(&[0x00, 0x00, 0x00, 0xff, 0xff]);
    control(SYN_STREAM, 0, &d)
}

/// One SPDY frame: control bit, type (control) or stream (data), flags, data, and how
/// many bytes it took.
type Parsed = (bool, u32, u8, Vec<u8>, usize);

/// The first frame of `buf`, once it is whole.
fn parse(buf: &[u8]) -> Result<Option<Parsed>, String> {
    let Some(head) = buf.get(..8) else {
        return Ok(None);
    };
    let length = usize::from(head[5]) << 16 | usize::from(head[6]) << 8 | usize::from(head[7]);
    if length > MAX_FRAME {
        return Err(format!("a SPDY frame of {length} bytes is too large"));
    }
    let Some(data) = buf.get(8..8 + length) else {
        return Ok(None);
    };
    let is_control = head[0] & 0x80 != 0;
    let id = if is_control {
        u32::from(u16::from_be_bytes([head[2], head[3]]))
    } else {
        u32::from_be_bytes([head[0], head[1], head[2], head[3]]) & 0x7fff_ffff
    };
    Ok(Some((is_control, id, head[4], data.to_vec(), 8 + length)))
}

impl PortForward {
    /// Forwards every connection to `forwards` until the server ends the session.
    /// `handling` is told each new connection's local port; `failed` each error the
    /// kubelet reports for one.
    pub fn serve(
        mut self,
        forwards: Vec<Forward>,
        handling: &(dyn Fn(u16) + Sync),
        failed: &(dyn Fn(u16, u16, &str) + Sync),
    ) -> Result<(), String> {
        let (tx, rx) = mpsc::channel::<Cmd>();
        let (seen_tx, seen_rx) = mpsc::channel::<u16>();
        let counter = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let mut ports = HashMap::new();
        for f in forwards {
            ports.insert(f.remote, f.local);
            let (tx, seen_tx, counter) = (tx.clone(), seen_tx.clone(), counter.clone());
            std::thread::spawn(move || {
                for conn in f.listener.incoming().flatten() {
                    let _ = seen_tx.send(f.local);
                    let request = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Ok(reader) = conn.try_clone() else {
                        continue;
                    };
                    if tx
                        .send(Cmd::Open {
                            request,
                            remote: f.remote,
                            conn,
                        })
                        .is_err()
                    {
                        return;
                    }
                    let tx = tx.clone();
                    std::thread::spawn(move || pump(reader, data_stream(request), &tx));
                }
            });
        }
        drop(tx);
        self.socket.get_ref().set_timeout(POLL);
        let mut first = true;
        let mut conns: HashMap<u32, TcpStream> = HashMap::new();
        let mut errors: HashMap<u32, (u16, Vec<u8>)> = HashMap::new();
        let mut buf: Vec<u8> = Vec::new();
        loop {
            while let Ok(local) = seen_rx.try_recv() {
                handling(local);
            }
            let mut wrote = false;
            while let Ok(cmd) = rx.try_recv() {
                let frames = match cmd {
                    Cmd::Open {
                        request,
                        remote,
                        conn,
                    } => {
                        let (error, data) = (data_stream(request) - 2, data_stream(request));
                        conns.insert(data, conn);
                        errors.insert(error, (remote, Vec::new()));
                        let headers = |kind: &str| {
                            vec![
                                ("port", remote.to_string()),
                                ("requestid", request.to_string()),
                                ("streamtype", kind.to_string()),
                            ]
                        };
                        let mut f = syn_stream(error, &headers("error"), first);
                        first = false;
                        // The error stream is read-only for the client: closed at once.
                        f.extend(data_frame(error, true, b""));
                        f.extend(syn_stream(data, &headers("data"), false));
                        f
                    }
                    Cmd::Data(stream, bytes) => data_frame(stream, false, &bytes),
                    Cmd::Fin(stream) => data_frame(stream, true, b""),
                };
                self.socket
                    .write(Message::binary(frames))
                    .map_err(|e| e.to_string())?;
                wrote = true;
            }
            if wrote {
                self.socket.flush().map_err(|e| e.to_string())?;
            }
            match self.socket.read() {
                Ok(Message::Binary(bytes)) => buf.extend_from_slice(&bytes),
                Ok(Message::Close(_)) => {
                    let _ = self.socket.flush();
                    return Err("lost connection to pod".to_string());
                }
                Ok(_) => {}
                Err(ws::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) if ws::is_end(&e) => return Err("lost connection to pod".to_string()),
                Err(e) => return Err(e.to_string()),
            }
            while let Some((is_control, id, flags, data, used)) = parse(&buf)? {
                buf.drain(..used);
                if is_control {
                    match id as u16 {
                        PING => {
                            self.socket
                                .send(Message::binary(control(PING, 0, &data)))
                                .map_err(|e| e.to_string())?;
                        }
                        GOAWAY => return Err("lost connection to pod".to_string()),
                        RST_STREAM => {
                            let stream = data
                                .get(..4)
                                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) & 0x7fff_ffff)
                                .unwrap_or(0);
                            if let Some(c) = conns.remove(&stream) {
                                let _ = c.shutdown(std::net::Shutdown::Both);
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                let fin = flags & FLAG_FIN != 0;
                if let Some((remote, message)) = errors.get_mut(&id) {
                    message.extend_from_slice(&data);
                    if fin {
                        if !message.is_empty() {
                            let local = ports.get(remote).copied().unwrap_or(0);
                            failed(local, *remote, &String::from_utf8_lossy(message));
                        }
                        errors.remove(&id);
                    }
                    continue;
                }
                if let Some(conn) = conns.get_mut(&id) {
                    if !data.is_empty() && conn.write_all(&data).is_err() {
                        conns.remove(&id);
                        continue;
                    }
                    if fin {
                        let _ = conn.shutdown(std::net::Shutdown::Write);
                        conns.remove(&id);
                    }
                }
            }
        }
    }
}

/// The data stream of a request: error and data streams are opened in pairs, from 1.
fn data_stream(request: u32) -> u32 {
    request * 4 + 3
}

/// Reads a local connection to its end, handing each chunk over, then its end.
fn pump(mut conn: TcpStream, stream: u32, tx: &mpsc::Sender<Cmd>) {
    let mut chunk = vec![0u8; 32 * 1024];
    loop {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => {
                let _ = tx.send(Cmd::Fin(stream));
                return;
            }
            Ok(n) => {
                if tx.send(Cmd::Data(stream, chunk[..n].to_vec())).is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syn_stream_carries_its_headers_in_a_stored_block() {
        let f = syn_stream(1, &[("port", "80".to_string())], true);
        assert_eq!(&f[..4], &[0x80, 3, 0, 1]);
        let body = &f[8..];
        assert_eq!(&body[..4], &[0, 0, 0, 1]);
        // The zlib header, then a stored block of the 4 + 4 + 4 + 4 + 2 = 18 block bytes.
        assert_eq!(&body[10..12], &[0x78, 0x01]);
        assert_eq!(&body[12..17], &[0x00, 18, 0, !18u8, 0xff]);
        let mut inflated = Vec::new();
        flate2::read::ZlibDecoder::new(&body[10..])
            .read_to_end(&mut inflated)
            .ok();
        assert_eq!(&inflated[..8], &[0, 0, 0, 1, 0, 0, 0, 4]);
        assert_eq!(&inflated[8..12], b"port");
    }

    /// One zlib stream runs through the header blocks of a session, as a SPDY reader
    /// inflates them: each block comes out whole at its sync mark.
    #[test]
    fn header_blocks_continue_one_zlib_stream() {
        let headers = |kind: &str| {
            vec![
                ("port", "80".to_string()),
                ("requestid", "0".to_string()),
                ("streamtype", kind.to_string()),
            ]
        };
        let first = syn_stream(1, &headers("error"), true);
        let second = syn_stream(3, &headers("data"), false);
        let mut z = flate2::Decompress::new(true);
        let mut inflate = |block: &[u8]| {
            let mut out = vec![0u8; 256];
            let before = z.total_out();
            z.decompress(block, &mut out, flate2::FlushDecompress::Sync)
                .expect("inflate");
            out.truncate((z.total_out() - before) as usize);
            out
        };
        let one = inflate(&first[18..]);
        let two = inflate(&second[18..]);
        assert_eq!(&one[..4], &[0, 0, 0, 3]);
        assert!(one.ends_with(b"streamtype\x00\x00\x00\x05error"), "{one:?}");
        assert!(two.ends_with(b"streamtype\x00\x00\x00\x04data"), "{two:?}");
    }

    #[test]
    fn frames_are_read_when_whole() {
        let frame = data_frame(3, true, b"hi");
        assert_eq!(parse(&frame[..5]), Ok(None));
        let Ok(Some((control, id, flags, data, used))) = parse(&frame) else {
            panic!("no frame");
        };
        assert_eq!(
            (control, id, flags, data.as_slice(), used),
            (false, 3, 1, &b"hi"[..], 10)
        );
    }
}
