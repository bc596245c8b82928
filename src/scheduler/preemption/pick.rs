//! Which node to preempt on when several could take the pod (kube's
//! pickOneNodeForPreemption): each rule keeps the nodes that do best by it, and the next
//! rule breaks a tie. Fewest budget violations; then the lowest highest-priority victim;
//! then the smallest sum of victim priorities; then the fewest victims; then the node whose
//! earliest-started most important victim started last. A tie after every rule goes to the
//! first node in name order (kube takes the first of its candidates, in no set order).

use super::victims::Victims;
use crate::scheduler::model::RunningPod;

/// The index into `candidates` of the node to preempt on; None when there is none.
/// Each candidate's victims are sorted most important first.
pub fn pick(candidates: &[Victims], now: &str) -> Option<usize> {
    let mut kept: Vec<usize> = (0..candidates.len()).collect();
    let rules: [&dyn Fn(&Victims) -> Key; 5] = [
        &|v| Key::Int(-(v.pdb_violations as i128)),
        &|v| Key::Int(-i128::from(v.pods.first().map_or(0, |p| p.priority))),
        // Each priority shifted by 2^31 so that more pods of a negative priority never
        // sum smaller than fewer of them.
        &|v| {
            Key::Int(
                -v.pods
                    .iter()
                    .map(|p| i128::from(p.priority) + (1_i128 << 31))
                    .sum::<i128>(),
            )
        },
        &|v| Key::Int(-(v.pods.len() as i128)),
        &|v| Key::Text(earliest_start_of_most_important(&v.pods, now)),
    ];
    for rule in rules {
        let keys: Vec<Key> = kept.iter().map(|&i| rule(&candidates[i])).collect();
        let best = keys.iter().max().cloned()?;
        kept = kept
            .iter()
            .zip(&keys)
            .filter(|(_, k)| **k == best)
            .map(|(i, _)| *i)
            .collect();
        if kept.len() == 1 {
            break;
        }
    }
    kept.first().copied()
}

/// A score to maximise: a number, or a start time (RFC 3339 in whole seconds sorts as text).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Int(i128),
    Text(String),
}

/// The earliest start among the victims of the highest priority.
fn earliest_start_of_most_important(pods: &[&RunningPod], now: &str) -> String {
    let Some(top) = pods.first().map(|p| p.priority) else {
        return String::new();
    };
    pods.iter()
        .filter(|p| p.priority == top)
        .map(|p| {
            if p.start.is_empty() {
                now.to_string()
            } else {
                p.start.clone()
            }
        })
        .min()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-11-29T02:00:00Z";

    fn pod(priority: i64, start: &str) -> RunningPod {
        RunningPod {
            priority,
            start: start.into(),
            ..Default::default()
        }
    }

    fn victims<'a>(pods: &[&'a RunningPod], pdb_violations: usize) -> Victims<'a> {
        Victims {
            pods: pods.to_vec(),
            pdb_violations,
        }
    }

    const T1: &str = "2026-11-29T01:00:00Z";
    const T2: &str = "2026-11-29T01:30:00Z";

    #[test]
    fn each_rule_breaks_the_tie_of_the_one_before() {
        let (p1, p5, p9) = (pod(1, T1), pod(5, T1), pod(9, T1));
        let n5 = pod(-5, T1);
        // Fewer budget violations beats a lower priority.
        assert_eq!(
            pick(&[victims(&[&p1], 1), victims(&[&p9], 0)], NOW),
            Some(1)
        );
        // The lowest highest-priority victim.
        assert_eq!(
            pick(&[victims(&[&p9], 0), victims(&[&p5, &p1], 0)], NOW),
            Some(1)
        );
        // The smallest sum.
        assert_eq!(
            pick(&[victims(&[&p5, &p5], 0), victims(&[&p5, &p1], 0)], NOW),
            Some(1)
        );
        // Negative priorities: two pods of -5 sum more than one once shifted.
        assert_eq!(
            pick(&[victims(&[&n5, &n5], 0), victims(&[&n5], 0)], NOW),
            Some(1)
        );
        // The latest start of the most important victims.
        let late = pod(5, T2);
        assert_eq!(
            pick(&[victims(&[&p5], 0), victims(&[&late], 0)], NOW),
            Some(1)
        );
        // A full tie: the first.
        assert_eq!(
            pick(&[victims(&[&p5], 0), victims(&[&p5], 0)], NOW),
            Some(0)
        );
        assert_eq!(pick(&[], NOW), None);
    }

    #[test]
    fn fewest_victims_when_sums_tie() {
        let (p0, p2, p1) = (pod(0, T1), pod(2, T1), pod(1, T1));
        // Same highest (2), sums 2^31*2+2 vs 2^31*3+3: the smaller sum (fewer pods) wins.
        assert_eq!(
            pick(
                &[victims(&[&p2, &p1, &p0], 0), victims(&[&p2, &p0], 0)],
                NOW
            ),
            Some(1)
        );
    }
}
