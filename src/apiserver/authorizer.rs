//! What a user may do: the one decision serve's authorization (`server::authz`) applies to
//! every request, that the embedded CLI applies when it acts as someone (`--as`), and that
//! the access and rules reviews report, so that their answers are what is enforced.
//!
//! As kube-apiserver with `--authorization-mode=Node,RBAC`: members of `system:masters`
//! may do everything (the superuser group, before any authorizer); nodes are judged by the
//! Node authorizer first (`node_authorizer`), then everyone by RBAC (`decision` runs the
//! chain); a refusal carries the reasons the authorizers gave. A request is allowed when a rule of a role bound to the user allows
//! it: ClusterRoleBindings anywhere, RoleBindings (to a Role of their namespace or a
//! ClusterRole) in their namespace. Rules only grant; nothing denies.

use crate::api::json::str_at as s;
use crate::api::registry;
use crate::api::status::ApiError;
use serde_json::Value;

/// The group whose members may do anything.
pub const MASTERS: &str = "system:masters";

/// Who asks.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub name: String,
    pub groups: Vec<String>,
}

impl User {
    pub fn is_master(&self) -> bool {
        self.groups.iter().any(|g| g == MASTERS)
    }
}

/// What is asked, as kube-apiserver's authorizers see a request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attributes {
    pub verb: String,
    /// `None`: a non-resource request (`path`).
    pub resource: Option<ResourceAttributes>,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceAttributes {
    pub group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
    /// The field selector's exact-match requirements (`field=value`), which the Node
    /// authorizer reads for lists and watches of pods.
    pub field_selector: Vec<(String, String)>,
}

/// A field selector's exact-match requirements (`a=b`, `a==b`); `!=` terms and malformed
/// ones require nothing exact.
pub fn exact_fields(selector: &str) -> Vec<(String, String)> {
    selector
        .split(',')
        .filter(|term| !term.contains("!="))
        .filter_map(|term| {
            let (field, value) = term.split_once("==").or_else(|| term.split_once('='))?;
            Some((field.trim().to_string(), value.trim().to_string()))
        })
        .collect()
}

/// kube-apiserver's 403 with the authorizers' reason after the message (`...: reason`).
pub fn with_reason(mut e: ApiError, reason: &str) -> ApiError {
    if !reason.is_empty() {
        e.message = format!("{}: {reason}", e.message);
    }
    e
}

/// The verbs a resource rule may name, in kube-apiserver's order.
pub const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];

/// The RBAC objects a decision reads: the cluster-wide ones, and those of one namespace.
#[derive(Debug, Default)]
pub struct Policy {
    pub cluster_roles: Vec<Value>,
    pub cluster_bindings: Vec<Value>,
    /// The namespace `roles` and `bindings` come from ("" for none).
    pub namespace: String,
    pub roles: Vec<Value>,
    pub bindings: Vec<Value>,
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    crate::api::json::strings(v.get(key))
}

/// `system:serviceaccount:<ns>:<name>`: a service account's user name.
pub fn service_account_user(namespace: &str, name: &str) -> String {
    format!("system:serviceaccount:{namespace}:{name}")
}

/// Whether a binding's subject is `user`; `namespace` is the binding's (a service account
/// subject without one is in it).
fn applies(subject: &Value, user: &User, namespace: &str) -> bool {
    let name = s(subject, "/name");
    match s(subject, "/kind") {
        "User" => user.name == name,
        "Group" => user.groups.iter().any(|g| g == name),
        "ServiceAccount" => {
            let ns = match s(subject, "/namespace") {
                "" => namespace,
                ns => ns,
            };
            !ns.is_empty() && user.name == service_account_user(ns, name)
        }
        _ => false,
    }
}

fn binds(binding: &Value, user: &User) -> bool {
    subject_of(binding, user).is_some()
}

/// The first of a binding's subjects that is `user`.
fn subject_of<'b>(binding: &'b Value, user: &User) -> Option<&'b Value> {
    let ns = s(binding, "/metadata/namespace");
    binding
        .get("subjects")
        .and_then(Value::as_array)?
        .iter()
        .find(|x| applies(x, user, ns))
}

