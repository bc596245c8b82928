//! certificates.k8s.io/v1 CertificateSigningRequests: NAME AGE SIGNERNAME REQUESTOR
//! REQUESTEDDURATION CONDITION, as kube-apiserver prints them.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn csr_columns() -> Vec<Value> {
    vec![
        name_col(),
        age_col(),
        string_col("SignerName", "The signer the request is for."),
        string_col("Requestor", "The user who sent the request."),
        string_col(
            "RequestedDuration",
            "The validity the request asks for (spec.expirationSeconds).",
        ),
        string_col(
            "Condition",
            "Approval, failure and issuance of the request.",
        ),
    ]
}

pub fn csr_cells(csr: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let signer = match str_at(csr, &["spec", "signerName"]) {
        "" => "<none>",
        s => s,
    };
    vec![
        json!(name_of(csr)),
        json!(creation_age(csr, now)),
        json!(signer),
        json!(str_at(csr, &["spec", "username"])),
        json!(requested_duration(csr)),
        json!(condition(csr)),
    ]
}

/// `spec.expirationSeconds` as a human duration (`24h`), `<none>` when unset.
pub fn requested_duration(csr: &Value) -> String {
    field(csr, &["spec", "expirationSeconds"])
        .and_then(Value::as_i64)
        .map_or_else(
            || "<none>".to_string(),
            |s| crate::print::age::human_duration(Duration::seconds(s)),
        )
}

/// `Pending`, `Approved` or `Denied` (Denied first), then `,Failed` and `,Issued`.
pub fn condition(csr: &Value) -> String {
    let has = |t: &str| {
        array_at(csr, &["status", "conditions"])
            .iter()
            .any(|c| c.get("type").and_then(Value::as_str) == Some(t))
    };
    let mut out = if has("Denied") {
        "Denied"
    } else if has("Approved") {
        "Approved"
    } else {
        "Pending"
    }
    .to_string();
    if has("Failed") {
        out.push_str(",Failed");
    }
    if !str_at(csr, &["status", "certificate"]).is_empty() {
        out.push_str(",Issued");
    }
    out
}
