//! Service: ports, protocol, type, session affinity, and clusterIPs that may not change.

use super::field_error::{FieldError, child, go_quote, index};
use super::{meta, names, pod};
use serde_json::{Value, json};

pub fn validate_service(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("Service", obj, old);
    if let Some(old) = old {
        errs.extend(cluster_ips_unchanged(obj, old));
    }
    let spec = obj.get("spec");
    let st = |k: &str| {
        spec.and_then(|s| s.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    let ports: &[Value] = spec
        .and_then(|s| s.get("ports"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let svc_type = st("type");
    let headless = st("clusterIP") == "None";
    if ports.is_empty() && !headless && svc_type != "ExternalName" {
        errs.push(FieldError::required("spec.ports", ""));
    }
    if svc_type == "ExternalName" {
        let cname = st("externalName").trim_end_matches('.');
        if cname.is_empty() {
            errs.push(FieldError::required("spec.externalName", ""));
        } else {
            for m in names::is_dns1123_subdomain(cname) {
                errs.push(FieldError::invalid("spec.externalName", json!(cname), &m));
            }
        }
    }
    let mut port_names: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        validate_port(
            p,
            ports.len() > 1,
            &mut port_names,
            &index("spec.ports", i),
            &mut errs,
        );
    }
    errs.extend(meta::validate_labels(
        spec.and_then(|s| s.get("selector"))
            .and_then(Value::as_object),
        "spec.selector",
    ));
    match st("sessionAffinity") {
        "ClientIP" | "None" => {}
        "" => errs.push(FieldError::required("spec.sessionAffinity", "")),
        other => errs.push(FieldError::not_supported(
            "spec.sessionAffinity",
            json!(other),
            &["ClientIP", "None"],
        )),
    }
    match svc_type {
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort" => {}
        "" => errs.push(FieldError::required("spec.type", "")),
        other => errs.push(FieldError::not_supported(
            "spec.type",
            json!(other),
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        )),
    }
    if svc_type == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) != 0 {
                errs.push(FieldError::forbidden(
                    &child(&index("spec.ports", i), "nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    // The same (protocol, port) twice.
    let mut seen: Vec<(&str, i64)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("");
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        if seen.contains(&(proto, port)) {
            let mut e = FieldError::duplicate(&index("spec.ports", i), Value::Null);
            e.value_repr = Some(format!(
                "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                go_quote(proto)
            ));
            errs.push(e);
        } else {
            seen.push((proto, port));
        }
    }
    errs
}

fn validate_port<'a>(
    p: &'a Value,
    require_name: bool,
    names_seen: &mut Vec<&'a str>,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    let name = p.get("name").and_then(Value::as_str).unwrap_or("");
    if require_name && name.is_empty() {
        errs.push(FieldError::required(&child(path, "name"), ""));
    } else if !name.is_empty() {
        for m in names::is_dns1123_label(name) {
            errs.push(FieldError::invalid(&child(path, "name"), json!(name), &m));
        }
        if names_seen.contains(&name) {
            errs.push(FieldError::duplicate(&child(path, "name"), json!(name)));
        } else {
            names_seen.push(name);
        }
    }
    let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
    for m in names::is_valid_port_num(port) {
        errs.push(FieldError::invalid(&child(path, "port"), json!(port), &m));
    }
    pod::validate_protocol(
        p.get("protocol").and_then(Value::as_str).unwrap_or(""),
        &child(path, "protocol"),
        errs,
    );
    let tp_path = child(path, "targetPort");
    match p.get("targetPort") {
        Some(Value::Number(n)) => {
            let n = n.as_i64().unwrap_or(0);
            for m in names::is_valid_port_num(n) {
                errs.push(FieldError::invalid(&tp_path, json!(n), &m));
            }
        }
        Some(Value::String(s)) => {
            for m in names::is_valid_port_name(s) {
                errs.push(FieldError::invalid(&tp_path, json!(s), &m));
            }
        }
        _ => {}
    }
    if let Some(np) = p.get("nodePort").and_then(Value::as_i64)
        && np != 0
    {
        for m in names::is_valid_port_num(np) {
            errs.push(FieldError::invalid(&child(path, "nodePort"), json!(np), &m));
        }
    }
}

fn cluster_ips(obj: &Value) -> Vec<String> {
    obj.get("spec")
        .and_then(|s| s.get("clusterIPs"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn spec_str<'a>(obj: &'a Value, k: &str) -> &'a str {
    obj.get("spec")
        .and_then(|s| s.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Once allocated, the primary clusterIP stays (unless the Service is or was ExternalName).
fn cluster_ips_unchanged(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec_str(new, "type") == "ExternalName" || spec_str(old, "type") == "ExternalName" {
        return errs;
    }
    if spec_str(new, "clusterIP") == "None" && spec_str(old, "clusterIP") == "None" {
        return errs;
    }
    let (n, o) = (cluster_ips(new), cluster_ips(old));
    let shown = json!(n);
    let changed = |i: usize| {
        FieldError::invalid(
            &index("spec.clusterIPs", i),
            shown.clone(),
            "may not change once set",
        )
    };
    if n.len() == o.len() {
        for (i, ip) in o.iter().enumerate() {
            if *ip != n[i] {
                errs.push(changed(i));
            }
        }
    } else if o.len() > n.len() {
        if n.is_empty() {
            errs.push(FieldError::invalid_repr(
                "spec.clusterIPs[0]",
                "[]string(nil)".to_string(),
                "primary clusterIP can not be unset",
            ));
        } else if n[0] != o[0] {
            errs.push(changed(0));
        }
    } else if !o.is_empty() && n[0] != o[0] {
        errs.push(changed(0));
    }
    errs
}
