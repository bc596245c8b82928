//! The scheduler against a real embedded cluster (store, API server, admission), driven
//! pass by pass. The tests play the node lifecycle controller where they need to: a new
//! node carries the `not-ready` taint until that controller sees it Ready and removes it.

use super::Scheduler;
use crate::api::options::{DeleteOptions, ListOptions, WriteOptions};
use crate::api::registry::{self, Resource};
use crate::client::{Client, Embedded};
use crate::clock::Clock;
use crate::runtime::{Checkpoint, items, settle_once};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::path::PathBuf;

const TOO_BIG: &str = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";

struct Cluster {
    dir: PathBuf,
    client: Embedded,
    now: DateTime<Utc>,
    since: i64,
    scheduler: Scheduler,
}

fn resource(plural: &str) -> &'static Resource {
    registry::find(plural).unwrap_or_else(|| panic!("no resource {plural}"))
}

impl Cluster {
    /// A new cluster with `workers` worker nodes, all Ready and without the not-ready taint.
    fn new(test: &str, workers: usize) -> Cluster {
        let dir =
            std::env::temp_dir().join(format!("kubelite-scheduler-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let now = DateTime::parse_from_rfc3339("2026-11-29T01:42:16Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("{e}"));
        let client = crate::embedded::open_in(&dir, Clock::Fixed(now), workers)
            .unwrap_or_else(|e| panic!("cannot open a cluster: {e}"));
        let c = Cluster {
            dir,
            client,
            now,
            since: 0,
            scheduler: Scheduler::new(),
        };
        for name in c.node_names() {
            c.edit_node(&name, |n| {
                let kept: Vec<Value> = n["spec"]["taints"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|t| t["key"] != "node.kubernetes.io/not-ready")
                    .collect();
                n["spec"]["taints"] = json!(kept);
            });
        }
        c
    }

    fn node_names(&self) -> Vec<String> {
        let list = self
            .client
            .list(resource("nodes"), None, &ListOptions::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        items(list)
            .iter()
            .filter_map(|n| n["metadata"]["name"].as_str().map(str::to_string))
            .collect()
    }

    fn edit_node(&self, name: &str, change: impl Fn(&mut Value)) {
        let nodes = resource("nodes");
        let mut node = self
            .client
            .get(nodes, None, name)
            .unwrap_or_else(|e| panic!("{e:?}"));
        change(&mut node);
        let node = self
            .client
            .update(nodes, None, name, node, &WriteOptions::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut node = node;
        change(&mut node);
        self.client
            .update_status(nodes, None, name, node, &WriteOptions::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
    }

    /// One scheduler pass over the changes since the previous one.
    fn pass(&mut self) -> bool {
        let start = self
            .client
            .server()
            .revision()
            .unwrap_or_else(|e| panic!("{e:?}"));
        let wrote = settle_once(&mut self.scheduler, &self.client, self.now, self.since)
            .unwrap_or_else(|e| panic!("scheduler failed: {e:?}"));
        self.since = start;
        wrote
    }

    /// Passes until one writes nothing; how many wrote.
    fn settle(&mut self) -> usize {
        let mut busy = 0;
        while self.pass() {
            busy += 1;
            assert!(busy < 20, "the scheduler never settles");
        }
        busy
    }

    fn create_pod(&self, name: &str, spec: Value) {
        self.create_labelled_pod(name, json!({}), spec);
    }

    fn create_labelled_pod(&self, name: &str, labels: Value, spec: Value) {
        let mut spec = spec;
        if spec.get("containers").is_none() {
            spec["containers"] = json!([{"name": "app", "image": "nginx"}]);
        }
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": name, "labels": labels}, "spec": spec});
        self.client
            .create(
                resource("pods"),
                Some("default"),
                pod,
                &WriteOptions::default(),
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
    }

    fn pod(&self, name: &str) -> Value {
        self.client
            .get(resource("pods"), Some("default"), name)
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn node_of(&self, name: &str) -> String {
        self.pod(name)["spec"]["nodeName"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn events(&self, pod: &str) -> Vec<Value> {
        let list = self
            .client
            .list(resource("events"), Some("default"), &ListOptions::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        items(list)
            .into_iter()
            .filter(|e| e["involvedObject"]["name"] == pod)
            .collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn cpu(request: &str) -> Value {
    json!({"containers": [{"name": "app", "image": "nginx", "resources": {"requests": {"cpu": request}}}]})
}

#[test]
fn the_seed_pod_goes_to_a_worker_with_a_scheduled_event() {
    let mut c = Cluster::new("seed", 2);
    c.create_pod("myapp-pod", json!({}));
    assert_eq!(c.settle(), 1);
    assert_eq!(c.node_of("myapp-pod"), "node01");
    let events = c.events("myapp-pod");
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e["reason"], "Scheduled");
    assert_eq!(e["type"], "Normal");
    assert_eq!(
        e["message"],
        "Successfully assigned default/myapp-pod to node01"
    );
    assert_eq!(e["reportingComponent"], "default-scheduler");
    assert_eq!(e["reportingInstance"], "default-scheduler-master");
    assert_eq!(e["action"], "Binding");
    assert_eq!(
        e["involvedObject"]["uid"],
        c.pod("myapp-pod")["metadata"]["uid"]
    );
    let conditions = c.pod("myapp-pod")["status"]["conditions"].clone();
    assert_eq!(conditions[0]["type"], "PodScheduled");
    assert_eq!(conditions[0]["status"], "True");
}

#[test]
fn pods_without_requests_spread_over_the_workers() {
    let mut c = Cluster::new("spread", 2);
    for name in ["a", "b", "c", "d"] {
        c.create_pod(name, json!({}));
    }
    c.settle();
    let placed: Vec<String> = ["a", "b", "c", "d"].iter().map(|p| c.node_of(p)).collect();
    assert_eq!(placed, vec!["node01", "node02", "node01", "node02"]);
}

#[test]
fn a_pod_that_fits_nowhere_gets_kube_schedulers_message_once() {
    let mut c = Cluster::new("too-big", 2);
    c.create_pod("too-big", cpu("3"));
    assert_eq!(c.settle(), 1);
    let pod = c.pod("too-big");
    assert_eq!(pod["spec"]["nodeName"], Value::Null);
    let condition = &pod["status"]["conditions"][0];
    assert_eq!(condition["type"], "PodScheduled");
    assert_eq!(condition["status"], "False");
    assert_eq!(condition["reason"], "Unschedulable");
    assert_eq!(condition["message"], TOO_BIG);
    let events = c.events("too-big");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["reason"], "FailedScheduling");
    assert_eq!(events[0]["type"], "Warning");
    assert_eq!(events[0]["action"], "Scheduling");
    assert_eq!(events[0]["message"], TOO_BIG);
    // A full resync finds the same answer and writes nothing.
    c.since = 0;
    assert!(!c.pass());
    assert_eq!(c.events("too-big")[0].get("series"), None);
}

#[test]
fn pods_bound_earlier_in_a_pass_count() {
    let mut c = Cluster::new("same-pass", 2);
    for name in ["p1", "p2", "p3"] {
        c.create_pod(name, cpu("1500m"));
    }
    c.pass();
    assert_eq!(c.node_of("p1"), "node01");
    assert_eq!(c.node_of("p2"), "node02");
    assert_eq!(c.node_of("p3"), "");
    assert_eq!(c.pod("p3")["status"]["conditions"][0]["message"], TOO_BIG);
}

#[test]
fn a_failed_pod_is_retried_when_a_node_changes_or_room_is_freed() {
    let mut c = Cluster::new("retry", 1);
    c.create_pod("first", cpu("1500m"));
    c.create_pod("second", cpu("1500m"));
    c.settle();
    assert_eq!(c.node_of("first"), "node01");
    assert_eq!(c.node_of("second"), "");
    c.client
        .delete(
            resource("pods"),
            Some("default"),
            "first",
            &DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    c.settle();
    assert_eq!(c.node_of("second"), "node01");

    c.create_pod("third", cpu("1500m"));
    c.settle();
    assert_eq!(c.node_of("third"), "");
    c.edit_node("node01", |n| n["status"]["allocatable"]["cpu"] = json!("4"));
    c.settle();
    assert_eq!(c.node_of("third"), "node01");
}

#[test]
fn node_selector_and_affinity_pick_the_labelled_node() {
    let mut c = Cluster::new("selector", 2);
    c.edit_node("node02", |n| n["metadata"]["labels"]["disk"] = json!("ssd"));
    c.create_pod("by-selector", json!({"nodeSelector": {"disk": "ssd"}}));
    c.create_pod(
        "by-affinity",
        json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}]
        }}}}),
    );
    c.create_pod("nowhere", json!({"nodeSelector": {"disk": "nvme"}}));
    c.settle();
    assert_eq!(c.node_of("by-selector"), "node02");
    assert_eq!(c.node_of("by-affinity"), "node02");
    assert_eq!(
        c.pod("nowhere")["status"]["conditions"][0]["message"],
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
}

#[test]
fn anti_affinity_keeps_replicas_apart_within_one_pass() {
    let mut c = Cluster::new("anti", 2);
    let apart = json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}});
    for name in ["web-1", "web-2", "web-3"] {
        c.create_labelled_pod(name, json!({"app": "web"}), apart.clone());
    }
    c.settle();
    assert_eq!(c.node_of("web-1"), "node01");
    assert_eq!(c.node_of("web-2"), "node02");
    assert_eq!(c.node_of("web-3"), "");
    assert_eq!(
        c.pod("web-3")["status"]["conditions"][0]["message"],
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    );
}

#[test]
fn topology_spread_across_zones() {
    let mut c = Cluster::new("spread", 3);
    for (node, zone) in [("node01", "a"), ("node02", "a"), ("node03", "b")] {
        c.edit_node(node, |n| {
            n["metadata"]["labels"]["topology.kubernetes.io/zone"] = json!(zone);
        });
    }
    let spread = json!({"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
        "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "db"}}}]});
    for name in ["db-1", "db-2", "db-3", "db-4"] {
        c.create_labelled_pod(name, json!({"app": "db"}), spread.clone());
    }
    c.settle();
    let zone_b = ["db-1", "db-2", "db-3", "db-4"]
        .iter()
        .filter(|p| c.node_of(p) == "node03")
        .count();
    // Four pods over two zones with a skew of at most one: two in each, whatever the
    // resource scores prefer. (master has no zone and its taint keeps the pods off.)
    assert_eq!(zone_b, 2);
}

#[test]
fn tolerating_the_control_plane_taint_allows_master() {
    let mut c = Cluster::new("master", 2);
    c.create_pod(
        "tolerant",
        json!({"tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]}),
    );
    c.settle();
    // Every node is empty: a tie, and master sorts first.
    assert_eq!(c.node_of("tolerant"), "master");
}

#[test]
fn cordoned_and_unreachable_nodes_are_skipped() {
    let mut c = Cluster::new("cordon", 2);
    c.edit_node("node01", |n| n["spec"]["unschedulable"] = json!(true));
    c.edit_node("node02", |n| {
        if let Some(conds) = n["status"]["conditions"].as_array_mut() {
            for cond in conds.iter_mut().filter(|x| x["type"] == "Ready") {
                cond["status"] = json!("Unknown");
            }
        }
    });
    c.create_pod("p", json!({}));
    c.settle();
    assert_eq!(c.node_of("p"), "");
    assert_eq!(
        c.pod("p")["status"]["conditions"][0]["message"],
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
}

#[test]
fn nothing_changed_means_no_work() {
    let mut c = Cluster::new("idle", 2);
    c.create_pod("p", json!({}));
    c.settle();
    assert!(!c.pass());
    assert!(!c.pass());
}

impl Cluster {
    fn create(&self, plural: &str, namespace: Option<&str>, object: Value) {
        self.client
            .create(
                resource(plural),
                namespace,
                object,
                &WriteOptions::default(),
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
    }

    fn priority_class(&self, name: &str, value: i64) {
        self.create(
            "priorityclasses",
            None,
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                   "metadata": {"name": name}, "value": value}),
        );
    }

    /// What the kubelet does to a pod being deleted: removes it.
    fn finish_deletion(&self, name: &str) {
        self.client
            .delete(
                resource("pods"),
                Some("default"),
                name,
                &DeleteOptions {
                    grace_period_seconds: Some(0),
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
}

fn with_priority(class: &str, request: &str) -> Value {
    let mut spec = cpu(request);
    spec["priorityClassName"] = json!(class);
    spec
}

const FULL: &str = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.";

#[test]
fn a_pod_of_higher_priority_preempts_the_least_important_pod() {
    let mut c = Cluster::new("preempt", 2);
    c.priority_class("mid", 10);
    c.priority_class("high", 1000);
    c.create_pod("busy-mid", with_priority("mid", "1500m"));
    c.create_pod("busy-low", cpu("1500m"));
    c.settle();
    assert_eq!(c.node_of("busy-mid"), "node01");
    assert_eq!(c.node_of("busy-low"), "node02");

    c.create_pod("urgent", with_priority("high", "1500m"));
    c.pass();
    // node02's pod has the lower priority: it is the victim.
    let victim = c.pod("busy-low");
    assert!(victim["metadata"]["deletionTimestamp"].is_string());
    let marker = &victim["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|x| x["type"] == "DisruptionTarget"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(marker["reason"], "PreemptionByScheduler");
    assert_eq!(
        marker["message"],
        "default-scheduler: preempting to accommodate a higher priority pod"
    );
    let uid = c.pod("urgent")["metadata"]["uid"].clone();
    let preempted = c.events("busy-low");
    let preempted = preempted
        .iter()
        .find(|e| e["reason"] == "Preempted")
        .unwrap_or_else(|| panic!("no Preempted event: {preempted:?}"));
    assert_eq!(
        preempted["message"],
        format!(
            "Preempted by pod {} on node node02",
            uid.as_str().unwrap_or("")
        )
    );
    assert_eq!(preempted["type"], "Normal");
    assert_eq!(preempted["action"], "Preempting");
    assert!(c.pod("busy-mid")["metadata"]["deletionTimestamp"].is_null());

    // Nominated, with the filters' summary alone (preemption made room).
    let urgent = c.pod("urgent");
    assert_eq!(urgent["status"]["nominatedNodeName"], "node02");
    assert_eq!(urgent["status"]["conditions"][0]["message"], FULL);
    // Retried while the victim terminates: no second preemption.
    c.settle();
    assert_eq!(
        c.pod("urgent")["status"]["conditions"][0]["message"],
        format!("{FULL} preemption: not eligible due to a terminating pod on the nominated node.")
    );
    assert!(c.pod("busy-mid")["metadata"]["deletionTimestamp"].is_null());
    let messages: Vec<Value> = c
        .events("urgent")
        .iter()
        .map(|e| e["message"].clone())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");

    // Once the victim is gone the pod binds to its nominated node.
    c.finish_deletion("busy-low");
    c.settle();
    assert_eq!(c.node_of("urgent"), "node02");
    let reasons: Vec<Value> = c
        .events("urgent")
        .iter()
        .map(|e| e["reason"].clone())
        .collect();
    assert_eq!(
        reasons,
        vec![
            json!("FailedScheduling"),
            json!("FailedScheduling"),
            json!("Scheduled")
        ]
    );
}

#[test]
fn preemption_policy_never_and_equal_priorities_preempt_nothing() {
    let mut c = Cluster::new("no-preempt", 1);
    c.priority_class("high", 1000);
    c.create(
        "priorityclasses",
        None,
        json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
               "metadata": {"name": "polite"}, "value": 1000, "preemptionPolicy": "Never"}),
    );
    c.create_pod("busy", with_priority("high", "1500m"));
    c.settle();
    c.create_pod("peer", with_priority("high", "1500m"));
    c.create_pod("polite", with_priority("polite", "1500m"));
    c.settle();
    assert!(c.pod("busy")["metadata"]["deletionTimestamp"].is_null());
    let head = "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.";
    assert_eq!(
        c.pod("peer")["status"]["conditions"][0]["message"],
        format!(
            "{head} preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
        )
    );
    assert_eq!(
        c.pod("polite")["status"]["conditions"][0]["message"],
        format!("{head} preemption: not eligible due to preemptionPolicy=Never.")
    );
    assert!(c.pod("peer")["status"]["nominatedNodeName"].is_null());
}

/// One node whose pod `victim` is being preempted for `urgent`, nominated there.
fn nominated_over_a_victim(test: &str) -> Cluster {
    let mut c = Cluster::new(test, 1);
    c.priority_class("mid", 10);
    c.priority_class("high", 1000);
    c.create_pod("victim", cpu("1500m"));
    c.settle();
    c.create_pod("urgent", with_priority("high", "1500m"));
    c.settle();
    assert_eq!(c.pod("urgent")["status"]["nominatedNodeName"], "node01");
    c
}

#[test]
fn room_made_by_preemption_is_kept_from_pods_of_lower_priority() {
    let mut c = nominated_over_a_victim("nominated");
    // While the victim terminates, 500m are free on node01, but a pod of lower priority
    // created now must not take them: they are promised to the nominated pod.
    c.create_pod("sneaky", with_priority("mid", "500m"));
    c.settle();
    assert_eq!(c.node_of("sneaky"), "");
    c.finish_deletion("victim");
    c.settle();
    // Both fit once the victim is gone.
    assert_eq!(c.node_of("urgent"), "node01");
    assert_eq!(c.node_of("sneaky"), "node01");
}

#[test]
fn a_full_resync_keeps_the_room_promised_to_a_nominated_pod() {
    let mut c = nominated_over_a_victim("nominated-resync");
    // The same scheduler resyncs: it relearns the nomination from the pods without a node.
    c.since = 0;
    c.settle();
    c.create_pod("sneaky", with_priority("mid", "500m"));
    c.settle();
    assert_eq!(c.node_of("sneaky"), "");
    c.finish_deletion("victim");
    c.settle();
    assert_eq!(c.node_of("urgent"), "node01");
    assert_eq!(c.node_of("sneaky"), "node01");
}

#[test]
fn an_unschedulable_pod_is_tried_again_every_five_minutes_of_cluster_time() {
    use crate::runtime::Component;
    let mut c = Cluster::new("retry-timer", 2);
    c.create_pod("too-big", cpu("3"));
    c.settle();
    let series = |c: &Cluster| {
        let events = c.events("too-big");
        assert_eq!(events.len(), 1, "{events:?}");
        events[0]["series"]["count"].as_i64().unwrap_or(1)
    };
    assert_eq!(series(&c), 1);
    assert_eq!(
        c.scheduler.next_due(),
        Some(c.now + chrono::Duration::minutes(5))
    );
    c.now += chrono::Duration::minutes(4);
    assert!(!c.pass());
    c.now += chrono::Duration::minutes(1);
    assert!(c.pass());
    assert_eq!(series(&c), 2);
    assert!(!c.pass());
    // A new process (the CLI runs one per command) learns the last attempt from the event.
    c.scheduler = Scheduler::new();
    c.since = 0;
    c.now += chrono::Duration::minutes(3);
    assert!(!c.pass());
    c.now += chrono::Duration::minutes(2);
    c.scheduler = Scheduler::new();
    c.since = 0;
    assert!(c.pass());
    assert_eq!(series(&c), 3);
    assert_eq!(
        c.pod("too-big")["status"]["conditions"][0]["message"],
        TOO_BIG
    );
}
