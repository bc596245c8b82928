//! Pod and pod-template defaults (SetDefaults_PodSpec, containers, probes, volumes), the
//! Pod-only defaults, and the Pod status the apiserver sets on create.

use super::order::{insert_ordered, normalize_meta, object_at, reorder, sort_map_at};
use crate::api::quantity::Quantity;
use serde_json::{Map, Value, json};

pub const POD_SPEC: &[&str] = &[
    "volumes",
    "initContainers",
    "containers",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "hostname",
    "subdomain",
    "affinity",
    "schedulerName",
    "tolerations",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
    "resources",
];

pub const CONTAINER: &[&str] = &[
    "name",
    "image",
    "command",
    "args",
    "workingDir",
    "ports",
    "envFrom",
    "env",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
];

const CONTAINER_PORT: &[&str] = &["name", "hostPort", "containerPort", "protocol", "hostIP"];
pub const VOLUME_MOUNT: &[&str] = &[
    "name",
    "readOnly",
    "recursiveReadOnly",
    "mountPath",
    "subPath",
    "mountPropagation",
    "subPathExpr",
];
const PROBE: &[&str] = &[
    "exec",
    "httpGet",
    "tcpSocket",
    "grpc",
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
    "terminationGracePeriodSeconds",
];
const HTTP_GET: &[&str] = &["path", "port", "host", "scheme", "httpHeaders"];
const FIELD_REF: &[&str] = &["apiVersion", "fieldPath"];
const RESOURCE_FIELD_REF: &[&str] = &["containerName", "resource", "divisor"];
const RESOURCES: &[&str] = &["limits", "requests", "claims"];
const TOLERATION: &[&str] = &["key", "operator", "value", "effect", "tolerationSeconds"];
const VOLUME: &[&str] = &[
    "name",
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];
const SECRET_VOLUME: &[&str] = &["secretName", "items", "defaultMode", "optional"];
const CONFIG_MAP_VOLUME: &[&str] = &["name", "items", "defaultMode", "optional"];
const ITEMS_MODE: &[&str] = &["items", "defaultMode"];
const PROJECTED: &[&str] = &["sources", "defaultMode"];
const HOST_PATH: &[&str] = &["path", "type"];
const DOWNWARD_FILE: &[&str] = &["path", "fieldRef", "resourceFieldRef", "mode"];

fn obj_mut<'a>(m: &'a mut Map<String, Value>, k: &str) -> Option<&'a mut Map<String, Value>> {
    m.get_mut(k).and_then(Value::as_object_mut)
}

fn each_obj(m: &mut Map<String, Value>, k: &str, mut f: impl FnMut(&mut Map<String, Value>)) {
    if let Some(Value::Array(items)) = m.get_mut(k) {
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            f(item);
        }
    }
}

/// Defaults shared by pods and pod templates.
pub fn default_pod_spec(spec: &mut Map<String, Value>) {
    insert_ordered(spec, POD_SPEC, "dnsPolicy", json!("ClusterFirst"));
    insert_ordered(spec, POD_SPEC, "restartPolicy", json!("Always"));
    insert_ordered(spec, POD_SPEC, "securityContext", json!({}));
    insert_ordered(spec, POD_SPEC, "terminationGracePeriodSeconds", json!(30));
    insert_ordered(spec, POD_SPEC, "schedulerName", json!("default-scheduler"));
    // The deprecated serviceAccount mirrors serviceAccountName (a conversion, not a default).
    let sa_name = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let sa_old = spec
        .get("serviceAccount")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if sa_name.is_empty() && !sa_old.is_empty() {
        spec.insert("serviceAccountName".into(), json!(sa_old));
    } else if !sa_name.is_empty() {
        spec.insert("serviceAccount".into(), json!(sa_name));
    }
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        each_obj(spec, list, default_container);
    }
    each_obj(spec, "volumes", default_volume);
    each_obj(spec, "tolerations", |t| reorder(t, TOLERATION));
    sort_map_at(spec, "nodeSelector");
    reorder(spec, POD_SPEC);
}

/// The `:tag` of an image reference; "latest" when there is neither tag nor digest.
fn image_tag(image: &str) -> String {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    match last.split_once(':') {
        Some((_, tag)) => tag.to_string(),
        None if digest.is_some() => String::new(),
        None => "latest".to_string(),
    }
}

