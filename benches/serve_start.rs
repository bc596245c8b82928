//! How long `kubelite serve --listen 127.0.0.1:0` takes from a fresh home (no store, no CA)
//! to its first 200 from `/readyz`: what a test suite that starts a server per test pays
//! (the target is 100 ms; envtest's etcd and kube-apiserver take seconds). The
//! clock starts before the process is spawned and stops at the first 200; the URL comes
//! from serve's `server:` line on stdout.
//!
//! `cargo bench --bench serve_start` (release build). Prints one line per figure.

#[path = "../tests/serve/trust.rs"]
mod trust;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 20;

/// A serve child, stopped with SIGTERM and its home removed when dropped.
struct Serve {
    child: Child,
    home: PathBuf,
}

impl Drop for Serve {
    fn drop(&mut self) {
        // SAFETY: the pid is our own child, not yet waited for (so not reused).
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// Phases of one start: the `server:` line on stdout, and the first 200 from /readyz.
struct Start {
    announced: Duration,
    ready: Duration,
}

fn start_once(n: usize) -> Start {
    let home = std::env::temp_dir().join(format!(
        "kubelite-serve-start-bench-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&home);
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("KUBELITE_HOME", &home)
        .env_remove("KUBELITE_NOW")
        .env_remove("KUBECONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start serve");
    let mut serve = Serve { child, home };
    let stdout = serve.child.stdout.take().expect("stdout");
    let mut line = String::new();
    let mut lines = BufReader::new(stdout);
    let url = loop {
        line.clear();
        let read = lines.read_line(&mut line).expect("read serve's stdout");
        assert!(read > 0, "serve exited before saying where it listens");
        if let Some(url) = line.trim_end().strip_prefix("server: ") {
            break url.to_string();
        }
    };
    let announced = started.elapsed();
    let ca = std::fs::read_to_string(serve.home.join("ca.crt")).expect("ca.crt");
    let http = trust::https_builder(&ca)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = http.get(format!("{url}/readyz")).send()
            && r.status().as_u16() == 200
        {
            break;
        }
        assert!(Instant::now() < deadline, "serve never became ready");
        std::thread::sleep(Duration::from_millis(1));
    }
    let ready = started.elapsed();
    drop(serve);
    Start { announced, ready }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // One start first, untimed: the binary's pages come into the page cache.
    start_once(RUNS);
    let mut starts: Vec<Start> = (0..RUNS).map(start_once).collect();
    starts.sort_by_key(|s| s.ready);
    let pick = |q: usize| &starts[(RUNS - 1) * q / 100];
    let mut announced: Vec<Duration> = starts.iter().map(|s| s.announced).collect();
    announced.sort();
    println!(
        "serve start, fresh home to the first 200 from /readyz ({RUNS} runs): median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms (its `server:` line after {:.1} ms median)",
        ms(pick(50).ready),
        ms(pick(90).ready),
        ms(starts[0].ready),
        ms(starts[RUNS - 1].ready),
        ms(announced[RUNS / 2])
    );
}
