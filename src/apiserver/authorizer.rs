//! What a user may do: the one decision serve's authorization (`server::authz`) applies
//! to every request, and that SelfSubjectAccessReview and SelfSubjectRulesReview report,
//! so that their answers stay true whatever the rule becomes (RBAC, later).
//!
//! Today's rule: members of `system:masters` may do everything; every other
//! authenticated user may read (get, list, watch) any resource but `pods/exec` (and the
//! reviews, which are only created), reach
//! every non-resource path (discovery, OpenAPI, version, health), and ask who they are
//! and what they may do (kube-apiserver's `system:basic-user`: create the self-subject
//! reviews).

/// The group whose members may do anything.
pub const MASTERS: &str = "system:masters";

/// Who asks.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub name: String,
    pub groups: Vec<String>,
}

impl User {
    pub fn is_master(&self) -> bool {
        self.groups.iter().any(|g| g == MASTERS)
    }
}

/// What is asked, as kube-apiserver's authorizers see a request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attributes {
    pub verb: String,
    /// `None`: a non-resource request (`path`).
    pub resource: Option<ResourceAttributes>,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceAttributes {
    pub group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
}

/// The self-subject reviews every authenticated user may create: (group, resource).
pub const SELF_REVIEWS: &[(&str, &str)] = &[
    ("authorization.k8s.io", "selfsubjectaccessreviews"),
    ("authorization.k8s.io", "selfsubjectrulesreviews"),
    ("authentication.k8s.io", "selfsubjectreviews"),
];

const READS: &[&str] = &["get", "list", "watch"];

/// Whether `user` may do `what`.
pub fn allowed(user: &User, what: &Attributes) -> bool {
    if user.is_master() {
        return true;
    }
    let Some(r) = &what.resource else {
        return true;
    };
    let review = r.subresource.is_empty()
        && SELF_REVIEWS
            .iter()
            .any(|(g, res)| *g == r.group && *res == r.resource);
    if READS.contains(&what.verb.as_str()) {
        // Reviews are only ever created.
        let exec = r.group.is_empty() && r.resource == "pods" && r.subresource == "exec";
        return !(review || exec);
    }
    what.verb == "create" && review
}

/// The verbs a resource rule may name, in kube-apiserver's order.
pub const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn user(groups: &[&str]) -> User {
        User {
            name: "u".into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn on(verb: &str, group: &str, resource: &str, sub: &str) -> Attributes {
        Attributes {
            verb: verb.into(),
            resource: Some(ResourceAttributes {
                group: group.into(),
                resource: resource.into(),
                subresource: sub.into(),
                ..Default::default()
            }),
            path: String::new(),
        }
    }

    #[test]
    fn masters_do_everything_others_read_and_ask() {
        let admin = user(&[MASTERS, "system:authenticated"]);
        let viewer = user(&["system:authenticated"]);
        assert!(allowed(&admin, &on("delete", "apps", "deployments", "")));
        assert!(allowed(&viewer, &on("list", "", "pods", "")));
        assert!(allowed(&viewer, &on("get", "", "pods", "log")));
        assert!(!allowed(&viewer, &on("get", "", "pods", "exec")));
        assert!(!allowed(&viewer, &on("create", "", "pods", "")));
        assert!(allowed(
            &viewer,
            &on(
                "create",
                "authorization.k8s.io",
                "selfsubjectaccessreviews",
                ""
            )
        ));
        let healthz = Attributes {
            verb: "post".into(),
            resource: None,
            path: "/healthz".into(),
        };
        assert!(allowed(&viewer, &healthz));
    }
}
