//! An ephemeral debug container added to a running pod: the strategic merge patch kubectl
//! computes from the pod before and after (the new container, and the order of all of
//! them when some existed), sent to `pods/NAME/ephemeralcontainers`.

use super::profile::Style;
use super::{Made, Plan};
use crate::api::options::{PatchType, WriteOptions};
use crate::api::status::ApiError;
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::Client;
use serde_json::{Value, json};

pub(super) fn debug_by_ephemeral_container(
    client: &dyn Client,
    plan: &Plan,
    pod: &Value,
    io: &mut Io,
) -> Result<Made, CliError> {
    let name = super::container::debug_container_name(plan, pod, io.out);
    let target = plan.args.target.as_deref();
    // The profile works on a pod holding the new container, as kubectl's does.
    let mut holder = json!({"spec": {"ephemeralContainers": [
        super::container::new_container(plan, &name, target)
    ]}});
    plan.shape(&mut holder, &name, Style::Ephemeral)?;
    let mut added = holder["spec"]["ephemeralContainers"][0].take();
    let existing: Vec<Value> = pod
        .pointer("/spec/ephemeralContainers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    // A name that is taken: kubectl's two-way patch then clears what the existing
    // container has and the new one lacks, so the server sees the existing one changed.
    if let (Some(old), Some(new)) = (
        existing
            .iter()
            .find(|c| c["name"] == name.as_str())
            .and_then(Value::as_object),
        added.as_object_mut(),
    ) {
        for key in old.keys() {
            if !new.contains_key(key) {
                new.insert(key.clone(), Value::Null);
            }
        }
    }
    let mut spec = serde_json::Map::new();
    if !existing.is_empty() {
        let mut order: Vec<Value> = existing
            .iter()
            .map(|c| json!({"name": c["name"]}))
            .collect();
        order.push(json!({"name": name}));
        spec.insert(
            "$setElementOrder/ephemeralContainers".into(),
            Value::Array(order),
        );
    }
    spec.insert("ephemeralContainers".into(), json!([added]));
    let patch = json!({"spec": spec});
    let body = serde_json::to_vec(&patch).map_err(|e| CliError::message(e.to_string()))?;
    let pods = super::pods()?;
    let opts = WriteOptions {
        subresource: Some("ephemeralcontainers"),
        ..Default::default()
    };
    let pod_name = pod["metadata"]["name"].as_str().unwrap_or("");
    let ns = pod["metadata"]["namespace"].as_str();
    let written = client
        .patch_raw(pods, ns, pod_name, PatchType::Strategic, &body, &opts)
        .map_err(disabled)?;
    Ok(Made {
        pod: written,
        container: Some(name),
    })
}

/// A server without the subresource answers 404 with no details: kubectl says so.
fn disabled(e: ApiError) -> CliError {
    let nameless = e
        .details
        .as_ref()
        .and_then(|d| d.get("name"))
        .and_then(Value::as_str)
        .is_none_or(str::is_empty);
    if e.code == 404 && e.reason == "NotFound" && nameless {
        return CliError::message(format!(
            "ephemeral containers are disabled for this cluster (error from server: \"{}\")",
            e.message
        ));
    }
    e.into()
}
