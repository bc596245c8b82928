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
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start kubelite serve: {e}"))?;
        let stdout = child.stdout.take().ok_or("serve has no stdout")?;
        let stderr = child.stderr.take().ok_or("serve has no stderr")?;
        let (tx, rx) = mpsc::channel();
        // serve says `kubeconfig: PATH` on stdout once it listens; its log (stderr) is kept
        // to say why when it stops first. Both are read to the end so neither pipe fills.
        let said_where = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(path) = line.strip_prefix("kubeconfig: ") {
                    let _ = said_where.send(Ok(PathBuf::from(path)));
                }
            }
        });
        std::thread::spawn(move || {
            let mut said = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if said.len() < 4096 {
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
