//! `create rolebinding` and `create clusterrolebinding`: a binding of one role to the
//! users, groups and service accounts given. The subcommands own `--user` (the binding's
//! subjects), as kubectl's do: their flag shadows the global kubeconfig `--user` (clap
//! leaves out a global argument whose id a subcommand declares itself).

use super::Common;
use super::objects::metadata;
use clap::Args;
use serde_json::{Map, Value, json};

const GROUP: &str = "rbac.authorization.k8s.io";

#[derive(Args, Debug)]
pub struct SubjectArgs {
    /// Usernames to bind to the role. The flag can be repeated to add multiple users.
    #[arg(long = "user", id = "user")]
    pub users: Vec<String>,
    /// Groups to bind to the role. The flag can be repeated to add multiple groups.
    #[arg(long = "group")]
    pub groups: Vec<String>,
    /// Service accounts to bind to the role, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.
    #[arg(long = "serviceaccount")]
    pub service_accounts: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RoleBindingArgs {
    /// NAME
    pub names: Vec<String>,
    /// Role this RoleBinding should reference
    #[arg(long, default_value = "")]
    pub role: String,
    /// ClusterRole this RoleBinding should reference
    #[arg(long, default_value = "")]
    pub clusterrole: String,
    #[command(flatten)]
    pub subjects: SubjectArgs,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct ClusterRoleBindingArgs {
    /// NAME
    pub names: Vec<String>,
    /// ClusterRole this ClusterRoleBinding should reference
    #[arg(long)]
    pub clusterrole: Option<String>,
    #[command(flatten)]
    pub subjects: SubjectArgs,
    #[command(flatten)]
    pub common: Common,
}

impl RoleBindingArgs {
    /// kubectl's check after the NAME: exactly one role.
    pub fn check(&self) -> Result<(), String> {
        if self.role.is_empty() == self.clusterrole.is_empty() {
            return Err("exactly one of clusterrole or role must be specified".into());
        }
        Ok(())
    }
}

/// Users, then groups, then service accounts, as kubectl adds them.
fn subjects(a: &SubjectArgs) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for u in &a.users {
        out.push(json!({"kind": "User", "apiGroup": GROUP, "name": u}));
    }
    for g in &a.groups {
        out.push(json!({"kind": "Group", "apiGroup": GROUP, "name": g}));
    }
    for sa in &a.service_accounts {
        match sa.split(':').collect::<Vec<_>>()[..] {
            [ns, name] if !ns.is_empty() && !name.is_empty() => {
                out.push(json!({"kind": "ServiceAccount", "name": name, "namespace": ns}));
            }
            _ => return Err("serviceaccount must be <namespace>:<name>".into()),
        }
    }
    Ok(out)
}

fn binding(
    kind: &str,
    name: &str,
    namespace: Option<&str>,
    role_kind: &str,
    role: &str,
    a: &SubjectArgs,
) -> Result<Value, String> {
    let mut obj = Map::new();
    obj.insert("kind".into(), json!(kind));
    obj.insert("apiVersion".into(), json!("rbac.authorization.k8s.io/v1"));
    obj.insert("metadata".into(), metadata(name, namespace, None));
    let subjects = subjects(a)?;
    if !subjects.is_empty() {
        obj.insert("subjects".into(), Value::Array(subjects));
    }
    obj.insert(
        "roleRef".into(),
        json!({"apiGroup": GROUP, "kind": role_kind, "name": role}),
    );
    Ok(Value::Object(obj))
}

pub fn build(a: &RoleBindingArgs, name: &str, namespace: Option<&str>) -> Result<Value, String> {
    let (kind, role) = if a.role.is_empty() {
        ("ClusterRole", a.clusterrole.as_str())
    } else {
        ("Role", a.role.as_str())
    };
    binding("RoleBinding", name, namespace, kind, role, &a.subjects)
}

pub fn build_cluster(a: &ClusterRoleBindingArgs, name: &str) -> Result<Value, String> {
    let role = a.clusterrole.as_deref().unwrap_or("");
    binding(
        "ClusterRoleBinding",
        name,
        None,
        "ClusterRole",
        role,
        &a.subjects,
    )
}
