//! `set selector`: replace a Service's selector with equality-based `key=value` pairs.

use super::objects::{self, Words, Write};
use crate::api::selector::{LabelSelector, Operator};
use crate::cli::errors::CliError;
use crate::cli::selected::Selection;
use crate::cli::{GlobalFlags, Io};
use crate::client::Client;
use clap::Args;
use serde_json::{Map, Value};

#[derive(Args, Debug)]
pub struct SelectorArgs {
    /// (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version]
    pub args: Vec<String>,
    /// Filename, directory, or URL to files the resource to update is read from.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long, default_value = "true", action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub recursive: bool,
    /// Select all resources of the given types in the namespace.
    #[arg(long)]
    pub all: bool,
    /// Only update the object if this is its current resource version.
    #[arg(long)]
    pub resource_version: Option<String>,
    #[command(flatten)]
    pub write: Write,
}

/// The selector as a map, or kubectl's error for what a Service cannot hold.
fn parse(text: &str) -> Result<Map<String, Value>, CliError> {
    if text.contains("!=") {
        return Err(CliError::message(
            "\"!=\" is not a valid label selector operator",
        ));
    }
    let parsed = LabelSelector::parse(text).map_err(CliError::message)?;
    let mut map = Map::new();
    let mut refused = Vec::new();
    for r in parsed.requirements {
        match (r.op, r.values.as_slice()) {
            (Operator::Equals | Operator::DoubleEquals, [v]) => {
                map.insert(r.key, Value::String(v.clone()));
            }
            (op, values) => {
                let op = match op {
                    Operator::NotIn => "NotIn",
                    Operator::Exists => "Exists",
                    Operator::DoesNotExist => "DoesNotExist",
                    _ => "In",
                };
                refused.push(format!("{{{} {op} [{}]}}", r.key, values.join(" ")));
            }
        }
    }
    if !refused.is_empty() {
        return Err(CliError::message(format!(
            "match expression [{}] not supported on this object",
            refused.join(" ")
        )));
    }
    Ok(map)
}

/// kubectl's checks before anything is requested.
pub fn validate(args: &SelectorArgs) -> Result<(), CliError> {
    let Some((resources, text)) = objects::resources_and_last(&args.args) else {
        return Err(CliError::message("one selector is required"));
    };
    crate::cli::arg_rules::Naming {
        args: resources,
        all: args.all,
        from_files: !args.filenames.is_empty(),
        ..Default::default()
    }
    .check_required()?;
    crate::cli::dry_run::DryRun::parse(&args.write.dry_run)?;
    parse(text).map(|_| ())
}

/// Runs a validated `set selector`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &SelectorArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let Some((resources, text)) = objects::resources_and_last(&args.args) else {
        return Err(CliError::message("one selector is required"));
    };
    let selector = parse(text)?;
    let words = Words {
        done: "selector updated",
        always: true,
        failed: None,
    };
    let selection = Selection {
        args: resources,
        filenames: &args.filenames,
        recursive: args.recursive,
        selector: None,
        all: args.all,
        all_namespaces: false,
        field_selector: None,
    };
    objects::each(
        client,
        global,
        &selection,
        &args.write,
        &words,
        io,
        |item, obj, _| {
            if item.resource.kind != "Service" {
                return Err(CliError::message(
                    "setting a selector is only supported for Services",
                ));
            }
            // An empty selector is no selector: kube's types leave it out.
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
                if selector.is_empty() {
                    spec.shift_remove("selector");
                } else {
                    spec.insert("selector".to_string(), Value::Object(selector.clone()));
                }
            }
            if let (Some(rv), Some(meta)) = (
                &args.resource_version,
                obj.get_mut("metadata").and_then(Value::as_object_mut),
            ) {
                meta.insert("resourceVersion".to_string(), Value::String(rv.clone()));
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_equality_fits_a_services_selector() {
        let m = parse("a=b,c==d").expect("equality");
        assert_eq!(Value::Object(m), serde_json::json!({"a": "b", "c": "d"}));
        let Err(CliError::Message(e)) = parse("app in (a)") else {
            panic!("set-based refused");
        };
        assert_eq!(
            e,
            "match expression [{app In [a]}] not supported on this object"
        );
        assert!(parse("a!=b").is_err());
    }
}
