//! What an identity may do: the request's attributes, judged by the API server's one
//! authorizer (`apiserver::authorizer`: masters, then RBAC; the reviews report the same);
//! impersonation is judged by it too; anonymous requests never get here (authn lets them
//! reach only the health checks and `/version`). Refusals are 403s worded as
//! kube-apiserver words them.

use super::authn::{AUTHENTICATED, Identity};
use super::route::{Route, Target};
use crate::api::status::ApiError;
use crate::apiserver::ApiServer;
use crate::apiserver::authorizer::{Attributes, ResourceAttributes, User};
use hyper::Method;
use hyper::header::HeaderMap;
use serde_json::json;

/// The Kubernetes verb of a request to `target`.
pub fn verb(method: &Method, target: &Target, query: Option<&str>, upgrade: bool) -> &'static str {
    let watching = query.is_some_and(|q| {
        q.split('&')
            .any(|p| p == "watch=true" || p == "watch=1" || p == "watch")
    });
    let named = target.name.is_some();
    match *method {
        // A WebSocket exec, attach or port-forward creates a session, as 1.30+ checks it.
        Method::GET if upgrade => "create",
        Method::GET | Method::HEAD if watching => "watch",
        Method::GET | Method::HEAD if named => "get",
        Method::GET | Method::HEAD => "list",
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE if named => "delete",
        Method::DELETE => "deletecollection",
        _ => "get",
    }
}

/// The identity as the API server's authorizer knows it.
pub fn user_of(id: &Identity) -> User {
    User {
        name: id.user.clone(),
        groups: id.groups.clone(),
    }
}

/// Whether `id` may send this request (the API server's `authorize` decides); the 403
/// otherwise. `path` is the request's, for non-resource requests.
pub fn authorize(
    server: &ApiServer,
    id: &Identity,
    method: &Method,
    route: &Route,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    let Route::Resource(target) = route else {
        // Discovery, OpenAPI, version and health: non-resource requests, whose verb is the
        // lowercased method (HEAD asks as GET).
        let verb = match method.as_str() {
            "HEAD" => "get".to_string(),
            m => m.to_ascii_lowercase(),
        };
        let what = Attributes {
            verb: verb.clone(),
            resource: None,
            path: path.to_string(),
        };
        return if server.authorize(&user_of(id), &what) {
            Ok(())
        } else {
            Err(ApiError::new(
                403,
                "Forbidden",
                format!(
                    "forbidden: User \"{}\" cannot {verb} path \"{path}\"",
                    id.user
                ),
            ))
        };
    };
    let upgrade = headers.contains_key(hyper::header::UPGRADE);
    let verb = verb(method, target, query, upgrade);
    let field_selector = crate::apiserver::authorizer::exact_fields(
        &super::message::parse_query(query.unwrap_or(""))
            .into_iter()
            .rev()
            .find(|(k, _)| k == "fieldSelector")
            .map(|(_, v)| v)
            .unwrap_or_default(),
    );
    // As kube's request info: a list or watch of one name by field selector is of that name.
    let name = match &target.name {
        Some(n) => n.clone(),
        None if matches!(verb, "list" | "watch") => field_selector
            .iter()
            .find(|(f, v)| f == "metadata.name" && is_path_segment(v))
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        None => String::new(),
    };
    let what = Attributes {
        verb: verb.to_string(),
        resource: Some(ResourceAttributes {
            group: target.resource.group.to_string(),
            resource: target.resource.plural.to_string(),
            subresource: target.subresource.clone().unwrap_or_default(),
            namespace: target.namespace.clone().unwrap_or_default(),
            name: name.clone(),
            field_selector,
        }),
        path: String::new(),
    };
    let decision = server.decide(&user_of(id), &what);
    if decision.allowed {
        return Ok(());
    }
    let e = crate::apiserver::authorizer::forbidden(
        &id.user,
        verb,
        target.resource,
        target.subresource.as_deref().unwrap_or(""),
        target.namespace.as_deref(),
        Some(&name),
    );
    Err(crate::apiserver::authorizer::with_reason(
        e,
        &decision.reason,
    ))
}

