//! `debug node/NAME`: a pod on that node, named `node-debugger-NODE-xxxxx`, that tolerates
//! every taint and never restarts; the profile decides the host namespaces and the
//! `/host` mount.

use super::profile::Style;
use super::{Made, Plan};
use crate::api::options::WriteOptions;
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::Client;
use serde_json::{Value, json};

pub(super) fn debug_node(
    client: &dyn Client,
    plan: &Plan,
    node: &Value,
    namespace: &str,
    io: &mut Io,
) -> Result<Made, CliError> {
    let container = plan
        .args
        .container
        .as_deref()
        .filter(|c| !c.is_empty())
        .unwrap_or("debugger")
        .to_string();
    let node_name = node["metadata"]["name"].as_str().unwrap_or("");
    let pod_name = format!(
        "node-debugger-{node_name}-{}",
        super::suffix::suffix(&super::suffix::seed_of(node), 0)
    );
    if !plan.args.quiet {
        let _ = writeln!(
            io.out,
            "Creating debugging pod {pod_name} with container {container} on node {node_name}."
        );
    }
    let mut c = super::container::new_container(plan, &container, None);
    if let Some(m) = c.as_object_mut() {
        // A node's debug container has no `resources` of its own in kubectl's pod.
        m.shift_remove("resources");
    }
    let mut pod = json!({
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"name": pod_name},
        "spec": {
            "containers": [c],
            "restartPolicy": "Never",
            "nodeName": node_name,
            "tolerations": [{"operator": "Exists"}],
        },
        "status": {},
    });
    plan.shape(&mut pod, &container, Style::Node)?;
    // kubectl's clientset names no namespace in the body.
    let created = client.create_as_built(
        super::pods()?,
        Some(namespace),
        pod,
        &WriteOptions::default(),
        false,
    )?;
    Ok(Made {
        pod: created,
        container: Some(container),
    })
}
