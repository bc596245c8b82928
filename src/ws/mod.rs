//! The handshake's accept key (RFC 6455), which serve's upgrade answers with; and the
//! client's half of WebSocket framing that `client/remote_exec.rs` still writes by hand
//! (masked client frames, reading unmasked server frames). Serve's own framing is
//! tungstenite's (`server/exec/session.rs`). Below both, so the client does not reach up
//! into the server for it.

use base64::Engine;

/// Appended to the client's key before hashing (RFC 6455 section 1.3).
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/// Server frames larger than this end the connection (serve sends at most 32 KiB).
const MAX_FRAME: u64 = 1024 * 1024;

pub const OP_BINARY: u8 = 2;
pub const OP_CLOSE: u8 = 8;
pub const OP_PING: u8 = 9;
pub const OP_PONG: u8 = 10;

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> String {
    // The protocol fixes SHA-1 here; it protects nothing.
    let hash = ring::digest::digest(
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        format!("{}{GUID}", key.trim()).as_bytes(),
    );
    base64::engine::general_purpose::STANDARD.encode(hash)
}

/// One whole (FIN) unmasked frame, as a server sends it.
pub fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(0x80 | (opcode & 0x0f));
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n <= u16::MAX as usize => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

/// A client frame: masked with `mask`, as RFC 6455 requires of clients.
pub fn masked_frame(opcode: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
    let mut out = frame(opcode, payload);
    let at = out.len() - payload.len();
    out[1] |= 0x80;
    for (i, b) in out[at..].iter_mut().enumerate() {
        *b ^= mask[i % 4];
    }
    out.splice(at..at, mask);
    out
}

/// A frame read from the other side, unmasked.
#[derive(Debug, PartialEq)]
pub struct ClientFrame {
    pub opcode: u8,
    pub payload: Vec<u8>,
}

/// Reads the first server frame of `buf`: `Ok(None)` while it is incomplete, else the
/// frame and how many bytes it took. Errors are protocol violations that end the
/// connection.
pub fn parse_server_frame(buf: &[u8]) -> Result<Option<(ClientFrame, usize)>, String> {
    let [b0, b1, ..] = buf else {
        return Ok(None);
    };
    let opcode = b0 & 0x0f;
    if b1 & 0x80 != 0 {
        return Err("server frames must not be masked".to_string());
    }
    let (len, at) = match b1 & 0x7f {
        126 => match buf.get(2..4) {
            Some(b) => (u64::from(u16::from_be_bytes([b[0], b[1]])), 4),
            None => return Ok(None),
        },
        127 => match buf.get(2..10).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
            Some(b) => (u64::from_be_bytes(b), 10),
            None => return Ok(None),
        },
        n => (u64::from(n), 2),
    };
    if len > MAX_FRAME {
        return Err(format!("a server frame of {len} bytes is too large"));
    }
    let end = at + len as usize;
    let Some(data) = buf.get(at..end) else {
        return Ok(None);
    };
    let payload = data.to_vec();
    Ok(Some((ClientFrame { opcode, payload }, end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_key_matches_the_rfc_example() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn frames_carry_their_length() {
        assert_eq!(frame(OP_BINARY, b"\x01hi"), b"\x82\x03\x01hi");
        let long = frame(OP_BINARY, &[7u8; 300]);
        assert_eq!(&long[..4], &[0x82, 126, 1, 44]);
        assert_eq!(long.len(), 304);
        let huge = frame(OP_BINARY, &[0u8; 70_000]);
        assert_eq!(&huge[..2], &[0x82, 127]);
        assert_eq!(&huge[2..10], &70_000u64.to_be_bytes());
    }

    #[test]
    fn masked_frames_are_written_as_clients_must() {
        let mask = [0x11, 0x22, 0x33, 0x44];
        let mut want = vec![0x80 | OP_PING, 0x80 | 2];
        want.extend_from_slice(&mask);
        want.extend([b'h' ^ 0x11, b'i' ^ 0x22]);
        assert_eq!(masked_frame(OP_PING, b"hi", mask), want);
        let long = masked_frame(OP_BINARY, &[5u8; 200], [1, 2, 3, 4]);
        assert_eq!(&long[..8], &[0x82, 0x80 | 126, 0, 200, 1, 2, 3, 4]);
        assert_eq!(long[8..], [4u8, 7, 6, 1].repeat(50));
    }

    #[test]
    fn server_frames_may_arrive_in_pieces() {
        let mut wire = frame(OP_PING, b"are you there");
        wire.extend(frame(OP_CLOSE, b"\x03\xe8"));
        for cut in 0..15 {
            assert_eq!(parse_server_frame(&wire[..cut]), Ok(None), "cut at {cut}");
        }
        let (first, used) = parse_server_frame(&wire)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no frame in {wire:?}"));
        assert_eq!(first.opcode, OP_PING);
        assert_eq!(first.payload, b"are you there");
        let (second, _) = parse_server_frame(&wire[used..])
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no second frame"));
        assert_eq!(
            (second.opcode, second.payload),
            (OP_CLOSE, b"\x03\xe8".to_vec())
        );
    }

    #[test]
    fn masked_or_oversize_server_frames_are_errors() {
        assert!(parse_server_frame(&masked_frame(OP_BINARY, b"x", [1, 2, 3, 4])).is_err());
        let mut big = vec![0x82, 127];
        big.extend_from_slice(&(u64::MAX).to_be_bytes());
        assert!(parse_server_frame(&big).is_err());
    }
}
