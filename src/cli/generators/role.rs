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
