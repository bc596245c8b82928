//! `kubectl describe node`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{EventTarget, events_block, query};
use super::json::{arr, at, obj, s, scalar};
use super::meta::{annotations_block, labels_block, taints_block};
use super::related::{Query, Related, Select, Slot};
use super::resources::{ResourceTotals, add_all, lookup, pod_totals};
use super::time::{parse, rfc1123, since};
use super::writer::Out;
use crate::api::quantity::Quantity;

const ROLE_PREFIX: &str = "node-role.kubernetes.io/";

/// The node's non-terminated pods (in every namespace), its events, then its heartbeat
/// Lease, in kubectl's order. kubectl gives up when the pods cannot be listed.
pub fn plan(node: &Value, show_events: bool) -> Vec<Query> {
    let name = s(node, &["metadata", "name"]);
    let mut plan = vec![Query {
        slot: Slot::Pods,
        resource: "pods",
        namespace: None,
        select: Select::List {
            labels: None,
            fields: Some(format!(
                "spec.nodeName={name},status.phase!=Succeeded,status.phase!=Failed"
            )),
        },
        must_succeed: true,
    }];
    if show_events {
        // The controller reports node events under the node's UID, the kubelet under its name.
        for uid in [s(node, &["metadata", "uid"]), name] {
            plan.push(query(&EventTarget {
                kind: Some("Node"),
                name,
                namespace: "",
                uid,
            }));
        }
    }
    plan.push(Query {
        slot: Slot::Lease,
        resource: "leases",
        namespace: Some("kube-node-lease".to_string()),
        select: Select::Named(name.to_string()),
        must_succeed: false,
    });
    plan
}

