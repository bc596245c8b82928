//! The runner's side: a zygote per worker, started on its first command, and a command run
//! through it with its output captured as `process::run` captures a spawned one's.

use super::server::ENV;
use super::wire::{self, Reply, Request};
use crate::cli::scenarios::process::{self, Finished};
use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One command for a zygote: what a `Command` would have been given.
pub struct Invocation {
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
    pub cwd: PathBuf,
    /// `None`: /dev/null.
    pub stdin: Option<File>,
}

impl Invocation {
    /// The same command as a program of its own, `kubelite` (the path its first word names).
    pub fn command(self) -> Command {
        let mut args = self.args.into_iter();
        let program = args.next().unwrap_or_default();
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(self.cwd)
            .env_clear()
            .envs(self.env)
            .stdin(self.stdin.map_or_else(Stdio::null, Stdio::from));
        command
    }
}

/// A runner worker's zygote, started on its first command; after a zygote fails to run a
/// command, or when none can start, the worker's commands are spawned as programs.
pub struct Forks {
    kubelite: PathBuf,
    zygote: Option<Zygote>,
    off: bool,
}

impl Forks {
    pub fn new(kubelite: &Path) -> Forks {
        Forks {
            kubelite: kubelite.to_path_buf(),
            zygote: None,
            off: false,
        }
    }

    /// Runs `invocation` (a kubelite command) as `process::run` would run it as a program.
    pub fn run(&mut self, invocation: Invocation, timeout: Duration) -> io::Result<Finished> {
        if self.off || !forkable(&invocation) {
            return process::run(invocation.command(), timeout);
        }
        if self.zygote.is_none() {
            match Zygote::start(&self.kubelite) {
                Ok(z) => self.zygote = Some(z),
                Err(_) => {
                    self.off = true;
                    return process::run(invocation.command(), timeout);
                }
            }
        }
        let Some(zygote) = self.zygote.as_mut() else {
            return process::run(invocation.command(), timeout);
        };
        match zygote.run(&invocation, timeout) {
            Ok(finished) => Ok(finished),
            Err(Failed::Refused) => process::run(invocation.command(), timeout),
            Err(failed) => {
                // A zygote that failed once is not trusted again.
                self.zygote = None;
                self.off = true;
                match failed {
                    Failed::Lost(e) => Err(e),
                    _ => process::run(invocation.command(), timeout),
                }
            }
        }
    }
}

/// A started zygote.
struct Zygote {
    process: Child,
    sock: UnixStream,
}

/// Why a zygote did not run a command.
enum Failed {
    /// The zygote could not start it (no fork, no working directory): nothing ran, and the
    /// command can be spawned to say why.
    Refused,
    /// The zygote is gone or broken before the command ran: it can be spawned.
    NotRun,
    /// It ran, and what became of it cannot be told.
    Lost(io::Error),
}

