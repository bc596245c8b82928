use super::inter_pod::{AFFINITY_REASON, ANTI_AFFINITY_REASON, EXISTING_ANTI_AFFINITY_REASON};
use super::spread::{MISSING_LABEL, REASON};
use super::*;
use crate::scheduler::framework::schedule_one;
use crate::scheduler::parse;
use crate::scheduler::testing;
use serde_json::json;

const HOST: &str = "kubernetes.io/hostname";
const ZONE: &str = "topology.kubernetes.io/zone";

/// A node labelled with its hostname and a zone.
fn node(name: &str, zone: &str) -> NodeInfo {
    let mut n = testing::node(name);
    n.labels.insert(HOST.into(), name.into());
    if !zone.is_empty() {
        n.labels.insert(ZONE.into(), zone.into());
    }
    n
}

/// A pod parsed from its spec, in `default` unless the object says otherwise.
fn pod(name: &str, labels: Value, spec: Value) -> PodInfo {
    let mut spec = spec;
    spec["containers"] = json!([{"name": "c", "resources": {"requests": {"cpu": "100m"}}}]);
    parse::pod(&json!({
        "metadata": {"name": name, "namespace": "default", "labels": labels},
        "spec": spec,
    }))
}

fn spread(key: &str, max_skew: i64, when: &str) -> Value {
    json!({"topologySpreadConstraints": [{
        "maxSkew": max_skew, "topologyKey": key, "whenUnsatisfiable": when,
        "labelSelector": {"matchLabels": {"app": "web"}}}]})
}

/// Where `pod` lands among `nodes` holding `bound` (pod, node index), or the reasons per node.
fn place(
    pod: &PodInfo,
    nodes: &[NodeInfo],
    bound: &[(PodInfo, usize)],
) -> Result<String, Vec<String>> {
    let running: Vec<(RunningPod, &str)> = bound
        .iter()
        .map(|(p, i)| (p.running(), nodes[*i].name.as_str()))
        .collect();
    let mut pods_on: PodsOn = HashMap::new();
    for (p, n) in &running {
        pods_on.entry(*n).or_default().push(p);
    }
    let placement = Placement::new(pod, nodes, &pods_on, &NamespaceLabels::new());
    match schedule_one(pod, nodes, placement.as_ref()) {
        Ok(i) => Ok(nodes[i].name.clone()),
        Err(d) => Err(d.statuses.iter().map(|s| s.reasons.join(",")).collect()),
    }
}

fn web(name: &str) -> PodInfo {
    pod(name, json!({"app": "web"}), json!({}))
}

#[test]
fn hard_spread_sends_the_pod_to_the_emptiest_host() {
    let nodes = [node("a", ""), node("b", ""), node("c", "")];
    let bound = [(web("w1"), 0), (web("w2"), 1)];
    let p = pod(
        "w3",
        json!({"app": "web"}),
        spread(HOST, 1, "DoNotSchedule"),
    );
    assert_eq!(place(&p, &nodes, &bound), Ok("c".to_string()));
    // With c full as well, a second pod on any host would be a skew of 1: all fit again.
    let bound = [(web("w1"), 0), (web("w2"), 1), (web("w3"), 2)];
    assert_eq!(place(&p, &nodes, &bound), Ok("a".to_string()));
    // Two on a: only b and c.
    let bound = [(web("w1"), 0), (web("w2"), 0)];
    assert_eq!(place(&p, &nodes, &bound), Ok("b".to_string()));
}

#[test]
fn hard_spread_reasons_and_min_domains() {
    let nodes = [node("a", "z1"), node("b", "z1"), node("c", "")];
    let bound = [(web("w1"), 0)];
    let p = pod(
        "w2",
        json!({"app": "web"}),
        spread(ZONE, 1, "DoNotSchedule"),
    );
    // One domain (z1) with one pod: min 1, so z1 takes another; c has no zone.
    assert_eq!(place(&p, &nodes, &bound), Ok("a".to_string()));
    let mut spec = spread(ZONE, 1, "DoNotSchedule");
    spec["topologySpreadConstraints"][0]["minDomains"] = json!(2);
    let p = pod("w2", json!({"app": "web"}), spec);
    // Fewer domains than minDomains: the minimum counts as 0, so z1 is skewed.
    assert_eq!(
        place(&p, &nodes, &bound),
        Err(vec![
            REASON.to_string(),
            REASON.to_string(),
            MISSING_LABEL.to_string()
        ])
    );
}

#[test]
fn a_pod_outside_its_own_selector_does_not_count_itself() {
    let nodes = [node("a", ""), node("b", "")];
    let bound = [(web("w1"), 0)];
    let p = pod(
        "other",
        json!({"app": "db"}),
        spread(HOST, 1, "DoNotSchedule"),
    );
    // a: 1 + 0 - 0 = 1, within the skew (and a sorts first).
    assert_eq!(place(&p, &nodes, &bound), Ok("a".to_string()));
}

#[test]
fn match_label_keys_narrow_the_selector_to_the_pods_own_values() {
    let mut spec = spread(HOST, 1, "DoNotSchedule");
    spec["topologySpreadConstraints"][0]["matchLabelKeys"] = json!(["rev", "absent"]);
    let p = pod("w", json!({"app": "web", "rev": "2"}), spec);
    let nodes = [node("a", ""), node("b", "")];
    // Two pods of another revision on a do not count.
    let old = |n| pod(n, json!({"app": "web", "rev": "1"}), json!({}));
    let bound = [(old("o1"), 0), (old("o2"), 0)];
    let placement = Placement::new(
        &p,
        &nodes,
        &pods_on(&bound, &nodes),
        &NamespaceLabels::new(),
    );
    assert!(placement.is_some_and(|pl| pl.filter(&p, &nodes[0]).is_none()));
}

