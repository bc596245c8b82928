//! `rollout status|history|undo|restart|pause|resume` for Deployments; status, restart,
//! and (against a server, from ControllerRevisions) history and undo for DaemonSets.

mod daemonset;
mod progress;

use crate::api::options::{ListOptions, PatchType, WriteOptions};
use crate::api::selector::LabelSelector;
use crate::cli::errors::CliError;
use crate::cli::targets::{self, Target};
use crate::cli::{GlobalFlags, Io};
use crate::client::Client;
use crate::print::tabwriter::TabWriter;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// The annotation Deployments and their ReplicaSets carry their revision in.
const REVISION: &str = "deployment.kubernetes.io/revision";

#[derive(Args, Debug)]
pub struct RolloutArgs {
    #[command(subcommand)]
    pub command: RolloutCommand,
}

#[derive(Subcommand, Debug)]
pub enum RolloutCommand {
    /// Show the status of the rollout
    Status(TargetArgs),
    /// View rollout history
    History(TargetArgs),
    /// Undo a previous rollout
    Undo(TargetArgs),
    /// Restart a resource
    Restart(TargetArgs),
    /// Mark the provided resource as paused
    Pause(TargetArgs),
    /// Resume a paused resource
    Resume(TargetArgs),
}

#[derive(Args, Debug)]
pub struct TargetArgs {
    /// (TYPE NAME | TYPE/NAME)
    pub args: Vec<String>,
    /// The revision to roll back to (undo) or to show (history). 0 means the last one.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub to_revision: i64,
    /// See the details of this revision (history).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub revision: i64,
    /// Watch the status of the rollout until it's done.
    #[arg(short = 'w', long, default_value = "true", num_args = 0..=1, default_missing_value = "true")]
    pub watch: String,
    /// The length of time to wait before ending watch, zero means never (status).
    #[arg(long, default_value = "0s")]
    pub timeout: String,
}

impl RolloutArgs {
    /// The subcommand's name and its arguments.
    /// Whether the command only reads: on the embedded cluster `status` answers from the
    /// settled state without waiting, and `history` lists what is there.
    pub fn only_reads(&self) -> bool {
        matches!(self.verb().0, "status" | "history")
    }

    fn verb(&self) -> (&'static str, &TargetArgs) {
        match &self.command {
            RolloutCommand::Status(t) => ("status", t),
            RolloutCommand::History(t) => ("history", t),
            RolloutCommand::Undo(t) => ("undo", t),
            RolloutCommand::Restart(t) => ("restart", t),
            RolloutCommand::Pause(t) => ("pause", t),
            RolloutCommand::Resume(t) => ("resume", t),
        }
    }
}

/// kubectl's checks of a `rollout` command line, in its order, before anything is requested.
pub(crate) fn validate(args: &RolloutArgs) -> Result<(), CliError> {
    let (verb, t) = args.verb();
    if t.args.is_empty() {
        return Err(CliError::message("required resource not specified"));
    }
    if matches!(verb, "status" | "history") && t.revision < 0 {
        return Err(CliError::message(format!(
            "revision must be a positive integer: {}",
            t.revision
        )));
    }
    crate::cli::arg_rules::Naming {
        args: &t.args,
        ..Default::default()
    }
    .check()
}

/// kubectl's words for a rollout verb on a kind it has no rollout for.
fn not_for_kind(verb: &str, r: &crate::api::registry::Resource, name: &str) -> String {
    let group_kind = if r.group.is_empty() {
        r.kind.to_string()
    } else {
        format!("{}.{}", r.kind, r.group)
    };
    match verb {
        "status" => format!("no status viewer has been implemented for {group_kind}"),
        "history" => format!("no history viewer has been implemented for {group_kind:?}"),
        "undo" => format!("no rollbacker has been implemented for {group_kind:?}"),
        _ => format!(
            "{} {name:?} restarting is not supported",
            r.qualified_plural()
        ),
    }
}

