//! `node stop|start NAME` (and `node ssh`, in `node_shell`): take a node's kubelet down or bring it back (kubelite's own
//! verb, for walking through node failure: after 40 s of cluster time the node turns
//! NotReady, after 5 more minutes its pods are evicted).

use super::Io;
use super::errors::CliError;
use crate::client::Client;
use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct NodeArgs {
    #[command(subcommand)]
    pub command: NodeCommand,
}

#[derive(Subcommand, Debug)]
pub enum NodeCommand {
    /// Stop a node's kubelet: it stops renewing its lease and running pods
    Stop { node: String },
    /// Start a node's kubelet again
    Start { node: String },
    /// Open a shell, or run one command, on a node (as if logged in with ssh)
    Ssh(super::node_shell::SshArgs),
}

pub fn run(client: &dyn Client, args: &NodeArgs, io: &mut Io) -> Result<i32, CliError> {
    let (node, running, word) = match &args.command {
        NodeCommand::Stop { node } => (node, false, "stopped"),
        NodeCommand::Start { node } => (node, true, "started"),
        NodeCommand::Ssh(_) => return Ok(0),
    };
    crate::kubelet::set_running(client, node, running)?;
    let _ = writeln!(io.out, "node/{node} kubelet {word}");
    Ok(0)
}
