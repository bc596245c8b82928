//! `kubectl describe namespace`: status, resource quotas and limit ranges (no events).

use serde_json::Value;

use super::json::{arr, at, s, scalar};
use super::meta::{annotations_block, labels_block};
use super::policy::{limit_rows, quota_rows, scope_help};
use super::related::{Query, Related, Slot, list_in};
use super::time::rfc1123;
use super::writer::Out;

/// The namespace's ResourceQuotas and LimitRanges; kubectl gives up without either.
pub fn plan(ns: &Value) -> Vec<Query> {
    let name = s(ns, &["metadata", "name"]);
    vec![
        list_in(Slot::ResourceQuotas, "resourcequotas", name, "").required(),
        list_in(Slot::LimitRanges, "limitranges", name, "").required(),
    ]
}

pub fn render(ns: &Value, related: &Related) -> String {
    let name = s(ns, &["metadata", "name"]);
    let quotas = related.resource_quotas.as_deref().unwrap_or_default();
    let limit_ranges = related.limit_ranges.as_deref().unwrap_or_default();
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    labels_block(&mut w, "Labels", at(ns, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(ns, &["metadata", "annotations"]));
    w.w(0, &format!("Status:\t{}\n", s(ns, &["status", "phase"])));
    let conditions = arr(ns, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t------------------\t------\t-------\n");
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    rfc1123(c, &["lastTransitionTime"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    w.w(0, "\n");
    resource_quotas(&mut w, quotas);
    w.w(0, "\n");
    limit_ranges_block(&mut w, limit_ranges);
    w.finish()
}

fn resource_quotas(w: &mut Out, quotas: &[Value]) {
    if quotas.is_empty() {
        w.w(0, "No resource quota.\n");
        return;
    }
    let mut items: Vec<&Value> = quotas.iter().collect();
    items.sort_by(|a, b| s(a, &["metadata", "name"]).cmp(s(b, &["metadata", "name"])));
    w.w(0, "Resource Quotas\n");
    for q in items {
        w.w(1, &format!("Name:\t{}\n", s(q, &["metadata", "name"])));
        let mut scopes: Vec<String> = arr(q, &["spec", "scopes"]).iter().map(scalar).collect();
        if !scopes.is_empty() {
            scopes.sort();
            w.w(1, &format!("Scopes:\t{}\n", scopes.join(", ")));
            for scope in &scopes {
                let help = scope_help(scope);
                if !help.is_empty() {
                    w.w(1, &format!("* {help}\n"));
                }
            }
        }
        w.w(1, "Resource\tUsed\tHard\n");
        w.w(1, "--------\t---\t---\n");
        quota_rows(w, 1, q);
    }
}

fn limit_ranges_block(w: &mut Out, ranges: &[Value]) {
    if ranges.is_empty() {
        w.w(0, "No LimitRange resource.\n");
        return;
    }
    w.w(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
    w.w(
        0,
        " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    for lr in ranges {
        limit_rows(w, " ", lr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One quota and one limit range, as fetched, with no client at all.
    fn policies() -> Related {
        Related {
            resource_quotas: Ok(vec![json!({
                "metadata": {"name": "q"},
                "spec": {"scopes": ["BestEffort"]},
                "status": {"hard": {"pods": "10", "cpu": "2"}, "used": {"pods": "3"}}
            })]),
            limit_ranges: Ok(vec![json!({
                "metadata": {"name": "l"},
                "spec": {"limits": [{"type": "Container", "max": {"memory": "1Gi"},
                    "defaultRequest": {"cpu": "100m"}}]}
            })]),
            ..Related::default()
        }
    }

    #[test]
    fn plan_asks_for_quotas_and_limit_ranges_and_needs_both() {
        let ns = json!({"metadata": {"name": "dev"}});
        let plan = plan(&ns);
        let asked: Vec<(&str, Option<&str>, bool)> = plan
            .iter()
            .map(|q| (q.resource, q.namespace.as_deref(), q.must_succeed))
            .collect();
        assert_eq!(
            asked,
            [
                ("resourcequotas", Some("dev"), true),
                ("limitranges", Some("dev"), true)
            ]
        );
    }

    #[test]
    fn quotas_and_limit_ranges_are_shown() {
        let ns = json!({"metadata": {"name": "dev"}, "status": {"phase": "Active"}});
        let text = render(&ns, &policies());
        assert_eq!(
            text,
            "Name:         dev\n\
             Labels:       <none>\n\
             Annotations:  <none>\n\
             Status:       Active\n\
             \n\
             Resource Quotas\n\
            \x20 Name:    q\n\
            \x20 Scopes:  BestEffort\n\
            \x20 * Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.\n\
            \x20 Resource  Used  Hard\n\
            \x20 --------  ---   ---\n\
            \x20 cpu       0     2\n\
            \x20 pods      3     10\n\
             \n\
             Resource Limits\n\
            \x20Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio\n\
            \x20----       --------  ---  ---  ---------------  -------------  -----------------------\n\
            \x20Container  cpu       -    -    100m             -              -\n\
            \x20Container  memory    -    1Gi  -                -              -\n"
        );
    }
}
