//! The resources kubelite serves: names, group/version, scope and storage prefix, as
//! kube-apiserver 1.32 registers them.

pub mod custom;

/// One API resource (a REST collection), as discovery describes it.
#[derive(Debug, PartialEq, Eq)]
pub struct Resource {
    pub kind: &'static str,
    /// API group; "" for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    pub categories: &'static [&'static str],
    /// Where kube-apiserver keeps objects of this resource in etcd, below `/registry/`.
    pub storage_prefix: &'static str,
}

impl Resource {
    /// `v1` for the core group, `apps/v1` otherwise.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The resource as kubectl names it in `-o name` and in errors: `pods`, `deployments.apps`.
    pub fn qualified_plural(&self) -> String {
        qualify(self.plural, self.group)
    }

    /// `pod`, `deployment.apps`: the prefix of `-o name` lines.
    pub fn qualified_singular(&self) -> String {
        qualify(self.singular, self.group)
    }

    /// The etcd key of one object.
    pub fn storage_key(&self, namespace: Option<&str>, name: &str) -> String {
        match namespace.filter(|_| self.namespaced) {
            Some(ns) => format!("/registry/{}/{}/{}", self.storage_prefix, ns, name),
            None => format!("/registry/{}/{}", self.storage_prefix, name),
        }
    }

    /// The etcd key prefix of a collection: one namespace, or all of them.
    pub fn storage_prefix_for(&self, namespace: Option<&str>) -> String {
        match namespace.filter(|_| self.namespaced) {
            Some(ns) => format!("/registry/{}/{}/", self.storage_prefix, ns),
            None => format!("/registry/{}/", self.storage_prefix),
        }
    }

    /// The URL path of a collection (`/api/v1/namespaces/default/pods`).
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        let base = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        match namespace.filter(|_| self.namespaced) {
            Some(ns) => format!("{base}/namespaces/{ns}/{}", self.plural),
            None => format!("{base}/{}", self.plural),
        }
    }
}

fn qualify(name: &str, group: &str) -> String {
    if group.is_empty() {
        name.to_string()
    } else {
        format!("{name}.{group}")
    }
}

macro_rules! resource {
    ($kind:literal, $group:literal, $plural:literal, $singular:literal, [$($short:literal),*], $ns:literal, [$($cat:literal),*], $prefix:literal) => {
        Resource {
            kind: $kind,
            group: $group,
            version: "v1",
            plural: $plural,
            singular: $singular,
            short_names: &[$($short),*],
            namespaced: $ns,
            categories: &[$($cat),*],
            storage_prefix: $prefix,
        }
    };
}

/// The verbs every resource supports (kubelite serves the whole REST surface for each),
/// as discovery lists them.
pub const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// The verbs of a resource: `VERBS`, but for the read-only ones the API server computes
/// and the create-only ones.
pub fn verbs_of(r: &Resource) -> &'static [&'static str] {
    if is_computed(r) {
        &["get", "list"]
    } else if is_create_only(r) {
        &["create"]
    } else {
        VERBS
    }
}

/// Resources that are only ever created, never stored or read: the v1 `bindings` of
/// kube-apiserver, which bind the pod they name to a node as `pods/binding` does (kube keeps
/// them for schedulers older than the subresource).
pub fn is_create_only(r: &Resource) -> bool {
    (r.group, r.plural) == ("", "bindings")
}

/// Whether kube-apiserver 1.32 serves `<plural>/status` for `r` (its discovery lists
/// `<plural>/status`); a custom resource has one when its definition asks for it. Every
/// other kind answers 404 there, for reads and writes alike.
pub fn has_status(r: &Resource) -> bool {
    if let Some(d) = custom::definition_of(r) {
        return d.status;
    }
    matches!(
        (r.group, r.plural),
        (
            "",
            "namespaces"
                | "nodes"
                | "persistentvolumeclaims"
                | "persistentvolumes"
                | "pods"
                | "replicationcontrollers"
                | "resourcequotas"
                | "services"
        ) | (
            "admissionregistration.k8s.io",
            "validatingadmissionpolicies"
        ) | ("apiextensions.k8s.io", "customresourcedefinitions")
            | ("apiregistration.k8s.io", "apiservices")
            | (
                "apps",
                "daemonsets" | "deployments" | "replicasets" | "statefulsets"
            )
            | ("autoscaling", "horizontalpodautoscalers")
            | ("batch", "cronjobs" | "jobs")
            | ("certificates.k8s.io", "certificatesigningrequests")
            | (
                "flowcontrol.apiserver.k8s.io",
                "flowschemas" | "prioritylevelconfigurations"
            )
            | ("networking.k8s.io", "ingresses")
            | ("policy", "poddisruptionbudgets")
            | ("storage.k8s.io", "volumeattachments")
    )
}

