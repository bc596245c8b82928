//! `kubelite node ssh NODE [-- COMMAND...]` (and `kubelite ssh`): a shell, or one command,
//! "on" a simulated node of the embedded cluster.
//!
//! The shell is the machine's own bash, not an imitation: pipes, `grep`, `sed -i`, `vi`
//! and `openssl` all work as they do anywhere. It runs in new mount and UTS namespaces
//! (`namespace`) where the node's directories (`$KUBELITE_HOME/nodes/<node>/`) cover
//! `/etc/kubernetes`, `/var/lib` and `/var/log`, the host name is the node's, and the
//! programs a node has that a simulation must answer for (`ps`, `systemctl`, `journalctl`,
//! `crictl`, `etcdctl`, ...) are links to kubelite first on `PATH` (`programs`).
//!
//! Remote clusters are refused: their nodes are real machines, not kubelite's.

mod files;
mod links;
mod namespace;
mod pki;
pub mod programs;
mod write;

use super::Io;
use super::errors::CliError;
use crate::api::status::ApiError;
use crate::client::Client;
use clap::Args;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Set in the node shell: the node it runs on. Node programs answer only where it is set.
pub const NODE_ENV: &str = "KUBELITE_NODE";
/// Set in the node shell: the node's InternalIP.
pub const NODE_IP_ENV: &str = "KUBELITE_NODE_IP";

#[derive(Args, Debug)]
pub struct SshArgs {
    /// The node to log into
    pub node: String,
    /// A command to run on the node instead of an interactive shell (after `--`)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// Runs the shell (or the command) on the node; its exit status.
pub fn run(global: &super::GlobalFlags, args: &SshArgs, io: &mut Io) -> Result<i32, CliError> {
    use crate::kubeconfig::{SelectError, Target};
    let selection = crate::kubeconfig::select(&global.overrides(), &crate::cluster::home())
        .map_err(|e| match e {
            SelectError::Message(m) => CliError::Message(m),
            other => CliError::Raw(other.stderr_text()),
        })?;
    let home = match selection.target {
        Target::Embedded { home } => absolute(&home)?,
        Target::Remote(config) => {
            return Err(CliError::message(format!(
                "node ssh logs into the simulated nodes of kubelite's embedded cluster; the current context's cluster ({}) is a remote one, whose nodes are real machines: log into them with ssh",
                config.server
            )));
        }
    };
    if !crate::nodefs::valid_node_name(&args.node) {
        return Err(ApiError::not_found("", "nodes", &args.node).into());
    }
    let node = read_node(&home, &args.node, io)?;
    let ip = internal_ip(&node);
    let identity = pki::NodeIdentity {
        node: &args.node,
        ip,
        control_plane: is_control_plane(&node),
    };
    files::ensure(&home, &identity).map_err(CliError::message)?;
    let bin = links::ensure(&home).map_err(CliError::message)?;
    // Words are joined with spaces for the node's shell, as ssh does.
    let line = (!args.command.is_empty()).then(|| args.command.join(" "));
    if let Some(words) = line.as_deref().and_then(plain_words)
        && programs::RUN_WITHOUT_SHELL.contains(&words[0].as_str())
    {
        let _ = io.out.flush();
        return Ok(programs::run(&words[0], &args.node, &home, &words[1..], io));
    }
    let root = crate::nodefs::root(&home, &args.node);
    let spec = namespace::ShellSpec {
        node: &args.node,
        ip,
        root: &root,
        home: &home,
        bin: &bin,
        command: line.as_deref(),
    };
    let _ = io.out.flush();
    namespace::run(&spec).map_err(CliError::message)
}

/// The words of a command line in which bash would see nothing but words: no quoting,
/// expansion, redirection, operator, comment or assignment; `None` for any other line.
/// bash runs such a line by looking its first word up on `PATH` and running it with the
/// others, as they are.
fn plain_words(line: &str) -> Option<Vec<String>> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:,+@%=".contains(c);
    let words: Vec<String> = line
        .split([' ', '\t', '\n'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let all_plain = words.iter().all(|w| w.chars().all(plain));
    // `NAME=value program`: bash sets a variable first.
    let assigns = words.first().is_none_or(|w| w.contains('='));
    (all_plain && !assigns).then_some(words)
}

/// The node, read as it is stored (the node's programs bring the cluster up to date when
/// they run); a cluster not made yet is made and settled first.
fn read_node(home: &Path, node: &str, io: &mut Io) -> Result<Value, CliError> {
    let get =
        |client: &dyn Client| -> Result<Value, CliError> { Ok(client.get(nodes()?, None, node)?) };
    if crate::server::running(home).is_none()
        && let Some(client) = crate::embedded::open_existing(
            &home.join(crate::cluster::STORE_FILE),
            std::time::Duration::from_secs(10),
        )
    {
        return get(&client);
    }
    with_cluster(home, io, |client, _| get(client))
}

/// Runs `f` with a client for the embedded cluster in `home`: over HTTPS while `kubelite
/// serve` holds it, otherwise opened here (and closed before this returns, so that the
/// node's programs can open it in turn).
pub(crate) fn with_cluster<T>(
    home: &Path,
    io: &mut Io,
    f: impl FnOnce(&dyn Client, &mut Io) -> Result<T, CliError>,
) -> Result<T, CliError> {
    if let Some(remote) = crate::server::running(home) {
        return f(&remote, io);
    }
    let client = crate::embedded::open_home(home).map_err(CliError::message)?;
    super::settle_noting(&client, io)?;
    let out = f(&client, io)?;
    super::settle_noting(&client, io)?;
    Ok(out)
}

/// `with_cluster` for `f` that only reads: the cluster opened read-only, without settling,
/// when its control plane has nothing to do (`embedded::open_settled`); as `with_cluster`
/// otherwise.
pub(crate) fn with_cluster_reading<T>(
    home: &Path,
    io: &mut Io,
    f: impl FnOnce(&dyn Client, &mut Io) -> Result<T, CliError>,
) -> Result<T, CliError> {
    if crate::server::running(home).is_none()
        && let Some(client) = crate::embedded::open_settled(home)
    {
        return f(&client, io);
    }
    with_cluster(home, io, f)
}

pub(crate) fn nodes() -> Result<&'static crate::api::registry::Resource, ApiError> {
    resource("nodes")
}

pub(crate) fn resource(plural: &str) -> Result<&'static crate::api::registry::Resource, ApiError> {
    crate::api::registry::find(plural)
        .ok_or_else(|| ApiError::internal(format!("no resource {plural}")))
}

