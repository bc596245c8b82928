//! `completion`: print the shell completion script, as `kubectl completion SHELL` does.

use super::complete::{Shell, script};
use super::errors::CliError;
use super::{Io, help};
use clap::Args;

#[derive(Args, Debug)]
pub struct CompletionArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionArgs, io: &mut Io) -> Result<i32, CliError> {
    io.out
        .write_all(script(args.shell).as_bytes())
        .map_err(|e| CliError::message(e.to_string()))?;
    Ok(0)
}

/// `options`: the global flags.
pub fn run_options(io: &mut Io) -> Result<i32, CliError> {
    writeln!(io.out, "{}", help::global_options()).map_err(|e| CliError::message(e.to_string()))?;
    Ok(0)
}