/// Whether `r` has a `scale` subresource: the workload kinds kube gives one, and custom
/// resources whose definition asks for it.
pub fn has_scale(r: &Resource) -> bool {
    if let Some(d) = custom::definition_of(r) {
        return d.scale.is_some();
    }
    matches!(
        (r.group, r.plural),
        ("apps", "deployments" | "replicasets" | "statefulsets") | ("", "replicationcontrollers")
    )
}

/// Whether objects of `r` can be listed (every resource but the create-only ones).
pub fn is_listable(r: &Resource) -> bool {
    !is_create_only(r)
}

/// Resources the API server computes when asked instead of storing (`apiserver::computed`):
/// ComponentStatuses (its components' health) and APIServices (one per group-version it
/// serves itself, plus the metrics-server's).
pub fn is_computed(r: &Resource) -> bool {
    matches!(
        (r.group, r.plural),
        ("", "componentstatuses") | ("apiregistration.k8s.io", "apiservices")
    )
}

/// The warning kube-apiserver sends with every request of a deprecated resource.
pub fn deprecation(r: &Resource) -> Option<&'static str> {
    ((r.group, r.plural) == ("", "componentstatuses"))
        .then_some("v1 ComponentStatus is deprecated in v1.19+")
}

/// Every resource, in the order `kubectl api-resources` lists them (core group first, then by group).
pub static RESOURCES: &[Resource] = &[
    // Create-only (`is_create_only`): never stored, so its prefix is its own.
    resource!(
        "Binding",
        "",
        "bindings",
        "binding",
        [],
        true,
        [],
        "bindings"
    ),
    resource!(
        "ComponentStatus",
        "",
        "componentstatuses",
        "componentstatus",
        ["cs"],
        false,
        [],
        "componentstatuses"
    ),
    resource!(
        "ConfigMap",
        "",
        "configmaps",
        "configmap",
        ["cm"],
        true,
        [],
        "configmaps"
    ),
    resource!(
        "Endpoints",
        "",
        "endpoints",
        "endpoints",
        ["ep"],
        true,
        [],
        "services/endpoints"
    ),
    resource!("Event", "", "events", "event", ["ev"], true, [], "events"),
    resource!(
        "LimitRange",
        "",
        "limitranges",
        "limitrange",
        ["limits"],
        true,
        [],
        "limitranges"
    ),
    resource!(
        "Namespace",
        "",
        "namespaces",
        "namespace",
        ["ns"],
        false,
        [],
        "namespaces"
    ),
    resource!("Node", "", "nodes", "node", ["no"], false, [], "minions"),
    resource!(
        "PersistentVolumeClaim",
        "",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        ["pvc"],
        true,
        [],
        "persistentvolumeclaims"
    ),
    resource!(
        "PersistentVolume",
        "",
        "persistentvolumes",
        "persistentvolume",
        ["pv"],
        false,
        [],
        "persistentvolumes"
    ),
    resource!("Pod", "", "pods", "pod", ["po"], true, ["all"], "pods"),
    resource!(
        "PodTemplate",
        "",
        "podtemplates",
        "podtemplate",
        [],
        true,
        [],
        "podtemplates"
    ),
    resource!(
        "ReplicationController",
        "",
        "replicationcontrollers",
        "replicationcontroller",
        ["rc"],
        true,
        ["all"],
        "controllers"
    ),
    resource!(
        "ResourceQuota",
        "",
        "resourcequotas",
        "resourcequota",
        ["quota"],
        true,
        [],
        "resourcequotas"
    ),
    resource!("Secret", "", "secrets", "secret", [], true, [], "secrets"),
    resource!(
        "ServiceAccount",
        "",
        "serviceaccounts",
        "serviceaccount",
        ["sa"],
        true,
        [],
        "serviceaccounts"
    ),
    resource!(
        "Service",
        "",
        "services",
        "service",
        ["svc"],
        true,
        ["all"],
        "services/specs"
    ),
    // Computed from the served group-versions (`apiserver::computed`).
    resource!(
        "MutatingWebhookConfiguration",
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        "mutatingwebhookconfiguration",
        [],
        false,
        ["api-extensions"],
        "mutatingwebhookconfigurations"
    ),
    resource!(
        "ValidatingAdmissionPolicy",
        "admissionregistration.k8s.io",
        "validatingadmissionpolicies",
        "validatingadmissionpolicy",
        [],
        false,
        ["api-extensions"],
        "validatingadmissionpolicies"
    ),
    resource!(
        "ValidatingAdmissionPolicyBinding",
        "admissionregistration.k8s.io",
        "validatingadmissionpolicybindings",
        "validatingadmissionpolicybinding",
        [],
        false,
        ["api-extensions"],
        "validatingadmissionpolicybindings"
    ),
    resource!(
        "ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        "validatingwebhookconfiguration",
        [],
        false,
        ["api-extensions"],
        "validatingwebhookconfigurations"
    ),
    resource!(
        "CustomResourceDefinition",
        "apiextensions.k8s.io",
        "customresourcedefinitions",
        "customresourcedefinition",
        ["crd", "crds"],
        false,
        ["api-extensions"],
        "apiextensions.k8s.io/customresourcedefinitions"
    ),
    resource!(
        "APIService",
        "apiregistration.k8s.io",
        "apiservices",
        "apiservice",
        [],
        false,
        [],
        "apiregistration.k8s.io/apiservices"
    ),
    resource!(
        "ControllerRevision",
        "apps",
        "controllerrevisions",
        "controllerrevision",
        [],
        true,
        [],
        "controllerrevisions"
    ),
    resource!(
        "DaemonSet",
        "apps",
        "daemonsets",
        "daemonset",
        ["ds"],
        true,
        ["all"],
        "daemonsets"
    ),
    resource!(
        "Deployment",
        "apps",
        "deployments",
        "deployment",
        ["deploy"],
        true,
        ["all"],
        "deployments"
    ),
    resource!(
        "ReplicaSet",
        "apps",
        "replicasets",
        "replicaset",
        ["rs"],
        true,
        ["all"],
        "replicasets"
    ),
    resource!(
        "StatefulSet",
        "apps",
        "statefulsets",
        "statefulset",
        ["sts"],
        true,
        ["all"],
        "statefulsets"
    ),
    // Served at autoscaling/v2, kube-apiserver's preferred and storage version; autoscaling/v1
    // is in `OTHER_VERSIONS`.
    Resource {
        kind: "HorizontalPodAutoscaler",
        group: "autoscaling",
        version: "v2",
        plural: "horizontalpodautoscalers",
        singular: "horizontalpodautoscaler",
        short_names: &["hpa"],
        namespaced: true,
        categories: &["all"],
        storage_prefix: "horizontalpodautoscalers",
    },
    resource!(
        "CronJob",
        "batch",
        "cronjobs",
        "cronjob",
        ["cj"],
        true,
        ["all"],
        "cronjobs"
    ),
    resource!("Job", "batch", "jobs", "job", [], true, ["all"], "jobs"),
    resource!(
        "CertificateSigningRequest",
        "certificates.k8s.io",
        "certificatesigningrequests",
        "certificatesigningrequest",
        ["csr"],
        false,
        [],
        "certificatesigningrequests"
    ),
    resource!(
        "Lease",
        "coordination.k8s.io",
        "leases",
        "lease",
        [],
        true,
        [],
        "leases"
    ),
    resource!(
        "EndpointSlice",
        "discovery.k8s.io",
        "endpointslices",
        "endpointslice",
        [],
        true,
        [],
        "endpointslices"
    ),
    // The core Events, under events.k8s.io's names (`apiserver` converts them).
    resource!(
        "Event",
        "events.k8s.io",
        "events",
        "event",
        ["ev"],
        true,
        [],
        "events"
    ),
    resource!(
        "FlowSchema",
        "flowcontrol.apiserver.k8s.io",
        "flowschemas",
        "flowschema",
        [],
        false,
        [],
        "flowschemas"
    ),
    resource!(
        "PriorityLevelConfiguration",
        "flowcontrol.apiserver.k8s.io",
        "prioritylevelconfigurations",
        "prioritylevelconfiguration",
        [],
        false,
        [],
        "prioritylevelconfigurations"
    ),
    resource!(
        "IngressClass",
        "networking.k8s.io",
        "ingressclasses",
        "ingressclass",
        [],
        false,
        [],
        "ingressclasses"
    ),
    resource!(
        "Ingress",
        "networking.k8s.io",
        "ingresses",
        "ingress",
        ["ing"],
        true,
        [],
        "ingress"
    ),
    resource!(
        "NetworkPolicy",
        "networking.k8s.io",
        "networkpolicies",
        "networkpolicy",
        ["netpol"],
        true,
        [],
        "networkpolicies"
    ),
    resource!(
        "RuntimeClass",
        "node.k8s.io",
        "runtimeclasses",
        "runtimeclass",
        [],
        false,
        [],
        "runtimeclasses"
    ),
    resource!(
        "PodDisruptionBudget",
        "policy",
        "poddisruptionbudgets",
        "poddisruptionbudget",
        ["pdb"],
        true,
        [],
        "poddisruptionbudgets"
    ),
    resource!(
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        "clusterrolebindings",
        "clusterrolebinding",
        [],
        false,
        [],
        "clusterrolebindings"
    ),
    resource!(
        "ClusterRole",
        "rbac.authorization.k8s.io",
        "clusterroles",
        "clusterrole",
        [],
        false,
        [],
        "clusterroles"
    ),
    resource!(
        "RoleBinding",
        "rbac.authorization.k8s.io",
        "rolebindings",
        "rolebinding",
        [],
        true,
        [],
        "rolebindings"
    ),
    resource!(
        "Role",
        "rbac.authorization.k8s.io",
        "roles",
        "role",
        [],
        true,
        [],
        "roles"
    ),
    resource!(
        "PriorityClass",
        "scheduling.k8s.io",
        "priorityclasses",
        "priorityclass",
        ["pc"],
        false,
        [],
        "priorityclasses"
    ),
    resource!(
        "CSIDriver",
        "storage.k8s.io",
        "csidrivers",
        "csidriver",
        [],
        false,
        [],
        "csidrivers"
    ),
    resource!(
        "CSINode",
        "storage.k8s.io",
        "csinodes",
        "csinode",
        [],
        false,
        [],
        "csinodes"
    ),
    resource!(
        "CSIStorageCapacity",
        "storage.k8s.io",
        "csistoragecapacities",
        "csistoragecapacity",
        [],
        true,
        [],
        "csistoragecapacities"
    ),
    resource!(
        "StorageClass",
        "storage.k8s.io",
        "storageclasses",
        "storageclass",
        ["sc"],
        false,
        [],
        "storageclasses"
    ),
    resource!(
        "VolumeAttachment",
        "storage.k8s.io",
        "volumeattachments",
        "volumeattachment",
        [],
        false,
        [],
        "volumeattachments"
    ),
];

