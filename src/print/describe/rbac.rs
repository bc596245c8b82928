//! Roles, ClusterRoles and their bindings as kubectl describes them: a role's rules broken
//! down into one (group, resource, name) per line, verbs of a line gathered, lines sorted
//! as kubectl sorts them; a binding's role and subjects.

use super::json::{arr, at, s};
use super::meta::{annotations_block, labels_block};
use super::writer::Out;
use crate::api::policy_rule::{PolicyRule, compact, go_list};
use serde_json::Value;

fn header(w: &mut Out, o: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(o, &["metadata", "name"])));
    labels_block(w, "Labels", at(o, &["metadata", "labels"]));
    annotations_block(w, "Annotations", at(o, &["metadata", "annotations"]));
}

/// Role and ClusterRole.
pub fn render_role(role: &Value) -> String {
    let rules: Vec<PolicyRule> = arr(role, &["rules"]).iter().map(PolicyRule::of).collect();
    let mut w = Out::new();
    header(&mut w, role);
    w.w(0, "PolicyRule:\n");
    w.w(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    w.w(1, "---------\t-----------------\t--------------\t-----\n");
    for r in &compact(&rules) {
        w.w(
            1,
            &format!(
                "{}\t{}\t{}\t{}\n",
                r.resource_cell(),
                go_list(&r.urls),
                go_list(&r.names),
                go_list(&r.verbs)
            ),
        );
    }
    w.finish()
}

/// RoleBinding and ClusterRoleBinding.
pub fn render_binding(b: &Value) -> String {
    let mut w = Out::new();
    header(&mut w, b);
    w.w(0, "Role:\n");
    w.w(1, &format!("Kind:\t{}\n", s(b, &["roleRef", "kind"])));
    w.w(1, &format!("Name:\t{}\n", s(b, &["roleRef", "name"])));
    w.w(0, "Subjects:\n");
    w.w(1, "Kind\tName\tNamespace\n");
    w.w(1, "----\t----\t---------\n");
    for x in arr(b, &["subjects"]) {
        w.w(
            1,
            &format!(
                "{}\t{}\t{}\n",
                s(x, &["kind"]),
                s(x, &["name"]),
                s(x, &["namespace"])
            ),
        );
    }
    w.finish()
}
