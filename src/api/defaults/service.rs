//! Service defaults, plus hooks for the values the caller allocates (cluster IP, node ports).

use super::order::{TOP_LEVEL, insert_ordered, normalize_meta, object_at, reorder, sort_map_at};
use serde_json::{Map, Value, json};

pub const SERVICE_SPEC: &[&str] = &[
    "ports",
    "selector",
    "clusterIP",
    "clusterIPs",
    "type",
    "externalIPs",
    "sessionAffinity",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "externalName",
    "externalTrafficPolicy",
    "healthCheckNodePort",
    "publishNotReadyAddresses",
    "sessionAffinityConfig",
    "ipFamilies",
    "ipFamilyPolicy",
    "allocateLoadBalancerNodePorts",
    "loadBalancerClass",
    "internalTrafficPolicy",
    "trafficDistribution",
];
const SERVICE_PORT: &[&str] = &[
    "name",
    "protocol",
    "appProtocol",
    "port",
    "targetPort",
    "nodePort",
];

fn spec_mut(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    obj.get_mut("spec").and_then(Value::as_object_mut)
}

fn svc_type(spec: &Map<String, Value>) -> &str {
    spec.get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
}

pub fn default_service(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    let Some(spec) = object_at(o, TOP_LEVEL, "spec") else {
        return;
    };
    insert_ordered(spec, SERVICE_SPEC, "sessionAffinity", json!("None"));
    match spec.get("sessionAffinity").and_then(Value::as_str) {
        Some("None") => {
            spec.remove("sessionAffinityConfig");
        }
        Some("ClientIP") => {
            let has_timeout = spec
                .get("sessionAffinityConfig")
                .and_then(|c| c.get("clientIP"))
                .and_then(|c| c.get("timeoutSeconds"))
                .is_some();
            if !has_timeout {
                spec.remove("sessionAffinityConfig");
                insert_ordered(
                    spec,
                    SERVICE_SPEC,
                    "sessionAffinityConfig",
                    json!({"clientIP": {"timeoutSeconds": 10800}}),
                );
            }
        }
        _ => {}
    }
    insert_ordered(spec, SERVICE_SPEC, "type", json!("ClusterIP"));
    if let Some(Value::Array(ports)) = spec.get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            insert_ordered(p, SERVICE_PORT, "protocol", json!("TCP"));
            let unset = match p.get("targetPort") {
                None | Some(Value::Null) => true,
                Some(Value::Number(n)) => n.as_i64() == Some(0),
                Some(Value::String(s)) => s.is_empty(),
                _ => false,
            };
            if unset && let Some(port) = p.get("port").cloned() {
                p.remove("targetPort");
                insert_ordered(p, SERVICE_PORT, "targetPort", port);
            }
            reorder(p, SERVICE_PORT);
        }
    }
    let t = svc_type(spec).to_string();
    if t == "NodePort" || t == "LoadBalancer" {
        insert_ordered(
            spec,
            SERVICE_SPEC,
            "externalTrafficPolicy",
            json!("Cluster"),
        );
    }
    if matches!(t.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP") {
        insert_ordered(
            spec,
            SERVICE_SPEC,
            "internalTrafficPolicy",
            json!("Cluster"),
        );
    }
    if t == "LoadBalancer" {
        insert_ordered(
            spec,
            SERVICE_SPEC,
            "allocateLoadBalancerNodePorts",
            json!(true),
        );
    }
    // A given clusterIP is also the primary of clusterIPs.
    if let Some(ip) = spec
        .get("clusterIP")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        && spec
            .get("clusterIPs")
            .is_none_or(|v| v.as_array().is_none_or(|a| a.is_empty()))
    {
        let ips = json!([ip]);
        spec.remove("clusterIPs");
        insert_ordered(spec, SERVICE_SPEC, "clusterIPs", ips);
    }
    sort_map_at(spec, "selector");
    reorder(spec, SERVICE_SPEC);
}

