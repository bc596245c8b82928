//! `kubectl describe pod`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::container::{ContainerContext, containers_section};
use super::events::{EventTarget, events_block, query};
use super::json::{arr, at, int, s};
use super::meta::{
    annotations_block, controlled_by, format_label_selector, labels_block, tolerations_block,
};
use super::related::{Query, Related};
use super::time::{parse, rfc1123, since};
use super::volumes::volumes_section;
use super::writer::Out;
use crate::api::quantity::Quantity;

/// The annotation that marks a static pod's mirror; its value is the UID events use.
const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// The pod's events (kubectl names no kind; a mirror pod's events carry its static UID).
pub fn plan(pod: &Value, show_events: bool) -> Vec<Query> {
    if !show_events {
        return Vec::new();
    }
    let annotations = at(pod, &["metadata", "annotations"]);
    let uid = match annotations
        .and_then(|a| a.get(MIRROR_ANNOTATION))
        .and_then(Value::as_str)
    {
        Some(mirror) => mirror,
        None => s(pod, &["metadata", "uid"]),
    };
    vec![query(&EventTarget {
        kind: None,
        name: s(pod, &["metadata", "name"]),
        namespace: s(pod, &["metadata", "namespace"]),
        uid,
    })]
}

pub fn render(pod: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(pod, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(pod, &["metadata", "namespace"])),
    );
    if let Some(p) = at(pod, &["spec", "priority"]).and_then(Value::as_i64) {
        w.w(0, &format!("Priority:\t{p}\n"));
    }
    let pcn = s(pod, &["spec", "priorityClassName"]);
    if !pcn.is_empty() {
        w.w(0, &format!("Priority Class Name:\t{pcn}\n"));
    }
    let rcn = s(pod, &["spec", "runtimeClassName"]);
    if !rcn.is_empty() {
        w.w(0, &format!("Runtime Class Name:\t{rcn}\n"));
    }
    let sa = s(pod, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(0, &format!("Service Account:\t{sa}\n"));
    }
    let node = s(pod, &["spec", "nodeName"]);
    if node.is_empty() {
        w.w(0, "Node:\t<none>\n");
    } else {
        w.w(
            0,
            &format!("Node:\t{node}/{}\n", s(pod, &["status", "hostIP"])),
        );
    }
    if parse(at(pod, &["status", "startTime"])).is_some() {
        w.w(
            0,
            &format!("Start Time:\t{}\n", rfc1123(pod, &["status", "startTime"])),
        );
    }
    labels_block(&mut w, "Labels", at(pod, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(pod, &["metadata", "annotations"]));
    let phase = s(pod, &["status", "phase"]);
    let deletion = parse(at(pod, &["metadata", "deletionTimestamp"]));
    if deletion.is_some() && phase != "Failed" && phase != "Succeeded" {
        w.w(
            0,
            &format!("Status:\tTerminating (lasts {})\n", since(deletion, now)),
        );
        w.w(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                int(pod, &["metadata", "deletionGracePeriodSeconds"])
            ),
        );
    } else {
        w.w(0, &format!("Status:\t{phase}\n"));
    }
    for (field, label) in [("reason", "Reason"), ("message", "Message")] {
        let text = s(pod, &["status", field]);
        if !text.is_empty() {
            w.w(0, &format!("{label}:\t{text}\n"));
        }
    }
    if let Some(profile) =
        at(pod, &["spec", "securityContext", "seccompProfile"]).filter(|v| v.is_object())
    {
        w.w(0, &format!("SeccompProfile:\t{}\n", s(profile, &["type"])));
        if s(profile, &["type"]) == "Localhost" {
            w.w(
                0,
                &format!("LocalhostProfile:\t{}\n", s(profile, &["localhostProfile"])),
            );
        }
    }
    w.w(0, &format!("IP:\t{}\n", s(pod, &["status", "podIP"])));
    let ips = arr(pod, &["status", "podIPs"]);
    if ips.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        for ip in ips {
            w.w(1, &format!("IP:\t{}\n", s(ip, &["ip"])));
        }
    }
    if let Some(owner) = controlled_by(pod) {
        w.w(0, &format!("Controlled By:\t{owner}\n"));
    }
    let nominated = s(pod, &["status", "nominatedNodeName"]);
    if !nominated.is_empty() {
        w.w(0, &format!("NominatedNodeName:\t{nominated}\n"));
    }

    let init = arr(pod, &["spec", "initContainers"]);
    if !init.is_empty() {
        let ctx = ContainerContext {
            statuses: Some(arr(pod, &["status", "initContainerStatuses"])),
            pod: Some(pod),
        };
        containers_section(&mut w, "Init Containers", init, &ctx, "");
    }
    let ctx = ContainerContext {
        statuses: Some(arr(pod, &["status", "containerStatuses"])),
        pod: Some(pod),
    };
    containers_section(
        &mut w,
        "Containers",
        arr(pod, &["spec", "containers"]),
        &ctx,
        "",
    );
    let ephemeral = arr(pod, &["spec", "ephemeralContainers"]);
    if !ephemeral.is_empty() {
        let ctx = ContainerContext {
            statuses: Some(arr(pod, &["status", "ephemeralContainerStatuses"])),
            pod: Some(pod),
        };
        containers_section(&mut w, "Ephemeral Containers", ephemeral, &ctx, "");
    }

    let conditions = arr(pod, &["status", "conditions"]);
    let gates = arr(pod, &["spec", "readinessGates"]);
    if !gates.is_empty() {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let t = s(g, &["conditionType"]);
            let status = conditions
                .iter()
                .find(|c| s(c, &["type"]) == t)
                .map(|c| s(c, &["status"]))
                .unwrap_or("<none>");
            w.w(1, &format!("{t} \t{status} \n"));
        }
    }
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.w(
                1,
                &format!("{} \t{} \n", s(c, &["type"]), s(c, &["status"])),
            );
        }
    }
    volumes_section(&mut w, arr(pod, &["spec", "volumes"]), "");
    let mut qos = s(pod, &["status", "qosClass"]).to_string();
    if qos.is_empty() {
        qos = compute_qos(pod).to_string();
    }
    w.w(0, &format!("QoS Class:\t{qos}\n"));
    labels_block(&mut w, "Node-Selectors", at(pod, &["spec", "nodeSelector"]));
    tolerations_block(&mut w, "Tolerations", arr(pod, &["spec", "tolerations"]));
    topology_spread(&mut w, arr(pod, &["spec", "topologySpreadConstraints"]), "");
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// `Topology Spread Constraints:` lines, sorted by topology key.
pub fn topology_spread(w: &mut Out, list: &[Value], space: &str) {
    if list.is_empty() {
        return;
    }
    let mut items: Vec<&Value> = list.iter().collect();
    items.sort_by(|a, b| s(a, &["topologyKey"]).cmp(s(b, &["topologyKey"])));
    w.w(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            w.w(0, &format!("{space}\t"));
        }
        let mut line = format!(
            "{}:{} when max skew {} is exceeded",
            s(t, &["topologyKey"]),
            s(t, &["whenUnsatisfiable"]),
            int(t, &["maxSkew"])
        );
        if let Some(sel) = at(t, &["labelSelector"]).filter(|v| v.is_object()) {
            let text = format_label_selector(Some(sel));
            line.push_str(&format!(
                " for selector {}",
                if text.is_empty() { "<none>" } else { &text }
            ));
        }
        w.w(0, &format!("{line}\n"));
    }
}

