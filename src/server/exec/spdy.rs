//! `pods/exec` over SPDY/3.1, subprotocol `v4.channel.k8s.io`, as kubectl 1.29 and older
//! speak it (and 1.30+ when told not to use WebSocket). The client opens one SPDY stream
//! per channel, in a fixed order that the request's flags decide: error, stdin, stdout,
//! stderr (not under a tty), resize (only under a tty). Each gets a SYN_REPLY; output goes
//! as DATA frames on the stdout/stderr streams, the Status on the error stream, then every
//! stream the server writes is finished (FIN).
//!
//! Header blocks are zlib streams with SPDY's preset dictionary. The server needs no
//! header from the client (the order names the streams) and sends only empty header
//! blocks, which it writes as stored (uncompressed) deflate blocks; the first names the
//! dictionary by the Adler-32 id the client's own first block carries.

use super::session::{Out, StdinFeed, Streams};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc::UnboundedReceiver;

const VERSION: u16 = 3;
const SYN_STREAM: u16 = 1;
const SYN_REPLY: u16 = 2;
const RST_STREAM: u16 = 3;
const PING: u16 = 6;
const GOAWAY: u16 = 7;
const WINDOW_UPDATE: u16 = 9;
const FLAG_FIN: u8 = 1;
/// Data frames the server writes stay below this.
const CHUNK: usize = 32 * 1024;
/// A client frame larger than this ends the session (the length field allows 16 MiB).
const MAX_FRAME: usize = 1024 * 1024;
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// One frame read from the client.
#[derive(Debug, PartialEq)]
pub enum Frame {
    Control {
        kind: u16,
        flags: u8,
        data: Vec<u8>,
    },
    Data {
        stream: u32,
        flags: u8,
        data: Vec<u8>,
    },
}

/// Reads the first frame of `buf`: `Ok(None)` while it is incomplete.
pub fn parse_frame(buf: &[u8]) -> Result<Option<(Frame, usize)>, String> {
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
    let flags = head[4];
    let frame = if head[0] & 0x80 != 0 {
        let version = u16::from_be_bytes([head[0] & 0x7f, head[1]]);
        if version != VERSION {
            return Err(format!("SPDY version {version} is not 3"));
        }
        Frame::Control {
            kind: u16::from_be_bytes([head[2], head[3]]),
            flags,
            data: data.to_vec(),
        }
    } else {
        Frame::Data {
            stream: stream_id(head),
            flags,
            data: data.to_vec(),
        }
    };
    Ok(Some((frame, 8 + length)))
}

fn stream_id(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0] & 0x7f, b[1], b[2], b[3]])
}

fn control(kind: u16, flags: u8, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + data.len());
    out.extend_from_slice(&(0x8000 | VERSION).to_be_bytes());
    out.extend_from_slice(&kind.to_be_bytes());
    out.push(flags);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes()[1..]);
    out.extend_from_slice(data);
    out
}

/// DATA frames carrying `data` on `stream` (one empty frame when `data` is empty).
pub fn data_frames(stream: u32, data: &[u8], fin: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    let mut chunks: Vec<&[u8]> = data.chunks(CHUNK).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    let last = chunks.len() - 1;
    for (i, chunk) in chunks.into_iter().enumerate() {
        out.extend_from_slice(&(stream & 0x7fff_ffff).to_be_bytes());
        out.push(if fin && i == last { FLAG_FIN } else { 0 });
        out.extend_from_slice(&(chunk.len() as u32).to_be_bytes()[1..]);
        out.extend_from_slice(chunk);
    }
    out
}

/// A SYN_REPLY with no headers. `zlib_header` starts the zlib stream on the first reply
/// (later ones continue it): the client's own, which names the preset dictionary.
pub fn syn_reply(stream: u32, zlib_header: &[u8]) -> Vec<u8> {
    let mut data = stream.to_be_bytes().to_vec();
    data.extend_from_slice(zlib_header);
    // A stored, non-final deflate block holding the block's 4 bytes (zero header pairs),
    // then an empty stored block, as a sync flush ends: an inflater hands its output over
    // at that mark, without reading on into the next frame.
    data.extend_from_slice(&[0x00, 0x04, 0x00, 0xfb, 0xff, 0, 0, 0, 0]);
    data.extend_from_slice(&[0x00, 0x00, 0x00, 0xff, 0xff]);
    control(SYN_REPLY, 0, &data)
}

