//! The message of a pod that fits nowhere, worded as kube-scheduler 1.32 words it:
//!
//! `0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
//! 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for
//! scheduling, 2 No preemption victims found for incoming pod.`
//!
//! Each reason is counted over the nodes that gave it, the `"<count> <reason>"` strings are
//! sorted as strings (so "10 ..." sorts before "2 ..."), and joined with ", ". The tail is
//! what the DefaultPreemption plugin said (`preemption`): why the pod may not preempt, or
//! the same kind of summary over what its dry run found on each node. When preemption made
//! room the tail is left out.

use super::framework::Diagnosis;

/// kube-scheduler's message when the cluster has no nodes at all.
pub const NO_NODES: &str = "no nodes available to schedule pods";
pub const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
pub const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const NEVER_PREEMPTS: &str = "not eligible due to preemptionPolicy=Never.";
pub const VICTIMS_TERMINATING: &str =
    "not eligible due to a terminating pod on the nominated node.";

/// The FailedScheduling message for a diagnosis, with what preemption said (None when it
/// made room somewhere: kube then prints the filters' summary alone).
pub fn message(d: &Diagnosis, preemption: Option<&str>) -> String {
    if d.num_nodes == 0 {
        return NO_NODES.to_string();
    }
    let mut out = nodes_available(
        d.num_nodes,
        d.statuses
            .iter()
            .flat_map(|s| s.reasons.iter().map(String::as_str)),
    );
    if let Some(p) = preemption {
        out.push_str(" preemption: ");
        out.push_str(p);
    }
    out
}

/// `0/<n> nodes are available: <count> <reason>, ....` over every node's reasons (only the
/// colon when there are none, as kube prints it).
pub fn nodes_available<'a>(num_nodes: usize, reasons: impl Iterator<Item = &'a str>) -> String {
    let counted = histogram(reasons);
    let mut out = format!("0/{num_nodes} nodes are available:");
    if !counted.is_empty() {
        out.push_str(&format!(" {}.", counted.join(", ")));
    }
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
    use crate::scheduler::framework::{Code, Unfit};

    /// What preemption says when no node holds a pod it may evict.
    fn nothing_to_evict(d: &Diagnosis) -> String {
        nodes_available(
            d.num_nodes,
            d.statuses.iter().map(|s| match s.code {
                Code::UnschedulableAndUnresolvable => NOT_HELPFUL,
                Code::Unschedulable => NO_VICTIMS,
            }),
        )
    }

    fn message_without_victims(d: &Diagnosis) -> String {
        message(d, Some(&nothing_to_evict(d)))
    }

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
            message_without_victims(&d),
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
            message_without_victims(&d),
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
            message_without_victims(&d),
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
            message_without_victims(&d),
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
            message(&d, Some(NEVER_PREEMPTS)),
            "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
        );
        let none = Diagnosis {
            num_nodes: 0,
            statuses: vec![],
        };
        assert_eq!(message(&none, None), "no nodes available to schedule pods");
    }
}
