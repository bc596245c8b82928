//! `kubectl describe ingress`: address, class, default backend, TLS and the rules, each
//! service backend with the endpoints of its Service port (kubectl asks for the Service's
//! EndpointSlices and the Service itself, per backend).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, int, s};
use super::meta::{annotations_block, labels_block};
use super::related::{Query, Related, Select, Slot, list_in};
use super::service::endpoints_for_port;
use super::writer::Out;

/// The backends kubectl describes, in its order: the default one, then each rule's paths.
fn backends(ing: &Value) -> Vec<&Value> {
    let mut out: Vec<&Value> = at(ing, &["spec", "defaultBackend"])
        .filter(|b| b.is_object())
        .into_iter()
        .collect();
    for rule in arr(ing, &["spec", "rules"]) {
        for path in arr(rule, &["http", "paths"]) {
            if let Some(b) = at(path, &["backend"]) {
                out.push(b);
            }
        }
    }
    out
}

/// Events first (kubectl reads them before it writes), then per service backend its
/// EndpointSlices and its Service.
pub fn plan(ing: &Value, show_events: bool) -> Vec<Query> {
    let ns = s(ing, &["metadata", "namespace"]);
    let mut plan = Vec::new();
    if show_events {
        plan.push(query_for(ing, "Ingress"));
    }
    for b in backends(ing) {
        let Some(svc) = at(b, &["service"]).filter(|v| v.is_object()) else {
            continue;
        };
        let name = s(svc, &["name"]);
        plan.push(list_in(
            Slot::BackendSlices,
            "endpointslices",
            ns,
            &format!("kubernetes.io/service-name={name}"),
        ));
        plan.push(Query {
            slot: Slot::BackendService,
            resource: "services",
            namespace: Some(ns.to_string()),
            select: Select::Named(name.to_string()),
            must_succeed: false,
        });
    }
    plan
}

/// `name:port` of a service backend (the port's number, else its name).
fn service_text(svc: &Value) -> String {
    let number = int(svc, &["port", "number"]);
    let port = if number != 0 {
        number.to_string()
    } else {
        s(svc, &["port", "name"]).to_string()
    };
    format!("{}:{port}", s(svc, &["name"]))
}

/// One backend as kubectl prints it; `next` is the index of its answers in `related`.
fn backend_text(b: &Value, related: &Related, next: &mut usize) -> String {
    if let Some(svc) = at(b, &["service"]).filter(|v| v.is_object()) {
        let i = *next;
        *next += 1;
        let text = service_text(svc);
        let slices = match related.backend_slices.get(i) {
            Some(Ok(list)) => list.as_slice(),
            Some(Err(e)) => return format!("{text} (<error: {e}>)"),
            None => &[],
        };
        let service = match related.backend_services.get(i) {
            Some(Ok(Some(svc))) => svc,
            Some(Err(e)) => return format!("{text} (<error: {e}>)"),
            _ => {
                return format!(
                    "{text} (<error: services \"{}\" not found>)",
                    s(svc, &["name"])
                );
            }
        };
        let number = int(svc, &["port", "number"]);
        let name = s(svc, &["port", "name"]);
        let mut port_name = "";
        for sp in arr(service, &["spec", "ports"]) {
            if (number != 0 && number == int(sp, &["port"]))
                || (!name.is_empty() && name == s(sp, &["name"]))
            {
                port_name = s(sp, &["name"]);
            }
        }
        return format!("{text} ({})", endpoints_for_port(slices, port_name));
    }
    if let Some(r) = at(b, &["resource"]).filter(|v| v.is_object()) {
        let group = at(r, &["apiGroup"])
            .and_then(Value::as_str)
            .unwrap_or("<none>");
        return format!(
            "APIGroup: {group}, Kind: {}, Name: {}",
            s(r, &["kind"]),
            s(r, &["name"])
        );
    }
    String::new()
}

/// The load balancer's addresses, sorted and deduplicated.
fn address(ing: &Value) -> String {
    let mut out: Vec<&str> = arr(ing, &["status", "loadBalancer", "ingress"])
        .iter()
        .filter_map(|i| {
            [s(i, &["ip"]), s(i, &["hostname"])]
                .into_iter()
                .find(|t| !t.is_empty())
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out.join(",")
}

pub fn render(ing: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    let mut next = 0;
    w.w(0, &format!("Name:\t{}\n", s(ing, &["metadata", "name"])));
    labels_block(&mut w, "Labels", at(ing, &["metadata", "labels"]));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(ing, &["metadata", "namespace"])),
    );
    w.w(0, &format!("Address:\t{}\n", address(ing)));
    let class = at(ing, &["spec", "ingressClassName"])
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    w.w(0, &format!("Ingress Class:\t{class}\n"));
    let default = match at(ing, &["spec", "defaultBackend"]).filter(|b| b.is_object()) {
        Some(b) => backend_text(b, related, &mut next),
        None => "<default>".to_string(),
    };
    w.w(0, &format!("Default backend:\t{default}\n"));
    let tls = arr(ing, &["spec", "tls"]);
    if !tls.is_empty() {
        w.w(0, "TLS:\n");
        for t in tls {
            let hosts: Vec<&str> = arr(t, &["hosts"])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let secret = s(t, &["secretName"]);
            if secret.is_empty() {
                w.w(1, &format!("SNI routes {}\n", hosts.join(",")));
            } else {
                w.w(1, &format!("{secret} terminates {}\n", hosts.join(",")));
            }
        }
    }
    w.w(0, "Rules:\n  Host\tPath\tBackends\n");
    w.w(1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in arr(ing, &["spec", "rules"]) {
        let Some(http) = at(rule, &["http"]).filter(|h| h.is_object()) else {
            continue;
        };
        count += 1;
        let host = s(rule, &["host"]);
        let host = if host.is_empty() { "*" } else { host };
        w.w(1, &format!("{host}\t\n"));
        for path in arr(http, &["paths"]) {
            let backend = at(path, &["backend"])
                .map(|b| backend_text(b, related, &mut next))
                .unwrap_or_default();
            w.w(2, &format!("\t{} \t{backend}\n", s(path, &["path"])));
        }
    }
    if count == 0 {
        w.w(1, &format!("*\t*\t{default}\n"));
    }
    annotations_block(&mut w, "Annotations", at(ing, &["metadata", "annotations"]));
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}
