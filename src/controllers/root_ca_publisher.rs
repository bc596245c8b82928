//! The root CA publisher: every Active namespace has the ConfigMap `kube-root-ca.crt` with the
//! cluster's CA certificate, which pods' service account volumes project (`ca.crt`) to trust
//! the API server. Changed or deleted, it is put back.

use super::common as c;
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use serde_json::{Value, json};

/// The ConfigMap's name in every namespace.
pub const CONFIG_MAP: &str = "kube-root-ca.crt";

/// What kube-controller-manager says the ConfigMap is for (its `kubernetes.io/description`).
const DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver \
     when using internal endpoints such as the internal service IP or kubernetes.default.svc. \
     No other usage is guaranteed across distributions of Kubernetes clusters.";

const DESCRIPTION_KEY: &str = "kubernetes.io/description";

/// The root CA publisher, run by the controller runtime.
pub type RootCaPublisherController = Controller<RootCaPublisher>;

#[derive(Default)]
pub struct RootCaPublisher {
    /// The CA certificate in PEM, read once (it does not change while a cluster lives).
    ca_pem: Option<String>,
}

impl Reconciler for RootCaPublisher {
    fn name(&self) -> &'static str {
        "root-ca-cert-publisher"
    }

    /// Namespaces, and a changed or deleted `kube-root-ca.crt` wakes its namespace.
    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "namespaces",
                kind: "Namespace",
                api_version: "v1",
            },
            others: vec![Trigger {
                plural: "configmaps",
                mapping: Mapping::By(|_, ev, wake| {
                    if ev.kind != "ADDED" && c::name(&ev.object) == CONFIG_MAP {
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
        if c::is_terminating(ns) || !matches!(c::str_at(ns, "/status/phase"), "Active" | "") {
            return Ok(Reconciled::default());
        }
        let Some(pem) = self.ca_pem(ctx)? else {
            // A cluster without a CA (kept in memory) has nothing to publish.
            return Ok(Reconciled::default());
        };
        let namespace = c::name(ns);
        let configmaps = ctx.resource("configmaps")?;
        let written = match ctx.client.get(configmaps, Some(namespace), CONFIG_MAP) {
            Err(e) if e.code == 404 => {
                let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": CONFIG_MAP, "namespace": namespace,
                                 "annotations": {DESCRIPTION_KEY: DESCRIPTION}},
                    "data": {"ca.crt": pem}});
                ctx.client
                    .create(configmaps, Some(namespace), cm, &WriteOptions::default())
            }
            Err(e) => return Err(e),
            Ok(cm) => {
                let data_right = cm.get("data") == Some(&json!({"ca.crt": pem}));
                let described = cm
                    .pointer("/metadata/annotations")
                    .and_then(|a| a.get(DESCRIPTION_KEY))
                    .and_then(Value::as_str)
                    .is_some_and(|d| !d.is_empty());
                if data_right && described {
                    return Ok(Reconciled::default());
                }
                let mut fixed = cm;
                fixed["data"] = json!({"ca.crt": pem});
                let meta = &mut fixed["metadata"];
                if !meta.get("annotations").is_some_and(Value::is_object) {
                    meta["annotations"] = json!({});
                }
                if meta["annotations"].get(DESCRIPTION_KEY).is_none() {
                    meta["annotations"][DESCRIPTION_KEY] = json!(DESCRIPTION);
                }
                ctx.client.update(
                    configmaps,
                    Some(namespace),
                    CONFIG_MAP,
                    fixed,
                    &WriteOptions::default(),
                )
            }
        };
        match written {
            Ok(_) => Ok(Reconciled::wrote(true)),
            // Written meanwhile, or the namespace began terminating: the next event says.
            Err(e) if matches!(e.code, 403 | 409) => Ok(Reconciled::default()),
            Err(e) => Err(e),
        }
    }
}

impl RootCaPublisher {
    fn ca_pem(&mut self, ctx: &Context) -> Result<Option<String>, ApiError> {
        if self.ca_pem.is_none()
            && let Some(ca) = ctx.client.signing_ca()
        {
            self.ca_pem = Some(ca?.cert_pem);
        }
        Ok(self.ca_pem.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::options::DeleteOptions;
    use crate::client::Client;
    use crate::controllers::testutil::TestCluster;

    fn publisher() -> Vec<Box<dyn crate::runtime::Component>> {
        vec![Box::new(RootCaPublisherController::default())]
    }

    #[test]
    fn every_namespace_gets_the_ca_and_keeps_it() {
        let t = TestCluster::new("root-ca");
        t.create("namespaces", None, json!({"metadata": {"name": "team"}}));
        t.settle(publisher());
        let cm = t
            .get("configmaps", Some("team"), CONFIG_MAP)
            .expect("published");
        let pem = cm["data"]["ca.crt"].as_str().unwrap_or("").to_string();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{cm}");
        assert_eq!(cm["metadata"]["annotations"][DESCRIPTION_KEY], DESCRIPTION);
        assert!(
            t.get("configmaps", Some("kube-system"), CONFIG_MAP)
                .is_some()
        );

        // Edited: the data is put back (the user's other annotations stay).
        let r = crate::api::registry::find("configmaps").expect("configmaps");
        let mut edited = cm;
        edited["data"] = json!({"ca.crt": "forged"});
        edited["metadata"]["annotations"] = json!({"team": "x"});
        t.c()
            .update(
                r,
                Some("team"),
                CONFIG_MAP,
                edited,
                &WriteOptions::default(),
            )
            .expect("edit");
        t.settle(publisher());
        let cm = t.get("configmaps", Some("team"), CONFIG_MAP).expect("kept");
        assert_eq!(cm["data"]["ca.crt"], pem.as_str());
        assert_eq!(cm["metadata"]["annotations"]["team"], "x");
        assert_eq!(cm["metadata"]["annotations"][DESCRIPTION_KEY], DESCRIPTION);

        // Deleted: it comes back.
        t.c()
            .delete(r, Some("team"), CONFIG_MAP, &DeleteOptions::default())
            .expect("delete");
        t.settle(publisher());
        assert!(t.get("configmaps", Some("team"), CONFIG_MAP).is_some());
        // Settled: a full pass writes nothing.
        let mut p = RootCaPublisherController::default();
        assert!(!crate::runtime::settle_once(&mut p, t.c(), t.now, 0).expect("sync"));
    }
}
