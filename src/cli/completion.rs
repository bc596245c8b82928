//! `completion`: print the shell completion script, as `kubectl completion SHELL` does.

use super::complete::{Shell, script};
use super::errors::CliError;
use super::{Io, help};
use clap::{Args, ValueEnum};

#[derive(Args, Debug)]
pub struct CompletionArgs {
    /// The shell: bash, zsh, fish or powershell
    #[arg(value_name = "SHELL")]
    pub shell: Vec<String>,
}

pub fn run(args: &CompletionArgs, io: &mut Io) -> Result<i32, CliError> {
    let shell = match args.shell.as_slice() {
        [] => return Err(usage("Shell not specified.")),
        [one] => Shell::from_str(one, false)
            .map_err(|_| usage(&format!("Unsupported shell type \"{one}\".")))?,
        _ => return Err(usage("Too many arguments. Expected only the shell type.")),
    };
    io.out
        .write_all(script(shell).as_bytes())
        .map_err(|e| CliError::message(e.to_string()))?;
    Ok(0)
}

/// kubectl's wording for a bad `completion` command line.
fn usage(what: &str) -> CliError {
    CliError::Raw(format!(
        "error: {what}\nSee 'kubelite completion -h' for help and examples\n"
    ))
}

/// `options`: the global flags.
pub fn run_options(io: &mut Io) -> Result<i32, CliError> {
    writeln!(io.out, "{}", help::global_options()).map_err(|e| CliError::message(e.to_string()))?;
    Ok(0)
}
