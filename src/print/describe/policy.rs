//! `kubectl describe` of the namespace policies: LimitRange (one row per limited
//! resource) and ResourceQuota (used against hard). Neither shows labels or events.

use serde_json::Value;

use super::container::resource_list;
use super::json::{arr, at, obj, s, scalar};
use super::writer::Out;
use crate::api::quantity::Quantity;

pub fn describe_limitrange(lr: &Value) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(lr, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(lr, &["metadata", "namespace"])),
    );
    w.w(
        0,
        "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
    );
    w.w(
        0,
        "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    limit_rows(&mut w, "", lr);
    w.finish()
}

pub fn describe_resourcequota(q: &Value) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(q, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(q, &["metadata", "namespace"])),
    );
    let mut scopes: Vec<String> = arr(q, &["spec", "scopes"]).iter().map(scalar).collect();
    if !scopes.is_empty() {
        scopes.sort();
        w.w(0, &format!("Scopes:\t{}\n", scopes.join(", ")));
        for scope in &scopes {
            let help = scope_help(scope);
            if !help.is_empty() {
                w.w(0, &format!(" * {help}\n"));
            }
        }
    }
    w.w(0, "Resource\tUsed\tHard\n");
    w.w(0, "--------\t----\t----\n");
    quota_rows(&mut w, 0, q);
    w.finish()
}

/// A LimitRange's rows, one per limited resource of each limit, each line led by `lead`.
pub(super) fn limit_rows(w: &mut Out, lead: &str, lr: &Value) {
    for item in arr(lr, &["spec", "limits"]) {
        let fields = [
            "min",
            "max",
            "defaultRequest",
            "default",
            "maxLimitRequestRatio",
        ];
        // kubectl walks a Go map here, in no fixed order; sorted is one of its orders.
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
            let [min, max, request, limit, ratio] = fields.map(cell);
            w.w(
                0,
                &format!(
                    "{lead}{}\t{name}\t{min}\t{max}\t{request}\t{limit}\t{ratio}\n",
                    s(item, &["type"])
                ),
            );
        }
    }
}

/// A ResourceQuota's used-against-hard rows at `level`.
pub(super) fn quota_rows(w: &mut Out, level: usize, q: &Value) {
    // Rows come from the status (what the quota controller admitted), not the spec.
    let used = resource_list(at(q, &["status", "used"]));
    for (name, hard) in resource_list(at(q, &["status", "hard"])) {
        let used = used
            .iter()
            .find(|(n, _)| *n == name)
            .map_or_else(|| "0".to_string(), |(_, u)| u.clone());
        w.w(level, &format!("{name}\t{used}\t{hard}\n"));
    }
}

/// Help text kubectl prints under a quota scope.
pub(super) fn scope_help(scope: &str) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn limitrange_rows_per_resource() {
        let lr = json!({"metadata": {"name": "limits", "namespace": "default"},
            "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m"}, "defaultRequest": {"cpu": "100m"}}]}});
        assert_eq!(
            describe_limitrange(&lr),
            "Name:       limits\nNamespace:  default\nType        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio\n----        --------  ---  ---  ---------------  -------------  -----------------------\nContainer   cpu       -    -    100m             500m           -\n"
        );
    }

    #[test]
    fn quota_rows_come_from_status() {
        let q = json!({"metadata": {"name": "quota", "namespace": "default"},
            "spec": {"hard": {"pods": "10"}},
            "status": {"hard": {"pods": "10"}, "used": {"pods": "3"}}});
        assert_eq!(
            describe_resourcequota(&q),
            "Name:       quota\nNamespace:  default\nResource    Used  Hard\n--------    ----  ----\npods        3     10\n"
        );
    }
}
