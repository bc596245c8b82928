//! Go's `encoding/base64`, as the `base64` crate's engines: how kube and etcd write bytes
//! in JSON (`[]byte`), and how leniently each reader takes them back.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// `base64.StdEncoding`: padded; decoding needs the padding and, as Go, allows stray low
/// bits in the last symbol.
pub const STD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// `STD` that also reads unpadded text (etcd's gateway and etcdctl take both).
pub const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Go's `base64.StdEncoding.DecodeString`, which `encoding/json` uses for a `[]byte` field:
/// line breaks anywhere are skipped, padding is required, and bad input fails at the
/// offset Go's `CorruptInputError` names.
pub fn decode_std(src: &[u8]) -> Result<Vec<u8>, usize> {
    let skip_breaks = |mut at: usize| {
        while at < src.len() && matches!(src[at], b'\n' | b'\r') {
            at += 1;
        }
        at
    };
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    // One quantum of four symbols at a time, as Go's decodeQuantum.
    while si < src.len() {
        let mut quantum = [0u8; 4];
        let mut len = 4;
        let mut trailing = None;
        let mut j = 0;
        while j < 4 {
            let Some(&c) = src.get(si) else {
                return if j == 0 { Ok(out) } else { Err(si - j) };
            };
            si += 1;
            if let Some(v) = symbol(c) {
                quantum[j] = v;
                j += 1;
                continue;
            }
            if matches!(c, b'\n' | b'\r') {
                continue;
            }
            // Padding ends the text: after two or three symbols only.
            if c != b'=' || j < 2 {
                return Err(si - 1);
            }
            if j == 2 {
                si = skip_breaks(si);
                match src.get(si) {
                    None => return Err(src.len()),
                    Some(b'=') => si += 1,
                    Some(_) => return Err(si - 1),
                }
            }
            si = skip_breaks(si);
            if si < src.len() {
                trailing = Some(si);
            }
            len = j;
            break;
        }
        let v = quantum
            .iter()
            .fold(0u32, |acc, &q| (acc << 6) | u32::from(q));
        out.extend_from_slice(&v.to_be_bytes()[1..len]);
        if let Some(at) = trailing {
            return Err(at);
        }
    }
    Ok(out)
}

/// A symbol's value in the standard alphabet.
fn symbol(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Go's words for base64 `decode_std` refused at `at`.
pub fn corrupt_input(at: usize) -> String {
    format!("illegal base64 data at input byte {at}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn encodes_and_reads_back_as_go() {
        for (raw, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
        ] {
            assert_eq!(STD.encode(raw), text);
            assert_eq!(STD.decode(text).as_deref(), Ok(raw));
            assert_eq!(
                LENIENT.decode(text.trim_end_matches('=')).as_deref(),
                Ok(raw)
            );
        }
        assert!(STD.decode("Zg").is_err());
        assert!(LENIENT.decode("a*").is_err());
    }

    #[test]
    fn decode_std_fails_where_go_fails() {
        for (text, raw) in [
            ("", &b""[..]),
            ("Zg==", b"f"),
            ("Zm8=", b"fo"),
            ("Zm9vYmFy", b"foobar"),
            ("Zm9v\nYmFy\r\n", b"foobar"),
            ("Zm\n8=", b"fo"),
            ("Zg=\n=", b"f"),
            // Stray low bits in the last symbol are allowed.
            ("Zh==", b"f"),
        ] {
            assert_eq!(decode_std(text.as_bytes()).as_deref(), Ok(raw), "{text:?}");
        }
        // Offsets as Go's CorruptInputError gives them (checked against its decodeQuantum).
        for (text, at) in [
            ("Zm9v!mFy", 4),
            ("Zg", 0),
            ("Zm9vY", 4),
            ("Zm9vYm", 4),
            ("Zm9vYmE", 4),
            ("Zg=", 3),
            ("Zg=x", 2),
            ("=", 0),
            ("Z===", 1),
            ("Zg==Zg==", 4),
            ("Zm8=\nx", 5),
            ("not base64", 3),
        ] {
            assert_eq!(decode_std(text.as_bytes()), Err(at), "{text:?}");
        }
        assert_eq!(corrupt_input(4), "illegal base64 data at input byte 4");
    }
}
