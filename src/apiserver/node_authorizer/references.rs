//! What a pod's spec names, as the Node authorizer's graph links it: the secrets,
//! config maps, claims and service account a kubelet must read to run the pod.

use crate::api::json::str_at as s;
use serde_json::Value;

/// Volume plugins, in pods and in persistent volumes alike, that name a secret by `secretRef`.
const SECRET_REF_PLUGINS: [&str; 7] = [
    "cephfs",
    "cinder",
    "flexVolume",
    "rbd",
    "iscsi",
    "scaleIO",
    "storageos",
];

/// The pod's containers of every kind (init, regular, ephemeral).
fn containers(pod: &Value) -> impl Iterator<Item = &Value> {
    ["initContainers", "containers", "ephemeralContainers"]
        .into_iter()
        .filter_map(|k| pod.pointer(&format!("/spec/{k}")).and_then(Value::as_array))
        .flatten()
}

fn volumes(pod: &Value) -> impl Iterator<Item = &Value> {
    pod.pointer("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn projected_sources(volume: &Value) -> impl Iterator<Item = &Value> {
    volume
        .pointer("/projected/sources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn push(out: &mut Vec<String>, name: &str) {
    if !name.is_empty() {
        out.push(name.to_string());
    }
}

/// Names of the secrets the pod uses: pull secrets, environment, secret and projected
/// volumes, and the secret references of volume plugins.
pub fn secrets(pod: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for p in pod
        .pointer("/spec/imagePullSecrets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        push(&mut out, s(p, "/name"));
    }
    for c in containers(pod) {
        env_refs(c, "secretRef", "secretKeyRef", &mut out);
    }
    for v in volumes(pod) {
        push(&mut out, s(v, "/secret/secretName"));
        for src in projected_sources(v) {
            push(&mut out, s(src, "/secret/name"));
        }
        push(&mut out, s(v, "/azureFile/secretName"));
        for plugin in SECRET_REF_PLUGINS {
            push(&mut out, s(v, &format!("/{plugin}/secretRef/name")));
        }
        push(&mut out, s(v, "/csi/nodePublishSecretRef/name"));
    }
    out
}

/// Names of the config maps the pod uses: environment, config map and projected volumes.
pub fn config_maps(pod: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for c in containers(pod) {
        env_refs(c, "configMapRef", "configMapKeyRef", &mut out);
    }
    for v in volumes(pod) {
        push(&mut out, s(v, "/configMap/name"));
        for src in projected_sources(v) {
            push(&mut out, s(src, "/configMap/name"));
        }
    }
    out
}

/// `envFrom[].<from>.name` and `env[].valueFrom.<key_ref>.name` of one container.
fn env_refs(container: &Value, from: &str, key_ref: &str, out: &mut Vec<String>) {
    for e in container
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        push(out, s(e, &format!("/{from}/name")));
    }
    for e in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        push(out, s(e, &format!("/valueFrom/{key_ref}/name")));
    }
}

/// Names of the claims the pod mounts: its persistentVolumeClaim volumes, and the claim
/// an ephemeral volume is made into (`<pod>-<volume>`).
pub fn claims(pod: &Value) -> Vec<String> {
    let pod_name = s(pod, "/metadata/name");
    let mut out = Vec::new();
    for v in volumes(pod) {
        if v.get("persistentVolumeClaim").is_some() {
            push(&mut out, s(v, "/persistentVolumeClaim/claimName"));
        } else if v.get("ephemeral").is_some() {
            out.push(format!("{pod_name}-{}", s(v, "/name")));
        }
    }
    out
}

/// Names of the secrets a persistent volume's plugin reads (a kubelet mounting the volume
/// needs them).
pub fn volume_secrets(pv: &Value) -> Vec<(String, String)> {
    let spec = pv.get("spec").unwrap_or(&Value::Null);
    let claim_ns = s(spec, "/claimRef/namespace");
    let mut out = Vec::new();
    let mut add = |ns: &str, name: &str| {
        if !name.is_empty() {
            out.push((ns.to_string(), name.to_string()));
        }
    };
    for r in [
        "controllerPublishSecretRef",
        "nodeStageSecretRef",
        "nodePublishSecretRef",
        "controllerExpandSecretRef",
        "nodeExpandSecretRef",
    ] {
        let at = |f: &str| s(spec, &format!("/csi/{r}/{f}")).to_string();
        add(&at("namespace"), &at("name"));
    }
    for plugin in SECRET_REF_PLUGINS {
        let name = s(spec, &format!("/{plugin}/secretRef/name"));
        let ns = match s(spec, &format!("/{plugin}/secretRef/namespace")) {
            "" => claim_ns,
            ns => ns,
        };
        add(ns, name);
    }
    let azure_ns = match s(spec, "/azureFile/secretNamespace") {
        "" => claim_ns,
        ns => ns,
    };
    add(azure_ns, s(spec, "/azureFile/secretName"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pods_references_are_found_wherever_the_spec_names_them() {
        let pod = json!({"metadata": {"name": "web"}, "spec": {
            "imagePullSecrets": [{"name": "pull"}],
            "initContainers": [{"envFrom": [{"secretRef": {"name": "init-env"}}]}],
            "containers": [{"env": [
                {"name": "A", "valueFrom": {"secretKeyRef": {"name": "key", "key": "k"}}},
                {"name": "B", "valueFrom": {"configMapKeyRef": {"name": "cm-key", "key": "k"}}}],
                "envFrom": [{"configMapRef": {"name": "cm-env"}}]}],
            "volumes": [
                {"name": "s", "secret": {"secretName": "vol"}},
                {"name": "c", "configMap": {"name": "cm-vol"}},
                {"name": "p", "projected": {"sources": [{"secret": {"name": "proj"}}, {"configMap": {"name": "cm-proj"}}]}},
                {"name": "d", "persistentVolumeClaim": {"claimName": "data"}},
                {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {}}}]}});
        assert_eq!(
            secrets(&pod),
            ["pull", "init-env", "key", "vol", "proj"].map(String::from)
        );
        assert_eq!(
            config_maps(&pod),
            ["cm-env", "cm-key", "cm-vol", "cm-proj"].map(String::from)
        );
        assert_eq!(claims(&pod), ["data", "web-scratch"].map(String::from));
    }
}
