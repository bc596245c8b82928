//! Roles, ClusterRoles and their bindings as kubectl describes them: a role's rules broken
//! down into one (group, resource, name) per line, verbs of a line gathered, lines sorted
//! as kubectl sorts them; a binding's role and subjects.

use super::json::{arr, at, s};
use super::meta::{annotations_block, labels_block};
use super::writer::Out;
use serde_json::Value;

/// One broken-down rule: each field a list, as `rbacv1.PolicyRule`.
#[derive(Clone, Default, PartialEq)]
struct Rule {
    verbs: Vec<String>,
    groups: Vec<String>,
    resources: Vec<String>,
    names: Vec<String>,
    urls: Vec<String>,
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    arr(v, &[key])
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Go's `%v` of a `[]string`.
fn list(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

impl Rule {
    /// The generated `PolicyRule.String()`, which kubectl sorts the lines by.
    fn sort_key(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            list(&self.verbs),
            list(&self.groups),
            list(&self.resources),
            list(&self.names),
            list(&self.urls)
        )
    }
}

/// One rule per group, resource, verb (and name), then one per URL and verb.
fn breakdown(rule: &Value) -> Vec<Rule> {
    let one = |s: &String| vec![s.clone()];
    let verbs = strings(rule, "verbs");
    let names = strings(rule, "resourceNames");
    let mut out = Vec::new();
    for g in &strings(rule, "apiGroups") {
        for r in &strings(rule, "resources") {
            for v in &verbs {
                let base = Rule {
                    verbs: one(v),
                    groups: one(g),
                    resources: one(r),
                    ..Rule::default()
                };
                if names.is_empty() {
                    out.push(base);
                } else {
                    for n in &names {
                        out.push(Rule {
                            names: one(n),
                            ..base.clone()
                        });
                    }
                }
            }
        }
    }
    for u in &strings(rule, "nonResourceURLs") {
        for v in &verbs {
            out.push(Rule {
                verbs: one(v),
                urls: one(u),
                ..Rule::default()
            });
        }
    }
    out
}

/// Rules on one (group, resource, name) merged, verbs in the order met; then sorted.
fn compact(rules: Vec<Rule>) -> Vec<Rule> {
    let mut out: Vec<Rule> = Vec::new();
    let mut simple: Vec<Rule> = Vec::new();
    for r in rules {
        let is_simple =
            r.urls.is_empty() && r.groups.len() == 1 && r.resources.len() == 1 && r.names.len() < 2;
        if !is_simple {
            out.push(r);
            continue;
        }
        match simple
            .iter_mut()
            .find(|e| (&e.groups, &e.resources, &e.names) == (&r.groups, &r.resources, &r.names))
        {
            // Verbs it does not have yet are added, in order.
            Some(e) => {
                for v in r.verbs {
                    if !e.verbs.contains(&v) {
                        e.verbs.push(v);
                    }
                }
            }
            None => simple.push(r),
        }
    }
    out.extend(simple);
    // A stable sort: equal keys keep their order.
    out.sort_by_key(Rule::sort_key);
    out
}

/// `resource.group/subresource`, as kubectl's CombineResourceGroup.
fn resource_group(r: &Rule) -> String {
    let Some(first) = r.resources.first() else {
        return String::new();
    };
    let (res, sub) = match first.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (first.as_str(), None),
    };
    let mut out = res.to_string();
    if let Some(g) = r.groups.first().filter(|g| !g.is_empty()) {
        out.push('.');
        out.push_str(g);
    }
    if let Some(sub) = sub {
        out.push('/');
        out.push_str(sub);
    }
    out
}

fn header(w: &mut Out, o: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(o, &["metadata", "name"])));
    labels_block(w, "Labels", at(o, &["metadata", "labels"]));
    annotations_block(w, "Annotations", at(o, &["metadata", "annotations"]));
}

/// Role and ClusterRole.
pub fn render_role(role: &Value) -> String {
    let rules = compact(arr(role, &["rules"]).iter().flat_map(breakdown).collect());
    let mut w = Out::new();
    header(&mut w, role);
    w.w(0, "PolicyRule:\n");
    w.w(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    w.w(1, "---------\t-----------------\t--------------\t-----\n");
    for r in &rules {
        w.w(
            1,
            &format!(
                "{}\t{}\t{}\t{}\n",
                resource_group(r),
                list(&r.urls),
                list(&r.names),
                list(&r.verbs)
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
