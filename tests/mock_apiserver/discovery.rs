//! The mock's discovery (aggregated v2 when asked for, legacy otherwise) and the small
//! OpenAPI v3 that makes kubectl validate on the server (`fieldValidation=Strict`).

use super::http::{Reply, Request};
use super::world::{GROUPS, KINDS, Kind};
use serde_json::{Value, json};

const V2: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

fn short_names(k: &Kind) -> Value {
    match k.plural {
        "pods" => json!(["po"]),
        "configmaps" => json!(["cm"]),
        "deployments" => json!(["deploy"]),
        "daemonsets" => json!(["ds"]),
        "replicasets" => json!(["rs"]),
        "services" => json!(["svc"]),
        "serviceaccounts" => json!(["sa"]),
        "resourcequotas" => json!(["quota"]),
        "events" => json!(["ev"]),
        "namespaces" => json!(["ns"]),
        "nodes" => json!(["no"]),
        "certificatesigningrequests" => json!(["csr"]),
        "horizontalpodautoscalers" => json!(["hpa"]),
        _ => json!([]),
    }
}

const VERBS: [&str; 8] = [
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

fn subresources(k: &Kind) -> Vec<&'static str> {
    match k.plural {
        "pods" => vec!["eviction", "exec", "log", "status"],
        "deployments" | "replicasets" => vec!["scale", "status"],
        "certificatesigningrequests" => vec!["approval", "status"],
        _ => vec![],
    }
}

/// kube-apiserver's `all` category, among the kinds the mock serves.
fn categories(k: &Kind) -> Value {
    match k.plural {
        "pods" | "services" | "deployments" | "daemonsets" | "replicasets" => json!(["all"]),
        _ => json!([]),
    }
}

fn scope(k: &Kind) -> &'static str {
    if k.namespaced {
        "Namespaced"
    } else {
        "Cluster"
    }
}

fn aggregated_group(group: &str) -> Value {
    let resources: Vec<Value> = KINDS
        .iter()
        .filter(|k| k.group == group)
        .map(|k| {
            let subs: Vec<Value> = subresources(k)
                .into_iter()
                .map(|s| {
                    let kind = match s {
                        "eviction" => json!({"group": "policy", "version": "v1", "kind": "Eviction"}),
                        _ => json!({"group": k.group, "version": "v1", "kind": k.kind}),
                    };
                    json!({"subresource": s, "verbs": ["get", "patch", "update"], "responseKind": kind})
                })
                .collect();
            json!({"resource": k.plural, "responseKind": {"group": k.group, "version": "v1", "kind": k.kind},
                   "scope": scope(k), "singularResource": k.kind.to_lowercase(),
                   "verbs": VERBS, "shortNames": short_names(k), "categories": categories(k),
                   "subresources": subs})
        })
        .collect();
    let mut item = json!({"metadata": {}, "versions": [{"version": "v1", "resources": resources, "freshness": "Current"}]});
    if !group.is_empty() {
        item["metadata"] = json!({"name": group});
    }
    item
}

fn aggregated(groups: &[&str]) -> Value {
    let items: Vec<Value> = groups.iter().map(|g| aggregated_group(g)).collect();
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2",
           "metadata": {}, "items": items})
}

/// `/api` or `/apis`; `metrics`: a metrics-server's APIService is registered too.
pub fn root(path: &str, req: &Request, metrics: bool) -> Reply {
    let groups: &[&str] = if path == "/api" { &[""] } else { GROUPS };
    let with_metrics = metrics && path == "/apis";
    if req.header("accept").is_some_and(|a| a.contains("v=v2;")) {
        let mut list = aggregated(groups);
        if with_metrics {
            let resources: Vec<Value> = [("nodes", "NodeMetrics", "Cluster"), ("pods", "PodMetrics", "Namespaced")]
                .iter()
                .map(|(plural, kind, scope)| json!({"resource": plural, "scope": scope, "verbs": ["get", "list"],
                    "responseKind": {"group": "metrics.k8s.io", "version": "v1beta1", "kind": kind}}))
                .collect();
            list["items"].as_array_mut().unwrap().push(json!({"metadata": {"name": "metrics.k8s.io"},
                "versions": [{"version": "v1beta1", "resources": resources, "freshness": "Current"}]}));
        }
        return Reply::typed(200, V2, serde_json::to_vec(&list).unwrap());
    }
    if path == "/api" {
        Reply::json(200, &json!({"kind": "APIVersions", "versions": ["v1"]}))
    } else {
        let mut groups: Vec<Value> = GROUPS
            .iter()
            .map(|g| json!({"name": g, "versions": [{"groupVersion": format!("{g}/v1"), "version": "v1"}],
                            "preferredVersion": {"groupVersion": format!("{g}/v1"), "version": "v1"}}))
            .collect();
        if with_metrics {
            groups.push(json!({"name": "metrics.k8s.io",
                "versions": [{"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}],
                "preferredVersion": {"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}}));
        }
        Reply::json(
            200,
            &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
        )
    }
}

pub fn group_version(path: &str) -> Reply {
    let gv = path
        .trim_start_matches("/apis/")
        .trim_start_matches("/api/");
    let group = gv.strip_suffix("/v1").unwrap_or("");
    let mut resources = Vec::new();
    for k in KINDS.iter().filter(|k| k.group == group) {
        resources.push(json!({"name": k.plural, "singularName": k.kind.to_lowercase(), "namespaced": k.namespaced,
                              "kind": k.kind, "verbs": VERBS, "shortNames": short_names(k), "categories": categories(k)}));
        for s in subresources(k) {
            let (group, kind) = match s {
                "eviction" => ("policy", "Eviction"),
                _ => ("", k.kind),
            };
            let mut sub = json!({"name": format!("{}/{s}", k.plural), "singularName": "", "namespaced": k.namespaced,
                                 "kind": kind, "verbs": ["get", "patch", "update"]});
            if !group.is_empty() {
                sub["group"] = json!(group);
                sub["version"] = json!("v1");
            }
            resources.push(sub);
        }
    }
    Reply::json(
        200,
        &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
    )
}

pub fn openapi(path: &str) -> Reply {
    match path {
        "/openapi/v3" => Reply::json(
            200,
            &json!({"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=AAAA"},
                              "apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=BBBB"}}}),
        ),
        "/openapi/v3/api/v1" | "/openapi/v3/apis/apps/v1" => {
            let group = if path.ends_with("api/v1") { "" } else { "apps" };
            let mut paths = serde_json::Map::new();
            for k in KINDS.iter().filter(|k| k.group == group) {
                let prefix = if group.is_empty() {
                    "/api/v1".to_string()
                } else {
                    "/apis/apps/v1".to_string()
                };
                paths.insert(
                    format!("{prefix}/namespaces/{{namespace}}/{}/{{name}}", k.plural),
                    json!({"patch": {"x-kubernetes-group-version-kind": {"group": k.group, "version": "v1", "kind": k.kind},
                                     "parameters": [{"name": "fieldValidation", "in": "query"}]}}),
                );
            }
            let doc = json!({"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.32.0"}, "paths": paths});
            Reply::json(200, &doc).with_header("ETag", "\"mock\"")
        }
        _ => Reply::typed(404, "text/plain", b"404 page not found\n".to_vec()),
    }
}
