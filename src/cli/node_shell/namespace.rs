//! The node shell's process: the system's own shell in new mount and UTS namespaces, where
//! the node's directories are mounted over the host's and the host name is the node's.
//!
//! As root, `unshare(CLONE_NEWNS | CLONE_NEWUTS)`; as anyone else a user namespace too, in
//! which root is the caller (as `unshare -rm` does), so the mounts need no privilege and
//! files written in the shell belong to the caller on the host. Mounts are made private
//! first, so none of them is seen outside the shell, and all go away with it.
//!
//! `/etc/kubernetes` does not exist on most hosts, and a bind mount needs a directory to
//! cover: `/etc` is then overlaid with a scratch layer (in a tmpfs of the namespace) in
//! which that directory is made. Other changes to `/etc` in the shell stay in that layer.
//!
//! Everything the child does between fork and exec is a system call on data prepared
//! before the fork: no allocation happens there.

use std::ffi::CString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

/// The node's directories that cover the host's: `/var/lib` whole, so that a restore into
/// a new data directory (`/var/lib/etcd-from-backup`) lands in the node's root.
const COVERED: &[&str] = &["/etc/kubernetes", "/var/lib", "/var/log"];

/// What the shell runs on which node.
pub struct ShellSpec<'a> {
    pub node: &'a str,
    pub ip: std::net::IpAddr,
    /// The node's root directory on the host.
    pub root: &'a Path,
    /// The cluster's home, as node programs find it (`KUBELITE_HOME`).
    pub home: &'a Path,
    /// The directory of the node programs' links, first on `PATH`.
    pub bin: &'a Path,
    /// One command line (`bash -c`), or none for an interactive shell.
    pub command: Option<&'a str>,
}

/// One step the child takes before it runs the shell.
enum Step {
    Unshare(libc::c_int),
    WriteFile(CString, Vec<u8>),
    MakePrivate,
    Tmpfs(CString),
    MakeDir(CString),
    Overlay(CString, CString),
    Bind(CString, CString),
    Hostname(Vec<u8>),
    DefaultSignals,
}

/// Runs the shell and waits for it; its exit status (128 + signal if killed).
pub fn run(spec: &ShellSpec) -> Result<i32, String> {
    let shell =
        system_shell().ok_or("no shell on this machine: neither bash nor sh is on the PATH")?;
    let steps = plan(spec)?;
    let mut cmd = std::process::Command::new(&shell);
    // Named as sshd names it (`bash: line 1: x: command not found`, not `/usr/bin/bash:`).
    if let Some(name) = shell.file_name() {
        cmd.arg0(name);
    }
    if let Some(line) = spec.command {
        cmd.arg("-c").arg(line);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    let mut new_path = spec.bin.as_os_str().to_owned();
    new_path.push(":");
    new_path.push(path);
    cmd.env("PATH", new_path)
        .env(super::NODE_ENV, spec.node)
        .env(super::NODE_IP_ENV, spec.ip.to_string())
        .env(crate::cluster::HOME_ENV, spec.home)
        .env("HOSTNAME", spec.node)
        .env("PS1", "\\u@\\h:\\w\\$ ");
    let workdir = std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|h| h.is_dir())
        .unwrap_or_else(|| PathBuf::from("/"));
    cmd.current_dir(workdir);
    // SAFETY: the closure only makes system calls on memory allocated before the fork.
    unsafe {
        cmd.pre_exec(move || run_steps(&steps));
    }
    // The shell owns the terminal: Ctrl-C is for what runs in it, not for this process.
    let ignored = ignore_interrupts();
    let spawned = cmd.spawn();
    let result = match spawned {
        Ok(mut child) => child
            .wait()
            .map_err(|e| format!("cannot wait for the node shell: {e}")),
        Err(e) => Err(format!(
            "cannot start a shell on node {}: {e}. The node shell runs {} in new mount and UTS namespaces (unshare(2){}); this machine refuses them (for a non-root user, user namespaces must be allowed: sysctl kernel.unprivileged_userns_clone=1 or user.max_user_namespaces > 0)",
            spec.node,
            shell.display(),
            if is_root() {
                ""
            } else {
                " with a user namespace"
            },
        )),
    };
    restore_interrupts(ignored);
    let status = result?;
    use std::os::unix::process::ExitStatusExt;
    Ok(status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1))
}

fn is_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() == 0 }
}

/// bash if the machine has it, else sh.
fn system_shell() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    for name in ["bash", "sh"] {
        for dir in std::env::split_paths(&path).chain([PathBuf::from("/bin")]) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn cstring(p: impl AsRef<std::ffi::OsStr>) -> Result<CString, String> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(p.as_ref().as_bytes()).map_err(|_| "a path holds a NUL byte".to_string())
}

