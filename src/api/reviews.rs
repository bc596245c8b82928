//! The self-subject reviews kube-apiserver serves to every authenticated user:
//! `authorization.k8s.io/v1` SelfSubjectAccessReview ("may I?") and SelfSubjectRulesReview
//! ("what may I?"), and `authentication.k8s.io/v1` SelfSubjectReview ("who am I?"). They
//! are created (POST) and answered at once, never stored. SubjectAccessReview asks about
//! another user (for those allowed to create it: masters, system:auth-delegator), and
//! LocalSubjectAccessReview the same within one namespace.

use super::registry::Resource;

pub const AUTHORIZATION: &str = "authorization.k8s.io";
pub const AUTHENTICATION: &str = "authentication.k8s.io";
/// The only verb of a review.
pub const VERBS: &[&str] = &["create"];

/// The one namespaced review: a SubjectAccessReview within the namespace it is created in.
const LOCAL: &str = "localsubjectaccessreviews";

const fn review(
    kind: &'static str,
    group: &'static str,
    plural: &'static str,
    singular: &'static str,
) -> Resource {
    Resource {
        kind,
        group,
        version: "v1",
        plural,
        singular,
        short_names: &[],
        namespaced: false,
        categories: &[],
        storage_prefix: "",
    }
}

/// In the order of their groups in kube-apiserver's discovery.
pub static RESOURCES: &[Resource] = &[
    review(
        "SelfSubjectReview",
        AUTHENTICATION,
        "selfsubjectreviews",
        "selfsubjectreview",
    ),
    review("TokenReview", AUTHENTICATION, "tokenreviews", "tokenreview"),
    Resource {
        namespaced: true,
        ..review(
            "LocalSubjectAccessReview",
            AUTHORIZATION,
            LOCAL,
            "localsubjectaccessreview",
        )
    },
    review(
        "SelfSubjectAccessReview",
        AUTHORIZATION,
        "selfsubjectaccessreviews",
        "selfsubjectaccessreview",
    ),
    review(
        "SelfSubjectRulesReview",
        AUTHORIZATION,
        "selfsubjectrulesreviews",
        "selfsubjectrulesreview",
    ),
    review(
        "SubjectAccessReview",
        AUTHORIZATION,
        "subjectaccessreviews",
        "subjectaccessreview",
    ),
];

pub fn is_review(r: &Resource) -> bool {
    RESOURCES
        .iter()
        .any(|x| x.group == r.group && x.plural == r.plural)
}

pub fn find(plural: &str) -> &'static Resource {
    RESOURCES
        .iter()
        .find(|r| r.plural == plural)
        .expect("a review resource")
}
