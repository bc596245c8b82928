//! The shape of PodDisruptionBudget, PriorityClass, RuntimeClass, Ingress, IngressClass,
//! NetworkPolicy, ReplicationController and PodTemplate (fields, list kinds, required
//! fields as kube-apiserver 1.32's OpenAPI has them).

use super::{
    ATOMIC_ANY, BOOL, I32, I64, INT_OR_STRING, KIND_STR, OBJECT_META, POD_TEMPLATE_SPEC,
    RESOURCE_LIST, STR, STRING_MAP, STRINGS, TIME, TOLERATION, Ty, f, r, rz, z,
};

const CONDITIONS: &Ty = &Ty::Keyed(&["type"], ATOMIC_ANY);

/// kind, apiVersion and metadata, then the kind's own fields.
macro_rules! top {
    ($name:ident, $($field:expr),* $(,)?) => {
        pub static $name: Ty = Ty::Struct(
            "",
            &[f("kind", KIND_STR), f("apiVersion", KIND_STR), z("metadata", &OBJECT_META), $($field),*],
        );
    };
}

static PDB_SPEC: Ty = Ty::Struct(
    "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
    &[
        f("minAvailable", INT_OR_STRING),
        f("selector", ATOMIC_ANY),
        f("maxUnavailable", INT_OR_STRING),
        f(
            "unhealthyPodEvictionPolicy",
            &Ty::Str("v1.UnhealthyPodEvictionPolicyType"),
        ),
    ],
);
static PDB_STATUS: Ty = Ty::Struct(
    "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
    &[
        f("observedGeneration", I64),
        f("disruptedPods", &Ty::Map(TIME)),
        rz("disruptionsAllowed", I32),
        rz("currentHealthy", I32),
        rz("desiredHealthy", I32),
        rz("expectedPods", I32),
        f("conditions", CONDITIONS),
    ],
);
top!(PDB, z("spec", &PDB_SPEC), z("status", &PDB_STATUS));

top!(
    PRIORITY_CLASS,
    r("value", I32),
    f("globalDefault", BOOL),
    f("description", STR),
    f("preemptionPolicy", &Ty::Str("v1.PreemptionPolicy")),
);

static OVERHEAD: Ty = Ty::Struct(
    "io.k8s.api.node.v1.Overhead",
    &[f("podFixed", RESOURCE_LIST)],
);
static SCHEDULING: Ty = Ty::Struct(
    "io.k8s.api.node.v1.Scheduling",
    &[
        f("nodeSelector", &Ty::Atomic(STRING_MAP)),
        f("tolerations", &Ty::List(&TOLERATION)),
    ],
);
top!(
    RUNTIME_CLASS,
    r("handler", STR),
    f("overhead", &OVERHEAD),
    f("scheduling", &SCHEDULING),
);

static TYPED_LOCAL_REFERENCE: Ty = Ty::Struct(
    "io.k8s.api.core.v1.TypedLocalObjectReference",
    &[f("apiGroup", STR), r("kind", STR), r("name", STR)],
);
static SERVICE_BACKEND_PORT: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.ServiceBackendPort",
    &[f("name", STR), f("number", I32)],
);
static SERVICE_BACKEND: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressServiceBackend",
    &[r("name", STR), z("port", &SERVICE_BACKEND_PORT)],
);
static BACKEND: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressBackend",
    &[
        f("service", &SERVICE_BACKEND),
        f("resource", &TYPED_LOCAL_REFERENCE),
    ],
);
static HTTP_PATH: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.HTTPIngressPath",
    &[
        f("path", STR),
        r("pathType", &Ty::Str("v1.PathType")),
        rz("backend", &BACKEND),
    ],
);
static HTTP_RULE: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.HTTPIngressRuleValue",
    &[rz("paths", &Ty::List(&HTTP_PATH))],
);
static RULE: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressRule",
    &[f("host", STR), f("http", &HTTP_RULE)],
);
static TLS: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressTLS",
    &[f("hosts", STRINGS), f("secretName", STR)],
);
static INGRESS_SPEC: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressSpec",
    &[
        f("ingressClassName", STR),
        f("defaultBackend", &BACKEND),
        f("tls", &Ty::List(&TLS)),
        f("rules", &Ty::List(&RULE)),
    ],
);
static PORT_STATUS: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressPortStatus",
    &[
        r("port", I32),
        r("protocol", &Ty::Str("v1.Protocol")),
        f("error", STR),
    ],
);
static LB_INGRESS: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressLoadBalancerIngress",
    &[
        f("ip", STR),
        f("hostname", STR),
        f("ports", &Ty::List(&PORT_STATUS)),
    ],
);
static LB_STATUS: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressLoadBalancerStatus",
    &[f("ingress", &Ty::List(&LB_INGRESS))],
);
static INGRESS_STATUS: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressStatus",
    &[z("loadBalancer", &LB_STATUS)],
);
top!(
    INGRESS,
    z("spec", &INGRESS_SPEC),
    z("status", &INGRESS_STATUS)
);

