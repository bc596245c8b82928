//! `--copy-to=NAME`: a copy of the pod (without its ephemeral containers, off its node
//! unless `--same-node`), with images changed by `--set-image` and a debug container
//! added (or an existing one changed, with `-c`); `--replace` deletes the original.

use super::profile::Style;
use super::{Made, Plan};
use crate::api::options::{DeleteOptions, WriteOptions};
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::Client;
use serde_json::{Map, Value, json};

pub(super) fn debug_by_copy(
    client: &dyn Client,
    plan: &Plan,
    pod: &Value,
    io: &mut Io,
) -> Result<Made, CliError> {
    let (copied, container) = copy_of(plan, pod, io)?;
    let ns = pod["metadata"]["namespace"].as_str();
    let created =
        client.create_as_built(super::pods()?, ns, copied, &WriteOptions::default(), false)?;
    if plan.args.replace {
        let name = pod["metadata"]["name"].as_str().unwrap_or("");
        let opts = DeleteOptions {
            grace_period_seconds: Some(0),
            ..Default::default()
        };
        client.delete(super::pods()?, ns, name, &opts)?;
    }
    Ok(Made {
        pod: created,
        container,
    })
}

/// The copy and the name of its debug container (`None`: only images changed).
fn copy_of(plan: &Plan, pod: &Value, io: &mut Io) -> Result<(Value, Option<String>), CliError> {
    let mut meta = Map::new();
    meta.insert(
        "name".into(),
        json!(plan.args.copy_to.as_deref().unwrap_or("")),
    );
    meta.insert("namespace".into(), pod["metadata"]["namespace"].clone());
    for field in ["labels", "annotations"] {
        if let Some(v) = pod["metadata"].get(field) {
            meta.insert(field.into(), v.clone());
        }
    }
    let mut spec = pod.get("spec").cloned().unwrap_or(json!({}));
    if let Some(s) = spec.as_object_mut() {
        s.shift_remove("ephemeralContainers");
        if let Some(share) = plan.args.share_processes {
            s.insert("shareProcessNamespace".into(), json!(share));
        }
        if !plan.args.same_node {
            s.shift_remove("nodeName");
        }
    }
    let star = plan
        .set_images
        .iter()
        .find(|(n, _)| n == "*")
        .map(|(_, i)| i.clone());
    if let Some(containers) = spec["containers"].as_array_mut() {
        for c in containers.iter_mut() {
            let own = plan
                .set_images
                .iter()
                .find(|(n, _)| c["name"] == n.as_str())
                .map(|(_, i)| i.clone());
            if let Some(image) = own.or_else(|| star.clone()).filter(|i| !i.is_empty()) {
                c["image"] = json!(image);
            }
        }
    }
    let mut copied =
        json!({"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": {}});
    let wanted = plan.args.container.as_deref().unwrap_or("");
    let existing = super::container::names_in(&copied)
        .iter()
        .any(|n| n == wanted);
    let name = if existing {
        wanted.to_string()
    } else {
        if plan.image().is_empty() {
            if !plan.set_images.is_empty() {
                return Ok((copied, None));
            }
            return Err(CliError::message(
                "you must specify image when creating new container",
            ));
        }
        let name = if wanted.is_empty() {
            super::container::debug_container_name(plan, &copied, io.out)
        } else {
            wanted.to_string()
        };
        if let Some(list) = copied["spec"]["containers"].as_array_mut() {
            list.push(json!({"name": name, "resources": {}, "terminationMessagePolicy": "File"}));
        }
        name
    };
    change_container(plan, &mut copied, &name);
    plan.shape(&mut copied, &name, Style::Copy)?;
    Ok((copied, Some(name)))
}

/// What the flags set on the debug container of a copy (new or existing).
fn change_container(plan: &Plan, pod: &mut Value, name: &str) {
    let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    let Some(c) = spec
        .iter_mut()
        .filter(|(k, _)| *k == "containers" || *k == "initContainers")
        .filter_map(|(_, l)| l.as_array_mut())
        .flat_map(|l| l.iter_mut())
        .find(|c| c["name"] == name)
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    if !plan.args.args.is_empty() {
        super::container::set_command(c, plan);
        if !plan.args.arguments_only {
            c.shift_remove("args");
        }
    }
    if !plan.env.is_empty() {
        c.insert("env".into(), super::container::env(plan));
    }
    if !plan.image().is_empty() {
        c.insert("image".into(), json!(plan.image()));
    }
    if !plan.pull_policy().is_empty() {
        c.insert("imagePullPolicy".into(), json!(plan.pull_policy()));
    }
    set_flag(c, "stdin", plan.args.stdin);
    set_flag(c, "tty", plan.args.tty);
}

fn set_flag(c: &mut Map<String, Value>, key: &str, on: bool) {
    if on {
        c.insert(key.into(), json!(true));
    } else {
        c.shift_remove(key);
    }
}
