//! Queue order (kube-scheduler's PrioritySort): higher priority first, then the pod created
//! first, then namespace and name so that pods created in the same second keep a fixed order.

use super::model::PodInfo;
use std::cmp::Ordering;

pub fn order(a: &PodInfo, b: &PodInfo) -> Ordering {
    b.priority
        .cmp(&a.priority)
        .then_with(|| a.created.cmp(&b.created))
        .then_with(|| a.namespace.cmp(&b.namespace))
        .then_with(|| a.name.cmp(&b.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing::pod;

    #[test]
    fn priority_then_age_then_name() {
        let mut urgent = pod("z-urgent", 0, 0);
        urgent.priority = 1000;
        let mut old = pod("y-old", 0, 0);
        old.created = "2026-11-29T01:00:00Z".into();
        let b = pod("b", 0, 0);
        let a = pod("a", 0, 0);
        let mut queue = [b, a, old, urgent];
        queue.sort_by(order);
        let names: Vec<&str> = queue.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["z-urgent", "y-old", "a", "b"]);
    }
}