/// Runs a validated `rollout`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &RolloutArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let (verb, t) = args.verb();
    let targets = targets::resolve(client, global, &t.args)?;
    let ns = global.namespace();
    for target in &targets {
        if target.names.is_empty() {
            return Err(CliError::message("required resource not specified"));
        }
        for name in &target.names {
            let obj = crate::cli::builder_read::get(
                client,
                crate::cli::builder_read::Reader::Typed,
                target.resource,
                Some(ns),
                name,
            )?;
            let kind = target.resource.kind;
            if matches!(verb, "pause" | "resume") {
                pause(client, target, ns, &obj, verb == "pause", io)?;
                continue;
            }
            // Kinds kubectl has no rollout for (ReplicationControllers, ...): its refusal.
            if !matches!(kind, "Deployment" | "DaemonSet" | "StatefulSet") {
                return Err(CliError::message(not_for_kind(verb, target.resource, name)));
            }
            match verb {
                // The one rule (Client::live): a server's rollout is watched to its end;
                // the embedded cluster has settled, so its state is the answer.
                "status" if client.live() && t.watch != "false" => {
                    let timeout = super::watch::parse_timeout(&t.timeout)?;
                    progress::until_done(client, target.resource, ns, name, timeout, io)?;
                }
                "status" => status(target, &obj, io)?,
                "history" if matches!(kind, "DaemonSet" | "StatefulSet") => {
                    daemonset::history(client, target.resource, ns, name, t.revision, io)?;
                }
                "undo" if matches!(kind, "DaemonSet" | "StatefulSet") => {
                    let to = t.to_revision;
                    daemonset::undo(client, target.resource, ns, name, to, io)?;
                }
                "history" => history(client, target, ns, &obj, t.revision, io)?,
                "undo" => undo(client, target, ns, &obj, t.to_revision, io)?,
                _ => restart(client, target, ns, name, io)?,
            }
        }
    }
    Ok(0)
}

/// The embedded cluster's answer: one status line; a rollout still waiting cannot
/// progress, since the control plane has already run to quiescence.
fn status(target: &Target, obj: &Value, io: &mut Io) -> Result<(), CliError> {
    let (line, done) = status_line(target.resource.kind, obj)?;
    let _ = writeln!(io.out, "{line}");
    if !done {
        // One-shot mode has already run the control plane to quiescence at the cluster's
        // clock: waiting longer would change nothing.
        return Err(CliError::message(
            "the rollout cannot progress at the cluster's current time (the control plane is quiescent)",
        ));
    }
    Ok(())
}

/// kubectl's status viewers: a waiting line, or the rollout's success (`true`).
pub(super) fn status_line(kind: &str, obj: &Value) -> Result<(String, bool), CliError> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let int = |p: &str| obj.pointer(p).and_then(Value::as_i64).unwrap_or(0);
    let observed = int("/status/observedGeneration") >= int("/metadata/generation");
    if kind == "StatefulSet" {
        return stateful_set_status(obj);
    }
    let line = if kind == "DaemonSet" {
        let desired = int("/status/desiredNumberScheduled");
        let updated = int("/status/updatedNumberScheduled");
        let available = int("/status/numberAvailable");
        if !observed {
            "Waiting for daemon set spec update to be observed...".to_string()
        } else if updated < desired {
            format!(
                "Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated..."
            )
        } else if available < desired {
            format!(
                "Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available..."
            )
        } else {
            format!("daemon set \"{name}\" successfully rolled out")
        }
    } else {
        let wanted = obj
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        let replicas = int("/status/replicas");
        let updated = int("/status/updatedReplicas");
        let available = int("/status/availableReplicas");
        let deadline_exceeded = obj
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| c["type"] == "Progressing" && c["reason"] == "ProgressDeadlineExceeded");
        if !observed {
            "Waiting for deployment spec update to be observed...".to_string()
        } else if deadline_exceeded {
            return Err(CliError::message(format!(
                "deployment \"{name}\" exceeded its progress deadline"
            )));
        } else if updated < wanted {
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {updated} out of {wanted} new replicas have been updated..."
            )
        } else if replicas > updated {
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
                replicas - updated
            )
        } else if available < updated {
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available..."
            )
        } else {
            format!("deployment \"{name}\" successfully rolled out")
        }
    };
    let done = !line.starts_with("Waiting");
    Ok((line, done))
}

