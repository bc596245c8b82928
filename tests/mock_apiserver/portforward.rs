//! A pod that port-forwards, for `port-forward`: the mock accepts kubectl 1.32's tunnel
//! (SPDY/3.1 carried in WebSocket binary messages, subprotocol
//! `SPDY/3.1+portforward.k8s.io`) and plays the kubelet's end: every stream the client
//! opens is answered; each connection's streams come in pairs (error, then data), and
//! whatever arrives on a data stream is sent back with `echo:` before it.

use super::websocket::{binary_frame, close_frame, read_client_frame};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

pub const PROTOCOL: &str = "SPDY/3.1+portforward.k8s.io";

/// What the mock saw: the ids of the streams the client opened, and the data it got.
pub type Log = Arc<Mutex<Vec<String>>>;

/// A SPDY/3 control frame.
fn control(kind: u16, flags: u8, data: &[u8]) -> Vec<u8> {
    let mut f = vec![0x80, 3];
    f.extend_from_slice(&kind.to_be_bytes());
    f.push(flags);
    f.extend_from_slice(&(data.len() as u32).to_be_bytes()[1..]);
    f.extend_from_slice(data);
    f
}

fn data_frame(stream: u32, fin: bool, data: &[u8]) -> Vec<u8> {
    let mut f = (stream & 0x7fff_ffff).to_be_bytes().to_vec();
    f.push(u8::from(fin));
    f.extend_from_slice(&(data.len() as u32).to_be_bytes()[1..]);
    f.extend_from_slice(data);
    f
}

/// A SYN_REPLY without headers: a zlib stream of stored blocks (no dictionary needed to
/// read it); the first reply carries the zlib header.
fn syn_reply(stream: u32, first: bool) -> Vec<u8> {
    let mut d = stream.to_be_bytes().to_vec();
    if first {
        d.extend_from_slice(&[0x78, 0x01]);
    }
    d.extend_from_slice(&[0x00, 0x04, 0x00, 0xfb, 0xff, 0, 0, 0, 0]);
    d.extend_from_slice(&[0x00, 0x00, 0x00, 0xff, 0xff]);
    control(2, 0, &d)
}

