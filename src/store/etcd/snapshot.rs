//! `snapshot save` against a real etcd: its Maintenance.Snapshot stream into a file. etcd
//! streams its bbolt file followed by that file's SHA-256, so the file is exactly what the
//! real etcdctl writes, and the real etcdctl's `snapshot status|restore` accept it.

use std::fs::File;
use std::io::{Seek, Write};
use std::path::Path;
use std::time::Duration;

use super::proto::etcdserverpb as pb;
use super::{EtcdStore, io, maintenance_client};
use crate::store::StoreError;

/// etcdctl 3.4 puts no deadline on a snapshot unless told to; a day stands for none.
const NO_DEADLINE: Duration = Duration::from_secs(24 * 3600);

impl EtcdStore {
    /// Streams the member's snapshot into `path` (created or truncated) and syncs it.
    pub(super) fn stream_snapshot(&self, path: &Path) -> Result<(), StoreError> {
        let file = File::create(path)
            .map_err(|e| io(format!("could not open {} ({e})", path.display())))?;
        let shown = path.display().to_string();
        // The file is written on the client's runtime as chunks come (32 KiB each): a
        // snapshot is rare, and its size is the database's.
        self.transport.call(NO_DEADLINE, move |ch| {
            let mut file = file.try_clone();
            let shown = shown.clone();
            async move {
                let file = match file.as_mut() {
                    Ok(f) => f,
                    Err(e) => return Ok(Err(io(format!("could not open {shown} ({e})")))),
                };
                // A retry on the next endpoint starts the file again.
                if let Err(e) = file.set_len(0).and_then(|()| file.rewind()) {
                    return Ok(Err(io(format!("write {shown}: {e}"))));
                }
                let mut chunks = maintenance_client(ch)
                    .snapshot(pb::SnapshotRequest {})
                    .await?
                    .into_inner();
                let mut received = false;
                while let Some(chunk) = chunks.message().await? {
                    if let Err(e) = file.write_all(&chunk.blob) {
                        return Ok(Err(io(format!("write {shown}: {e}"))));
                    }
                    received = true;
                }
                if !received {
                    return Ok(Err(io("etcd sent an empty snapshot stream")));
                }
                Ok(file
                    .sync_all()
                    .map_err(|e| io(format!("sync {shown}: {e}"))))
            }
        })?
    }
}
