//! `kubelite store copy --from PLACE --to PLACE` (kubelite's own verb): a cluster moved
//! between a home's store file and an etcd, either way (see `embedded::store_copy`).

use super::Io;
use super::errors::CliError;
use crate::embedded::store_copy::{Place, copy};
use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct StoreArgs {
    #[command(subcommand)]
    pub command: StoreCommand,
}

#[derive(Subcommand, Debug)]
pub enum StoreCommand {
    /// Copy a cluster, read at one revision, from one store to another
    Copy(CopyArgs),
}

#[derive(Args, Debug)]
pub struct CopyArgs {
    /// Where the cluster is: kubelite:///DIR (a home's store file; kubelite:// for
    /// KUBELITE_HOME) or etcd://HOST:PORT[,HOST:PORT...][/PREFIX]
    #[arg(long, value_name = "PLACE")]
    pub from: String,
    /// Where it goes, in the same forms; it must hold no cluster
    #[arg(long, value_name = "PLACE")]
    pub to: String,
    /// Replace the cluster the target holds (deleted first)
    #[arg(long)]
    pub overwrite: bool,
}

pub fn run(args: &StoreArgs, io: &mut Io) -> Result<i32, CliError> {
    let StoreCommand::Copy(args) = &args.command;
    let from = Place::parse(&args.from).map_err(|e| CliError::message(format!("--from: {e}")))?;
    let to = Place::parse(&args.to).map_err(|e| CliError::message(format!("--to: {e}")))?;
    if let Place::Home(dir) = &to
        && crate::server::serving(dir)
    {
        return Err(CliError::message(format!(
            "kubelite serve is running on {}: stop it before copying a cluster into it",
            dir.display()
        )));
    }
    let copied = copy(&from, &to, args.overwrite).map_err(CliError::message)?;
    let _ = writeln!(io.out, "{}", copied.summary(&from, &to));
    Ok(0)
}
