//! What a word can complete to: resource types, `TYPE/NAME`, names, namespaces, containers,
//! output formats. Cluster data comes through [`Names`], so this logic is tested without a
//! store.

use super::line::Line;
use crate::api::registry::{self, Resource};

/// Names the completion reads from a cluster.
pub trait Names {
    /// Names starting with `prefix` of the objects of `r` in `namespace` (every namespace if
    /// `None`). A source may return more; callers filter again.
    fn names(&self, r: &Resource, namespace: Option<&str>, prefix: &str) -> Vec<String>;
    /// Container names (init containers too) of one pod.
    fn containers(&self, namespace: &str, pod: &str) -> Vec<String>;
}

/// Which resource types a verb's `TYPE` argument takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Types {
    /// Every type the server has (`get`, `describe`, `delete`, ...).
    All,
    /// Types with a `scale` subresource.
    Scalable,
    /// Types `rollout` manages.
    Rollout,
    /// Types with a pod template (`set image`).
    PodTemplate,
}

impl Types {
    fn admits(self, r: &Resource) -> bool {
        let allowed: &[&str] = match self {
            // kubectl completes the types it can get (`api-resources --verbs=get`).
            Types::All => return registry::verbs_of(r).contains(&"get"),
            Types::Scalable => &[
                "deployments",
                "replicasets",
                "statefulsets",
                "replicationcontrollers",
            ],
            Types::Rollout => &["deployments", "daemonsets", "statefulsets"],
            Types::PodTemplate => &[
                "pods",
                "deployments",
                "replicasets",
                "daemonsets",
                "statefulsets",
                "replicationcontrollers",
                "jobs",
                "cronjobs",
            ],
        };
        allowed.contains(&r.plural)
    }
}

/// The `-o` formats kubelite prints.
pub const OUTPUT_FORMATS: &[&str] = &[
    "custom-columns=",
    "json",
    "jsonpath=",
    "name",
    "wide",
    "yaml",
];

/// Resource types starting with `prefix`: plural names only for an empty word (as kubectl
/// lists them), and singular and short names too once the user has typed something.
pub fn resource_types(prefix: &str, types: Types) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in registry::RESOURCES.iter().filter(|r| types.admits(r)) {
        let mut names = vec![r.plural];
        if !prefix.is_empty() {
            names.push(r.singular);
            names.extend(r.short_names.iter().copied());
        }
        for n in names {
            if n.starts_with(prefix) && !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        }
    }
    out.sort();
    out
}

/// The word of a `TYPE [NAME...]` or `TYPE/NAME` argument list: `many` says whether the verb
/// takes several names (`get a b`) or one (`scale deploy a`).
pub fn target(
    current: &str,
    line: &Line,
    types: Types,
    many: bool,
    names: &dyn Names,
) -> Vec<String> {
    if let Some((ty, partial)) = current.split_once('/') {
        let Some(r) = registry::find(ty).filter(|r| types.admits(r)) else {
            return Vec::new();
        };
        return matching(names.names(r, scope(r, line), partial), partial, &[])
            .into_iter()
            .map(|n| format!("{ty}/{n}"))
            .collect();
    }
    let Some(first) = line.positionals.first() else {
        return resource_types(current, types);
    };
    if first.contains('/') {
        // `TYPE/NAME TYPE/NAME ...`: the next word is another type.
        return if many {
            resource_types(current, types)
        } else {
            Vec::new()
        };
    }
    if first.contains(',') || (!many && line.positionals.len() > 1) {
        return Vec::new();
    }
    let Some(r) = registry::find(first).filter(|r| types.admits(r)) else {
        return Vec::new();
    };
    matching(
        names.names(r, scope(r, line), current),
        current,
        &line.positionals[1..],
    )
}

