//! Defaults of the small core kinds: Namespace, Node, Endpoints, ConfigMap, Secret,
//! ServiceAccount, Event, and coordination Lease.

use super::order::{TOP_LEVEL, insert_ordered, normalize_meta, object_at, reorder, sort_map_at};
use serde_json::{Map, Value, json};

const NAME_LABEL: &str = "kubernetes.io/metadata.name";

fn top(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let o = obj.as_object_mut()?;
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    Some(o)
}

/// Every Namespace carries its own name as a label (also re-applied on update).
pub fn default_namespace(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    let name = o
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(meta) = object_at(o, TOP_LEVEL, "metadata")
        && !name.is_empty()
        && let Some(labels) = object_at(meta, super::order::OBJECT_META, "labels")
    {
        labels.insert(NAME_LABEL.into(), json!(name));
        labels.sort_keys();
    }
    object_at(o, TOP_LEVEL, "spec");
    if let Some(status) = object_at(o, TOP_LEVEL, "status") {
        insert_ordered(status, &["phase", "conditions"], "phase", json!("Active"));
    }
}

/// On create the `kubernetes` finalizer is required and the phase is Active.
pub fn prepare_namespace_for_create(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(spec) = object_at(o, TOP_LEVEL, "spec") {
        if !spec.get("finalizers").is_some_and(Value::is_array) {
            spec.insert("finalizers".into(), json!([]));
        }
        if let Some(Value::Array(f)) = spec.get_mut("finalizers")
            && !f.iter().any(|x| x.as_str() == Some("kubernetes"))
        {
            f.push(json!("kubernetes"));
        }
    }
    o.insert("status".into(), json!({"phase": "Active"}));
}

const NODE_STATUS: &[&str] = &[
    "capacity",
    "allocatable",
    "phase",
    "conditions",
    "addresses",
    "daemonEndpoints",
    "nodeInfo",
    "images",
    "volumesInUse",
    "volumesAttached",
    "config",
    "runtimeHandlers",
    "features",
];
const NODE_INFO: &[&str] = &[
    "machineID",
    "systemUUID",
    "bootID",
    "kernelVersion",
    "osImage",
    "containerRuntimeVersion",
    "kubeletVersion",
    "kubeProxyVersion",
    "operatingSystem",
    "architecture",
];

/// Allocatable defaults to capacity; the always-serialized status structs are filled.
pub fn default_node(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    object_at(o, TOP_LEVEL, "spec");
    let Some(status) = object_at(o, TOP_LEVEL, "status") else {
        return;
    };
    if !status.contains_key("allocatable")
        && let Some(cap) = status.get("capacity").cloned()
    {
        insert_ordered(status, NODE_STATUS, "allocatable", cap);
    }
    sort_map_at(status, "capacity");
    sort_map_at(status, "allocatable");
    if let Some(de) = object_at(status, NODE_STATUS, "daemonEndpoints")
        && let Some(ke) = object_at(de, &["kubeletEndpoint"], "kubeletEndpoint")
    {
        insert_ordered(ke, &["Port"], "Port", json!(0));
    }
    if let Some(info) = object_at(status, NODE_STATUS, "nodeInfo") {
        for k in NODE_INFO {
            insert_ordered(info, NODE_INFO, k, json!(""));
        }
    }
}

const ENDPOINT_PORT: &[&str] = &["name", "port", "protocol", "appProtocol"];

pub fn default_endpoints(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    if let Some(Value::Array(subsets)) = o.get_mut("subsets") {
        for s in subsets.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(Value::Array(ports)) = s.get_mut("ports") {
                for p in ports.iter_mut().filter_map(Value::as_object_mut) {
                    insert_ordered(p, ENDPOINT_PORT, "protocol", json!("TCP"));
                }
            }
            reorder(s, &["addresses", "notReadyAddresses", "ports"]);
        }
    }
}

const CONFIG_MAP: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "immutable",
    "data",
    "binaryData",
];
const SECRET: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "immutable",
    "data",
    "type",
];

pub fn default_config_map(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    sort_map_at(o, "data");
    sort_map_at(o, "binaryData");
    reorder(o, CONFIG_MAP);
}

/// type Opaque; `stringData` is folded into `data` (base64), overriding same-named keys.
pub fn default_secret(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    if let Some(Value::Object(sd)) = o.remove("stringData") {
        let Some(data) = object_at(o, SECRET, "data") else {
            return;
        };
        for (k, v) in sd {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            data.insert(k, json!(base64(text.as_bytes())));
        }
    }
    sort_map_at(o, "data");
    insert_ordered(o, SECRET, "type", json!("Opaque"));
    reorder(o, SECRET);
}

/// Standard base64 with padding, as Go encodes `[]byte` in JSON.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    crate::go::base64::STD.encode(bytes)
}

const EVENT: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "involvedObject",
    "reason",
    "message",
    "source",
    "firstTimestamp",
    "lastTimestamp",
    "count",
    "type",
    "eventTime",
    "series",
    "action",
    "related",
    "reportingComponent",
    "reportingInstance",
];

/// core/v1 Events serialize their zero-valued structs and times (`source: {}`, `null` times,
/// empty reporting fields).
pub fn default_event(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    insert_ordered(o, EVENT, "involvedObject", json!({}));
    insert_ordered(o, EVENT, "source", json!({}));
    insert_ordered(o, EVENT, "firstTimestamp", Value::Null);
    insert_ordered(o, EVENT, "lastTimestamp", Value::Null);
    insert_ordered(o, EVENT, "eventTime", Value::Null);
    insert_ordered(o, EVENT, "reportingComponent", json!(""));
    insert_ordered(o, EVENT, "reportingInstance", json!(""));
    reorder(o, EVENT);
}

pub fn default_lease(obj: &mut Value) {
    if let Some(o) = top(obj) {
        object_at(o, TOP_LEVEL, "spec");
    }
}

pub fn default_plain(obj: &mut Value) {
    top(obj);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"hunter2"), "aHVudGVyMg==");
    }
}
