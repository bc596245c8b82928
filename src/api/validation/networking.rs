//! networking.k8s.io/v1: Ingress, IngressClass and NetworkPolicy, with kube-apiserver 1.32's
//! field paths and messages for the rules people get wrong most (backends, paths, ports,
//! selectors, policy types).

use super::field_error::{FieldError, child, index};
use super::label_selector::validate_label_selector;
use super::{meta, names};
use serde_json::{Value, json};

const PATH_TYPES: [&str; 3] = ["Exact", "ImplementationSpecific", "Prefix"];

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn arr<'a>(v: Option<&'a Value>, k: &str) -> &'a [Value] {
    v.and_then(|v| v.get(k))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub fn validate_ingress(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("Ingress", obj, old);
    let spec = obj.get("spec");
    let default_backend = spec
        .and_then(|s| s.get("defaultBackend"))
        .filter(|b| !b.is_null());
    let rules = arr(spec, "rules");
    if default_backend.is_none() && rules.is_empty() {
        // Go prints the (empty) rules: nil when absent, an empty slice when given as [].
        let given = spec
            .and_then(|s| s.get("rules"))
            .is_some_and(Value::is_array);
        let repr = if given {
            "[]networking.IngressRule{}"
        } else {
            "[]networking.IngressRule(nil)"
        };
        errs.push(FieldError::invalid_repr(
            "spec",
            repr.to_string(),
            "either `defaultBackend` or `rules` must be specified",
        ));
    }
    if let Some(b) = default_backend {
        backend(b, "spec.defaultBackend", &mut errs);
    }
    for (i, rule) in rules.iter().enumerate() {
        let p = index("spec.rules", i);
        if let Some(host) = s(rule, "host").filter(|h| !h.is_empty()) {
            let checked = host.strip_prefix("*.").unwrap_or(host);
            for m in names::is_dns1123_subdomain(checked) {
                errs.push(FieldError::invalid(&child(&p, "host"), json!(host), &m));
            }
        }
        let Some(http) = rule.get("http").filter(|h| !h.is_null()) else {
            continue;
        };
        let paths = arr(Some(http), "paths");
        let pp = child(&p, "http.paths");
        if paths.is_empty() {
            errs.push(FieldError::required(&pp, ""));
        }
        for (j, path) in paths.iter().enumerate() {
            let jp = index(&pp, j);
            http_path(path, &jp, &mut errs);
        }
    }
    for (i, tls) in arr(spec, "tls").iter().enumerate() {
        for (j, host) in arr(Some(tls), "hosts").iter().enumerate() {
            let h = host.as_str().unwrap_or("");
            let checked = h.strip_prefix("*.").unwrap_or(h);
            for m in names::is_dns1123_subdomain(checked) {
                errs.push(FieldError::invalid(
                    &index(&child(&index("spec.tls", i), "hosts"), j),
                    json!(h),
                    &m,
                ));
            }
        }
    }
    if let Some(class) = spec
        .and_then(|s| s.get("ingressClassName"))
        .and_then(Value::as_str)
    {
        for m in names::is_dns1123_subdomain(class) {
            errs.push(FieldError::invalid(
                "spec.ingressClassName",
                json!(class),
                &m,
            ));
        }
    }
    errs
}

fn http_path(path: &Value, p: &str, errs: &mut Vec<FieldError>) {
    let text = s(path, "path").unwrap_or("");
    match s(path, "pathType") {
        None => errs.push(FieldError::required(
            &child(p, "pathType"),
            "pathType must be specified",
        )),
        Some(t) if !PATH_TYPES.contains(&t) => errs.push(FieldError::not_supported(
            &child(p, "pathType"),
            json!(t),
            &PATH_TYPES,
        )),
        Some("Exact" | "Prefix") => {
            if !text.starts_with('/') {
                errs.push(FieldError::invalid(
                    &child(p, "path"),
                    json!(text),
                    "must be an absolute path",
                ));
            } else {
                for bad in ["//", "/./", "/../", "%2f", "%2F"] {
                    if text.contains(bad) {
                        errs.push(FieldError::invalid(
                            &child(p, "path"),
                            json!(text),
                            &format!("must not contain '{bad}'"),
                        ));
                    }
                }
            }
        }
        Some(_) => {
            if !text.is_empty() && !text.starts_with('/') {
                errs.push(FieldError::invalid(
                    &child(p, "path"),
                    json!(text),
                    "must be an absolute path",
                ));
            }
        }
    }
    match path.get("backend").filter(|b| !b.is_null()) {
        Some(b) => backend(b, &child(p, "backend"), errs),
        None => errs.push(FieldError::required(&child(p, "backend"), "")),
    }
}