static CLASS_PARAMETERS: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressClassParametersReference",
    &[
        f("apiGroup", STR),
        r("kind", STR),
        r("name", STR),
        f("scope", STR),
        f("namespace", STR),
    ],
);
static INGRESS_CLASS_SPEC: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IngressClassSpec",
    &[f("controller", STR), f("parameters", &CLASS_PARAMETERS)],
);
top!(INGRESS_CLASS, z("spec", &INGRESS_CLASS_SPEC));

static IP_BLOCK: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.IPBlock",
    &[r("cidr", STR), f("except", STRINGS)],
);
static PEER: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.NetworkPolicyPeer",
    &[
        f("podSelector", ATOMIC_ANY),
        f("namespaceSelector", ATOMIC_ANY),
        f("ipBlock", &IP_BLOCK),
    ],
);
static POLICY_PORT: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.NetworkPolicyPort",
    &[
        f("protocol", &Ty::Str("v1.Protocol")),
        f("port", INT_OR_STRING),
        f("endPort", I32),
    ],
);
static INGRESS_RULE: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.NetworkPolicyIngressRule",
    &[
        f("ports", &Ty::List(&POLICY_PORT)),
        f("from", &Ty::List(&PEER)),
    ],
);
static EGRESS_RULE: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.NetworkPolicyEgressRule",
    &[
        f("ports", &Ty::List(&POLICY_PORT)),
        f("to", &Ty::List(&PEER)),
    ],
);
static POLICY_SPEC: Ty = Ty::Struct(
    "io.k8s.api.networking.v1.NetworkPolicySpec",
    &[
        z("podSelector", ATOMIC_ANY),
        f("ingress", &Ty::List(&INGRESS_RULE)),
        f("egress", &Ty::List(&EGRESS_RULE)),
        f("policyTypes", &Ty::List(&Ty::Str("v1.PolicyType"))),
    ],
);
top!(NETWORK_POLICY, z("spec", &POLICY_SPEC));

static RC_SPEC: Ty = Ty::Struct(
    "io.k8s.api.core.v1.ReplicationControllerSpec",
    &[
        f("replicas", I32),
        f("minReadySeconds", I32),
        f("selector", &Ty::Atomic(STRING_MAP)),
        f("template", &POD_TEMPLATE_SPEC),
    ],
);
static RC_STATUS: Ty = Ty::Struct(
    "io.k8s.api.core.v1.ReplicationControllerStatus",
    &[
        rz("replicas", I32),
        f("fullyLabeledReplicas", I32),
        f("readyReplicas", I32),
        f("availableReplicas", I32),
        f("observedGeneration", I64),
        f("conditions", CONDITIONS),
    ],
);
top!(
    REPLICATION_CONTROLLER,
    z("spec", &RC_SPEC),
    z("status", &RC_STATUS)
);

top!(POD_TEMPLATE, z("template", &POD_TEMPLATE_SPEC));

/// The type of one of these kinds (all fully described).
pub fn of_kind(kind: &str) -> Option<&'static Ty> {
    Some(match kind {
        "PodDisruptionBudget" => &PDB,
        "PriorityClass" => &PRIORITY_CLASS,
        "RuntimeClass" => &RUNTIME_CLASS,
        "Ingress" => &INGRESS,
        "IngressClass" => &INGRESS_CLASS,
        "NetworkPolicy" => &NETWORK_POLICY,
        "ReplicationController" => &REPLICATION_CONTROLLER,
        "PodTemplate" => &POD_TEMPLATE,
        _ => return None,
    })
}
