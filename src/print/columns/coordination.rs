//! coordination.k8s.io/v1 Leases.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Holder",
            "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.",
        ),
        age_col(),
    ]
}

pub fn cells(lease: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(lease)),
        json!(str_at(lease, &["spec", "holderIdentity"])),
        json!(creation_age(lease, now)),
    ]
}