fn backend(b: &Value, p: &str, errs: &mut Vec<FieldError>) {
    let service = b.get("service").filter(|v| !v.is_null());
    let resource = b.get("resource").filter(|v| !v.is_null());
    match (service, resource) {
        (Some(_), Some(_)) => errs.push(FieldError::invalid(
            p,
            json!(""),
            "cannot set both resource and service backends",
        )),
        (None, None) => errs.push(FieldError::invalid(
            p,
            json!(""),
            "resource or service backend is required",
        )),
        (Some(svc), None) => {
            let sp = child(p, "service");
            let name = s(svc, "name").unwrap_or("");
            if name.is_empty() {
                errs.push(FieldError::required(&child(&sp, "name"), ""));
            } else {
                for m in names::is_dns1035_label(name) {
                    errs.push(FieldError::invalid(&child(&sp, "name"), json!(name), &m));
                }
            }
            let port = svc.get("port");
            let pname = port.and_then(|p| s(p, "name")).unwrap_or("");
            let pnum = port
                .and_then(|p| p.get("number"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let ppath = child(&sp, "port");
            if !pname.is_empty() && pnum != 0 {
                errs.push(FieldError::invalid(
                    p,
                    json!(""),
                    "cannot set both port name & port number",
                ));
            } else if !pname.is_empty() {
                for m in names::is_valid_port_name(pname) {
                    errs.push(FieldError::invalid(
                        &child(&ppath, "name"),
                        json!(pname),
                        &m,
                    ));
                }
            } else if pnum != 0 {
                for m in names::is_valid_port_num(pnum) {
                    errs.push(FieldError::invalid(
                        &child(&ppath, "number"),
                        json!(pnum),
                        &m,
                    ));
                }
            } else {
                errs.push(FieldError::required(p, "port name or number is required"));
            }
        }
        (None, Some(r)) => {
            let rp = child(p, "resource");
            for k in ["kind", "name"] {
                if s(r, k).unwrap_or("").is_empty() {
                    errs.push(FieldError::required(
                        &child(&rp, k),
                        &format!("{k} is required"),
                    ));
                }
            }
        }
    }
}

pub fn validate_ingress_class(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("IngressClass", obj, old);
    let controller = obj
        .pointer("/spec/controller")
        .and_then(Value::as_str)
        .unwrap_or("");
    if controller.is_empty() {
        errs.push(FieldError::required("spec.controller", ""));
    } else if controller.len() > 250 {
        errs.push(FieldError::too_long("spec.controller", 250));
    }
    if let Some(old) = old
        && old.pointer("/spec/controller") != obj.pointer("/spec/controller")
    {
        errs.push(FieldError::invalid(
            "spec.controller",
            json!(controller),
            "field is immutable",
        ));
    }
    if let Some(p) = obj.pointer("/spec/parameters").filter(|p| !p.is_null()) {
        for k in ["kind", "name"] {
            if s(p, k).unwrap_or("").is_empty() {
                errs.push(FieldError::required(&format!("spec.parameters.{k}"), ""));
            }
        }
        match s(p, "scope") {
            None | Some("Cluster") => {
                if p.get("namespace").is_some_and(|n| !n.is_null()) {
                    errs.push(FieldError::forbidden(
                        "spec.parameters.namespace",
                        "`parameters.scope` is set to 'Cluster'",
                    ));
                }
            }
            Some("Namespace") => {
                if s(p, "namespace").unwrap_or("").is_empty() {
                    errs.push(FieldError::required(
                        "spec.parameters.namespace",
                        "`parameters.scope` is set to 'Namespace'",
                    ));
                }
            }
            Some(other) => errs.push(FieldError::not_supported(
                "spec.parameters.scope",
                json!(other),
                &["Cluster", "Namespace"],
            )),
        }
    }
    errs
}

pub fn validate_network_policy(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("NetworkPolicy", obj, old);
    let spec = obj.get("spec");
    if let Some(sel) = spec
        .and_then(|s| s.get("podSelector"))
        .filter(|s| !s.is_null())
    {
        errs.extend(validate_label_selector(sel, "spec.podSelector"));
    }
    for (dir, peers) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in arr(spec, dir).iter().enumerate() {
            let rp = index(&format!("spec.{dir}"), i);
            for (j, port) in arr(Some(rule), "ports").iter().enumerate() {
                policy_port(port, &index(&child(&rp, "ports"), j), &mut errs);
            }
            for (j, peer) in arr(Some(rule), peers).iter().enumerate() {
                policy_peer(peer, &index(&child(&rp, peers), j), &mut errs);
            }
        }
    }
    let types = arr(spec, "policyTypes");
    if types.len() > 2 {
        let quoted: Vec<String> = types
            .iter()
            .map(|t| super::go_quote(t.as_str().unwrap_or("")))
            .collect();
        errs.push(FieldError::invalid_repr(
            "spec.policyTypes",
            format!("&[]networking.PolicyType{{{}}}", quoted.join(", ")),
            "may not specify more than two policyTypes",
        ));
        return errs;
    }
    for (i, t) in types.iter().enumerate() {
        let t = t.as_str().unwrap_or("");
        if !matches!(t, "Ingress" | "Egress") {
            errs.push(FieldError::not_supported(
                &index("spec.policyTypes", i),
                json!(t),
                &["Ingress", "Egress"],
            ));
        }
    }
    errs
}

fn policy_port(port: &Value, p: &str, errs: &mut Vec<FieldError>) {
    if let Some(proto) = s(port, "protocol")
        && !matches!(proto, "TCP" | "UDP" | "SCTP")
    {
        // Listed in kube's order here, not sorted.
        errs.push(FieldError::not_supported(
            &child(p, "protocol"),
            json!(proto),
            &["TCP", "UDP", "SCTP"],
        ));
    }
    match port.get("port") {
        Some(Value::Number(n)) => {
            let n = n.as_i64().unwrap_or(0);
            for m in names::is_valid_port_num(n) {
                errs.push(FieldError::invalid(&child(p, "port"), json!(n), &m));
            }
            if let Some(end) = port.get("endPort").and_then(Value::as_i64) {
                if end < n {
                    // kube shows the port, not the end port, as the bad value.
                    errs.push(FieldError::invalid(
                        &child(p, "endPort"),
                        json!(n),
                        "must be greater than or equal to `port`",
                    ));
                }
                for m in names::is_valid_port_num(end) {
                    errs.push(FieldError::invalid(&child(p, "endPort"), json!(end), &m));
                }
            }
        }
        Some(Value::String(name)) => {
            if port.get("endPort").is_some_and(|e| !e.is_null()) {
                errs.push(FieldError::invalid(
                    &child(p, "endPort"),
                    port["endPort"].clone(),
                    "may not be specified when `port` is non-numeric",
                ));
            }
            for m in names::is_valid_port_name(name) {
                errs.push(FieldError::invalid(&child(p, "port"), json!(name), &m));
            }
        }
        _ => {
            if port.get("endPort").is_some_and(|e| !e.is_null()) {
                errs.push(FieldError::invalid(
                    &child(p, "endPort"),
                    port["endPort"].clone(),
                    "may not be specified when `port` is not specified",
                ));
            }
        }
    }
}

fn policy_peer(peer: &Value, p: &str, errs: &mut Vec<FieldError>) {
    let mut set = 0;
    for k in ["podSelector", "namespaceSelector"] {
        if let Some(sel) = peer.get(k).filter(|s| !s.is_null()) {
            set += 1;
            errs.extend(validate_label_selector(sel, &child(p, k)));
        }
    }
    if let Some(block) = peer.get("ipBlock").filter(|b| !b.is_null()) {
        set += 1;
        let cidr = s(block, "cidr").unwrap_or("");
        if cidr.is_empty() {
            errs.push(FieldError::required(&child(p, "ipBlock.cidr"), ""));
        }
    }
    if set == 0 {
        errs.push(FieldError::required(p, "must specify a peer"));
    } else if set > 1 && peer.get("ipBlock").is_some_and(|b| !b.is_null()) {
        errs.push(FieldError::forbidden(
            p,
            "may not specify both ipBlock and another peer",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(obj: Value) -> Vec<String> {
        validate_ingress(&obj, None)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn an_ingress_needs_rules_or_a_default_backend() {
        let m = messages(json!({"metadata": {"name": "i", "namespace": "d"}, "spec": {}}));
        assert_eq!(
            m,
            [
                "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"
            ]
        );
    }

    #[test]
    fn paths_need_a_type_an_absolute_path_and_a_port() {
        let m = messages(
            json!({"metadata": {"name": "i", "namespace": "d"}, "spec": {"rules": [
            {"host": "a.com", "http": {"paths": [
                {"path": "x", "pathType": "Prefix", "backend": {"service": {"name": "s", "port": {}}}},
                {"path": "/", "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}}),
        );
        assert_eq!(
            m,
            [
                "spec.rules[0].http.paths[0].path: Invalid value: \"x\": must be an absolute path",
                "spec.rules[0].http.paths[0].backend: Required value: port name or number is required",
                "spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified",
            ]
        );
    }
}
