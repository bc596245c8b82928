//! The field order kubectl prints a server's answer to a generator in: kubectl decodes it
//! into its Go types and encodes those, so `-o json` lists each struct's fields in
//! declaration order (maps stay sorted). Only the types the generators create are known;
//! a field a type does not declare goes last, sorted.

use serde_json::{Map, Value};

/// What a field holds.
#[derive(Clone, Copy)]
enum Ty {
    /// A struct, by name in [`fields`].
    S(&'static str),
    /// A list of structs.
    L(&'static str),
    /// A map, a scalar, a list of scalars, or raw JSON: keys sorted at every depth.
    Plain,
}

use Ty::{L, Plain, S};

/// A struct's fields in declaration order.
fn fields(ty: &str) -> &'static [(&'static str, Ty)] {
    match ty {
        "ObjectMeta" => &[
            ("name", Plain),
            ("generateName", Plain),
            ("namespace", Plain),
            ("selfLink", Plain),
            ("uid", Plain),
            ("resourceVersion", Plain),
            ("generation", Plain),
            ("creationTimestamp", Plain),
            ("deletionTimestamp", Plain),
            ("deletionGracePeriodSeconds", Plain),
            ("labels", Plain),
            ("annotations", Plain),
            ("ownerReferences", L("OwnerReference")),
            ("finalizers", Plain),
            ("managedFields", L("ManagedFieldsEntry")),
        ],
        "OwnerReference" => &[
            ("apiVersion", Plain),
            ("kind", Plain),
            ("name", Plain),
            ("uid", Plain),
            ("controller", Plain),
            ("blockOwnerDeletion", Plain),
        ],
        "ManagedFieldsEntry" => &[
            ("manager", Plain),
            ("operation", Plain),
            ("apiVersion", Plain),
            ("time", Plain),
            ("fieldsType", Plain),
            ("fieldsV1", Plain),
            ("subresource", Plain),
        ],
        "Deployment" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("spec", S("DeploymentSpec")),
            ("status", S("DeploymentStatus")),
        ],
        "DeploymentSpec" => &[
            ("replicas", Plain),
            ("selector", S("LabelSelector")),
            ("template", S("PodTemplateSpec")),
            ("strategy", S("DeploymentStrategy")),
            ("minReadySeconds", Plain),
            ("revisionHistoryLimit", Plain),
            ("paused", Plain),
            ("progressDeadlineSeconds", Plain),
        ],
        "LabelSelector" => &[
            ("matchLabels", Plain),
            ("matchExpressions", L("LabelSelectorRequirement")),
        ],
        "LabelSelectorRequirement" => &[("key", Plain), ("operator", Plain), ("values", Plain)],
        "DeploymentStrategy" => &[("type", Plain), ("rollingUpdate", S("RollingUpdate"))],
        "RollingUpdate" => &[("maxUnavailable", Plain), ("maxSurge", Plain)],
        "DeploymentStatus" => &[
            ("observedGeneration", Plain),
            ("replicas", Plain),
            ("updatedReplicas", Plain),
            ("readyReplicas", Plain),
            ("availableReplicas", Plain),
            ("unavailableReplicas", Plain),
            ("terminatingReplicas", Plain),
            ("conditions", L("DeploymentCondition")),
            ("collisionCount", Plain),
        ],
        "DeploymentCondition" => &[
            ("type", Plain),
            ("status", Plain),
            ("lastUpdateTime", Plain),
            ("lastTransitionTime", Plain),
            ("reason", Plain),
            ("message", Plain),
        ],
        "Pod" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("spec", S("PodSpec")),
            ("status", Plain),
        ],
        "PodTemplateSpec" => &[("metadata", S("ObjectMeta")), ("spec", S("PodSpec"))],
        "PodSpec" => &[
            ("volumes", Plain),
            ("initContainers", L("Container")),
            ("containers", L("Container")),
            ("ephemeralContainers", Plain),
            ("restartPolicy", Plain),
            ("terminationGracePeriodSeconds", Plain),
            ("activeDeadlineSeconds", Plain),
            ("dnsPolicy", Plain),
            ("nodeSelector", Plain),
            ("serviceAccountName", Plain),
            ("serviceAccount", Plain),
            ("automountServiceAccountToken", Plain),
            ("nodeName", Plain),
            ("hostNetwork", Plain),
            ("hostPID", Plain),
            ("hostIPC", Plain),
            ("shareProcessNamespace", Plain),
            ("securityContext", Plain),
            ("imagePullSecrets", Plain),
            ("hostname", Plain),
            ("subdomain", Plain),
            ("affinity", Plain),
            ("schedulerName", Plain),
            ("tolerations", Plain),
            ("hostAliases", Plain),
            ("priorityClassName", Plain),
            ("priority", Plain),
            ("dnsConfig", Plain),
            ("readinessGates", Plain),
            ("runtimeClassName", Plain),
            ("enableServiceLinks", Plain),
            ("preemptionPolicy", Plain),
            ("overhead", Plain),
            ("topologySpreadConstraints", Plain),
            ("setHostnameAsFQDN", Plain),
            ("os", Plain),
            ("hostUsers", Plain),
            ("schedulingGates", Plain),
            ("resourceClaims", Plain),
            ("resources", Plain),
        ],
        "Container" => &[
            ("name", Plain),
            ("image", Plain),
            ("command", Plain),
            ("args", Plain),
            ("workingDir", Plain),
            ("ports", L("ContainerPort")),
            ("envFrom", L("EnvFromSource")),
            ("env", L("EnvVar")),
            ("resources", S("ResourceRequirements")),
            ("resizePolicy", Plain),
            ("restartPolicy", Plain),
            ("volumeMounts", Plain),
            ("volumeDevices", Plain),
            ("livenessProbe", Plain),
            ("readinessProbe", Plain),
            ("startupProbe", Plain),
            ("lifecycle", Plain),
            ("terminationMessagePath", Plain),
            ("terminationMessagePolicy", Plain),
            ("imagePullPolicy", Plain),
            ("securityContext", Plain),
            ("stdin", Plain),
            ("stdinOnce", Plain),
            ("tty", Plain),
        ],
        "EnvFromSource" => &[
            ("prefix", Plain),
            ("configMapRef", Plain),
            ("secretRef", Plain),
        ],
        "EnvVar" => &[
            ("name", Plain),
            ("value", Plain),
            ("valueFrom", S("EnvVarSource")),
        ],
        "EnvVarSource" => &[
            ("fieldRef", S("ObjectFieldSelector")),
            ("resourceFieldRef", S("ResourceFieldSelector")),
            ("configMapKeyRef", S("KeySelector")),
            ("secretKeyRef", S("KeySelector")),
        ],
        "ObjectFieldSelector" => &[("apiVersion", Plain), ("fieldPath", Plain)],
        "ResourceFieldSelector" => &[
            ("containerName", Plain),
            ("resource", Plain),
            ("divisor", Plain),
        ],
        // ConfigMapKeySelector and SecretKeySelector.
        "KeySelector" => &[("name", Plain), ("key", Plain), ("optional", Plain)],
        "ContainerPort" => &[
            ("name", Plain),
            ("hostPort", Plain),
            ("containerPort", Plain),
            ("protocol", Plain),
            ("hostIP", Plain),
        ],
        "ResourceRequirements" => &[("limits", Plain), ("requests", Plain), ("claims", Plain)],
        "Service" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("spec", S("ServiceSpec")),
            ("status", S("ServiceStatus")),
        ],
        "ServiceSpec" => &[
            ("ports", L("ServicePort")),
            ("selector", Plain),
            ("clusterIP", Plain),
            ("clusterIPs", Plain),
            ("type", Plain),
            ("externalIPs", Plain),
            ("sessionAffinity", Plain),
            ("loadBalancerIP", Plain),
            ("loadBalancerSourceRanges", Plain),
            ("externalName", Plain),
            ("externalTrafficPolicy", Plain),
            ("healthCheckNodePort", Plain),
            ("publishNotReadyAddresses", Plain),
            ("sessionAffinityConfig", Plain),
            ("ipFamilies", Plain),
            ("ipFamilyPolicy", Plain),
            ("allocateLoadBalancerNodePorts", Plain),
            ("loadBalancerClass", Plain),
            ("internalTrafficPolicy", Plain),
            ("trafficDistribution", Plain),
        ],
        "ServicePort" => &[
            ("name", Plain),
            ("protocol", Plain),
            ("appProtocol", Plain),
            ("port", Plain),
            ("targetPort", Plain),
            ("nodePort", Plain),
        ],
        "ServiceStatus" => &[("loadBalancer", Plain), ("conditions", Plain)],
        "Namespace" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("spec", Plain),
            ("status", S("NamespaceStatus")),
        ],
        "NamespaceStatus" => &[("phase", Plain), ("conditions", Plain)],
        "ResourceQuota" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("spec", S("ResourceQuotaSpec")),
            ("status", S("ResourceQuotaStatus")),
        ],
        "ResourceQuotaSpec" => &[("hard", Plain), ("scopes", Plain), ("scopeSelector", Plain)],
        "ResourceQuotaStatus" => &[("hard", Plain), ("used", Plain)],
        "ConfigMap" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("immutable", Plain),
            ("data", Plain),
            ("binaryData", Plain),
        ],
        "Secret" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("immutable", Plain),
            ("data", Plain),
            ("stringData", Plain),
            ("type", Plain),
        ],
        "ServiceAccount" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("secrets", Plain),
            ("imagePullSecrets", Plain),
            ("automountServiceAccountToken", Plain),
        ],
        "RoleBinding" | "ClusterRoleBinding" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("subjects", L("Subject")),
            ("roleRef", S("RoleRef")),
        ],
        "Subject" => &[
            ("kind", Plain),
            ("apiGroup", Plain),
            ("name", Plain),
            ("namespace", Plain),
        ],
        "RoleRef" => &[("apiGroup", Plain), ("kind", Plain), ("name", Plain)],
        "PriorityClass" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("value", Plain),
            ("globalDefault", Plain),
            ("description", Plain),
            ("preemptionPolicy", Plain),
        ],
        "PodDisruptionBudget" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("spec", S("PodDisruptionBudgetSpec")),
            ("status", S("PodDisruptionBudgetStatus")),
        ],
        "PodDisruptionBudgetSpec" => &[
            ("minAvailable", Plain),
            ("selector", S("LabelSelector")),
            ("maxUnavailable", Plain),
            ("unhealthyPodEvictionPolicy", Plain),
        ],
        "PodDisruptionBudgetStatus" => &[
            ("observedGeneration", Plain),
            ("disruptedPods", Plain),
            ("disruptionsAllowed", Plain),
            ("currentHealthy", Plain),
            ("desiredHealthy", Plain),
            ("expectedPods", Plain),
            ("conditions", L("Condition")),
        ],
        "Condition" => &[
            ("type", Plain),
            ("status", Plain),
            ("observedGeneration", Plain),
            ("lastTransitionTime", Plain),
            ("reason", Plain),
            ("message", Plain),
        ],
        "Ingress" => &[
            ("kind", Plain),
            ("apiVersion", Plain),
            ("metadata", S("ObjectMeta")),
            ("spec", S("IngressSpec")),
            ("status", S("IngressStatus")),
        ],
        "IngressSpec" => &[
            ("ingressClassName", Plain),
            ("defaultBackend", S("IngressBackend")),
            ("tls", L("IngressTLS")),
            ("rules", L("IngressRule")),
        ],
        "IngressBackend" => &[
            ("service", S("IngressServiceBackend")),
            ("resource", S("TypedLocalObjectReference")),
        ],
        "IngressServiceBackend" => &[("name", Plain), ("port", S("ServiceBackendPort"))],
        "ServiceBackendPort" => &[("name", Plain), ("number", Plain)],
        "TypedLocalObjectReference" => &[("apiGroup", Plain), ("kind", Plain), ("name", Plain)],
        "IngressTLS" => &[("hosts", Plain), ("secretName", Plain)],
        "IngressRule" => &[("host", Plain), ("http", S("HTTPIngressRuleValue"))],
        "HTTPIngressRuleValue" => &[("paths", L("HTTPIngressPath"))],
        "HTTPIngressPath" => &[
            ("path", Plain),
            ("pathType", Plain),
            ("backend", S("IngressBackend")),
        ],
        "IngressStatus" => &[("loadBalancer", Plain)],
        _ => &[],
    }
}

