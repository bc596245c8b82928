//! The CRD finalizer: a deleted CustomResourceDefinition whose objects were held by their own
//! finalizers stays Terminating with `customresourcecleanup.apiextensions.k8s.io`; this
//! controller deletes it again until its objects are gone, when the API server removes it
//! (the API server deletes the objects and drops the finalizer once none is left).

use super::common as c;
use crate::api::custom::CLEANUP_FINALIZER;
use crate::api::options::DeleteOptions;
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Reconciled, Reconciler, Triggers};
use serde_json::Value;
use std::time::Duration;

/// How often a Terminating CRD looks again at the objects that hold it.
const RECHECK: Duration = Duration::from_secs(5);

pub type CrdFinalizerController = Controller<CrdFinalizer>;

#[derive(Default)]
pub struct CrdFinalizer;

fn waiting(crd: &Value) -> bool {
    c::is_terminating(crd)
        && crd
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| f.iter().any(|f| f == CLEANUP_FINALIZER))
}

impl Reconciler for CrdFinalizer {
    fn name(&self) -> &'static str {
        "crd-finalizer"
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "customresourcedefinitions",
                kind: "CustomResourceDefinition",
                api_version: "apiextensions.k8s.io/v1",
            },
            others: vec![],
            timed: Some(waiting),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        crd: &Value,
    ) -> Result<Reconciled, ApiError> {
        if !waiting(crd) {
            return Ok(Reconciled::default());
        }
        let r = ctx.resource("customresourcedefinitions")?;
        let left = match ctx
            .client
            .delete(r, None, c::name(crd), &DeleteOptions::default())
        {
            Ok(left) => left,
            Err(e) if e.code == 404 => return Ok(Reconciled::wrote(true)),
            Err(e) => return Err(e),
        };
        let version = |o: &Value| o.pointer("/metadata/resourceVersion").cloned();
        let done = !waiting(&left) || left.get("kind").and_then(Value::as_str) == Some("Status");
        Ok(Reconciled {
            wrote: done || version(&left) != version(crd),
            requeue_after: (!done).then_some(RECHECK),
        })
    }
}
