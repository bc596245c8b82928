//! Discovery: which groups, versions and resources the server has, in the aggregated v2
//! form kubectl 1.30+ asks for first, and in the legacy form older clients use.

use crate::api::registry::{OTHER_VERSIONS, RESOURCES, Resource, verbs_of};
use serde_json::{Value, json};

/// The subresources kubelite serves for a resource, with their response kinds and verbs.
fn subresources(
    r: &Resource,
) -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
)> {
    let status: (&str, &str, &str, &[&str]) = ("status", "", "", &["get", "patch", "update"]);
    let scale: (&str, &str, &str, &[&str]) =
        ("scale", "autoscaling", "Scale", &["get", "patch", "update"]);
    if let Some(d) = crate::api::custom::definition_of(r) {
        let mut subs = Vec::new();
        if d.scale.is_some() {
            subs.push(scale);
        }
        if d.status {
            subs.push(status);
        }
        return subs;
    }
    let mut subs = match r.plural {
        "pods" => vec![
            ("binding", "", "Binding", &["create"][..]),
            ("ephemeralcontainers", "", "", &["get", "patch", "update"]),
            // Advertised so that `kubectl drain` evicts rather than deletes.
            ("eviction", "policy", "Eviction", &["create"]),
            ("log", "", "Pod", &["get"]),
        ],
        "deployments" | "replicasets" | "statefulsets" | "replicationcontrollers" => vec![scale],
        "certificatesigningrequests" => vec![("approval", "", "", &["get", "patch", "update"][..])],
        "serviceaccounts" => vec![(
            "token",
            "authentication.k8s.io",
            "TokenRequest",
            &["create"][..],
        )],
        _ => vec![],
    };
    // Discovery lists subresources by name.
    if crate::api::registry::has_status(r) {
        subs.push(status);
    }
    subs
}

/// The API groups, in the order of the registry (core group first).
fn groups() -> Vec<&'static str> {
    let mut out: Vec<&str> = Vec::new();
    for r in RESOURCES {
        if !out.contains(&r.group) {
            out.push(r.group);
        }
    }
    out
}

/// The version a group is served at (autoscaling is served at v2; the others at v1).
fn version_of(group: &str) -> &'static str {
    RESOURCES
        .iter()
        .find(|r| r.group == group)
        .map_or("v1", |r| r.version)
}

/// Every version a group is served at, the preferred one first.
fn versions_of(group: &str) -> Vec<&'static str> {
    let mut out = vec![version_of(group)];
    for r in OTHER_VERSIONS.iter().filter(|r| r.group == group) {
        if !out.contains(&r.version) {
            out.push(r.version);
        }
    }
    out
}

fn resources_of(group: &str, version: &str) -> impl Iterator<Item = &'static Resource> {
    RESOURCES
        .iter()
        .chain(OTHER_VERSIONS)
        .filter(move |r| r.group == group && r.version == version)
}

/// The custom resources served now, in discovery order: groups by name, each group's
/// versions by kube's priority.
pub type Custom<'a> = &'a [&'static Resource];

fn custom_groups(custom: Custom) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = custom.iter().map(|r| r.group).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn custom_versions(custom: Custom, group: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in custom.iter().filter(|r| r.group == group) {
        if !out.contains(&r.version) {
            out.push(r.version);
        }
    }
    out.sort_by(|a, b| crate::api::custom::compare_versions(a, b));
    out
}

fn custom_of<'a>(
    custom: Custom<'a>,
    group: &'a str,
    version: &'a str,
) -> impl Iterator<Item = &'static Resource> + 'a {
    custom
        .iter()
        .copied()
        .filter(move |r| r.group == group && r.version == version)
}

fn aggregated_custom_group(custom: Custom, group: &str) -> Value {
    let versions: Vec<Value> = custom_versions(custom, group)
        .into_iter()
        .map(|version| {
            let resources: Vec<Value> = custom_of(custom, group, version)
                .map(aggregated_resource)
                .collect();
            json!({"version": version, "resources": resources, "freshness": "Current"})
        })
        .collect();
    json!({"metadata": {"name": group}, "versions": versions})
}

