//! `kubectl describe namespace`: status, resource quotas and limit ranges (no events).

use serde_json::Value;

use super::container::resource_list;
use super::json::{arr, at, obj, s, scalar};
use super::meta::{annotations_block, labels_block};
use super::time::rfc1123;
use super::writer::Out;
use super::{DescribeOptions, Lookup};
use crate::api::quantity::Quantity;

pub fn describe_namespace(
    ns: &Value,
    lookup: &dyn Lookup,
    _opts: &DescribeOptions,
) -> Result<String, String> {
    let name = s(ns, &["metadata", "name"]);
    let quotas = lookup.list("resourcequotas", Some(name), None, None)?;
    let limit_ranges = lookup.list("limitranges", Some(name), None, None)?;
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
    resource_quotas(&mut w, &quotas);
    w.w(0, "\n");
    limit_ranges_block(&mut w, &limit_ranges);
    Ok(w.finish())
}

/// Help text kubectl prints under a quota scope.
fn scope_help(scope: &str) -> &'static str {
    match scope {
        "Terminating" => {
            "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system."
        }
        "NotTerminating" => {
            "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate."
        }
        "BestEffort" => {
            "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service."
        }
        "NotBestEffort" => {
            "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service."
        }
        _ => "",
    }
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
        let used = resource_list(at(q, &["status", "used"]));
        for (name, hard) in resource_list(at(q, &["status", "hard"])) {
            let used = used
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, u)| u.clone())
                .unwrap_or_else(|| "0".to_string());
            w.w(1, &format!("{name}\t{used}\t{hard}\n"));
        }
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
        for item in arr(lr, &["spec", "limits"]) {
            let fields = [
                "min",
                "max",
                "defaultRequest",
                "default",
                "maxLimitRequestRatio",
            ];
            let mut names: Vec<String> = fields
                .iter()
                .filter_map(|f| obj(item, &[f]))
                .flat_map(|m| m.keys().cloned())
                .collect();
            names.sort();
            names.dedup();
            for name in names {
                let cell = |f: &str| {
                    at(item, &[f, name.as_str()])
                        .map(|v| {
                            Quantity::from_json(v)
                                .map(|q| q.to_string())
                                .unwrap_or_else(|| scalar(v))
                        })
                        .unwrap_or_else(|| "-".to_string())
                };
                w.w(
                    0,
                    &format!(
                        " {}\t{name}\t{}\t{}\t{}\t{}\t{}\n",
                        s(item, &["type"]),
                        cell("min"),
                        cell("max"),
                        cell("defaultRequest"),
                        cell("default"),
                        cell("maxLimitRequestRatio")
                    ),
                );
            }
        }
    }
}
