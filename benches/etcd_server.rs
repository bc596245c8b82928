//! `kubelite etcd` against the real etcd on this machine, with the same client: durable
//! puts per second through etcd's gRPC API (`etcdserverpb.KV/Put`), from one client in
//! sequence and from 16 concurrent clients (one HTTP/2 connection each), keys of 40 bytes
//! and values of 256.
//!
//! The client is a minimal gRPC caller over h2 written here, so neither side pays for a
//! process start per put (as etcdctl would). `cargo bench --bench etcd_server` (release
//! build; needs `etcd` on the PATH). Prints one line per figure.

use bytes::{BufMut, BytesMut};
use kubelite::etcdserver::proto::etcdserverpb::PutRequest;
use prost::Message;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SEQUENTIAL_PUTS: usize = 2_000;
const CLIENTS: usize = 16;
const CONCURRENT_PUTS: usize = 8_000;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

struct Server {
    child: Child,
    dir: PathBuf,
    endpoint: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start(tag: &str, real: bool) -> Server {
    let dir = std::env::temp_dir().join(format!("kl-bench-etcd-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let endpoint = format!("127.0.0.1:{}", free_port());
    let mut cmd = if real {
        let peer = free_port();
        let mut c = Command::new("etcd");
        c.arg(format!("--listen-peer-urls=http://127.0.0.1:{peer}"))
            .arg(format!(
                "--initial-advertise-peer-urls=http://127.0.0.1:{peer}"
            ))
            .arg(format!("--initial-cluster=default=http://127.0.0.1:{peer}"));
        c
    } else {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kubelite"));
        c.arg("etcd");
        c
    };
    let child = cmd
        .arg(format!("--data-dir={}", dir.join("data").display()))
        .arg(format!("--listen-client-urls=http://{endpoint}"))
        .arg(format!("--advertise-client-urls=http://{endpoint}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let server = Server {
        child,
        dir,
        endpoint,
    };
    let started = Instant::now();
    let rt = runtime();
    while started.elapsed() < Duration::from_secs(20) {
        if rt.block_on(puts(&server.endpoint, "probe", 1)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{tag} did not answer on {}", server.endpoint);
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// `count` puts in sequence on one connection; each must answer grpc-status 0.
async fn puts(endpoint: &str, client: &str, count: usize) -> Result<(), String> {
    let tcp = tokio::net::TcpStream::connect(endpoint)
        .await
        .map_err(|e| e.to_string())?;
    let _ = tcp.set_nodelay(true);
    let (mut send, conn) = h2::client::handshake(tcp)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let value = vec![b'v'; 256];
    for i in 0..count {
        let put = PutRequest {
            key: format!("/bench/{client:>8}/key-{i:020}").into_bytes(),
            value: value.clone(),
            ..Default::default()
        };
        let mut frame = BytesMut::new();
        frame.put_u8(0);
        frame.put_u32(put.encoded_len() as u32);
        put.encode(&mut frame).map_err(|e| e.to_string())?;
        let req = http::Request::post(format!("http://{endpoint}/etcdserverpb.KV/Put"))
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .body(())
            .map_err(|e| e.to_string())?;
        send = send.ready().await.map_err(|e| e.to_string())?;
        let (response, mut body) = send.send_request(req, false).map_err(|e| e.to_string())?;
        body.send_data(frame.freeze(), true)
            .map_err(|e| e.to_string())?;
        let mut response = response.await.map_err(|e| e.to_string())?;
        let mut status = response.headers().get("grpc-status").cloned();
        let recv = response.body_mut();
        while let Some(chunk) = recv.data().await {
            let chunk = chunk.map_err(|e| e.to_string())?;
            let _ = recv.flow_control().release_capacity(chunk.len());
        }
        if let Some(trailers) = recv.trailers().await.map_err(|e| e.to_string())? {
            status = trailers.get("grpc-status").cloned().or(status);
        }
        if status.as_ref().map(|s| s.as_bytes()) != Some(b"0") {
            return Err(format!("put answered grpc-status {status:?}"));
        }
    }
    Ok(())
}

/// Puts per second: `clients` connections sharing `total` puts.
fn measure(server: &Server, tag: &str, clients: usize, total: usize) -> f64 {
    let rt = runtime();
    let started = Instant::now();
    rt.block_on(async {
        let tasks: Vec<_> = (0..clients)
            .map(|c| {
                let endpoint = server.endpoint.clone();
                let name = format!("{tag}{c}");
                tokio::spawn(async move { puts(&endpoint, &name, total / clients).await })
            })
            .collect();
        for t in tasks {
            t.await.expect("client task").expect("puts");
        }
    });
    total as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    if Command::new("etcd").arg("--version").output().is_err() {
        eprintln!("SKIPPED: etcd is not installed");
        return;
    }
    for (name, real) in [("kubelite etcd", false), ("etcd 3.4", true)] {
        let server = start(if real { "real" } else { "kubelite" }, real);
        let one = measure(&server, "seq", 1, SEQUENTIAL_PUTS);
        let many = measure(&server, "par", CLIENTS, CONCURRENT_PUTS);
        println!("{name:<14} puts/s: 1 client {one:>8.0}   {CLIENTS} clients {many:>8.0}");
    }
}
