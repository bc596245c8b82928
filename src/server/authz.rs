//! What an identity may do: the request's attributes, judged by the API server's one
//! authorizer (`apiserver::authorizer`, whose rule the self-subject reviews report too);
//! only masters may impersonate; anonymous requests never get here (authn lets them reach
//! only the health checks and `/version`). Refusals are 403s worded as kube-apiserver
//! words them.

use super::authn::{AUTHENTICATED, Identity};
use super::route::{Route, Target};
use crate::api::status::ApiError;
use crate::apiserver::authorizer::{Attributes, ResourceAttributes, User, allowed};
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

/// Whether `id` may send this request (the API server's `authorizer::allowed` decides);
/// the 403 otherwise.
pub fn authorize(
    id: &Identity,
    method: &Method,
    route: &Route,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    let Route::Resource(target) = route else {
        // Discovery, OpenAPI, version and health: non-resource requests.
        let what = Attributes {
            verb: method.as_str().to_ascii_lowercase(),
            resource: None,
            path: String::new(),
        };
        return if allowed(&user_of(id), &what) {
            Ok(())
        } else {
            Err(ApiError::new(403, "Forbidden", "forbidden"))
        };
    };
    let upgrade = headers.contains_key(hyper::header::UPGRADE);
    let verb = verb(method, target, query, upgrade);
    let what = Attributes {
        verb: verb.to_string(),
        resource: Some(ResourceAttributes {
            group: target.resource.group.to_string(),
            resource: target.resource.plural.to_string(),
            subresource: target.subresource.clone().unwrap_or_default(),
            namespace: target.namespace.clone().unwrap_or_default(),
            name: target.name.clone().unwrap_or_default(),
        }),
        path: String::new(),
    };
    if allowed(&user_of(id), &what) {
        return Ok(());
    }
    Err(forbidden(id, verb, target))
}

/// `pods is forbidden: User "viewer" cannot create resource "pods" in API group "" in the
/// namespace "default"`, with kube-apiserver's details.
pub fn forbidden(id: &Identity, verb: &str, target: &Target) -> ApiError {
    let r = target.resource;
    let mut resource = r.plural.to_string();
    if let Some(sub) = &target.subresource {
        resource = format!("{resource}/{sub}");
    }
    let scope = match &target.namespace {
        Some(ns) => format!("in the namespace \"{ns}\""),
        None => "at the cluster scope".to_string(),
    };
    let why = format!(
        "User \"{}\" cannot {verb} resource \"{resource}\" in API group \"{}\" {scope}",
        id.user, r.group
    );
    let what = r.qualified_plural();
    let message = match &target.name {
        Some(name) => format!("{what} \"{name}\" is forbidden: {why}"),
        None => format!("{what} is forbidden: {why}"),
    };
    let mut e = ApiError::new(403, "Forbidden", message);
    let mut details = serde_json::Map::new();
    if let Some(name) = &target.name {
        details.insert("name".into(), json!(name));
    }
    if !r.group.is_empty() {
        details.insert("group".into(), json!(r.group));
    }
    details.insert("kind".into(), json!(r.plural));
    e.details = Some(Box::new(serde_json::Value::Object(details)));
    e
}

/// Applies `Impersonate-User` / `Impersonate-Group`: only masters may act as someone else.
pub fn impersonate(id: Identity, headers: &HeaderMap) -> Result<Identity, ApiError> {
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
    if !id.is_master() {
        let mut e = ApiError::new(
            403,
            "Forbidden",
            format!(
                "users \"{user}\" is forbidden: User \"{}\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
                id.user
            ),
        );
        e.details = Some(Box::new(json!({"name": user, "kind": "users"})));
        return Err(e);
    }
    let mut groups: Vec<String> = headers
        .get_all("impersonate-group")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
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
    use crate::api::registry;
    use hyper::header::HeaderValue;

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

    #[test]
    fn viewers_read_and_are_refused_writes_in_kube_apiservers_words() {
        let viewer = Identity::viewer();
        let h = HeaderMap::new();
        let pods = Route::Resource(target("pods", Some("default"), None));
        assert!(authorize(&viewer, &Method::GET, &pods, None, &h).is_ok());
        assert!(authorize(&viewer, &Method::GET, &pods, Some("watch=true"), &h).is_ok());
        let e = authorize(&viewer, &Method::POST, &pods, None, &h).expect_err("403");
        assert_eq!(
            e.message,
            "pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\""
        );
        let deploy = Route::Resource(target("deployments", Some("ns1"), Some("web")));
        let e = authorize(&viewer, &Method::DELETE, &deploy, None, &h).expect_err("403");
        assert_eq!(
            e.message,
            "deployments.apps \"web\" is forbidden: User \"viewer\" cannot delete resource \"deployments\" in API group \"apps\" in the namespace \"ns1\""
        );
        let nodes = Route::Resource(target("nodes", None, None));
        let e = authorize(&viewer, &Method::DELETE, &nodes, None, &h).expect_err("403");
        assert!(
            e.message.ends_with(
                "cannot deletecollection resource \"nodes\" in API group \"\" at the cluster scope"
            ),
            "{}",
            e.message
        );
        assert!(authorize(&Identity::admin(), &Method::DELETE, &nodes, None, &h).is_ok());
    }

    #[test]
    fn only_masters_impersonate() {
        let mut h = HeaderMap::new();
        h.insert("impersonate-user", HeaderValue::from_static("viewer"));
        h.append("impersonate-group", HeaderValue::from_static("team"));
        let as_viewer = impersonate(Identity::admin(), &h).expect("masters may");
        assert_eq!(as_viewer.user, "viewer");
        assert_eq!(
            as_viewer.groups,
            vec!["team".to_string(), AUTHENTICATED.into()]
        );
        let e = impersonate(Identity::viewer(), &h).expect_err("viewers may not");
        assert_eq!(e.code, 403);
        assert!(impersonate(Identity::viewer(), &HeaderMap::new()).is_ok());
    }
}
