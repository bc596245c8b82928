//! `set resources`: the requests and limits of pod templates' containers.

use super::objects::{self, Choose, Words, Write};
use crate::api::quantity::Quantity;
use crate::cli::errors::CliError;
use crate::cli::{GlobalFlags, Io};
use crate::client::Client;
use clap::Args;
use serde_json::{Map, Value};

#[derive(Args, Debug)]
pub struct ResourcesArgs {
    /// (-f FILENAME | TYPE NAME | TYPE/NAME)
    pub args: Vec<String>,
    /// The names of containers to change, a glob pattern.
    #[arg(short = 'c', long = "containers", default_value = "*")]
    pub containers: String,
    /// Resource limits, NAME=QUANTITY pairs separated by commas (cpu=200m,memory=512Mi).
    #[arg(long, default_value = "")]
    pub limits: String,
    /// Resource requests, NAME=QUANTITY pairs separated by commas.
    #[arg(long, default_value = "")]
    pub requests: String,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    #[command(flatten)]
    pub choose: Choose,
    #[command(flatten)]
    pub write: Write,
}

/// `cpu=200m,memory=512Mi` with each quantity as kube writes it.
fn parse_list(text: &str) -> Result<Vec<(String, String)>, CliError> {
    let mut out = Vec::new();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let Some((name, value)) = part.split_once('=') else {
            return Err(CliError::message(format!(
                "Invalid argument syntax {part}, expected <resource>=<value>"
            )));
        };
        let q = Quantity::parse(value).map_err(|_| {
            CliError::message(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            )
        })?;
        out.push((name.to_string(), q.to_string()));
    }
    Ok(out)
}

/// kubectl's checks before anything is requested.
pub fn validate(args: &ResourcesArgs) -> Result<(), CliError> {
    crate::cli::arg_rules::Naming {
        args: &args.args,
        label_selector: args.selector.as_deref(),
        all: args.choose.all,
        from_files: !args.choose.filenames.is_empty(),
        ..Default::default()
    }
    .check_required()?;
    if args.limits.is_empty() && args.requests.is_empty() {
        return Err(CliError::message(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ));
    }
    crate::cli::dry_run::DryRun::parse(&args.write.dry_run)?;
    parse_list(&args.limits)?;
    parse_list(&args.requests).map(|_| ())
}

/// Runs a validated `set resources`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ResourcesArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let limits = parse_list(&args.limits)?;
    let requests = parse_list(&args.requests)?;
    let words = Words {
        done: "resource requirements updated",
        always: false,
        failed: Some("failed to patch resources update to pod template "),
    };
    let selection = objects::selection(&args.choose, args.selector.as_deref(), &args.args);
    objects::each(
        client,
        global,
        &selection,
        &args.write,
        &words,
        io,
        |item, obj, _| {
            let spec = objects::pod_spec(item, obj)?;
            let mut found = false;
            for c in objects::picked(spec, &args.containers) {
                found = true;
                for (field, pairs) in [("limits", &limits), ("requests", &requests)] {
                    if pairs.is_empty() {
                        continue;
                    }
                    let mut slot = c
                        .as_object_mut()
                        .map(|m| {
                            m.entry("resources")
                                .or_insert_with(|| Value::Object(Map::new()))
                        })
                        .and_then(Value::as_object_mut)
                        .map(|m| m.entry(field).or_insert_with(|| Value::Object(Map::new())))
                        .and_then(Value::as_object_mut);
                    for (name, q) in pairs {
                        if let Some(m) = slot.as_deref_mut() {
                            m.insert(name.clone(), Value::String(q.clone()));
                        }
                    }
                }
            }
            if !found {
                return Err(CliError::message(format!(
                    "unable to find container named {}",
                    args.containers
                )));
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_written_as_kube_writes_them() {
        let got = parse_list("cpu=0.1,memory=1024Mi,x=1000m").expect("valid");
        let want = [("cpu", "100m"), ("memory", "1Gi"), ("x", "1")];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
        assert!(parse_list("cpu").is_err());
        assert!(parse_list("cpu=abc").is_err());
    }
}
