//! `snapshot save|restore FILE` (kubelite's own verb): a whole embedded cluster (its store
//! at one revision, its nodes' files, serve's CA and keys) in one file, and back into a new
//! home. A suite prepares a cluster once and forks it per test; `serve --snapshot FILE` and
//! a scenario's `@snapshot FILE` start from one. The file's layout is
//! `embedded::snapshot`'s.

use super::Io;
use super::errors::CliError;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct SnapshotArgs {
    #[command(subcommand)]
    pub command: SnapshotCommand,
}

#[derive(Subcommand, Debug)]
pub enum SnapshotCommand {
    /// Save the embedded cluster (KUBELITE_HOME) to FILE, at one revision of its store
    Save { file: PathBuf },
    /// Restore the cluster saved in FILE into KUBELITE_HOME, which must be empty or new
    Restore { file: PathBuf },
}

pub fn run(args: &SnapshotArgs, io: &mut Io) -> Result<i32, CliError> {
    let home = crate::cluster::home();
    match &args.command {
        SnapshotCommand::Save { file } => {
            refuse_while_served(&home, "saving a snapshot")?;
            let done = crate::embedded::snapshot::save(&home, file).map_err(CliError::message)?;
            let _ = writeln!(
                io.out,
                "Snapshot saved at {} (revision {})",
                file.display(),
                done.revision
            );
        }
        SnapshotCommand::Restore { file } => {
            refuse_while_served(&home, "restoring a snapshot into its home")?;
            let done =
                crate::embedded::snapshot::restore(file, &home).map_err(CliError::message)?;
            let _ = writeln!(
                io.out,
                "Restored the cluster of {} (revision {}) into {}",
                file.display(),
                done.revision,
                home.display()
            );
        }
    }
    Ok(0)
}

/// A server holds the store (and changes the cluster at any moment): stop it first.
fn refuse_while_served(home: &Path, what: &str) -> Result<(), CliError> {
    if crate::server::serving(home) {
        return Err(CliError::message(format!(
            "kubelite serve is running on {}: stop it before {what}",
            home.display()
        )));
    }
    Ok(())
}
