//! `@serve`: the scenario's cluster served over HTTPS on a free loopback port, so commands
//! that are not kubelite (the real kubectl, helm, an operator) can be under test.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Server {
    child: Child,
    pub kubeconfig: PathBuf,
}

impl Server {
    /// Starts `kubelite serve` and waits (up to `timeout`) until it says where it listens.
    pub fn start(mut command: Command, timeout: Duration) -> Result<Server, String> {
        command.stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start kubelite serve: {e}"))?;
        let stderr = child.stderr.take().ok_or("serve has no stderr")?;
        let (tx, rx) = mpsc::channel();
        // serve announces `kubeconfig: PATH` once it listens; the rest of its log is read
        // and dropped so it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut said = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(path) = line.strip_prefix("kubeconfig: ") {
                    let _ = tx.send(Ok(PathBuf::from(path)));
                } else if said.len() < 4096 {
                    said.push_str(&line);
                    said.push('\n');
                }
            }
            let _ = tx.send(Err(said));
        });
        match rx.recv_timeout(timeout) {
            Ok(Ok(kubeconfig)) => Ok(Server { child, kubeconfig }),
            Ok(Err(said)) => {
                let _ = child.wait();
                Err(format!("kubelite serve stopped: {}", said.trim_end()))
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "kubelite serve did not listen within {}s",
                    timeout.as_secs_f64()
                ))
            }
        }
    }

    pub fn stop(self) {}
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
