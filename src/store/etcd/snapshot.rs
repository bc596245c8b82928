//! `snapshot save` against a real etcd: its Maintenance.Snapshot stream, read through the
//! JSON gateway (one `{"result":{"blob":...}}` object a line) into a file. etcd streams its
//! bbolt file followed by that file's SHA-256, so the file is exactly what the real
//! etcdctl writes, and the real etcdctl's `snapshot status|restore` accept it.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::{EtcdStore, UNREACHABLE, io, server_error, unb64};
use crate::store::StoreError;

/// etcd sends chunks of 32 KiB; a line far longer than that is not etcd talking.
const MAX_LINE: u64 = 16 << 20;

/// etcdctl 3.4 puts no deadline on a snapshot unless told to; a day stands for none.
const NO_DEADLINE: Duration = Duration::from_secs(24 * 3600);

impl EtcdStore {
    /// Streams the member's snapshot into `path` (created or truncated) and syncs it.
    pub(super) fn stream_snapshot(&self, path: &Path) -> Result<(), StoreError> {
        let resp = self
            .client
            .post(format!("{}/v3/maintenance/snapshot", self.base))
            .timeout(NO_DEADLINE)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .map_err(|_| io(UNREACHABLE))?;
        let mut file = File::create(path)
            .map_err(|e| io(format!("could not open {} ({e})", path.display())))?;
        let mut reader = BufReader::new(resp);
        let mut line = Vec::new();
        let mut received = false;
        loop {
            line.clear();
            let n = (&mut reader)
                .take(MAX_LINE)
                .read_until(b'\n', &mut line)
                .map_err(|e| io(format!("snapshot stream broke: {e}")))?;
            if n == 0 {
                break;
            }
            if line.trim_ascii().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_slice(&line)
                .map_err(|e| io(format!("etcd sent bad JSON in its snapshot stream ({e})")))?;
            if let Some(err) = v.get("error") {
                let msg = err
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("snapshot failed");
                return Err(server_error(msg));
            }
            let blob = unb64(v.pointer("/result/blob"))?;
            file.write_all(&blob)
                .map_err(|e| io(format!("write {}: {e}", path.display())))?;
            received = true;
        }
        if !received {
            return Err(io("etcd sent an empty snapshot stream"));
        }
        file.sync_all()
            .map_err(|e| io(format!("sync {}: {e}", path.display())))
    }
}
