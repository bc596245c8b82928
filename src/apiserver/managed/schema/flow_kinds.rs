//! The shape of FlowSchema and PriorityLevelConfiguration (fields, list kinds and required
//! fields as kube-apiserver 1.32's OpenAPI has them).

use super::{I32, KIND_STR, OBJECT_META, STR, TIME, Ty, f, r, rz, z};

static NAME: Ty = Ty::Struct("", &[r("name", STR)]);
static SERVICE_ACCOUNT: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.ServiceAccountSubject",
    &[r("namespace", STR), r("name", STR)],
);
static SUBJECT: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.Subject",
    &[
        r("kind", STR),
        f("user", &NAME),
        f("group", &NAME),
        f("serviceAccount", &SERVICE_ACCOUNT),
    ],
);
static RESOURCE_RULE: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.ResourcePolicyRule",
    &[
        r("verbs", &Ty::Set),
        r("apiGroups", &Ty::Set),
        r("resources", &Ty::Set),
        f("clusterScope", super::BOOL),
        f("namespaces", &Ty::Set),
    ],
);
static NON_RESOURCE_RULE: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.NonResourcePolicyRule",
    &[r("verbs", &Ty::Set), r("nonResourceURLs", &Ty::Set)],
);
static RULES: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects",
    &[
        r("subjects", &Ty::List(&SUBJECT)),
        f("resourceRules", &Ty::List(&RESOURCE_RULE)),
        f("nonResourceRules", &Ty::List(&NON_RESOURCE_RULE)),
    ],
);
static CONDITION: Ty = Ty::Struct(
    "",
    &[
        f("type", STR),
        f("status", STR),
        f("lastTransitionTime", TIME),
        f("reason", STR),
        f("message", STR),
    ],
);
static STATUS: Ty = Ty::Struct("", &[f("conditions", &Ty::Keyed(&["type"], &CONDITION))]);
static FLOW_SCHEMA_SPEC: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.FlowSchemaSpec",
    &[
        rz("priorityLevelConfiguration", &NAME),
        f("matchingPrecedence", I32),
        f("distinguisherMethod", &Ty::Struct("", &[r("type", STR)])),
        f("rules", &Ty::List(&RULES)),
    ],
);
static QUEUING: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.QueuingConfiguration",
    &[
        f("queues", I32),
        f("handSize", I32),
        f("queueLengthLimit", I32),
    ],
);
static LIMITED: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.LimitedPriorityLevelConfiguration",
    &[
        f("nominalConcurrencyShares", I32),
        f(
            "limitResponse",
            &Ty::Struct("", &[r("type", STR), f("queuing", &QUEUING)]),
        ),
        f("lendablePercent", I32),
        f("borrowingLimitPercent", I32),
    ],
);
static EXEMPT: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.ExemptPriorityLevelConfiguration",
    &[
        f("nominalConcurrencyShares", I32),
        f("lendablePercent", I32),
    ],
);
static LEVEL_SPEC: Ty = Ty::Struct(
    "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationSpec",
    &[r("type", STR), f("limited", &LIMITED), f("exempt", &EXEMPT)],
);

pub static FLOW_SCHEMA: Ty = Ty::Struct(
    "",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        z("spec", &FLOW_SCHEMA_SPEC),
        z("status", &STATUS),
    ],
);
pub static PRIORITY_LEVEL: Ty = Ty::Struct(
    "",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        z("spec", &LEVEL_SPEC),
        z("status", &STATUS),
    ],
);

/// The type of one of these kinds (all fully described).
pub fn of_kind(kind: &str) -> Option<&'static Ty> {
    Some(match kind {
        "FlowSchema" => &FLOW_SCHEMA,
        "PriorityLevelConfiguration" => &PRIORITY_LEVEL,
        _ => return None,
    })
}
