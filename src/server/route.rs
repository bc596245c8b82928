//! URL paths of the Kubernetes API, resolved to what they address.

use crate::api::metrics::RESOURCES as METRICS;
use crate::api::registry::{OTHER_VERSIONS, RESOURCES, Resource};
use crate::api::reviews::RESOURCES as REVIEWS;

#[derive(Debug, PartialEq)]
pub enum Route {
    /// `/healthz`, `/livez`, `/readyz` (and their `/...` checks): the path without its
    /// leading slash.
    Health(String),
    Version,
    /// `/kubelite/clock`: the cluster's clock, read or moved forward (kubelite's own).
    Clock,
    /// `/api`: the core group's versions.
    CoreRoot,
    /// `/apis`: every named group.
    GroupsRoot,
    /// `/apis/<group>`.
    Group(String),
    /// `/api/v1`, `/apis/<group>/<version>`: the resources of one group-version.
    GroupVersion {
        group: String,
        version: String,
    },
    OpenApiRoot,
    /// `/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`.
    OpenApiGroupVersion {
        group: String,
        version: String,
    },
    Resource(Target),
    /// A custom resource whose CRD kube takes but cannot serve: its conversion webhook has
    /// no usable `caBundle`, so no converter can be built (see `rest::cannot_convert`).
    Unconvertible,
    NotFound,
}