/// A name that may stand in a URL path (kube's IsValidPathSegmentName).
fn is_path_segment(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '%'])
}

/// Applies `Impersonate-User` / `Impersonate-Group`: acting as someone is itself a request
/// the authorizer judges (verb `impersonate` on `users`, `groups`, or the service account
/// a `system:serviceaccount:<ns>:<name>` user is), the user first, then each group.
pub fn impersonate(
    server: &ApiServer,
    id: Identity,
    headers: &HeaderMap,
) -> Result<Identity, ApiError> {
    let Some(user) = headers
        .get("impersonate-user")
        .and_then(|v| v.to_str().ok())
        .filter(|u| !u.is_empty())
    else {
        if headers.contains_key("impersonate-group") {
            return Err(ApiError::internal(
                "requested [{Group}] without impersonating a user",
            ));
        }
        return Ok(id);
    };
    let mut groups: Vec<String> = headers
        .get_all("impersonate-group")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
    let account = user
        .strip_prefix("system:serviceaccount:")
        .and_then(|rest| rest.split_once(':'));
    let first = match account {
        Some((ns, name)) => ("serviceaccounts", ns, name),
        None => ("users", "", user),
    };
    let asks = std::iter::once(first).chain(groups.iter().map(|g| ("groups", "", g.as_str())));
    for (resource, namespace, name) in asks {
        let what = Attributes {
            verb: "impersonate".into(),
            resource: Some(ResourceAttributes {
                group: String::new(),
                resource: resource.into(),
                subresource: String::new(),
                namespace: namespace.into(),
                name: name.into(),
                ..Default::default()
            }),
            path: String::new(),
        };
        if !server.authorize(&user_of(&id), &what) {
            let scope = if namespace.is_empty() {
                "at the cluster scope".to_string()
            } else {
                format!("in the namespace \"{namespace}\"")
            };
            let mut e = ApiError::new(
                403,
                "Forbidden",
                format!(
                    "{resource} \"{name}\" is forbidden: User \"{}\" cannot impersonate resource \"{resource}\" in API group \"\" {scope}",
                    id.user
                ),
            );
            e.details = Some(Box::new(json!({"name": name, "kind": resource})));
            return Err(e);
        }
    }
    // A service account's groups follow from it when none are asked for.
    if let (Some((ns, _)), true) = (account, groups.is_empty()) {
        groups.push("system:serviceaccounts".to_string());
        groups.push(format!("system:serviceaccounts:{ns}"));
    }
    if !groups.iter().any(|g| g == AUTHENTICATED) {
        groups.push(AUTHENTICATED.to_string());
    }
    Ok(Identity {
        user: user.to_string(),
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::options::WriteOptions;
    use crate::api::registry;
    use hyper::header::HeaderValue;
    use serde_json::json;

    fn target(plural: &str, ns: Option<&str>, name: Option<&str>) -> Target {
        Target {
            resource: registry::RESOURCES
                .iter()
                .find(|r| r.plural == plural)
                .expect("resource"),
            namespace: ns.map(str::to_string),
            name: name.map(str::to_string),
            subresource: None,
        }
    }

    /// A server where the viewer may read pods and deployments, and impersonate "jane".
    fn server(tag: &str) -> (ApiServer, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("kubelite-authz-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let server = ApiServer::on_new_store(&dir).expect("server");
        let find = |p: &str| registry::find(p).unwrap();
        let w = WriteOptions::default();
        server
            .create(
                find("clusterroles.rbac.authorization.k8s.io"),
                None,
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                    "metadata": {"name": "r"},
                    "rules": [{"verbs": ["get", "list", "watch"], "apiGroups": ["", "apps"], "resources": ["pods", "deployments"]},
                              {"verbs": ["impersonate"], "apiGroups": [""], "resources": ["users"], "resourceNames": ["jane"]},
                              {"verbs": ["get"], "nonResourceURLs": ["/api", "/api/*"]}]}),
                &w,
            )
            .unwrap();
        server
            .create(
                find("clusterrolebindings.rbac.authorization.k8s.io"),
                None,
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                    "metadata": {"name": "b"},
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "r"},
                    "subjects": [{"kind": "User", "name": "viewer"}]}),
                &w,
            )
            .unwrap();
        (server, dir)
    }

    #[test]
    fn viewers_read_and_are_refused_writes_in_kube_apiservers_words() {
        let (s, dir) = server("rw");
        let viewer = Identity::viewer();
        let h = HeaderMap::new();
        let pods = Route::Resource(target("pods", Some("default"), None));
        assert!(authorize(&s, &viewer, &Method::GET, &pods, "", None, &h).is_ok());
        assert!(authorize(&s, &viewer, &Method::GET, &pods, "", Some("watch=true"), &h).is_ok());
        let e = authorize(&s, &viewer, &Method::POST, &pods, "", None, &h).expect_err("403");
        assert_eq!(
            e.message,
            "pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\""
        );
        let deploy = Route::Resource(target("deployments", Some("ns1"), Some("web")));
        let e = authorize(&s, &viewer, &Method::DELETE, &deploy, "", None, &h).expect_err("403");
        assert_eq!(
            e.message,
            "deployments.apps \"web\" is forbidden: User \"viewer\" cannot delete resource \"deployments\" in API group \"apps\" in the namespace \"ns1\""
        );
        let nodes = Route::Resource(target("nodes", None, None));
        let e = authorize(&s, &viewer, &Method::DELETE, &nodes, "", None, &h).expect_err("403");
        assert!(
            e.message.ends_with(
                "cannot deletecollection resource \"nodes\" in API group \"\" at the cluster scope"
            ),
            "{}",
            e.message
        );
        assert!(
            authorize(
                &s,
                &Identity::admin(),
                &Method::DELETE,
                &nodes,
                "",
                None,
                &h
            )
            .is_ok()
        );
        let version = Route::Version;
        assert!(authorize(&s, &viewer, &Method::GET, &version, "/api/v1", None, &h).is_ok());
        let e =
            authorize(&s, &viewer, &Method::GET, &version, "/metrics", None, &h).expect_err("403");
        assert_eq!(
            e.message,
            "forbidden: User \"viewer\" cannot get path \"/metrics\""
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn impersonation_is_authorized_as_any_request() {
        let (s, dir) = server("imp");
        let mut h = HeaderMap::new();
        h.insert("impersonate-user", HeaderValue::from_static("viewer"));
        h.append("impersonate-group", HeaderValue::from_static("team"));
        let as_viewer = impersonate(&s, Identity::admin(), &h).expect("masters may");
        assert_eq!(as_viewer.user, "viewer");
        assert_eq!(
            as_viewer.groups,
            vec!["team".to_string(), AUTHENTICATED.into()]
        );
        let e = impersonate(&s, Identity::viewer(), &h).expect_err("not as viewer");
        assert_eq!(
            e.message,
            "users \"viewer\" is forbidden: User \"viewer\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"
        );
        let mut jane = HeaderMap::new();
        jane.insert("impersonate-user", HeaderValue::from_static("jane"));
        assert_eq!(
            impersonate(&s, Identity::viewer(), &jane)
                .expect("jane")
                .user,
            "jane"
        );
        jane.append("impersonate-group", HeaderValue::from_static("team"));
        let e = impersonate(&s, Identity::viewer(), &jane).expect_err("no groups");
        assert!(
            e.message.starts_with("groups \"team\" is forbidden"),
            "{}",
            e.message
        );
        let mut sa = HeaderMap::new();
        sa.insert(
            "impersonate-user",
            HeaderValue::from_static("system:serviceaccount:ns1:bot"),
        );
        let bot = impersonate(&s, Identity::admin(), &sa).expect("masters may");
        assert_eq!(
            bot.groups,
            [
                "system:serviceaccounts",
                "system:serviceaccounts:ns1",
                AUTHENTICATED
            ]
        );
        let e = impersonate(&s, Identity::viewer(), &sa).expect_err("403");
        assert!(
            e.message.ends_with("in the namespace \"ns1\""),
            "{}",
            e.message
        );
        assert!(impersonate(&s, Identity::viewer(), &HeaderMap::new()).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
