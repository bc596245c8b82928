//! Command-line words as etcdctl takes them: byte strings. Go's etcdctl stores
//! `etcdctl put $'/k\xff' v` under the key bytes `/k` 0xff; Rust's `String` cannot hold
//! that byte. At the edge each byte that is not part of valid UTF-8 becomes one character
//! of a private-use block (U+F780 + byte, the escape scheme Python calls surrogateescape),
//! and `bytes` turns such characters back into the bytes they stand for when a word becomes
//! a key or a value. Valid UTF-8 words pass through unchanged.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// The first of the 256 characters standing for raw bytes.
const ESCAPE_BASE: u32 = 0xF780;

/// A command-line word as a `String`, its invalid bytes escaped.
pub fn word(arg: &OsStr) -> String {
    let mut out = String::with_capacity(arg.len());
    for chunk in arg.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push(char::from_u32(ESCAPE_BASE + u32::from(*b)).unwrap_or('\u{FFFD}'));
        }
    }
    out
}

/// The bytes a word stands for: escaped raw bytes restored.
pub fn bytes(word: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(word.len());
    for c in word.chars() {
        match (c as u32).checked_sub(ESCAPE_BASE) {
            Some(b) if b < 0x100 => out.push(b as u8),
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    #[test]
    fn raw_bytes_survive_the_round_trip() {
        for raw in [
            &b"/k\xff"[..],
            b"plain",
            b"\xc3\x28 \x80\xfe\xff",
            "ü/é".as_bytes(),
            b"",
        ] {
            let arg = OsString::from_vec(raw.to_vec());
            assert_eq!(bytes(&word(&arg)), raw, "{raw:?}");
        }
        assert_eq!(word(OsStr::new("/registry/pods")), "/registry/pods");
    }
}
