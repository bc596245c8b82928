//! discovery.k8s.io/v1 EndpointSlices.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

const MAX_SHOWN: usize = 3;

pub fn columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "AddressType",
            "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.",
        ),
        string_col(
            "Ports",
            "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports.",
        ),
        string_col(
            "Endpoints",
            "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.",
        ),
        age_col(),
    ]
}

pub fn cells(slice: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(slice)),
        json!(str_at(slice, &["addressType"])),
        json!(ports(slice)),
        json!(endpoints(slice)),
        json!(creation_age(slice, now)),
    ]
}

/// Port numbers (a nil port shows its name, or `*` for all ports); `<unset>` when none.
fn ports(slice: &Value) -> String {
    let ports = array_at(slice, &["ports"]);
    if ports.is_empty() {
        return "<unset>".to_string();
    }
    let shown: Vec<String> = ports
        .iter()
        .take(MAX_SHOWN)
        .map(|p| {
            match (
                field(p, &["port"]).and_then(Value::as_i64),
                field(p, &["name"]).and_then(Value::as_str),
            ) {
                (Some(n), _) => n.to_string(),
                (None, Some(name)) => name.to_string(),
                (None, None) => "*".to_string(),
            }
        })
        .collect();
    list_with_more(&shown, ports.len(), MAX_SHOWN)
}

fn endpoints(slice: &Value) -> String {
    let endpoints = array_at(slice, &["endpoints"]);
    if endpoints.is_empty() {
        return "<unset>".to_string();
    }
    let addresses: Vec<&str> = endpoints
        .iter()
        .flat_map(|e| array_at(e, &["addresses"]).iter().filter_map(Value::as_str))
        .collect();
    let shown: Vec<String> = addresses
        .iter()
        .take(MAX_SHOWN)
        .map(|a| a.to_string())
        .collect();
    list_with_more(&shown, addresses.len(), MAX_SHOWN)
}
