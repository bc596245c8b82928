//! The ResourceQuota controller: keeps each quota's `status.hard` (its spec's) and
//! `status.used` (what the objects of its namespace charge, within its scopes), as kube's
//! resource quota controller does. Admission counts from the store itself, so this status is
//! what `get`/`describe quota` show, never what decides a refusal.

use super::common as c;
use crate::api::options::{ListOptions, WatchEvent, WriteOptions};
use crate::api::quota;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers, Wake, items};
use serde_json::Value;

/// The ResourceQuota controller, run by the controller runtime.
pub type ResourceQuotaController = Controller<ResourceQuotas>;

#[derive(Default)]
pub struct ResourceQuotas;

/// Kinds whose changes move a quota's usage: every quota of the namespace is recounted.
const COUNTED: [&str; 12] = [
    "pods",
    "services",
    "configmaps",
    "secrets",
    "persistentvolumeclaims",
    "replicationcontrollers",
    "resourcequotas",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "serviceaccounts",
];

fn wake_namespace(_: &Context, ev: &WatchEvent, wake: &mut Wake) -> Result<(), ApiError> {
    wake.namespace(c::namespace(&ev.object));
    Ok(())
}

impl Reconciler for ResourceQuotas {
    fn name(&self) -> &'static str {
        "resourcequota-controller"
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "resourcequotas",
                kind: "ResourceQuota",
                api_version: "v1",
            },
            others: COUNTED
                .iter()
                .filter(|p| crate::api::registry::find(p).is_some())
                .map(|p| Trigger {
                    plural: p,
                    mapping: Mapping::By(wake_namespace),
                })
                .collect(),
            timed: None,
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        q: &Value,
    ) -> Result<Reconciled, ApiError> {
        if c::is_terminating(q) {
            return Ok(Reconciled::default());
        }
        let ns = c::namespace(q);
        let mut lists = Vec::new();
        for r in quota::counted_resources(q) {
            let objs = items(ctx.client.list(r, Some(ns), &ListOptions::default())?);
            lists.push((r, objs));
        }
        let now = timestamp(ctx.now);
        let used = quota::used(
            q,
            lists
                .iter()
                .flat_map(|(r, objs)| objs.iter().map(move |o| (*r, o))),
            &now,
        );
        let status = quota::status(q, &used);
        if q.get("status") == Some(&status) {
            return Ok(Reconciled::default());
        }
        let mut updated = q.clone();
        updated["status"] = status;
        let r = ctx.resource("resourcequotas")?;
        match ctx
            .client
            .update_status(r, Some(ns), c::name(q), updated, &WriteOptions::default())
        {
            Ok(_) => Ok(Reconciled::wrote(true)),
            // Changed or gone meanwhile: the change wakes it again.
            Err(e) if e.code == 409 || e.code == 404 => Ok(Reconciled::default()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controllers::testutil::TestCluster;
    use serde_json::json;

    #[test]
    fn status_follows_the_namespace_objects() {
        let t = TestCluster::new("quota");
        t.create(
            "resourcequotas",
            Some("default"),
            json!({"metadata": {"name": "q"},
                   "spec": {"hard": {"pods": "3", "configmaps": "5", "requests.memory": "1Gi"}}}),
        );
        t.create(
            "configmaps",
            Some("default"),
            json!({"metadata": {"name": "a"}, "data": {}}),
        );
        t.create(
            "pods",
            Some("default"),
            json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx",
                "resources": {"requests": {"memory": "128Mi"}}}]}}),
        );
        t.settle(vec![Box::new(ResourceQuotaController::default())]);
        let q = t
            .get("resourcequotas", Some("default"), "q")
            .expect("quota");
        assert_eq!(
            q["status"],
            json!({"hard": {"pods": "3", "configmaps": "5", "requests.memory": "1Gi"},
                   "used": {"configmaps": "1", "pods": "1", "requests.memory": "128Mi"}})
        );
        let mut sc = ResourceQuotaController::default();
        assert!(!crate::runtime::settle_once(&mut sc, t.c(), t.now, 0).expect("sync"));
    }
}