/// Pod names, for `exec`/`logs` (also as `pod/NAME`).
pub fn pods(current: &str, line: &Line, names: &dyn Names) -> Vec<String> {
    if !line.positionals.is_empty() {
        return Vec::new();
    }
    let Some(pods) = registry::find("pods") else {
        return Vec::new();
    };
    let namespace = Some(line.namespace());
    match current.split_once('/') {
        Some((ty, partial)) if registry::find(ty) == Some(pods) => {
            matching(names.names(pods, namespace, partial), partial, &[])
                .into_iter()
                .map(|n| format!("{ty}/{n}"))
                .collect()
        }
        Some(_) => Vec::new(),
        None => matching(names.names(pods, namespace, current), current, &[]),
    }
}

/// Node names, for `node stop|start NAME`.
pub fn nodes(current: &str, line: &Line, names: &dyn Names) -> Vec<String> {
    match registry::find("nodes") {
        Some(r) if line.positionals.is_empty() => {
            matching(names.names(r, None, current), current, &[])
        }
        _ => Vec::new(),
    }
}

/// CertificateSigningRequest names not yet on the line (`certificate approve NAME...`).
pub fn csrs(current: &str, line: &Line, names: &dyn Names) -> Vec<String> {
    match registry::find("certificatesigningrequests") {
        Some(r) => matching(names.names(r, None, current), current, &line.positionals),
        None => Vec::new(),
    }
}

/// Containers of the pod named on the line (`exec POD -c <TAB>`).
pub fn containers(current: &str, line: &Line, names: &dyn Names) -> Vec<String> {
    let Some(pod) = line.positionals.first() else {
        return Vec::new();
    };
    let pod = match pod.split_once('/') {
        Some((ty, name)) if registry::find(ty).is_some_and(|r| r.plural == "pods") => name,
        Some(_) => return Vec::new(),
        None => pod.as_str(),
    };
    matching(names.containers(line.namespace(), pod), current, &[])
}

/// Namespaces starting with `current`.
pub fn namespaces(current: &str, names: &dyn Names) -> Vec<String> {
    match registry::find("namespaces") {
        Some(r) => matching(names.names(r, None, current), current, &[]),
        None => Vec::new(),
    }
}

/// `-o` formats starting with `current`.
pub fn output_formats(current: &str) -> Vec<String> {
    OUTPUT_FORMATS
        .iter()
        .filter(|f| f.starts_with(current))
        .map(|f| f.to_string())
        .collect()
}

/// The namespace to list a type in: none for cluster-scoped types and with `-A`.
fn scope<'a>(r: &Resource, line: &'a Line) -> Option<&'a str> {
    (r.namespaced && !line.all_namespaces).then(|| line.namespace())
}

