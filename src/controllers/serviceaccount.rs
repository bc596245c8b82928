//! The ServiceAccount controller: every Active namespace has a `default` ServiceAccount.

use super::common as c;
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use serde_json::{Value, json};

/// The ServiceAccount controller, run by the controller runtime.
pub type ServiceAccountController = Controller<ServiceAccounts>;

#[derive(Default)]
pub struct ServiceAccounts;

impl Reconciler for ServiceAccounts {
    fn name(&self) -> &'static str {
        "serviceaccount-controller"
    }

    /// Namespaces, and a deleted `default` ServiceAccount wakes its namespace.
    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "namespaces",
                kind: "Namespace",
                api_version: "v1",
            },
            others: vec![Trigger {
                plural: "serviceaccounts",
                mapping: Mapping::By(|_, ev, wake| {
                    if ev.kind == "DELETED" && c::name(&ev.object) == "default" {
                        wake.key("", c::namespace(&ev.object));
                    }
                    Ok(())
                }),
            }],
            timed: None,
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        ns: &Value,
    ) -> Result<Reconciled, ApiError> {
        if !is_active(ns) {
            return Ok(Reconciled::default());
        }
        let name = c::name(ns);
        let accounts = ctx.resource("serviceaccounts")?;
        match ctx.client.get(accounts, Some(name), "default") {
            Ok(_) => return Ok(Reconciled::default()),
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
        let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount",
                        "metadata": {"name": "default", "namespace": name}});
        match ctx
            .client
            .create(accounts, Some(name), sa, &WriteOptions::default())
        {
            Ok(_) => Ok(Reconciled::wrote(true)),
            // Created meanwhile, or the namespace began terminating.
            Err(e) if e.code == 409 || e.code == 403 => Ok(Reconciled::default()),
            Err(e) => Err(e),
        }
    }
}

fn is_active(ns: &Value) -> bool {
    !c::is_terminating(ns) && matches!(c::str_at(ns, "/status/phase"), "Active" | "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::options::DeleteOptions;
    use crate::client::Client;
    use crate::controllers::testutil::TestCluster;

    #[test]
    fn new_namespaces_get_a_default_service_account_and_lost_ones_come_back() {
        let t = TestCluster::new("sa");
        t.create("namespaces", None, json!({"metadata": {"name": "team"}}));
        t.settle(vec![Box::new(ServiceAccountController::default())]);
        let sa = t.get("serviceaccounts", Some("team"), "default");
        assert!(sa.is_some());
        let r = crate::api::registry::find("serviceaccounts").expect("sa");
        t.c()
            .delete(r, Some("team"), "default", &DeleteOptions::default())
            .expect("delete");
        t.settle(vec![Box::new(ServiceAccountController::default())]);
        assert!(t.get("serviceaccounts", Some("team"), "default").is_some());
        // Settled: a full pass writes nothing.
        let mut sc = ServiceAccountController::default();
        assert!(!crate::runtime::settle_once(&mut sc, t.c(), t.now, 0).expect("sync"));
    }
}
