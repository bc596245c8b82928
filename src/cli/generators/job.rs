//! `create job` and `create cronjob`: a Job (or a CronJob's job template) running one
//! container named after the object, with the command given after `--`.

use super::Common;
use super::objects::metadata;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct JobArgs {
    /// NAME
    pub names: Vec<String>,
    /// Image name to run.
    #[arg(long, default_value = "")]
    pub image: String,
    /// The name of the resource to create a Job from (only cronjob is supported).
    #[arg(long, default_value = "")]
    pub from: String,
    /// The command the container runs (after `--`).
    #[arg(last = true)]
    pub command: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

impl JobArgs {
    /// kubectl's checks after the NAME: exactly one of --image and --from.
    pub fn check(&self) -> Result<(), String> {
        if self.image.is_empty() == self.from.is_empty() {
            return Err("either --image or --from must be specified".into());
        }
        Ok(())
    }
}

/// The pod template both kinds run: one container, never restarted by default.
pub fn pod_template(
    name: &str,
    image: &str,
    command: &[String],
    restart: &str,
    labels: Option<Value>,
) -> Value {
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    // Go leaves an empty image out.
    if !image.is_empty() {
        c.insert("image".into(), json!(image));
    }
    if !command.is_empty() {
        c.insert("command".into(), json!(command));
    }
    c.insert("resources".into(), json!({}));
    let mut meta = Map::new();
    meta.insert("creationTimestamp".into(), Value::Null);
    if let Some(l) = labels {
        meta.insert("labels".into(), l);
    }
    json!({
        "metadata": Value::Object(meta),
        "spec": { "containers": [Value::Object(c)], "restartPolicy": restart }
    })
}

pub fn build(a: &JobArgs, name: &str, namespace: Option<&str>) -> Value {
    json!({
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": metadata(name, namespace, None),
        "spec": { "template": pod_template(name, &a.image, &a.command, "Never", None) },
        "status": {}
    })
}

#[derive(Args, Debug)]
pub struct CronJobArgs {
    /// NAME
    pub names: Vec<String>,
    /// Image name to run.
    #[arg(long)]
    pub image: Option<String>,
    /// A schedule in the Cron format the job should be run with.
    #[arg(long)]
    pub schedule: Option<String>,
    /// job's restart policy. supported values: OnFailure, Never
    #[arg(long, default_value = "")]
    pub restart: String,
    /// The command the container runs (after `--`).
    #[arg(last = true)]
    pub command: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

impl CronJobArgs {
    /// The required flags not given, as cobra lists them (set to empty counts as given).
    pub fn missing_flags(&self) -> Option<&'static str> {
        match (self.image.is_none(), self.schedule.is_none()) {
            (true, true) => Some("image\\\", \\\"schedule"),
            (true, false) => Some("image"),
            (false, true) => Some("schedule"),
            (false, false) => None,
        }
    }
}

/// A CronJob whose job template is named after it; the restart policy is taken as given
/// (the server judges it), OnFailure when empty.
pub fn build_cron(a: &CronJobArgs, name: &str, namespace: Option<&str>) -> Value {
    let restart = if a.restart.is_empty() {
        "OnFailure"
    } else {
        a.restart.as_str()
    };
    let image = a.image.as_deref().unwrap_or("");
    json!({
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": metadata(name, namespace, None),
        "spec": {
            "schedule": a.schedule.as_deref().unwrap_or(""),
            "jobTemplate": {
                "metadata": { "name": name, "creationTimestamp": null },
                "spec": { "template": pod_template(name, image, &a.command, restart, None) }
            }
        },
        "status": {}
    })
}

/// `create job NAME --from=cronjob/X`: the cron job is read from the cluster (as kubectl's
/// builder reads `<type>/<name>`), and the Job is its job template, marked as started by
/// hand and controlled by it (without blockOwnerDeletion, as kubectl leaves it out).
pub fn from_cron_job(
    client: &dyn crate::client::Client,
    a: &JobArgs,
    name: &str,
    namespace: &str,
    explicit_ns: Option<&str>,
) -> Result<Value, crate::cli::errors::CliError> {
    use crate::cli::errors::CliError;
    let Some((kind, source)) = a.from.split_once('/') else {
        return Err(CliError::message(
            "resource(s) were provided, but no name was specified",
        ));
    };
    let resource = crate::api::registry::find(kind).ok_or_else(|| {
        CliError::message(format!(
            "the server doesn't have a resource type \"{kind}\""
        ))
    })?;
    let ns = resource.namespaced.then_some(namespace);
    let cj = client.get(resource, ns, source).map_err(CliError::Api)?;
    if resource.kind != "CronJob" {
        return Err(CliError::message(format!(
            "unknown object type *{}.{}",
            resource.version, resource.kind
        )));
    }
    let template = cj
        .pointer("/spec/jobTemplate")
        .cloned()
        .unwrap_or(json!({}));
    let mut annotations = Map::new();
    annotations.insert("cronjob.kubernetes.io/instantiate".into(), json!("manual"));
    if let Some(m) = template
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
    {
        for (k, v) in m {
            annotations.insert(k.clone(), v.clone());
        }
    }
    annotations.sort_keys();
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if let Some(ns) = explicit_ns {
        meta.insert("namespace".into(), json!(ns));
    }
    meta.insert("creationTimestamp".into(), Value::Null);
    if let Some(l) = template.pointer("/metadata/labels") {
        meta.insert("labels".into(), l.clone());
    }
    meta.insert("annotations".into(), Value::Object(annotations));
    let field = |k: &str| {
        cj.pointer(&format!("/metadata/{k}"))
            .cloned()
            .unwrap_or(json!(""))
    };
    meta.insert(
        "ownerReferences".into(),
        json!([{"apiVersion": "batch/v1", "kind": "CronJob", "name": field("name"),
                "uid": field("uid"), "controller": true}]),
    );
    Ok(json!({
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": Value::Object(meta),
        "spec": template.get("spec").cloned().unwrap_or(json!({})),
        "status": {}
    }))
}
