//! `kubectl describe` of PodDisruptionBudgets, PriorityClasses, ReplicationControllers,
//! NetworkPolicies and IngressClasses, as kubectl 1.32 words them.

use chrono::{DateTime, Local, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, boolean, int, int_or_string, s};
use super::meta::{annotations_block, format_labels, labels_block, selector_or_none};
use super::related::{Query, Related, Slot, list_in};
use super::replicaset::conditions;
use super::template::pod_template;
use super::time::parse;
use super::workloads::{desired_replicas, pod_status_counts};
use super::writer::Out;

fn events(w: &mut Out, related: &Related, now: DateTime<Utc>) {
    if let Some(events) = &related.events {
        events_block(w, events, now);
    }
}

pub fn render_pdb(pdb: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(pdb, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(pdb, &["metadata", "namespace"])),
    );
    let present = |k: &str| at(pdb, &["spec", k]).filter(|v| !v.is_null());
    if let Some(min) = present("minAvailable") {
        w.w(
            0,
            &format!("Min available:\t{}\n", int_or_string(Some(min))),
        );
    } else if let Some(max) = present("maxUnavailable") {
        w.w(
            0,
            &format!("Max unavailable:\t{}\n", int_or_string(Some(max))),
        );
    }
    match present("selector") {
        Some(sel) => w.w(0, &format!("Selector:\t{}\n", selector_or_none(Some(sel)))),
        None => w.w(0, "Selector:\t<unset>\n"),
    }
    w.w(0, "Status:\n");
    for (label, key) in [
        ("Allowed disruptions", "disruptionsAllowed"),
        ("Current", "currentHealthy"),
        ("Desired", "desiredHealthy"),
        ("Total", "expectedPods"),
    ] {
        w.w(2, &format!("{label}:\t{}\n", int(pdb, &["status", key])));
    }
    events(&mut w, related, now);
    w.finish()
}

pub fn render_priority_class(pc: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(pc, &["metadata", "name"])));
    w.w(0, &format!("Value:\t{}\n", int(pc, &["value"])));
    w.w(
        0,
        &format!("GlobalDefault:\t{}\n", boolean(pc, &["globalDefault"])),
    );
    w.w(
        0,
        &format!("PreemptionPolicy:\t{}\n", s(pc, &["preemptionPolicy"])),
    );
    w.w(0, &format!("Description:\t{}\n", s(pc, &["description"])));
    let annotations = format_labels(at(pc, &["metadata", "annotations"]));
    let annotations = if annotations.is_empty() {
        "<none>".to_string()
    } else {
        annotations
    };
    w.w(0, &format!("Annotations:\t{annotations}\n"));
    events(&mut w, related, now);
    w.finish()
}

/// The controller's pods (its selector is a plain label map), then its events.
pub fn rc_plan(rc: &Value, show_events: bool) -> Vec<Query> {
    let mut plan = vec![list_in(
        Slot::Pods,
        "pods",
        s(rc, &["metadata", "namespace"]),
        &format_labels(at(rc, &["spec", "selector"])),
    )];
    if show_events {
        plan.push(query_for(rc, "ReplicationController"));
    }
    plan
}

pub fn render_rc(rc: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(rc, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(rc, &["metadata", "namespace"])),
    );
    let selector = format_labels(at(rc, &["spec", "selector"]));
    let selector = if selector.is_empty() {
        "<none>".to_string()
    } else {
        selector
    };
    w.w(0, &format!("Selector:\t{selector}\n"));
    labels_block(&mut w, "Labels", at(rc, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(rc, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            int(rc, &["status", "replicas"]),
            desired_replicas(rc)
        ),
    );
    let uid = s(rc, &["metadata", "uid"]);
    w.w(0, "Pods Status:\t");
    match related.pods.as_deref().map(|p| pod_status_counts(p, uid)) {
        Ok((r, wa, su, f)) => w.w(
            0,
            &format!("{r} Running / {wa} Waiting / {su} Succeeded / {f} Failed\n"),
        ),
        Err(e) => w.w(0, &format!("error in fetching pods: {e}\n")),
    }
    pod_template(&mut w, at(rc, &["spec", "template"]));
    conditions(&mut w, arr(rc, &["status", "conditions"]));
    events(&mut w, related, now);
    w.finish()
}

pub fn render_ingress_class(ic: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(ic, &["metadata", "name"])));
    labels_block(&mut w, "Labels", at(ic, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(ic, &["metadata", "annotations"]));
    w.w(
        0,
        &format!("Controller:\t{}\n", s(ic, &["spec", "controller"])),
    );
    if let Some(p) = at(ic, &["spec", "parameters"]).filter(|p| p.is_object()) {
        w.w(0, "Parameters:\n");
        if let Some(group) = at(p, &["apiGroup"]).and_then(Value::as_str) {
            w.w(1, &format!("APIGroup:\t{group}\n"));
        }
        w.w(1, &format!("Kind:\t{}\n", s(p, &["kind"])));
        w.w(1, &format!("Name:\t{}\n", s(p, &["name"])));
    }
    events(&mut w, related, now);
    w.finish()
}