/// The streams the client will open, in order, as the channels they carry.
pub fn expected_channels(streams: Streams) -> Vec<u8> {
    let mut channels = vec![super::session::STATUS];
    if streams.stdin {
        channels.push(super::session::STDIN);
    }
    if streams.stdout {
        channels.push(super::session::STDOUT);
    }
    if streams.stderr && !streams.tty {
        channels.push(super::session::STDERR);
    }
    if streams.tty {
        channels.push(super::session::RESIZE);
    }
    channels
}

/// Runs the session on the upgraded connection.
pub async fn run<S>(io: S, feed: StdinFeed, mut out: UnboundedReceiver<Out>, streams: Streams)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + 'static,
{
    let (read_half, mut write_half) = tokio::io::split(io);
    let expected = expected_channels(streams);
    let client = tokio::spawn(read_client(read_half, feed, expected.clone()));
    let mut routes: Vec<(u8, u32)> = Vec::new();
    // Output waits until the client has opened every stream (it names them in order).
    let mut held: Vec<Out> = Vec::new();
    let mut finished = false;
    while let Some(event) = out.recv().await {
        let ready = routes.len() == expected.len();
        let events = match event {
            Out::Route(channel, id) => {
                routes.push((channel, id));
                if routes.len() == expected.len() {
                    std::mem::take(&mut held)
                } else {
                    continue;
                }
            }
            Out::Raw(bytes) => {
                if write_half.write_all(&bytes).await.is_err() || write_half.flush().await.is_err()
                {
                    break;
                }
                continue;
            }
            Out::ClientGone if !ready => break,
            e @ (Out::Data(..) | Out::Done(_)) if !ready => {
                held.push(e);
                continue;
            }
            e => vec![e],
        };
        for event in events {
            let stream = |channel: u8| routes.iter().find(|(c, _)| *c == channel).map(|r| r.1);
            let bytes = match event {
                Out::Data(channel, data) => match stream(channel) {
                    Some(id) => data_frames(id, &data, false),
                    None => continue,
                },
                Out::Done(status) => {
                    let body = serde_json::to_vec(&status).unwrap_or_default();
                    let mut b = Vec::new();
                    if let Some(id) = stream(super::session::STATUS) {
                        b.extend(data_frames(id, &body, true));
                    }
                    for channel in [super::session::STDOUT, super::session::STDERR] {
                        if let Some(id) = stream(channel) {
                            b.extend(data_frames(id, &[], true));
                        }
                    }
                    finished = true;
                    b
                }
                _ => continue,
            };
            if write_half.write_all(&bytes).await.is_err() || write_half.flush().await.is_err() {
                client.abort();
                return;
            }
            if finished {
                break;
            }
        }
        if finished {
            break;
        }
    }
    if finished {
        // The client closes once it has read its streams; pings are still answered.
        let deadline = tokio::time::Instant::now() + CLOSE_WAIT;
        while let Ok(Some(event)) = tokio::time::timeout_at(deadline, out.recv()).await {
            let bytes = match event {
                Out::Raw(bytes) => bytes,
                Out::ClientGone => break,
                _ => continue,
            };
            if write_half.write_all(&bytes).await.is_err() || write_half.flush().await.is_err() {
                break;
            }
        }
    }
    client.abort();
    let _ = write_half.shutdown().await;
}

/// Reads the client's frames: stream openings (answered and routed by their order), stdin
/// data and its end, pings, and the end of the session.
async fn read_client<R>(mut io: R, mut feed: StdinFeed, expected: Vec<u8>)
where
    R: tokio::io::AsyncRead + Unpin,
{
    let mut buf = Vec::new();
    let mut read = [0u8; 8192];
    let mut opened = 0usize;
    let mut stdin_stream = None;
    'frames: loop {
        loop {
            let (frame, used) = match parse_frame(&buf) {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => break 'frames,
            };
            buf.drain(..used);
            match frame {
                Frame::Control {
                    kind: SYN_STREAM,
                    data,
                    ..
                } if data.len() >= 10 => {
                    let id = stream_id(&data);
                    let header = if opened == 0 {
                        zlib_header(&data[10..])
                    } else {
                        &[]
                    };
                    feed.send(Out::Raw(syn_reply(id, header)));
                    if let Some(&channel) = expected.get(opened) {
                        if channel == super::session::STDIN {
                            stdin_stream = Some(id);
                        }
                        feed.send(Out::Route(channel, id));
                    }
                    opened += 1;
                }
                Frame::Control {
                    kind: PING, data, ..
                } => feed.send(Out::Raw(control(PING, 0, &data))),
                Frame::Control { kind: GOAWAY, .. } => break 'frames,
                Frame::Control {
                    kind: RST_STREAM,
                    data,
                    ..
                } if data.len() >= 4 && Some(stream_id(&data)) == stdin_stream => feed.close(),
                Frame::Control { .. } => {}
                Frame::Data {
                    stream,
                    flags,
                    data,
                } if Some(stream) == stdin_stream => {
                    if !data.is_empty() {
                        // Give the window back, so a long stdin keeps flowing.
                        let mut update = stream.to_be_bytes().to_vec();
                        update.extend_from_slice(&(data.len() as u32).to_be_bytes());
                        feed.send(Out::Raw(control(WINDOW_UPDATE, 0, &update)));
                        feed.data(&data).await;
                    }
                    if flags & FLAG_FIN != 0 {
                        feed.close();
                    }
                }
                // Resizes: a simulated program draws nothing, so no size is kept.
                Frame::Data { .. } => {}
            }
        }
        match io.read(&mut read).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&read[..n]),
        }
    }
    feed.client_gone();
}

