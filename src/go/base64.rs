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
}