fn custom_api_group(custom: Custom, group: &str) -> Value {
    let gv =
        |version: &str| json!({"groupVersion": format!("{group}/{version}"), "version": version});
    let versions: Vec<&str> = custom_versions(custom, group);
    json!({
        "kind": "APIGroup",
        "apiVersion": "v1",
        "name": group,
        "versions": versions.iter().map(|v| gv(v)).collect::<Vec<_>>(),
        "preferredVersion": gv(versions.first().copied().unwrap_or("v1")),
    })
}

fn scope(r: &Resource) -> &'static str {
    if r.namespaced {
        "Namespaced"
    } else {
        "Cluster"
    }
}

fn aggregated_resource(r: &Resource) -> Value {
    let mut v = json!({
        "resource": r.plural,
        "responseKind": {"group": r.group, "version": r.version, "kind": r.kind},
        "scope": scope(r),
        "singularResource": r.singular,
        "verbs": verbs_of(r),
    });
    if !r.short_names.is_empty() {
        v["shortNames"] = json!(r.short_names);
    }
    if !r.categories.is_empty() {
        v["categories"] = json!(r.categories);
    }
    let subs: Vec<Value> = subresources(r)
        .into_iter()
        .map(|(name, group, kind, verbs)| {
            let (group, version, kind) = if kind.is_empty() {
                (r.group, r.version, r.kind)
            } else {
                (group, "v1", kind)
            };
            json!({"subresource": name, "responseKind": {"group": group, "version": version, "kind": kind}, "verbs": verbs})
        })
        .collect();
    if !subs.is_empty() {
        v["subresources"] = Value::Array(subs);
    }
    v
}

fn aggregated_group(group: &str) -> Value {
    let versions: Vec<Value> = versions_of(group)
        .into_iter()
        .map(|version| {
            let resources: Vec<Value> = resources_of(group, version)
                .map(aggregated_resource)
                .collect();
            json!({"version": version, "resources": resources, "freshness": "Current"})
        })
        .collect();
    let mut metadata = json!({});
    if !group.is_empty() {
        metadata["name"] = json!(group);
    }
    json!({"metadata": metadata, "versions": versions})
}

/// `GET /api` or `GET /apis` as an `APIGroupDiscoveryList`.
pub fn aggregated(core: bool, custom: Custom) -> Value {
    let mut items: Vec<Value> = groups()
        .into_iter()
        .filter(|g| g.is_empty() == core)
        .map(aggregated_group)
        .collect();
    if !core {
        items.extend(super::reviews::aggregated_groups());
        items.push(super::metrics::aggregated_group());
        items.extend(
            custom_groups(custom)
                .into_iter()
                .map(|g| aggregated_custom_group(custom, g)),
        );
    }
    json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": "apidiscovery.k8s.io/v2",
        "metadata": {},
        "items": items,
    })
}

/// Legacy `GET /api`.
pub fn core_versions() -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]
    })
}

fn api_group(group: &str) -> Value {
    let gv =
        |version: &str| json!({"groupVersion": format!("{group}/{version}"), "version": version});
    let versions: Vec<Value> = versions_of(group).into_iter().map(gv).collect();
    json!({
        "kind": "APIGroup",
        "apiVersion": "v1",
        "name": group,
        "versions": versions,
        "preferredVersion": gv(version_of(group)),
    })
}

