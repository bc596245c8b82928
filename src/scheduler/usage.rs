//! What the pods bound to each node request, kept between passes: read once (a page at a
//! time) and then brought up to date from each pass's changes, so a pass costs what changed
//! rather than a read of every pod.

use super::model::{NodeInfo, PodInfo, RunningPod};
use super::parse;
use crate::api::options::{ListOptions, WatchEvent};
use crate::api::status::ApiError;
use crate::apiserver::project::Keep;
use crate::runtime::Context;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// One bound, unfinished pod and its node.
struct Bound {
    node: String,
    pod: RunningPod,
}

/// What `share` reads of a pod (all that `parse::running_pod` reads), so the load decodes
/// no more of each bound pod than that.
static BOUND_POD: Keep = Keep::Fields(&[
    ("metadata", Keep::AllBut(&["managedFields"])),
    (
        "spec",
        Keep::Fields(&[
            ("nodeName", Keep::All),
            ("priority", Keep::All),
            ("containers", CONTAINER),
            ("initContainers", CONTAINER),
            ("overhead", Keep::All),
            ("affinity", Keep::All),
        ]),
    ),
    (
        "status",
        Keep::Fields(&[
            ("phase", Keep::All),
            ("startTime", Keep::All),
            ("conditions", Keep::All),
        ]),
    ),
]);

const CONTAINER: Keep = Keep::Fields(&[("resources", Keep::All), ("restartPolicy", Keep::All)]);

/// The bound, unfinished pods as of `revision`, plus the changes seen since.
#[derive(Default)]
pub struct Usage {
    revision: i64,
    pods: HashMap<(String, String), Bound>,
    /// Pods this scheduler bound whose binding no change has shown yet (kube's assumed
    /// pods): a server reads the change log a window at a time, so behind a backlog a pass
    /// still sees their older, unbound versions, which must not uncount them.
    assumed: HashSet<(String, String)>,
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn key(pod: &Value) -> (String, String) {
    (
        text(pod, "/metadata/namespace").to_string(),
        text(pod, "/metadata/name").to_string(),
    )
}

/// The share a pod takes of its node, if it is bound and not finished.
fn share(pod: &Value) -> Option<Bound> {
    let node = text(pod, "/spec/nodeName");
    let finished = matches!(text(pod, "/status/phase"), "Succeeded" | "Failed");
    if node.is_empty() || finished {
        return None;
    }
    Some(Bound {
        node: node.to_string(),
        pod: parse::running_pod(pod),
    })
}

impl Usage {
    /// Reads every bound pod, a page at a time.
    pub fn load(ctx: &Context) -> Result<Usage, ApiError> {
        let bound_pods = ListOptions {
            field_selector: Some("spec.nodeName!=".to_string()),
            ..Default::default()
        };
        let mut pods = HashMap::new();
        let keep = Some(&BOUND_POD);
        let revision = ctx.list_pages("pods", None, &bound_pods, keep, &mut |page| {
            for pod in &page {
                if let Some(b) = share(pod) {
                    pods.insert(key(pod), b);
                }
            }
            Ok(())
        })?;
        Ok(Usage {
            revision,
            pods,
            ..Default::default()
        })
    }

    /// Applies a pass's pod changes (in revision order); those the load already saw are
    /// skipped.
    pub fn apply(&mut self, events: &[WatchEvent]) {
        for e in events {
            let revision = text(&e.object, "/metadata/resourceVersion")
                .parse::<i64>()
                .unwrap_or(i64::MAX);
            if revision <= self.revision {
                continue;
            }
            let key = key(&e.object);
            let unbound = text(&e.object, "/spec/nodeName").is_empty();
            if e.kind != "DELETED" && unbound && self.assumed.contains(&key) {
                continue;
            }
            self.assumed.remove(&key);
            match share(&e.object).filter(|_| e.kind != "DELETED") {
                Some(b) => self.pods.insert(key, b),
                None => self.pods.remove(&key),
            };
        }
    }

