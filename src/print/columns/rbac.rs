//! rbac.authorization.k8s.io/v1 bindings: the role they grant and, wide, who receives it.
//! (Roles and ClusterRoles print as the generic Name / Created At, as kube's do.)

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

pub fn binding_columns() -> Vec<Value> {
    vec![
        name_col(),
        column("Role", "string", "", "", 0),
        age_col(),
        wide_col("Users", "Users in the roleBinding"),
        wide_col("Groups", "Groups in the roleBinding"),
        wide_col("ServiceAccounts", "ServiceAccounts in the roleBinding"),
    ]
}

pub fn binding_cells(b: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let role = format!(
        "{}/{}",
        str_at(b, &["roleRef", "kind"]),
        str_at(b, &["roleRef", "name"])
    );
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for s in array_at(b, &["subjects"]) {
        let name = str_at(s, &["name"]);
        match str_at(s, &["kind"]) {
            "User" => users.push(name.to_string()),
            "Group" => groups.push(name.to_string()),
            "ServiceAccount" => sas.push(format!("{}/{name}", str_at(s, &["namespace"]))),
            _ => {}
        }
    }
    vec![
        json!(name_of(b)),
        json!(role),
        json!(creation_age(b, now)),
        json!(users.join(", ")),
        json!(groups.join(", ")),
        json!(sas.join(", ")),
    ]
}
