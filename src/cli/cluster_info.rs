//! `cluster-info`: where the control plane and cluster services are.

use super::Io;
use super::errors::CliError;
use crate::client::Client;
use clap::Args;

#[derive(Args, Debug)]
pub struct ClusterInfoArgs {}

pub fn run(client: &dyn Client, _args: &ClusterInfoArgs, io: &mut Io) -> Result<i32, CliError> {
    // kubectl colours these lines on a terminal; the words are the same.
    let text = format!(
        "Kubernetes control plane is running at {}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
        client.server_url()
    );
    let _ = io.out.write_all(text.as_bytes());
    Ok(0)
}