/// Resources also served at a version that is not their group's preferred one: the same
/// stored objects, converted on the way in and out (`apiserver::versions`). Discovery lists
/// them after the preferred version; kubectl picks them only when told (`hpa.v1.autoscaling`,
/// a manifest's `apiVersion`).
pub static OTHER_VERSIONS: &[Resource] = &[Resource {
    kind: "HorizontalPodAutoscaler",
    group: "autoscaling",
    version: "v1",
    plural: "horizontalpodautoscalers",
    singular: "horizontalpodautoscaler",
    short_names: &["hpa"],
    namespaced: true,
    categories: &["all"],
    storage_prefix: "horizontalpodautoscalers",
}];

/// The resource whose objects `r`'s are, for one stored under another's keys (another
/// version, or events.k8s.io's Events, which are core Events): the first in the registry
/// with the same storage prefix.
pub fn stored_version_of(r: &Resource) -> Option<&'static Resource> {
    if let Some(d) = custom::definition_of(r) {
        return d.storage;
    }
    let stored = RESOURCES
        .iter()
        .find(|s| s.storage_prefix == r.storage_prefix)?;
    (stored != r).then_some(stored)
}

/// The registry's own `&'static` copy of `r` (built-in or custom), for what must outlive a
/// borrowed resource, such as the version a write came through.
pub fn interned(r: &Resource) -> Option<&'static Resource> {
    if let Some(d) = custom::definition_of(r) {
        return Some(&d.resource);
    }
    RESOURCES.iter().chain(OTHER_VERSIONS).find(|s| *s == r)
}

