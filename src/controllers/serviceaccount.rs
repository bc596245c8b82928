//! The ServiceAccount controller: every Active namespace has a `default` ServiceAccount.

use super::common as c;
use crate::api::options::{ListOptions, WriteOptions};
use crate::api::status::ApiError;
use crate::runtime::{Component, Context};
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[derive(Default)]
pub struct ServiceAccountController {
    changes: c::Changes,
}

impl ServiceAccountController {
    /// One sharing the group's reading of the change log.
    pub(crate) fn with_changes(changes: c::Changes) -> Self {
        ServiceAccountController { changes }
    }
}

impl Component for ServiceAccountController {
    fn name(&self) -> &'static str {
        "serviceaccount-controller"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let mut names = BTreeSet::new();
        if ctx.since == 0 {
            for ns in ctx.list("namespaces", None, &ListOptions::default())? {
                names.insert(c::name(&ns).to_string());
            }
        } else {
            for ev in self.changes.changed(ctx, "namespaces")?.iter() {
                if ev.kind != "DELETED" {
                    names.insert(c::name(&ev.object).to_string());
                }
            }
            for ev in self.changes.changed(ctx, "serviceaccounts")?.iter() {
                if ev.kind == "DELETED" && c::name(&ev.object) == "default" {
                    names.insert(c::namespace(&ev.object).to_string());
                }
            }
        }
        let mut wrote = false;
        let namespaces = ctx.resource("namespaces")?;
        let accounts = ctx.resource("serviceaccounts")?;
        for name in names {
            let ns = match ctx.client.get(namespaces, None, &name) {
                Ok(ns) => ns,
                Err(e) if e.code == 404 => continue,
                Err(e) => return Err(e),
            };
            if !is_active(&ns) {
                continue;
            }
            match ctx.client.get(accounts, Some(&name), "default") {
                Ok(_) => continue,
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
            let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount",
                            "metadata": {"name": "default", "namespace": name}});
            match ctx
                .client
                .create(accounts, Some(&name), sa, &WriteOptions::default())
            {
                Ok(_) => wrote = true,
                // Created meanwhile, or the namespace began terminating.
                Err(e) if e.code == 409 || e.code == 403 => {}
                Err(e) => return Err(e),
            }
        }
        Ok(wrote)
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
