//! Maintenance.Snapshot: the member's snapshot streamed as etcd streams its own.
//!
//! etcd sends its bbolt file in 32 KiB blobs, each with the bytes still to come, then the
//! file's SHA-256 as a last blob: the client writes every blob to its file and so holds the
//! database followed by its hash. kubelite's snapshot has that very shape (a redb store file
//! and its SHA-256, see `store::redb::snapshot`), so the same stream gives the real etcdctl a
//! file that `kubelite etcdctl snapshot status|restore` read.
//!
//! The snapshot is written to an unnamed file in the data dir (gone when the stream ends,
//! whatever happens to the process) and read from it chunk by chunk: memory stays at a few
//! chunks whatever the size of the store.

use std::fs::File;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

use tokio::sync::mpsc;

use super::{Member, status};
use crate::store::redb::snapshot::{HASH_LEN, WrittenSnapshot};

/// etcd's `snapshotSendBufferSize`.
pub const CHUNK: usize = 32 * 1024;
/// Chunks read ahead of the client.
const READ_AHEAD: usize = 4;

/// One blob of the stream.
pub struct Chunk {
    pub remaining_bytes: u64,
    pub blob: Vec<u8>,
}

/// The snapshot of the store now, in its unnamed file, and the revision it holds.
pub struct Snapshot {
    written: WrittenSnapshot,
}

impl Snapshot {
    pub fn revision(&self) -> i64 {
        self.written.revision
    }

    /// Reads the file on a blocking thread into a channel of chunks; the reading stops
    /// when the receiver is dropped (the client went away).
    pub fn chunks(self) -> mpsc::Receiver<std::io::Result<Chunk>> {
        let (tx, rx) = mpsc::channel(READ_AHEAD);
        tokio::task::spawn_blocking(move || {
            let WrittenSnapshot { file, db_len, .. } = self.written;
            for chunk in read_chunks(&file, db_len) {
                if tx.blocking_send(chunk).is_err() {
                    return;
                }
            }
        });
        rx
    }
}

/// The store file in chunks counting down the bytes left, then the hash with nothing left.
fn read_chunks(file: &File, db_len: u64) -> impl Iterator<Item = std::io::Result<Chunk>> + '_ {
    let mut at = 0u64;
    let mut hash_sent = false;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || hash_sent {
            return None;
        }
        let (len, remaining_after) = if at < db_len {
            let n = CHUNK.min((db_len - at) as usize);
            (n, db_len - at - n as u64)
        } else {
            hash_sent = true;
            (HASH_LEN as usize, 0)
        };
        let mut blob = vec![0u8; len];
        if let Err(e) = file.read_exact_at(&mut blob, at) {
            failed = true;
            return Some(Err(e));
        }
        at += len as u64;
        Some(Ok(Chunk {
            remaining_bytes: remaining_after,
            blob,
        }))
    })
}

impl Member {
    /// Writes a snapshot of the store into an unnamed file of the data dir.
    pub(super) fn snapshot(&self) -> Result<Snapshot, tonic::Status> {
        let file = unnamed_file(&self.snapshot_dir).map_err(|e| {
            tonic::Status::internal(format!(
                "cannot create a snapshot file in {}: {e}",
                self.snapshot_dir.display()
            ))
        })?;
        let written = self.backend.store.write_snapshot(file).map_err(status)?;
        Ok(Snapshot { written })
    }
}

/// A file with no name in `dir`: O_TMPFILE where the filesystem has it, else a new file
/// unlinked at once.
fn unnamed_file(dir: &Path) -> std::io::Result<File> {
    let anonymous = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_TMPFILE)
        .open(dir);
    if let Ok(file) = anonymous {
        return Ok(file);
    }
    let path = dir.join(format!(
        ".snapshot-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
    ));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_count_down_then_the_hash_comes_alone() {
        let dir = std::env::temp_dir().join(format!("kl-etcd-chunks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = unnamed_file(&dir).unwrap();
        let db_len = (CHUNK * 2 + 100) as u64;
        let mut bytes: Vec<u8> = (0..db_len).map(|i| (i % 251) as u8).collect();
        bytes.extend([7u8; HASH_LEN as usize]);
        file.write_all_at(&bytes, 0).unwrap();
        let chunks: Vec<Chunk> = read_chunks(&file, db_len).map(Result::unwrap).collect();
        let shape: Vec<(usize, u64)> = chunks
            .iter()
            .map(|c| (c.blob.len(), c.remaining_bytes))
            .collect();
        assert_eq!(
            shape,
            vec![
                (CHUNK, (CHUNK + 100) as u64),
                (CHUNK, 100),
                (100, 0),
                (HASH_LEN as usize, 0)
            ]
        );
        let joined: Vec<u8> = chunks.into_iter().flat_map(|c| c.blob).collect();
        assert_eq!(joined, bytes);
        // Nothing of the file is left in the directory.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
