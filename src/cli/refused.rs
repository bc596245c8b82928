//! Verbs kubelite names but does not run, each refused before any cluster is opened with
//! the reason (exit 1), never half done.

use super::errors::CliError;
use clap::Args;

/// The words after a refused verb, kept only to be refused whole.
#[derive(Args, Debug)]
pub struct RefusedArgs {
    /// Arguments and flags, as kubectl takes them
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub words: Vec<String>,
}

pub const DEBUG: &str = "kubelite debug is not built: it adds an ephemeral container to a pod (or copies the pod, or starts a pod on a node) and attaches to it, which needs real containers; use kubectl debug against a remote cluster";

pub fn debug(_: &RefusedArgs) -> Result<(), CliError> {
    Err(CliError::message(DEBUG))
}
