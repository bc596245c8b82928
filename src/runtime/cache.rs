//! The objects one controller reads in one pass, listed once: a controller reconciling many
//! objects of a namespace (ReplicaSets and their pods, Services and theirs) reads the
//! namespace's pods once, not once per object. What the controller writes itself it keeps
//! track of, and it forgets a list its writes made stale (pods adopted or released).
//!
//! Lists are read a page at a time and pods are kept slim (what controllers read of them),
//! so a pass over a namespace of many pods holds a fraction of their objects: a Deployment
//! asking for 2147483647 replicas must not cost its controllers the whole of every pod.

use super::Context;
use crate::api::options::ListOptions;
use crate::api::status::ApiError;
use serde_json::Value;
use std::collections::HashMap;
use std::rc::Rc;

/// Lists by (resource, namespace), read at most once each until forgotten.
#[derive(Default)]
pub struct Cache {
    lists: HashMap<(&'static str, Option<String>), Rc<Vec<Value>>>,
}

impl Cache {
    /// Every object of `plural` in `namespace` (or all), read on first use.
    pub fn list(
        &mut self,
        ctx: &Context,
        plural: &'static str,
        namespace: Option<&str>,
    ) -> Result<Rc<Vec<Value>>, ApiError> {
        let key = (plural, namespace.map(str::to_string));
        if let Some(objects) = self.lists.get(&key) {
            return Ok(objects.clone());
        }
        let mut objects = Vec::new();
        ctx.list_pages(plural, namespace, &ListOptions::default(), &mut |page| {
            objects.extend(page.into_iter().map(|mut o| {
                if plural == "pods" {
                    slim_pod(&mut o);
                    o = compact(o);
                }
                o
            }));
            Ok(())
        })?;
        let objects = Rc::new(objects);
        self.lists.insert(key, objects.clone());
        Ok(objects)
    }

    /// Drops a list, so the next use reads it again.
    pub fn forget(&mut self, plural: &'static str, namespace: Option<&str>) {
        self.lists.remove(&(plural, namespace.map(str::to_string)));
    }
}

/// A pod as controllers read it: its metadata (but managedFields), where it runs, its
/// containers' names and ports (named target ports), and its status's phase, addresses,
/// conditions and restart counts. Nothing read from the cache is written back whole
/// (owners change by merge patch), so what is dropped is never lost.
fn slim_pod(pod: &mut Value) {
    if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.shift_remove("managedFields");
    }
    if let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) {
        spec.retain(|k, _| {
            matches!(
                k.as_str(),
                "nodeName" | "hostname" | "subdomain" | "containers" | "initContainers"
            )
        });
        for list in ["containers", "initContainers"] {
            for c in spec
                .get_mut(list)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
            {
                c.retain(|k, _| k == "name" || k == "ports");
            }
        }
    }
    if let Some(status) = pod.get_mut("status").and_then(Value::as_object_mut) {
        status.retain(|k, _| {
            matches!(
                k.as_str(),
                "phase"
                    | "conditions"
                    | "podIP"
                    | "podIPs"
                    | "hostIP"
                    | "containerStatuses"
                    | "initContainerStatuses"
            )
        });
        for list in ["containerStatuses", "initContainerStatuses"] {
            for c in status
                .get_mut(list)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
            {
                c.retain(|k, _| {
                    matches!(k.as_str(), "name" | "ready" | "restartCount" | "started")
                });
            }
        }
        // Conditions are read for their state and time, not their words.
        for c in status
            .get_mut("conditions")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object_mut)
        {
            c.retain(|k, _| matches!(k.as_str(), "type" | "status" | "lastTransitionTime"));
        }
    }
}

/// The value rebuilt with no spare room: decoding grows maps, arrays and strings by
/// doubling, and a slimmed object keeps the room of what was dropped.
fn compact(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = serde_json::Map::with_capacity(m.len());
            for (k, v) in m {
                out.insert(k.into_boxed_str().into_string(), compact(v));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(
            a.into_iter()
                .map(compact)
                .collect::<Vec<_>>()
                .into_boxed_slice()
                .into_vec(),
        ),
        Value::String(s) => Value::String(s.into_boxed_str().into_string()),
        other => other,
    }
}