/// `object` (of a kind a generator creates) with its keys in kubectl's printing order.
pub fn typed(object: &Value) -> Value {
    const KINDS: &[&str] = &[
        "ClusterRoleBinding",
        "ConfigMap",
        "Deployment",
        "Namespace",
        "ResourceQuota",
        "RoleBinding",
        "Secret",
        "Service",
        "ServiceAccount",
        "PriorityClass",
        "PodDisruptionBudget",
        "Ingress",
    ];
    let kind = object["kind"].as_str().unwrap_or_default();
    match KINDS.iter().find(|k| **k == kind) {
        Some(k) => ordered(object, S(k)),
        None => sorted(object),
    }
}

/// A Pod `run` built (and an override changed) in kubectl's printing order.
pub fn pod(object: &Value) -> Value {
    ordered(object, S("Pod"))
}

fn ordered(v: &Value, ty: Ty) -> Value {
    match (v, ty) {
        (Value::Object(m), S(name)) => {
            let declared = fields(name);
            let mut out = Map::new();
            for (key, field_ty) in declared {
                if let Some(child) = m.get(*key) {
                    out.insert((*key).to_string(), ordered(child, *field_ty));
                }
            }
            let mut rest: Vec<(&String, &Value)> = m
                .iter()
                .filter(|(k, _)| !declared.iter().any(|(d, _)| d == k))
                .collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            for (k, child) in rest {
                out.insert(k.clone(), sorted(child));
            }
            Value::Object(out)
        }
        (Value::Array(items), L(name)) => {
            Value::Array(items.iter().map(|i| ordered(i, S(name))).collect())
        }
        _ => sorted(v),
    }
}

/// Keys sorted at every depth, as Go writes maps.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, child)| (k.clone(), sorted(child)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn structs_keep_declaration_order_and_maps_sort() {
        let v = json!({
            "status": {},
            "spec": {"type": "NodePort", "selector": {"b": "1", "a": "2"}, "ports": [
                {"nodePort": 30001, "port": 80, "name": "80"}
            ]},
            "metadata": {"uid": "u", "name": "n"},
            "apiVersion": "v1",
            "kind": "Service",
            "zzz": 1
        });
        let text = crate::print::json::to_json_compact(&v);
        assert!(text.starts_with("{\"apiVersion\""), "{text}");
        let out = serde_json::to_string(&typed(&v)).unwrap();
        assert_eq!(
            out,
            r#"{"kind":"Service","apiVersion":"v1","metadata":{"name":"n","uid":"u"},"spec":{"ports":[{"name":"80","port":80,"nodePort":30001}],"selector":{"a":"2","b":"1"},"type":"NodePort"},"status":{},"zzz":1}"#
        );
    }
}
