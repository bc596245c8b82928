//! A read opens the cluster read-only and skips both settles (`open_settled`) only when a
//! settle would do nothing: never with the clock moved on (`@advance`), a write no settle has
//! read yet (a pending pod), or a static pod's file edited.

use crate::api::options::WriteOptions;
use crate::api::registry::find;
use crate::client::{Client, Embedded};
use crate::clock::{Clock, parse_timestamp};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::path::{Path, PathBuf};

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn start() -> DateTime<Utc> {
    parse_timestamp("2026-11-29T01:42:16Z").unwrap_or_default()
}

/// A one-shot command's open and settle at `now`.
fn command(dir: &Path, now: DateTime<Utc>) -> Embedded {
    let client = super::open_in(dir, Clock::Fixed(now), 1).unwrap_or_else(|e| panic!("{e}"));
    super::settle(&client).unwrap_or_else(|e| panic!("{e}"));
    client
}

/// Whether a read at `now` skips the settles.
fn read_skips(dir: &Path, now: DateTime<Utc>) -> bool {
    super::open_settled_on(dir, Clock::Fixed(now)).is_some()
}

#[test]
fn a_read_skips_the_settles_only_while_they_would_do_nothing() {
    let dir = Dir(std::env::temp_dir().join(format!("kubelite-settled-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    let t0 = start();
    drop(command(&dir.0, t0));
    assert!(read_skips(&dir.0, t0), "a settled cluster is read as it is");

    // The clock moved on: the nodes' heartbeats are due.
    let later = t0 + Duration::minutes(1);
    assert!(!read_skips(&dir.0, later), "work due at the new time");
    drop(command(&dir.0, later));
    assert!(read_skips(&dir.0, later));

    // A pod written by a command that ended before its settle: the scheduler has work.
    let pods = find("pods").unwrap_or_else(|| panic!("no pods"));
    let client = super::open_in(&dir.0, Clock::Fixed(later), 1).unwrap_or_else(|e| panic!("{e}"));
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "pending"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    });
    client
        .create(pods, Some("default"), pod, &WriteOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.message));
    drop(client);
    assert!(!read_skips(&dir.0, later), "a pending pod is work");
    let client = command(&dir.0, later);
    let pod = client
        .get(pods, Some("default"), "pending")
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert!(pod.pointer("/spec/nodeName").is_some(), "{pod}");
    drop(client);
    assert!(read_skips(&dir.0, later));

    // A static pod's file edited: the kubelet reads it again.
    let file = crate::nodefs::host_path(
        &dir.0,
        crate::cluster::CONTROL_PLANE_NODE,
        crate::nodefs::MANIFESTS_DIR,
    )
    .join("kube-scheduler.yaml");
    let mut text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    text.push_str("# edited\n");
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    assert!(!read_skips(&dir.0, later), "an edited manifest is work");
    drop(command(&dir.0, later));
    assert!(read_skips(&dir.0, later));
}
