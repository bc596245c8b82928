//! The zygote: a kubelite process, started once per runner worker, that has no thread but
//! its main one. For each command it is sent it forks a child that takes the command's
//! stdin, stdout, stderr, environment, working directory and arguments and runs kubelite's
//! usual main path, so the command is its own process (its `exit`, its environment reads,
//! its crash) without paying for a new program's start (the loader, the allocator, the
//! pages of a 180 MB binary). The zygote waits for the child, kills it at its timeout, and
//! says how it ended.

use super::wire::{self, Reply, Request};
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::time::Instant;

/// The environment variable that makes a kubelite process a zygote, whose socket is its
/// stdin.
pub const ENV: &str = "KUBELITE_TEST_ZYGOTE";

/// Serves as a zygote when this process was started as one (`ENV` set and a socket on
/// stdin), running each command with `main`; returns the exit status then. `None`: an
/// ordinary start. Called first thing, while the process has no other thread.
pub fn serve_if_asked(main: fn(Vec<OsString>) -> i32) -> Option<i32> {
    std::env::var_os(ENV)?;
    let sock = take_socket().ok()?;
    crate::embedded::warm_for_forks();
    Some(serve(sock, main))
}

/// The socket on stdin, moved off it (stdin becomes /dev/null): the commands' children must
/// not inherit it.
fn take_socket() -> io::Result<UnixStream> {
    // SAFETY: fstat writes into the zeroed struct it is given; fcntl duplicates fd 0 (which
    // every process has) to a new descriptor this function then owns.
    let fd = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(0, &mut st) != 0 || st.st_mode & libc::S_IFMT != libc::S_IFSOCK {
            return Err(io::Error::other("stdin is no socket"));
        }
        let fd = libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 3);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        OwnedFd::from_raw_fd(fd)
    };
    let null = std::fs::File::open("/dev/null")?;
    // SAFETY: dup2 onto fd 0 replaces this process's stdin, which nothing else holds.
    if unsafe { libc::dup2(null.as_raw_fd(), 0) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(UnixStream::from(fd))
}

fn serve(mut sock: UnixStream, main: fn(Vec<OsString>) -> i32) -> i32 {
    loop {
        let (request, fds) = match wire::receive(&mut sock) {
            Ok(Some(got)) => got,
            // The runner is done (or gone).
            Ok(None) | Err(_) => return 0,
        };
        if !request.cwd.is_dir() {
            let errno = libc::ENOENT;
            if Reply::NotStarted(errno).write(&mut sock).is_err() {
                return 0;
            }
            continue;
        }
        let deadline = Instant::now() + request.timeout;
        // SAFETY: this process has one thread, so the child is a whole copy of it; the child
        // only runs `child` and exits.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            child(&sock, &request, &fds, main);
        }
        drop(fds);
        if pid < 0 {
            let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0);
            if Reply::NotStarted(errno).write(&mut sock).is_err() {
                return 0;
            }
            continue;
        }
        if Reply::Started(pid).write(&mut sock).is_err() {
            kill_and_reap(pid);
            return 0;
        }
        let Some(end) = wait(pid, &sock, deadline) else {
            // The runner went away: so does its command.
            kill_and_reap(pid);
            return 0;
        };
        if end.write(&mut sock).is_err() {
            return 0;
        }
    }
}

/// The forked child: becomes the command and never returns.
fn child(
    sock: &UnixStream,
    request: &Request,
    fds: &[OwnedFd],
    main: fn(Vec<OsString>) -> i32,
) -> ! {
    // SAFETY: the child has one thread (the zygote had one). It closes the runner's socket,
    // puts the passed descriptors on 0, 1 and 2 (dup2 clears close-on-exec on the copies),
    // and asks to be killed if the zygote dies, so a command is never left running alone.
    unsafe {
        libc::close(sock.as_raw_fd());
        for (target, fd) in fds.iter().enumerate() {
            libc::dup2(fd.as_raw_fd(), target as RawFd);
        }
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
    let names: Vec<OsString> = std::env::vars_os().map(|(k, _)| k).collect();
    for name in names {
        // SAFETY: the child has one thread: nothing reads the environment meanwhile.
        unsafe { std::env::remove_var(name) };
    }
    for (k, v) in &request.env {
        if !k.is_empty() {
            // SAFETY: as above.
            unsafe { std::env::set_var(k, v) };
        }
    }
    let code = match std::env::set_current_dir(&request.cwd) {
        Ok(()) => {
            crate::cli::command_line::set(request.args.clone());
            let args = request.args.clone();
            // A panic ends the command as it ends a process: its message printed, status 101.
            std::panic::catch_unwind(move || main(args)).unwrap_or(101)
        }
        Err(e) => {
            eprintln!("cannot run: {e}");
            127
        }
    };
    std::process::exit(code)
}

/// How the child `pid` ended, killing it at `deadline`; `None` when the runner closed the
/// socket first.
fn wait(pid: i32, sock: &UnixStream, deadline: Instant) -> Option<Reply> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor (owned here) or
    // -1. The pid is this process's unreaped child, so it names that child.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    let pidfd = (pidfd >= 0).then(|| {
        // SAFETY: a descriptor just returned to this process, owned by nobody else.
        unsafe { OwnedFd::from_raw_fd(pidfd as RawFd) }
    });
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            kill_and_reap(pid);
            return Some(Reply::TimedOut);
        }
        // Without pidfds (an old kernel) the child is looked at every few milliseconds.
        let (child_fd, wait_ms) = match &pidfd {
            Some(fd) => (fd.as_raw_fd(), left.as_millis().min(60_000) as i32 + 1),
            None => (-1, 2),
        };
        let mut polled = [
            libc::pollfd {
                fd: sock.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: child_fd,
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: poll reads and writes the two pollfds it is given (a negative fd is
        // ignored).
        unsafe { libc::poll(polled.as_mut_ptr(), 2, wait_ms) };
        if polled[0].revents != 0 {
            // The runner sends nothing while a command runs: this is its end.
            return None;
        }
        if let Some(end) = reap(pid, polled[1].revents == 0 && pidfd.is_some()) {
            return Some(end);
        }
    }
}

/// The child's end if it has ended (`skip`: it cannot have, do not ask).
fn reap(pid: i32, skip: bool) -> Option<Reply> {
    if skip {
        return None;
    }
    let mut status = 0;
    // SAFETY: waitpid writes the status of this process's own child into `status`.
    let got = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
    if got != pid {
        return None;
    }
    Some(if libc::WIFEXITED(status) {
        Reply::Exited(libc::WEXITSTATUS(status))
    } else {
        Reply::Signaled(libc::WTERMSIG(status))
    })
}

fn kill_and_reap(pid: i32) {
    let mut status = 0;
    // SAFETY: `pid` is this process's child, not yet reaped, so no other process has its
    // number; it is killed, then reaped.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        libc::waitpid(pid, &mut status, 0);
    }
}
