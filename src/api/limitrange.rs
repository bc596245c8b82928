//! LimitRange: its scheme defaults, the LimitRanger admission's container defaults on pod
//! create (with kube's `kubernetes.io/limit-ranger` annotation saying what it set), and its
//! min/max/maxLimitRequestRatio refusals for containers, pods and claims with kube's wording.

use super::order::set_ordered;
use super::quantity::Quantity;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const ANNOTATION: &str = "kubernetes.io/limit-ranger";
const RESOURCES: &[&str] = &["limits", "requests", "claims"];
const ITEM: &[&str] = &[
    "type",
    "max",
    "min",
    "default",
    "defaultRequest",
    "maxLimitRequestRatio",
];

type List = BTreeMap<String, Quantity>;

fn list_at(v: &Value, path: &str) -> List {
    v.pointer(path)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, q)| Some((k.clone(), Quantity::from_json(q)?)))
        .collect()
}

/// Scheme defaults of a Container item: default limits from max, default requests from the
/// default limits, then from min.
pub fn default_limit_range(obj: &mut Value) {
    let Some(items) = obj
        .pointer_mut("/spec/limits")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for item in items.iter_mut().filter_map(Value::as_object_mut) {
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        let copy = |item: &mut Map<String, Value>, from: &str, to: &str| {
            let source = item.get(from).and_then(Value::as_object).cloned();
            let mut target = item
                .get(to)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (k, v) in source.into_iter().flatten() {
                if !target.contains_key(&k) {
                    target.insert(k, v);
                }
            }
            target.sort_keys();
            if !target.is_empty() {
                set_ordered(item, ITEM, to, Value::Object(target));
            }
        };
        copy(item, "max", "default");
        copy(item, "default", "defaultRequest");
        copy(item, "min", "defaultRequest");
    }
}

/// The Container item defaults of one LimitRange: (requests, limits), later items winning.
fn container_defaults(lr: &Value) -> (Map<String, Value>, Map<String, Value>) {
    let (mut requests, mut limits) = (Map::new(), Map::new());
    for item in items(lr).filter(|i| i["type"] == "Container") {
        for (k, v) in item["defaultRequest"].as_object().into_iter().flatten() {
            requests.insert(k.clone(), v.clone());
        }
        for (k, v) in item["default"].as_object().into_iter().flatten() {
            limits.insert(k.clone(), v.clone());
        }
    }
    (requests, limits)
}

fn items(lr: &Value) -> impl Iterator<Item = &Value> {
    lr.pointer("/spec/limits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// Fills `field` of a container's resources from `defaults`; the names it set, sorted.
fn merge(container: &mut Value, field: &str, defaults: &Map<String, Value>) -> Vec<String> {
    let Some(c) = container.as_object_mut() else {
        return Vec::new();
    };
    if !c.get("resources").is_some_and(Value::is_object) {
        c.insert("resources".into(), json!({}));
    }
    let Some(res) = c.get_mut("resources").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    let mut list = res
        .get(field)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut set = Vec::new();
    for (k, v) in defaults {
        if !list.contains_key(k) {
            list.insert(k.clone(), v.clone());
            set.push(k.clone());
        }
    }
    if !set.is_empty() {
        list.sort_keys();
        set_ordered(res, RESOURCES, field, Value::Object(list));
    }
    set.sort();
    set
}

/// The LimitRanger's mutation of a new pod by one LimitRange; true when it set anything.
pub fn default_pod(lr: &Value, pod: &mut Value) -> bool {
    let (requests, limits) = container_defaults(lr);
    if requests.is_empty() && limits.is_empty() {
        return false;
    }
    let mut notes = Vec::new();
    for (list, prefix) in [
        ("containers", "container"),
        ("initContainers", "init container"),
    ] {
        let Some(cs) = pod
            .pointer_mut(&format!("/spec/{list}"))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for c in cs.iter_mut() {
            let name = c["name"].as_str().unwrap_or("").to_string();
            let set_limits = merge(c, "limits", &limits);
            let set_requests = merge(c, "requests", &requests);
            if !set_requests.is_empty() {
                notes.push(format!(
                    "{} request for {prefix} {name}",
                    set_requests.join(", ")
                ));
            }
            if !set_limits.is_empty() {
                notes.push(format!(
                    "{} limit for {prefix} {name}",
                    set_limits.join(", ")
                ));
            }
        }
    }
    if notes.is_empty() {
        return false;
    }
    if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        if !meta.get("annotations").is_some_and(Value::is_object) {
            set_ordered(meta, super::order::OBJECT_META, "annotations", json!({}));
        }
        if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            a.insert(
                ANNOTATION.into(),
                json!(format!("LimitRanger plugin set: {}", notes.join("; "))),
            );
        }
    }
    true
}