/// The built-in resources stored with `r` (its other versions, and a resource of another
/// group kept under the same keys): kube's equivalent resources, whose identity is the
/// storage prefix, in the registry's order. Custom resources are the API server's business.
pub fn equivalents_of(r: &Resource) -> Vec<&'static Resource> {
    RESOURCES
        .iter()
        .chain(OTHER_VERSIONS)
        .filter(|s| s.storage_prefix == r.storage_prefix)
        .collect()
}

/// Finds a resource by any name kubectl accepts for it: plural, singular, short name or kind,
/// case-insensitively, optionally qualified by its group (`deployments.apps`, `deploy.apps`).
pub fn find(name: &str) -> Option<&'static Resource> {
    let name = name.to_ascii_lowercase();
    let (base, group) = match name.split_once('.') {
        Some((base, group)) => (base.to_string(), Some(group.to_string())),
        None => (name.clone(), None),
    };
    let names_match = |r: &Resource| {
        r.plural == base
            || r.singular == base
            || r.short_names.contains(&base.as_str())
            || r.kind.eq_ignore_ascii_case(&base)
    };
    let preferred = RESOURCES.iter().find(|r| {
        names_match(r)
            && match &group {
                None => true,
                // `deployments.apps` and `deployments.v1.apps` both name the group.
                Some(g) => g == r.group || *g == format!("{}.{}", r.version, r.group),
            }
    });
    // Another version only when the name spells it out (`horizontalpodautoscalers.v1.autoscaling`;
    // a short name loses its version in kubectl's expansion, so `hpa.v1.autoscaling` does not).
    preferred.or_else(|| {
        let g = group?;
        OTHER_VERSIONS
            .iter()
            .find(|r| {
                names_match(r)
                    && !r.short_names.contains(&base.as_str())
                    && g == format!("{}.{}", r.version, r.group)
            })
            .or_else(|| {
                RESOURCES.iter().find(|r| {
                    r.short_names.contains(&base.as_str())
                        && g.split_once('.').is_some_and(|(_, rest)| rest == r.group)
                })
            })
    })
}

