//! `edit`: open objects in the user's editor and patch what was changed, as kubectl 1.32
//! does (its header, its two-way strategic merge patch, its reopen-on-invalid loop and its
//! messages). `apply edit-last-applied` runs the same loop on the last-applied annotation.

mod editor;
pub(super) mod session;
mod text;

use super::errors::CliError;
use super::selected::{self, Selection};
use super::{GlobalFlags, Io};
use crate::client::Client;
use clap::Args;
use session::{Format, Mode, Session, Target};

#[derive(Args, Debug)]
pub struct EditArgs {
    /// (TYPE NAME | TYPE/NAME | TYPE)
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
    /// Output the patch if the resource is edited.
    #[arg(long)]
    pub output_patch: bool,
    /// If true, the configuration of current object will be saved in its annotation.
    #[arg(long)]
    pub save_config: bool,
    /// If true, keep the managedFields when printing objects in JSON or YAML format.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// If specified, edit will operate on the subresource of the requested object.
    #[arg(long)]
    pub subresource: Option<String>,
    /// Must be one of: strict (or true), warn, ignore (or false).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "strict", default_value = "strict")]
    pub validate: String,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-edit")]
    pub field_manager: String,
    /// Defaults to the line ending native to your platform.
    #[arg(long)]
    pub windows_line_endings: bool,
    #[command(flatten)]
    pub templates: super::output::TemplateArgs,
}

/// The editing format `-o` names (`yaml` when not given).
pub(super) fn format(output: Option<&str>) -> Result<Format, CliError> {
    match output.unwrap_or("") {
        "" | "yaml" => Ok(Format::Yaml),
        "json" => Ok(Format::Json),
        other => Err(CliError::message(format!(
            "unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,yaml"
        ))),
    }
}

/// kubectl's checks of an `edit` command line, before anything is requested.
pub(super) fn validate(args: &EditArgs) -> Result<(), CliError> {
    if args.kustomize.is_some() {
        return Err(CliError::message(
            "kubelite does not support -k on edit: build with `kubelite kustomize DIR > objects.yaml` and pass -f objects.yaml",
        ));
    }
    crate::api::options::check_validate_flag(&args.validate).map_err(CliError::message)?;
    format(args.output.as_deref())?;
    if args.args.is_empty() && args.filenames.is_empty() {
        return Err(CliError::message(super::arg_rules::NO_RESOURCES));
    }
    Ok(())
}

/// The objects the command line names, each read; any failed read stops the edit.
pub(super) fn read_targets(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &[String],
    filenames: &[String],
    recursive: bool,
) -> Result<Vec<Target>, CliError> {
    // A lone type with no name edits every object of it.
    let all = args.len() == 1 && !args[0].contains('/');
    let selection = Selection {
        args,
        filenames,
        recursive,
        selector: None,
        all,
        all_namespaces: false,
        field_selector: None,
    };
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for item in selected::read(client, global, &selection)? {
        match item {
            Ok(i) => targets.push(Target {
                resource: i.resource,
                namespace: i.namespace,
                name: i.name,
                object: i.object,
            }),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return selected::finish(errors).map(|_| Vec::new());
    }
    if targets.is_empty() {
        return Err(CliError::message("edit cancelled, no objects found"));
    }
    Ok(targets)
}

/// The subresource's view of each target (`--subresource`), read as kubectl reads it.
fn subresource_view(
    client: &dyn Client,
    targets: &mut [Target],
    sub: &str,
) -> Result<(), CliError> {
    for t in targets {
        let path = format!(
            "{}/{}/{sub}",
            t.resource.collection_path(t.namespace.as_deref()),
            t.name
        );
        t.object = match client.get_path(&path, "application/json") {
            Some(r) => r?,
            None if sub == "status" && crate::api::registry::has_status(t.resource) => {
                t.object.clone()
            }
            // Only the workload kinds have a scale subresource.
            None if sub == "scale"
                && matches!(
                    t.resource.kind,
                    "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
                ) =>
            {
                crate::apiserver::scale::scale_of(&t.object)
            }
            None => {
                return Err(crate::api::status::ApiError::new(
                    404,
                    "NotFound",
                    "the server could not find the requested resource",
                )
                .into());
            }
        };
    }
    Ok(())
}

/// Runs a validated `edit`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &EditArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let format = format(args.output.as_deref())?;
    let subresource: Option<&'static str> = match args.subresource.as_deref() {
        None | Some("") => None,
        Some("status") => Some("status"),
        Some("scale") => Some("scale"),
        Some(_) => None,
    };
    let mut targets = read_targets(client, global, &args.args, &args.filenames, args.recursive)?;
    if let Some(sub) = args.subresource.as_deref().filter(|s| !s.is_empty()) {
        subresource_view(client, &mut targets, sub)?;
    }
    let session = Session {
        client,
        mode: Mode::Object,
        format,
        windows_line_endings: args.windows_line_endings,
        validate: !matches!(args.validate.as_str(), "ignore" | "false"),
        field_validation: crate::api::options::field_validation(&args.validate),
        field_manager: &args.field_manager,
        output_patch: args.output_patch,
        save_config: args.save_config,
        show_managed_fields: args.show_managed_fields,
        subresource,
        namespace: global.namespace(),
        print_objects: args.output.as_deref().is_some_and(|o| !o.is_empty()),
    };
    session.run(&targets, io)
}
