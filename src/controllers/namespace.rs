//! The namespace controller: empties a Terminating namespace (every namespaced resource),
//! then removes the `kubernetes` finalizer so the API server can remove the namespace.

use super::common as c;
use crate::api::options::{DeleteOptions, ListOptions, WriteOptions};
use crate::api::registry::RESOURCES;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const FINALIZER: &str = "kubernetes";

/// The namespace controller, run by the controller runtime.
pub type NamespaceController = Controller<Namespaces>;

#[derive(Default)]
pub struct Namespaces;

impl Reconciler for Namespaces {
    fn name(&self) -> &'static str {
        "namespace-controller"
    }

    /// Namespaces, and a change to anything in a namespace wakes it: one being emptied
    /// looks again at what is left when some of it goes (what `empty` lists: never the
    /// create-only bindings, which have no changes to read).
    fn triggers(&self) -> Triggers {
        let contents = namespaced_contents()
            .filter(|r| r.kind != "Event")
            .map(|r| Trigger {
                plural: r.plural,
                mapping: Mapping::By(|_, ev, wake| {
                    wake.key("", c::namespace(&ev.object));
                    Ok(())
                }),
            })
            .collect();
        Triggers {
            kind: Kind {
                plural: "namespaces",
                kind: "Namespace",
                api_version: "v1",
            },
            others: contents,
            // A new process does not know which namespaces are mid-deletion.
            timed: Some(c::is_terminating),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        ns: &Value,
    ) -> Result<Reconciled, ApiError> {
        if !c::is_terminating(ns) || !has_finalizer(ns) {
            return Ok(Reconciled::default());
        }
        let (wrote, _done) = finalize(ctx, ns)?;
        Ok(Reconciled::wrote(wrote))
    }
}

/// Empties a Terminating namespace and, once nothing is left, removes the `kubernetes`
/// finalizer. Returns whether it wrote and whether the namespace is done.
fn finalize(ctx: &Context, ns: &Value) -> Result<(bool, bool), ApiError> {
    let name = c::name(ns);
    let (mut wrote, left) = empty(ctx, name)?;
    if !left.is_empty() {
        wrote |= report(ctx, ns, &left)?;
        return Ok((wrote, false));
    }
    let mut updated = ns.clone();
    let kept: Vec<Value> = updated
        .pointer("/spec/finalizers")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter(|f| *f != FINALIZER).cloned().collect())
        .unwrap_or_default();
    updated["spec"]["finalizers"] = json!(kept);
    let r = ctx.resource("namespaces")?;
    match ctx
        .client
        .update(r, None, name, updated, &WriteOptions::default())
    {
        Ok(_) => Ok((true, true)),
        Err(e) if e.code == 404 || e.code == 409 => Ok((true, true)),
        Err(e) => Err(e),
    }
}

/// What is left in a namespace being emptied: objects per resource, and the finalizers
/// they still carry.
#[derive(Default)]
struct Left {
    objects: BTreeMap<String, usize>,
    finalizers: BTreeMap<String, usize>,
}

impl Left {
    fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

/// The deletion conditions kube's namespace controller reports while content remains.
fn report(ctx: &Context, ns: &Value, left: &Left) -> Result<bool, ApiError> {
    let remaining: Vec<String> = left
        .objects
        .iter()
        .map(|(r, n)| format!("{r} has {n} resource instances"))
        .collect();
    let finalizers: Vec<String> = left
        .finalizers
        .iter()
        .map(|(f, n)| format!("{f} in {n} resource instances"))
        .collect();
    let content = (
        "True",
        "SomeResourcesRemain",
        format!("Some resources are remaining: {}", remaining.join(", ")),
    );
    let fins = if finalizers.is_empty() {
        (
            "False",
            "ContentHasNoFinalizers",
            "All content-preserving finalizers finished".to_string(),
        )
    } else {
        (
            "True",
            "SomeFinalizersRemain",
            format!(
                "Some content in the namespace has finalizers remaining: {}",
                finalizers.join(", ")
            ),
        )
    };
    let wanted = [
        (
            "NamespaceDeletionDiscoveryFailure",
            (
                "False",
                "ResourcesDiscovered",
                "All resources successfully discovered".to_string(),
            ),
        ),
        (
            "NamespaceDeletionGroupVersionParsingFailure",
            (
                "False",
                "ParsedGroupVersions",
                "All legacy kube types successfully parsed".to_string(),
            ),
        ),
        (
            "NamespaceDeletionContentFailure",
            (
                "False",
                "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization".to_string(),
            ),
        ),
        ("NamespaceContentRemaining", content),
        ("NamespaceFinalizersRemaining", fins),
    ];
    let old: Vec<Value> = ns
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let now = timestamp(ctx.now);
    let conditions: Vec<Value> = wanted
        .iter()
        .map(|(kind, (status, reason, message))| {
            let prev = old
                .iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some(kind));
            let transition = prev
                .filter(|p| p.get("status").and_then(Value::as_str) == Some(status))
                .and_then(|p| p.get("lastTransitionTime").cloned())
                .unwrap_or_else(|| json!(now));
            json!({"type": kind, "status": status, "lastTransitionTime": transition,
                   "reason": reason, "message": message})
        })
        .collect();
    let mut status = ns.get("status").cloned().unwrap_or_else(|| json!({}));
    status["conditions"] = Value::Array(conditions);
    c::write_status(ctx, "namespaces", ns, status)
}

