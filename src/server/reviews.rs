//! The self-subject reviews (`api::reviews`) over HTTP: their groups in discovery (as
//! kube-apiserver lists `authentication.k8s.io` and `authorization.k8s.io`, with only the
//! self-subject kinds served) and POST, answered for the request's identity by the API
//! server (`apiserver::reviews`).

use super::authn::Identity;
use super::authz::user_of;
use super::message::{Request, Response, error, json};
use crate::api::registry::Resource;
use crate::api::reviews::{AUTHENTICATION, AUTHORIZATION, RESOURCES, VERBS};
use crate::api::status::ApiError;
use hyper::Method;
use serde_json::{Value, json};

pub use crate::api::reviews::is_review;

const GROUPS: [&str; 2] = [AUTHENTICATION, AUTHORIZATION];

fn in_group(group: &str) -> impl Iterator<Item = &'static Resource> + '_ {
    RESOURCES.iter().filter(move |r| r.group == group)
}

/// The groups' entries in an aggregated `/apis`.
pub fn aggregated_groups() -> Vec<Value> {
    GROUPS
        .iter()
        .map(|g| {
            let resources: Vec<Value> = in_group(g)
                .map(|r| {
                    json!({
                        "resource": r.plural,
                        "responseKind": {"group": r.group, "version": r.version, "kind": r.kind},
                        "scope": if r.namespaced { "Namespaced" } else { "Cluster" },
                        "singularResource": r.singular,
                        "verbs": VERBS,
                    })
                })
                .collect();
            json!({
                "metadata": {"name": g},
                "versions": [{"version": "v1", "resources": resources, "freshness": "Current"}]
            })
        })
        .collect()
}

/// One group as a legacy `APIGroup`, if it is one of these.
pub fn api_group(name: &str) -> Option<Value> {
    GROUPS.contains(&name).then(|| {
        let gv = json!({"groupVersion": format!("{name}/v1"), "version": "v1"});
        json!({
            "kind": "APIGroup",
            "apiVersion": "v1",
            "name": name,
            "versions": [gv],
            "preferredVersion": gv,
        })
    })
}

/// The groups as legacy `APIGroup`s.
pub fn api_groups() -> Vec<Value> {
    GROUPS.iter().filter_map(|g| api_group(g)).collect()
}

/// Legacy `/apis/<group>/v1`, if the group is one of these.
pub fn resource_list(group: &str) -> Option<Value> {
    GROUPS.contains(&group).then(|| {
        let resources: Vec<Value> = in_group(group)
            .map(|r| {
                json!({
                    "name": r.plural,
                    "singularName": r.singular,
                    "namespaced": r.namespaced,
                    "kind": r.kind,
                    "verbs": VERBS,
                })
            })
            .collect();
        json!({
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": format!("{group}/v1"),
            "resources": resources,
        })
    })
}

/// A namespaced review takes the URL's namespace, as kube-apiserver's create handler fills
/// an object's; another namespace in the body is refused.
fn in_namespace(r: &Resource, namespace: Option<&str>, mut body: Value) -> Result<Value, ApiError> {
    let Some(ns) = namespace.filter(|_| r.namespaced) else {
        return Ok(body);
    };
    if !body.is_object() {
        return Ok(body);
    }
    match body.pointer("/metadata/namespace").and_then(Value::as_str) {
        Some(given) if !given.is_empty() && given != ns => Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => {
            if !body.get("metadata").is_some_and(Value::is_object) {
                body["metadata"] = json!({});
            }
            body["metadata"]["namespace"] = json!(ns);
            Ok(body)
        }
    }
}

/// `POST` of a review, answered for `id`; reviews have no other verb, name or subresource.
pub fn handle(
    server: &crate::apiserver::ApiServer,
    id: &Identity,
    r: &Resource,
    namespace: Option<&str>,
    named: bool,
    req: &Request,
) -> Response {
    if req.method != Method::POST || named {
        return error(&ApiError::method_not_allowed());
    }
    let body = if super::protobuf::is_protobuf(req.header("content-type")) {
        super::protobuf::body_to_json(&req.body)
    } else {
        serde_json::from_slice(&req.body).map_err(|e| {
            ApiError::bad_request(format!("the body of the request is not valid JSON: {e}"))
        })
    };
    let body: Value = match body.and_then(|b| in_namespace(r, namespace, b)) {
        Ok(v) => v,
        Err(e) => return error(&e),
    };
    match crate::apiserver::reviews::answer(server, &user_of(id), r, &body) {
        Ok(out) => json(201, &out),
        Err(e) => error(&e),
    }
}
