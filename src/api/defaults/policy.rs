//! Defaults of PodDisruptionBudget, PriorityClass, NetworkPolicy, Ingress, IngressClass,
//! RuntimeClass, ReplicationController and PodTemplate, and their create-time status.

use super::order::{OBJECT_META, TOP_LEVEL, insert_ordered, normalize_meta, object_at, reorder};
use super::pod::default_pod_spec;
use serde_json::{Map, Value, json};

const RC_SPEC: &[&str] = &["replicas", "minReadySeconds", "selector", "template"];
const TEMPLATE: &[&str] = &["metadata", "spec"];
const PRIORITY_CLASS: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "value",
    "globalDefault",
    "description",
    "preemptionPolicy",
];
const NETPOL_SPEC: &[&str] = &["podSelector", "ingress", "egress", "policyTypes"];

fn top(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let o = obj.as_object_mut()?;
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    Some(o)
}

/// A pod template: `creationTimestamp: null` in its metadata and the pod spec's defaults.
fn default_template(t: &mut Map<String, Value>) {
    if let Some(md) = object_at(t, TEMPLATE, "metadata") {
        insert_ordered(md, OBJECT_META, "creationTimestamp", Value::Null);
        normalize_meta(md);
    }
    if let Some(ps) = object_at(t, TEMPLATE, "spec") {
        default_pod_spec(ps);
    }
    reorder(t, TEMPLATE);
}

pub fn default_priority_class(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    insert_ordered(
        o,
        PRIORITY_CLASS,
        "preemptionPolicy",
        json!("PreemptLowerPriority"),
    );
}

/// kube fills policyTypes (Ingress, plus Egress when egress rules exist) and the TCP
/// protocol of every port.
pub fn default_network_policy(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    let Some(spec) = object_at(o, TOP_LEVEL, "spec") else {
        return;
    };
    object_at(spec, NETPOL_SPEC, "podSelector");
    for dir in ["ingress", "egress"] {
        for rule in spec
            .get_mut(dir)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            for port in rule
                .get_mut("ports")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(p) = port.as_object_mut() {
                    insert_ordered(
                        p,
                        &["protocol", "port", "endPort"],
                        "protocol",
                        json!("TCP"),
                    );
                }
            }
        }
    }
    let has_types = spec
        .get("policyTypes")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if !has_types {
        let mut types = vec![json!("Ingress")];
        if spec
            .get("egress")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
        {
            types.push(json!("Egress"));
        }
        spec.remove("policyTypes");
        insert_ordered(spec, NETPOL_SPEC, "policyTypes", Value::Array(types));
    }
}

/// The selector and the object's labels come from the template's labels when empty.
pub fn default_replication_controller(obj: &mut Value) {
    let template_labels = obj
        .pointer("/spec/template/metadata/labels")
        .and_then(Value::as_object)
        .filter(|l| !l.is_empty())
        .cloned();
    let Some(o) = top(obj) else {
        return;
    };
    if let Some(labels) = &template_labels
        && let Some(meta) = object_at(o, TOP_LEVEL, "metadata")
    {
        let empty = meta
            .get("labels")
            .and_then(Value::as_object)
            .is_none_or(Map::is_empty);
        if empty {
            meta.remove("labels");
            insert_ordered(meta, OBJECT_META, "labels", Value::Object(labels.clone()));
            normalize_meta(meta);
        }
    }
    let Some(spec) = object_at(o, TOP_LEVEL, "spec") else {
        return;
    };
    if let Some(labels) = template_labels {
        let empty = spec
            .get("selector")
            .and_then(Value::as_object)
            .is_none_or(Map::is_empty);
        if empty {
            spec.remove("selector");
            insert_ordered(spec, RC_SPEC, "selector", Value::Object(labels));
        }
    }
    insert_ordered(spec, RC_SPEC, "replicas", json!(1));
    if let Some(Value::Object(sel)) = spec.get_mut("selector") {
        sel.sort_keys();
    }
    if let Some(t) = spec.get_mut("template").and_then(Value::as_object_mut) {
        default_template(t);
    }
    reorder(spec, RC_SPEC);
}

pub fn default_pod_template(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    if let Some(t) = object_at(
        o,
        &["kind", "apiVersion", "metadata", "template"],
        "template",
    ) {
        default_template(t);
    }
}

/// On create: generation 1 where kube's strategy sets it, and the empty status each kind
/// serializes.
pub fn prepare_for_create(kind: &str, obj: &mut Value) {
    let status = match kind {
        "PodDisruptionBudget" => Some(json!({
            "disruptionsAllowed": 0,
            "currentHealthy": 0,
            "desiredHealthy": 0,
            "expectedPods": 0
        })),
        "ReplicationController" => Some(json!({"replicas": 0})),
        "Ingress" => Some(json!({"loadBalancer": {}})),
        "NetworkPolicy" | "IngressClass" => None,
        _ => return,
    };
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = object_at(o, TOP_LEVEL, "metadata") {
        meta.insert("generation".into(), json!(1));
        normalize_meta(meta);
    }
    if let Some(status) = status {
        o.insert("status".into(), status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc_takes_selector_and_labels_from_its_template() {
        let mut rc = json!({"metadata": {"name": "r"}, "spec": {"template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}});
        default_replication_controller(&mut rc);
        assert_eq!(rc["metadata"]["labels"], json!({"app": "web"}));
        assert_eq!(rc["spec"]["selector"], json!({"app": "web"}));
        assert_eq!(rc["spec"]["replicas"], 1);
        assert_eq!(rc["spec"]["template"]["spec"]["restartPolicy"], "Always");
    }

    #[test]
    fn network_policy_types_and_protocols() {
        let mut np = json!({"metadata": {"name": "n"}, "spec": {
            "egress": [{"ports": [{"port": 53}]}]}});
        default_network_policy(&mut np);
        assert_eq!(np["spec"]["podSelector"], json!({}));
        assert_eq!(np["spec"]["policyTypes"], json!(["Ingress", "Egress"]));
        assert_eq!(np["spec"]["egress"][0]["ports"][0]["protocol"], "TCP");
    }
}