fn pods_on<'a>(bound: &'a [(PodInfo, usize)], nodes: &'a [NodeInfo]) -> PodsOn<'a> {
    // Leaked for the test's lifetime: the map holds references.
    let running: &'a [(RunningPod, usize)] = Box::leak(
        bound
            .iter()
            .map(|(p, i)| (p.running(), *i))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    let mut m: PodsOn = HashMap::new();
    for (p, i) in running {
        m.entry(nodes[*i].name.as_str()).or_default().push(p);
    }
    m
}

#[test]
fn soft_spread_prefers_the_domain_with_fewer_matching_pods() {
    let nodes = [node("a", "z1"), node("b", "z2")];
    let bound = [(web("w1"), 0), (web("w2"), 0)];
    let p = pod(
        "w3",
        json!({"app": "web"}),
        spread(ZONE, 1, "ScheduleAnyway"),
    );
    assert_eq!(place(&p, &nodes, &bound), Ok("b".to_string()));
    // The matching pods on b instead, and b less loaded than a: the spread still wins.
    let mut busy = nodes;
    busy[0].requested.milli_cpu = 300;
    busy[0].non_zero_requested.milli_cpu = 300;
    let bound = [(web("w1"), 1), (web("w2"), 1)];
    assert_eq!(place(&p, &busy, &bound), Ok("a".to_string()));
}

fn affinity(kind: &str, app: &str, key: &str) -> Value {
    json!({"affinity": {kind: {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": key}]}}})
}

#[test]
fn required_affinity_needs_a_matching_pod_in_the_domain() {
    let nodes = [node("a", "z1"), node("b", "z2"), node("c", "z2")];
    let cache = pod("cache", json!({"app": "cache"}), json!({}));
    let p = pod(
        "web",
        json!({"app": "web"}),
        affinity("podAffinity", "cache", ZONE),
    );
    // The cache is on c: b and c share its zone; b is less loaded than c.
    assert_eq!(place(&p, &nodes, &[(cache, 2)]), Ok("b".to_string()));
    // No cache anywhere and the pod is not one: nowhere.
    assert_eq!(
        place(&p, &nodes, &[]),
        Err(vec![AFFINITY_REASON.to_string(); 3])
    );
    // The first of a group that wants to be together goes anywhere.
    let first = pod(
        "c1",
        json!({"app": "cache"}),
        affinity("podAffinity", "cache", ZONE),
    );
    assert_eq!(place(&first, &nodes, &[]), Ok("a".to_string()));
    // A node without the key never qualifies.
    let bare = [testing::node("x")];
    assert_eq!(
        place(&first, &bare, &[]),
        Err(vec![AFFINITY_REASON.to_string()])
    );
}

#[test]
fn required_anti_affinity_both_ways() {
    let nodes = [node("a", "z1"), node("b", "z1"), node("c", "z2")];
    let p = pod(
        "web2",
        json!({"app": "web"}),
        affinity("podAntiAffinity", "web", ZONE),
    );
    assert_eq!(place(&p, &nodes, &[(web("web1"), 0)]), Ok("c".to_string()));
    // A bound pod that keeps web pods out of its zone.
    let guard = pod(
        "guard",
        json!({"app": "guard"}),
        affinity("podAntiAffinity", "web", ZONE),
    );
    assert_eq!(
        place(&web("w"), &nodes, &[(guard.clone(), 2)]),
        Ok("a".to_string())
    );
    let all_z1 = [node("a", "z1"), node("b", "z1")];
    assert_eq!(
        place(&web("w"), &all_z1, &[(guard, 1)]),
        Err(vec![EXISTING_ANTI_AFFINITY_REASON.to_string(); 2])
    );
    assert_eq!(
        place(&p, &all_z1, &[(web("web1"), 0)]),
        Err(vec![ANTI_AFFINITY_REASON.to_string(); 2])
    );
}

#[test]
fn terms_look_in_the_pods_namespace_unless_told_otherwise() {
    let nodes = [node("a", ""), node("b", "")];
    let mut other = web("elsewhere");
    other.namespace = "prod".into();
    let p = pod(
        "w",
        json!({"app": "web"}),
        affinity("podAntiAffinity", "web", HOST),
    );
    // The web pod in prod does not repel a pod of default.
    assert_eq!(
        place(&p, &nodes, &[(other.clone(), 0)]),
        Ok("a".to_string())
    );
    let mut spec = affinity("podAntiAffinity", "web", HOST);
    spec["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]["namespaceSelector"] =
        json!({});
    let p = pod("w", json!({"app": "web"}), spec);
    assert_eq!(place(&p, &nodes, &[(other, 0)]), Ok("b".to_string()));
}

#[test]
fn preferred_affinity_scores_the_domain_of_matching_pods() {
    let nodes = [node("a", ""), node("b", "")];
    let spec = json!({"affinity": {"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 100, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "cache"}}, "topologyKey": HOST}}]}}});
    let p = pod("web", json!({"app": "web"}), spec);
    let cache = pod("cache", json!({"app": "cache"}), json!({}));
    // b holds the cache, and is preferred although a is emptier.
    assert_eq!(place(&p, &nodes, &[(cache, 1)]), Ok("b".to_string()));
}

#[test]
fn nothing_to_gather_for_plain_pods() {
    let nodes = [node("a", "")];
    assert!(Placement::new(&web("w"), &nodes, &HashMap::new(), &NamespaceLabels::new()).is_none());
    assert!(!Placement::applies(&web("w"), false));
    assert!(Placement::applies(&web("w"), true));
}
