//! The self-subject reviews as kubectl sends them in protobuf (`auth can-i`, `auth
//! whoami`): not stored kinds, so not in the generated tables. Field numbers from the
//! `generated.proto` of `authorization.k8s.io/v1` and `authentication.k8s.io/v1` (and
//! checked against kubectl 1.32's bodies); JSON names and omission rules from the Go
//! structs.

use super::schema::{Kind::*, Message, Rule::*, Shape::*, f};
use super::tables::META_OBJECT_META;

pub static SELF_SUBJECT_ACCESS_REVIEW: Message = Message {
    name: "SelfSubjectAccessReview",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&ACCESS_SPEC), Always),
        f(3, "status", One, Msg(&ACCESS_STATUS), NonZero),
    ],
};

static ACCESS_SPEC: Message = Message {
    name: "SelfSubjectAccessReviewSpec",
    fields: &[
        f(1, "resourceAttributes", One, Msg(&RESOURCE_ATTRIBUTES), Set),
        f(
            2,
            "nonResourceAttributes",
            One,
            Msg(&NON_RESOURCE_ATTRIBUTES),
            Set,
        ),
    ],
};

static RESOURCE_ATTRIBUTES: Message = Message {
    name: "ResourceAttributes",
    fields: &[
        f(1, "namespace", One, Str, NonZero),
        f(2, "verb", One, Str, NonZero),
        f(3, "group", One, Str, NonZero),
        f(4, "version", One, Str, NonZero),
        f(5, "resource", One, Str, NonZero),
        f(6, "subresource", One, Str, NonZero),
        f(7, "name", One, Str, NonZero),
        f(8, "fieldSelector", One, Msg(&SELECTOR_ATTRIBUTES), Set),
        f(9, "labelSelector", One, Msg(&SELECTOR_ATTRIBUTES), Set),
    ],
};

static SELECTOR_ATTRIBUTES: Message = Message {
    name: "SelectorAttributes",
    fields: &[
        f(1, "rawSelector", One, Str, NonZero),
        f(2, "requirements", Many, Msg(&SELECTOR_REQUIREMENT), NonZero),
    ],
};

static SELECTOR_REQUIREMENT: Message = Message {
    name: "SelectorRequirement",
    fields: &[
        f(1, "key", One, Str, Always),
        f(2, "operator", One, Str, Always),
        f(3, "values", Many, Str, NonZero),
    ],
};

static NON_RESOURCE_ATTRIBUTES: Message = Message {
    name: "NonResourceAttributes",
    fields: &[
        f(1, "path", One, Str, NonZero),
        f(2, "verb", One, Str, NonZero),
    ],
};

static ACCESS_STATUS: Message = Message {
    name: "SubjectAccessReviewStatus",
    fields: &[
        f(1, "allowed", One, Bool, Always),
        f(4, "denied", One, Bool, NonZero),
        f(2, "reason", One, Str, NonZero),
        f(3, "evaluationError", One, Str, NonZero),
    ],
};

pub static SELF_SUBJECT_RULES_REVIEW: Message = Message {
    name: "SelfSubjectRulesReview",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&RULES_SPEC), Always),
        f(3, "status", One, Msg(&RULES_STATUS), NonZero),
    ],
};

static RULES_SPEC: Message = Message {
    name: "SelfSubjectRulesReviewSpec",
    fields: &[f(1, "namespace", One, Str, NonZero)],
};

static RULES_STATUS: Message = Message {
    name: "SubjectRulesReviewStatus",
    fields: &[
        f(1, "resourceRules", Many, Msg(&RESOURCE_RULE), Always),
        f(2, "nonResourceRules", Many, Msg(&NON_RESOURCE_RULE), Always),
        f(3, "incomplete", One, Bool, Always),
        f(4, "evaluationError", One, Str, NonZero),
    ],
};

static RESOURCE_RULE: Message = Message {
    name: "ResourceRule",
    fields: &[
        f(1, "verbs", Many, Str, Always),
        f(2, "apiGroups", Many, Str, NonZero),
        f(3, "resources", Many, Str, NonZero),
        f(4, "resourceNames", Many, Str, NonZero),
    ],
};

static NON_RESOURCE_RULE: Message = Message {
    name: "NonResourceRule",
    fields: &[
        f(1, "verbs", Many, Str, Always),
        f(2, "nonResourceURLs", Many, Str, NonZero),
    ],
};

pub static SELF_SUBJECT_REVIEW: Message = Message {
    name: "SelfSubjectReview",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "status", One, Msg(&SELF_STATUS), NonZero),
    ],
};

static SELF_STATUS: Message = Message {
    name: "SelfSubjectReviewStatus",
    fields: &[f(1, "userInfo", One, Msg(&USER_INFO), NonZero)],
};

static USER_INFO: Message = Message {
    name: "UserInfo",
    fields: &[
        f(1, "username", One, Str, NonZero),
        f(2, "uid", One, Str, NonZero),
        f(3, "groups", Many, Str, NonZero),
    ],
};