fn default_container(c: &mut Map<String, Value>) {
    let image = c
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    insert_ordered(c, CONTAINER, "resources", json!({}));
    insert_ordered(
        c,
        CONTAINER,
        "terminationMessagePath",
        json!("/dev/termination-log"),
    );
    insert_ordered(c, CONTAINER, "terminationMessagePolicy", json!("File"));
    let policy = if image_tag(&image) == "latest" {
        "Always"
    } else {
        "IfNotPresent"
    };
    insert_ordered(c, CONTAINER, "imagePullPolicy", json!(policy));
    each_obj(c, "ports", |p| {
        insert_ordered(p, CONTAINER_PORT, "protocol", json!("TCP"));
        reorder(p, CONTAINER_PORT);
    });
    each_obj(c, "env", |e| {
        if let Some(from) = obj_mut(e, "valueFrom") {
            default_env_source(from);
        }
    });
    if let Some(r) = obj_mut(c, "resources") {
        sort_map_at(r, "limits");
        sort_map_at(r, "requests");
        reorder(r, RESOURCES);
    }
    each_obj(c, "volumeMounts", |m| reorder(m, VOLUME_MOUNT));
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = obj_mut(c, probe) {
            default_probe(p);
        }
    }
    if let Some(lc) = obj_mut(c, "lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = obj_mut(lc, hook).and_then(|h| obj_mut(h, "httpGet")) {
                default_http_get(h);
            }
        }
    }
    reorder(c, CONTAINER);
}

fn default_env_source(from: &mut Map<String, Value>) {
    if let Some(f) = obj_mut(from, "fieldRef") {
        insert_ordered(f, FIELD_REF, "apiVersion", json!("v1"));
    }
    if let Some(r) = obj_mut(from, "resourceFieldRef") {
        // An unset divisor is a zero Quantity, which serializes as "0".
        insert_ordered(r, RESOURCE_FIELD_REF, "divisor", json!("0"));
    }
}

fn default_http_get(h: &mut Map<String, Value>) {
    insert_ordered(h, HTTP_GET, "path", json!("/"));
    insert_ordered(h, HTTP_GET, "scheme", json!("HTTP"));
}

fn default_probe(p: &mut Map<String, Value>) {
    if let Some(h) = obj_mut(p, "httpGet") {
        default_http_get(h);
    }
    if let Some(g) = obj_mut(p, "grpc") {
        insert_ordered(g, &["port", "service"], "service", json!(""));
    }
    insert_ordered(p, PROBE, "timeoutSeconds", json!(1));
    insert_ordered(p, PROBE, "periodSeconds", json!(10));
    insert_ordered(p, PROBE, "successThreshold", json!(1));
    insert_ordered(p, PROBE, "failureThreshold", json!(3));
}

fn default_volume(v: &mut Map<String, Value>) {
    // A volume without any source is an emptyDir.
    if v.len() == 1 && v.contains_key("name") {
        insert_ordered(v, VOLUME, "emptyDir", json!({}));
    }
    if let Some(s) = obj_mut(v, "secret") {
        insert_ordered(s, SECRET_VOLUME, "defaultMode", json!(420));
    }
    if let Some(s) = obj_mut(v, "configMap") {
        insert_ordered(s, CONFIG_MAP_VOLUME, "defaultMode", json!(420));
    }
    if let Some(s) = obj_mut(v, "downwardAPI") {
        insert_ordered(s, ITEMS_MODE, "defaultMode", json!(420));
        each_obj(s, "items", default_downward_file);
    }
    if let Some(s) = obj_mut(v, "hostPath") {
        insert_ordered(s, HOST_PATH, "type", json!(""));
    }
    if let Some(s) = obj_mut(v, "projected") {
        insert_ordered(s, PROJECTED, "defaultMode", json!(420));
        each_obj(s, "sources", |src| {
            if let Some(d) = obj_mut(src, "downwardAPI") {
                each_obj(d, "items", default_downward_file);
            }
            if let Some(t) = obj_mut(src, "serviceAccountToken") {
                insert_ordered(
                    t,
                    &["audience", "expirationSeconds", "path"],
                    "expirationSeconds",
                    json!(3600),
                );
            }
        });
    }
    reorder(v, VOLUME);
}

fn default_downward_file(f: &mut Map<String, Value>) {
    if let Some(r) = obj_mut(f, "fieldRef") {
        insert_ordered(r, FIELD_REF, "apiVersion", json!("v1"));
    }
    if let Some(r) = obj_mut(f, "resourceFieldRef") {
        insert_ordered(r, RESOURCE_FIELD_REF, "divisor", json!("0"));
    }
    reorder(f, DOWNWARD_FILE);
}

