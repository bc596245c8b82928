//! What tests that start servers of their own (etcd, kubelite etcd, serve) need: a free
//! loopback port and a fresh directory.

use std::net::TcpListener;
use std::path::PathBuf;

/// A loopback port no one listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A new directory under the system's temp dir, named after `prefix`, `tag`, the process and
/// the time (so parallel tests and runs never share one).
pub fn temp_dir(prefix: &str, tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("{prefix}-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