/// kube's RBAC words for what allowed a request: `RBAC: allowed by ClusterRoleBinding
/// "b" of ClusterRole "r" to User "u"` (a RoleBinding as `"b/ns"`, a service account as
/// `"name/ns"`).
fn allowed_by(binding: &Value, subject: &Value) -> String {
    let ns = s(binding, "/metadata/namespace");
    let name = s(binding, "/metadata/name");
    let (kind, binding_name) = if ns.is_empty() {
        ("ClusterRoleBinding", name.to_string())
    } else {
        ("RoleBinding", format!("{name}/{ns}"))
    };
    let subject_kind = s(subject, "/kind");
    let subject_name = match (subject_kind, s(subject, "/namespace")) {
        ("ServiceAccount", "") => format!("{}/{ns}", s(subject, "/name")),
        ("ServiceAccount", own) => format!("{}/{own}", s(subject, "/name")),
        _ => s(subject, "/name").to_string(),
    };
    format!(
        "RBAC: allowed by {kind} {binding_name:?} of {} {:?} to {subject_kind} {subject_name:?}",
        s(binding, "/roleRef/kind"),
        s(binding, "/roleRef/name"),
    )
}

impl Policy {
    fn cluster_role(&self, name: &str) -> Option<&Value> {
        self.cluster_roles
            .iter()
            .find(|r| s(r, "/metadata/name") == name)
    }