/// The zlib header at the start of the client's first header block: CMF and FLG, and the
/// preset dictionary's Adler-32 when FLG says there is one (SPDY's always is). The
/// server's stream starts with the same header, so it names the same dictionary.
fn zlib_header(block: &[u8]) -> &[u8] {
    let len = match block.get(1) {
        Some(flg) if flg & 0x20 != 0 => 6,
        _ => 2,
    };
    block.get(..len).unwrap_or(&[0x78, 0x01])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_arrive_in_pieces() {
        let ping = control(PING, 0, &[0, 0, 0, 1]);
        assert_eq!(ping, [0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1]);
        for cut in 0..ping.len() {
            assert_eq!(parse_frame(&ping[..cut]), Ok(None));
        }
        let data = data_frames(5, b"hi", true);
        assert_eq!(data, [0, 0, 0, 5, 1, 0, 0, 2, b'h', b'i']);
        let mut wire = ping;
        wire.extend(&data);
        let Ok(Some((first, used))) = parse_frame(&wire) else {
            panic!("no frame");
        };
        assert_eq!(
            first,
            Frame::Control {
                kind: PING,
                flags: 0,
                data: vec![0, 0, 0, 1]
            }
        );
        assert_eq!(
            parse_frame(&wire[used..]),
            Ok(Some((
                Frame::Data {
                    stream: 5,
                    flags: FLAG_FIN,
                    data: b"hi".to_vec()
                },
                data.len()
            )))
        );
        assert_eq!(data_frames(7, b"", true), [0, 0, 0, 7, 1, 0, 0, 0]);
        assert_eq!(
            data_frames(1, &[0u8; CHUNK + 1], false).len(),
            CHUNK + 1 + 16
        );
    }

    #[test]
    fn replies_carry_an_empty_stored_header_block() {
        let first = syn_reply(1, zlib_header(&[0x78, 0xbb, 1, 2, 3, 4, 0xaa]));
        assert_eq!(&first[..8], [0x80, 3, 0, 2, 0, 0, 0, 24]);
        assert_eq!(
            &first[8..],
            [
                0, 0, 0, 1, 0x78, 0xbb, 1, 2, 3, 4, 0, 4, 0, 0xfb, 0xff, 0, 0, 0, 0, 0, 0, 0, 0xff,
                0xff
            ]
        );
        assert_eq!(zlib_header(&[0x78, 0x01, 9]), [0x78, 0x01]);
        assert_eq!(zlib_header(&[]), [0x78, 0x01]);
        let next = syn_reply(3, &[]);
        assert_eq!(&next[8..12], [0, 0, 0, 3]);
        assert_eq!(next.len(), 8 + 4 + 9 + 5);
    }

    #[test]
    fn streams_are_expected_in_client_gos_order() {
        let s = |stdin, stderr, tty| Streams {
            stdin,
            stdout: true,
            stderr,
            tty,
        };
        assert_eq!(expected_channels(s(false, true, false)), [3, 1, 2]);
        assert_eq!(expected_channels(s(true, true, false)), [3, 0, 1, 2]);
        assert_eq!(expected_channels(s(true, false, true)), [3, 0, 1, 4]);
    }

    #[test]
    fn oversize_or_wrong_version_frames_are_errors() {
        assert!(parse_frame(&[0x80, 2, 0, 1, 0, 0, 0, 0]).is_err());
        assert!(parse_frame(&[0, 0, 0, 1, 0, 0xff, 0xff, 0xff]).is_err());
    }
}
