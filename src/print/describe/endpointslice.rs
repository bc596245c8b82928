//! `kubectl describe endpointslice`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::events_block;
use super::json::{arr, at, s, scalar};
use super::meta::{annotations_block, labels_block};
use super::related::Related;
use super::writer::Out;

pub fn render(eps: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(eps, &["metadata", "name"]);
    let namespace = s(eps, &["metadata", "namespace"]);
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{namespace}\n"));
    labels_block(&mut w, "Labels", at(eps, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(eps, &["metadata", "annotations"]));
    w.w(0, &format!("AddressType:\t{}\n", s(eps, &["addressType"])));
    let ports = arr(eps, &["ports"]);
    if ports.is_empty() {
        w.w(0, "Ports: <unset>\n");
    } else {
        w.w(0, "Ports:\n");
        w.w(1, "Name\tPort\tProtocol\n");
        w.w(1, "----\t----\t--------\n");
        for p in ports {
            let pname = s(p, &["name"]);
            let pname = if pname.is_empty() { "<unset>" } else { pname };
            let number = at(p, &["port"])
                .map(scalar)
                .unwrap_or_else(|| "<unset>".to_string());
            w.w(1, &format!("{pname}\t{number}\t{}\n", s(p, &["protocol"])));
        }
    }
    let endpoints = arr(eps, &["endpoints"]);
    if endpoints.is_empty() {
        w.w(0, "Endpoints: <none>\n");
    } else {
        w.w(0, "Endpoints:\n");
        for ep in endpoints {
            let addresses: Vec<String> = arr(ep, &["addresses"]).iter().map(scalar).collect();
            let addresses = if addresses.is_empty() {
                "<none>".to_string()
            } else {
                addresses.join(",")
            };
            w.w(1, &format!("- Addresses:\t{addresses}\n"));
            w.w(2, "Conditions:\n");
            let ready = at(ep, &["conditions", "ready"]).and_then(Value::as_bool);
            w.w(
                3,
                &format!(
                    "Ready:\t{}\n",
                    ready
                        .map(|b| b.to_string())
                        .unwrap_or_else(|| "<unset>".to_string())
                ),
            );
            let unset = |k: &str| {
                at(ep, &[k])
                    .and_then(Value::as_str)
                    .unwrap_or("<unset>")
                    .to_string()
            };
            w.w(2, &format!("Hostname:\t{}\n", unset("hostname")));
            if let Some(target) = at(ep, &["targetRef"]).filter(|v| v.is_object()) {
                w.w(
                    2,
                    &format!(
                        "TargetRef:\t{}/{}\n",
                        s(target, &["kind"]),
                        s(target, &["name"])
                    ),
                );
            }
            w.w(2, &format!("NodeName:\t{}\n", unset("nodeName")));
            w.w(2, &format!("Zone:\t{}\n", unset("zone")));
        }
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}
