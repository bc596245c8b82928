//! Static pod manifests decoded once per process. A one-shot command reads the control-plane
//! node's manifests several times (is the control plane up, where does etcd keep its data,
//! and the kubelet and the gated components at each of its two settles), and decoding the
//! YAML was a few percent of a scenario's commands. Decoding is a function of the path and
//! the bytes alone, so a file read again with the same bytes gives the same answer.

use super::Manifest;
use std::sync::Mutex;

/// How many decoded files are kept: the control-plane node's four, with room for a few more.
const KEPT: usize = 16;
/// Files larger than this are decoded each time (the memo stays small).
const KEPT_BYTES: usize = 64 << 10;

struct Entry {
    path: String,
    bytes: Vec<u8>,
    manifest: Manifest,
}

static MEMO: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// `decode(path, bytes)`, remembered for the same path and bytes.
pub fn decode_once(path: &str, bytes: &[u8], decode: impl FnOnce() -> Manifest) -> Manifest {
    if bytes.len() > KEPT_BYTES {
        return decode();
    }
    let found = |memo: &Vec<Entry>| {
        memo.iter()
            .find(|e| e.path == path && e.bytes == bytes)
            .map(|e| e.manifest.clone())
    };
    if let Some(m) = MEMO.lock().ok().and_then(|memo| found(&memo)) {
        return m;
    }
    let manifest = decode();
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() >= KEPT {
            memo.remove(0);
        }
        memo.push(Entry {
            path: path.to_string(),
            bytes: bytes.to_vec(),
            manifest: manifest.clone(),
        });
    }
    manifest
}

/// Forgets every decoded file (a test's clean start; others just decode again).
#[cfg(test)]
pub fn forget_all() {
    if let Ok(mut memo) = MEMO.lock() {
        memo.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn the_same_bytes_decode_once_and_other_bytes_again() {
        let calls = Cell::new(0);
        let decode = |what: &str| {
            calls.set(calls.get() + 1);
            Manifest::Invalid(what.to_string())
        };
        let path = "/etc/kubernetes/manifests/memo-test.yaml";
        let a = decode_once(path, b"a: 1\n", || decode("one"));
        let b = decode_once(path, b"a: 1\n", || decode("two"));
        assert_eq!(calls.get(), 1);
        assert!(
            matches!((a, b), (Manifest::Invalid(x), Manifest::Invalid(y)) if x == "one" && y == "one")
        );
        let c = decode_once(path, b"a: 2\n", || decode("three"));
        assert_eq!(calls.get(), 2);
        assert!(matches!(c, Manifest::Invalid(x) if x == "three"));
        // Another path with the same bytes is decoded for itself (its errors name it).
        decode_once(
            "/etc/kubernetes/manifests/memo-other.yaml",
            b"a: 1\n",
            || decode("four"),
        );
        assert_eq!(calls.get(), 3);
    }
}
