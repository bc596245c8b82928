//! `autoscale`: a HorizontalPodAutoscaler for a deployment, replica set, stateful set or
//! replication controller. As kubectl 1.32 does, it is built and sent as autoscaling/v1
//! (the server stores it at v2): `--cpu-percent` becomes `targetCPUUtilizationPercentage`,
//! and with no target the server's default (80% CPU) applies.

use super::dry_run::DryRun;
use super::errors::CliError;
use super::manifest;
use super::output::Output;
use super::run::{output_format, print_one};
use super::{GlobalFlags, Io};
use crate::api::options::WriteOptions;
use crate::api::registry::{self, Resource};
use crate::client::Client;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct AutoscaleArgs {
    /// (-f FILENAME | TYPE NAME | TYPE/NAME)
    pub args: Vec<String>,
    /// Filename, directory, or URL to files identifying the resource to autoscale.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the directory used in -f, --filename recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub min: i32,
    /// The upper limit for the number of pods that can be set by the autoscaler. Required.
    #[arg(long, allow_negative_numbers = true)]
    pub max: Option<i32>,
    /// The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub cpu_percent: i32,
    /// The name for the newly created object. If not specified, the name of the input resource will be used.
    #[arg(long)]
    pub name: Option<String>,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format: json, yaml, name.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[command(flatten)]
    pub templates: super::output::TemplateArgs,
    /// If true, the configuration of current object will be saved in its annotation.
    #[arg(long)]
    pub save_config: bool,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-autoscale")]
    pub field_manager: String,
}

/// kubectl's checks of an `autoscale` command line, in its order, before anything is
/// requested.
pub(super) fn validate(args: &AutoscaleArgs) -> Result<(), CliError> {
    let Some(max) = args.max else {
        return Err(super::arg_rules::missing_required_flag("max"));
    };
    DryRun::parse(&args.dry_run)?;
    output_format(args.output.as_deref(), &args.templates)?;
    if max < 1 {
        return Err(CliError::message(format!(
            "--max=MAXPODS is required and must be at least 1, max: {max}"
        )));
    }
    if max < args.min {
        return Err(CliError::message(format!(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {}",
            args.min
        )));
    }
    Ok(())
}

/// The kinds kubelite knows a `scale` subresource for (kubectl asks discovery).
const SCALABLE: &[&str] = &[
    "deployments",
    "replicasets",
    "statefulsets",
    "replicationcontrollers",
];

/// An object to autoscale: its resource and body.
type Found = (&'static Resource, Value);

/// The objects to autoscale, as kubectl's builder gives them: read from the server for
/// `TYPE NAME`, as written for files.
fn named_objects(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &AutoscaleArgs,
) -> Result<Vec<Result<Found, CliError>>, CliError> {
    if !args.filenames.is_empty() {
        let sources =
            manifest::read_sources(&args.filenames, args.recursive, &mut std::io::stdin())
                .map_err(CliError::message)?;
        return Ok(manifest::documents_for(&sources, client, global)
            .into_iter()
            .map(|doc| {
                let doc = doc.map_err(|e| CliError::Raw(e.render(false)))?;
                Ok((doc.resource, doc.value))
            })
            .collect());
    }
    let targets = super::targets::resolve(client, global, &args.args)?;
    if !targets.is_empty() && targets.iter().all(|t| t.names.is_empty()) {
        return Err(CliError::message(
            "resource(s) were provided, but no name was specified",
        ));
    }
    let mut found = Vec::new();
    for target in targets {
        for name in target.names {
            found.push(
                super::builder_read::get(
                    client,
                    super::builder_read::Reader::Json,
                    target.resource,
                    Some(global.namespace()),
                    &name,
                )
                .map(|obj| (target.resource, obj))
                .map_err(CliError::from),
            );
        }
    }
    if found.is_empty() {
        return Err(CliError::message(super::arg_rules::NO_RESOURCES));
    }
    Ok(found)
}

/// The autoscaler kubectl builds, in autoscaling/v1's Go field order.
fn autoscaler(args: &AutoscaleArgs, target: &Resource, target_name: &str) -> Value {
    let name = args
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or(target_name);
    let mut spec = Map::new();
    spec.insert(
        "scaleTargetRef".into(),
        json!({"kind": target.kind, "name": target_name, "apiVersion": target.api_version()}),
    );
    if args.min > 0 {
        spec.insert("minReplicas".into(), json!(args.min));
    }
    spec.insert("maxReplicas".into(), json!(args.max.unwrap_or(-1)));
    if args.cpu_percent >= 0 {
        spec.insert(
            "targetCPUUtilizationPercentage".into(),
            json!(args.cpu_percent),
        );
    }
    json!({
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v1",
        "metadata": {"name": name, "creationTimestamp": null},
        "spec": spec,
        "status": {"currentReplicas": 0, "desiredReplicas": 0},
    })
}

/// Runs a validated `autoscale`: one autoscaler per object; one object's failure does not
/// stop the others, and the failures are reported together at the end.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &AutoscaleArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = output_format(args.output.as_deref(), &args.templates)?;
    let hpa = registry::find_by_kind("autoscaling/v1", "HorizontalPodAutoscaler")
        .ok_or_else(|| CliError::message("no autoscaling/v1 horizontalpodautoscalers"))?;
    let mut errors: Vec<CliError> = Vec::new();
    let mut printed_any = false;
    let mut count = 0;
    for found in named_objects(client, global, args)? {
        let outcome = found.and_then(|(resource, obj)| {
            if !SCALABLE.contains(&resource.plural) {
                return Err(CliError::message(format!(
                    "cannot autoscale a {}: could not find scale subresource for {}, Resource={} in discovery information",
                    resource.kind,
                    if resource.group.is_empty() {
                        format!("/{}", resource.version)
                    } else {
                        resource.api_version()
                    },
                    resource.plural
                )));
            }
            let target_name = obj
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            let mut autoscaler = autoscaler(args, resource, target_name);
            count += 1;
            if dry_run == DryRun::Client {
                // kubectl names the operation `created` for what it only printed.
                return print_one(&autoscaler, output.as_ref(), "created", dry_run);
            }
            if args.save_config {
                super::generators::save_config(&mut autoscaler);
            }
            let opts = WriteOptions {
                dry_run: dry_run == DryRun::Server,
                field_manager: Some(args.field_manager.clone()),
                ..Default::default()
            };
            let made = client.create_as_built(
                hpa,
                Some(global.namespace()),
                autoscaler,
                &opts,
                false,
            )?;
            print_one(&made, output.as_ref(), "autoscaled", dry_run)
        });
        match outcome {
            Ok(text) => {
                // kubectl's YAML printer opens every document after the first with `---`.
                if printed_any && matches!(output, Some(Output::Yaml)) {
                    let _ = io.out.write_all(b"---\n");
                }
                printed_any = true;
                let _ = io.out.write_all(text.as_bytes());
            }
            Err(e) => errors.push(e),
        }
    }
    if count == 0 && errors.is_empty() {
        return Err(CliError::message("no objects passed to autoscale"));
    }
    CliError::from_many(errors)
}