/// The QoS class when the status does not carry one: BestEffort without any cpu/memory
/// requests or limits, Guaranteed when every container limits both and requests equal
/// limits, Burstable otherwise.
fn compute_qos(pod: &Value) -> &'static str {
    let mut requests: Vec<(&str, Quantity)> = Vec::new();
    let mut limits: Vec<(&str, Quantity)> = Vec::new();
    let mut guaranteed = true;
    let containers = arr(pod, &["spec", "containers"])
        .iter()
        .chain(arr(pod, &["spec", "initContainers"]));
    let add = |list: &mut Vec<(&'static str, Quantity)>, name: &'static str, q: Quantity| match list
        .iter_mut()
        .find(|(n, _)| *n == name)
    {
        Some((_, total)) => total.add(&q),
        None => list.push((name, q)),
    };
    for c in containers {
        for name in ["cpu", "memory"] {
            if let Some(q) = at(c, &["resources", "requests", name])
                .and_then(Quantity::from_json)
                .filter(|q| !q.is_zero())
            {
                add(&mut requests, name, q);
            }
        }
        let mut found = 0;
        for name in ["cpu", "memory"] {
            if let Some(q) = at(c, &["resources", "limits", name])
                .and_then(Quantity::from_json)
                .filter(|q| !q.is_zero())
            {
                found += 1;
                add(&mut limits, name, q);
            }
        }
        if found < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed {
        let equal = requests.len() == limits.len()
            && limits.iter().all(|(n, l)| {
                requests
                    .iter()
                    .any(|(rn, r)| rn == n && r.nanos() == l.nanos())
            });
        if equal {
            return "Guaranteed";
        }
    }
    "Burstable"
}
