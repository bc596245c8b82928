//! Which nodes a DaemonSet's pod belongs on: node selector, required node affinity, and
//! taints against the pod's tolerations (with the ones kube adds to every daemon pod).

use crate::controllers::common as c;
use crate::controllers::node_lifecycle::tolerates;
use serde_json::{Value, json};

/// The tolerations kube's DaemonSet controller adds to every daemon pod, in its order.
pub fn daemon_tolerations() -> Vec<Value> {
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ]
    .iter()
    .map(|(k, e)| json!({"key": k, "operator": "Exists", "effect": e}))
    .collect()
}

/// The template's tolerations plus the daemon ones it lacks.
pub fn with_daemon_tolerations(template_spec: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = template_spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for t in daemon_tolerations() {
        let same = |x: &Value| x.get("key") == t.get("key") && x.get("effect") == t.get("effect");
        if !out.iter().any(same) {
            out.push(t);
        }
    }
    out
}

/// (should run a new pod here, may keep a running one here).
pub fn fits(spec: &Value, node: &Value) -> (bool, bool) {
    if !selector_matches(spec, node) || !affinity_matches(spec, node) {
        return (false, false);
    }
    let tolerations = with_daemon_tolerations(spec);
    let untolerated = |effect: &str| {
        node.pointer("/spec/taints")
            .and_then(Value::as_array)
            .is_some_and(|taints| {
                taints.iter().any(|t| {
                    t.get("effect").and_then(Value::as_str) == Some(effect)
                        && !tolerations.iter().any(|tol| tolerates(tol, t))
                })
            })
    };
    let no_execute = untolerated("NoExecute");
    (!no_execute && !untolerated("NoSchedule"), !no_execute)
}

/// What `fits` reads of a node (its name, labels and taints), as one comparable text.
pub fn what_placement_reads(node: &Value) -> String {
    let read = json!([
        c::name(node),
        node.pointer("/metadata/labels"),
        node.pointer("/spec/taints"),
    ]);
    read.to_string()
}

fn selector_matches(spec: &Value, node: &Value) -> bool {
    let Some(sel) = spec.get("nodeSelector").and_then(Value::as_object) else {
        return true;
    };
    let labels = c::labels(node);
    sel.iter()
        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

fn affinity_matches(spec: &Value, node: &Value) -> bool {
    let terms = spec
        .pointer("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array);
    let Some(terms) = terms else { return true };
    if terms.is_empty() {
        return true;
    }
    terms.iter().any(|term| term_matches(term, node))
}

fn term_matches(term: &Value, node: &Value) -> bool {
    let labels = c::labels(node);
    let exprs = term
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let fields = term
        .get("matchFields")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let label_ok = exprs.iter().all(|e| {
        let key = c::str_at(e, "/key");
        requirement(e, labels.and_then(|l| l.get(key)).and_then(Value::as_str))
    });
    let field_ok = fields.iter().all(|e| {
        let value = (c::str_at(e, "/key") == "metadata.name").then(|| c::name(node));
        requirement(e, value)
    });
    (!exprs.is_empty() || !fields.is_empty()) && label_ok && field_ok
}

fn requirement(e: &Value, value: Option<&str>) -> bool {
    let values: Vec<&str> = e
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let number = |s: &str| s.parse::<i64>().ok();
    match c::str_at(e, "/operator") {
        "In" => value.is_some_and(|v| values.contains(&v)),
        "NotIn" => value.is_none_or(|v| !values.contains(&v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" => {
            matches!((value.and_then(number), values.first().and_then(|v| number(v))), (Some(a), Some(b)) if a > b)
        }
        "Lt" => {
            matches!((value.and_then(number), values.first().and_then(|v| number(v))), (Some(a), Some(b)) if a < b)
        }
        _ => false,
    }
}

/// The node a daemon pod is for: its nodeName, else its `metadata.name` affinity.
pub fn node_of(pod: &Value) -> String {
    let bound = c::str_at(pod, "/spec/nodeName");
    if !bound.is_empty() {
        return bound.to_string();
    }
    pod.pointer("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array)
        .and_then(|terms| {
            terms.iter().find_map(|t| {
                t.get("matchFields")?.as_array()?.iter().find_map(|f| {
                    (c::str_at(f, "/key") == "metadata.name")
                        .then(|| f.pointer("/values/0").and_then(Value::as_str))
                        .flatten()
                })
            })
        })
        .unwrap_or("")
        .to_string()
}

/// Pins a pod spec to one node through required node affinity (matchFields metadata.name).
pub fn pin_to_node(spec: &mut Value, node: &str) {
    let term =
        json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]});
    spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] =
        json!({"nodeSelectorTerms": [term]});
}
