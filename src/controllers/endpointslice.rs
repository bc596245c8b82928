//! The EndpointSlice controller: IPv4 EndpointSlices for every Service with a selector, at
//! most 100 endpoints each, one set of slices per distinct port set; ready, serving and
//! terminating conditions per endpoint.

use super::backends::{self, Backend, EndpointPort, TRIGGER_TIME};
use super::common as c;
use crate::api::options::{DeleteOptions, ListOptions, WriteOptions};
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::runtime::{Cache, Context, Controller, Reconciled, Reconciler, Triggers};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const MANAGED_BY: &str = "endpointslice.kubernetes.io/managed-by";
const CONTROLLER: &str = "endpointslice-controller.k8s.io";
const SERVICE_NAME: &str = "kubernetes.io/service-name";
const MAX_ENDPOINTS: usize = 100;

/// The EndpointSlice controller, run by the controller runtime. A Service that is gone
/// leaves its slices to the garbage collector (they are owned by it).
pub type EndpointSliceController = Controller<EndpointSlices>;

#[derive(Default)]
pub struct EndpointSlices;

impl Reconciler for EndpointSlices {
    fn name(&self) -> &'static str {
        "endpointslice-controller"
    }

    fn triggers(&self) -> Triggers {
        backends::triggers()
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        svc: &Value,
    ) -> Result<Reconciled, ApiError> {
        if backends::selector(svc).is_none() {
            return Ok(Reconciled::default());
        }
        let pods = cache.list(ctx, "pods", Some(c::namespace(svc)))?;
        Ok(Reconciled::wrote(sync_one(ctx, svc, &pods)?))
    }
}

fn sync_one(ctx: &Context, svc: &Value, pods: &[Value]) -> Result<bool, ApiError> {
    let ns = c::namespace(svc);
    let name = c::name(svc);
    let wanted = desired_slices(&backends::backends(svc, pods, true));
    let selector = format!("{SERVICE_NAME}={name},{MANAGED_BY}={CONTROLLER}");
    let mut existing = ctx.list(
        "endpointslices",
        Some(ns),
        &ListOptions::labels(Some(&selector)),
    )?;
    existing.sort_by(|a, b| c::name(a).cmp(c::name(b)));
    let labels = backends::endpoint_labels(svc, &[(MANAGED_BY, CONTROLLER), (SERVICE_NAME, name)]);
    let r = ctx.resource("endpointslices")?;
    let mut wrote = false;
    for (i, (endpoints, ports)) in wanted.iter().enumerate() {
        match existing.get(i) {
            Some(old)
                if old.get("endpoints").unwrap_or(&Value::Null) == endpoints
                    && old.get("ports").unwrap_or(&Value::Null) == ports
                    && c::labels(old) == Some(&labels) => {}
            Some(old) => {
                let mut updated = old.clone();
                updated["endpoints"] = endpoints.clone();
                updated["ports"] = ports.clone();
                updated["metadata"]["labels"] = Value::Object(labels.clone());
                updated["metadata"]["annotations"][TRIGGER_TIME] = json!(timestamp(ctx.now));
                ctx.client
                    .update(r, Some(ns), c::name(old), updated, &WriteOptions::default())?;
                wrote = true;
            }
            None => {
                let slice = json!({
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {
                        "generateName": format!("{name}-"),
                        "namespace": ns,
                        "labels": labels.clone(),
                        "annotations": {TRIGGER_TIME: timestamp(ctx.now)},
                        "ownerReferences": [c::controller_owner_ref(svc, "v1", "Service")],
                    },
                    "addressType": "IPv4",
                    "endpoints": endpoints,
                    "ports": ports,
                });
                ctx.client
                    .create(r, Some(ns), slice, &WriteOptions::default())?;
                wrote = true;
            }
        }
    }
    for old in existing.iter().skip(wanted.len()) {
        wrote |= c::delete(
            ctx,
            "endpointslices",
            Some(ns),
            c::name(old),
            &DeleteOptions::default(),
        )?;
    }
    Ok(wrote)
}

/// (endpoints, ports) of each slice; one empty placeholder when there are no endpoints.
fn desired_slices(backends: &[Backend]) -> Vec<(Value, Value)> {
    let mut groups: BTreeMap<Vec<EndpointPort>, Vec<Value>> = BTreeMap::new();
    for b in backends {
        if b.ports.is_empty() {
            continue;
        }
        groups.entry(b.ports.clone()).or_default().push(endpoint(b));
    }
    if groups.is_empty() {
        return vec![(Value::Null, Value::Null)];
    }
    let mut out = Vec::new();
    for (ports, endpoints) in groups {
        let ports = Value::Array(ports.iter().map(port).collect());
        for chunk in endpoints.chunks(MAX_ENDPOINTS) {
            out.push((Value::Array(chunk.to_vec()), ports.clone()));
        }
    }
    out
}

fn endpoint(b: &Backend) -> Value {
    let serving = b.ready;
    let mut e = Map::new();
    e.insert("addresses".into(), json!([b.ip]));
    e.insert(
        "conditions".into(),
        json!({"ready": serving && !b.terminating, "serving": serving, "terminating": b.terminating}),
    );
    e.insert("targetRef".into(), backends::target_ref(&b.pod));
    let node = c::str_at(&b.pod, "/spec/nodeName");
    if !node.is_empty() {
        e.insert("nodeName".into(), json!(node));
    }
    Value::Object(e)
}

fn port(p: &EndpointPort) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(p.name));
    m.insert("protocol".into(), json!(p.protocol));
    m.insert("port".into(), json!(p.port));
    if let Some(a) = &p.app_protocol {
        m.insert("appProtocol".into(), json!(a));
    }
    Value::Object(m)
}

#[cfg(test)]
#[path = "endpointslice_tests.rs"]
mod tests;
