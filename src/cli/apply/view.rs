//! `apply view-last-applied`: the last applied configuration of objects, as YAML or JSON
//! (the annotation's JSON indented by two spaces, as kubectl's `json.Indent` does).

use super::super::errors::CliError;
use super::super::selected::{self, Selection};
use super::super::{GlobalFlags, Io};
use crate::cli::merge::last_applied;
use crate::client::Client;
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct ViewArgs {
    /// (TYPE NAME | TYPE/NAME)
    pub args: Vec<String>,
    /// Output format. Must be one of (yaml, json)
    #[arg(short = 'o', long, default_value = "yaml")]
    pub output: String,
    /// Filename, directory, or URL to files that contains the last-applied-configuration annotations
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
}

pub(super) fn validate(args: &ViewArgs) -> Result<(), CliError> {
    if !matches!(args.output.as_str(), "yaml" | "json") {
        return Err(CliError::Raw(format!(
            "error: Unexpected -o output mode: {}, the flag 'output' must be one of yaml|json\nSee 'kubelite apply view-last-applied -h' for help and examples\n",
            args.output
        )));
    }
    super::super::arg_rules::Naming {
        args: &args.args,
        from_files: !args.filenames.is_empty(),
        ..Default::default()
    }
    .check_required()
}

pub(super) fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ViewArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let selection = Selection {
        args: &args.args,
        filenames: &args.filenames,
        recursive: args.recursive,
        selector: None,
        all: false,
        all_namespaces: false,
        field_selector: None,
    };
    let mut errors = Vec::new();
    for item in selected::read(client, global, &selection)? {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        // An object never applied has nothing to show, and that is no error.
        let Some(text) = last_applied::text_of(&item.object) else {
            continue;
        };
        let value: Value = serde_json::from_str(text)
            .map_err(|e| CliError::message(format!("invalid last-applied-configuration: {e}")))?;
        let shown = if args.output == "json" {
            two_space_json(&value)
        } else {
            crate::print::yaml::to_yaml(&value)
        };
        let _ = io.out.write_all(shown.as_bytes());
    }
    selected::finish(errors)
}

/// Go's `json.Indent(.., "", "  ")` of the sorted compact annotation: kubectl's `-o json`
/// layout with two spaces a level (JSON strings hold no raw newline, so lines are safe).
fn two_space_json(v: &Value) -> String {
    let four = crate::print::json::to_json(v);
    let mut out = String::with_capacity(four.len());
    for line in four.lines() {
        let body = line.trim_start_matches(' ');
        let depth = (line.len() - body.len()) / 4;
        out.push_str(&"  ".repeat(depth));
        out.push_str(body);
        out.push('\n');
    }
    out
}
