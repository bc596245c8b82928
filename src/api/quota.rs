//! ResourceQuota accounting, shared by the quota controller (status.used) and quota
//! admission (refusals): what one object charges against a quota, which quotas apply to it
//! (scopes), and kube-apiserver's refusal messages.

use super::quantity::Quantity;
use super::registry::Resource;
use serde_json::Value;
use std::collections::BTreeMap;

/// Resource names to quantities, sorted as kube prints them.
pub type Usage = BTreeMap<String, Quantity>;

/// Adds `q` under `name`; a zero sum takes the addend's format, as kube's Quantity.Add does.
pub fn add(usage: &mut Usage, name: &str, q: Quantity) {
    match usage.get_mut(name) {
        Some(acc) if !acc.is_zero() => acc.add(&q),
        Some(acc) => *acc = q,
        None => {
            usage.insert(name.to_string(), q);
        }
    }
}

fn one() -> Quantity {
    Quantity::parse("1").unwrap_or_default()
}

fn count(n: usize) -> Quantity {
    Quantity::parse(&n.to_string()).unwrap_or_default()
}

/// The name of an object count: `count/<plural>` or `count/<plural>.<group>`.
pub fn count_name(r: &Resource) -> String {
    if r.group.is_empty() {
        format!("count/{}", r.plural)
    } else {
        format!("count/{}.{}", r.plural, r.group)
    }
}

/// The legacy object-count names of the core kinds.
fn legacy_count(plural: &str) -> Option<&'static str> {
    Some(match plural {
        "pods" => "pods",
        "services" => "services",
        "configmaps" => "configmaps",
        "secrets" => "secrets",
        "persistentvolumeclaims" => "persistentvolumeclaims",
        "replicationcontrollers" => "replicationcontrollers",
        "resourcequotas" => "resourcequotas",
        _ => return None,
    })
}

/// Whether a pod still counts against compute quota: not finished, not past its deletion.
fn pod_counts(pod: &Value, now: &str) -> bool {
    let phase = pod.pointer("/status/phase").and_then(Value::as_str);
    if matches!(phase, Some("Succeeded" | "Failed")) {
        return false;
    }
    match pod
        .pointer("/metadata/deletionTimestamp")
        .and_then(Value::as_str)
    {
        Some(at) => at > now,
        None => true,
    }
}

/// A pod's requests or limits (`field`): the containers' sum, at least the largest init
/// container's, plus the overhead.
fn pod_resources(pod: &Value, field: &str) -> Usage {
    let mut sum = Usage::new();
    let containers = pod.pointer("/spec/containers").and_then(Value::as_array);
    for c in containers.into_iter().flatten() {
        for (name, q) in quantities(c, field) {
            add(&mut sum, &name, q);
        }
    }
    let inits = pod
        .pointer("/spec/initContainers")
        .and_then(Value::as_array);
    for c in inits.into_iter().flatten() {
        for (name, q) in quantities(c, field) {
            match sum.get(&name) {
                Some(have) if *have >= q => {}
                _ => {
                    sum.insert(name, q);
                }
            }
        }
    }
    let overhead = pod.pointer("/spec/overhead").and_then(Value::as_object);
    for (name, v) in overhead.into_iter().flatten() {
        if let Some(q) = Quantity::from_json(v) {
            add(&mut sum, name, q);
        }
    }
    sum
}

fn quantities(container: &Value, field: &str) -> Vec<(String, Quantity)> {
    container
        .pointer(&format!("/resources/{field}"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), Quantity::from_json(v)?)))
        .collect()
}

/// A pod with no cpu or memory request or limit in any container.
pub fn best_effort(pod: &Value) -> bool {
    let all = ["/spec/containers", "/spec/initContainers"];
    !all.iter()
        .filter_map(|p| pod.pointer(p).and_then(Value::as_array))
        .flatten()
        .any(|c| {
            ["requests", "limits"].iter().any(|f| {
                quantities(c, f)
                    .iter()
                    .any(|(n, _)| n == "cpu" || n == "memory")
            })
        })
}

fn pod_usage(pod: &Value, now: &str) -> Usage {
    let mut u = Usage::new();
    u.insert("count/pods".into(), one());
    if !pod_counts(pod, now) {
        return u;
    }
    u.insert("pods".into(), one());
    for (name, q) in pod_resources(pod, "requests") {
        add(&mut u, &format!("requests.{name}"), q);
        if matches!(name.as_str(), "cpu" | "memory" | "ephemeral-storage") {
            add(&mut u, &name, q);
        }
    }
    for (name, q) in pod_resources(pod, "limits") {
        add(&mut u, &format!("limits.{name}"), q);
    }
    u
}