/// Sorted, unique names starting with `prefix`, without those already on the line.
fn matching(mut all: Vec<String>, prefix: &str, taken: &[String]) -> Vec<String> {
    all.retain(|n| n.starts_with(prefix) && !taken.contains(n));
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A cluster in a map: (plural, namespace) -> names; pods' containers by name.
    struct Fake {
        objects: BTreeMap<(&'static str, &'static str), Vec<&'static str>>,
    }

    impl Names for Fake {
        fn names(&self, r: &Resource, namespace: Option<&str>, _prefix: &str) -> Vec<String> {
            self.objects
                .iter()
                .filter(|((p, ns), _)| *p == r.plural && namespace.is_none_or(|n| n == *ns))
                .flat_map(|(_, names)| names.iter().map(|n| n.to_string()))
                .collect()
        }
        fn containers(&self, namespace: &str, pod: &str) -> Vec<String> {
            if namespace == "default" && pod == "web" {
                vec!["nginx".into(), "sidecar".into()]
            } else {
                Vec::new()
            }
        }
    }

    fn fake() -> Fake {
        let mut objects = BTreeMap::new();
        objects.insert(("pods", "default"), vec!["myapp-pod", "web", "mysql"]);
        objects.insert(("pods", "kube-system"), vec!["etcd-master", "myapp-kube"]);
        objects.insert(("deployments", "default"), vec!["web"]);
        objects.insert(
            ("namespaces", ""),
            vec!["default", "kube-system", "kube-public"],
        );
        objects.insert(("nodes", ""), vec!["master", "node01"]);
        Fake { objects }
    }

    fn line(verb: &str, positionals: &[&str], namespace: Option<&str>) -> Line {
        Line {
            verb: vec![verb.to_string()],
            positionals: positionals.iter().map(|p| p.to_string()).collect(),
            namespace: namespace.map(str::to_string),
            ..Line::default()
        }
    }

    #[test]
    fn types_by_prefix_include_short_names() {
        let po = resource_types("po", Types::All);
        assert!(po.contains(&"pods".to_string()), "{po:?}");
        assert!(po.contains(&"pod".to_string()) && po.contains(&"po".to_string()));
        assert!(!po.iter().any(|t| !t.starts_with("po")));
        let all = resource_types("", Types::All);
        assert!(all.contains(&"deployments".to_string()) && !all.contains(&"deploy".to_string()));
        assert_eq!(
            resource_types("d", Types::Rollout),
            [
                "daemonset",
                "daemonsets",
                "deploy",
                "deployment",
                "deployments",
                "ds"
            ]
        );
    }

    #[test]
    fn names_follow_the_type_and_namespace() {
        let f = fake();
        assert_eq!(
            target("my", &line("get", &["pods"], None), Types::All, true, &f),
            ["myapp-pod", "mysql"]
        );
        assert_eq!(
            target(
                "my",
                &line("get", &["po"], Some("kube-system")),
                Types::All,
                true,
                &f
            ),
            ["myapp-kube"]
        );
        assert_eq!(
            target(
                "",
                &line("get", &["pods", "web"], None),
                Types::All,
                true,
                &f
            ),
            ["myapp-pod", "mysql"]
        );
        assert_eq!(
            target(
                "n",
                &line("get", &["nodes"], Some("x")),
                Types::All,
                true,
                &f
            ),
            ["node01"]
        );
        let mut all = line("get", &["pods"], None);
        all.all_namespaces = true;
        assert_eq!(
            target("myapp", &all, Types::All, true, &f),
            ["myapp-kube", "myapp-pod"]
        );
    }

    #[test]
    fn type_slash_name() {
        let f = fake();
        assert_eq!(
            target(
                "deploy/",
                &line("describe", &[], None),
                Types::All,
                true,
                &f
            ),
            ["deploy/web"]
        );
        assert!(target("bogus/", &line("describe", &[], None), Types::All, true, &f).is_empty());
        assert!(
            target(
                "pods/",
                &line("rollout", &[], None),
                Types::Rollout,
                false,
                &f
            )
            .is_empty()
        );
    }

    #[test]
    fn one_name_verbs_stop_after_the_name() {
        let f = fake();
        assert_eq!(
            target(
                "",
                &line("scale", &["deploy"], None),
                Types::Scalable,
                false,
                &f
            ),
            ["web"]
        );
        assert!(
            target(
                "",
                &line("scale", &["deploy", "web"], None),
                Types::Scalable,
                false,
                &f
            )
            .is_empty()
        );
    }

    #[test]
    fn pods_containers_namespaces_formats() {
        let f = fake();
        assert_eq!(pods("w", &line("exec", &[], None), &f), ["web"]);
        assert_eq!(pods("pod/w", &line("exec", &[], None), &f), ["pod/web"]);
        assert_eq!(
            containers("", &line("exec", &["web"], None), &f),
            ["nginx", "sidecar"]
        );
        assert_eq!(
            containers("s", &line("exec", &["pods/web"], None), &f),
            ["sidecar"]
        );
        assert_eq!(namespaces("kube-", &f), ["kube-public", "kube-system"]);
        assert_eq!(nodes("n", &line("node", &[], None), &f), ["node01"]);
        assert!(nodes("n", &line("node", &["node01"], None), &f).is_empty());
        assert_eq!(output_formats("j"), ["json", "jsonpath="]);
    }
}
