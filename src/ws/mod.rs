//! WebSocket (RFC 6455) pieces both sides of exec share, below both so the client does not
//! reach up into the server: the handshake's accept key, which serve's upgrade answers with
//! and the remote client checks, and the client's socket on a connection whose upgrade it
//! did itself (`client/remote_exec.rs`). The framing is tungstenite's on both sides (serve's
//! in `server/exec/session.rs`).

use base64::Engine;
use std::io::{Read, Write};
use tungstenite::error::ProtocolError;
use tungstenite::protocol::{Role, WebSocketConfig};

pub use tungstenite::{Error, Message, WebSocket};

/// Appended to the client's key before hashing (RFC 6455 section 1.3).
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/// Server frames and messages larger than this end the connection (serve sends at most
/// 32 KiB at a time, kube-apiserver about as much).
pub const MAX_SERVER_MESSAGE: usize = 1024 * 1024;

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> String {
    // The protocol fixes SHA-1 here; it protects nothing.
    let hash = ring::digest::digest(
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        format!("{}{GUID}", key.trim()).as_bytes(),
    );
    base64::engine::general_purpose::STANDARD.encode(hash)
}

/// The client's end of the WebSocket on `stream`, whose 101 reply has been read: `rest` is
/// what came after the reply's head (the first frames, if the server was quick). Frames
/// go out masked and server frames must not be; pings and the close are answered.
pub fn client<S: Read + Write>(stream: S, rest: Vec<u8>) -> WebSocket<S> {
    let config = WebSocketConfig::default()
        .max_frame_size(Some(MAX_SERVER_MESSAGE))
        .max_message_size(Some(MAX_SERVER_MESSAGE));
    WebSocket::from_partially_read(stream, rest, Role::Client, Some(config))
}

/// Whether `e` is the server ending the connection, after the closing handshake or without
/// one: either way the session is over, and the Status (if it came) says how it went.
pub fn is_end(e: &Error) -> bool {
    matches!(
        e,
        Error::ConnectionClosed
            | Error::AlreadyClosed
            | Error::Protocol(ProtocolError::ResetWithoutClosingHandshake)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A connection whose server side wrote `input` (handed out `step` bytes per read) and
    /// which keeps what the client writes.
    struct Wire {
        input: Cursor<Vec<u8>>,
        step: usize,
        written: Vec<u8>,
    }

    impl Read for Wire {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.step);
            self.input.read(&mut buf[..n])
        }
    }

    impl Write for Wire {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn wire(input: &[u8], step: usize) -> Wire {
        Wire {
            input: Cursor::new(input.to_vec()),
            step,
            written: Vec::new(),
        }
    }

    #[test]
    fn accept_key_matches_the_rfc_example() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn server_frames_are_read_across_the_head_and_in_pieces() {
        // A binary frame on channel 1, a ping, a close 1000; the first 3 bytes came with
        // the 101's head.
        let mut server = b"\x82\x03\x01hi\x89\x02ok".to_vec();
        server.extend_from_slice(b"\x88\x02\x03\xe8");
        let (rest, later) = server.split_at(3);
        let mut ws = client(wire(later, 1), rest.to_vec());
        assert_eq!(ws.read().ok(), Some(Message::binary(b"\x01hi".to_vec())));
        assert_eq!(ws.read().ok(), Some(Message::Ping(b"ok".to_vec().into())));
        assert!(matches!(ws.read(), Ok(Message::Close(Some(_)))));
        assert!(ws.flush().is_ok());
        // What the client wrote back: a masked pong, then a masked close 1000.
        let back = &ws.get_ref().written;
        assert_eq!(&back[..2], &[0x8a, 0x80 | 2]);
        let mask = &back[2..6];
        assert_eq!(&[back[6] ^ mask[0], back[7] ^ mask[1]], b"ok");
        assert_eq!(&back[8..10], &[0x88, 0x80 | 2]);
    }

    #[test]
    fn client_frames_are_masked() {
        let mut ws = client(wire(b"", 1), Vec::new());
        assert!(ws.send(Message::binary(b"\x00hi".to_vec())).is_ok());
        let out = &ws.get_ref().written;
        assert_eq!(&out[..2], &[0x82, 0x80 | 3]);
        let unmasked: Vec<u8> = out[6..]
            .iter()
            .enumerate()
            .map(|(i, b)| b ^ out[2 + i % 4])
            .collect();
        assert_eq!(unmasked, b"\x00hi");
    }

    #[test]
    fn masked_or_oversize_server_frames_and_a_cut_connection_are_errors() {
        let masked = b"\x82\x81\x01\x02\x03\x04\x79";
        assert!(client(wire(masked, 64), Vec::new()).read().is_err());
        let mut big = vec![0x82, 127];
        big.extend_from_slice(&((MAX_SERVER_MESSAGE as u64) + 1).to_be_bytes());
        assert!(client(wire(&big, 64), Vec::new()).read().is_err());
        let cut = b"\x82\x05\x01h";
        let mut ws = client(wire(cut, 64), Vec::new());
        assert!(ws.read().is_err_and(|e| is_end(&e)));
    }
}
