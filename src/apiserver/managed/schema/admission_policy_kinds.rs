//! The shape of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding (fields,
//! list kinds and required fields as kube-apiserver 1.32's OpenAPI has them).

use super::webhook_kinds::MATCH_CONDITIONS;
use super::{ANY, ATOMIC_ANY, I64, KIND_STR, OBJECT_META, STR, STRINGS, Ty, f, r, z};

static PARAM_KIND: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.ParamKind",
    &[f("apiVersion", STR), f("kind", STR)],
);
static NAMED_RULE: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.NamedRuleWithOperations",
    &[
        f("resourceNames", STRINGS),
        f("operations", STRINGS),
        f("apiGroups", STRINGS),
        f("apiVersions", STRINGS),
        f("resources", STRINGS),
        f("scope", STR),
    ],
);
static MATCH_RESOURCES: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.MatchResources",
    &[
        f("namespaceSelector", ATOMIC_ANY),
        f("objectSelector", ATOMIC_ANY),
        f("resourceRules", &Ty::List(&NAMED_RULE)),
        f("excludeResourceRules", &Ty::List(&NAMED_RULE)),
        f("matchPolicy", STR),
    ],
);
static VALIDATION: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.Validation",
    &[
        r("expression", STR),
        f("message", STR),
        f("reason", STR),
        f("messageExpression", STR),
    ],
);
static AUDIT_ANNOTATION: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.AuditAnnotation",
    &[r("key", STR), r("valueExpression", STR)],
);
static VARIABLE: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.Variable",
    &[r("name", STR), r("expression", STR)],
);
static POLICY_SPEC: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec",
    &[
        f("paramKind", &PARAM_KIND),
        f("matchConstraints", &MATCH_RESOURCES),
        f("validations", &Ty::List(&VALIDATION)),
        f("failurePolicy", STR),
        f("auditAnnotations", &Ty::List(&AUDIT_ANNOTATION)),
        f("matchConditions", MATCH_CONDITIONS),
        f("variables", &Ty::List(&VARIABLE)),
    ],
);
static EXPRESSION_WARNING: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.ExpressionWarning",
    &[r("fieldRef", STR), r("warning", STR)],
);
static TYPE_CHECKING: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.TypeChecking",
    &[f("expressionWarnings", &Ty::List(&EXPRESSION_WARNING))],
);
static POLICY_STATUS: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyStatus",
    &[
        f("observedGeneration", I64),
        f("typeChecking", &TYPE_CHECKING),
        f("conditions", &Ty::Keyed(&["type"], ANY)),
    ],
);
static PARAM_REF: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.ParamRef",
    &[
        f("name", STR),
        f("namespace", STR),
        f("selector", ATOMIC_ANY),
        f("parameterNotFoundAction", STR),
    ],
);
static BINDING_SPEC: Ty = Ty::Struct(
    "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec",
    &[
        f("policyName", STR),
        f("paramRef", &PARAM_REF),
        f("matchResources", &MATCH_RESOURCES),
        f("validationActions", &Ty::Set),
    ],
);

pub static POLICY: Ty = Ty::Struct(
    "",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        f("spec", &POLICY_SPEC),
        f("status", &POLICY_STATUS),
    ],
);
pub static BINDING: Ty = Ty::Struct(
    "",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        f("spec", &BINDING_SPEC),
    ],
);

/// The type of one of these kinds (both fully described).
pub fn of_kind(kind: &str) -> Option<&'static Ty> {
    Some(match kind {
        "ValidatingAdmissionPolicy" => &POLICY,
        "ValidatingAdmissionPolicyBinding" => &BINDING,
        _ => return None,
    })
}
