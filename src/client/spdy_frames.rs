//! The SPDY/3 frames port-forward reads from the server: bytes off the network, so each
//! length is checked before it is used, and what is kept of a stream is bounded.

/// The largest frame taken (a frame's length field has 24 bits: 16 MiB less one byte).
pub const MAX_FRAME: usize = 16 * 1024 * 1024;
/// How much of an error stream's text is kept: the kubelet says one line; a server that
/// never ends the stream must not grow the client without end.
pub const MAX_ERROR: usize = 64 * 1024;

/// One SPDY frame: control bit, type (control) or stream (data), flags, data, and how
/// many bytes it took.
pub type Parsed = (bool, u32, u8, Vec<u8>, usize);

/// The first frame of `buf`, once it is whole.
pub fn parse(buf: &[u8]) -> Result<Option<Parsed>, String> {
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

/// Adds an error stream's data to its message, up to `MAX_ERROR` bytes.
pub fn append_error(message: &mut Vec<u8>, data: &[u8]) {
    let room = MAX_ERROR.saturating_sub(message.len());
    message.extend_from_slice(&data[..data.len().min(room)]);
}

/// The stream a RST_STREAM frame's data names (0 when it is too short to name one).
pub fn reset_stream(data: &[u8]) -> u32 {
    data.get(..4).map_or(0, |b| {
        u32::from_be_bytes([b[0], b[1], b[2], b[3]]) & 0x7fff_ffff
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_stream_that_never_ends_is_kept_to_its_bound() {
        let mut message = Vec::new();
        for _ in 0..100 {
            append_error(&mut message, &[b'x'; 4096]);
        }
        assert_eq!(message.len(), MAX_ERROR);
        let mut short = b"error: ".to_vec();
        append_error(&mut short, b"port 80 refused");
        assert_eq!(short, b"error: port 80 refused");
    }

    #[test]
    fn a_reset_names_its_stream_when_it_can() {
        assert_eq!(reset_stream(&[0x80, 0, 0, 3, 0, 0, 0, 1]), 3);
        assert_eq!(reset_stream(&[0, 0]), 0);
    }
}
