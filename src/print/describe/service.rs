//! `kubectl describe service` (1.32: endpoints come from the EndpointSlices).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, int, s, scalar};
use super::meta::{annotations_block, format_labels, labels_block};
use super::related::{Query, Related, Slot, list_in};
use super::writer::Out;

/// How many endpoints a port line shows before `+ N more...`.
const MAX_ENDPOINTS: usize = 3;

/// The Service's EndpointSlices, then its events.
pub fn plan(svc: &Value, show_events: bool) -> Vec<Query> {
    let name = s(svc, &["metadata", "name"]);
    let namespace = s(svc, &["metadata", "namespace"]);
    let slices = list_in(
        Slot::EndpointSlices,
        "endpointslices",
        namespace,
        &format!("kubernetes.io/service-name={name}"),
    );
    let mut plan = vec![slices];
    if show_events {
        plan.push(query_for(svc, "Service"));
    }
    plan
}

pub fn render(svc: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(svc, &["metadata", "name"]);
    let namespace = s(svc, &["metadata", "namespace"]);
    // kubectl shows no endpoints when the slices cannot be listed.
    let slices = related.endpoint_slices.as_deref().unwrap_or_default();
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{namespace}\n"));
    labels_block(&mut w, "Labels", at(svc, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(svc, &["metadata", "annotations"]));
    let selector = format_labels(at(svc, &["spec", "selector"]));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            if selector.is_empty() {
                "<none>"
            } else {
                &selector
            }
        ),
    );
    w.w(0, &format!("Type:\t{}\n", s(svc, &["spec", "type"])));
    if let Some(p) = at(svc, &["spec", "ipFamilyPolicy"]).and_then(Value::as_str) {
        w.w(0, &format!("IP Family Policy:\t{p}\n"));
    }
    w.w(
        0,
        &format!(
            "IP Families:\t{}\n",
            joined_or_none(arr(svc, &["spec", "ipFamilies"]))
        ),
    );
    w.w(0, &format!("IP:\t{}\n", s(svc, &["spec", "clusterIP"])));
    w.w(
        0,
        &format!(
            "IPs:\t{}\n",
            joined_or_none(arr(svc, &["spec", "clusterIPs"]))
        ),
    );
    let external: Vec<String> = arr(svc, &["spec", "externalIPs"])
        .iter()
        .map(scalar)
        .collect();
    if !external.is_empty() {
        w.w(0, &format!("External IPs:\t{}\n", external.join(",")));
    }
    let lb_ip = s(svc, &["spec", "loadBalancerIP"]);
    if !lb_ip.is_empty() {
        w.w(0, &format!("Desired LoadBalancer IP:\t{lb_ip}\n"));
    }
    let ext_name = s(svc, &["spec", "externalName"]);
    if !ext_name.is_empty() {
        w.w(0, &format!("External Name:\t{ext_name}\n"));
    }
    let ingress = arr(svc, &["status", "loadBalancer", "ingress"]);
    if !ingress.is_empty() {
        let list: Vec<&str> = ingress
            .iter()
            .map(|i| {
                if s(i, &["ip"]).is_empty() {
                    s(i, &["hostname"])
                } else {
                    s(i, &["ip"])
                }
            })
            .collect();
        w.w(0, &format!("LoadBalancer Ingress:\t{}\n", list.join(", ")));
    }
    for p in arr(svc, &["spec", "ports"]) {
        let pname = s(p, &["name"]);
        let shown = if pname.is_empty() { "<unset>" } else { pname };
        let proto = s(p, &["protocol"]);
        w.w(
            0,
            &format!("Port:\t{shown}\t{}/{proto}\n", int(p, &["port"])),
        );
        let target = at(p, &["targetPort"])
            .map(scalar)
            .unwrap_or_else(|| "0".to_string());
        w.w(0, &format!("TargetPort:\t{target}/{proto}\n"));
        let node_port = int(p, &["nodePort"]);
        if node_port != 0 {
            w.w(0, &format!("NodePort:\t{shown}\t{node_port}/{proto}\n"));
        }
        w.w(
            0,
            &format!("Endpoints:\t{}\n", endpoints_for_port(slices, pname)),
        );
    }
    w.w(
        0,
        &format!(
            "Session Affinity:\t{}\n",
            s(svc, &["spec", "sessionAffinity"])
        ),
    );
    let etp = s(svc, &["spec", "externalTrafficPolicy"]);
    if !etp.is_empty() {
        w.w(0, &format!("External Traffic Policy:\t{etp}\n"));
    }
    let itp = s(svc, &["spec", "internalTrafficPolicy"]);
    if !itp.is_empty() {
        w.w(0, &format!("Internal Traffic Policy:\t{itp}\n"));
    }
    let hc = int(svc, &["spec", "healthCheckNodePort"]);
    if hc != 0 {
        w.w(0, &format!("HealthCheck NodePort:\t{hc}\n"));
    }
    let ranges: Vec<String> = arr(svc, &["spec", "loadBalancerSourceRanges"])
        .iter()
        .map(scalar)
        .collect();
    if !ranges.is_empty() {
        w.w(
            0,
            &format!("LoadBalancer Source Ranges:\t{}\n", ranges.join(",")),
        );
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

fn joined_or_none(list: &[Value]) -> String {
    if list.is_empty() {
        "<none>".to_string()
    } else {
        list.iter().map(scalar).collect::<Vec<_>>().join(",")
    }
}

/// `ip:port` of the ready endpoints serving the service port named `port_name`, at most
/// three, then `+ N more...`; `<none>` without slices.
pub(super) fn endpoints_for_port(slices: &[Value], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut more = false;
    let mut consider = |ep: &Value, port: Option<i64>, list: &mut Vec<String>| {
        // A missing `ready` condition means ready.
        if at(ep, &["conditions", "ready"]).and_then(Value::as_bool) == Some(false) {
            return;
        }
        let Some(addr) = arr(ep, &["addresses"]).first().map(scalar) else {
            return;
        };
        if list.len() == MAX_ENDPOINTS {
            more = true;
        }
        if !more {
            list.push(match port {
                Some(p) if addr.contains(':') => format!("[{addr}]:{p}"),
                Some(p) => format!("{addr}:{p}"),
                None => addr,
            });
        }
        count += 1;
    };
    for slice in slices {
        let ports = arr(slice, &["ports"]);
        if ports.is_empty() {
            for ep in arr(slice, &["endpoints"]) {
                consider(ep, None, &mut list);
            }
            continue;
        }
        for port in ports {
            if s(port, &["name"]) != port_name {
                continue;
            }
            let number = int(port, &["port"]);
            for ep in arr(slice, &["endpoints"]) {
                consider(ep, Some(number), &mut list);
            }
        }
    }
    let text = list.join(",");
    if more {
        format!("{text} + {} more...", count - MAX_ENDPOINTS)
    } else {
        text
    }
}