/// Finds the resource of a manifest's `apiVersion` and `kind`.
/// Whether the cluster serves `r` (the same group, version and resource as one it knows).
pub fn serves(r: &Resource) -> bool {
    RESOURCES
        .iter()
        .chain(OTHER_VERSIONS)
        .any(|s| (s.group, s.version, s.plural) == (r.group, r.version, r.plural))
}

pub fn find_by_kind(api_version: &str, kind: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .chain(OTHER_VERSIONS)
        .find(|r| r.kind == kind && r.api_version() == api_version)
        .or_else(|| custom::seen_kind(api_version, kind))
}

/// Resources with this kind under any version, to tell "wrong apiVersion" from "unknown kind".
pub fn kind_exists(kind: &str) -> bool {
    RESOURCES.iter().any(|r| r.kind == kind)
}

/// The resources of a category (`all`).
pub fn category(name: &str) -> Vec<&'static Resource> {
    RESOURCES
        .iter()
        .filter(|r| r.categories.contains(&name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_every_name() {
        for name in ["pods", "pod", "po", "Pod", "PODS"] {
            assert_eq!(find(name).map(|r| r.kind), Some("Pod"), "{name}");
        }
        assert_eq!(find("deploy.apps").map(|r| r.kind), Some("Deployment"));
        assert_eq!(
            find("deployments.v1.apps").map(|r| r.kind),
            Some("Deployment")
        );
        assert_eq!(find("deployments.batch"), None);
        assert_eq!(find("hpa").map(|r| r.version), Some("v2"));
        assert_eq!(find("hpa.v1.autoscaling").map(|r| r.version), Some("v2"));
        let v1 = find("horizontalpodautoscalers.v1.autoscaling").expect("hpa v1");
        assert_eq!(v1.version, "v1");
        assert_eq!(stored_version_of(v1).map(|r| r.version), Some("v2"));
        assert_eq!(stored_version_of(find("hpa").unwrap()), None);
        let events = find("events.events.k8s.io").expect("events.k8s.io");
        assert_eq!(stored_version_of(events).map(|r| r.group), Some(""));
        assert_eq!(find("ev").map(|r| r.group), Some(""));
        assert_eq!(
            find_by_kind("autoscaling/v1", "HorizontalPodAutoscaler").map(|r| r.version),
            Some("v1")
        );
        assert_eq!(find("nothing"), None);
    }

    #[test]
    fn storage_keys_are_kube_apiservers() {
        let svc = find("svc").unwrap();
        assert_eq!(
            svc.storage_key(Some("default"), "web"),
            "/registry/services/specs/default/web"
        );
        let node = find("node").unwrap();
        assert_eq!(
            node.storage_key(Some("ignored"), "n1"),
            "/registry/minions/n1"
        );
        assert_eq!(
            find("ep").unwrap().storage_prefix_for(None),
            "/registry/services/endpoints/"
        );
    }

    #[test]
    fn names_for_output() {
        let d = find("deployment").unwrap();
        assert_eq!(d.qualified_singular(), "deployment.apps");
        assert_eq!(d.api_version(), "apps/v1");
        assert_eq!(
            d.collection_path(Some("x")),
            "/apis/apps/v1/namespaces/x/deployments"
        );
        assert_eq!(find("pod").unwrap().qualified_singular(), "pod");
    }

    #[test]
    fn all_category() {
        let kinds: Vec<_> = category("all").iter().map(|r| r.kind).collect();
        assert!(kinds.contains(&"Pod") && kinds.contains(&"Deployment"));
        assert!(!kinds.contains(&"Node"));
    }
}
