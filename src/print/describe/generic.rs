//! Describers for kinds without a dedicated layout: ConfigMap, Secret and ServiceAccount
//! have small ones of their own; everything else (Lease, Event, custom resources) gets
//! kubectl's generic field dump.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::events::{events_block, query_for};
use super::json::{arr, at, s, scalar};
use super::meta::{annotations_block, labels_block};
use super::related::{Query, Related, Slot, list_in};
use super::writer::Out;

const SA_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
const SA_UID_ANNOTATION: &str = "kubernetes.io/service-account.uid";

fn header(w: &mut Out, o: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(o, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(o, &["metadata", "namespace"])),
    );
    labels_block(w, "Labels", at(o, &["metadata", "labels"]));
    annotations_block(w, "Annotations", at(o, &["metadata", "annotations"]));
}

fn sorted_entries(o: &Value, field: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = at(o, &[field])
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Decoded length of standard base64 text (what a Secret's data holds).
fn base64_len(text: &str) -> usize {
    let t = text.trim_end_matches('=');
    t.len() * 3 / 4
}

pub fn render_configmap(cm: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    header(&mut w, cm);
    w.w(0, "\nData\n====\n");
    for (k, v) in sorted_entries(cm, "data") {
        w.w(0, &format!("{k}:\n----\n{v}\n\n"));
    }
    w.w(0, "\nBinaryData\n====\n");
    for (k, v) in sorted_entries(cm, "binaryData") {
        w.w(0, &format!("{k}: {} bytes\n", base64_len(&v)));
    }
    w.w(0, "\n");
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

pub fn render_secret(secret: &Value) -> String {
    let mut w = Out::new();
    header(&mut w, secret);
    let kind = s(secret, &["type"]);
    w.w(0, &format!("\nType:\t{kind}\n"));
    w.w(0, "\nData\n====\n");
    for (k, v) in sorted_entries(secret, "data") {
        if k == "token" && kind == "kubernetes.io/service-account-token" {
            let decoded = decode_base64(&v).unwrap_or_default();
            w.w(0, &format!("{k}:\t{decoded}\n"));
        } else {
            w.w(0, &format!("{k}:\t{} bytes\n", base64_len(&v)));
        }
    }
    w.finish()
}

/// Decodes standard base64 into text (invalid UTF-8 is replaced).
fn decode_base64(text: &str) -> Option<String> {
    use base64::Engine;
    let bytes = crate::go::base64::LENIENT.decode(text).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The Secrets of the ServiceAccount's namespace (to find its tokens and the missing
/// references), then its events.
pub fn serviceaccount_plan(sa: &Value, show_events: bool) -> Vec<Query> {
    let namespace = s(sa, &["metadata", "namespace"]);
    let mut plan = vec![list_in(Slot::Secrets, "secrets", namespace, "")];
    if show_events {
        plan.push(query_for(sa, "ServiceAccount"));
    }
    plan
}

pub fn render_serviceaccount(sa: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(sa, &["metadata", "name"]);
    let uid = s(sa, &["metadata", "uid"]);
    let mut tokens = Vec::new();
    let mut missing = Vec::new();
    let pull: Vec<String> = arr(sa, &["imagePullSecrets"])
        .iter()
        .map(|r| s(r, &["name"]).to_string())
        .collect();
    let mount: Vec<String> = arr(sa, &["secrets"])
        .iter()
        .map(|r| s(r, &["name"]).to_string())
        .collect();
    // Listing errors are tolerated: the references are still shown.
    if let Ok(secrets) = &related.secrets {
        let existing: Vec<&str> = secrets
            .iter()
            .map(|x| s(x, &["metadata", "name"]))
            .collect();
        for x in secrets {
            let annotations = at(x, &["metadata", "annotations"]);
            let ann = |k: &str| {
                annotations
                    .and_then(|a| a.get(k))
                    .and_then(Value::as_str)
                    .unwrap_or("")
            };
            if s(x, &["type"]) == "kubernetes.io/service-account-token"
                && ann(SA_NAME_ANNOTATION) == name
                && ann(SA_UID_ANNOTATION) == uid
            {
                tokens.push(s(x, &["metadata", "name"]).to_string());
            }
        }
        missing = pull
            .iter()
            .chain(&mount)
            .filter(|n| !existing.contains(&n.as_str()))
            .cloned()
            .collect();
    }
    let mut w = Out::new();
    header(&mut w, sa);
    let empty = " ".repeat(19);
    for (title, names) in [
        ("Image pull secrets:", &pull),
        ("Mountable secrets: ", &mount),
        ("Tokens:            ", &tokens),
    ] {
        if names.is_empty() {
            w.w(0, &format!("{title}\t<none>\n"));
            continue;
        }
        for (i, n) in names.iter().enumerate() {
            let prefix = if i == 0 { title } else { empty.as_str() };
            let note = if missing.contains(n) {
                " (not found)"
            } else {
                ""
            };
            w.w(0, &format!("{prefix}\t{n}{note}\n"));
        }
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// Any other kind: name, namespace, labels, annotations, then every other field with a
/// readable label (`holderIdentity` → `Holder Identity`), then events.
pub fn render_generic(o: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    header(&mut w, o);
    if let Some(map) = o.as_object() {
        dump(&mut w, 0, map, "");
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// Paths the generic dump leaves out (already shown, or noise).
const SKIPPED: [&str; 5] = [
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

fn dump(w: &mut Out, level: usize, map: &Map<String, Value>, path: &str) {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        let here = format!("{path}.{key}");
        if SKIPPED.contains(&here.as_str()) {
            continue;
        }
        match &map[key.as_str()] {
            Value::Object(inner) => {
                w.w(level, &format!("{}:\n", smart_label(key)));
                dump(w, level + 1, inner, &here);
            }
            Value::Array(items) => {
                w.w(level, &format!("{}:\n", smart_label(key)));
                for item in items {
                    match item {
                        Value::Object(inner) => dump(w, level + 1, inner, &here),
                        other => w.w(level + 1, &format!("{}\n", scalar(other))),
                    }
                }
            }
            other => w.w(
                level,
                &format!("{}:\t{}\n", smart_label(key), scalar(other)),
            ),
        }
    }
}

/// Splits camelCase into words (`apiVersion` → `api`, `Version`; `HTTPServer` → `HTTP`,
/// `Server`), grouping runs of lower case, upper case, digits and other characters.
fn camel_split(field: &str) -> Vec<String> {
    fn class(c: char) -> u8 {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_ascii_digit() {
            3
        } else {
            4
        }
    }
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0u8;
    for c in field.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if k == last => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    // An upper-case run followed by lower case gives its last letter to the next word.
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower = runs[i].iter().all(|c| c.is_uppercase())
            && runs[i + 1].iter().all(|c| c.is_lowercase());
        if upper_then_lower && let Some(c) = runs[i].pop() {
            runs[i + 1].insert(0, c);
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

/// kubectl's readable field label; fields with characters other than letters and `-`
/// are shown as they are.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let acronyms = ["API", "URL", "UID", "OSB", "GUID"];
    camel_split(field)
        .into_iter()
        .filter(|p| p != "_")
        .map(|p| {
            let upper = p.to_uppercase();
            if acronyms.contains(&upper.as_str()) {
                upper
            } else {
                let mut cs = p.chars();
                match cs.next() {
                    Some(f) => f.to_uppercase().chain(cs).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::{base64_len, decode_base64, smart_label};

    #[test]
    fn labels() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("holderIdentity"), "Holder Identity");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(
            smart_label("leaseDurationSeconds"),
            "Lease Duration Seconds"
        );
        assert_eq!(smart_label("HTTPServer"), "HTTP Server");
        assert_eq!(smart_label("ipv4"), "ipv4");
        assert_eq!(smart_label("kind"), "Kind");
    }

    #[test]
    fn base64() {
        assert_eq!(base64_len("cGFzc3dvcmQ="), 8);
        assert_eq!(base64_len("YWJj"), 3);
        assert_eq!(decode_base64("cGFzc3dvcmQ=").as_deref(), Some("password"));
    }
}