fn min_constraint(
    kind: &str,
    res: &str,
    enforced: &Quantity,
    req: &List,
    lim: &List,
) -> Option<String> {
    let Some(r) = req.get(res) else {
        return Some(format!(
            "minimum {res} usage per {kind} is {enforced}.  No request is specified"
        ));
    };
    if r < enforced {
        return Some(format!(
            "minimum {res} usage per {kind} is {enforced}, but request is {r}"
        ));
    }
    match lim.get(res) {
        Some(l) if l < enforced => Some(format!(
            "minimum {res} usage per {kind} is {enforced}, but limit is {l}"
        )),
        _ => None,
    }
}

fn max_constraint(
    kind: &str,
    res: &str,
    enforced: &Quantity,
    req: &List,
    lim: &List,
) -> Option<String> {
    let Some(l) = lim.get(res) else {
        return Some(format!(
            "maximum {res} usage per {kind} is {enforced}.  No limit is specified"
        ));
    };
    if l > enforced {
        return Some(format!(
            "maximum {res} usage per {kind} is {enforced}, but limit is {l}"
        ));
    }
    match req.get(res) {
        Some(r) if r > enforced => Some(format!(
            "maximum {res} usage per {kind} is {enforced}, but request is {r}"
        )),
        _ => None,
    }
}

fn ratio_constraint(
    kind: &str,
    res: &str,
    enforced: &Quantity,
    req: &List,
    lim: &List,
) -> Option<String> {
    let r = req.get(res).filter(|q| !q.is_zero());
    let l = lim.get(res).filter(|q| !q.is_zero());
    let Some(r) = r else {
        return Some(format!(
            "{res} max limit to request ratio per {kind} is {enforced}, but no request is specified or request is 0"
        ));
    };
    let Some(l) = l else {
        return Some(format!(
            "{res} max limit to request ratio per {kind} is {enforced}, but no limit is specified or limit is 0"
        ));
    };
    let ratio = l.nanos() as f64 / r.nanos() as f64;
    let max = enforced.nanos() as f64 / 1e9;
    (ratio > max).then(|| {
        format!(
            "{res} max limit to request ratio per {kind} is {enforced}, but provided ratio is {ratio:.6}"
        )
    })
}

/// min, max and ratio of one item against one set of requests and limits.
fn check_item(item: &Value, kind: &str, req: &List, lim: &List, errs: &mut Vec<String>) {
    for (res, q) in list_at(item, "/min") {
        errs.extend(min_constraint(kind, &res, &q, req, lim));
    }
    for (res, q) in list_at(item, "/max") {
        errs.extend(max_constraint(kind, &res, &q, req, lim));
    }
    for (res, q) in list_at(item, "/maxLimitRequestRatio") {
        errs.extend(ratio_constraint(kind, &res, &q, req, lim));
    }
}

/// A pod's requests or limits: the containers' sum, at least each init container's.
fn pod_total(pod: &Value, field: &str) -> List {
    let mut sum = List::new();
    for c in pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (k, q) in list_at(c, &format!("/resources/{field}")) {
            sum.entry(k).or_default().add(&q);
        }
    }
    let inits = pod
        .pointer("/spec/initContainers")
        .and_then(Value::as_array);
    for c in inits.into_iter().flatten() {
        for (k, q) in list_at(c, &format!("/resources/{field}")) {
            let have = sum.entry(k).or_default();
            if q > *have {
                *have = q;
            }
        }
    }
    sum
}