/// The IP family fields the apiserver's allocator fills on create (a single-stack IPv4
/// cluster), and the empty load-balancer status.
pub fn prepare_service_for_create(obj: &mut Value) {
    if let Some(spec) = spec_mut(obj) {
        if svc_type(spec) != "ExternalName" {
            let headless = spec.get("clusterIP").and_then(Value::as_str) == Some("None");
            let no_selector = spec
                .get("selector")
                .and_then(Value::as_object)
                .is_none_or(|m| m.is_empty());
            let policy = if headless && no_selector {
                "RequireDualStack"
            } else {
                "SingleStack"
            };
            insert_ordered(spec, SERVICE_SPEC, "ipFamilies", json!(["IPv4"]));
            insert_ordered(spec, SERVICE_SPEC, "ipFamilyPolicy", json!(policy));
            if headless {
                insert_ordered(spec, SERVICE_SPEC, "clusterIPs", json!(["None"]));
            }
        } else {
            for k in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
                spec.remove(k);
            }
        }
    }
    if let Some(o) = obj.as_object_mut() {
        o.insert("status".into(), json!({"loadBalancer": {}}));
    }
}

/// Whether the caller must allocate a cluster IP for this (defaulted) Service.
pub fn needs_cluster_ip(svc: &Value) -> bool {
    let Some(spec) = svc.get("spec").and_then(Value::as_object) else {
        return false;
    };
    svc_type(spec) != "ExternalName"
        && spec
            .get("clusterIP")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
}

/// Records an allocated cluster IP in `clusterIP` and `clusterIPs`.
pub fn set_cluster_ip(svc: &mut Value, ip: &str) {
    if let Some(spec) = spec_mut(svc) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
        insert_ordered(spec, SERVICE_SPEC, "clusterIP", json!(ip));
        insert_ordered(spec, SERVICE_SPEC, "clusterIPs", json!([ip]));
    }
}

/// Indexes of ports that still need a node port (NodePort, or LoadBalancer that allocates them).
pub fn ports_needing_node_port(svc: &Value) -> Vec<usize> {
    let Some(spec) = svc.get("spec").and_then(Value::as_object) else {
        return Vec::new();
    };
    let wants = match svc_type(spec) {
        "NodePort" => true,
        "LoadBalancer" => spec
            .get("allocateLoadBalancerNodePorts")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        _ => false,
    };
    if !wants {
        return Vec::new();
    }
    spec.get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, p)| p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) == 0)
        .map(|(i, _)| i)
        .collect()
}

pub fn set_node_port(svc: &mut Value, index: usize, port: i64) {
    if let Some(p) = spec_mut(svc)
        .and_then(|s| s.get_mut("ports"))
        .and_then(Value::as_array_mut)
        .and_then(|ports| ports.get_mut(index))
        .and_then(Value::as_object_mut)
    {
        p.remove("nodePort");
        insert_ordered(p, SERVICE_PORT, "nodePort", json!(port));
    }
}

/// On update, values the client left out but the server allocated are kept (clusterIP,
/// clusterIPs, ipFamilies, ipFamilyPolicy, node ports matched by port number and protocol).
pub fn patch_allocated_values(new: &mut Value, old: &Value) {
    let Some(old_spec) = old.get("spec").and_then(Value::as_object) else {
        return;
    };
    let Some(spec) = spec_mut(new) else {
        return;
    };
    if svc_type(spec) == "ExternalName" {
        return;
    }
    for k in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
        let missing = match spec.get(k) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            _ => false,
        };
        if missing && let Some(v) = old_spec.get(k) {
            spec.remove(k);
            insert_ordered(spec, SERVICE_SPEC, k, v.clone());
        }
    }
    let old_ports: Vec<Value> = old_spec
        .get("ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(Value::Array(ports)) = spec.get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            if p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) != 0 {
                continue;
            }
            let found = old_ports
                .iter()
                .find(|o| o.get("port") == p.get("port") && o.get("protocol") == p.get("protocol"));
            if let Some(np) = found.and_then(|o| o.get("nodePort")) {
                p.remove("nodePort");
                insert_ordered(p, SERVICE_PORT, "nodePort", np.clone());
            }
        }
    }
}