/// A collection, an object, or an object's subresource.
#[derive(Debug, PartialEq)]
pub struct Target {
    pub resource: &'static Resource,
    /// The namespace of the URL; `None` for cluster-scoped resources and for lists across
    /// all namespaces.
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

pub fn resolve(path: &str) -> Route {
    resolve_with(path, &[])
}

/// [`resolve`], with the custom resources the cluster serves now.
pub fn resolve_with(path: &str, custom: &[&'static Resource]) -> Route {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match segments.as_slice() {
        ["healthz" | "livez" | "readyz", ..] => Route::Health(segments.join("/")),
        ["version"] => Route::Version,
        ["kubelite", "clock"] => Route::Clock,
        ["api"] => Route::CoreRoot,
        ["apis"] => Route::GroupsRoot,
        ["apis", group] => Route::Group(group.to_string()),
        ["api", version] => gv_route("", version, custom),
        ["apis", group, version] => gv_route(group, version, custom),
        ["openapi", "v3"] => Route::OpenApiRoot,
        ["openapi", "v3", "api", version] => Route::OpenApiGroupVersion {
            group: String::new(),
            version: version.to_string(),
        },
        ["openapi", "v3", "apis", group, version] => Route::OpenApiGroupVersion {
            group: group.to_string(),
            version: version.to_string(),
        },
        ["api", version, rest @ ..] => resource_route("", version, rest, custom),
        ["apis", group, version, rest @ ..] => resource_route(group, version, rest, custom),
        _ => Route::NotFound,
    }
}

fn gv_route(group: &str, version: &str, custom: &[&'static Resource]) -> Route {
    if served(group, version)
        || custom
            .iter()
            .any(|r| r.group == group && r.version == version)
    {
        Route::GroupVersion {
            group: group.to_string(),
            version: version.to_string(),
        }
    } else {
        Route::NotFound
    }
}

/// Whether any resource lives in this group-version.
pub fn served(group: &str, version: &str) -> bool {
    RESOURCES
        .iter()
        .chain(OTHER_VERSIONS)
        .chain(METRICS)
        .chain(REVIEWS)
        .any(|r| r.group == group && r.version == version)
}

fn lookup(
    group: &str,
    version: &str,
    plural: &str,
    custom: &[&'static Resource],
) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .chain(OTHER_VERSIONS)
        .chain(METRICS)
        .chain(REVIEWS)
        .chain(custom.iter().copied())
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// A path segment with its percent-escapes undone, as kube-apiserver reads names
/// (`kubeadm%3Aget-nodes` is `kubeadm:get-nodes`); a malformed escape stays as written.
fn percent_decoded(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn resource_route(
    group: &str,
    version: &str,
    rest: &[&str],
    custom: &[&'static Resource],
) -> Route {
    let target = |r: &'static Resource, ns: Option<&str>, tail: &[&str]| {
        let (name, sub) = match tail {
            [] => (None, None),
            [name] => (Some(*name), None),
            [name, sub] => (Some(*name), Some(*sub)),
            _ => return Route::NotFound,
        };
        if name.is_some_and(str::is_empty) {
            return Route::NotFound;
        }
        Route::Resource(Target {
            resource: r,
            namespace: ns.map(percent_decoded),
            name: name.map(percent_decoded),
            subresource: sub.map(str::to_string),
        })
    };
    // `namespaces/<ns>/<plural>/...` addresses a namespaced collection; otherwise
    // `namespaces/<name>[/<sub>]` is the Namespace object itself.
    if let ["namespaces", ns, plural, tail @ ..] = rest
        && let Some(r) = lookup(group, version, plural, custom).filter(|r| r.namespaced)
    {
        return target(r, Some(ns), tail);
    }
    match rest {
        [plural, tail @ ..] => match lookup(group, version, plural, custom) {
            // A namespaced object needs its namespace in the URL.
            Some(r) if r.namespaced && !tail.is_empty() => Route::NotFound,
            Some(r) => target(r, None, tail),
            None => Route::NotFound,
        },
        [] => Route::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str) -> Target {
        match resolve(path) {
            Route::Resource(t) => t,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn resolves_collections_objects_and_subresources() {
        let t = target("/api/v1/namespaces/default/pods");
        assert_eq!(
            (t.resource.plural, t.namespace.as_deref(), t.name),
            ("pods", Some("default"), None)
        );
        let t = target("/api/v1/pods");
        assert_eq!((t.resource.plural, t.namespace), ("pods", None));
        let t = target("/api/v1/namespaces/kube-system/pods/etcd-master/log");
        assert_eq!(t.name.as_deref(), Some("etcd-master"));
        assert_eq!(t.subresource.as_deref(), Some("log"));
        let t = target("/apis/apps/v1/namespaces/default/deployments/web/scale");
        assert_eq!(t.resource.kind, "Deployment");
        assert_eq!(t.subresource.as_deref(), Some("scale"));
    }

    #[test]
    fn escaped_names_are_read_as_kube_apiserver_reads_them() {
        let t = target("/apis/rbac.authorization.k8s.io/v1/clusterroles/kubeadm%3Aget-nodes");
        assert_eq!(t.name.as_deref(), Some("kubeadm:get-nodes"));
        let t = target("/apis/rbac.authorization.k8s.io/v1/clusterroles/a%zz");
        assert_eq!(t.name.as_deref(), Some("a%zz"));
    }

    #[test]
    fn namespaces_are_objects_too() {
        let t = target("/api/v1/namespaces/default");
        assert_eq!(
            (t.resource.plural, t.name.as_deref()),
            ("namespaces", Some("default"))
        );
        let t = target("/api/v1/namespaces/kube-system/status");
        assert_eq!(t.subresource.as_deref(), Some("status"));
        let t = target("/api/v1/namespaces");
        assert_eq!((t.resource.plural, t.name), ("namespaces", None));
    }

    #[test]
    fn unknown_paths_are_not_found() {
        for p in [
            "/api/v2/pods",
            "/api/v1/nothings",
            "/api/v1/pods/x",
            "/apis/apps/v1/pods",
            "/apis/apps/v1/namespaces/default/deployments/a/b/c",
            "/foo",
        ] {
            assert_eq!(resolve(p), Route::NotFound, "{p}");
        }
        assert_eq!(resolve("/version"), Route::Version);
        assert_eq!(resolve("/readyz"), Route::Health("readyz".to_string()));
    }
}
