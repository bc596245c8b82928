//! `set image`: change the images of a workload's containers.

use super::errors::CliError;
use super::targets;
use super::{GlobalFlags, Io};
use crate::api::options::WriteOptions;
use crate::client::Client;
use clap::{Args, Subcommand};
use serde_json::Value;

#[derive(Args, Debug)]
pub struct SetArgs {
    #[command(subcommand)]
    pub command: SetCommand,
}

#[derive(Subcommand, Debug)]
pub enum SetCommand {
    /// Update the image of a pod template
    Image(ImageArgs),
}

#[derive(Args, Debug)]
pub struct ImageArgs {
    /// (TYPE NAME | TYPE/NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ...
    pub args: Vec<String>,
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &SetArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let SetCommand::Image(image) = &args.command;
    let (resources, pairs): (Vec<String>, Vec<String>) =
        image.args.iter().cloned().partition(|a| !a.contains('='));
    if pairs.is_empty() {
        return Err(CliError::message("at least one image update is required"));
    }
    let updates: Vec<(String, String)> = pairs
        .iter()
        .map(|p| {
            let (c, i) = p.split_once('=').unwrap_or((p, ""));
            (c.to_string(), i.to_string())
        })
        .collect();
    let ns = global.namespace();
    for target in targets::resolve(client, global, &resources)? {
        for name in &target.names {
            let mut obj = client.get(target.resource, Some(ns), name)?;
            let spec_path = if target.resource.kind == "Pod" {
                "/spec"
            } else {
                "/spec/template/spec"
            };
            let changed = set_images(&mut obj, spec_path, &updates)?;
            // kubectl sends (and reports) nothing when the images are already these.
            if changed {
                client.update(
                    target.resource,
                    Some(ns),
                    name,
                    obj,
                    &WriteOptions::default(),
                )?;
                let _ = writeln!(
                    io.out,
                    "{}/{name} image updated",
                    target.resource.qualified_singular()
                );
            }
        }
    }
    Ok(0)
}

/// Applies `container=image` pairs (`*` for every container); whether anything changed.
fn set_images(
    obj: &mut Value,
    spec_path: &str,
    updates: &[(String, String)],
) -> Result<bool, CliError> {
    let spec = obj
        .pointer_mut(spec_path)
        .ok_or_else(|| CliError::message("the object has no pod template"))?;
    let mut changed = false;
    for (container, image) in updates {
        let mut found = false;
        for list in ["initContainers", "containers"] {
            for c in spec
                .get_mut(list)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if container == "*" || c["name"] == container.as_str() {
                    found = true;
                    if c["image"] != image.as_str() {
                        c["image"] = Value::String(image.clone());
                        changed = true;
                    }
                }
            }
        }
        if !found {
            return Err(CliError::message(format!(
                "unable to find container named \"{container}\""
            )));
        }
    }
    Ok(changed)
}
