//! PodDisruptionBudgets as preemption weighs them: a victim whose eviction would take a
//! budget below zero disruptions allowed "violates" it. Victims that violate are reprieved
//! first, and nodes with fewer violations are preferred; a violation never forbids
//! preemption.

use crate::api::selector::LabelSelector;
use crate::scheduler::model::RunningPod;
use serde_json::Value;

/// One budget: its namespace, whom it selects and what it still allows.
pub struct Budget {
    namespace: String,
    /// None: the budget selects nothing (kube-scheduler reads an empty or missing selector
    /// as matching no pod, and an invalid one too).
    selector: Option<LabelSelector>,
    allowed: i64,
    /// Pods whose eviction the budget has already counted (`status.disruptedPods`).
    disrupted: Vec<String>,
}

impl Budget {
    pub fn parse(pdb: &Value) -> Budget {
        let selector = pdb
            .pointer("/spec/selector")
            .filter(|s| s.as_object().is_some_and(|m| !m.is_empty()))
            .and_then(|s| LabelSelector::from_object(s).ok())
            .filter(|s| !s.is_empty());
        Budget {
            namespace: pdb
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            selector,
            allowed: pdb
                .pointer("/status/disruptionsAllowed")
                .and_then(Value::as_i64)
                .unwrap_or(0),
            disrupted: pdb
                .pointer("/status/disruptedPods")
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default(),
        }
    }

    fn selects(&self, pod: &RunningPod) -> bool {
        self.namespace == pod.namespace
            && self
                .selector
                .as_ref()
                .is_some_and(|s| s.matches(Some(&pod.labels)))
    }
}

/// Splits pods (kept in their order) into those whose eviction would violate a budget and
/// the others, spending each budget's allowance in that order.
pub fn split_by_violation<'a>(
    pods: &[&'a RunningPod],
    budgets: &[Budget],
) -> (Vec<&'a RunningPod>, Vec<&'a RunningPod>) {
    let mut allowed: Vec<i64> = budgets.iter().map(|b| b.allowed).collect();
    let (mut violating, mut other) = (Vec::new(), Vec::new());
    for &pod in pods {
        let mut violates = false;
        // A pod without labels matches no budget.
        if !pod.labels.is_empty() {
            for (i, b) in budgets.iter().enumerate() {
                if !b.selects(pod) || b.disrupted.contains(&pod.name) {
                    continue;
                }
                allowed[i] -= 1;
                if allowed[i] < 0 {
                    violates = true;
                }
            }
        }
        if violates {
            violating.push(pod);
        } else {
            other.push(pod);
        }
    }
    (violating, other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, app: &str) -> RunningPod {
        RunningPod {
            namespace: "default".into(),
            name: name.into(),
            labels: json!({"app": app}).as_object().cloned().unwrap_or_default(),
            ..Default::default()
        }
    }

    fn budget(selector: Value, allowed: i64) -> Budget {
        Budget::parse(&json!({
            "metadata": {"namespace": "default", "name": "b"},
            "spec": {"selector": selector},
            "status": {"disruptionsAllowed": allowed, "disruptedPods": {"gone": "2026-11-29T01:00:00Z"}}
        }))
    }

    fn names(pods: &[&RunningPod]) -> Vec<String> {
        pods.iter().map(|p| p.name.clone()).collect()
    }

    #[test]
    fn the_allowance_is_spent_in_order() {
        let (a, b, c, other) = (
            pod("a", "web"),
            pod("b", "web"),
            pod("c", "web"),
            pod("d", "db"),
        );
        let budgets = [budget(json!({"matchLabels": {"app": "web"}}), 1)];
        let (violating, fine) = split_by_violation(&[&a, &b, &other, &c], &budgets);
        assert_eq!(names(&violating), vec!["b", "c"]);
        assert_eq!(names(&fine), vec!["a", "d"]);
    }

    #[test]
    fn empty_selectors_other_namespaces_and_disrupted_pods_do_not_count() {
        let a = pod("a", "web");
        let mut elsewhere = pod("e", "web");
        elsewhere.namespace = "other".into();
        let gone = pod("gone", "web");
        let mut unlabelled = pod("u", "web");
        unlabelled.labels.clear();
        let budgets = [
            budget(json!({}), 0),
            budget(json!({"matchLabels": {"app": "web"}}), 0),
        ];
        let (violating, fine) = split_by_violation(&[&a, &elsewhere, &gone, &unlabelled], &budgets);
        assert_eq!(names(&violating), vec!["a"]);
        assert_eq!(names(&fine), vec!["e", "gone", "u"]);
    }
}