pub(crate) fn is_control_plane(node: &Value) -> bool {
    node.pointer("/metadata/labels")
        .and_then(Value::as_object)
        .is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane"))
}

/// The node's InternalIP (loopback if it reports none).
pub(crate) fn internal_ip(node: &Value) -> std::net::IpAddr {
    node.pointer("/status/addresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|a| a["type"] == "InternalIP")
        .and_then(|a| a["address"].as_str())
        .and_then(|a| a.parse().ok())
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]))
}

fn absolute(home: &Path) -> Result<PathBuf, CliError> {
    std::path::absolute(home)
        .map_err(|e| CliError::message(format!("cannot resolve {}: {e}", home.display())))
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn only_lines_of_plain_words_run_without_the_shell() {
        assert_eq!(
            plain_words("ps  aux"),
            Some(vec!["ps".to_string(), "aux".to_string()])
        );
        assert_eq!(
            plain_words("crictl logs --tail=5 0123abc"),
            Some(
                ["crictl", "logs", "--tail=5", "0123abc"]
                    .map(String::from)
                    .to_vec()
            )
        );
        for shell in [
            "ps aux | grep etcd",
            "ps aux > out",
            "ps aux; true",
            "ps aux && true",
            "ps $FLAGS",
            "ps 'aux'",
            "ps \\aux",
            "ps aux # note",
            "ps ~",
            "ps *",
            "ps {a,b}",
            "ps `x`",
            "ps aux &",
            "ETCDCTL_API=3 etcdctl get x",
            "   ",
        ] {
            assert_eq!(plain_words(shell), None, "{shell}");
        }
    }
}
