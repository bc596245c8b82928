//! The shape of ValidatingWebhookConfiguration and MutatingWebhookConfiguration (fields,
//! list kinds and required fields as kube-apiserver 1.32's OpenAPI has them).

use super::{ATOMIC_ANY, I32, KIND_STR, OBJECT_META, STR, STRINGS, Ty, f, r, z};

static SERVICE_REFERENCE: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.ServiceReference",
    &[
        r("namespace", STR),
        r("name", STR),
        f("path", STR),
        f("port", I32),
    ],
);
static CLIENT_CONFIG: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.WebhookClientConfig",
    &[
        f("url", STR),
        f("service", &SERVICE_REFERENCE),
        f("caBundle", &Ty::Str("[]uint8")),
    ],
);
static RULE: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.RuleWithOperations",
    &[
        f("operations", STRINGS),
        f("apiGroups", STRINGS),
        f("apiVersions", STRINGS),
        f("resources", STRINGS),
        f("scope", STR),
    ],
);
static MATCH_CONDITION: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.MatchCondition",
    &[r("name", STR), r("expression", STR)],
);
pub(super) const MATCH_CONDITIONS: &Ty = &Ty::Keyed(&["name"], &MATCH_CONDITION);

static VALIDATING_WEBHOOK: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.ValidatingWebhook",
    &[
        r("name", STR),
        r("clientConfig", &CLIENT_CONFIG),
        f("rules", &Ty::List(&RULE)),
        f("failurePolicy", STR),
        f("matchPolicy", STR),
        f("namespaceSelector", ATOMIC_ANY),
        f("objectSelector", ATOMIC_ANY),
        r("sideEffects", STR),
        f("timeoutSeconds", I32),
        r("admissionReviewVersions", STRINGS),
        f("matchConditions", MATCH_CONDITIONS),
    ],
);
static MUTATING_WEBHOOK: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.MutatingWebhook",
    &[
        r("name", STR),
        r("clientConfig", &CLIENT_CONFIG),
        f("rules", &Ty::List(&RULE)),
        f("failurePolicy", STR),
        f("matchPolicy", STR),
        f("namespaceSelector", ATOMIC_ANY),
        f("objectSelector", ATOMIC_ANY),
        r("sideEffects", STR),
        f("timeoutSeconds", I32),
        r("admissionReviewVersions", STRINGS),
        f("reinvocationPolicy", STR),
        f("matchConditions", MATCH_CONDITIONS),
    ],
);

pub static VALIDATING_CONFIGURATION: Ty = Ty::Struct(
    "",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        f("webhooks", &Ty::Keyed(&["name"], &VALIDATING_WEBHOOK)),
    ],
);
pub static MUTATING_CONFIGURATION: Ty = Ty::Struct(
    "",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        f("webhooks", &Ty::Keyed(&["name"], &MUTATING_WEBHOOK)),
    ],
);

/// The type of one of these kinds (all fully described).
pub fn of_kind(kind: &str) -> Option<&'static Ty> {
    Some(match kind {
        "ValidatingWebhookConfiguration" => &VALIDATING_CONFIGURATION,
        "MutatingWebhookConfiguration" => &MUTATING_CONFIGURATION,
        _ => return None,
    })
}