pub fn render(node: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(node, &["metadata", "name"]);
    let pods = related.pods.as_deref().unwrap_or_default();
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    let roles = roles(node);
    w.w(
        0,
        &format!(
            "Roles:\t{}\n",
            if roles.is_empty() {
                "<none>".to_string()
            } else {
                roles.join(",")
            }
        ),
    );
    labels_block(&mut w, "Labels", at(node, &["metadata", "labels"]));
    annotations_block(
        &mut w,
        "Annotations",
        at(node, &["metadata", "annotations"]),
    );
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123(node, &["metadata", "creationTimestamp"])
        ),
    );
    taints_block(&mut w, "Taints", arr(node, &["spec", "taints"]));
    let unschedulable = at(node, &["spec", "unschedulable"])
        .and_then(Value::as_bool)
        .unwrap_or(false);
    w.w(0, &format!("Unschedulable:\t{unschedulable}\n"));

    lease_block(&mut w, name, &related.lease);

    let conditions = arr(node, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.w(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    rfc1123(c, &["lastHeartbeatTime"]),
                    rfc1123(c, &["lastTransitionTime"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    w.w(0, "Addresses:\n");
    for a in arr(node, &["status", "addresses"]) {
        w.w(
            1,
            &format!("{}:\t{}\n", s(a, &["type"]), s(a, &["address"])),
        );
    }
    for (field, label) in [("capacity", "Capacity"), ("allocatable", "Allocatable")] {
        if let Some(list) = obj(node, &["status", field]).filter(|m| !m.is_empty()) {
            w.w(0, &format!("{label}:\n"));
            let mut names: Vec<&String> = list.keys().collect();
            names.sort();
            for n in names {
                let q = Quantity::from_json(&list[n.as_str()])
                    .map(|q| q.to_string())
                    .unwrap_or_else(|| scalar(&list[n.as_str()]));
                w.w(1, &format!("{n}:\t{q}\n"));
            }
        }
    }
    w.w(0, "System Info:\n");
    let info = |k: &str| s(node, &["status", "nodeInfo", k]).to_string();
    for (label, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        w.w(1, &format!("{label}:\t{}\n", info(key)));
    }
    let cidr = s(node, &["spec", "podCIDR"]);
    if !cidr.is_empty() {
        w.w(0, &format!("PodCIDR:\t{cidr}\n"));
    }
    let cidrs: Vec<String> = arr(node, &["spec", "podCIDRs"])
        .iter()
        .map(scalar)
        .collect();
    if !cidrs.is_empty() {
        w.w(0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    let provider = s(node, &["spec", "providerID"]);
    if !provider.is_empty() {
        w.w(0, &format!("ProviderID:\t{provider}\n"));
    }
    node_resources(&mut w, node, pods, now);
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// `Lease:` with the node heartbeat lease's holder and times, or why it could not be read.
fn lease_block(w: &mut Out, node_name: &str, lease: &Result<Option<Value>, String>) {
    let lease = match lease {
        Ok(Some(l)) => l,
        Ok(None) => {
            w.w(
                0,
                &format!("Lease:\tFailed to get lease: leases.coordination.k8s.io \"{node_name}\" not found\n"),
            );
            return;
        }
        Err(e) => {
            w.w(0, &format!("Lease:\tFailed to get lease: {e}\n"));
            return;
        }
    };
    w.w(0, "Lease:\n");
    let unset = || "<unset>".to_string();
    let holder = at(lease, &["spec", "holderIdentity"])
        .and_then(Value::as_str)
        .map(str::to_string);
    let time = |k: &str| parse(at(lease, &["spec", k])).map(|_| rfc1123(lease, &["spec", k]));
    w.w(
        1,
        &format!("HolderIdentity:\t{}\n", holder.unwrap_or_else(unset)),
    );
    w.w(
        1,
        &format!(
            "AcquireTime:\t{}\n",
            time("acquireTime").unwrap_or_else(unset)
        ),
    );
    w.w(
        1,
        &format!("RenewTime:\t{}\n", time("renewTime").unwrap_or_else(unset)),
    );
}

/// Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value.
fn roles(node: &Value) -> Vec<String> {
    let mut set = BTreeSet::new();
    if let Some(labels) = obj(node, &["metadata", "labels"]) {
        for (k, v) in labels {
            if let Some(role) = k.strip_prefix(ROLE_PREFIX) {
                if !role.is_empty() {
                    set.insert(role.to_string());
                }
            } else if k == "kubernetes.io/role" {
                let v = scalar(v);
                if !v.is_empty() {
                    set.insert(v);
                }
            }
        }
    }
    set.into_iter().collect()
}

/// Whole-number percentage of `part` in `whole`, truncated; 0 when `whole` is 0.
fn percent(part: i128, whole: i128) -> i64 {
    if whole == 0 {
        0
    } else {
        (part as f64 / whole as f64 * 100.0) as i64
    }
}

/// Compares in thousandths for cpu, whole units for everything else.
fn scaled(name: &str, q: &Quantity) -> i128 {
    if name == "cpu" {
        q.milli_value()
    } else {
        q.value()
    }
}

fn node_resources(w: &mut Out, node: &Value, pods: &[Value], now: DateTime<Utc>) {
    let allocatable_field = match obj(node, &["status", "allocatable"]) {
        Some(m) if !m.is_empty() => "allocatable",
        _ => "capacity",
    };
    let allocatable: Vec<(String, Quantity)> = obj(node, &["status", allocatable_field])
        .map(|m| {
            m.iter()
                .filter_map(|(k, q)| Quantity::from_json(q).map(|q| (k.clone(), q)))
                .collect()
        })
        .unwrap_or_default();
    let alloc = |name: &str| {
        allocatable
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, q)| *q)
            .unwrap_or_default()
    };
    let cell = |name: &str, q: &Quantity| {
        format!(
            "{q} ({}%)",
            percent(scaled(name, q), scaled(name, &alloc(name)))
        )
    };

    w.w(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.w(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.w(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut reqs = ResourceTotals::new();
    let mut limits = ResourceTotals::new();
    for pod in pods {
        let r = pod_totals(pod, "requests");
        let l = pod_totals(pod, "limits");
        let get = |list: &ResourceTotals, n: &str| lookup(list, n).copied().unwrap_or_default();
        w.w(
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}\n",
                s(pod, &["metadata", "namespace"]),
                s(pod, &["metadata", "name"]),
                cell("cpu", &get(&r, "cpu")),
                cell("cpu", &get(&l, "cpu")),
                cell("memory", &get(&r, "memory")),
                cell("memory", &get(&l, "memory")),
                since(parse(at(pod, &["metadata", "creationTimestamp"])), now)
            ),
        );
        add_all(&mut reqs, &r);
        add_all(&mut limits, &l);
    }
    w.w(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.w(1, "Resource\tRequests\tLimits\n");
    w.w(1, "--------\t--------\t------\n");
    let total = |list: &ResourceTotals, n: &str| lookup(list, n).copied().unwrap_or_default();
    for name in ["cpu", "memory", "ephemeral-storage"] {
        w.w(
            1,
            &format!(
                "{name}\t{}\t{}\n",
                cell(name, &total(&reqs, name)),
                cell(name, &total(&limits, name))
            ),
        );
    }
    let mut names: Vec<&String> = allocatable.iter().map(|(n, _)| n).collect();
    names.sort();
    for name in names.iter().filter(|n| n.starts_with("hugepages-")) {
        w.w(
            1,
            &format!(
                "{name}\t{}\t{}\n",
                cell(name, &total(&reqs, name)),
                cell(name, &total(&limits, name))
            ),
        );
    }
    for name in names.iter().filter(|n| is_extended(n)) {
        w.w(
            1,
            &format!("{name}\t{}\t{}\n", total(&reqs, name), total(&limits, name)),
        );
    }
}

/// Resources other than the standard container ones, hugepages and pods.
fn is_extended(name: &str) -> bool {
    !["cpu", "memory", "ephemeral-storage", "pods"].contains(&name)
        && !name.starts_with("hugepages-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node() -> Value {
        json!({"metadata": {"name": "node01", "uid": "n-1"}})
    }

    #[test]
    fn plan_needs_the_pods_then_asks_events_by_uid_and_name_then_the_lease() {
        let full = plan(&node(), true);
        let asked: Vec<(&str, Option<&str>, bool)> = full
            .iter()
            .map(|q| (q.resource, q.namespace.as_deref(), q.must_succeed))
            .collect();
        assert_eq!(
            asked,
            [
                ("pods", None, true),
                ("events", None, false),
                ("events", None, false),
                ("leases", Some("kube-node-lease"), false)
            ]
        );
        assert_eq!(full[3].select, Select::Named("node01".to_string()));
        let uids: Vec<bool> = full[1..3]
            .iter()
            .map(|q| {
                matches!(&q.select, Select::List { fields: Some(f), .. }
                    if f.ends_with("involvedObject.uid=n-1"))
            })
            .collect();
        assert_eq!(uids, [true, false]);
        assert_eq!(plan(&node(), false).len(), 2);
    }

    fn lease_line(lease: Result<Option<Value>, String>) -> String {
        let related = Related {
            lease,
            ..Related::default()
        };
        let text = render(&node(), &related, Utc::now());
        let line = text.lines().find(|l| l.starts_with("Lease:"));
        line.unwrap_or_default().to_string()
    }

    #[test]
    fn a_missing_or_unreadable_lease_is_explained() {
        assert_eq!(
            lease_line(Ok(None)),
            "Lease:              Failed to get lease: leases.coordination.k8s.io \"node01\" not found"
        );
        assert_eq!(
            lease_line(Err("forbidden".to_string())),
            "Lease:              Failed to get lease: forbidden"
        );
        let held = json!({"spec": {"holderIdentity": "node01"}});
        assert_eq!(lease_line(Ok(Some(held))), "Lease:");
    }
}
