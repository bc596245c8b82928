//! `scale`: set the number of replicas of a Deployment or ReplicaSet.

use super::errors::CliError;
use super::targets;
use super::{GlobalFlags, Io};
use crate::api::options::{PatchType, WriteOptions};
use crate::client::Client;
use clap::Args;
use serde_json::{Value, json};

#[derive(Args, Debug)]
pub struct ScaleArgs {
    /// (TYPE NAME | TYPE/NAME)
    pub args: Vec<String>,
    /// The new desired number of replicas. Required.
    #[arg(long)]
    pub replicas: Option<i64>,
    /// Precondition for current size. Requires that the current size of the resource match this value in order to scale.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub current_replicas: i64,
    /// Precondition for resource version.
    #[arg(long)]
    pub resource_version: Option<String>,
}

/// kubectl's checks of a `scale` command line, in its order, before anything is requested.
pub(super) fn validate(args: &ScaleArgs) -> Result<(), CliError> {
    let Some(replicas) = args.replicas else {
        return Err(super::arg_rules::missing_required_flag("replicas"));
    };
    if replicas < 0 {
        return Err(CliError::message(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
    }
    if args.current_replicas < -1 {
        return Err(CliError::message(
            "The --current-replicas must specify an integer of -1 or greater",
        ));
    }
    super::arg_rules::Naming {
        args: &args.args,
        ..Default::default()
    }
    .check_required()
}

/// Runs a validated `scale`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ScaleArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let targets = targets::resolve(client, global, &args.args)?;
    if targets.is_empty() || targets.iter().all(|t| t.names.is_empty()) {
        return Err(CliError::message(
            "resource(s) were provided, but no name was specified",
        ));
    }
    // kubectl reads every object before scaling any: missing ones stop the command.
    let mut missing = Vec::new();
    let mut found = std::collections::HashMap::new();
    for target in &targets {
        for name in &target.names {
            let ns = Some(global.namespace());
            let read = super::builder_read::get(
                client,
                super::builder_read::Reader::Json,
                target.resource,
                ns,
                name,
            );
            match read {
                Ok(obj) => {
                    found.insert((target.resource.plural, name.clone()), obj);
                }
                Err(e) if e.code == 404 => missing.push(e.message),
                Err(e) => return Err(e.into()),
            }
        }
    }
    match missing.as_slice() {
        [] => {}
        [one] => {
            return Err(CliError::message(format!(
                "no objects passed to scale {one}"
            )));
        }
        many => {
            return Err(CliError::message(format!(
                "no objects passed to scale [{}]",
                many.join(", ")
            )));
        }
    }
    let mut failed = false;
    for target in &targets {
        let r = target.resource;
        let custom_scale = crate::api::custom::definition_of(r).is_some_and(|d| d.scale.is_some());
        if !custom_scale
            && !matches!(
                r.kind,
                "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
            )
        {
            return Err(CliError::message(format!(
                "cannot scale {}: kubelite scales deployments, replicasets and replicationcontrollers",
                r.qualified_plural()
            )));
        }
        for name in &target.names {
            let current = &found[&(r.plural, name.clone())];
            match scale_one(client, r, global.namespace(), name, current, args) {
                Ok(()) => {
                    let _ = writeln!(io.out, "{}/{name} scaled", r.qualified_singular());
                }
                Err(e) => {
                    failed = true;
                    e.report(io.err);
                }
            }
        }
    }
    Ok(i32::from(failed))
}

fn scale_one(
    client: &dyn Client,
    r: &crate::api::registry::Resource,
    namespace: &str,
    name: &str,
    current: &Value,
    args: &ScaleArgs,
) -> Result<(), CliError> {
    let replicas = match crate::api::custom::definition_of(r).and_then(|d| d.scale.as_ref()) {
        // A custom object's replicas are where its CRD says (0 when absent, as kube reads them).
        Some(paths) => crate::apiserver::scale::custom_scale_of(current, paths)
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        None => current
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(1),
    };
    if args.current_replicas >= 0 && args.current_replicas != replicas {
        return Err(CliError::message(format!(
            "Expected replicas to be {}, was {replicas}",
            args.current_replicas
        )));
    }
    let mut patch = json!({"spec": {"replicas": args.replicas}});
    if let Some(rv) = &args.resource_version {
        patch["metadata"] = json!({"resourceVersion": rv});
    }
    // kubectl writes through the `scale` subresource, with no field manager of its own.
    let opts = WriteOptions {
        subresource: Some("scale"),
        ..Default::default()
    };
    let body = serde_json::to_vec(&patch).map_err(|e| CliError::message(e.to_string()))?;
    client.patch_raw(r, Some(namespace), name, PatchType::Merge, &body, &opts)?;
    Ok(())
}