fn service_usage(svc: &Value) -> Usage {
    let mut u = Usage::new();
    let ty = svc
        .pointer("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP");
    let ports = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let zero = Quantity::default();
    u.insert("services.loadbalancers".into(), zero);
    u.insert("services.nodeports".into(), zero);
    match ty {
        "LoadBalancer" => {
            u.insert("services.loadbalancers".into(), one());
            let allocates = svc
                .pointer("/spec/allocateLoadBalancerNodePorts")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            if allocates {
                u.insert("services.nodeports".into(), count(ports));
            }
        }
        "NodePort" => {
            u.insert("services.nodeports".into(), count(ports));
        }
        _ => {}
    }
    u
}

fn claim_usage(pvc: &Value) -> Usage {
    let mut u = Usage::new();
    let class = pvc
        .pointer("/spec/storageClassName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !class.is_empty() {
        u.insert(
            format!("{class}.storageclass.storage.k8s.io/persistentvolumeclaims"),
            one(),
        );
    }
    let storage = pvc
        .pointer("/spec/resources/requests/storage")
        .and_then(Quantity::from_json);
    if let Some(q) = storage {
        u.insert("requests.storage".into(), q);
        if !class.is_empty() {
            u.insert(
                format!("{class}.storageclass.storage.k8s.io/requests.storage"),
                q,
            );
        }
    }
    u
}

/// What one object of `r` charges against quota at time `now` (RFC 3339).
pub fn usage_of(r: &Resource, obj: &Value, now: &str) -> Usage {
    let mut u = match r.plural {
        "pods" if r.group.is_empty() => pod_usage(obj, now),
        "services" if r.group.is_empty() => service_usage(obj),
        "persistentvolumeclaims" if r.group.is_empty() => claim_usage(obj),
        _ => Usage::new(),
    };
    u.insert(count_name(r), one());
    if r.group.is_empty()
        && let Some(name) = legacy_count(r.plural)
    {
        u.insert(name.to_string(), one());
    }
    u
}

/// Whether a hard resource name is one that objects of `r` are charged for.
pub fn charges(r: &Resource, name: &str) -> bool {
    if name == count_name(r) || (r.group.is_empty() && legacy_count(r.plural) == Some(name)) {
        return true;
    }
    if !r.group.is_empty() {
        return false;
    }
    match r.plural {
        "pods" => {
            name.starts_with("requests.")
                || name.starts_with("limits.")
                || matches!(name, "cpu" | "memory" | "ephemeral-storage")
        }
        "services" => matches!(name, "services.loadbalancers" | "services.nodeports"),
        "persistentvolumeclaims" => {
            name == "requests.storage" || name.contains(".storageclass.storage.k8s.io/")
        }
        _ => false,
    }
}

/// The resource names a plural's objects may be charged under, for a quota's `hard`.
pub fn hard_names(quota: &Value) -> Vec<String> {
    quota
        .pointer("/spec/hard")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The quota's hard limits, parsed.
pub fn hard(quota: &Value) -> Usage {
    quota
        .pointer("/spec/hard")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), Quantity::from_json(v)?)))
        .collect()
}

/// One scope selector requirement: scope, operator, values.
struct ScopeRequirement {
    scope: String,
    operator: String,
    values: Vec<String>,
}

