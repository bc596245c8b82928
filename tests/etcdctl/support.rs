//! Real etcd processes and the real etcdctl, for the compatibility test and the benchmark,
//! and kubelite's etcdctl run in the same process as they are.

#![allow(dead_code)]

use kubelite::etcdctl::{self as kl, Backend, ConnectOptions, EtcdctlContext, WatchLimits};
use std::io::{BufRead, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("kl-etcdctl-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A real etcd on loopback ports with its own data dir; killed and removed on drop.
pub struct Etcd {
    child: Child,
    pub dir: PathBuf,
    pub endpoint: String,
}

impl Etcd {
    pub fn start(etcd: &Path, tag: &str) -> Etcd {
        Etcd::start_with(etcd, tag, &[])
    }

    /// [`Etcd::start`] with more of etcd's flags.
    pub fn start_with(etcd: &Path, tag: &str, extra: &[&str]) -> Etcd {
        let dir = temp_dir(tag);
        let (client, peer) = (free_port(), free_port());
        let endpoint = format!("127.0.0.1:{client}");
        let log = std::fs::File::create(dir.join("etcd.log")).expect("log file");
        let child = Command::new(etcd)
            .arg("--name=default")
            .arg(format!("--data-dir={}", dir.join("data").display()))
            .arg(format!("--listen-client-urls=http://{endpoint}"))
            .arg(format!("--advertise-client-urls=http://{endpoint}"))
            .arg(format!("--listen-peer-urls=http://127.0.0.1:{peer}"))
            .arg(format!(
                "--initial-advertise-peer-urls=http://127.0.0.1:{peer}"
            ))
            .arg(format!("--initial-cluster=default=http://127.0.0.1:{peer}"))
            .args(extra)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start etcd");
        let etcd = Etcd {
            child,
            dir,
            endpoint,
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if real(&etcd.endpoint, &["endpoint", "health"], b"", &[]).2 == 0 {
                return etcd;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("etcd on {} did not become healthy", etcd.endpoint);
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub type Outcome = (Vec<u8>, Vec<u8>, i32);

/// Runs the real etcdctl with a clean environment (plus `env`) and the given stdin.
pub fn real(endpoint: &str, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Outcome {
    let mut cmd = Command::new("etcdctl");
    cmd.env_clear().env("ETCDCTL_ENDPOINTS", endpoint);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = output_with_stdin(cmd.args(args), stdin);
    (out.stdout, out.stderr, out.status.code().unwrap_or(-1))
}

/// Runs `cmd` to its end with `stdin` as its input; its output.
pub fn output_with_stdin(cmd: &mut Command, stdin: &[u8]) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("output")
}

/// kubelite's etcdctl in this process, on `connect`'s backend and the given stdio, with no
/// `ETCDCTL_*` variables; its exit code.
pub fn run_kubelite_etcdctl(
    args: &[String],
    mut connect: impl FnMut(&ConnectOptions) -> Result<Box<dyn Backend>, String>,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    watch: WatchLimits,
) -> i32 {
    let mut ctx = EtcdctlContext {
        connect: &mut connect,
        env: Vec::new(),
        stdin,
        stdout,
        stderr,
        watch,
    };
    kl::run(args, &mut ctx)
}
