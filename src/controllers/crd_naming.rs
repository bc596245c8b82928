//! The part of kube's CRD naming controller that outlives a write: a CRD whose names
//! another CRD of its group held (NamesAccepted not True) is looked at again whenever any
//! CRD changes or goes, as kube requeues a group's CRDs when names may have been freed. Its
//! status is written back unchanged; the API server settles names and conditions on every
//! CRD write, so a name now free is accepted and the CRD established.

use super::common as c;
use crate::api::options::{WatchEvent, WriteOptions};
use crate::api::status::ApiError;
use crate::runtime::{
    Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler, Trigger, Triggers, Wake,
};
use serde_json::Value;

pub type CrdNamingController = Controller<CrdNaming>;

#[derive(Default)]
pub struct CrdNaming;

const PLURAL: &str = "customresourcedefinitions";

/// Whether some of the CRD's names were refused.
fn names_refused(crd: &Value) -> bool {
    !crate::api::validation::crd_condition_true(crd, "NamesAccepted")
        && crd
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|l| {
                l.iter()
                    .any(|c| c.get("type").and_then(Value::as_str) == Some("NamesAccepted"))
            })
}

/// Any CRD's change or deletion may free names for every other CRD.
fn every_crd(_ctx: &Context, _event: &WatchEvent, wake: &mut Wake) -> Result<(), ApiError> {
    wake.all();
    Ok(())
}

impl Reconciler for CrdNaming {
    fn name(&self) -> &'static str {
        "crd-naming"
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: PLURAL,
                kind: "CustomResourceDefinition",
                api_version: "apiextensions.k8s.io/v1",
            },
            others: vec![Trigger {
                plural: PLURAL,
                mapping: Mapping::By(every_crd),
            }],
            timed: None,
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        crd: &Value,
    ) -> Result<Reconciled, ApiError> {
        if !names_refused(crd) {
            return Ok(Reconciled::default());
        }
        let r = ctx.resource(PLURAL)?;
        let settled = match ctx.client.update_status(
            r,
            None,
            c::name(crd),
            crd.clone(),
            &WriteOptions::default(),
        ) {
            Ok(settled) => settled,
            // Changed or gone meanwhile: that change wakes it again.
            Err(e) if e.code == 404 || e.code == 409 => return Ok(Reconciled::wrote(false)),
            Err(e) => return Err(e),
        };
        let version = |o: &Value| o.pointer("/metadata/resourceVersion").cloned();
        Ok(Reconciled::wrote(version(&settled) != version(crd)))
    }
}
