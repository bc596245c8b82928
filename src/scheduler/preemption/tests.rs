use super::*;
use crate::scheduler::framework::schedule_one;
use crate::scheduler::model::Taint;
use crate::scheduler::testing::{node, pod};

const NOW: &str = "2026-11-29T02:00:00Z";

fn running(name: &str, priority: i64, milli_cpu: i64) -> RunningPod {
    RunningPod {
        priority,
        start: "2026-11-29T01:00:00Z".into(),
        ..pod(name, milli_cpu, 0).running()
    }
}

/// Nodes a, b (and a tainted master) with their pods counted on them.
fn cluster<'a>(pods: &[(&'a str, &'a RunningPod)]) -> (Vec<NodeInfo>, PodsByNode<'a>) {
    let mut master = node("master");
    master.taints.push(Taint {
        key: "node-role.kubernetes.io/control-plane".into(),
        value: String::new(),
        effect: "NoSchedule".into(),
    });
    let mut nodes = vec![node("a"), node("b"), master];
    let mut by_node: PodsByNode = HashMap::new();
    for (n, p) in pods {
        if let Some(info) = nodes.iter_mut().find(|x| x.name == *n) {
            info.restore_pod(p);
        }
        by_node.entry(n).or_default().push(p);
    }
    nodes.sort_by(|x, y| x.name.cmp(&y.name));
    (nodes, by_node)
}

fn decide<'a>(p: &PodInfo, nodes: &[NodeInfo], by_node: &PodsByNode<'a>) -> Verdict<'a> {
    let Err(d) = schedule_one(p, nodes, None) else {
        panic!("{} fits without preemption", p.name);
    };
    preempt(p, nodes, &d, by_node, None, &mut || Ok(Vec::new()), NOW)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn urgent(milli_cpu: i64) -> PodInfo {
    let mut p = pod("urgent", milli_cpu, 0);
    p.priority = 1000;
    p
}

#[test]
fn evicts_on_the_node_with_the_least_important_victims() {
    let (a1, b1) = (running("a1", 10, 1500), running("b1", 5, 1500));
    let (nodes, by_node) = cluster(&[("a", &a1), ("b", &b1)]);
    match decide(&urgent(1000), &nodes, &by_node) {
        Verdict::Nominate { node, victims } => {
            assert_eq!(nodes[node].name, "b");
            assert_eq!(victims.iter().map(|v| &v.name).collect::<Vec<_>>(), ["b1"]);
        }
        other => panic!("no preemption: {other:?}"),
    }
}

#[test]
fn nothing_to_evict_is_worded_as_kube_words_it() {
    let (a1, b1) = (running("a1", 1000, 1500), running("b1", 1, 300));
    let busy = running("b2", 1000, 1500);
    let (nodes, by_node) = cluster(&[("a", &a1), ("b", &b1), ("b", &busy)]);
    match decide(&urgent(1000), &nodes, &by_node) {
        Verdict::Refused {
            message,
            clear_nomination,
        } => {
            // a: nothing of lower priority; b: still no room without b1; master: a taint.
            assert_eq!(
                message,
                "0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
            );
            assert!(clear_nomination);
        }
        other => panic!("preempted: {other:?}"),
    }
}

#[test]
fn never_and_waiting_for_victims_refuse_without_clearing() {
    let (a1, b1) = (running("a1", 1, 1500), running("b1", 1, 1500));
    let (nodes, mut by_node) = cluster(&[("a", &a1), ("b", &b1)]);
    let mut never = urgent(1000);
    never.never_preempts = true;
    let Verdict::Refused { message, .. } = decide(&never, &nodes, &by_node) else {
        panic!("preempted with preemptionPolicy=Never");
    };
    assert_eq!(message, "not eligible due to preemptionPolicy=Never.");

    let mut going = running("b1", 1, 1500);
    going.preempted = true;
    by_node.insert("b", vec![&going]);
    let mut nominated = urgent(1000);
    nominated.nominated_node = "b".into();
    let Verdict::Refused {
        message,
        clear_nomination,
    } = decide(&nominated, &nodes, &by_node)
    else {
        panic!("preempted again while the victims terminate");
    };
    assert_eq!(
        message,
        "not eligible due to a terminating pod on the nominated node."
    );
    assert!(!clear_nomination);
}

#[test]
fn a_budget_moves_preemption_to_the_other_node() {
    let mut guarded = running("guarded", 1, 1500);
    guarded.labels = serde_json::json!({"app": "web"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    // b1 has a higher priority than `guarded`: without the budget, node a would be chosen.
    let b1 = running("b1", 5, 1500);
    let (nodes, by_node) = cluster(&[("a", &guarded), ("b", &b1)]);
    let Err(d) = schedule_one(&urgent(1000), &nodes, None) else {
        panic!("fits");
    };
    let mut read = 0;
    let verdict = preempt(
        &urgent(1000),
        &nodes,
        &d,
        &by_node,
        None,
        &mut || {
            read += 1;
            Ok(vec![Budget::parse(&serde_json::json!({
                "metadata": {"namespace": "default"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}},
                "status": {"disruptionsAllowed": 0}
            }))])
        },
        NOW,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let Verdict::Nominate { node, .. } = verdict else {
        panic!("no preemption: {verdict:?}");
    };
    assert_eq!(nodes[node].name, "b");
    assert_eq!(read, 1);
}
