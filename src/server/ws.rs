//! The server's half of WebSocket (RFC 6455), as much as `pods/exec` needs: the handshake's
//! accept key, unmasked server frames, and reading the client's masked frames.

use base64::Engine;

/// Appended to the client's key before hashing (RFC 6455 section 1.3).
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/// Client frames larger than this end the connection: exec reads only control frames and
/// small stdin/resize messages.
const MAX_CLIENT_FRAME: u64 = 1024 * 1024;

pub const OP_TEXT: u8 = 1;
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

/// One whole (FIN) server frame; servers never mask.
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

/// A close frame with its status code (1000: normal closure).
pub fn close_frame(code: u16) -> Vec<u8> {
    frame(OP_CLOSE, &code.to_be_bytes())
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

/// Reads the first frame of `buf`: `Ok(None)` while it is incomplete, else the frame and
/// how many bytes it took. Errors are protocol violations that end the connection.
pub fn parse_frame(buf: &[u8]) -> Result<Option<(ClientFrame, usize)>, String> {
    parse(buf, true)
}

/// [`parse_frame`] for the client's side: server frames are never masked.
pub fn parse_server_frame(buf: &[u8]) -> Result<Option<(ClientFrame, usize)>, String> {
    parse(buf, false)
}

fn parse(buf: &[u8], from_client: bool) -> Result<Option<(ClientFrame, usize)>, String> {
    let [b0, b1, ..] = buf else {
        return Ok(None);
    };
    let opcode = b0 & 0x0f;
    let masked = b1 & 0x80 != 0;
    if masked != from_client {
        return Err(if from_client {
            "client frames must be masked".to_string()
        } else {
            "server frames must not be masked".to_string()
        });
    }
    let (len, mut at) = match b1 & 0x7f {
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
    if len > MAX_CLIENT_FRAME {
        return Err(format!("a client frame of {len} bytes is too large"));
    }
    let mut mask = [0u8; 4];
    if masked {
        let Some(m) = buf.get(at..at + 4) else {
            return Ok(None);
        };
        mask.copy_from_slice(m);
        at += 4;
    }
    let end = at + len as usize;
    let Some(data) = buf.get(at..end) else {
        return Ok(None);
    };
    let payload = data
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ mask[i % 4])
        .collect();
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
    fn server_frames_carry_their_length() {
        assert_eq!(frame(OP_BINARY, b"\x01hi"), b"\x82\x03\x01hi");
        let long = frame(OP_BINARY, &[7u8; 300]);
        assert_eq!(&long[..4], &[0x82, 126, 1, 44]);
        assert_eq!(long.len(), 304);
        let huge = frame(OP_BINARY, &[0u8; 70_000]);
        assert_eq!(&huge[..2], &[0x82, 127]);
        assert_eq!(&huge[2..10], &70_000u64.to_be_bytes());
        assert_eq!(close_frame(1000), b"\x88\x02\x03\xe8");
    }

    fn masked(opcode: u8, payload: &[u8]) -> Vec<u8> {
        let mask = [0x11, 0x22, 0x33, 0x44];
        let mut out = vec![0x80 | opcode, 0x80 | payload.len() as u8];
        out.extend_from_slice(&mask);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        out
    }

    #[test]
    fn masked_frames_are_written_as_clients_must() {
        assert_eq!(
            masked_frame(OP_PING, b"hi", [0x11, 0x22, 0x33, 0x44]),
            masked(OP_PING, b"hi")
        );
        let long = masked_frame(OP_BINARY, &[5u8; 200], [1, 2, 3, 4]);
        let (f, used) = parse_frame(&long)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no frame"));
        assert_eq!((f.payload, used), (vec![5u8; 200], long.len()));
        assert!(parse_server_frame(&long).is_err());
        let plain = frame(OP_BINARY, b"\x01x");
        let (f, _) = parse_server_frame(&plain)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("none"));
        assert_eq!(f.payload, b"\x01x");
    }

    #[test]
    fn client_frames_are_unmasked_and_may_arrive_in_pieces() {
        let mut wire = masked(OP_PING, b"are you there");
        wire.extend(masked(OP_CLOSE, b"\x03\xe8"));
        for cut in 0..6 {
            assert_eq!(parse_frame(&wire[..cut]), Ok(None), "cut at {cut}");
        }
        let (first, used) = parse_frame(&wire).ok().flatten().unwrap_or_else(|| {
            panic!("no frame in {wire:?}");
        });
        assert_eq!(first.opcode, OP_PING);
        assert_eq!(first.payload, b"are you there");
        let (second, _) = parse_frame(&wire[used..])
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no second frame"));
        assert_eq!(
            (second.opcode, second.payload),
            (OP_CLOSE, b"\x03\xe8".to_vec())
        );
    }

    #[test]
    fn unmasked_or_oversize_client_frames_are_errors() {
        assert!(parse_frame(b"\x82\x01x").is_err());
        let mut big = vec![0x82, 0x80 | 127];
        big.extend_from_slice(&(u64::MAX).to_be_bytes());
        assert!(parse_frame(&big).is_err());
    }
}