/// The LimitRanger's validation of a new pod against one LimitRange.
pub fn check_pod(lr: &Value, pod: &Value, errs: &mut Vec<String>) {
    for item in items(lr) {
        match item["type"].as_str() {
            Some("Container") => {
                for list in ["containers", "initContainers"] {
                    let cs = pod
                        .pointer(&format!("/spec/{list}"))
                        .and_then(Value::as_array);
                    for c in cs.into_iter().flatten() {
                        let req = list_at(c, "/resources/requests");
                        let lim = list_at(c, "/resources/limits");
                        check_item(item, "Container", &req, &lim, errs);
                    }
                }
            }
            Some("Pod") => {
                let req = pod_total(pod, "requests");
                let lim = pod_total(pod, "limits");
                check_item(item, "Pod", &req, &lim, errs);
            }
            _ => {}
        }
    }
}

/// The LimitRanger's validation of a claim's storage request against one LimitRange.
pub fn check_claim(lr: &Value, pvc: &Value, errs: &mut Vec<String>) {
    let req = list_at(pvc, "/spec/resources/requests");
    for item in items(lr).filter(|i| i["type"] == "PersistentVolumeClaim") {
        for (res, q) in list_at(item, "/min") {
            errs.extend(min_constraint(
                "PersistentVolumeClaim",
                &res,
                &q,
                &req,
                &List::new(),
            ));
        }
        for (res, q) in list_at(item, "/max") {
            let kind = "PersistentVolumeClaim";
            errs.extend(match req.get(&res) {
                None => Some(format!(
                    "maximum {res} usage per {kind} is {q}.  No request is specified"
                )),
                Some(r) if *r > q => Some(format!(
                    "maximum {res} usage per {kind} is {q}, but request is {r}"
                )),
                _ => None,
            });
        }
    }
}

/// Several errors as kube's aggregate prints them: one alone, or `[a, b]`.
pub fn aggregate(mut errs: Vec<String>) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    errs.retain(|e| seen.insert(e.clone()));
    match errs.len() {
        0 => None,
        1 => errs.pop(),
        _ => Some(format!("[{}]", errs.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range() -> Value {
        let mut lr = json!({"spec": {"limits": [{"type": "Container",
            "max": {"cpu": "1"}, "min": {"cpu": "100m"}, "defaultRequest": {"memory": "64Mi"}}]}});
        default_limit_range(&mut lr);
        lr
    }

    #[test]
    fn defaults_follow_max_then_default_then_min() {
        assert_eq!(
            range()["spec"]["limits"][0],
            json!({"type": "Container", "max": {"cpu": "1"}, "min": {"cpu": "100m"},
                   "default": {"cpu": "1"}, "defaultRequest": {"cpu": "1", "memory": "64Mi"}})
        );
    }

    #[test]
    fn pods_get_defaults_and_an_annotation_and_are_refused_past_max() {
        let mut pod = json!({"metadata": {"name": "p"}, "spec": {"containers": [
            {"name": "c", "resources": {"limits": {"cpu": "500m"}, "requests": {"cpu": "500m"}}}]}});
        assert!(default_pod(&range(), &mut pod));
        assert_eq!(
            pod["metadata"]["annotations"][ANNOTATION],
            "LimitRanger plugin set: memory request for container c"
        );
        let mut errs = Vec::new();
        check_pod(&range(), &pod, &mut errs);
        assert!(errs.is_empty(), "{errs:?}");
        let big = json!({"spec": {"containers": [{"name": "c", "resources": {
            "limits": {"cpu": "2"}, "requests": {"cpu": "50m"}}}]}});
        check_pod(&range(), &big, &mut errs);
        assert_eq!(
            aggregate(errs).as_deref(),
            Some(
                "[minimum cpu usage per Container is 100m, but request is 50m, maximum cpu usage per Container is 1, but limit is 2]"
            )
        );
    }
}
