//! `logs`: the simulated container's log.

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::api::registry;
use crate::client::Client;
use crate::kubelet::{LogOptions, logs};
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// POD | TYPE/NAME
    pub target: String,
    /// Container name (the only positional after the pod, as in kubectl).
    pub container_arg: Option<String>,
    /// Print the logs of this container
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Lines of recent log file to display. Defaults to -1 (all lines).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub tail: i64,
    /// Include timestamps on each line in the log output
    #[arg(long)]
    pub timestamps: bool,
    /// If true, print the logs for the previous instance of the container in a pod if it exists.
    #[arg(short = 'p', long)]
    pub previous: bool,
    /// Specify if the logs should be streamed (kubelite prints what is there and ends: its containers write nothing more).
    #[arg(short = 'f', long)]
    pub follow: bool,
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &LogsArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let ns = global.namespace();
    let pod = resolve_pod(client, ns, &args.target)?;
    let pod_name = pod
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut container = args
        .container
        .clone()
        .or_else(|| args.container_arg.clone());
    let names: Vec<&str> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect();
    if container.is_none() && names.len() > 1 {
        // kubectl picks the default container (annotation) or the first, and says so.
        let default = pod
            .pointer("/metadata/annotations/kubectl.kubernetes.io~1default-container")
            .and_then(Value::as_str)
            .unwrap_or(names[0])
            .to_string();
        let _ = writeln!(
            io.err,
            "Defaulted container \"{default}\" out of: {}",
            names.join(", ")
        );
        container = Some(default);
    }
    let opts = LogOptions {
        tail: (args.tail >= 0).then_some(args.tail),
        timestamps: args.timestamps,
        previous: args.previous,
    };
    let text = logs(client, ns, &pod_name, container.as_deref(), &opts)?;
    let _ = io.out.write_all(text.as_bytes());
    Ok(0)
}

/// A pod by name, or the first pod of a workload named `TYPE/NAME` (as kubectl picks one).
fn resolve_pod(client: &dyn Client, ns: &str, target: &str) -> Result<Value, CliError> {
    let pods = registry::find("pods").ok_or_else(|| CliError::message("no pods resource"))?;
    let Some((type_name, name)) = target.split_once('/') else {
        return Ok(client.get(pods, Some(ns), target)?);
    };
    let r = registry::find(type_name).ok_or_else(|| {
        CliError::message(format!(
            "the server doesn't have a resource type \"{type_name}\""
        ))
    })?;
    if r.kind == "Pod" {
        return Ok(client.get(pods, Some(ns), name)?);
    }
    let owner = client.get(r, Some(ns), name)?;
    let selector = owner
        .pointer("/spec/selector")
        .map(crate::api::selector::LabelSelector::from_object)
        .transpose()
        .map_err(CliError::message)?
        .ok_or_else(|| {
            CliError::message(format!(
                "cannot get the logs from {}",
                r.qualified_singular()
            ))
        })?;
    let list = client.list(
        pods,
        Some(ns),
        &crate::api::options::ListOptions::labels(Some(&selector.to_string())),
    )?;
    crate::runtime::items(list)
        .into_iter()
        .next()
        .ok_or_else(|| {
            CliError::message(format!(
                "no pods found for {}/{name}",
                r.qualified_singular()
            ))
        })
}
