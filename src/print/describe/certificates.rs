//! `kubectl describe csr`: who asked, for which signer and how long, the approval state,
//! and the subject and alternative names read from the request itself.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::events_block;
use super::json::{at, s};
use super::related::Related;
use super::time::rfc1123;
use super::writer::Out;
use crate::api::csr;
use crate::print::columns::{csr_condition, csr_requested_duration, format_labels};

/// Subject attributes kubectl lists, by OID, in its order.
const SUBJECT_LISTS: &[(&str, &str)] = &[
    ("Organization", "2.5.4.10"),
    ("Organizational Unit", "2.5.4.11"),
    ("Country", "2.5.4.6"),
    ("Locality", "2.5.4.7"),
    ("Province", "2.5.4.8"),
    ("StreetAddress", "2.5.4.9"),
    ("PostalCode", "2.5.4.17"),
];

pub fn render(obj: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(obj, &["metadata", "name"])));
    let map = |k: &str| {
        at(obj, &["metadata", k])
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty())
    };
    w.w(0, &format!("Labels:\t{}\n", format_labels(map("labels"))));
    w.w(
        0,
        &format!("Annotations:\t{}\n", format_labels(map("annotations"))),
    );
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123(obj, &["metadata", "creationTimestamp"])
        ),
    );
    w.w(
        0,
        &format!("Requesting User:\t{}\n", s(obj, &["spec", "username"])),
    );
    let signer = s(obj, &["spec", "signerName"]);
    if !signer.is_empty() {
        w.w(0, &format!("Signer:\t{signer}\n"));
    }
    if at(obj, &["spec", "expirationSeconds"]).is_some_and(Value::is_i64) {
        w.w(
            0,
            &format!("Requested Duration:\t{}\n", csr_requested_duration(obj)),
        );
    }
    w.w(0, &format!("Status:\t{}\n", csr_condition(obj)));
    let parsed = csr::request_bytes(obj).and_then(|b| csr::parse(&b).ok());
    if let Some(req) = parsed {
        subject(&mut w, &req);
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

fn subject(w: &mut Out, req: &csr::ParsedRequest) {
    // Go keeps the last common name and serial number of a subject.
    let last = |oid: &str| req.values(oid).last().unwrap_or("").to_string();
    w.w(0, "Subject:\n");
    w.w(
        0,
        &format!("\tCommon Name:\t{}\n", last(csr::OID_COMMON_NAME)),
    );
    w.w(0, &format!("\tSerial Number:\t{}\n", last("2.5.4.5")));
    for (title, oid) in SUBJECT_LISTS {
        let values: Vec<String> = req.values(oid).map(str::to_string).collect();
        list(w, title, &values);
    }
    let ips: Vec<String> = req.ip_addresses.iter().map(ToString::to_string).collect();
    if req.dns_names.len() + req.emails.len() + ips.len() + req.uris.len() > 0 {
        w.w(0, "Subject Alternative Names:\n");
        list(w, "DNS Names", &req.dns_names);
        list(w, "Email Addresses", &req.emails);
        list(w, "URIs", &req.uris);
        list(w, "IP Addresses", &ips);
    }
}

/// kubectl's printListHelper: the first value on the title's line, the rest under it.
fn list(w: &mut Out, title: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    w.w(0, &format!("\t{title}:\t{}\n", values.join("\n\t\t")));
}