    fn role_rules(&self, binding: &Value) -> Vec<&Value> {
        let name = s(binding, "/roleRef/name");
        let role = match s(binding, "/roleRef/kind") {
            "ClusterRole" => self.cluster_role(name),
            "Role" => self.roles.iter().find(|r| s(r, "/metadata/name") == name),
            _ => None,
        };
        role.and_then(|r| r.get("rules"))
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    /// Every rule that applies to `user` in `namespace` ("" for cluster-wide only), in
    /// kube's order: cluster bindings first, then the namespace's bindings.
    pub fn rules_for(&self, user: &User, namespace: &str) -> Vec<&Value> {
        let mut out = Vec::new();
        for b in self.cluster_bindings.iter().filter(|b| binds(b, user)) {
            out.extend(self.role_rules(b));
        }
        if !namespace.is_empty() && namespace == self.namespace {
            for b in self.bindings.iter().filter(|b| binds(b, user)) {
                out.extend(self.role_rules(b));
            }
        }
        out
    }

    /// Whether RBAC allows `what` to `user` (masters are not special here).
    pub fn allows(&self, user: &User, what: &Attributes) -> bool {
        self.allowing(user, what).is_some()
    }

    /// What allows `what` to `user`, in kube's words, in kube's order (cluster bindings,
    /// then the namespace's); `None` when nothing does.
    pub fn allowing(&self, user: &User, what: &Attributes) -> Option<String> {
        let namespace = what.resource.as_ref().map_or("", |r| r.namespace.as_str());
        let local = (!namespace.is_empty() && namespace == self.namespace)
            .then_some(&self.bindings)
            .into_iter()
            .flatten();
        self.cluster_bindings.iter().chain(local).find_map(|b| {
            let subject = subject_of(b, user)?;
            self.role_rules(b)
                .into_iter()
                .any(|rule| rule_allows(rule, what))
                .then(|| allowed_by(b, subject))
        })
    }
}

fn has(list: &[String], want: &str) -> bool {
    list.iter().any(|x| x == "*" || x == want)
}

/// Whether one PolicyRule allows the request.
pub fn rule_allows(rule: &Value, what: &Attributes) -> bool {
    if !has(&strings(rule, "verbs"), &what.verb) {
        return false;
    }
    let Some(r) = &what.resource else {
        return strings(rule, "nonResourceURLs").iter().any(|u| {
            u == "*"
                || *u == what.path
                || u.strip_suffix('*')
                    .is_some_and(|prefix| what.path.starts_with(prefix))
        });
    };
    if !has(&strings(rule, "apiGroups"), &r.group) {
        return false;
    }
    let combined = if r.subresource.is_empty() {
        r.resource.clone()
    } else {
        format!("{}/{}", r.resource, r.subresource)
    };
    let resource_ok = strings(rule, "resources").iter().any(|x| {
        x == "*"
            || *x == combined
            || (!r.subresource.is_empty() && x.strip_prefix("*/") == Some(r.subresource.as_str()))
    });
    if !resource_ok {
        return false;
    }
    let names = strings(rule, "resourceNames");
    names.is_empty() || names.contains(&r.name)
}

/// kube-apiserver's 403 for a refused resource request: `pods "web" is forbidden: User
/// "jane" cannot get resource "pods" in API group "" in the namespace "default"`, with its
/// details (name, group, kind as the plural).
pub fn forbidden(
    user: &str,
    verb: &str,
    r: &registry::Resource,
    subresource: &str,
    namespace: Option<&str>,
    name: Option<&str>,
) -> ApiError {
    let resource = if subresource.is_empty() {
        r.plural.to_string()
    } else {
        format!("{}/{subresource}", r.plural)
    };
    let scope = match namespace.filter(|n| !n.is_empty()) {
        Some(ns) => format!("in the namespace \"{ns}\""),
        None => "at the cluster scope".to_string(),
    };
    let why = format!(
        "User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{}\" {scope}",
        r.group
    );
    let what = r.qualified_plural();
    let name = name.filter(|n| !n.is_empty());
    let message = match name {
        Some(name) => format!("{what} \"{name}\" is forbidden: {why}"),
        None => format!("{what} is forbidden: {why}"),
    };
    let mut e = ApiError::new(403, "Forbidden", message);
    let mut details = serde_json::Map::new();
    if let Some(name) = name {
        details.insert("name".into(), name.into());
    }
    if !r.group.is_empty() {
        details.insert("group".into(), r.group.into());
    }
    details.insert("kind".into(), r.plural.into());
    e.details = Some(Box::new(Value::Object(details)));
    e
}

impl super::ApiServer {
    /// The RBAC objects a decision in `namespace` reads.
    pub fn rbac_policy(&self, namespace: &str) -> Result<Policy, ApiError> {
        let items = |plural: &str, ns: Option<&str>| -> Result<Vec<Value>, ApiError> {
            let r = registry::find(&format!("{plural}.rbac.authorization.k8s.io"))
                .ok_or_else(|| ApiError::internal("rbac is not served"))?;
            let mut list = self.list(r, ns, &Default::default())?;
            Ok(match list.get_mut("items").map(Value::take) {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            })
        };
        let ns = Some(namespace).filter(|n| !n.is_empty());
        Ok(Policy {
            cluster_roles: items("clusterroles", None)?,
            cluster_bindings: items("clusterrolebindings", None)?,
            namespace: namespace.to_string(),
            roles: match ns {
                Some(n) => items("roles", Some(n))?,
                None => Vec::new(),
            },
            bindings: match ns {
                Some(n) => items("rolebindings", Some(n))?,
                None => Vec::new(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user(name: &str, groups: &[&str]) -> User {
        User {
            name: name.into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn on(verb: &str, group: &str, resource: &str, sub: &str, ns: &str, name: &str) -> Attributes {
        Attributes {
            verb: verb.into(),
            resource: Some(ResourceAttributes {
                group: group.into(),
                resource: resource.into(),
                subresource: sub.into(),
                namespace: ns.into(),
                name: name.into(),
                ..Default::default()
            }),
            path: String::new(),
        }
    }

    fn policy() -> Policy {
        Policy {
            cluster_roles: vec![
                json!({"metadata": {"name": "reader"}, "rules": [
                    {"verbs": ["get", "list"], "apiGroups": ["", "apps"], "resources": ["pods", "deployments", "*/scale"]},
                    {"verbs": ["get"], "nonResourceURLs": ["/healthz", "/logs/*"]}]}),
                json!({"metadata": {"name": "one-secret"}, "rules": [
                    {"verbs": ["get"], "apiGroups": [""], "resources": ["secrets"], "resourceNames": ["s1"]}]}),
            ],
            cluster_bindings: vec![json!({"metadata": {"name": "b"},
                "roleRef": {"kind": "ClusterRole", "name": "reader"},
                "subjects": [{"kind": "Group", "name": "readers"}]})],
            namespace: "team".into(),
            roles: vec![
                json!({"metadata": {"name": "writer", "namespace": "team"}, "rules": [
                {"verbs": ["*"], "apiGroups": ["*"], "resources": ["configmaps"]}]}),
            ],
            bindings: vec![
                json!({"metadata": {"name": "w", "namespace": "team"},
                    "roleRef": {"kind": "Role", "name": "writer"},
                    "subjects": [{"kind": "User", "name": "jane"}, {"kind": "ServiceAccount", "name": "bot"}]}),
                json!({"metadata": {"name": "s", "namespace": "team"},
                    "roleRef": {"kind": "ClusterRole", "name": "one-secret"},
                    "subjects": [{"kind": "User", "name": "jane"}]}),
            ],
        }
    }

    #[test]
    fn rbac_grants_through_bindings_only() {
        let p = policy();
        let jane = user("jane", &["system:authenticated"]);
        let reader = user("rita", &["readers", "system:authenticated"]);
        let bot = user(
            "system:serviceaccount:team:bot",
            &["system:serviceaccounts"],
        );
        assert!(p.allows(&reader, &on("list", "", "pods", "", "any", "")));
        assert!(p.allows(
            &reader,
            &on("get", "apps", "deployments", "scale", "x", "d")
        ));
        assert!(!p.allows(&reader, &on("get", "", "pods", "log", "x", "p")));
        assert!(!p.allows(&reader, &on("delete", "", "pods", "", "x", "p")));
        assert!(p.allows(&jane, &on("delete", "", "configmaps", "", "team", "c")));
        assert!(!p.allows(&jane, &on("delete", "", "configmaps", "", "other", "c")));
        assert!(p.allows(&bot, &on("create", "", "configmaps", "", "team", "")));
        assert!(p.allows(&jane, &on("get", "", "secrets", "", "team", "s1")));
        assert!(!p.allows(&jane, &on("get", "", "secrets", "", "team", "s2")));
        assert!(!p.allows(&jane, &on("list", "", "secrets", "", "team", "")));
        let path = |p: &str| Attributes {
            verb: "get".into(),
            resource: None,
            path: p.into(),
        };
        assert!(p.allows(&reader, &path("/healthz")));
        assert!(p.allows(&reader, &path("/logs/kubelet.log")));
        assert!(!p.allows(&reader, &path("/metrics")));
        assert!(!p.allows(&jane, &path("/healthz")));
    }

    #[test]
    fn allowing_names_the_binding_in_rbacs_words() {
        let role = json!({"metadata": {"name": "reader", "namespace": "ns"},
            "rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]});
        let cluster_role = json!({"metadata": {"name": "lister"},
            "rules": [{"verbs": ["list"], "apiGroups": [""], "resources": ["pods"]}]});
        let p = Policy {
            cluster_roles: vec![cluster_role],
            cluster_bindings: vec![json!({"metadata": {"name": "listers"},
                "roleRef": {"kind": "ClusterRole", "name": "lister"},
                "subjects": [{"kind": "Group", "name": "devs"}, {"kind": "User", "name": "jane"}]})],
            namespace: "ns".into(),
            roles: vec![role],
            bindings: vec![json!({"metadata": {"name": "readers", "namespace": "ns"},
                "roleRef": {"kind": "Role", "name": "reader"},
                "subjects": [{"kind": "ServiceAccount", "name": "robot"}]})],
        };
        let jane = user("jane", &["devs"]);
        assert_eq!(
            p.allowing(&jane, &on("list", "", "pods", "", "ns", ""))
                .as_deref(),
            Some(
                "RBAC: allowed by ClusterRoleBinding \"listers\" of ClusterRole \"lister\" to Group \"devs\""
            )
        );
        let robot = user("system:serviceaccount:ns:robot", &[]);
        assert_eq!(
            p.allowing(&robot, &on("get", "", "pods", "", "ns", "p"))
                .as_deref(),
            Some(
                "RBAC: allowed by RoleBinding \"readers/ns\" of Role \"reader\" to ServiceAccount \"robot/ns\""
            )
        );
        assert_eq!(
            p.allowing(&robot, &on("list", "", "pods", "", "ns", "")),
            None
        );
    }
}