/// Go's `time.Time.String()` of a creation time in the local zone.
fn go_time_string(t: Option<DateTime<Utc>>) -> String {
    let Some(t) = t else {
        return "0001-01-01 00:00:00 +0000 UTC".to_string();
    };
    let local = t.with_timezone(&Local);
    let offset = local.format("%z").to_string();
    let zone = if offset == "+0000" {
        "UTC".to_string()
    } else {
        offset.clone()
    };
    format!("{} {offset} {zone}", local.format("%Y-%m-%d %H:%M:%S"))
}

/// kubectl describes a NetworkPolicy without its events.
pub fn render_network_policy(np: &Value) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(np, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(np, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Created on:\t{}\n",
            go_time_string(parse(at(np, &["metadata", "creationTimestamp"])))
        ),
    );
    labels_block(&mut w, "Labels", at(np, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(np, &["metadata", "annotations"]));
    w.w(0, "Spec:\n");
    w.w(1, "PodSelector: ");
    let sel = at(np, &["spec", "podSelector"]);
    let sel_text = super::meta::format_label_selector(sel);
    if sel_text.is_empty() {
        w.w(
            2,
            "<none> (Allowing the specific traffic to all pods in this namespace)\n",
        );
    } else {
        w.w(2, &format!("{sel_text}\n"));
    }
    let types: Vec<&str> = arr(np, &["spec", "policyTypes"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for (dir, enabled, peers) in [
        ("ingress", types.contains(&"Ingress"), "from"),
        ("egress", types.contains(&"Egress"), "to"),
    ] {
        if enabled {
            w.w(1, &format!("Allowing {dir} traffic:\n"));
            rules(&mut w, arr(np, &["spec", dir]), dir, peers);
        } else {
            w.w(1, &format!("Not affecting {dir} traffic\n"));
        }
    }
    let types = if types.is_empty() {
        "<none>".to_string()
    } else {
        types.join(", ")
    };
    w.w(1, &format!("Policy Types: {types}\n"));
    w.finish()
}

/// The rules of one direction, each with its ports and peers, separated by dashes.
fn rules(w: &mut Out, list: &[Value], dir: &str, peers: &str) {
    const INDENT: &str = "    ";
    if list.is_empty() {
        w.w(
            0,
            &format!("{INDENT}<none> (Selected pods are isolated for {dir} connectivity)\n"),
        );
        return;
    }
    let (peer_title, any_peer) = if peers == "from" {
        ("From", "From: <any> (traffic not restricted by source)")
    } else {
        ("To", "To: <any> (traffic not restricted by destination)")
    };
    let rules_count = list.len();
    for (i, rule) in list.iter().enumerate() {
        let ports = arr(rule, &["ports"]);
        if ports.is_empty() {
            w.w(
                0,
                &format!("{INDENT}To Port: <any> (traffic allowed to all ports)\n"),
            );
        }
        for port in ports {
            let proto = at(port, &["protocol"])
                .and_then(Value::as_str)
                .unwrap_or("TCP");
            let number = port_text(at(port, &["port"]));
            match at(port, &["endPort"]).and_then(Value::as_i64) {
                None => w.w(0, &format!("{INDENT}To Port: {number}/{proto}\n")),
                Some(end) => w.w(
                    0,
                    &format!("{INDENT}To Port Range: {number}-{end}/{proto}\n"),
                ),
            }
        }
        let peer_list = arr(rule, &[peers]);
        if peer_list.is_empty() {
            w.w(0, &format!("{INDENT}{any_peer}\n"));
        }
        for peer in peer_list {
            w.w(0, &format!("{INDENT}{peer_title}:\n"));
            let pod = at(peer, &["podSelector"]).filter(|v| !v.is_null());
            let ns = at(peer, &["namespaceSelector"]).filter(|v| !v.is_null());
            if let Some(ns) = ns {
                w.w(
                    1,
                    &format!(
                        "{INDENT}NamespaceSelector: {}\n",
                        selector_or_none(Some(ns))
                    ),
                );
            }
            if let Some(pod) = pod {
                w.w(
                    1,
                    &format!("{INDENT}PodSelector: {}\n", selector_or_none(Some(pod))),
                );
            }
            if pod.is_none()
                && ns.is_none()
                && let Some(block) = at(peer, &["ipBlock"]).filter(|v| v.is_object())
            {
                w.w(1, &format!("{INDENT}IPBlock:\n"));
                w.w(2, &format!("{INDENT}CIDR: {}\n", s(block, &["cidr"])));
                let except: Vec<&str> = arr(block, &["except"])
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                w.w(2, &format!("{INDENT}Except: {}\n", except.join(", ")));
            }
        }
        if i + 1 != rules_count {
            w.w(0, &format!("{INDENT}----------\n"));
        }
    }
}

/// A port as Go's `%s` of a `*IntOrString` prints it (`<nil>` when unset).
fn port_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => "<nil>".to_string(),
    }
}