/// The child's steps, in order.
fn plan(spec: &ShellSpec) -> Result<Vec<Step>, String> {
    for covered in COVERED {
        if spec.home.starts_with(covered) {
            return Err(format!(
                "KUBELITE_HOME ({}) lies under {covered}, which the node shell covers with the node's own: keep the cluster elsewhere",
                spec.home.display()
            ));
        }
    }
    let mut steps = Vec::new();
    let mut flags = libc::CLONE_NEWNS | libc::CLONE_NEWUTS;
    let userns = !is_root();
    if userns {
        flags |= libc::CLONE_NEWUSER;
    }
    steps.push(Step::Unshare(flags));
    if userns {
        // SAFETY: getuid/getgid have no preconditions.
        let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
        steps.push(Step::WriteFile(
            cstring("/proc/self/setgroups")?,
            b"deny".to_vec(),
        ));
        steps.push(Step::WriteFile(
            cstring("/proc/self/uid_map")?,
            format!("0 {uid} 1").into_bytes(),
        ));
        steps.push(Step::WriteFile(
            cstring("/proc/self/gid_map")?,
            format!("0 {gid} 1").into_bytes(),
        ));
    }
    steps.push(Step::MakePrivate);
    if !Path::new("/etc/kubernetes").is_dir() {
        let scratch = spec.root.join(".shell");
        std::fs::create_dir_all(&scratch)
            .map_err(|e| format!("cannot make {}: {e}", scratch.display()))?;
        let upper = scratch.join("upper");
        let work = scratch.join("work");
        let mut options = format!(
            "lowerdir=/etc,upperdir={},workdir={}",
            upper.display(),
            work.display()
        );
        if userns {
            options.push_str(",userxattr");
        }
        steps.push(Step::Tmpfs(cstring(&scratch)?));
        steps.push(Step::MakeDir(cstring(&upper)?));
        steps.push(Step::MakeDir(cstring(&work)?));
        steps.push(Step::Overlay(cstring("/etc")?, cstring(options)?));
        steps.push(Step::MakeDir(cstring("/etc/kubernetes")?));
    }
    for covered in COVERED {
        let source = crate::nodefs::host_path(spec.home, spec.node, covered);
        std::fs::create_dir_all(&source)
            .map_err(|e| format!("cannot make {}: {e}", source.display()))?;
        steps.push(Step::Bind(cstring(&source)?, cstring(covered)?));
    }
    steps.push(Step::Hostname(spec.node.as_bytes().to_vec()));
    steps.push(Step::DefaultSignals);
    Ok(steps)
}

/// What the child runs between fork and exec. A failing step names itself on stderr
/// (a raw write), and its errno becomes `spawn`'s error.
fn run_steps(steps: &[Step]) -> std::io::Result<()> {
    for step in steps {
        // SAFETY: every pointer is to a live CString or buffer owned by `steps`.
        let (ok, what): (bool, &[u8]) = unsafe {
            match step {
                Step::Unshare(flags) => (libc::unshare(*flags) == 0, b"unshare"),
                Step::WriteFile(path, bytes) => {
                    let fd = libc::open(path.as_ptr(), libc::O_WRONLY);
                    let ok = fd >= 0
                        && libc::write(fd, bytes.as_ptr().cast(), bytes.len())
                            == bytes.len() as isize;
                    if fd >= 0 {
                        libc::close(fd);
                    }
                    (ok, b"user namespace id maps")
                }
                Step::MakePrivate => (
                    libc::mount(
                        c"none".as_ptr(),
                        c"/".as_ptr(),
                        std::ptr::null(),
                        libc::MS_REC | libc::MS_PRIVATE,
                        std::ptr::null(),
                    ) == 0,
                    b"making mounts private",
                ),
                Step::Tmpfs(target) => (
                    libc::mount(
                        c"tmpfs".as_ptr(),
                        target.as_ptr(),
                        c"tmpfs".as_ptr(),
                        0,
                        std::ptr::null(),
                    ) == 0,
                    b"tmpfs for /etc's scratch layer",
                ),
                Step::MakeDir(path) => {
                    let r = libc::mkdir(path.as_ptr(), 0o755);
                    (
                        r == 0 || *libc::__errno_location() == libc::EEXIST,
                        b"mkdir",
                    )
                }
                Step::Overlay(target, options) => (
                    libc::mount(
                        c"overlay".as_ptr(),
                        target.as_ptr(),
                        c"overlay".as_ptr(),
                        0,
                        options.as_ptr().cast(),
                    ) == 0,
                    b"overlay on /etc",
                ),
                Step::Bind(source, target) => (
                    libc::mount(
                        source.as_ptr(),
                        target.as_ptr(),
                        std::ptr::null(),
                        libc::MS_BIND | libc::MS_REC,
                        std::ptr::null(),
                    ) == 0,
                    b"bind mount of the node's directories",
                ),
                Step::Hostname(name) => (
                    libc::sethostname(name.as_ptr().cast(), name.len()) == 0,
                    b"sethostname",
                ),
                Step::DefaultSignals => {
                    libc::signal(libc::SIGINT, libc::SIG_DFL);
                    libc::signal(libc::SIGQUIT, libc::SIG_DFL);
                    (true, b"")
                }
            }
        };
        if !ok {
            let err = std::io::Error::last_os_error();
            // SAFETY: writes of live buffers to stderr.
            unsafe {
                libc::write(2, b"kubelite: node shell: ".as_ptr().cast(), 22);
                libc::write(2, what.as_ptr().cast(), what.len());
                libc::write(2, b" failed\n".as_ptr().cast(), 8);
            }
            return Err(err);
        }
    }
    Ok(())
}

/// Ignores SIGINT and SIGQUIT in this process while the shell runs; the previous handlers.
fn ignore_interrupts() -> (libc::sighandler_t, libc::sighandler_t) {
    // SAFETY: setting a signal's disposition to SIG_IGN is always valid.
    unsafe {
        (
            libc::signal(libc::SIGINT, libc::SIG_IGN),
            libc::signal(libc::SIGQUIT, libc::SIG_IGN),
        )
    }
}

fn restore_interrupts((int, quit): (libc::sighandler_t, libc::sighandler_t)) {
    // SAFETY: the handlers given back are the ones signal(2) returned before.
    unsafe {
        libc::signal(libc::SIGINT, int);
        libc::signal(libc::SIGQUIT, quit);
    }
}
