//! The self-subject reviews (`api::reviews`), answered for a user by the one authorizer
//! (`authorizer::allowed`) that judges that user's requests: an access review asks it
//! once; a rules review asks it about every verb on every resource served (and lists
//! wildcards when everything is allowed); a self-subject review says who the user is.

use super::authorizer::{Attributes, RESOURCE_VERBS, ResourceAttributes, User, allowed};
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::api::{metrics, reviews};
use serde_json::{Value, json};

/// The subresources the API server serves (as discovery lists them, and `pods/exec`).
fn subresources(r: &Resource) -> &'static [&'static str] {
    match (r.group, r.plural) {
        ("", "pods") => &["binding", "eviction", "exec", "log", "status"],
        ("apps", "deployments" | "replicasets") => &["scale", "status"],
        ("", "nodes" | "namespaces" | "services") | ("apps", "daemonsets") => &["status"],
        ("batch", "jobs" | "cronjobs") => &["status"],
        _ => &[],
    }
}

/// Answers a review object created by `user`.
pub fn answer(user: &User, r: &Resource, body: &Value) -> Result<Value, ApiError> {
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
            out["status"] = json!({"allowed": allowed(user, &what)});
        }
        "selfsubjectrulesreviews" => {
            let spec = body.get("spec").cloned().unwrap_or_else(|| json!({}));
            let namespace = spec["namespace"].as_str().unwrap_or("").to_string();
            out["spec"] = spec;
            out["status"] = rules(user, &namespace);
        }
        _ => {
            out["status"] = json!({"userInfo": {"username": user.name, "groups": user.groups}});
        }
    }
    Ok(out)
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

fn on(verb: &str, group: &str, resource: &str, sub: &str, namespace: &str) -> Attributes {
    Attributes {
        verb: verb.to_string(),
        resource: Some(ResourceAttributes {
            group: group.to_string(),
            resource: resource.to_string(),
            subresource: sub.to_string(),
            namespace: namespace.to_string(),
            name: String::new(),
        }),
        path: String::new(),
    }
}

/// What `user` may do in `namespace`: a SubjectRulesReviewStatus.
fn rules(user: &User, namespace: &str) -> Value {
    let non_resource = |verb: &str| Attributes {
        verb: verb.to_string(),
        resource: None,
        path: "*".to_string(),
    };
    let non_resource_rules = if allowed(user, &non_resource("*")) {
        json!([{"verbs": ["*"], "nonResourceURLs": ["*"]}])
    } else if allowed(user, &non_resource("get")) {
        json!([{"verbs": ["get"], "nonResourceURLs": ["*"]}])
    } else {
        json!([])
    };
    if allowed(user, &on("*", "*", "*", "", namespace)) {
        return json!({
            "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
            "nonResourceRules": non_resource_rules,
            "incomplete": false,
        });
    }
    let mut resource_rules = Vec::new();
    let served = registry::RESOURCES
        .iter()
        .chain(metrics::RESOURCES)
        .chain(reviews::RESOURCES);
    for r in served {
        let names =
            std::iter::once(String::new()).chain(subresources(r).iter().map(|s| s.to_string()));
        for sub in names {
            let verbs: Vec<&str> = RESOURCE_VERBS
                .iter()
                .copied()
                .filter(|v| allowed(user, &on(v, r.group, r.plural, &sub, namespace)))
                .collect();
            if verbs.is_empty() {
                continue;
            }
            let resource = if sub.is_empty() {
                r.plural.to_string()
            } else {
                format!("{}/{sub}", r.plural)
            };
            resource_rules
                .push(json!({"verbs": verbs, "apiGroups": [r.group], "resources": [resource]}));
        }
    }
    json!({
        "resourceRules": resource_rules,
        "nonResourceRules": non_resource_rules,
        "incomplete": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(groups: &[&str]) -> User {
        User {
            name: "someone".into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    #[test]
    fn access_reviews_ask_the_authorizer() {
        let r = reviews::find("selfsubjectaccessreviews");
        let ask = json!({"spec": {"resourceAttributes": {"verb": "create", "resource": "pods", "namespace": "default"}}});
        let viewer = user(&["system:authenticated"]);
        assert_eq!(
            answer(&viewer, r, &ask).unwrap()["status"]["allowed"],
            false
        );
        let admin = user(&["system:masters"]);
        let out = answer(&admin, r, &ask).unwrap();
        assert_eq!(out["status"]["allowed"], true);
        assert_eq!(out["spec"], ask["spec"]);
        assert!(answer(&admin, r, &json!({"spec": {}})).is_err());
    }

    #[test]
    fn rules_reviews_list_what_is_allowed_and_only_that() {
        let r = reviews::find("selfsubjectrulesreviews");
        let viewer = user(&["system:authenticated"]);
        let out = answer(&viewer, r, &json!({"spec": {"namespace": "default"}})).unwrap();
        let rules = out["status"]["resourceRules"].as_array().unwrap();
        let find = |res: &str| rules.iter().find(|x| x["resources"][0] == res).cloned();
        assert_eq!(
            find("pods").unwrap()["verbs"],
            json!(["get", "list", "watch"])
        );
        assert!(find("pods/exec").is_none());
        assert_eq!(
            find("selfsubjectreviews").unwrap()["verbs"],
            json!(["create"])
        );
        let admin = user(&["system:masters"]);
        let out = answer(&admin, r, &json!({"spec": {}})).unwrap();
        assert_eq!(out["status"]["resourceRules"][0]["resources"], json!(["*"]));
    }
}
