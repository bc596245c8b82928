//! Configuration objects: ConfigMaps, Secrets, ServiceAccounts.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

fn entries(obj: &Value, key: &str) -> usize {
    map_at(obj, &[key]).map_or(0, |m| m.len())
}

pub fn configmap_columns() -> Vec<Value> {
    vec![
        name_col(),
        integer_col(
            "Data",
            "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
        ),
        age_col(),
    ]
}

pub fn configmap_cells(cm: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(cm)),
        json!(entries(cm, "data") + entries(cm, "binaryData")),
        json!(creation_age(cm, now)),
    ]
}

pub fn secret_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Type",
            "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
        ),
        integer_col(
            "Data",
            "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
        ),
        age_col(),
    ]
}

pub fn secret_cells(secret: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(secret)),
        json!(str_at(secret, &["type"])),
        json!(entries(secret, "data")),
        json!(creation_age(secret, now)),
    ]
}

pub fn serviceaccount_columns() -> Vec<Value> {
    vec![
        name_col(),
        integer_col(
            "Secrets",
            "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret",
        ),
        age_col(),
    ]
}

pub fn serviceaccount_cells(sa: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(sa)),
        json!(array_at(sa, &["secrets"]).len()),
        json!(creation_age(sa, now)),
    ]
}
