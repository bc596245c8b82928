//! RBAC's escalation prevention, as kube-apiserver's rbac storage applies it before any
//! other check: a Role or ClusterRole may grant only what its writer already holds where it
//! applies (unless the writer may `escalate` it), and a RoleBinding or ClusterRoleBinding
//! may bind only a role whose permissions its writer holds there (unless the writer may
//! `bind` that role). Writes that name no requester (the embedded CLI's admin, the control
//! plane's own writes) and `system:masters` pass, as for kube's superusers.

use super::ApiServer;
use super::authorizer::{Attributes, Policy, ResourceAttributes, User};
use crate::api::json::{str_at, strings};
use crate::api::options::Requester;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::Value;

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// One permission a rule grants: a verb on one resource (maybe one name), or on one URL.
#[derive(Debug, Clone, PartialEq)]
struct Permission {
    group: String,
    resource: String,
    name: Option<String>,
    url: Option<String>,
    verb: String,
}

impl ApiServer {
    /// Refuses (403, kube's words) a write of an RBAC object that would let its writer
    /// grant what they do not hold.
    pub(super) fn confirm_no_escalation(
        &self,
        r: &Resource,
        obj: &Value,
        namespace: Option<&str>,
        requester: Option<&Requester>,
    ) -> Result<(), ApiError> {
        if r.group != RBAC_GROUP {
            return Ok(());
        }
        let Some(requester) = requester else {
            return Ok(());
        };
        let user = User {
            name: requester.name.clone(),
            groups: requester.groups.clone(),
        };
        if user.is_master() {
            return Ok(());
        }
        let ns = namespace.unwrap_or("");
        let name = str_at(obj, "/metadata/name");
        let may = |verb: &str, plural: &str, target: &str| {
            self.authorize(
                &user,
                &Attributes {
                    verb: verb.to_string(),
                    resource: Some(ResourceAttributes {
                        group: RBAC_GROUP.to_string(),
                        resource: plural.to_string(),
                        subresource: String::new(),
                        namespace: ns.to_string(),
                        name: target.to_string(),
                        ..Default::default()
                    }),
                    path: String::new(),
                },
            )
        };
        let refuse = |why: String| Err(forbidden(r, name, why));
        let rules: Vec<Value> = match r.kind {
            "Role" | "ClusterRole" => {
                if may("escalate", r.plural, name) {
                    return Ok(());
                }
                if r.kind == "ClusterRole"
                    && obj.get("aggregationRule").is_some_and(|a| !a.is_null())
                {
                    let all = Permission {
                        group: "*".into(),
                        resource: "*".into(),
                        name: None,
                        url: None,
                        verb: "*".into(),
                    };
                    let policy = self.rbac_policy("")?;
                    if !holds(&policy, &user, "", &all) {
                        return refuse(
                            "must have cluster-admin privileges to use the aggregationRule"
                                .to_string(),
                        );
                    }
                    return Ok(());
                }
                rules_of(obj)
            }
            "RoleBinding" | "ClusterRoleBinding" => {
                let kind = str_at(obj, "/roleRef/kind");
                let role = str_at(obj, "/roleRef/name");
                let plural = if kind == "Role" {
                    "roles"
                } else {
                    "clusterroles"
                };
                if may("bind", plural, role) {
                    return Ok(());
                }
                let Some(role_resource) =
                    crate::api::registry::find(&format!("{plural}.{RBAC_GROUP}"))
                else {
                    return Ok(());
                };
                let role_ns = (kind == "Role").then_some(ns);
                match self.get(role_resource, role_ns, role) {
                    Ok(role) => rules_of(&role),
                    Err(e) if e.code == 404 => return refuse(e.message),
                    Err(e) => return Err(e),
                }
            }
            _ => return Ok(()),
        };
        let policy = self.rbac_policy(ns)?;
        let missing: Vec<Permission> = rules
            .iter()
            .flat_map(breakdown)
            .filter(|p| !holds(&policy, &user, ns, p))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let mut described: Vec<String> = compact(missing).iter().map(describe).collect();
        described.sort();
        described.dedup();
        let groups: Vec<String> = user.groups.iter().map(|g| crate::go::quote(g)).collect();
        refuse(format!(
            "user {} (groups=[{}]) is attempting to grant RBAC permissions not currently held:\n{}",
            crate::go::quote(&user.name),
            groups.join(" "),
            described.join("\n")
        ))
    }
}