/// The built-in resources a namespace holds objects of.
fn namespaced_contents() -> impl Iterator<Item = &'static crate::api::registry::Resource> {
    RESOURCES
        .iter()
        .filter(|r| r.namespaced && crate::api::registry::is_listable(r))
}

fn has_finalizer(ns: &Value) -> bool {
    ns.pointer("/spec/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|f| f == FINALIZER))
}

/// Deletes everything in a namespace; returns whether it wrote and what is still there
/// (being deleted gracefully, or held by finalizers).
fn empty(ctx: &Context, ns: &str) -> Result<(bool, Left), ApiError> {
    let mut wrote = false;
    let mut left = Left::default();
    let opts = DeleteOptions {
        propagation_policy: Some("Background".into()),
        ..Default::default()
    };
    for r in namespaced_contents() {
        let objects = ctx.list(r.plural, Some(ns), &ListOptions::default())?;
        wrote |= empty_of(ctx, r, ns, objects, &opts, &mut left)?;
    }
    // The custom resources of the cluster's CRDs (one version each: they share their keys).
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for r in ctx.client.custom_resources() {
        if !r.namespaced || seen.contains(&(r.group, r.plural)) {
            continue;
        }
        seen.push((r.group, r.plural));
        let list = ctx.client.list(r, Some(ns), &ListOptions::default())?;
        let objects = match list.get("items") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        wrote |= empty_of(ctx, r, ns, objects, &opts, &mut left)?;
    }
    Ok((wrote, left))
}

/// Deletes the objects of one resource in a namespace; counts what is left in `left`.
fn empty_of(
    ctx: &Context,
    r: &crate::api::registry::Resource,
    ns: &str,
    objects: Vec<Value>,
    opts: &DeleteOptions,
    left: &mut Left,
) -> Result<bool, ApiError> {
    let mut wrote = false;
    {
        for o in objects {
            if !c::is_terminating(&o) {
                wrote |= match ctx.client.delete(r, Some(ns), c::name(&o), opts) {
                    Ok(_) => true,
                    Err(e) if e.code == 404 => false,
                    Err(e) => return Err(e),
                };
            }
            let still = match ctx.client.get(r, Some(ns), c::name(&o)) {
                Ok(o) => o,
                Err(e) if e.code == 404 => continue,
                Err(e) => return Err(e),
            };
            *left
                .objects
                .entry(format!("{}.{}", r.plural, r.group))
                .or_default() += 1;
            for f in still
                .pointer("/metadata/finalizers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                *left.finalizers.entry(f.to_string()).or_default() += 1;
            }
        }
    }
    Ok(wrote)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controllers::testutil::TestCluster;

    #[test]
    fn a_terminating_namespace_is_emptied_then_released() {
        let t = TestCluster::new("ns-delete");
        t.create("namespaces", None, json!({"metadata": {"name": "team"}}));
        t.create(
            "configmaps",
            Some("team"),
            json!({"metadata": {"name": "cfg"}}),
        );
        t.create(
            "pods",
            Some("team"),
            json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}),
        );
        // The API server's side of the contract (deletionTimestamp, Terminating) is being
        // written on main: hand the controller the namespace as it will see it.
        let mut ns = t.get("namespaces", None, "team").expect("ns");
        assert_eq!(ns["spec"]["finalizers"], json!(["kubernetes"]));
        ns["metadata"]["deletionTimestamp"] = json!("2026-11-29T01:00:00Z");
        ns["status"]["phase"] = json!("Terminating");
        let client = t.c();
        let ctx = Context {
            client,
            now: t.now,
            since: 0,
            pass: 0,
            shared: Default::default(),
        };
        let (wrote, done) = finalize(&ctx, &ns).expect("finalize");
        assert!(wrote && done);
        assert!(t.list("configmaps", Some("team")).is_empty());
        assert!(t.list("pods", Some("team")).is_empty());
        let after = t.get("namespaces", None, "team");
        assert!(after.is_none_or(|n| n["spec"]["finalizers"] == json!([])));
        // Other namespaces keep their objects.
        assert!(!t.list("serviceaccounts", Some("default")).is_empty());
    }

    #[test]
    fn remaining_content_is_reported_in_kubes_conditions() {
        let t = TestCluster::new("ns-report");
        let ns = t.create("namespaces", None, json!({"metadata": {"name": "team"}}));
        let client = t.c();
        let ctx = Context {
            client,
            now: t.now,
            since: 0,
            pass: 0,
            shared: Default::default(),
        };
        let mut left = Left::default();
        left.objects.insert("pods.".into(), 2);
        left.finalizers.insert("example.com/hold".into(), 1);
        assert!(report(&ctx, &ns, &left).expect("report"));
        let got = t.get("namespaces", None, "team").expect("ns");
        let conds = got["status"]["conditions"].as_array().expect("conditions");
        let types: Vec<&str> = conds.iter().filter_map(|c| c["type"].as_str()).collect();
        assert_eq!(
            types,
            [
                "NamespaceDeletionDiscoveryFailure",
                "NamespaceDeletionGroupVersionParsingFailure",
                "NamespaceDeletionContentFailure",
                "NamespaceContentRemaining",
                "NamespaceFinalizersRemaining",
            ]
        );
        assert_eq!(
            conds[3]["message"],
            "Some resources are remaining: pods. has 2 resource instances"
        );
        assert_eq!(
            conds[4]["message"],
            "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"
        );
        // The same report again writes nothing.
        assert!(!report(&ctx, &got, &left).expect("report"));
    }
}
