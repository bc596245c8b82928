//! The replication controller: ReplicationControllers run on the ReplicaSet controller's
//! logic, with their equality-based selector (a plain label map) and their own owner
//! references and event source, as kube's replication manager does.

use super::common as c;
use super::replicaset::{Flavor, becoming_available, reconcile_owner};
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use serde_json::Value;

const REPLICATION_CONTROLLER: Flavor = Flavor {
    plural: "replicationcontrollers",
    kind: "ReplicationController",
    api_version: "v1",
    component: "replication-controller",
    selector: map_selector,
};

/// `spec.selector` is a label map; an empty or missing one selects nothing (the API server
/// has defaulted it from the template's labels).
fn map_selector(rc: &Value) -> LabelSelector {
    match rc.pointer("/spec/selector").and_then(Value::as_object) {
        Some(m) if !m.is_empty() => LabelSelector::from_map(m),
        _ => c::nothing(),
    }
}

pub type ReplicationControllerController = Controller<ReplicationControllers>;

#[derive(Default)]
pub struct ReplicationControllers;

impl Reconciler for ReplicationControllers {
    fn name(&self) -> &'static str {
        REPLICATION_CONTROLLER.component
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "replicationcontrollers",
                kind: "ReplicationController",
                api_version: "v1",
            },
            others: vec![Trigger {
                plural: "pods",
                mapping: Mapping::Owned { adopts: true },
            }],
            timed: Some(becoming_available),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        rc: &Value,
    ) -> Result<Reconciled, ApiError> {
        reconcile_owner(ctx, cache, &REPLICATION_CONTROLLER, rc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controllers::testutil::TestCluster;
    use crate::runtime::Component;
    use serde_json::json;

    fn controllers() -> Vec<Box<dyn Component>> {
        vec![Box::new(ReplicationControllerController::default())]
    }

    fn rc(replicas: i64) -> Value {
        json!({"apiVersion": "v1", "kind": "ReplicationController",
               "metadata": {"name": "web", "namespace": "default"},
               "spec": {"replicas": replicas, "selector": {"app": "web"},
                        "template": {"metadata": {"labels": {"app": "web", "tier": "x"}},
                                     "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    }

    #[test]
    fn keeps_replicas_with_owned_pods_and_scales_down() {
        let t = TestCluster::new("rc");
        let owner = t.create("replicationcontrollers", Some("default"), rc(3));
        t.settle(controllers());
        let pods = t.list("pods", Some("default"));
        assert_eq!(pods.len(), 3);
        for p in &pods {
            let r = &p["metadata"]["ownerReferences"][0];
            assert_eq!(
                (&r["kind"], &r["apiVersion"], &r["uid"]),
                (
                    &json!("ReplicationController"),
                    &json!("v1"),
                    &owner["metadata"]["uid"]
                )
            );
        }
        t.run_all("default");
        t.settle(controllers());
        let got = t
            .get("replicationcontrollers", Some("default"), "web")
            .expect("rc");
        assert_eq!(
            got["status"],
            json!({"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3,
                   "availableReplicas": 3, "observedGeneration": 1})
        );
        let mut smaller = got;
        smaller["spec"]["replicas"] = json!(1);
        t.update("replicationcontrollers", smaller);
        t.settle(controllers());
        assert_eq!(t.list("pods", Some("default")).len(), 1);
        assert!(
            t.events("default")
                .iter()
                .any(|e| e.starts_with("SuccessfulDelete: Deleted pod: web-"))
        );
    }

    #[test]
    fn an_equality_selector_adopts_matching_orphans_only() {
        let t = TestCluster::new("rc-adopt");
        for (name, app) in [("orphan", "web"), ("other", "db")] {
            t.create(
                "pods",
                Some("default"),
                json!({"metadata": {"name": name, "labels": {"app": app}},
                       "spec": {"containers": [{"name": "c", "image": "nginx"}]}}),
            );
        }
        t.create("replicationcontrollers", Some("default"), rc(2));
        t.settle(controllers());
        let orphan = t.get("pods", Some("default"), "orphan").expect("pod");
        assert_eq!(
            orphan["metadata"]["ownerReferences"][0]["kind"],
            "ReplicationController"
        );
        let other = t.get("pods", Some("default"), "other").expect("pod");
        assert!(other["metadata"].get("ownerReferences").is_none());
        assert_eq!(t.list("pods", Some("default")).len(), 3);
    }
}
