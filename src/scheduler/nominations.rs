//! The pods an earlier preemption nominated to a node (`status.nominatedNodeName`), kept
//! between passes from the pod changes like `usage`: the room made for them is kept from
//! pods of lower priority until they bind (kube's filters "with nominated pods"), even in a
//! pass that only looks at newly created pods.

use super::model::{NodeInfo, PodInfo};
use super::parse;
use crate::api::options::WatchEvent;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Default)]
pub struct Nominations {
    pods: HashMap<(String, String), PodInfo>,
}

fn key(pod: &PodInfo) -> (String, String) {
    (pod.namespace.clone(), pod.name.clone())
}

/// The key of a pod object, without parsing the rest of it.
fn key_of(pod: &Value) -> (String, String) {
    let text = |p: &str| pod.pointer(p).and_then(Value::as_str).unwrap_or("");
    (
        text("/metadata/namespace").to_string(),
        text("/metadata/name").to_string(),
    )
}

impl Nominations {
    /// Follows a pass's pod changes.
    pub fn apply(&mut self, events: &[WatchEvent]) {
        for e in events {
            if e.kind == "DELETED" {
                self.pods.remove(&key_of(&e.object));
            } else {
                self.note(&e.object);
            }
        }
    }

    /// Follows a pod as it is now (a full resync shows each pod without a node, after
    /// `clear`).
    pub fn note(&mut self, pod: &Value) {
        let nominated = pod
            .pointer("/status/nominatedNodeName")
            .and_then(Value::as_str)
            .is_some_and(|n| !n.is_empty());
        // Bound or being deleted: the nomination is spent.
        let waiting = pod
            .pointer("/spec/nodeName")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
            && pod.pointer("/metadata/deletionTimestamp").is_none();
        if nominated && waiting {
            let info = parse::pod(pod);
            self.pods.insert(key(&info), info);
        } else {
            self.pods.remove(&key_of(pod));
        }
    }

    pub fn clear(&mut self) {
        self.pods.clear();
    }

    /// `pod` nominated to `node` in this pass.
    pub fn nominate(&mut self, pod: &PodInfo, node: &str) {
        let mut info = pod.clone();
        info.nominated_node = node.to_string();
        self.pods.insert(key(&info), info);
    }

    /// `pod` bound, or no longer nominated.
    pub fn forget(&mut self, pod: &PodInfo) {
        self.pods.remove(&key(pod));
    }

    /// Takes away the nominations to `node` of pods less important than `pod` (its
    /// preemption there may leave them no room); returns them.
    pub fn take_lower(&mut self, node: &str, pod: &PodInfo) -> Vec<PodInfo> {
        let lower: Vec<(String, String)> = self
            .pods
            .iter()
            .filter(|(_, q)| q.nominated_node == node && q.priority < pod.priority)
            .map(|(k, _)| k.clone())
            .collect();
        let mut taken: Vec<PodInfo> = lower.iter().filter_map(|k| self.pods.remove(k)).collect();
        taken.sort_by_key(key);
        taken
    }

    /// The nodes as `pod` is filtered against them: each with the pods nominated to it
    /// that are at least as important as `pod`. No copy when none apply.
    pub fn view<'n>(&self, nodes: &'n [NodeInfo], pod: &PodInfo) -> Cow<'n, [NodeInfo]> {
        let mut applying = self
            .pods
            .values()
            .filter(|q| {
                q.priority >= pod.priority && (q.namespace != pod.namespace || q.name != pod.name)
            })
            .peekable();
        if applying.peek().is_none() {
            return Cow::Borrowed(nodes);
        }
        let mut view = nodes.to_vec();
        for q in applying {
            if let Ok(i) = view.binary_search_by(|n| n.name.as_str().cmp(&q.nominated_node)) {
                view[i].add_pod(q);
            }
        }
        Cow::Owned(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing::{node, pod};
    use serde_json::json;

    fn event(kind: &'static str, name: &str, nominated: &str, node_name: &str) -> WatchEvent {
        WatchEvent {
            kind,
            object: json!({
                "metadata": {"name": name, "namespace": "default"},
                "spec": {"nodeName": node_name, "priority": 100,
                         "containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]},
                "status": {"nominatedNodeName": nominated},
            }),
        }
    }

    #[test]
    fn follows_the_changes_and_counts_for_less_important_pods_only() {
        let mut n = Nominations::default();
        n.apply(&[
            event("ADDED", "a", "n1", ""),
            event("ADDED", "b", "n1", ""),
            event("MODIFIED", "b", "n1", "n1"),
            event("ADDED", "c", "", ""),
        ]);
        let nodes = vec![node("n1")];
        let mut low = pod("low", 100, 0);
        assert_eq!(n.view(&nodes, &low)[0].requested.milli_cpu, 1000);
        low.priority = 101;
        assert!(matches!(n.view(&nodes, &low), Cow::Borrowed(_)));
        // Its own nomination does not count against itself.
        let mut a = pod("a", 0, 0);
        a.priority = 100;
        assert!(matches!(n.view(&nodes, &a), Cow::Borrowed(_)));
        let mut top = pod("top", 0, 0);
        top.priority = 1000;
        let taken = n.take_lower("n1", &top);
        assert_eq!(taken.len(), 1);
        assert!(matches!(
            n.view(&nodes, &pod("low", 0, 0)),
            Cow::Borrowed(_)
        ));
    }
}
