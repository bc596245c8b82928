//! `apply edit-last-applied`: `edit`'s loop on the last-applied configurations of
//! objects; each changed one is recorded back with a JSON merge patch of the annotation.

use super::super::edit::{self, session};
use super::super::errors::CliError;
use super::super::{GlobalFlags, Io};
use crate::cli::merge::last_applied;
use crate::client::Client;
use clap::Args;

#[derive(Args, Debug)]
pub struct EditLastArgs {
    /// (TYPE NAME | TYPE/NAME)
    pub args: Vec<String>,
    /// Filename, directory, or URL to files to use to edit the resource
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Process the kustomization directory (not supported by kubelite).
    #[arg(short = 'k', long)]
    pub kustomize: Option<String>,
    /// Output format of the file to edit. One of: (json, yaml).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Must be one of: strict (or true), warn, ignore (or false).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "strict", default_value = "strict")]
    pub validate: String,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-client-side-apply")]
    pub field_manager: String,
    /// If true, keep the managedFields when printing objects in JSON or YAML format.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// Defaults to the line ending native to your platform.
    #[arg(long)]
    pub windows_line_endings: bool,
    #[command(flatten)]
    pub templates: super::super::output::TemplateArgs,
}

pub(super) fn validate(args: &EditLastArgs) -> Result<(), CliError> {
    if args.kustomize.is_some() {
        return Err(CliError::message(
            "kubelite does not support -k on apply edit-last-applied: build with `kubelite kustomize DIR > objects.yaml` and pass -f objects.yaml",
        ));
    }
    crate::api::options::check_validate_flag(&args.validate).map_err(CliError::message)?;
    edit::format(args.output.as_deref())?;
    if args.args.is_empty() && args.filenames.is_empty() {
        return Err(CliError::message(super::super::arg_rules::NO_RESOURCES));
    }
    Ok(())
}

pub(super) fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &EditLastArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let format = edit::format(args.output.as_deref())?;
    let targets = edit::read_targets(client, global, &args.args, &args.filenames, args.recursive)?;
    if targets
        .iter()
        .any(|t| last_applied::text_of(&t.object).is_none())
    {
        return Err(CliError::message(
            "no last-applied-configuration annotation found on resources, to create the annotation, use command `kubectl apply set-last-applied --create-annotation`",
        ));
    }
    let session = session::Session {
        client,
        mode: session::Mode::LastApplied,
        format,
        windows_line_endings: args.windows_line_endings,
        validate: !matches!(args.validate.as_str(), "ignore" | "false"),
        field_validation: crate::api::options::field_validation(&args.validate),
        field_manager: &args.field_manager,
        output_patch: false,
        save_config: false,
        show_managed_fields: args.show_managed_fields,
        subresource: None,
        namespace: global.namespace(),
        print_objects: args.output.as_deref().is_some_and(|o| !o.is_empty()),
    };
    session.run(&targets, io)
}
