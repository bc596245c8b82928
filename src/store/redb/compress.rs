//! Values are stored compressed with zstd and a dictionary built into kubelite.
//!
//! Kubernetes objects are small JSON documents (an Event 0.7 KB, a Pod 3 KB) that repeat
//! the same field names and shapes; compressed alone they shrink to a half, with a
//! dictionary of typical objects (`dictionary.json`: a ReplicaSet, a node Lease, a Node,
//! Events and a Pod as kubelite stores them) to a fifth. zstd because its dictionaries are
//! that effective on small inputs and it decompresses at about 1 GB/s (lz4 is faster but
//! has no entropy stage: twice the bytes here; deflate is slower at a similar ratio).
//!
//! The dictionary is part of the store format: the records of a file can only be read with
//! the one they were written with, so changing it means a new format (`schema`).

use std::cell::RefCell;
use std::sync::LazyLock;

use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use crate::store::StoreError;

const DICTIONARY: &[u8] = include_bytes!("dictionary.json");
/// zstd's default level: a 3 KB Pod in about 10 us.
const LEVEL: i32 = 3;
/// Shorter values are stored as they are: too little to gain.
const MIN_LEN: usize = 32;
/// The longest value a record may claim (etcd's limit is 1.5 MiB a request; kubelite's
/// is larger), so that a damaged length cannot ask for all memory.
pub(super) const MAX_VALUE: usize = 256 << 20;

static ENCODER: LazyLock<EncoderDictionary<'static>> =
    LazyLock::new(|| EncoderDictionary::copy(DICTIONARY, LEVEL));
static DECODER: LazyLock<DecoderDictionary<'static>> =
    LazyLock::new(|| DecoderDictionary::copy(DICTIONARY));

thread_local! {
    // zstd contexts are costly to make and not shareable: one of each per thread.
    static COMPRESSOR: RefCell<Option<Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<Decompressor<'static>>> = const { RefCell::new(None) };
}

/// The value compressed, or `None` when that would not make it shorter.
pub(super) fn compress(value: &[u8]) -> Option<Vec<u8>> {
    if value.len() < MIN_LEN {
        return None;
    }
    let out = COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let mut c = Compressor::with_prepared_dictionary(&ENCODER).ok()?;
            // The record keeps the length: the frame need not.
            c.set_parameter(zstd::zstd_safe::CParameter::ContentSizeFlag(false))
                .ok()?;
            *cell = Some(c);
        }
        cell.as_mut()?.compress(value).ok()
    })?;
    (out.len() < value.len()).then_some(out)
}

/// Makes this thread's compressor and decompressor now (and the dictionaries they are made
/// from): a process forked from this thread (a `kubelite test` command forked from its
/// zygote) starts with them made instead of making its own, which cost a few percent of a
/// short command.
pub(super) fn warm() {
    let sample = &DICTIONARY[..DICTIONARY.len().min(1024)];
    if let Some(packed) = compress(sample) {
        let _ = decompress(&packed, sample.len());
    }
}

/// Decompresses a value of `len` bytes.
pub(super) fn decompress(bytes: &[u8], len: usize) -> Result<Vec<u8>, StoreError> {
    if len > MAX_VALUE {
        return Err(StoreError::Corrupt(format!(
            "a record claims a value of {len} bytes"
        )));
    }
    let out = DECOMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(Decompressor::with_prepared_dictionary(&DECODER)?);
        }
        match cell.as_mut() {
            Some(d) => d.decompress(bytes, len),
            None => Err(std::io::Error::other("no decompressor")),
        }
    });
    match out {
        Ok(v) if v.len() == len => Ok(v),
        Ok(v) => Err(StoreError::Corrupt(format!(
            "a compressed value gave {} bytes, not {len}",
            v.len()
        ))),
        Err(e) => Err(StoreError::Corrupt(format!(
            "a compressed value does not decompress: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_as_they_were() {
        let pod = &DICTIONARY[DICTIONARY.len() - 2000..];
        let packed = compress(pod).expect("a pod compresses");
        assert!(packed.len() < pod.len() / 3, "{} bytes", packed.len());
        assert_eq!(decompress(&packed, pod.len()).unwrap(), pod);
        assert_eq!(compress(b"short"), None);
        let noise: Vec<u8> = (0..200u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert_eq!(
            compress(&noise),
            None,
            "incompressible values are kept as they are"
        );
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        let value = &DICTIONARY[..1000];
        let mut packed = compress(value).unwrap();
        assert!(decompress(&packed, value.len() + 1).is_err());
        assert!(decompress(&packed, MAX_VALUE + 1).is_err());
        let mid = packed.len() / 2;
        packed[mid] ^= 0xff;
        packed.truncate(mid + 1);
        assert!(decompress(&packed, value.len()).is_err());
    }
}
