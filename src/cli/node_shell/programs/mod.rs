//! The node programs: what a kubeadm node has that kubelite must answer for, reached
//! through links named after them (`ps`, `pgrep`, `systemctl`, `journalctl`, `crictl`,
//! `ip`, `iptables-save`, `etcdctl`), active only in a node shell (`KUBELITE_NODE` set).
//! They reach the cluster as kubelite's verbs do: the embedded cluster opened in this
//! process, or `kubelite serve` over HTTPS while it holds the store.

mod crictl;
mod etcdctl;
mod ip;
mod journalctl;
pub mod processes;
mod ps;
mod systemctl;

use super::super::Io;
use super::super::errors::CliError;
use crate::client::Client;
use chrono::{DateTime, Utc};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// Where a node program runs: the node, the cluster's home, the cluster's time.
pub struct NodeCtx {
    pub node: String,
    pub home: PathBuf,
    pub now: DateTime<Utc>,
    /// With the API server down: the static pods the kubelet runs from the node's files.
    pub files_while_down: Option<crate::kubelet::offline::FileView>,
}

impl NodeCtx {
    /// Where the node's `node_path` is on the host (the same file the shell sees there).
    pub fn host_path(&self, node_path: &str) -> PathBuf {
        crate::nodefs::host_path(&self.home, &self.node, node_path)
    }

    pub fn kubelet_pid(&self) -> u32 {
        crate::nodefs::kubelet_pid(&self.node)
    }

    /// Runs `f` with a client for the cluster; errors printed as kubectl prints them.
    pub fn with_client(
        &self,
        io: &mut Io,
        f: impl FnOnce(&dyn Client, &mut Io) -> Result<i32, CliError>,
    ) -> i32 {
        Self::reported(super::with_cluster(&self.home, io, f), io)
    }

    /// `with_client` for `f` that only reads: no write and no settle when the cluster has
    /// nothing to do (`ps` answers in milliseconds). With the API server down the node
    /// still answers from its own view (`embedded::open_node_view`), as a real node's
    /// /proc and containerd do.
    pub fn reading(
        &self,
        io: &mut Io,
        f: impl FnOnce(&dyn Client, &mut Io) -> Result<i32, CliError>,
    ) -> i32 {
        Self::reported(self.read(io, f), io)
    }

    /// `reading`, with `f`'s answer or error given back to the caller.
    pub fn read<T>(
        &self,
        io: &mut Io,
        f: impl FnOnce(&dyn Client, &mut Io) -> Result<T, CliError>,
    ) -> Result<T, CliError> {
        if crate::server::running(&self.home).is_none()
            && let Ok(Some(view)) = crate::embedded::open_node_view(&self.home)
        {
            return f(&view, io);
        }
        super::with_cluster_reading(&self.home, io, f)
    }

    fn reported(result: Result<i32, CliError>, io: &mut Io) -> i32 {
        match result {
            Ok(code) => code,
            Err(e) => {
                e.report(io.err);
                1
            }
        }
    }
}

/// Runs the node program `name` if this process was invoked as one inside a node shell;
/// `None` when it is not a node program (or, for `etcdctl` and `kubectl`, outside a
/// node shell, where they are kubelite's usual ones).
pub fn main(name: &str, args: &[OsString]) -> Option<i32> {
    if !super::links::PROGRAMS.contains(&name) || name == "kubectl" {
        return None;
    }
    let node = std::env::var(super::NODE_ENV)
        .ok()
        .filter(|n| crate::nodefs::valid_node_name(n));
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let Some(node) = node else {
        if name == "etcdctl" {
            return None;
        }
        let _ = writeln!(
            err,
            "{name}: kubelite's {name} runs only in a node shell (kubelite node ssh NODE)"
        );
        return Some(127);
    };
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut io = Io {
        out: &mut out,
        err: &mut err,
    };
    let code = run(name, &node, &crate::cluster::home(), &words, &mut io);
    let _ = io.out.flush();
    Some(code)
}

/// The node programs that read nothing of the shell's (no variable, no directory, no
/// mount): a command line that is only one of them with plain words runs them in
/// `node ssh`'s own process, as bash would run them, without the shell's start.
pub const RUN_WITHOUT_SHELL: &[&str] = &[
    "ps",
    "pgrep",
    "systemctl",
    "journalctl",
    "crictl",
    "iptables-save",
];

/// Runs the node program `name` with `words` on `node` of the cluster kept in `home`; its
/// exit status.
pub fn run(name: &str, node: &str, home: &std::path::Path, words: &[String], io: &mut Io) -> i32 {
    // The cluster's time, moved as its clock was (`kubelite test`'s `@advance`).
    let clock = crate::clock::Clock::from_env()
        .and_then(|c| c.with_saved_step(&home.join(crate::clock::STEP_FILE)));
    let now = match clock {
        Ok(c) => c.now(),
        Err(e) => {
            let _ = writeln!(io.err, "{name}: {e}");
            return 1;
        }
    };
    // The kubelet goes on without the API server; a node program is where that shows.
    let files_while_down = if crate::server::running(home).is_none()
        && crate::embedded::control_plane_up(home).is_err()
    {
        match crate::kubelet::offline::static_pods_while_down(home, node, now) {
            Ok(view) => view,
            Err(e) => {
                let _ = writeln!(io.err, "{name}: the node's kubelet state: {e}");
                return 1;
            }
        }
    } else {
        None
    };
    let ctx = NodeCtx {
        node: node.to_string(),
        home: home.to_path_buf(),
        now,
        files_while_down,
    };
    match name {
        "ps" => ps::ps(&ctx, words, io),
        "pgrep" => ps::pgrep(&ctx, words, io),
        "systemctl" => systemctl::run(&ctx, words, io),
        "journalctl" => journalctl::run(&ctx, words, io),
        "crictl" => crictl::run(&ctx, words, io),
        "ip" => ip::run(&ctx, words, io),
        "iptables-save" => ctx.reading(io, |client, io| {
            Ok(crate::programs::iptables_save::run(
                client, &ctx.node, ctx.now, io,
            )?)
        }),
        "etcdctl" => etcdctl::run(&ctx, words, io),
        _ => 127,
    }
}
