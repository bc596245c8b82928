//! Pod and pod-template validation: containers, ports, volumes, resources, policies, and the
//! fields a pod update may change.

use super::field_error::{FieldError, child, index, key, nonnegative};
use super::meta;
use super::names;
use crate::api::quantity::Quantity;
use serde_json::{Value, json};

const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];

pub fn validate_pod(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("Pod", obj, old);
    errs.extend(validate_pod_spec(obj.get("spec"), "spec"));
    match old {
        Some(old) => errs.extend(validate_pod_spec_update(obj.get("spec"), old.get("spec"))),
        // Ephemeral containers come only through the `ephemeralcontainers` subresource.
        None if obj
            .pointer("/spec/ephemeralContainers")
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty()) =>
        {
            errs.push(FieldError::forbidden(
                "spec.ephemeralContainers",
                "cannot be set on create",
            ));
        }
        None => {}
    }
    errs
}

/// A pod template (`spec.template` of workloads): labels, annotations and the pod spec.
pub fn validate_pod_template(template: Option<&Value>, path: &str) -> Vec<FieldError> {
    let md = template.and_then(|t| t.get("metadata"));
    // The apiserver reports template labels under `<path>.labels` (no `metadata`).
    let mut errs = meta::validate_labels(
        md.and_then(|m| m.get("labels")).and_then(Value::as_object),
        &child(path, "labels"),
    );
    errs.extend(validate_pod_spec(
        template.and_then(|t| t.get("spec")),
        &child(path, "spec"),
    ));
    errs
}

