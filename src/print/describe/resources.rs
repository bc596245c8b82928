//! Pod resource totals as kubectl computes them for `describe node`: containers add up,
//! init containers set a floor (sidecars add to both), pod overhead is added on top.

use serde_json::Value;

use super::json::{arr, at, obj, s};
use crate::api::quantity::Quantity;

/// Resource name to quantity, kept in insertion order (the first value fixes the format).
pub type ResourceTotals = Vec<(String, Quantity)>;

pub fn lookup<'a>(list: &'a ResourceTotals, name: &str) -> Option<&'a Quantity> {
    list.iter().find(|(n, _)| n == name).map(|(_, q)| q)
}

fn quantities(v: Option<&Value>) -> Vec<(String, Quantity)> {
    let mut out: Vec<(String, Quantity)> = v
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, q)| Quantity::from_json(q).map(|q| (k.clone(), q)))
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub fn add_all(total: &mut ResourceTotals, more: &[(String, Quantity)]) {
    for (name, q) in more {
        match total.iter_mut().find(|(n, _)| n == name) {
            Some((_, t)) => t.add(q),
            None => total.push((name.clone(), *q)),
        }
    }
}

fn max_all(total: &mut ResourceTotals, more: &[(String, Quantity)]) {
    for (name, q) in more {
        match total.iter_mut().find(|(n, _)| n == name) {
            Some((_, t)) => {
                if q.nanos() > t.nanos() {
                    *t = *q;
                }
            }
            None => total.push((name.clone(), *q)),
        }
    }
}

fn is_sidecar(c: &Value) -> bool {
    s(c, &["restartPolicy"]) == "Always"
}

/// Total requests (`field` = "requests") or limits (`field` = "limits") of a pod.
pub fn pod_totals(pod: &Value, field: &str) -> ResourceTotals {
    let mut total = ResourceTotals::new();
    for c in arr(pod, &["spec", "containers"]) {
        let mut own = quantities(at(c, &["resources", field]));
        if field == "requests" {
            // A resize in progress may have allocated more than is requested.
            let name = s(c, &["name"]);
            let status = arr(pod, &["status", "containerStatuses"])
                .iter()
                .find(|st| s(st, &["name"]) == name);
            if let Some(st) = status {
                let allocated = quantities(at(st, &["allocatedResources"]));
                if s(pod, &["status", "resize"]) == "Infeasible" {
                    own = allocated;
                } else {
                    max_all(&mut own, &allocated);
                }
            }
        }
        add_all(&mut total, &own);
    }
    let mut sidecars = ResourceTotals::new();
    let mut init_floor = ResourceTotals::new();
    for c in arr(pod, &["spec", "initContainers"]) {
        let own = quantities(at(c, &["resources", field]));
        let effective = if is_sidecar(c) {
            add_all(&mut total, &own);
            add_all(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut tmp = ResourceTotals::new();
            add_all(&mut tmp, &own);
            add_all(&mut tmp, &sidecars);
            tmp
        };
        max_all(&mut init_floor, &effective);
    }
    max_all(&mut total, &init_floor);
    if obj(pod, &["spec", "overhead"]).is_some() {
        let overhead = quantities(at(pod, &["spec", "overhead"]));
        if field == "requests" {
            add_all(&mut total, &overhead);
        } else {
            for (name, q) in overhead {
                if let Some((_, t)) = total.iter_mut().find(|(n, _)| *n == name) {
                    t.add(&q);
                }
            }
        }
    }
    total
}
