//! `set`: change one feature of objects (images, environment, resources, service account,
//! selector, subjects). Each subcommand edits the objects it reads and sends the strategic merge
//! patch of its edit, as kubectl does.

mod account;
mod env;
mod image;
mod objects;
mod resources;
mod selector;
mod smp_diff;
mod subject;

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::client::Client;
use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct SetArgs {
    #[command(subcommand)]
    pub command: SetCommand,
}

#[derive(Subcommand, Debug)]
pub enum SetCommand {
    /// Update the image of a pod template
    Image(image::ImageArgs),
    /// Update environment variables on a pod template
    Env(env::EnvArgs),
    /// Update resource requests/limits on objects with pod templates
    Resources(resources::ResourcesArgs),
    /// Update the service account of a resource
    #[command(alias = "sa")]
    Serviceaccount(account::AccountArgs),
    /// Set the selector on a resource
    Selector(selector::SelectorArgs),
    /// Update the user, group, or service account in a role binding or cluster role binding
    Subject(subject::SubjectArgs),
}

impl SetArgs {
    /// Whether the subcommand owns `--user` (`set subject`: the subjects to add).
    pub(super) fn owns_user_flag(&self) -> bool {
        matches!(self.command, SetCommand::Subject(_))
    }
}

/// kubectl's checks of a `set` command line before anything is requested.
pub(super) fn validate(args: &SetArgs) -> Result<(), CliError> {
    match &args.command {
        SetCommand::Image(a) => image::validate(a),
        SetCommand::Env(a) => env::validate(a),
        SetCommand::Resources(a) => resources::validate(a),
        SetCommand::Serviceaccount(a) => account::validate(a),
        SetCommand::Selector(a) => selector::validate(a),
        SetCommand::Subject(a) => subject::validate(a),
    }
}

/// Runs a validated `set`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &SetArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    match &args.command {
        SetCommand::Image(a) => image::run(client, global, a, io),
        SetCommand::Env(a) => env::run(client, global, a, io),
        SetCommand::Resources(a) => resources::run(client, global, a, io),
        SetCommand::Serviceaccount(a) => account::run(client, global, a, io),
        SetCommand::Selector(a) => selector::run(client, global, a, io),
        SetCommand::Subject(a) => subject::run(client, global, a, io),
    }
}