fn scope_requirements(quota: &Value) -> Vec<ScopeRequirement> {
    let mut out: Vec<ScopeRequirement> = quota
        .pointer("/spec/scopes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| ScopeRequirement {
            scope: s.to_string(),
            operator: "Exists".into(),
            values: Vec::new(),
        })
        .collect();
    let exprs = quota
        .pointer("/spec/scopeSelector/matchExpressions")
        .and_then(Value::as_array);
    for e in exprs.into_iter().flatten() {
        out.push(ScopeRequirement {
            scope: e["scopeName"].as_str().unwrap_or("").to_string(),
            operator: e["operator"].as_str().unwrap_or("").to_string(),
            values: e["values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        });
    }
    out
}

fn pod_matches(req: &ScopeRequirement, pod: &Value) -> bool {
    let terminating = pod
        .pointer("/spec/activeDeadlineSeconds")
        .and_then(Value::as_i64)
        .is_some_and(|s| s >= 0);
    match req.scope.as_str() {
        "Terminating" => terminating,
        "NotTerminating" => !terminating,
        "BestEffort" => best_effort(pod),
        "NotBestEffort" => !best_effort(pod),
        "PriorityClass" => {
            let class = pod
                .pointer("/spec/priorityClassName")
                .and_then(Value::as_str)
                .unwrap_or("");
            match req.operator.as_str() {
                "In" => req.values.iter().any(|v| v == class),
                "NotIn" => !req.values.iter().any(|v| v == class),
                "Exists" => !class.is_empty(),
                "DoesNotExist" => class.is_empty(),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether the quota's scopes admit the object: a scoped quota only ever charges pods.
pub fn in_scope(quota: &Value, r: &Resource, obj: &Value) -> bool {
    let reqs = scope_requirements(quota);
    if reqs.is_empty() {
        return true;
    }
    r.plural == "pods" && r.group.is_empty() && reqs.iter().all(|q| pod_matches(q, obj))
}

/// The quota's used figures over `objects` (each with its resource): every hard resource,
/// zero when nothing is charged to it.
pub fn used<'a>(
    quota: &Value,
    objects: impl IntoIterator<Item = (&'a Resource, &'a Value)>,
    now: &str,
) -> Usage {
    let names = hard_names(quota);
    let mut used: Usage = Usage::new();
    for (r, obj) in objects {
        if !in_scope(quota, r, obj) {
            continue;
        }
        for (name, q) in usage_of(r, obj, now) {
            if names.contains(&name) && charges(r, &name) {
                add(&mut used, &name, q);
            }
        }
    }
    for name in names {
        used.entry(name).or_default();
    }
    used
}

/// The plurals (with group) a quota's hard names may count, to list for its usage.
pub fn counted_resources(quota: &Value) -> Vec<&'static Resource> {
    let names = hard_names(quota);
    super::registry::RESOURCES
        .iter()
        .filter(|r| r.namespaced && names.iter().any(|n| charges(r, n)))
        .collect()
}

/// `a=1,b=2` in name order.
fn pretty(u: &Usage) -> String {
    u.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The containers lacking a request or limit that a compute quota requires (kube's
/// backward-compatible rule), as kube's `must specify ...` message.
fn missing_constraints(quota_names: &[String], pod: &Value) -> Option<String> {
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let checked = [
        ("cpu", "requests", "cpu"),
        ("memory", "requests", "memory"),
        ("requests.cpu", "requests", "cpu"),
        ("requests.memory", "requests", "memory"),
        ("limits.cpu", "limits", "cpu"),
        ("limits.memory", "limits", "memory"),
    ];
    let all = ["/spec/initContainers", "/spec/containers"];
    for c in all
        .iter()
        .filter_map(|p| pod.pointer(p).and_then(Value::as_array))
        .flatten()
    {
        let cname = c["name"].as_str().unwrap_or("");
        for (quota_name, field, res) in checked {
            if !quota_names.iter().any(|n| n == quota_name) {
                continue;
            }
            if c.pointer(&format!("/resources/{field}/{res}")).is_none() {
                let names = missing.entry(quota_name.to_string()).or_default();
                if !names.iter().any(|n| n == cname) {
                    names.push(cname.to_string());
                }
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    let parts: Vec<String> = missing
        .into_iter()
        .map(|(res, mut names)| {
            names.sort();
            format!("{res} for: {}", names.join(","))
        })
        .collect();
    Some(format!("must specify {}", parts.join("; ")))
}

/// Admission of a new object against one quota whose current usage is `used`: the
/// refusal message kube-apiserver gives after `<plural> "<name>" is forbidden: `.
pub fn check(
    quota: &Value,
    used: &Usage,
    r: &Resource,
    obj: &Value,
    now: &str,
) -> Result<(), String> {
    if !in_scope(quota, r, obj) {
        return Ok(());
    }
    let name = quota
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let names: Vec<String> = hard_names(quota)
        .into_iter()
        .filter(|n| charges(r, n))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    if r.plural == "pods"
        && r.group.is_empty()
        && let Some(m) = missing_constraints(&names, obj)
    {
        return Err(format!("failed quota: {name}: {m}"));
    }
    let requested: Usage = usage_of(r, obj, now)
        .into_iter()
        .filter(|(k, _)| names.contains(k))
        .collect();
    judge(quota, name, used, &requested)
}

/// Whether an update of a service or claim may go on: what it charges beyond the old object
/// (never less than zero) against the quota, as kube's quota admission checks updates.
pub fn check_update(
    quota: &Value,
    used: &Usage,
    r: &Resource,
    new: &Value,
    old: &Value,
    now: &str,
) -> Result<(), String> {
    let updatable = r.group.is_empty() && matches!(r.plural, "services" | "persistentvolumeclaims");
    if !updatable || !in_scope(quota, r, new) {
        return Ok(());
    }
    let name = quota
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let before = usage_of(r, old, now);
    let requested: Usage = usage_of(r, new, now)
        .into_iter()
        .filter(|(k, _)| hard_names(quota).contains(k) && charges(r, k))
        .map(|(k, mut q)| {
            if let Some(b) = before.get(&k) {
                q.sub_non_negative(b);
            }
            (k, q)
        })
        .collect();
    if requested.values().all(Quantity::is_zero) {
        return Ok(());
    }
    judge(quota, name, used, &requested)
}

/// Refuses `requested` on top of `used` where it passes the quota's hard limits.
fn judge(quota: &Value, name: &str, used: &Usage, requested: &Usage) -> Result<(), String> {
    let hard = hard(quota);
    let mut exceeded = Vec::new();
    for (k, q) in requested {
        let mut total = used.get(k).copied().unwrap_or_default();
        if total.is_zero() {
            total = *q;
        } else {
            total.add(q);
        }
        if hard.get(k).is_some_and(|h| total > *h) {
            exceeded.push(k.clone());
        }
    }
    if exceeded.is_empty() {
        return Ok(());
    }
    let pick = |u: &Usage| -> Usage {
        exceeded
            .iter()
            .map(|k| (k.clone(), u.get(k).copied().unwrap_or_default()))
            .collect()
    };
    Err(format!(
        "exceeded quota: {name}, requested: {}, used: {}, limited: {}",
        pretty(&pick(requested)),
        pretty(&pick(used)),
        pretty(&pick(&hard))
    ))
}

/// The status kube's quota controller writes: hard as specified, used as counted.
pub fn status(quota: &Value, used: &Usage) -> Value {
    let hard = quota
        .pointer("/spec/hard")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    let used: serde_json::Map<String, Value> = used
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
        .collect();
    serde_json::json!({"hard": hard, "used": used})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pods() -> &'static Resource {
        super::super::registry::find("pods").expect("pods")
    }

    fn pod(name: &str, cpu: &str) -> Value {
        json!({"metadata": {"name": name}, "spec": {"containers": [
            {"name": "c", "resources": {"requests": {"cpu": cpu, "memory": "64Mi"},
                                        "limits": {"cpu": cpu, "memory": "64Mi"}}}]}})
    }

    #[test]
    fn pods_are_charged_their_requests_and_refused_past_the_hard_limit() {
        let q = json!({"metadata": {"name": "q"},
                       "spec": {"hard": {"pods": "2", "requests.cpu": "1", "requests.memory": "1Gi"}}});
        let existing = [pod("a", "500m"), pod("b", "250m")];
        let used = used(
            &q,
            existing.iter().map(|p| (pods(), p)),
            "2026-01-01T00:00:00Z",
        );
        assert_eq!(
            pretty(&used),
            "pods=2,requests.cpu=750m,requests.memory=128Mi"
        );
        let err = check(&q, &used, pods(), &pod("c", "500m"), "").expect_err("over");
        assert_eq!(
            err,
            "exceeded quota: q, requested: pods=1,requests.cpu=500m, used: pods=2,requests.cpu=750m, limited: pods=2,requests.cpu=1"
        );
    }

    #[test]
    fn updates_are_charged_their_growth_only() {
        let svcs = super::super::registry::find("services").expect("services");
        let q = json!({"metadata": {"name": "q"}, "spec": {"hard": {"services.nodeports": "1", "services": "5"}}});
        let cluster_ip =
            json!({"spec": {"type": "ClusterIP", "ports": [{"port": 80}, {"port": 81}]}});
        let node_port =
            json!({"spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 81}]}});
        let used = used(&q, [(svcs, &cluster_ip)], "");
        assert_eq!(
            check_update(&q, &used, svcs, &node_port, &cluster_ip, "").expect_err("over"),
            "exceeded quota: q, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1"
        );
        assert!(check_update(&q, &used, svcs, &cluster_ip, &node_port, "").is_ok());
    }

    #[test]
    fn compute_quotas_require_limits_and_scopes_select_pods() {
        let q = json!({"metadata": {"name": "q"}, "spec": {"hard": {"limits.cpu": "2", "limits.memory": "1Gi"}}});
        let bare = json!({"spec": {"containers": [{"name": "b"}, {"name": "a"}]}});
        let err = check(&q, &Usage::new(), pods(), &bare, "").expect_err("limits");
        assert_eq!(
            err,
            "failed quota: q: must specify limits.cpu for: a,b; limits.memory for: a,b"
        );
        let scoped = json!({"metadata": {"name": "be"}, "spec": {"hard": {"pods": "1"}, "scopes": ["BestEffort"]}});
        assert!(in_scope(&scoped, pods(), &bare));
        assert!(!in_scope(&scoped, pods(), &pod("x", "1")));
        let cm = super::super::registry::find("configmaps").expect("cm");
        assert!(!in_scope(&scoped, cm, &json!({})));
    }
}
