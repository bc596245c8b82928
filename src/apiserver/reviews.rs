//! The reviews (`api::reviews`), answered by the one authorizer that judges requests
//! (`ApiServer::authorize`): an access review asks it once, for the sender
//! (SelfSubjectAccessReview) or for the user the spec names (SubjectAccessReview); a rules
//! review lists the rules RBAC grants the sender in a namespace (everything for masters);
//! a self-subject review says who the sender is.

use super::ApiServer;
use super::authorizer::{Attributes, ResourceAttributes, User};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::{Value, json};

/// Answers a review object created by `user`.
pub fn answer(
    server: &ApiServer,
    user: &User,
    r: &Resource,
    body: &Value,
) -> Result<Value, ApiError> {
    if !body.is_object() {
        return Err(ApiError::bad_request(
            "the body of a review must be an object",
        ));
    }
    let mut out = json!({
        "kind": r.kind,
        "apiVersion": r.api_version(),
        "metadata": {"creationTimestamp": null},
    });
    match r.plural {
        "selfsubjectaccessreviews" => {
            let spec = body.get("spec").cloned().unwrap_or_else(|| json!({}));
            let what = attributes(r, &spec)?;
            out["spec"] = spec;
            out["status"] = status(server.decide(user, &what));
        }
        "subjectaccessreviews" | "localsubjectaccessreviews" => {
            let spec = body.get("spec").cloned().unwrap_or_else(|| json!({}));
            let subject = User {
                name: text(&spec, "user"),
                groups: spec["groups"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            if subject.name.is_empty() && subject.groups.is_empty() {
                return Err(ApiError::new(
                    422,
                    "Invalid",
                    format!(
                        "{}.{} \"\" is invalid: spec.user: Invalid value: \"\": at least one of user or group must be specified",
                        r.kind, r.group
                    ),
                ));
            }
            let local = r.namespaced.then(|| text(&body["metadata"], "namespace"));
            if let Some(ns) = &local {
                check_local(r, ns, &spec)?;
                // ObjectMeta's Go order: the namespace comes before the timestamp.
                out["metadata"] = json!({"namespace": ns, "creationTimestamp": null});
            }
            let what = attributes(r, &spec)?;
            out["spec"] = spec;
            out["status"] = status(server.decide(&subject, &what));
        }
        "selfsubjectrulesreviews" => {
            let spec = body.get("spec").cloned().unwrap_or_else(|| json!({}));
            let namespace = spec["namespace"].as_str().unwrap_or("").to_string();
            out["spec"] = spec;
            out["status"] = rules(server, user, &namespace)?;
        }
        _ => {
            out["status"] = json!({"userInfo": {"username": user.name, "groups": user.groups}});
        }
    }
    Ok(out)
}

/// An access review's status: the decision, and the authorizers' reason when they gave one.
fn status(decision: super::decision::Decision) -> Value {
    let mut status = json!({"allowed": decision.allowed});
    if !decision.reason.is_empty() {
        status["reason"] = json!(decision.reason);
    }
    status
}

/// A LocalSubjectAccessReview asks about its own namespace only, and about resources only.
fn check_local(r: &Resource, namespace: &str, spec: &Value) -> Result<(), ApiError> {
    let invalid = |field: &str, value: &str, why: &str| {
        ApiError::new(
            422,
            "Invalid",
            format!(
                "{}.{} \"\" is invalid: {field}: Invalid value: {value}: {why}",
                r.kind, r.group
            ),
        )
    };
    if spec
        .get("nonResourceAttributes")
        .is_some_and(|n| !n.is_null())
    {
        return Err(invalid(
            "spec.nonResourceAttributes",
            "\"null\"",
            "disallowed on this kind of request",
        ));
    }
    let asked = spec
        .pointer("/resourceAttributes/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    if spec.get("resourceAttributes").is_some_and(Value::is_object) && asked != namespace {
        return Err(invalid(
            "spec.resourceAttributes.namespace",
            &format!("{asked:?}"),
            "must match metadata.namespace",
        ));
    }
    Ok(())
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or("").to_string()
}

/// A SelfSubjectAccessReview's question; exactly one of its attribute sets is given.
fn attributes(r: &Resource, spec: &Value) -> Result<Attributes, ApiError> {
    match (
        spec.get("resourceAttributes"),
        spec.get("nonResourceAttributes"),
    ) {
        (Some(a), None) => Ok(Attributes {
            verb: text(a, "verb"),
            resource: Some(ResourceAttributes {
                group: text(a, "group"),
                resource: text(a, "resource"),
                subresource: text(a, "subresource"),
                namespace: text(a, "namespace"),
                name: text(a, "name"),
                field_selector: super::authorizer::exact_fields(
                    a.pointer("/fieldSelector/rawSelector")
                        .and_then(Value::as_str)
                        .unwrap_or(""),
                ),
            }),
            path: String::new(),
        }),
        (None, Some(a)) => Ok(Attributes {
            verb: text(a, "verb"),
            resource: None,
            path: text(a, "path"),
        }),
        _ => Err(ApiError::new(
            422,
            "Invalid",
            format!(
                "{}.{} \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified",
                r.kind, r.group
            ),
        )),
    }
}

/// What `user` may do in `namespace`: a SubjectRulesReviewStatus. Masters hold every
/// permission first (as kube's superuser authorizer lists it); then the rules RBAC grants,
/// cluster bindings first, each as its role states it. A node's list is incomplete, as the
/// Node authorizer says.
fn rules(server: &ApiServer, user: &User, namespace: &str) -> Result<Value, ApiError> {
    let mut resource_rules = Vec::new();
    let mut non_resource_rules = Vec::new();
    if user.is_master() {
        resource_rules.push(json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}));
        non_resource_rules.push(json!({"verbs": ["*"], "nonResourceURLs": ["*"]}));
    }
    let policy = server.rbac_policy(namespace)?;
    for rule in policy.rules_for(user, namespace) {
        let has = |k: &str| rule[k].as_array().is_some_and(|a| !a.is_empty());
        if has("resources") {
            let mut out = json!({"verbs": rule["verbs"], "apiGroups": rule["apiGroups"], "resources": rule["resources"]});
            if has("resourceNames") {
                out["resourceNames"] = rule["resourceNames"].clone();
            }
            resource_rules.push(out);
        }
        if has("nonResourceURLs") {
            non_resource_rules
                .push(json!({"verbs": rule["verbs"], "nonResourceURLs": rule["nonResourceURLs"]}));
        }
    }
    let mut status = json!({
        "resourceRules": resource_rules,
        "nonResourceRules": non_resource_rules,
        "incomplete": false,
    });
    // The Node authorizer cannot list a node's rules: they depend on the objects asked for.
    if super::node_authorizer::node_of(&user.name, &user.groups).is_some() {
        status["incomplete"] = json!(true);
        status["evaluationError"] = json!("node authorizer does not support user rule resolution");
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::options::WriteOptions;
    use crate::api::{registry, reviews};
    use crate::clock::Clock;
    use crate::store::redb::RedbStore;
    use std::sync::Arc;
    use std::time::Duration;

    fn user(name: &str, groups: &[&str]) -> User {
        User {
            name: name.into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    /// A server holding one ClusterRole bound to the user "viewer".
    fn server(dir: &std::path::Path) -> ApiServer {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        let store = RedbStore::open(&dir.join("s.redb"), Duration::from_secs(1)).unwrap();
        let server = ApiServer::new(Arc::new(store), Clock::Wall);
        let w = WriteOptions::default();
        let find = |p: &str| registry::find(p).unwrap();
        server
            .create(
                find("clusterroles.rbac.authorization.k8s.io"),
                None,
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                    "metadata": {"name": "read-pods"},
                    "rules": [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "pods/log"]},
                              {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]}),
                &w,
            )
            .unwrap();
        server
            .create(
                find("clusterrolebindings.rbac.authorization.k8s.io"),
                None,
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                    "metadata": {"name": "viewer"},
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "read-pods"},
                    "subjects": [{"kind": "User", "name": "viewer"}]}),
                &w,
            )
            .unwrap();
        server
    }

    #[test]
    fn access_reviews_ask_the_authorizer() {
        let dir = std::env::temp_dir().join(format!("kubelite-reviews-a-{}", std::process::id()));
        let s = server(&dir);
        let r = reviews::find("selfsubjectaccessreviews");
        let ask = |verb: &str| json!({"spec": {"resourceAttributes": {"verb": verb, "resource": "pods", "namespace": "default"}}});
        let viewer = user("viewer", &["system:authenticated"]);
        let allowed = |u: &User, verb: &str| {
            answer(&s, u, r, &ask(verb)).unwrap()["status"]["allowed"].clone()
        };
        assert_eq!(allowed(&viewer, "create"), false);
        assert_eq!(allowed(&viewer, "list"), true);
        assert_eq!(
            allowed(&user("other", &["system:authenticated"]), "list"),
            false
        );
        let admin = user("admin", &["system:masters"]);
        assert_eq!(allowed(&admin, "create"), true);
        assert!(answer(&s, &admin, r, &json!({"spec": {}})).is_err());
        let sar = reviews::find("subjectaccessreviews");
        let about = |who: &str| json!({"spec": {"user": who, "resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "x"}}});
        assert_eq!(
            answer(&s, &admin, sar, &about("viewer")).unwrap()["status"]["allowed"],
            true
        );
        assert_eq!(
            answer(&s, &admin, sar, &about("jane")).unwrap()["status"]["allowed"],
            false
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn rules_reviews_list_what_rbac_grants() {
        let dir = std::env::temp_dir().join(format!("kubelite-reviews-r-{}", std::process::id()));
        let s = server(&dir);
        let r = reviews::find("selfsubjectrulesreviews");
        let viewer = user("viewer", &["system:authenticated"]);
        let out = answer(&s, &viewer, r, &json!({"spec": {"namespace": "default"}})).unwrap();
        assert_eq!(
            out["status"]["resourceRules"],
            json!([{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "pods/log"]}])
        );
        assert_eq!(
            out["status"]["nonResourceRules"],
            json!([{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}])
        );
        let admin = user("admin", &["system:masters"]);
        let out = answer(&s, &admin, r, &json!({"spec": {}})).unwrap();
        assert_eq!(out["status"]["resourceRules"][0]["resources"], json!(["*"]));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
