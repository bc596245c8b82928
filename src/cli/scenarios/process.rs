//! Runs one command of a scenario to its end, or cuts it at a timeout.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What a command printed and how it ended.
pub struct Finished {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The exit status; `None` when a signal ended it.
    pub code: Option<i32>,
    pub timed_out: bool,
    /// It printed more than `MAX_OUTPUT` on a stream (the rest was read and dropped).
    pub overflowed: bool,
}

/// What one stream of one command may print: enough for any table a scenario pins, and a
/// bound on memory for a command that prints without end.
pub const MAX_OUTPUT: usize = 64 << 20;

/// Runs `command` (stdin already chosen) with its output captured; kills it when it has
/// not finished within `timeout`.
pub fn run(mut command: Command, timeout: Duration) -> std::io::Result<Finished> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn()?;
    let deadline = Instant::now() + timeout;
    let stdout = child
        .stdout
        .take()
        .map(|p| Box::new(p) as Box<dyn Read + Send>);
    let stderr = child
        .stderr
        .take()
        .map(|p| Box::new(p) as Box<dyn Read + Send>);
    let (outputs, overflowed, in_time) = collect(stdout, stderr, deadline);
    if !in_time {
        return Ok(killed(&mut child, outputs));
    }
    let status = loop {
        // The pipes are closed: the command has ended or is about to.
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            return Ok(killed(&mut child, outputs));
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let [stdout, stderr] = outputs;
    Ok(Finished {
        stdout,
        stderr,
        code: status.code(),
        timed_out: false,
        overflowed,
    })
}

/// Reads a command's stdout and stderr to their ends (bounded, `MAX_OUTPUT`); also
/// whether a stream overflowed, and whether both ended before `deadline`.
pub fn collect(
    stdout: Option<Box<dyn Read + Send>>,
    stderr: Option<Box<dyn Read + Send>>,
    deadline: Instant,
) -> ([Vec<u8>; 2], bool, bool) {
    let (tx, rx) = mpsc::channel();
    let readers = [reader(stdout, 0, &tx), reader(stderr, 1, &tx)];
    drop(tx);
    let mut outputs: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let mut overflowed = false;
    // Both pipes close when the command ends (or a child of it that kept them ends).
    for _ in readers.iter().flatten() {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((which, bytes, over)) => {
                outputs[which] = bytes;
                overflowed |= over;
            }
            Err(_) => return (outputs, overflowed, false),
        }
    }
    (outputs, overflowed, true)
}

fn reader(
    pipe: Option<Box<dyn Read + Send>>,
    which: usize,
    tx: &mpsc::Sender<(usize, Vec<u8>, bool)>,
) -> Option<std::thread::JoinHandle<()>> {
    let mut pipe = pipe?;
    let tx = tx.clone();
    Some(std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut over = false;
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) if bytes.len() + n <= MAX_OUTPUT => bytes.extend_from_slice(&chunk[..n]),
                // Drained, not kept, so the command is never blocked on a full pipe.
                Ok(_) => over = true,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send((which, bytes, over));
    }))
}

fn killed(child: &mut Child, outputs: [Vec<u8>; 2]) -> Finished {
    let _ = child.kill();
    let _ = child.wait();
    let [stdout, stderr] = outputs;
    Finished {
        stdout,
        stderr,
        code: None,
        timed_out: true,
        overflowed: false,
    }
}
