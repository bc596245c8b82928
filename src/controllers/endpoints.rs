//! The Endpoints controller: an Endpoints object per Service with a selector, listing the
//! ready pods as addresses and the others as notReadyAddresses, grouped by port set.

use super::backends::{self, Backend, EndpointPort, TRIGGER_TIME};
use super::common as c;
use crate::api::options::{DeleteOptions, WriteOptions};
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::runtime::{Cache, Context, Controller, Key, Reconciled, Reconciler, Triggers};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The Endpoints controller, run by the controller runtime.
pub type EndpointsController = Controller<Endpoints>;

#[derive(Default)]
pub struct Endpoints;

impl Reconciler for Endpoints {
    fn name(&self) -> &'static str {
        "endpoint-controller"
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

    /// The Service is gone: so are its Endpoints (none for `kubernetes`, which the API
    /// server keeps).
    fn gone(&mut self, ctx: &Context, _cache: &mut Cache, key: &Key) -> Result<bool, ApiError> {
        let (ns, name) = key;
        if ns == "default" && name == "kubernetes" {
            return Ok(false);
        }
        c::delete(ctx, "endpoints", Some(ns), name, &DeleteOptions::default())
    }
}

fn sync_one(ctx: &Context, svc: &Value, pods: &[Value]) -> Result<bool, ApiError> {
    let ns = c::namespace(svc);
    let name = c::name(svc);
    let subsets = subsets(&backends::backends(svc, pods, false));
    let labels = backends::endpoint_labels(svc, &[]);
    let r = ctx.resource("endpoints")?;
    let existing = match ctx.client.get(r, Some(ns), name) {
        Ok(e) => Some(e),
        Err(e) if e.code == 404 => None,
        Err(e) => return Err(e),
    };
    let current_subsets = existing
        .as_ref()
        .and_then(|e| e.get("subsets"))
        .cloned()
        .unwrap_or(Value::Null);
    let wanted_subsets = if subsets.is_empty() {
        Value::Null
    } else {
        Value::Array(subsets)
    };
    let current_labels = existing
        .as_ref()
        .and_then(|e| c::labels(e).cloned())
        .unwrap_or_default();
    if existing.is_some() && current_subsets == wanted_subsets && current_labels == labels {
        return Ok(false);
    }
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    meta.insert("namespace".into(), json!(ns));
    if !labels.is_empty() {
        meta.insert("labels".into(), Value::Object(labels));
    }
    meta.insert(
        "annotations".into(),
        json!({TRIGGER_TIME: timestamp(ctx.now)}),
    );
    let mut obj = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": meta});
    if !wanted_subsets.is_null() {
        obj["subsets"] = wanted_subsets;
    }
    match existing {
        Some(_) => ctx
            .client
            .update(r, Some(ns), name, obj, &WriteOptions::default())?,
        None => ctx
            .client
            .create(r, Some(ns), obj, &WriteOptions::default())?,
    };
    Ok(true)
}

/// Addresses grouped by the set of ports they serve, as kube repacks them.
fn subsets(backends: &[Backend]) -> Vec<Value> {
    let mut groups: BTreeMap<Vec<EndpointPort>, (Vec<Value>, Vec<Value>)> = BTreeMap::new();
    for b in backends {
        if b.ports.is_empty() {
            continue;
        }
        let mut ports = b.ports.clone();
        ports.sort();
        let mut addr = Map::new();
        addr.insert("ip".into(), json!(b.ip));
        let node = c::str_at(&b.pod, "/spec/nodeName");
        if !node.is_empty() {
            addr.insert("nodeName".into(), json!(node));
        }
        addr.insert("targetRef".into(), backends::target_ref(&b.pod));
        let entry = groups.entry(ports).or_default();
        if b.ready {
            entry.0.push(Value::Object(addr));
        } else {
            entry.1.push(Value::Object(addr));
        }
    }
    groups
        .into_iter()
        .map(|(ports, (ready, not_ready))| {
            let mut s = Map::new();
            if !ready.is_empty() {
                s.insert("addresses".into(), Value::Array(ready));
            }
            if !not_ready.is_empty() {
                s.insert("notReadyAddresses".into(), Value::Array(not_ready));
            }
            let ports: Vec<Value> = ports
                .into_iter()
                .map(|p| {
                    let mut m = Map::new();
                    if !p.name.is_empty() {
                        m.insert("name".into(), json!(p.name));
                    }
                    m.insert("port".into(), json!(p.port));
                    m.insert("protocol".into(), json!(p.protocol));
                    if let Some(a) = p.app_protocol {
                        m.insert("appProtocol".into(), json!(a));
                    }
                    Value::Object(m)
                })
                .collect();
            s.insert("ports".into(), Value::Array(ports));
            Value::Object(s)
        })
        .collect()
}

#[cfg(test)]
#[path = "endpoints_tests.rs"]
pub(crate) mod tests;