/// kubectl's StatefulSet status viewer: only RollingUpdate has a status; a partition makes
/// the rollout complete once the pods past it are updated.
fn stateful_set_status(obj: &Value) -> Result<(String, bool), CliError> {
    let int = |p: &str| obj.pointer(p).and_then(Value::as_i64);
    let strategy = obj
        .pointer("/spec/updateStrategy/type")
        .and_then(Value::as_str)
        .unwrap_or("");
    if strategy != "RollingUpdate" {
        return Err(CliError::message(
            "rollout status is only available for RollingUpdate strategy type",
        ));
    }
    let observed = int("/status/observedGeneration").unwrap_or(0);
    if observed == 0 || int("/metadata/generation").unwrap_or(0) > observed {
        return Ok((
            "Waiting for statefulset spec update to be observed...".to_string(),
            false,
        ));
    }
    let replicas = int("/spec/replicas");
    let ready = int("/status/readyReplicas").unwrap_or(0);
    let updated = int("/status/updatedReplicas").unwrap_or(0);
    if let Some(r) = replicas
        && ready < r
    {
        return Ok((
            format!("Waiting for {} pods to be ready...", r - ready),
            false,
        ));
    }
    if let (Some(r), Some(partition)) = (
        replicas,
        int("/spec/updateStrategy/rollingUpdate/partition"),
    ) {
        if updated < r - partition {
            return Ok((
                format!(
                    "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...",
                    r - partition
                ),
                false,
            ));
        }
        return Ok((
            format!("partitioned roll out complete: {updated} new pods have been updated..."),
            true,
        ));
    }
    let text = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or("");
    let (current, update) = (
        text("/status/currentRevision"),
        text("/status/updateRevision"),
    );
    if update != current {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {updated} pods at revision {update}..."
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {current}...",
            int("/status/currentReplicas").unwrap_or(0)
        ),
        true,
    ))
}

/// The ReplicaSets a Deployment owns, with their revisions, oldest first.
fn owned_replica_sets(
    client: &dyn Client,
    ns: &str,
    deploy: &Value,
) -> Result<Vec<(i64, Value)>, CliError> {
    let rs = crate::api::registry::find("replicasets")
        .ok_or_else(|| CliError::message("no replicasets resource"))?;
    let selector =
        LabelSelector::from_object(&deploy["spec"]["selector"]).map_err(CliError::message)?;
    let list = client.list(
        rs,
        Some(ns),
        &ListOptions::labels(Some(&selector.to_string())),
    )?;
    let uid = deploy
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut owned: Vec<(i64, Value)> = crate::runtime::items(list)
        .into_iter()
        .filter(|r| {
            r.pointer("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|o| o["uid"] == uid)
        })
        .map(|r| {
            let rev = r
                .pointer(&format!(
                    "/metadata/annotations/{}",
                    REVISION.replace('/', "~1")
                ))
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            (rev, r)
        })
        .collect();
    owned.sort_by_key(|(rev, _)| *rev);
    Ok(owned)
}

fn history(
    client: &dyn Client,
    target: &Target,
    ns: &str,
    obj: &Value,
    revision: i64,
    io: &mut Io,
) -> Result<(), CliError> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    // One revision: its pod template, described (the ReplicaSet's, hash label and all).
    if revision > 0 {
        let sets = owned_replica_sets(client, ns, obj)?;
        let Some((_, rs)) = sets.iter().find(|(rev, _)| *rev == revision) else {
            return Err(CliError::message("unable to find the specified revision"));
        };
        // kubectl shows the ReplicaSet's change cause among the template's annotations.
        let mut template = rs["spec"]["template"].clone();
        if let Some(cause) = rs.pointer("/metadata/annotations/kubernetes.io~1change-cause")
            && template.is_object()
        {
            template["metadata"]["annotations"]["kubernetes.io/change-cause"] = cause.clone();
        }
        let text = crate::print::describe::pod_template_text(Some(&template));
        let _ = write!(
            io.out,
            "{}/{name} with revision #{revision}\n{text}\n",
            target.resource.qualified_singular(),
        );
        return Ok(());
    }
    let mut tw = TabWriter::new(0, 0, 2, ' ', 0);
    tw.write_str("REVISION\tCHANGE-CAUSE\n");
    for (rev, rs) in owned_replica_sets(client, ns, obj)? {
        let cause = rs
            .pointer("/metadata/annotations/kubernetes.io~1change-cause")
            .and_then(Value::as_str)
            .unwrap_or("<none>");
        tw.write_str(&format!("{rev}\t{cause}\n"));
    }
    let _ = write!(
        io.out,
        "{}/{name} \n{}\n",
        target.resource.qualified_singular(),
        tw.finish()
    );
    Ok(())
}

