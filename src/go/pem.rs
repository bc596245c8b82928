//! Go's `encoding/pem` decoder: which blocks a PEM text holds as Go finds them (a block
//! anywhere in the text, malformed blocks skipped), so CA bundles are judged as kube judges
//! them.

/// One decoded block.
pub struct Block {
    pub label: String,
    /// Whether the block carried `Key: value` headers (kube skips such certificates).
    pub has_headers: bool,
    pub bytes: Vec<u8>,
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"\n-----END ";
const DASHES: &[u8] = b"-----";

/// A line without its newline and trailing spaces, tabs or CR; and what follows it.
fn line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut l, rest) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[data.len()..]),
    };
    while let [head @ .., b' ' | b'\t' | b'\r'] = l {
        l = head;
    }
    (l, rest)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The first well-formed block of `data` and the text after it; None when there is none
/// (Go's `pem.Decode` returning a nil block).
pub fn decode(data: &[u8]) -> Option<(Block, &[u8])> {
    let mut rest = data;
    loop {
        // A block starts at the very beginning or after a newline.
        rest = if rest.starts_with(BEGIN) {
            &rest[BEGIN.len()..]
        } else {
            let at = find(rest, b"\n-----BEGIN ")?;
            &rest[at + 1 + BEGIN.len()..]
        };
        let (type_line, mut body) = line(rest);
        rest = body;
        let Some(label) = type_line.strip_suffix(DASHES) else {
            continue;
        };
        let mut has_headers = false;
        loop {
            if body.is_empty() {
                return None;
            }
            let (l, next) = line(body);
            if !l.contains(&b':') {
                break;
            }
            has_headers = true;
            body = next;
        }
        let (end_at, trailer_at) = if !has_headers && body.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            match find(body, END) {
                Some(i) => (i, i + END.len()),
                None => continue,
            }
        };
        let trailer = &body[trailer_at..];
        let want = label.len() + DASHES.len();
        if trailer.len() < want
            || !trailer[..want].starts_with(label)
            || !trailer[..want].ends_with(DASHES)
            || !line(&trailer[want..]).0.is_empty()
        {
            continue;
        }
        let text: Vec<u8> = body[..end_at]
            .iter()
            .copied()
            .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .collect();
        use base64::Engine;
        let Ok(bytes) = super::base64::STD.decode(&text) else {
            continue;
        };
        let (_, after) = line(&body[end_at + END.len() - 1..]);
        return Some((
            Block {
                label: String::from_utf8_lossy(label).into_owned(),
                has_headers,
                bytes,
            },
            after,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_as_go_finds_them() {
        let text = b"junk\n-----BEGIN THING-----\nAQID\n-----END THING-----\ntail";
        let (block, rest) = decode(text).unwrap();
        assert_eq!(
            (block.label.as_str(), block.bytes, block.has_headers),
            ("THING", vec![1, 2, 3], false)
        );
        assert_eq!(rest, b"tail");
        // Headers, a mismatched end, bad base64, no block at all.
        let (h, _) = decode(b"-----BEGIN A-----\nProc-Type: 4\n\nAQID\n-----END A-----\n").unwrap();
        assert!(h.has_headers);
        assert!(decode(b"-----BEGIN A-----\nAQID\n-----END B-----\n").is_none());
        assert!(decode(b"-----BEGIN A-----\n!!!!\n-----END A-----\n").is_none());
        assert!(decode(b"\n").is_none());
        // A malformed block is skipped for the next one.
        let two =
            b"-----BEGIN A-----\n!!\n-----END A-----\n-----BEGIN B-----\nAQID\n-----END B-----\n";
        assert_eq!(decode(two).unwrap().0.label, "B");
    }
}
