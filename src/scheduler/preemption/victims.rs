//! The dry run on one node (kube's SelectVictimsOnNode): take every pod of lower priority
//! off the node; if the pod still does not fit, the node cannot help. Otherwise give them
//! back one at a time, most important first (those whose eviction would violate a budget
//! before the others), keeping each that still leaves room: the rest are the victims.

use super::budgets::{Budget, split_by_violation};
use crate::scheduler::fit_error::NO_VICTIMS;
use crate::scheduler::framework::run_filters;
use crate::scheduler::model::{NodeInfo, PodInfo, RunningPod};
use std::cmp::Ordering;

/// The victims on one node, most important first, and how many of them violate a budget.
#[derive(Debug)]
pub struct Victims<'a> {
    pub pods: Vec<&'a RunningPod>,
    pub pdb_violations: usize,
}

/// kube's MoreImportantPod as an ordering: higher priority first, then the pod that
/// started first (one not started yet counts as starting `now`).
pub fn importance(a: &RunningPod, b: &RunningPod, now: &str) -> Ordering {
    let start = |p: &RunningPod| {
        if p.start.is_empty() {
            now.to_string()
        } else {
            p.start.clone()
        }
    };
    b.priority
        .cmp(&a.priority)
        .then_with(|| start(a).cmp(&start(b)))
}

/// The victims that make room for `pod` on `node`, or the reasons the node cannot help.
pub fn select<'a>(
    pod: &PodInfo,
    node: &NodeInfo,
    on_node: &[&'a RunningPod],
    budgets: &[Budget],
    now: &str,
) -> Result<Victims<'a>, Vec<String>> {
    let mut potential: Vec<&RunningPod> = on_node
        .iter()
        .copied()
        .filter(|p| p.priority < pod.priority)
        .collect();
    if potential.is_empty() {
        return Err(vec![NO_VICTIMS.to_string()]);
    }
    let mut trial = node.clone();
    for p in &potential {
        trial.remove_pod(p);
    }
    if let Some(unfit) = run_filters(pod, &trial) {
        return Err(unfit.reasons);
    }
    potential.sort_by(|a, b| importance(a, b, now));
    let (violating, other) = split_by_violation(&potential, budgets);
    let mut victims = Vec::new();
    let mut pdb_violations = 0;
    for (p, violates) in violating
        .iter()
        .map(|p| (*p, true))
        .chain(other.iter().map(|p| (*p, false)))
    {
        trial.restore_pod(p);
        if run_filters(pod, &trial).is_some() {
            trial.remove_pod(p);
            victims.push(p);
            pdb_violations += usize::from(violates);
        }
    }
    if !violating.is_empty() && !other.is_empty() {
        victims.sort_by(|a, b| importance(a, b, now));
    }
    Ok(Victims {
        pods: victims,
        pdb_violations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing::{node, pod};
    use serde_json::json;

    fn running(name: &str, priority: i64, milli_cpu: i64) -> RunningPod {
        let p = pod(name, milli_cpu, 0);
        RunningPod {
            priority,
            start: "2026-11-29T01:00:00Z".into(),
            ..p.running()
        }
    }

    fn busy(pods: &[&RunningPod]) -> NodeInfo {
        let mut n = node("n");
        for p in pods {
            n.restore_pod(p);
        }
        n
    }

    fn names(v: &Victims) -> Vec<String> {
        v.pods.iter().map(|p| p.name.clone()).collect()
    }

    fn high(milli_cpu: i64) -> PodInfo {
        let mut p = pod("high", milli_cpu, 0);
        p.priority = 100;
        p
    }

    const NOW: &str = "2026-11-29T02:00:00Z";

    #[test]
    fn keeps_as_many_lower_pods_as_still_fit_most_important_first() {
        let (a, b, c) = (
            running("a", 1, 600),
            running("b", 5, 600),
            running("c", 3, 600),
        );
        let same = running("same", 100, 200);
        let n = busy(&[&a, &b, &c, &same]);
        // 2000m: 2000 in use; the pod wants 1000: two of the 600m pods must go. b (5) is
        // given back first, then c (3) does not fit, nor a.
        let v = select(&high(1000), &n, &[&a, &b, &c, &same], &[], NOW)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(names(&v), vec!["c", "a"]);
        assert_eq!(v.pdb_violations, 0);
    }

    #[test]
    fn no_lower_pods_or_still_too_big_says_why() {
        let same = running("same", 100, 1500);
        let n = busy(&[&same]);
        let err = select(&high(1000), &n, &[&same], &[], NOW).map(|v| names(&v));
        assert_eq!(err, Err(vec![NO_VICTIMS.to_string()]));
        let low = running("low", 0, 500);
        let n = busy(&[&same, &low]);
        let err = select(&high(1000), &n, &[&same, &low], &[], NOW).map(|v| names(&v));
        assert_eq!(err, Err(vec!["Insufficient cpu".to_string()]));
    }

    #[test]
    fn pods_protected_by_a_budget_are_reprieved_first() {
        let mut guarded = running("guarded", 1, 1000);
        guarded.labels = json!({"app": "web"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let free = running("free", 5, 1000);
        let n = busy(&[&guarded, &free]);
        let budget = Budget::parse(&json!({
            "metadata": {"namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}},
            "status": {"disruptionsAllowed": 0}
        }));
        let v = select(&high(1000), &n, &[&guarded, &free], &[budget], NOW)
            .unwrap_or_else(|e| panic!("{e:?}"));
        // Without the budget `free` (priority 5) would be kept and `guarded` evicted.
        assert_eq!(names(&v), vec!["free"]);
        assert_eq!(v.pdb_violations, 0);
    }

    #[test]
    fn importance_is_priority_then_start() {
        let mut early = running("early", 1, 0);
        early.start = "2026-11-29T00:00:00Z".into();
        let late = running("late", 1, 0);
        let mut unstarted = running("unstarted", 1, 0);
        unstarted.start.clear();
        let top = running("top", 2, 0);
        let mut all = [&unstarted, &late, &top, &early];
        all.sort_by(|a, b| importance(a, b, NOW));
        let order: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(order, vec!["top", "early", "late", "unstarted"]);
    }
}