fn s<'a>(v: Option<&'a Value>, k: &str) -> &'a str {
    v.and_then(|v| v.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn arr<'a>(v: Option<&'a Value>, k: &str) -> &'a [Value] {
    v.and_then(|v| v.get(k))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub fn validate_pod_spec(spec: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let volumes = validate_volumes(arr(spec, "volumes"), &child(path, "volumes"), &mut errs);
    let containers = arr(spec, "containers");
    let cpath = child(path, "containers");
    if containers.is_empty() {
        errs.push(FieldError::required(&cpath, ""));
    } else {
        let mut seen: Vec<&str> = Vec::new();
        for (i, c) in containers.iter().enumerate() {
            let p = index(&cpath, i);
            validate_container(c, &volumes, &p, &mut errs);
            let name = s(Some(c), "name");
            if seen.contains(&name) {
                errs.push(FieldError::duplicate(&child(&p, "name"), json!(name)));
            } else {
                seen.push(name);
            }
        }
    }
    let ipath = child(path, "initContainers");
    let regular: Vec<&str> = containers.iter().map(|c| s(Some(c), "name")).collect();
    let mut seen_init: Vec<&str> = Vec::new();
    for (i, c) in arr(spec, "initContainers").iter().enumerate() {
        let p = index(&ipath, i);
        validate_container(c, &volumes, &p, &mut errs);
        let name = s(Some(c), "name");
        if regular.contains(&name) || seen_init.contains(&name) {
            errs.push(FieldError::duplicate(&child(&p, "name"), json!(name)));
        } else {
            seen_init.push(name);
        }
    }
    match s(spec, "restartPolicy") {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(FieldError::required(&child(path, "restartPolicy"), "")),
        other => errs.push(FieldError::not_supported(
            &child(path, "restartPolicy"),
            json!(other),
            &["Always", "OnFailure", "Never"],
        )),
    }
    match s(spec, "dnsPolicy") {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.push(FieldError::required(&child(path, "dnsPolicy"), "")),
        other => errs.push(FieldError::not_supported(
            &child(path, "dnsPolicy"),
            json!(other),
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    errs.extend(meta::validate_labels(
        spec.and_then(|s| s.get("nodeSelector"))
            .and_then(Value::as_object),
        &child(path, "nodeSelector"),
    ));
    errs.extend(super::affinity::validate_affinity(
        spec.and_then(|s| s.get("affinity")),
        &child(path, "affinity"),
    ));
    errs.extend(super::affinity::validate_topology_spread(
        spec,
        &child(path, "topologySpreadConstraints"),
    ));
    for field in ["serviceAccountName", "nodeName"] {
        let v = s(spec, field);
        if !v.is_empty() {
            for msg in names::is_dns1123_subdomain(v) {
                errs.push(FieldError::invalid(&child(path, field), json!(v), &msg));
            }
        }
    }
    if let Some(ads) = spec
        .and_then(|s| s.get("activeDeadlineSeconds"))
        .and_then(Value::as_i64)
        && ads < 1
    {
        errs.push(FieldError::invalid(
            &child(path, "activeDeadlineSeconds"),
            json!(ads),
            "must be between 1 and 2147483647, inclusive",
        ));
    }
    nonnegative(spec, "terminationGracePeriodSeconds", path, &mut errs);
    validate_tolerations(
        arr(spec, "tolerations"),
        &child(path, "tolerations"),
        &mut errs,
    );
    errs
}

/// Returns the volume names (for mount checks) and records volume errors.
fn validate_volumes<'a>(vols: &'a [Value], path: &str, errs: &mut Vec<FieldError>) -> Vec<&'a str> {
    let mut names_seen: Vec<&str> = Vec::new();
    for (i, v) in vols.iter().enumerate() {
        let np = child(&index(path, i), "name");
        let name = s(Some(v), "name");
        if name.is_empty() {
            errs.push(FieldError::required(&np, ""));
        } else {
            for msg in names::is_dns1123_label(name) {
                errs.push(FieldError::invalid(&np, json!(name), &msg));
            }
        }
        if names_seen.contains(&name) {
            errs.push(FieldError::duplicate(&np, json!(name)));
        } else {
            names_seen.push(name);
        }
    }
    names_seen
}

fn validate_container(c: &Value, volumes: &[&str], path: &str, errs: &mut Vec<FieldError>) {
    let c = Some(c);
    let name = s(c, "name");
    let np = child(path, "name");
    if name.is_empty() {
        errs.push(FieldError::required(&np, ""));
    } else {
        for msg in names::is_dns1123_label(name) {
            errs.push(FieldError::invalid(&np, json!(name), &msg));
        }
    }
    if s(c, "image").is_empty() {
        errs.push(FieldError::required(&child(path, "image"), ""));
    }
    match s(c, "imagePullPolicy") {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.push(FieldError::required(&child(path, "imagePullPolicy"), "")),
        other => errs.push(FieldError::not_supported(
            &child(path, "imagePullPolicy"),
            json!(other),
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    validate_ports(arr(c, "ports"), &child(path, "ports"), errs);
    for (i, e) in arr(c, "env").iter().enumerate() {
        if s(Some(e), "name").is_empty() {
            errs.push(FieldError::required(
                &child(&index(&child(path, "env"), i), "name"),
                "",
            ));
        }
    }
    let mpath = child(path, "volumeMounts");
    for (i, m) in arr(c, "volumeMounts").iter().enumerate() {
        let p = index(&mpath, i);
        let mname = s(Some(m), "name");
        if mname.is_empty() {
            errs.push(FieldError::required(&child(&p, "name"), ""));
        } else if !volumes.contains(&mname) {
            errs.push(FieldError {
                field: child(&p, "name"),
                error_type: super::ErrorType::NotFound,
                bad_value: Some(json!(mname)),
                detail: String::new(),
                value_repr: None,
            });
        }
        if s(Some(m), "mountPath").is_empty() {
            errs.push(FieldError::required(&child(&p, "mountPath"), ""));
        }
    }
    validate_resources(
        c.and_then(|c| c.get("resources")),
        &child(path, "resources"),
        errs,
    );
    match s(c, "terminationMessagePolicy") {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(FieldError::required(
            &child(path, "terminationMessagePolicy"),
            "",
        )),
        other => errs.push(FieldError::not_supported(
            &child(path, "terminationMessagePolicy"),
            json!(other),
            &["File", "FallbackToLogsOnError"],
        )),
    }
}

fn validate_ports(ports: &[Value], path: &str, errs: &mut Vec<FieldError>) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let ip = index(path, i);
        let name = s(Some(p), "name");
        if !name.is_empty() {
            let msgs = names::is_valid_port_name(name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.push(FieldError::invalid(&child(&ip, "name"), json!(name), &m));
                }
            } else if seen.contains(&name) {
                errs.push(FieldError::duplicate(&child(&ip, "name"), json!(name)));
            } else {
                seen.push(name);
            }
        }
        let cp = p.get("containerPort").and_then(Value::as_i64).unwrap_or(0);
        if cp == 0 {
            errs.push(FieldError::required(&child(&ip, "containerPort"), ""));
        } else {
            for m in names::is_valid_port_num(cp) {
                errs.push(FieldError::invalid(
                    &child(&ip, "containerPort"),
                    json!(cp),
                    &m,
                ));
            }
        }
        let hp = p.get("hostPort").and_then(Value::as_i64).unwrap_or(0);
        if hp != 0 {
            for m in names::is_valid_port_num(hp) {
                errs.push(FieldError::invalid(&child(&ip, "hostPort"), json!(hp), &m));
            }
        }
        validate_protocol(s(Some(p), "protocol"), &child(&ip, "protocol"), errs);
    }
}

pub fn validate_protocol(proto: &str, path: &str, errs: &mut Vec<FieldError>) {
    if proto.is_empty() {
        errs.push(FieldError::required(path, ""));
    } else if !PROTOCOLS.contains(&proto) {
        errs.push(FieldError::not_supported(path, json!(proto), &PROTOCOLS));
    }
}

/// Quantities must be non-negative and requests may not exceed limits.
fn validate_resources(res: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    let limits = res.and_then(|r| r.get("limits")).and_then(Value::as_object);
    let requests = res
        .and_then(|r| r.get("requests"))
        .and_then(Value::as_object);
    let lim_path = child(path, "limits");
    let req_path = child(path, "requests");
    for (map, mpath) in [(limits, &lim_path), (requests, &req_path)] {
        for (name, q) in map.into_iter().flatten() {
            let raw = quantity_text(q);
            if let Some(parsed) = Quantity::parse(&raw).ok()
                && parsed.nanos() < 0
            {
                errs.push(FieldError::invalid(
                    &key(mpath, name),
                    json!(parsed.to_string()),
                    "must be greater than or equal to 0",
                ));
            }
        }
    }
    let mut names: Vec<&String> = requests.map(|r| r.keys().collect()).unwrap_or_default();
    names.sort();
    for name in names {
        let req = requests.and_then(|r| r.get(name)).map(quantity_text);
        let lim = limits.and_then(|l| l.get(name)).map(quantity_text);
        let (Some(req), Some(lim)) = (req, lim) else {
            continue;
        };
        let (Some(rq), Some(lq)) = (Quantity::parse(&req).ok(), Quantity::parse(&lim).ok()) else {
            continue;
        };
        let overcommit = !(name.starts_with("hugepages-")
            || name.contains('/') && !name.starts_with("kubernetes.io/"));
        if !overcommit && rq.nanos() != lq.nanos() {
            errs.push(FieldError::invalid(
                &req_path,
                json!(rq.to_string()),
                &format!("must be equal to {name} limit of {lq}"),
            ));
        } else if rq.nanos() > lq.nanos() {
            errs.push(FieldError::invalid(
                &req_path,
                json!(rq.to_string()),
                &format!("must be less than or equal to {name} limit of {}", lq),
            ));
        }
    }
}

/// Quantities may arrive as JSON numbers (`cpu: 1`) or strings.
pub fn quantity_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn validate_tolerations(tols: &[Value], path: &str, errs: &mut Vec<FieldError>) {
    for (i, t) in tols.iter().enumerate() {
        let p = index(path, i);
        let t = Some(t);
        let k = s(t, "key");
        if !k.is_empty() {
            for msg in names::is_qualified_name(k) {
                errs.push(FieldError::invalid(&child(&p, "key"), json!(k), &msg));
            }
        }
        let op = s(t, "operator");
        if k.is_empty() && op != "Exists" {
            errs.push(FieldError::invalid(
                &child(&p, "operator"),
                json!(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        match op {
            "" | "Equal" => {}
            "Exists" => {
                if !s(t, "value").is_empty() {
                    errs.push(FieldError::invalid(
                        &child(&p, "operator"),
                        json!(s(t, "value")),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => errs.push(FieldError::not_supported(
                &child(&p, "operator"),
                json!(other),
                &["Equal", "Exists"],
            )),
        }
        match s(t, "effect") {
            "" | "NoSchedule" | "PreferNoSchedule" | "NoExecute" => {}
            other => errs.push(FieldError::not_supported(
                &child(&p, "effect"),
                json!(other),
                &["NoExecute", "NoSchedule", "PreferNoSchedule"],
            )),
        }
    }
}

pub const POD_UPDATE_FORBIDDEN: &str = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// Only images, activeDeadlineSeconds, added tolerations and a negative grace period set to
/// 1 may change (binding a node goes through pods/binding, which does not come here).
fn validate_pod_spec_update(new: Option<&Value>, old: Option<&Value>) -> Vec<FieldError> {
    let (Some(new), Some(old)) = (new, old) else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    // Copy the mutable fields from the new spec onto the old one and compare.
    let mut patched = new.clone();
    if let (Some(p), Some(o)) = (patched.as_object_mut(), old.as_object()) {
        for list in ["containers", "initContainers"] {
            let old_list = o.get(list).and_then(Value::as_array);
            if let (Some(Value::Array(items)), Some(old_items)) = (p.get_mut(list), old_list)
                && items.len() == old_items.len()
            {
                for (item, old_item) in items.iter_mut().zip(old_items) {
                    if let (Some(m), Some(img)) = (item.as_object_mut(), old_item.get("image")) {
                        m.insert("image".into(), img.clone());
                    }
                }
            }
        }
        copy_field(p, o, "activeDeadlineSeconds");
        // Tolerations may only grow: the old ones must remain, new ones may follow.
        let old_tols = o
            .get("tolerations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let new_tols = p
            .get("tolerations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if old_tols.iter().all(|t| new_tols.contains(t)) {
            copy_field(p, o, "tolerations");
        }
        let old_grace = o
            .get("terminationGracePeriodSeconds")
            .and_then(Value::as_i64);
        let new_grace = p
            .get("terminationGracePeriodSeconds")
            .and_then(Value::as_i64);
        if old_grace.is_some_and(|g| g < 0) && new_grace == Some(1) {
            copy_field(p, o, "terminationGracePeriodSeconds");
        }
    }
    if !same_json(&patched, old) {
        errs.push(FieldError::forbidden("spec", POD_UPDATE_FORBIDDEN));
    }
    errs
}

fn copy_field(
    to: &mut serde_json::Map<String, Value>,
    from: &serde_json::Map<String, Value>,
    k: &str,
) {
    match from.get(k) {
        Some(v) => {
            to.insert(k.to_string(), v.clone());
        }
        None => {
            to.remove(k);
        }
    }
}

/// Equality that ignores key order (preserve_order maps compare by order otherwise).
pub(super) fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_json(v, w))
        }
        _ => a == b,
    }
}
