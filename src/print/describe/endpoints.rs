//! `kubectl describe endpoints`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::events_block;
use super::json::{arr, at, int, s};
use super::meta::{annotations_block, labels_block};
use super::related::Related;
use super::writer::Out;

pub fn render(ep: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(ep, &["metadata", "name"]);
    let namespace = s(ep, &["metadata", "namespace"]);
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{namespace}\n"));
    labels_block(&mut w, "Labels", at(ep, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(ep, &["metadata", "annotations"]));
    w.w(0, "Subsets:\n");
    for subset in arr(ep, &["subsets"]) {
        for (field, label) in [
            ("addresses", "Addresses"),
            ("notReadyAddresses", "NotReadyAddresses"),
        ] {
            let ips: Vec<&str> = arr(subset, &[field])
                .iter()
                .map(|a| s(a, &["ip"]))
                .collect();
            let text = ips.join(",");
            w.w(
                1,
                &format!(
                    "{label}:\t{}\n",
                    if text.is_empty() { "<none>" } else { &text }
                ),
            );
        }
        let ports = arr(subset, &["ports"]);
        if !ports.is_empty() {
            w.w(1, "Ports:\n");
            w.w(2, "Name\tPort\tProtocol\n");
            w.w(2, "----\t----\t--------\n");
            for p in ports {
                let pname = s(p, &["name"]);
                let pname = if pname.is_empty() { "<unset>" } else { pname };
                w.w(
                    2,
                    &format!("{pname}\t{}\t{}\n", int(p, &["port"]), s(p, &["protocol"])),
                );
            }
        }
        w.w(0, "\n");
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}
