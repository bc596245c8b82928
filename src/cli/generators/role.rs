//! `create role`: one rule per API group from `--verb`, `--resource` (`resource.group/sub`)
//! and `--resource-name`. Resources are resolved through the server's discovery, as
//! kubectl's mapper resolves them, even for a client dry run.

use super::Common;
use super::objects::metadata;
use crate::api::registry::{self, Resource};
use crate::cli::errors::CliError;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct RoleArgs {
    /// NAME
    pub names: Vec<String>,
    /// Verb that applies to the resources contained in the rule
    #[arg(long = "verb")]
    pub verbs: Vec<String>,
    /// Resource that the rule applies to
    #[arg(long = "resource")]
    pub resources: Vec<String>,
    /// Resource in the white list that the rule applies to, repeat this flag for multiple items
    #[arg(long = "resource-name")]
    pub resource_names: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

/// The verbs a rule usually names; others only draw a warning.
const STANDARD_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// Verbs that make sense only on some resources (group, resource).
fn special_verb(verb: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match verb {
        "use" => Some(&[
            ("policy", "podsecuritypolicies"),
            ("extensions", "podsecuritypolicies"),
        ]),
        "bind" | "escalate" => Some(&[
            ("rbac.authorization.k8s.io", "roles"),
            ("rbac.authorization.k8s.io", "clusterroles"),
        ]),
        "impersonate" => Some(&[
            ("", "users"),
            ("", "serviceaccounts"),
            ("", "groups"),
            ("authentication.k8s.io", "userextras"),
        ]),
        _ => None,
    }
}

/// One `--resource`, split as kubectl splits it.
#[derive(Debug, Clone)]
pub struct Wanted {
    resource: String,
    group: String,
    sub: String,
}

impl RoleArgs {
    /// The verbs without repeats; `*` alone when given at all.
    fn verbs(&self) -> Vec<String> {
        let all = super::string_slice(&self.verbs);
        if all.iter().any(|v| v == "*") {
            return vec!["*".into()];
        }
        dedup(all)
    }

    /// The resources as written; a bare `*` stands for all of them.
    fn wanted(&self) -> Vec<Wanted> {
        let mut out = Vec::new();
        for r in super::string_slice(&self.resources) {
            let (head, sub) = r.split_once('/').unwrap_or((&r, ""));
            let (resource, group) = head.split_once('.').unwrap_or((head, ""));
            let w = Wanted {
                resource: resource.into(),
                group: group.into(),
                sub: sub.into(),
            };
            if resource == "*" && !head.contains('.') && !r.contains('/') {
                return vec![w];
            }
            out.push(w);
        }
        out
    }

    /// kubectl's checks before any resource is looked up; the warnings for unusual verbs
    /// come before a missing resource's error.
    pub fn check(&self) -> Result<(), CliError> {
        let verbs = self.verbs();
        if verbs.is_empty() {
            return Err(CliError::message("at least one verb must be specified"));
        }
        if self.wanted().is_empty() {
            return Err(CliError::Raw(format!(
                "{}error: at least one resource must be specified\n",
                self.warnings()
            )));
        }
        Ok(())
    }

    /// `Warning:` lines for verbs outside the standard set.
    pub fn warnings(&self) -> String {
        self.verbs()
            .iter()
            .filter(|v| !STANDARD_VERBS.contains(&v.as_str()))
            .map(|v| format!("Warning: '{v}' is not a standard resource verb\n"))
            .collect()
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// The served resource a name means (plural, singular or short name, any case), in the
/// group given if any; the first in the server's priority order.
fn resolve(served: &[&'static Resource], w: &Wanted) -> Option<&'static Resource> {
    let name = w.resource.to_ascii_lowercase();
    served.iter().copied().find(|r| {
        (r.plural == name || r.singular == name || r.short_names.contains(&name.as_str()))
            && (w.group.is_empty() || r.group == w.group)
    })
}

/// kubectl's words for a resource its mapper does not find (printed without `error:`).
fn not_found(w: &Wanted) -> CliError {
    let name = w.resource.to_ascii_lowercase();
    let text = if w.group.is_empty() {
        format!("the server doesn't have a resource type \"{name}\"\n")
    } else {
        format!(
            "the server doesn't have a resource type \"{name}\" in group \"{}\"\n",
            w.group
        )
    };
    CliError::Raw(text)
}

/// kubectl's check of each resource against the server and the special verbs.
fn validate_resources(
    served: &[&'static Resource],
    verbs: &[String],
    wanted: &[Wanted],
) -> Result<(), CliError> {
    for w in wanted {
        if w.resource.is_empty() {
            return Err(CliError::message(
                "resource must be specified if apiGroup/subresource specified",
            ));
        }
        // A `*` resource ends the checks, of it and of those after it.
        if w.resource == "*" {
            return Ok(());
        }
        let found = resolve(served, w);
        let (group, resource) = found.map_or((w.group.as_str(), w.resource.as_str()), |r| {
            (r.group, r.plural)
        });
        let mut missing = found.is_none();
        for v in verbs {
            if let Some(allowed) = special_verb(v) {
                if !allowed.contains(&(group, resource)) {
                    return Err(CliError::message(format!(
                        "can not perform '{v}' on '{resource}' in group '{group}'"
                    )));
                }
                missing = false;
            }
        }
        if missing {
            return Err(not_found(w));
        }
    }
    Ok(())
}

/// The rules: one per API group (groups sorted), its resources in the order given without
/// repeats, each with all the verbs and resource names.
pub fn rules(
    served: &[&'static Resource],
    verbs: &[String],
    wanted: &[Wanted],
    names: &[String],
) -> Vec<Value> {
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for w in wanted {
        let (group, mut resource) = match resolve(served, w) {
            Some(r) => (r.group.to_string(), r.plural.to_string()),
            None => (w.group.clone(), w.resource.clone()),
        };
        if !w.sub.is_empty() {
            resource = format!("{resource}/{}", w.sub);
        }
        let list = groups.entry(group).or_default();
        if !list.contains(&resource) {
            list.push(resource);
        }
    }
    groups
        .into_iter()
        .map(|(group, resources)| {
            let mut rule = Map::new();
            rule.insert("verbs".into(), json!(verbs));
            rule.insert("apiGroups".into(), json!([group]));
            rule.insert("resources".into(), json!(resources));
            if !names.is_empty() {
                rule.insert("resourceNames".into(), json!(names));
            }
            Value::Object(rule)
        })
        .collect()
}

/// The Role, once its resources are checked against what the server serves.
pub fn build(
    a: &RoleArgs,
    served: &[&'static Resource],
    name: &str,
    namespace: Option<&str>,
) -> Result<Value, CliError> {
    let verbs = a.verbs();
    let wanted = a.wanted();
    validate_resources(served, &verbs, &wanted)?;
    let names = dedup(a.resource_names.clone());
    Ok(json!({
        "kind": "Role",
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "metadata": metadata(name, namespace, None),
        "rules": rules(served, &verbs, &wanted, &names)
    }))
}

/// What the embedded cluster serves, for a client with no discovery of its own.
pub fn embedded_resources() -> Vec<&'static Resource> {
    registry::RESOURCES.iter().collect()
}

#[derive(Args, Debug)]
pub struct ClusterRoleArgs {
    #[command(flatten)]
    pub role: RoleArgs,
    /// A partial url that user should have access to.
    #[arg(long = "non-resource-url")]
    pub non_resource_urls: Vec<String>,
    /// An aggregation label selector for combining ClusterRoles.
    #[arg(long = "aggregation-rule")]
    pub aggregation_rule: Vec<String>,
}

/// The verbs a non-resource URL may be given.
const NON_RESOURCE_VERBS: &[&str] = &[
    "*", "get", "post", "put", "delete", "patch", "head", "options",
];

impl ClusterRoleArgs {
    fn urls(&self) -> Vec<String> {
        dedup(super::string_slice(&self.non_resource_urls))
    }

    /// `--aggregation-rule` as kubectl's string map reads it: `k=v` pairs split at commas,
    /// spaces trimmed, later occurrences merged in.
    pub fn aggregation(&self) -> Result<std::collections::BTreeMap<String, String>, CliError> {
        let mut out = std::collections::BTreeMap::new();
        for value in &self.aggregation_rule {
            if value.trim().is_empty() {
                continue;
            }
            for pair in value.split(',') {
                let Some((k, v)) = pair.split_once('=') else {
                    return Err(CliError::Raw(format!(
                        "Error: invalid argument \"{value}\" for \"--aggregation-rule\" flag: malformed pair, expect string=string\nSee 'kubelite create clusterrole --help' for usage.\n"
                    )));
                };
                out.insert(k.trim().to_string(), v.trim().to_string());
            }
        }
        Ok(out)
    }

    /// kubectl's checks before any resource is looked up.
    pub fn check(&self) -> Result<(), CliError> {
        let r = &self.role;
        if !self.aggregation()?.is_empty() {
            if !self.urls().is_empty()
                || !r.verbs().is_empty()
                || !r.wanted().is_empty()
                || !r.resource_names.is_empty()
            {
                return Err(CliError::message(
                    "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames",
                ));
            }
            return Ok(());
        }
        if r.verbs().is_empty() {
            return Err(CliError::message("at least one verb must be specified"));
        }
        if r.wanted().is_empty() && self.urls().is_empty() {
            return Err(CliError::message(
                "one of resource or nonResourceURL must be specified",
            ));
        }
        Ok(())
    }

    /// The non-resource URLs' checks, which kubectl makes after the resources'.
    fn check_urls(&self) -> Result<(), CliError> {
        let urls = self.urls();
        if urls.is_empty() {
            return Ok(());
        }
        if let Some(v) = self
            .role
            .verbs()
            .iter()
            .find(|v| !NON_RESOURCE_VERBS.contains(&v.as_str()))
        {
            return Err(CliError::message(format!(
                "invalid verb: '{v}' for nonResourceURL"
            )));
        }
        for url in urls.iter().filter(|u| *u != "*") {
            if !url.starts_with('/') {
                return Err(CliError::message("nonResourceURL should start with /"));
            }
            if url[..url.len() - 1].contains('*') {
                return Err(CliError::message(
                    "nonResourceURL only supports wildcard matches when '*' is at the end",
                ));
            }
        }
        Ok(())
    }

    /// Warnings for unusual verbs, only when resources are given.
    pub fn warnings(&self) -> String {
        let aggregated = self.aggregation().map(|a| !a.is_empty()).unwrap_or(false);
        if aggregated || self.role.wanted().is_empty() {
            return String::new();
        }
        self.role.warnings()
    }
}

/// The ClusterRole: rules as a role's plus one for the non-resource URLs, or only an
/// aggregation rule (then `rules` is null, as kubectl's typed object leaves it).
pub fn build_cluster(
    a: &ClusterRoleArgs,
    served: &[&'static Resource],
    name: &str,
) -> Result<Value, CliError> {
    let selector = a.aggregation()?;
    let meta = metadata(name, None, None);
    if !selector.is_empty() {
        return Ok(json!({
            "kind": "ClusterRole",
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "metadata": meta,
            "rules": null,
            "aggregationRule": { "clusterRoleSelectors": [{ "matchLabels": selector }] }
        }));
    }
    let verbs = a.role.verbs();
    let wanted = a.role.wanted();
    if !wanted.is_empty() {
        validate_resources(served, &verbs, &wanted)?;
    }
    a.check_urls()?;
    let names = dedup(a.role.resource_names.clone());
    let mut rules = rules(served, &verbs, &wanted, &names);
    let urls = a.urls();
    if !urls.is_empty() {
        rules.push(json!({ "verbs": verbs, "nonResourceURLs": urls }));
    }
    Ok(json!({
        "kind": "ClusterRole",
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "metadata": meta,
        "rules": rules
    }))
}
