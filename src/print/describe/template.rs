//! The `Pod Template:` block of ReplicaSets, Deployments and DaemonSets.

use serde_json::Value;

use super::container::{ContainerContext, containers_section};
use super::json::{arr, at, s};
use super::meta::{annotations_block, labels_block, tolerations_block};
use super::pod::topology_spread;
use super::volumes::volumes_section;
use super::writer::Out;

pub fn pod_template(w: &mut Out, template: Option<&Value>) {
    w.w(0, "Pod Template:\n");
    let Some(t) = template.filter(|v| v.is_object()) else {
        w.w(1, "<unset>");
        return;
    };
    labels_block(w, "  Labels", at(t, &["metadata", "labels"]));
    if at(t, &["metadata", "annotations"])
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty())
    {
        annotations_block(w, "  Annotations", at(t, &["metadata", "annotations"]));
    }
    let sa = s(t, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(1, &format!("Service Account:\t{sa}\n"));
    }
    let ctx = ContainerContext {
        statuses: None,
        pod: None,
    };
    let init = arr(t, &["spec", "initContainers"]);
    if !init.is_empty() {
        containers_section(w, "Init Containers", init, &ctx, "  ");
    }
    containers_section(w, "Containers", arr(t, &["spec", "containers"]), &ctx, "  ");
    volumes_section(w, arr(t, &["spec", "volumes"]), "  ");
    let gates = arr(t, &["spec", "schedulingGates"]);
    if !gates.is_empty() {
        w.w(1, "Scheduling Gates:\n");
        for g in gates {
            w.w(2, &format!("{}\n", s(g, &["name"])));
        }
    }
    let pcn = s(t, &["spec", "priorityClassName"]);
    if !pcn.is_empty() {
        w.w(1, &format!("Priority Class Name:\t{pcn}\n"));
    }
    labels_block(w, "  Node-Selectors", at(t, &["spec", "nodeSelector"]));
    tolerations_block(w, "  Tolerations", arr(t, &["spec", "tolerations"]));
    topology_spread(w, arr(t, &["spec", "topologySpreadConstraints"]), "  ");
}
