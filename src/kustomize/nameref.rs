//! Name references: once names are final (prefixes, suffixes, hashes), fields that name
//! another object of the build by one of its earlier names are rewritten to its name now:
//! a pod template's ConfigMaps, Secrets, ServiceAccount and claims, a role binding's role
//! and subjects, an Ingress's Services and TLS Secrets, and so on.

use super::{Res, fields, transform};
use serde_json::Value;

/// What each referring field points at.
struct Ref {
    kind: &'static str,
    path: String,
}

/// Pod spec paths of the kinds that have one.
fn pod_specs(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "spec",
        "Deployment"
        | "ReplicaSet"
        | "DaemonSet"
        | "StatefulSet"
        | "Job"
        | "ReplicationController" => "spec/template/spec",
        "CronJob" => "spec/jobTemplate/spec/template/spec",
        _ => return None,
    })
}

const POD_REFS: &[(&str, &str)] = &[
    ("ConfigMap", "volumes/configMap/name"),
    ("ConfigMap", "volumes/projected/sources/configMap/name"),
    ("ConfigMap", "containers/env/valueFrom/configMapKeyRef/name"),
    (
        "ConfigMap",
        "initContainers/env/valueFrom/configMapKeyRef/name",
    ),
    ("ConfigMap", "containers/envFrom/configMapRef/name"),
    ("ConfigMap", "initContainers/envFrom/configMapRef/name"),
    ("Secret", "volumes/secret/secretName"),
    ("Secret", "volumes/projected/sources/secret/name"),
    ("Secret", "containers/env/valueFrom/secretKeyRef/name"),
    ("Secret", "initContainers/env/valueFrom/secretKeyRef/name"),
    ("Secret", "containers/envFrom/secretRef/name"),
    ("Secret", "initContainers/envFrom/secretRef/name"),
    ("Secret", "imagePullSecrets/name"),
    ("ServiceAccount", "serviceAccountName"),
    ("ServiceAccount", "serviceAccount"),
    (
        "PersistentVolumeClaim",
        "volumes/persistentVolumeClaim/claimName",
    ),
    ("PriorityClass", "priorityClassName"),
];

/// The referring fields of an object of `kind` (role bindings, subjects and scale
/// targets, whose referred kind is in the object, are handled apart).
fn refs(kind: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    if let Some(spec) = pod_specs(kind) {
        for (k, p) in POD_REFS {
            out.push(Ref {
                kind: k,
                path: format!("{spec}/{p}"),
            });
        }
    }
    let fixed: &[(&str, &str)] = match kind {
        "StatefulSet" => &[
            ("Service", "spec/serviceName"),
            (
                "StorageClass",
                "spec/volumeClaimTemplates/spec/storageClassName",
            ),
        ],
        "Ingress" => &[
            ("Secret", "spec/tls/secretName"),
            ("Service", "spec/rules/http/paths/backend/service/name"),
            ("Service", "spec/defaultBackend/service/name"),
            ("Service", "spec/rules/http/paths/backend/serviceName"),
            ("Service", "spec/backend/serviceName"),
            // Not the IngressClass: kustomize's configuration names its group wrongly
            // (`networking.k8s.io/v1`), so ingressClassName is never rewritten.
        ],
        "PersistentVolumeClaim" => &[
            ("StorageClass", "spec/storageClassName"),
            ("PersistentVolume", "spec/volumeName"),
        ],
        "PersistentVolume" => &[("StorageClass", "spec/storageClassName")],
        "APIService" => &[("Service", "spec/service/name")],
        "ServiceAccount" => &[
            ("Secret", "imagePullSecrets/name"),
            ("Secret", "secrets/name"),
        ],
        _ => &[],
    };
    for (k, p) in fixed {
        out.push(Ref {
            kind: k,
            path: (*p).to_string(),
        });
    }
    out
}

/// What a referrer needs to know of a possible target.
struct Target {
    kind: String,
    namespace: String,
    namespaced: bool,
    names: Vec<String>,
    name: String,
}

/// Rewrites every reference to a renamed object of the build.
pub fn fix(all: &mut [Res]) {
    let targets: Vec<Target> = all
        .iter()
        .map(|r| Target {
            kind: r.kind().to_string(),
            namespace: r.namespace().to_string(),
            namespaced: transform::namespaced(r),
            names: r.history.iter().map(|(_, n)| n.clone()).collect(),
            name: r.name().to_string(),
        })
        .collect();
    for r in all.iter_mut() {
        let ns = if transform::namespaced(r) {
            Some(r.namespace().to_string())
        } else {
            None
        };
        let find = |kind: &str, name: &str, ns: Option<&str>| -> Option<&Target> {
            let found: Vec<&Target> = targets
                .iter()
                .filter(|t| {
                    t.kind == kind
                        && t.names.iter().any(|n| n == name)
                        && (!t.namespaced || ns.is_none_or(|ns| same_ns(ns, &t.namespace)))
                })
                .collect();
            match found.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        };
        let lookup =
            |kind: &str, name: &str, ns: Option<&str>| find(kind, name, ns).map(|t| t.name.clone());
        for reference in refs(r.kind()) {
            fields::visit(&mut r.value, &reference.path, false, &mut |v| {
                if let Value::String(name) = v
                    && let Some(new) = lookup(reference.kind, name, ns.as_deref())
                {
                    *name = new;
                }
            });
        }
        if matches!(r.kind(), "RoleBinding" | "ClusterRoleBinding") {
            if let Some(role) = r.value.get_mut("roleRef") {
                let kind = role["kind"].as_str().unwrap_or("").to_string();
                let scope = if kind == "Role" { ns.as_deref() } else { None };
                if let Some(Value::String(name)) = role.get_mut("name")
                    && let Some(new) = lookup(&kind, name, scope)
                {
                    *name = new;
                }
            }
            if let Some(Value::Array(subjects)) = r.value.get_mut("subjects") {
                for s in subjects {
                    if s["kind"] != "ServiceAccount" {
                        continue;
                    }
                    // A subject without a namespace is in the binding's.
                    let sns = match s["namespace"].as_str() {
                        Some(n) if !n.is_empty() => n.to_string(),
                        _ => ns.clone().unwrap_or_default(),
                    };
                    let name = s["name"].as_str().unwrap_or("");
                    if let Some(t) = find("ServiceAccount", name, Some(&sns)) {
                        s["name"] = Value::String(t.name.clone());
                        if !t.namespace.is_empty() {
                            s["namespace"] = Value::String(t.namespace.clone());
                        }
                    }
                }
            }
        }
        if r.kind() == "HorizontalPodAutoscaler"
            && let Some(target) = r.value.pointer_mut("/spec/scaleTargetRef")
        {
            let kind = target["kind"].as_str().unwrap_or("").to_string();
            if let Some(Value::String(name)) = target.get_mut("name")
                && let Some(new) = lookup(&kind, name, ns.as_deref())
            {
                *name = new;
            }
        }
    }
}

/// kustomize counts no namespace as `default`.
fn same_ns(a: &str, b: &str) -> bool {
    let norm = |s: &str| if s.is_empty() { "default" } else { s }.to_string();
    norm(a) == norm(b)
}
