//! Mirror pods: the API's view of a node's static pods. The kubelet creates one per static
//! pod, replaces it when the static pod's config hash changes, and deletes the ones whose
//! static pod is gone.

use super::container::str_at;
use super::static_pods;
use crate::api::options::{DeleteOptions, ListOptions, WriteOptions};
use crate::api::status::ApiError;
use crate::runtime::Context;
use serde_json::Value;
use std::collections::BTreeMap;

const CONFIG_MIRROR: &str = "kubernetes.io/config.mirror";
const CONFIG_HASH: &str = "kubernetes.io/config.hash";

fn annotation<'a>(pod: &'a Value, key: &str) -> Option<&'a str> {
    pod.pointer("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
}

/// Makes `node`'s mirror pods those of `manifests` (its static pods). Returns whether
/// anything was written.
pub fn follow(ctx: &Context, node: &Value, manifests: Vec<Value>) -> Result<bool, ApiError> {
    let pods = ctx.resource("pods")?;
    let node_name = str_at(node, "/metadata/name");
    let mut wanted: BTreeMap<(String, String), Value> = BTreeMap::new();
    for m in manifests {
        let pod = static_pods::mirror_pod(&m, node, ctx.now);
        let key = (
            str_at(&pod, "/metadata/namespace").to_string(),
            str_at(&pod, "/metadata/name").to_string(),
        );
        // Two files naming the same pod: the first (by file name) wins, as in the kubelet.
        wanted.entry(key).or_insert(pod);
    }
    let opts = ListOptions {
        field_selector: Some(format!("spec.nodeName={node_name}")),
        ..Default::default()
    };
    let existing: BTreeMap<(String, String), Value> = ctx
        .list("pods", None, &opts)?
        .into_iter()
        .filter(|p| annotation(p, CONFIG_MIRROR).is_some())
        .map(|p| {
            let key = (
                str_at(&p, "/metadata/namespace").to_string(),
                str_at(&p, "/metadata/name").to_string(),
            );
            (key, p)
        })
        .collect();
    let gone = DeleteOptions {
        grace_period_seconds: Some(0),
        ..Default::default()
    };
    let mut wrote = false;
    for ((ns, name), pod) in &existing {
        let keep = wanted
            .get(&(ns.clone(), name.clone()))
            .is_some_and(|w| annotation(w, CONFIG_HASH) == annotation(pod, CONFIG_HASH));
        if keep {
            continue;
        }
        match ctx.client.delete(pods, Some(ns), name, &gone) {
            Ok(_) => wrote = true,
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    for (key, pod) in wanted {
        let current = existing.get(&key);
        if current.is_some_and(|p| annotation(p, CONFIG_HASH) == annotation(&pod, CONFIG_HASH)) {
            continue;
        }
        match ctx
            .client
            .create(pods, Some(&key.0), pod, &WriteOptions::default())
        {
            Ok(_) => wrote = true,
            // Still there (being deleted) or its namespace is missing: the next pass that
            // looks tries again; a spec the API refuses stays without a mirror pod.
            Err(e) if e.code == 409 || e.code == 404 || e.code == 422 || e.code == 403 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(wrote)
}