    /// A pod this pass bound: counted at once (its change comes in a later window).
    pub fn bound(&mut self, pod: &PodInfo, node: &str) {
        self.assumed
            .insert((pod.namespace.clone(), pod.name.clone()));
        self.pods.insert(
            (pod.namespace.clone(), pod.name.clone()),
            Bound {
                node: node.to_string(),
                pod: pod.running(),
            },
        );
    }

    /// A pod this pass preempted: it is being deleted (its own change comes later).
    pub fn preempted(&mut self, namespace: &str, name: &str) {
        if let Some(b) = self
            .pods
            .get_mut(&(namespace.to_string(), name.to_string()))
        {
            b.pod.preempted = true;
        }
    }

    /// Adds each node's pods to the nodes (sorted by name).
    pub fn fill(&self, nodes: &mut [NodeInfo]) {
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.as_str(), i))
            .collect();
        let mut shares: Vec<(usize, &Bound)> = self
            .pods
            .values()
            .filter_map(|b| index.get(b.node.as_str()).map(|&i| (i, b)))
            .collect();
        // A fixed order of additions, whatever the map's order.
        shares.sort_by_key(|(i, _)| *i);
        for (i, b) in shares {
            let node = &mut nodes[i];
            node.restore_pod(&b.pod);
        }
    }

    /// The lowest priority of the bound pods (None when there are none).
    pub fn lowest_priority(&self) -> Option<i64> {
        self.pods.values().map(|b| b.pod.priority).min()
    }

    /// Whether any bound pod has pod (anti-)affinity, which every pod placed must respect.
    pub fn any_pod_affinity(&self) -> bool {
        self.pods.values().any(|b| b.pod.pod_affinity.is_some())
    }

    /// The pods bound to each node, each node's in a fixed order (namespace, name).
    pub fn pods_by_node(&self) -> HashMap<&str, Vec<&RunningPod>> {
        let mut by_node: HashMap<&str, Vec<&RunningPod>> = HashMap::new();
        for b in self.pods.values() {
            by_node.entry(b.node.as_str()).or_default().push(&b.pod);
        }
        for pods in by_node.values_mut() {
            pods.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        }
        by_node
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testing;
    use serde_json::json;

    fn event(kind: &'static str, name: &str, node: &str, cpu: &str, rv: i64) -> WatchEvent {
        WatchEvent {
            kind,
            object: json!({
                "metadata": {"name": name, "namespace": "default", "resourceVersion": rv.to_string()},
                "spec": {"nodeName": node, "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]},
                "status": {"phase": "Running"},
            }),
        }
    }

    fn filled(usage: &Usage) -> Vec<(String, i64, i64)> {
        let mut nodes = vec![testing::node("n1"), testing::node("n2")];
        usage.fill(&mut nodes);
        nodes
            .into_iter()
            .map(|n| (n.name, n.pod_count, n.requested.milli_cpu))
            .collect()
    }

    #[test]
    fn follows_the_changes_after_its_load() {
        let mut usage = Usage {
            revision: 10,
            ..Default::default()
        };
        let mut finished = event("MODIFIED", "a", "n1", "100m", 12);
        finished.object["status"]["phase"] = json!("Succeeded");
        usage.apply(&[
            event("ADDED", "a", "n1", "100m", 11),
            // Seen by the load already: skipped.
            event("ADDED", "old", "n1", "500m", 9),
            event("ADDED", "b", "n2", "250m", 11),
            finished,
            event("ADDED", "c", "n2", "1", 13),
            event("DELETED", "c", "n2", "1", 14),
            // Not bound: takes nothing.
            event("ADDED", "d", "", "1", 15),
        ]);
        assert_eq!(
            filled(&usage),
            vec![("n1".to_string(), 0, 0), ("n2".to_string(), 1, 250)]
        );
        usage.bound(&testing::pod("e", 300, 0), "n1");
        // Its own change, seen later, counts it once.
        usage.apply(&[event("MODIFIED", "e", "n1", "300m", 16)]);
        assert_eq!(
            filled(&usage),
            vec![("n1".to_string(), 1, 300), ("n2".to_string(), 1, 250)]
        );
    }

    /// The projection the load decodes with keeps all that a bound pod's share is read from.
    #[test]
    fn a_projected_pod_takes_the_same_share() {
        let term = json!({"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "zone",
            "namespaces": ["other"]});
        let pod = json!({
            "metadata": {"name": "web-1", "namespace": "default", "uid": "u", "resourceVersion": "7",
                "labels": {"app": "web"}, "managedFields": [{"manager": "kubelite"}],
                "deletionTimestamp": "2026-11-29T00:00:00Z"},
            "spec": {"nodeName": "n1", "priority": 1000, "restartPolicy": "Always",
                "containers": [{"name": "c", "image": "nginx",
                    "resources": {"requests": {"cpu": "250m"}, "limits": {"memory": "1Gi"}},
                    "env": [{"name": "A", "value": "1"}]}],
                "initContainers": [
                    {"name": "side", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1", "memory": "64Mi"}}},
                    {"name": "init", "resources": {"requests": {"cpu": "3"}}}],
                "overhead": {"cpu": "10m", "memory": "1Mi"},
                "affinity": {
                    "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]},
                    "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 5, "podAffinityTerm": term}]}},
                "volumes": [{"name": "v", "emptyDir": {}}]},
            "status": {"phase": "Running", "startTime": "2026-11-28T00:00:00Z", "podIP": "10.0.0.1",
                "conditions": [{"type": "DisruptionTarget", "status": "True",
                    "reason": parse::PREEMPTION_BY_SCHEDULER}],
                "containerStatuses": [{"name": "c", "ready": true}]}
        });
        let bytes = serde_json::to_vec(&pod).expect("encode");
        let projected = crate::apiserver::project::decode(&bytes, &BOUND_POD).expect("decode");
        assert!(projected.pointer("/spec/volumes").is_none());
        let (whole, slim) = (
            share(&pod).expect("bound"),
            share(&projected).expect("bound"),
        );
        assert!(whole.pod.preempted && whole.pod.pod_affinity.is_some());
        assert_eq!((slim.node, slim.pod), (whole.node, whole.pod));
        assert_eq!(key(&projected), key(&pod));
    }

    /// Behind a backlog a pass reads changes older than the bindings this scheduler made:
    /// a pod it bound stays counted on its node until a change shows it bound or deleted.
    #[test]
    fn a_pod_it_bound_stays_counted_through_its_older_versions() {
        let mut usage = Usage {
            revision: 10,
            ..Default::default()
        };
        usage.bound(&testing::pod("e", 300, 0), "n1");
        let counted = vec![("n1".to_string(), 1, 300), ("n2".to_string(), 0, 0)];
        let empty = vec![("n1".to_string(), 0, 0), ("n2".to_string(), 0, 0)];
        // Its creation and a status write from before the binding.
        usage.apply(&[
            event("ADDED", "e", "", "300m", 11),
            event("MODIFIED", "e", "", "300m", 12),
        ]);
        assert_eq!(filled(&usage), counted);
        // The binding shows; later the deletion uncounts it.
        usage.apply(&[event("MODIFIED", "e", "n1", "300m", 13)]);
        assert_eq!(filled(&usage), counted);
        usage.apply(&[event("DELETED", "e", "n1", "300m", 14)]);
        assert_eq!(filled(&usage), empty);
        // Deleted before its binding showed: uncounted at once.
        usage.bound(&testing::pod("f", 200, 0), "n2");
        usage.apply(&[event("DELETED", "f", "", "200m", 15)]);
        assert_eq!(filled(&usage), empty);
    }
}
