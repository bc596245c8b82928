//! The message of a pod that fits nowhere, worded as kube-scheduler 1.32 words it:
//!
//! `0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
//! 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for
//! scheduling, 2 No preemption victims found for incoming pod.`
//!
//! Each reason is counted over the nodes that gave it, the `"<count> <reason>"` strings are
//! sorted as strings (so "10 ..." sorts before "2 ..."), and joined with ", ". The tail is
//! what the DefaultPreemption plugin says when it finds nothing to evict: nodes rejected for
//! an unresolvable reason are "not helpful", the others have no victims (this scheduler never
//! preempts, so it always reports the case where no victims exist).

use super::framework::{Code, Diagnosis};

/// kube-scheduler's message when the cluster has no nodes at all.
pub const NO_NODES: &str = "no nodes available to schedule pods";
pub const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
pub const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const NEVER_PREEMPTS: &str = "not eligible due to preemptionPolicy=Never.";

/// The FailedScheduling message for a diagnosis.
pub fn message(d: &Diagnosis, never_preempts: bool) -> String {
    if d.num_nodes == 0 {
        return NO_NODES.to_string();
    }
    let filters = histogram(
        d.statuses
            .iter()
            .flat_map(|s| s.reasons.iter().map(String::as_str)),
    );
    let mut out = format!("0/{} nodes are available:", d.num_nodes);
    if !filters.is_empty() {
        out.push_str(&format!(" {}.", filters.join(", ")));
    }
    let preemption = if never_preempts {
        NEVER_PREEMPTS.to_string()
    } else {
        let verdicts = histogram(d.statuses.iter().map(|s| match s.code {
            Code::UnschedulableAndUnresolvable => NOT_HELPFUL,
            Code::Unschedulable => NO_VICTIMS,
        }));
        format!(
            "0/{} nodes are available: {}.",
            d.num_nodes,
            verdicts.join(", ")
        )
    };
    out.push_str(&format!(" preemption: {preemption}"));
    out
}

/// The message when a PreFilter plugin refuses the pod before any node is tried (every
/// node then carries that unresolvable verdict, so preemption cannot help anywhere).
pub fn pre_filter_message(num_nodes: usize, reason: &str, never_preempts: bool) -> String {
    if num_nodes == 0 {
        return NO_NODES.to_string();
    }
    let preemption = if never_preempts {
        NEVER_PREEMPTS.to_string()
    } else {
        format!("0/{num_nodes} nodes are available: {num_nodes} {NOT_HELPFUL}.")
    };
    format!("0/{num_nodes} nodes are available: {reason}. preemption: {preemption}")
}

/// `"<count> <reason>"` for each distinct reason, sorted as strings.
fn histogram<'a>(reasons: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for r in reasons {
        match counts.iter_mut().find(|(k, _)| *k == r) {
            Some((_, n)) => *n += 1,
            None => counts.push((r, 1)),
        }
    }
    let mut lines: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    lines.sort();
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::Unfit;

    fn unfit(code: Code, reasons: &[&str]) -> Unfit {
        Unfit {
            code,
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
        }
    }

    fn taint() -> Unfit {
        unfit(
            Code::UnschedulableAndUnresolvable,
            &["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"],
        )
    }

    #[test]
    fn the_reference_clusters_too_big_pod() {
        // The message of testdata's reference pod `too-big` (a kubeadm 1.32 cluster).
        let d = Diagnosis {
            num_nodes: 3,
            statuses: vec![
                taint(),
                unfit(Code::Unschedulable, &["Insufficient cpu"]),
                unfit(Code::Unschedulable, &["Insufficient cpu"]),
            ],
        };
        assert_eq!(
            message(&d, false),
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn affinity_everywhere_is_never_helped_by_preemption() {
        let affinity = || {
            unfit(
                Code::UnschedulableAndUnresolvable,
                &["node(s) didn't match Pod's node affinity/selector"],
            )
        };
        let d = Diagnosis {
            num_nodes: 3,
            statuses: vec![taint(), affinity(), affinity()],
        };
        assert_eq!(
            message(&d, false),
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
    }

    #[test]
    fn a_node_short_of_two_resources_counts_in_both() {
        // As in a real 1.32 cluster: "0/4 nodes are available: 2 Insufficient memory, 3
        // Insufficient cpu. preemption: 0/4 nodes are available: 4 No preemption victims
        // found for incoming pod."
        let d = Diagnosis {
            num_nodes: 4,
            statuses: vec![
                unfit(
                    Code::Unschedulable,
                    &["Insufficient cpu", "Insufficient memory"],
                ),
                unfit(
                    Code::Unschedulable,
                    &["Insufficient cpu", "Insufficient memory"],
                ),
                unfit(Code::Unschedulable, &["Insufficient cpu"]),
                unfit(Code::Unschedulable, &["Too many pods"]),
            ],
        };
        assert_eq!(
            message(&d, false),
            "0/4 nodes are available: 1 Too many pods, 2 Insufficient memory, 3 Insufficient cpu. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn counts_sort_as_text() {
        let mut statuses = vec![unfit(Code::Unschedulable, &["Insufficient cpu"]); 2];
        statuses.extend(vec![
            unfit(
                Code::UnschedulableAndUnresolvable,
                &["node(s) were unschedulable"]
            );
            10
        ]);
        let d = Diagnosis {
            num_nodes: 12,
            statuses,
        };
        assert_eq!(
            message(&d, false),
            "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/12 nodes are available: 10 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn preemption_policy_never_and_no_nodes() {
        let d = Diagnosis {
            num_nodes: 1,
            statuses: vec![unfit(Code::Unschedulable, &["Insufficient cpu"])],
        };
        assert_eq!(
            message(&d, true),
            "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
        );
        let none = Diagnosis {
            num_nodes: 0,
            statuses: vec![],
        };
        assert_eq!(message(&none, false), "no nodes available to schedule pods");
    }
}