/// SetDefaults_Pod on top of the pod-spec defaults: requests copied from limits,
/// enableServiceLinks, host ports for host-network pods.
pub fn default_pod(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = obj_mut(o, "metadata") {
        normalize_meta(meta);
    }
    let Some(spec) = obj_mut(o, "spec") else {
        return;
    };
    for list in ["initContainers", "containers"] {
        each_obj(spec, list, requests_from_limits);
    }
    insert_ordered(spec, POD_SPEC, "enableServiceLinks", json!(true));
    if spec.get("hostNetwork").and_then(Value::as_bool) == Some(true) {
        for list in ["initContainers", "containers"] {
            each_obj(spec, list, |c| {
                each_obj(c, "ports", |p| {
                    let hp = p.get("hostPort").and_then(Value::as_i64).unwrap_or(0);
                    if hp == 0
                        && let Some(cp) = p.get("containerPort").cloned()
                    {
                        p.remove("hostPort");
                        insert_ordered(p, CONTAINER_PORT, "hostPort", cp);
                    }
                });
            });
        }
    }
    default_pod_spec(spec);
}

fn requests_from_limits(c: &mut Map<String, Value>) {
    let Some(res) = obj_mut(c, "resources") else {
        return;
    };
    let Some(limits) = res.get("limits").and_then(Value::as_object).cloned() else {
        return;
    };
    let Some(requests) = object_at(res, RESOURCES, "requests") else {
        return;
    };
    for (k, v) in limits {
        requests.entry(k).or_insert(v);
    }
    requests.sort_keys();
}

/// Quality of service class from the containers' cpu/memory requests and limits.
pub fn qos_class(spec: &Value) -> &'static str {
    let mut requests: Vec<(String, i128)> = Vec::new();
    let mut limits: Vec<(String, i128)> = Vec::new();
    let mut guaranteed = true;
    let add = |acc: &mut Vec<(String, i128)>, k: &str, n: i128| {
        if let Some(e) = acc.iter_mut().find(|(name, _)| name == k) {
            e.1 += n;
        } else {
            acc.push((k.to_string(), n));
        }
    };
    let containers = ["initContainers", "containers"]
        .into_iter()
        .filter_map(|k| spec.get(k).and_then(Value::as_array))
        .flatten();
    for c in containers {
        let res = c.get("resources");
        let mut found_limits: Vec<&str> = Vec::new();
        for (which, acc) in [("requests", &mut requests), ("limits", &mut limits)] {
            let Some(m) = res.and_then(|r| r.get(which)).and_then(Value::as_object) else {
                continue;
            };
            for (k, v) in m {
                if k != "cpu" && k != "memory" {
                    continue;
                }
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let n = Quantity::parse(&text).map_or(0, |q| q.nanos());
                if which == "limits" {
                    found_limits.push(k);
                    add(acc, k, n);
                } else if n > 0 {
                    add(acc, k, n);
                }
            }
        }
        if !(found_limits.contains(&"cpu") && found_limits.contains(&"memory")) {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed {
        for (k, r) in &requests {
            if !limits.iter().any(|(lk, l)| lk == k && l == r) {
                guaranteed = false;
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// The status a new Pod starts with: Pending plus its QoS class.
pub fn prepare_pod_for_create(obj: &mut Value) {
    let qos = obj.get("spec").map(qos_class).unwrap_or("BestEffort");
    if let Some(o) = obj.as_object_mut() {
        o.insert(
            "status".into(),
            json!({"phase": "Pending", "qosClass": qos}),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("nginx"), "latest");
        assert_eq!(image_tag("nginx:1.27"), "1.27");
        assert_eq!(image_tag("localhost:5000/app"), "latest");
        assert_eq!(image_tag("localhost:5000/app:v2"), "v2");
        assert_eq!(image_tag("nginx@sha256:abc"), "");
        assert_eq!(image_tag("nginx:latest"), "latest");
    }

    #[test]
    fn qos() {
        let be = json!({"containers": [{"name": "a", "resources": {}}]});
        assert_eq!(qos_class(&be), "BestEffort");
        let g = json!({"containers": [{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1Gi"}}}]});
        assert_eq!(qos_class(&g), "Guaranteed");
        let b = json!({"containers": [{"resources": {"requests": {"cpu": "100m"}}}]});
        assert_eq!(qos_class(&b), "Burstable");
    }
}