fn undo(
    client: &dyn Client,
    target: &Target,
    ns: &str,
    obj: &Value,
    to_revision: i64,
    io: &mut Io,
) -> Result<(), CliError> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let sets = owned_replica_sets(client, ns, obj)?;
    let chosen = if to_revision > 0 {
        sets.iter().find(|(rev, _)| *rev == to_revision)
    } else {
        sets.iter().rev().nth(1)
    };
    let Some((_, rs)) = chosen else {
        return Err(CliError::message(if to_revision > 0 {
            format!("unable to find specified revision {to_revision} in history")
        } else {
            "no rollout history found for deployment \"".to_string() + name + "\""
        }));
    };
    let mut template = rs["spec"]["template"].clone();
    if let Some(labels) = template
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.shift_remove("pod-template-hash");
    }
    if template == obj["spec"]["template"] {
        let _ = writeln!(
            io.out,
            "{}/{name} skipped rollback (current template already matches revision {})",
            target.resource.qualified_singular(),
            to_revision.max(0)
        );
        return Ok(());
    }
    // The whole template is replaced: a merge would keep fields the old revision lacks.
    let mut updated = obj.clone();
    updated["spec"]["template"] = template;
    client.update(
        target.resource,
        Some(ns),
        name,
        updated,
        &WriteOptions::default(),
    )?;
    let _ = writeln!(
        io.out,
        "{}/{name} rolled back",
        target.resource.qualified_singular()
    );
    Ok(())
}

/// What kubectl's rollout writes carry: its field manager.
fn rollout_write() -> WriteOptions {
    WriteOptions {
        field_manager: Some("kubectl-rollout".to_string()),
        ..Default::default()
    }
}

fn restart(
    client: &dyn Client,
    target: &Target,
    ns: &str,
    name: &str,
    io: &mut Io,
) -> Result<(), CliError> {
    let now = crate::clock::Clock::from_env()
        .map_err(CliError::message)?
        .now();
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let patch = json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}});
    client.patch_typed(
        target.resource,
        Some(ns),
        name,
        PatchType::Strategic,
        &patch,
        &rollout_write(),
    )?;
    let _ = writeln!(
        io.out,
        "{}/{name} restarted",
        target.resource.qualified_singular()
    );
    Ok(())
}

/// `rollout pause|resume`: sets `spec.paused`; only Deployments can pause.
fn pause(
    client: &dyn Client,
    target: &Target,
    ns: &str,
    obj: &Value,
    paused: bool,
    io: &mut Io,
) -> Result<(), CliError> {
    let r = target.resource;
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let what = format!("{} \"{name}\"", r.qualified_plural());
    if r.kind != "Deployment" {
        let verb = if paused { "pausing" } else { "resuming" };
        return Err(CliError::message(format!("{what} {verb} is not supported")));
    }
    let is_paused = obj
        .pointer("/spec/paused")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if is_paused == paused {
        let state = if paused {
            "already paused"
        } else {
            "not paused"
        };
        return Err(CliError::message(format!("{what} is {state}")));
    }
    let patch = if paused {
        json!({"spec": {"paused": true}})
    } else {
        json!({"spec": {"paused": null}})
    };
    client.patch_typed(
        r,
        Some(ns),
        name,
        PatchType::Strategic,
        &patch,
        &rollout_write(),
    )?;
    let done = if paused { "paused" } else { "resumed" };
    let _ = writeln!(io.out, "{}/{name} {done}", r.qualified_singular());
    Ok(())
}