/// Legacy `GET /apis`.
pub fn group_list(custom: Custom) -> Value {
    let groups: Vec<Value> = groups()
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(api_group)
        .chain(super::reviews::api_groups())
        .chain([super::metrics::api_group()])
        .chain(
            custom_groups(custom)
                .into_iter()
                .map(|g| custom_api_group(custom, g)),
        )
        .map(|mut v| {
            if let Value::Object(m) = &mut v {
                m.shift_remove("kind");
                m.shift_remove("apiVersion");
            }
            v
        })
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `GET /apis/<group>`, if the group exists.
pub fn group(name: &str, custom: Custom) -> Option<Value> {
    if custom.iter().any(|r| r.group == name) {
        return Some(custom_api_group(custom, name));
    }
    if name == crate::api::metrics::GROUP {
        return Some(super::metrics::api_group());
    }
    if let Some(g) = super::reviews::api_group(name) {
        return Some(g);
    }
    groups()
        .into_iter()
        .any(|g| !g.is_empty() && g == name)
        .then(|| api_group(name))
}

/// Legacy `GET /api/v1` or `/apis/<group>/<version>`: an `APIResourceList`.
pub fn resource_list(group: &str, version: &str, custom: Custom) -> Value {
    if group == crate::api::metrics::GROUP {
        return super::metrics::resource_list();
    }
    if let Some(list) = super::reviews::resource_list(group) {
        return list;
    }
    let mut resources = Vec::new();
    for r in resources_of(group, version).chain(custom_of(custom, group, version)) {
        let mut v = json!({
            "name": r.plural,
            "singularName": r.singular,
            "namespaced": r.namespaced,
            "kind": r.kind,
            "verbs": verbs_of(r),
        });
        if !r.short_names.is_empty() {
            v["shortNames"] = json!(r.short_names);
        }
        if !r.categories.is_empty() {
            v["categories"] = json!(r.categories);
        }
        resources.push(v);
        for (name, sub_group, kind, verbs) in subresources(r) {
            let mut s = json!({
                "name": format!("{}/{name}", r.plural),
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": if kind.is_empty() { r.kind } else { kind },
                "verbs": verbs,
            });
            if !sub_group.is_empty() {
                s["group"] = json!(sub_group);
                s["version"] = json!("v1");
            }
            resources.push(s);
        }
    }
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregated_core_has_pods_with_short_names_and_categories() {
        let d = aggregated(true, &[]);
        let items = d["items"].as_array().expect("items");
        assert_eq!(items.len(), 1);
        let pods = items[0]["versions"][0]["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .find(|r| r["resource"] == "pods")
            .expect("pods")
            .clone();
        assert_eq!(pods["shortNames"], json!(["po"]));
        assert_eq!(pods["categories"], json!(["all"]));
        assert_eq!(pods["scope"], "Namespaced");
        let apps = aggregated(false, &[]);
        assert!(
            apps["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|g| g["metadata"]["name"] == "apps")
        );
    }

    #[test]
    fn legacy_lists_subresources() {
        let l = resource_list("apps", "v1", &[]);
        let names: Vec<&str> = l["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .filter_map(|r| r["name"].as_str())
            .collect();
        assert!(names.contains(&"deployments/scale"), "{names:?}");
        assert_eq!(l["groupVersion"], "apps/v1");
        assert!(group("apps", &[]).is_some());
        assert!(group("nothing", &[]).is_none());
    }

    #[test]
    fn autoscaling_is_served_at_v2_then_v1() {
        let g = group("autoscaling", &[]).expect("autoscaling");
        assert_eq!(g["preferredVersion"]["version"], "v2");
        assert_eq!(g["versions"][1]["groupVersion"], "autoscaling/v1");
        let v1 = resource_list("autoscaling", "v1", &[]);
        assert_eq!(v1["resources"][0]["name"], "horizontalpodautoscalers");
        assert_eq!(
            v1["resources"][1]["name"],
            "horizontalpodautoscalers/status"
        );
        let apis = aggregated(false, &[]);
        let autoscaling = apis["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|g| g["metadata"]["name"] == "autoscaling")
            .expect("autoscaling");
        let versions: Vec<&Value> = autoscaling["versions"]
            .as_array()
            .expect("versions")
            .iter()
            .map(|v| &v["version"])
            .collect();
        assert_eq!(versions, ["v2", "v1"]);
    }
}