pub fn session(log: &Log, out: &mut dyn Write, input: &mut dyn Read) {
    let mut buf: Vec<u8> = Vec::new();
    let mut replied = false;
    let send = |out: &mut dyn Write, spdy: Vec<u8>| {
        let _ = out.write_all(&binary_frame(&spdy));
        let _ = out.flush();
    };
    while let Some((opcode, payload)) = read_client_frame(input) {
        match opcode {
            0x8 => break,
            0x0..=0x2 => buf.extend_from_slice(&payload),
            _ => continue,
        }
        while buf.len() >= 8 {
            let len = usize::from(buf[5]) << 16 | usize::from(buf[6]) << 8 | usize::from(buf[7]);
            if buf.len() < 8 + len {
                break;
            }
            let frame: Vec<u8> = buf.drain(..8 + len).collect();
            let (head, data) = frame.split_at(8);
            let flags = head[4];
            if head[0] & 0x80 != 0 {
                let kind = u16::from_be_bytes([head[2], head[3]]);
                let id = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) & 0x7fff_ffff;
                match kind {
                    1 => {
                        log.lock().unwrap().push(format!("open {id}"));
                        send(out, syn_reply(id, !replied));
                        replied = true;
                    }
                    6 => send(out, control(6, 0, data)),
                    _ => {}
                }
                continue;
            }
            let id = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) & 0x7fff_ffff;
            let fin = flags & 1 != 0;
            if !data.is_empty() {
                log.lock()
                    .unwrap()
                    .push(format!("data {id} {}", String::from_utf8_lossy(data)));
            }
            // Streams 1, 5, 9, ... are the error streams, 3, 7, 11, ... the data.
            if id % 4 == 3 {
                if !data.is_empty() {
                    let mut echo = b"echo:".to_vec();
                    echo.extend_from_slice(data);
                    send(out, data_frame(id, false, &echo));
                }
                if fin {
                    send(out, data_frame(id, true, b""));
                    send(out, data_frame(id - 2, true, b""));
                }
            }
        }
    }
    let _ = out.write_all(&close_frame());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::super::http::{self, Request};
    use super::super::run::{self, BIN, Scratch};
    use super::super::world::World;
    use super::Log;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Child, Command, Stdio};
    use std::sync::{Arc, mpsc};
    use std::time::Duration;

    struct Running(Child);

    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    /// What one tool printed first, what a connection through it got back, the mock's
    /// log and the requests (normalised as the other comparisons are).
    fn forward(program: &std::path::Path) -> (String, String, Vec<String>, Vec<String>) {
        let world = Arc::new(World::default());
        super::super::cluster(&world);
        let log: Log = Arc::default();
        world.forward_ports(log.clone());
        let listener = http::serve(Arc::new(move |r: &Request| world.answer(r)));
        let dir = Scratch::new("pf");
        let config = run::kubeconfig(&dir.0, &listener.url);
        let mut child = Command::new(program)
            .arg("--kubeconfig")
            .arg(&config)
            .arg("--cache-dir")
            .arg(dir.0.join("cache"))
            .args(["port-forward", "web-1", ":80", "--address=127.0.0.1"])
            .env("KUBELITE_HOME", dir.0.join("home"))
            .env_remove("KUBECONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start port-forward");
        let stdout = child.stdout.take().unwrap();
        let running = Running(child);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            while let Some(Ok(line)) = lines.next() {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the Forwarding line");
        let port: u16 = first
            .split(" -> ")
            .next()
            .and_then(|a| a.rsplit(':').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {first:?}"));
        let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        conn.set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        conn.write_all(b"ping").unwrap();
        let mut got = vec![0u8; 9];
        conn.read_exact(&mut got).expect("the echo");
        let handling = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        drop(conn);
        // A second connection: the next pair of streams, and the mock's end of the first
        // connection's streams (it was closed) reached the client.
        let mut again = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        again
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        again.write_all(b"again").unwrap();
        let mut echo = vec![0u8; 10];
        again.read_exact(&mut echo).expect("the second echo");
        got.extend_from_slice(b" ");
        got.extend_from_slice(&echo);
        let handling = format!(
            "{handling}\n{}",
            rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default()
        );
        drop(again);
        drop(running);
        let seen = log.lock().unwrap().clone();
        let requests = listener
            .recorded
            .lock()
            .unwrap()
            .iter()
            .filter(|r| {
                !r.header("user-agent")
                    .unwrap_or("")
                    .starts_with("kubectl-dispatcher")
            })
            .map(|r| {
                // kubelite decodes no protobuf and asks for JSON (as run.rs compares it).
                let accept = match r.header("accept").unwrap_or("-") {
                    "application/vnd.kubernetes.protobuf,application/json" => "application/json",
                    a => a,
                };
                format!("{} {} accept={accept}", r.method, r.target)
            })
            .collect();
        let shown = format!("{first}\n{handling}\n").replace(&port.to_string(), "PORT");
        (
            shown,
            String::from_utf8_lossy(&got).into_owned(),
            seen,
            requests,
        )
    }

    #[test]
    fn port_forward_matches_kubectl() {
        let Some(kubectl) = run::kubectl_program() else {
            eprintln!("kubectl is not on the PATH: SKIPPED");
            return;
        };
        let theirs = forward(&kubectl);
        assert_eq!(theirs.1, "echo:ping echo:again");
        let ours = forward(std::path::Path::new(BIN));
        assert_eq!(ours, theirs);
    }

    #[test]
    fn port_forward_refusals_match_kubectl() {
        if run::kubectl_program().is_none() {
            eprintln!("kubectl is not on the PATH: SKIPPED");
            return;
        }
        let dir = Scratch::new("pf-errors");
        let cases: &[&[&str]] = &[
            &["port-forward"],
            &["port-forward", "web-1"],
            &["port-forward", "nope", "8080:80"],
            &["port-forward", "pod/nope", "80"],
        ];
        let failures: Vec<String> = cases
            .iter()
            .map(|args| run::differences(&super::super::cluster, args, &dir.0))
            .filter(|d| !d.is_empty())
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