fn rules_of(obj: &Value) -> Vec<Value> {
    obj.get("rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A rule as single permissions, as kube breaks a rule down to compare it.
fn breakdown(rule: &Value) -> Vec<Permission> {
    let verbs = strings(rule.get("verbs"));
    let names = strings(rule.get("resourceNames"));
    let mut out = Vec::new();
    for group in strings(rule.get("apiGroups")) {
        for resource in strings(rule.get("resources")) {
            for verb in &verbs {
                let one = |name: Option<String>| Permission {
                    group: group.clone(),
                    resource: resource.clone(),
                    name,
                    url: None,
                    verb: verb.clone(),
                };
                if names.is_empty() {
                    out.push(one(None));
                } else {
                    out.extend(names.iter().map(|n| one(Some(n.clone()))));
                }
            }
        }
    }
    for url in strings(rule.get("nonResourceURLs")) {
        for verb in &verbs {
            out.push(Permission {
                group: String::new(),
                resource: String::new(),
                name: None,
                url: Some(url.clone()),
                verb: verb.clone(),
            });
        }
    }
    out
}

/// Whether the user's rules where the object applies allow the permission.
fn holds(policy: &Policy, user: &User, namespace: &str, p: &Permission) -> bool {
    let what = match &p.url {
        Some(url) => Attributes {
            verb: p.verb.clone(),
            resource: None,
            path: url.clone(),
        },
        None => {
            let (resource, subresource) = p.resource.split_once('/').unwrap_or((&p.resource, ""));
            Attributes {
                verb: p.verb.clone(),
                resource: Some(ResourceAttributes {
                    group: p.group.clone(),
                    resource: resource.to_string(),
                    subresource: subresource.to_string(),
                    namespace: namespace.to_string(),
                    name: p.name.clone().unwrap_or_default(),
                    ..Default::default()
                }),
                path: String::new(),
            }
        }
    };
    policy.allows(user, &what)
}

/// kube's compaction of missing permissions: those on one resource with no name differ
/// only by verb, and become one rule with their verbs in order.
fn compact(missing: Vec<Permission>) -> Vec<(Permission, Vec<String>)> {
    let mut out: Vec<(Permission, Vec<String>)> = Vec::new();
    for p in missing {
        let simple = p.name.is_none() && p.url.is_none();
        let same = out.iter_mut().find(|(q, _)| {
            simple
                && q.name.is_none()
                && q.url.is_none()
                && q.group == p.group
                && q.resource == p.resource
        });
        match same {
            Some((_, verbs)) => verbs.push(p.verb),
            None => {
                let verb = p.verb.clone();
                out.push((p, vec![verb]));
            }
        }
    }
    out
}

/// A rule as kube's `CompactString` prints it: `{APIGroups:[""], Resources:["pods"],
/// Verbs:["get" "list"]}`.
fn describe((p, verbs): &(Permission, Vec<String>)) -> String {
    let list = |items: &[&str]| {
        let quoted: Vec<String> = items.iter().map(|s| crate::go::quote(s)).collect();
        format!("[{}]", quoted.join(" "))
    };
    let mut parts = Vec::new();
    if let Some(url) = &p.url {
        parts.push(format!("NonResourceURLs:{}", list(&[url])));
    } else {
        parts.push(format!("APIGroups:{}", list(&[&p.group])));
        parts.push(format!("Resources:{}", list(&[&p.resource])));
        if let Some(name) = &p.name {
            parts.push(format!("ResourceNames:{}", list(&[name])));
        }
    }
    let verbs: Vec<&str> = verbs.iter().map(String::as_str).collect();
    parts.push(format!("Verbs:{}", list(&verbs)));
    format!("{{{}}}", parts.join(", "))
}

/// kube-apiserver's 403 for an RBAC object: `roles.rbac.authorization.k8s.io "x" is
/// forbidden: WHY`.
fn forbidden(r: &Resource, name: &str, why: String) -> ApiError {
    let mut e = ApiError::new(
        403,
        "Forbidden",
        format!("{} \"{name}\" is forbidden: {why}", r.qualified_plural()),
    );
    e.details = Some(Box::new(serde_json::json!({
        "name": name, "group": r.group, "kind": r.plural})));
    e
}