impl Zygote {
    /// Starts the kubelite binary `kubelite` as a zygote.
    pub fn start(kubelite: &Path) -> io::Result<Zygote> {
        let (ours, theirs) = UnixStream::pair()?;
        let process = Command::new(kubelite)
            .env_clear()
            .env(ENV, "1")
            .stdin(Stdio::from(OwnedFd::from(theirs)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(Zygote {
            process,
            sock: ours,
        })
    }

    /// Runs `invocation` in a child of the zygote, killed when it has not finished within
    /// `timeout`; its output captured (and bounded) as `process::run` does.
    pub fn run(&mut self, invocation: &Invocation, timeout: Duration) -> Result<Finished, Failed> {
        let deadline = Instant::now() + timeout;
        let (out_read, out_write) = io::pipe().map_err(|_| Failed::NotRun)?;
        let (err_read, err_write) = io::pipe().map_err(|_| Failed::NotRun)?;
        let null;
        let stdin = match &invocation.stdin {
            Some(f) => f,
            None => {
                null = File::open("/dev/null").map_err(|_| Failed::NotRun)?;
                &null
            }
        };
        let request = Request {
            timeout,
            cwd: invocation.cwd.clone(),
            args: invocation.args.clone(),
            env: invocation.env.clone(),
        };
        let fds = [
            stdin.as_raw_fd(),
            out_write.as_raw_fd(),
            err_write.as_raw_fd(),
        ];
        wire::send(&self.sock, &request, fds).map_err(|_| Failed::NotRun)?;
        // The zygote has its copies: the pipes close when the command (and whatever it left
        // holding them) ends.
        drop((out_write, err_write));
        // It answers as soon as it has forked.
        let _ = self.sock.set_read_timeout(Some(GRACE));
        match Reply::read(&mut self.sock) {
            Ok(Reply::Started(_)) => {}
            Ok(Reply::NotStarted(_)) => return Err(Failed::Refused),
            Ok(other) => return Err(Failed::Lost(unexpected(other))),
            // Gone before it forked: nothing ran.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(Failed::NotRun),
            // No word in time: whether the command runs cannot be told.
            Err(e) => return Err(Failed::Lost(e)),
        }
        let (outputs, overflowed, in_time) =
            process::collect(Some(Box::new(out_read)), Some(Box::new(err_read)), deadline);
        // The zygote ends the command at the deadline and says so; a little more is given
        // for its word to arrive.
        let _ = self.sock.set_read_timeout(Some(
            deadline.saturating_duration_since(Instant::now()) + GRACE,
        ));
        let end = Reply::read(&mut self.sock).map_err(Failed::Lost)?;
        let [stdout, stderr] = outputs;
        let (code, timed_out) = match end {
            Reply::Exited(code) => (Some(code), !in_time),
            Reply::Signaled(_) => (None, !in_time),
            Reply::TimedOut => (None, true),
            other => return Err(Failed::Lost(unexpected(other))),
        };
        Ok(Finished {
            stdout,
            stderr,
            code: if timed_out { None } else { code },
            timed_out,
            overflowed: overflowed && !timed_out,
        })
    }
}

/// Whether a forked child runs `invocation` as a new program would: not when its
/// environment speaks to what runs before `main` (the loader's `LD_*`, the allocator's
/// `MIMALLOC_*`, which the zygote read at its own start), nor for a completion request,
/// which reads the process's own arguments (clap's).
fn forkable(invocation: &Invocation) -> bool {
    !invocation.env.iter().any(|(k, _)| {
        let k = k.as_encoded_bytes();
        k.starts_with(b"LD_")
            || k.starts_with(b"MIMALLOC_")
            || k == crate::cli::complete::ENV_VAR.as_bytes()
    })
}

/// How long past a command's deadline its zygote's word is waited for.
const GRACE: Duration = Duration::from_secs(10);

fn unexpected(reply: Reply) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the zygote said {reply:?} out of turn"),
    )
}

impl Drop for Zygote {
    fn drop(&mut self) {
        // No command of it runs now (and one that did would die with it): it is killed
        // rather than waited for, so a zygote that stopped answering cannot hold the runner.
        let _ = self.sock.shutdown(std::net::Shutdown::Both);
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_env(name: &str) -> Invocation {
        Invocation {
            args: vec!["kubelite".into(), "get".into(), "ns".into()],
            env: vec![("PATH".into(), "/bin".into()), (name.into(), "x".into())],
            cwd: PathBuf::from("."),
            stdin: None,
        }
    }

    #[test]
    fn what_runs_before_main_is_never_asked_of_a_fork() {
        assert!(forkable(&with_env("KUBELITE_NOW")));
        assert!(!forkable(&with_env("LD_PRELOAD")));
        assert!(!forkable(&with_env("MIMALLOC_VERBOSE")));
        assert!(!forkable(&with_env(crate::cli::complete::ENV_VAR)));
    }
}
