//! The always-on mutating admission plugins that change objects on create: ServiceAccount
//! (token volume and mounts), Priority, DefaultTolerationSeconds, TaintNodesByCondition.

use super::order::{insert_ordered, object_at};
use super::pod::{CONTAINER, POD_SPEC, VOLUME_MOUNT};
use serde_json::{Map, Value, json};

/// What admission needs from the cluster and the caller.
pub struct AdmissionContext<'a> {
    /// `n` random characters from kube's alphabet `bcdfghjklmnpqrstvwxz2456789`.
    pub random: &'a mut dyn FnMut(usize) -> String,
    /// A PriorityClass by name: its value and preemptionPolicy. Built-in system classes are
    /// known without it.
    pub priority_class: &'a dyn Fn(&str) -> Option<(i64, String)>,
}

const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
const TOKEN_VOLUME_PREFIX: &str = "kube-api-access-";
const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// Runs the Pod admission plugins in the apiserver's order. Errors are the admission
/// message (the caller answers 403 Forbidden: `pods "x" is forbidden: <message>`).
pub fn admit_pod(obj: &mut Value, ctx: &mut AdmissionContext) -> Result<(), String> {
    let mirror = obj
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(MIRROR_ANNOTATION))
        .is_some();
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    if !mirror {
        service_account(spec, ctx);
    }
    priority(spec, ctx)?;
    default_toleration_seconds(spec);
    Ok(())
}

fn service_account(spec: &mut Map<String, Value>, ctx: &mut AdmissionContext) {
    let sa = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if sa.is_empty() {
        spec.insert("serviceAccountName".into(), json!("default"));
        spec.insert("serviceAccount".into(), json!("default"));
        super::order::reorder(spec, POD_SPEC);
    }
    if spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        == Some(false)
    {
        return;
    }
    let existing = spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("name").and_then(Value::as_str))
        .find(|n| n.starts_with(TOKEN_VOLUME_PREFIX))
        .map(String::from);
    let volume_name = existing
        .clone()
        .unwrap_or_else(|| format!("{TOKEN_VOLUME_PREFIX}{}", (ctx.random)(5)));
    let mut needs_volume = false;
    for list in ["initContainers", "containers"] {
        let Some(Value::Array(containers)) = spec.get_mut(list) else {
            continue;
        };
        for c in containers.iter_mut().filter_map(Value::as_object_mut) {
            let has_mount = c
                .get("volumeMounts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|m| m.get("mountPath").and_then(Value::as_str) == Some(TOKEN_MOUNT_PATH));
            if has_mount {
                continue;
            }
            if !c.get("volumeMounts").is_some_and(Value::is_array) {
                c.remove("volumeMounts");
                insert_ordered(c, CONTAINER, "volumeMounts", json!([]));
            }
            if let Some(Value::Array(mounts)) = c.get_mut("volumeMounts") {
                let mut m = Map::new();
                for (k, v) in [
                    ("name", json!(volume_name)),
                    ("readOnly", json!(true)),
                    ("mountPath", json!(TOKEN_MOUNT_PATH)),
                ] {
                    insert_ordered(&mut m, VOLUME_MOUNT, k, v);
                }
                mounts.push(Value::Object(m));
            }
            needs_volume = true;
        }
    }
    if existing.is_none() && needs_volume {
        if !spec.get("volumes").is_some_and(Value::is_array) {
            spec.remove("volumes");
            insert_ordered(spec, POD_SPEC, "volumes", json!([]));
        }
        if let Some(Value::Array(vols)) = spec.get_mut("volumes") {
            vols.push(token_volume(&volume_name));
        }
    }
}

/// The projected volume with the service account token, the cluster CA and the namespace.
fn token_volume(name: &str) -> Value {
    json!({
        "name": name,
        "projected": {
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
            ],
            "defaultMode": 420
        }
    })
}

/// The built-in classes every cluster has.
fn system_priority_class(name: &str) -> Option<(i64, String)> {
    match name {
        "system-node-critical" => Some((2_000_001_000, "PreemptLowerPriority".into())),
        "system-cluster-critical" => Some((2_000_000_000, "PreemptLowerPriority".into())),
        _ => None,
    }
}

fn priority(spec: &mut Map<String, Value>, ctx: &mut AdmissionContext) -> Result<(), String> {
    let class = spec
        .get("priorityClassName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let (value, policy) = if class.is_empty() {
        (0, "PreemptLowerPriority".to_string())
    } else {
        system_priority_class(&class)
            .or_else(|| (ctx.priority_class)(&class))
            .ok_or_else(|| format!("no PriorityClass with name {class} was found"))?
    };
    if let Some(given) = spec.get("priority").and_then(Value::as_i64)
        && given != value
    {
        return Err(format!(
            "the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {value} from the given PriorityClass name"
        ));
    }
    if let Some(given) = spec.get("preemptionPolicy").and_then(Value::as_str)
        && given != policy
    {
        return Err(format!(
            "the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name"
        ));
    }
    insert_ordered(spec, POD_SPEC, "priority", json!(value));
    insert_ordered(spec, POD_SPEC, "preemptionPolicy", json!(policy));
    Ok(())
}

/// Pods tolerate not-ready and unreachable nodes for 300s unless they say otherwise.
fn default_toleration_seconds(spec: &mut Map<String, Value>) {
    let tols: Vec<Value> = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let tolerates = |key: &str| {
        tols.iter().any(|t| {
            let k = t.get("key").and_then(Value::as_str).unwrap_or("");
            let e = t.get("effect").and_then(Value::as_str).unwrap_or("");
            (k == key || k.is_empty()) && (e == "NoExecute" || e.is_empty())
        })
    };
    let mut add = Vec::new();
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        if !tolerates(key) {
            add.push(json!({"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}));
        }
    }
    if add.is_empty() {
        return;
    }
    if !spec.get("tolerations").is_some_and(Value::is_array) {
        spec.remove("tolerations");
        insert_ordered(spec, POD_SPEC, "tolerations", json!([]));
    }
    if let Some(Value::Array(list)) = spec.get_mut("tolerations") {
        list.extend(add);
    }
}

/// TaintNodesByCondition: a new Node starts tainted not-ready until its kubelet reports.
pub fn admit_node(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    let Some(spec) = object_at(o, super::order::TOP_LEVEL, "spec") else {
        return;
    };
    let taint = json!({"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"});
    let present = spec
        .get("taints")
        .and_then(Value::as_array)
        .is_some_and(|t| {
            t.iter()
                .any(|x| x.get("key") == taint.get("key") && x.get("effect") == taint.get("effect"))
        });
    if present {
        return;
    }
    if !spec.get("taints").is_some_and(Value::is_array) {
        spec.remove("taints");
        insert_ordered(
            spec,
            &[
                "podCIDR",
                "podCIDRs",
                "providerID",
                "unschedulable",
                "taints",
                "configSource",
                "externalID",
            ],
            "taints",
            json!([]),
        );
    }
    if let Some(Value::Array(t)) = spec.get_mut("taints") {
        t.push(taint);
    }
}
