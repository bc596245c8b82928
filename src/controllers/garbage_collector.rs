//! The garbage collector: deletes dependents whose owners (by uid) are gone, and carries
//! out foreground and orphan deletion for owners that carry those finalizers.

use super::common as c;
use crate::api::options::{DeleteOptions, ListOptions, WriteOptions};
use crate::api::registry::{self, RESOURCES, Resource};
use crate::api::status::ApiError;
use crate::apiserver::project::Keep;
use crate::runtime::{Component, Context};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

const FOREGROUND: &str = "foregroundDeletion";
const ORPHAN: &str = "orphan";

/// Not a reconciler of one kind: like kube's, it follows owner references across every
/// kind, reading each pass's changes of all of them (shared with the other controllers).
#[derive(Default)]
pub struct GarbageCollector;

/// An object found in a pass, with its resource.
struct Found {
    resource: &'static Resource,
    object: Value,
}

/// What a pass found in the objects it read.
#[derive(Default)]
struct Seen {
    /// Objects with owner references.
    dependents: Vec<Found>,
    /// Owners in foreground or orphan deletion, and owners a deleted dependent pointed at.
    owners: BTreeMap<OwnerKey, &'static Resource>,
    /// The uids of owners gone, by namespace ("" for cluster-scoped ones).
    gone_uids: BTreeMap<String, HashSet<String>>,
}

impl Seen {
    fn object(&mut self, r: &'static Resource, o: Value) {
        if has_gc_finalizer(&o) && c::is_terminating(&o) {
            let key = (
                r.qualified_plural(),
                c::namespace(&o).into(),
                c::name(&o).into(),
            );
            self.owners.insert(key, r);
        }
        if !c::owner_refs(&o).is_empty() {
            self.dependents.push(Found {
                resource: r,
                object: o,
            });
        }
    }

    fn deleted(&mut self, r: &'static Resource, o: &Value) {
        // Deleted pods own nothing in practice; other kinds may own dependents.
        if r.kind != "Pod" {
            self.gone_uids
                .entry(c::namespace(o).to_string())
                .or_default()
                .insert(c::uid(o).to_string());
        }
        // A dependent went: an owner waiting in foreground deletion may be done.
        for oref in c::owner_refs(o) {
            if let Some((kind_r, key)) = owner_key(o, oref) {
                self.owners.insert(key, kind_r);
            }
        }
    }
}

/// (kind, namespace, name): where an owner reference points.
type OwnerKey = (String, String, String);

/// The resources the collector watches: as kube's, those that can be deleted (not the
/// computed ComponentStatuses), but Events (which own nothing and are not owned).
fn collectable(r: &Resource) -> bool {
    r.kind != "Event" && registry::verbs_of(r).contains(&"delete")
}

/// The collected resources and the name each is read by: the built-in ones by plural, the
/// custom ones (one version each) as `<plural>.<group>`.
fn watched(ctx: &Context) -> Vec<(&'static Resource, String)> {
    let mut out: Vec<(&'static Resource, String)> = RESOURCES
        .iter()
        .filter(|r| collectable(r))
        .map(|r| (r, r.plural.to_string()))
        .collect();
    for r in ctx.client.custom_resources() {
        let name = r.qualified_plural();
        if !out.iter().any(|(_, n)| *n == name) {
            out.push((r, name));
        }
    }
    out
}

impl Component for GarbageCollector {
    fn name(&self) -> &'static str {
        "garbage-collector-controller"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let mut seen = Seen::default();
        let mut wrote = false;
        let mut cache: HashMap<OwnerKey, Option<String>> = HashMap::new();
        for (r, plural) in watched(ctx) {
            if ctx.since == 0 {
                // A full resync reads every kind a page at a time, metadata only, and
                // collects each page's orphans as it goes: at 100,000 pods the whole lists,
                // and a copy of each dependent, were gigabytes.
                let opts = ListOptions::default();
                ctx.list_pages(&plural, None, &opts, Some(&METADATA), &mut |page| {
                    for o in page {
                        seen.object(r, o);
                    }
                    for d in std::mem::take(&mut seen.dependents) {
                        wrote |= collect_if_orphaned(ctx, &d, &mut cache)?;
                    }
                    Ok(())
                })?;
                continue;
            }
            for ev in ctx.changed(&plural)?.iter() {
                if ev.kind == "DELETED" {
                    seen.deleted(r, &ev.object);
                } else {
                    seen.object(r, ev.object.clone());
                }
            }
        }
        let Seen {
            mut dependents,
            owners,
            mut gone_uids,
        } = seen;
        if ctx.since > 0 {
            // A namespaced owner's dependents are in its namespace (kube's rule: a reference
            // across namespaces, or from a cluster-scoped object, resolves to nothing, and
            // such a dependent was collected when it was seen); a cluster-scoped owner's
            // may be anywhere.
            if let Some(mut uids) = gone_uids.remove("") {
                uids.extend(gone_uids.into_values().flatten());
                dependents.extend(referencing(ctx, None, &uids)?);
            } else {
                for (namespace, uids) in &gone_uids {
                    dependents.extend(referencing(ctx, Some(namespace), uids)?);
                }
            }
        }
        for d in &dependents {
            wrote |= collect_if_orphaned(ctx, d, &mut cache)?;
        }
        for ((_, ns, name), r) in owners {
            let ns = Some(ns.as_str()).filter(|n| !n.is_empty());
            let owner = match ctx.client.get(r, ns, &name) {
                Ok(o) => o,
                Err(e) if e.code == 404 => continue,
                Err(e) => return Err(e),
            };
            if c::is_terminating(&owner) && has_gc_finalizer(&owner) {
                wrote |= finish_owner(ctx, r, &owner)?;
            }
        }
        Ok(wrote)
    }
}

fn finalizers(o: &Value) -> Vec<&str> {
    o.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn has_gc_finalizer(o: &Value) -> bool {
    finalizers(o)
        .iter()
        .any(|f| *f == FOREGROUND || *f == ORPHAN)
}

/// The resource and key an owner reference points at, seen from `dependent`.
fn owner_key(dependent: &Value, oref: &Value) -> Option<(&'static Resource, OwnerKey)> {
    let api_version = oref.get("apiVersion").and_then(Value::as_str)?;
    let kind = oref.get("kind").and_then(Value::as_str)?;
    let name = oref.get("name").and_then(Value::as_str)?;
    let r = registry::find_by_kind(api_version, kind)?;
    let ns = if r.namespaced {
        c::namespace(dependent).to_string()
    } else {
        String::new()
    };
    Some((r, (r.qualified_plural(), ns, name.to_string())))
}

/// Every object (in one namespace, or all) with an owner reference to one of `uids`.
fn referencing(
    ctx: &Context,
    namespace: Option<&str>,
    uids: &HashSet<String>,
) -> Result<Vec<Found>, ApiError> {
    let mut out = Vec::new();
    for (r, plural) in watched(ctx) {
        if namespace.is_some() && !r.namespaced {
            continue;
        }
        let opts = ListOptions::default();
        ctx.list_pages(&plural, namespace, &opts, Some(&METADATA), &mut |page| {
            for o in page {
                let refers = c::owner_refs(&o).iter().any(|oref| {
                    oref.get("uid")
                        .and_then(Value::as_str)
                        .is_some_and(|u| uids.contains(u))
                });
                if refers {
                    out.push(Found {
                        resource: r,
                        object: o,
                    });
                }
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// What the collector reads of a dependent it looks for: its metadata (owner references,
/// name, namespace, deletion). A lookup reads every kind of a namespace, so the rest of
/// each object is not decoded.
static METADATA: Keep = Keep::Fields(&[("metadata", Keep::AllBut(&["managedFields"]))]);

/// Deletes a dependent all of whose owners are gone; drops references to the gone ones
/// when some owners remain.
fn collect_if_orphaned(
    ctx: &Context,
    d: &Found,
    cache: &mut HashMap<OwnerKey, Option<String>>,
) -> Result<bool, ApiError> {
    let refs = c::owner_refs(&d.object);
    let mut alive = Vec::new();
    for oref in refs {
        let Some((r, key)) = owner_key(&d.object, oref) else {
            // An owner of a kind this cluster does not serve: leave the reference alone.
            alive.push(oref.clone());
            continue;
        };
        let uid = match cache.get(&key) {
            Some(u) => u.clone(),
            None => {
                let ns = Some(key.1.as_str()).filter(|n| !n.is_empty());
                let u = match ctx.client.get(r, ns, &key.2) {
                    Ok(o) => Some(c::uid(&o).to_string()),
                    Err(e) if e.code == 404 => None,
                    Err(e) => return Err(e),
                };
                cache.insert(key, u.clone());
                u
            }
        };
        if uid.as_deref() == oref.get("uid").and_then(Value::as_str) {
            alive.push(oref.clone());
        }
    }
    if alive.len() == refs.len() {
        return Ok(false);
    }
    let ns = Some(c::namespace(&d.object)).filter(|n| !n.is_empty());
    if alive.is_empty() {
        if c::is_terminating(&d.object) {
            return Ok(false);
        }
        let opts = DeleteOptions {
            propagation_policy: Some("Background".into()),
            ..Default::default()
        };
        return c::delete(ctx, d.resource.plural, ns, c::name(&d.object), &opts);
    }
    c::set_owner_refs(ctx, d.resource.plural, &d.object, alive)?;
    Ok(true)
}

/// Orphan: unlink dependents, then drop the finalizer. Foreground: delete dependents, and
/// drop the finalizer once no blocking dependent is left.
fn finish_owner(ctx: &Context, r: &'static Resource, owner: &Value) -> Result<bool, ApiError> {
    let ns = Some(c::namespace(owner)).filter(|n| !n.is_empty());
    let owner_uid = c::uid(owner).to_string();
    let uids: HashSet<String> = [owner_uid.clone()].into_iter().collect();
    let dependents = referencing(ctx, ns, &uids)?;
    let fins = finalizers(owner);
    let done_with = if fins.contains(&ORPHAN) {
        for d in &dependents {
            c::release(ctx, d.resource.plural, &d.object, &owner_uid)?;
        }
        ORPHAN
    } else {
        let mut wrote = false;
        let mut blocking = 0;
        for d in &dependents {
            let blocks = c::owner_refs(&d.object).iter().any(|o| {
                o.get("uid").and_then(Value::as_str) == Some(owner_uid.as_str())
                    && o.get("blockOwnerDeletion").and_then(Value::as_bool) == Some(true)
            });
            if !c::is_terminating(&d.object) {
                let opts = DeleteOptions {
                    propagation_policy: Some("Foreground".into()),
                    ..Default::default()
                };
                let dns = Some(c::namespace(&d.object)).filter(|n| !n.is_empty());
                wrote |= c::delete(ctx, d.resource.plural, dns, c::name(&d.object), &opts)?;
            }
            if blocks && still_exists(ctx, d)? {
                blocking += 1;
            }
        }
        if blocking > 0 {
            return Ok(wrote);
        }
        FOREGROUND
    };
    let mut updated = owner.clone();
    let kept: Vec<Value> = fins
        .iter()
        .filter(|f| **f != done_with)
        .map(|f| json!(f))
        .collect();
    updated["metadata"]["finalizers"] = Value::Array(kept);
    match ctx
        .client
        .update(r, ns, c::name(owner), updated, &WriteOptions::default())
    {
        Ok(_) => Ok(true),
        Err(e) if e.code == 404 || e.code == 409 => Ok(true),
        Err(e) => Err(e),
    }
}

fn still_exists(ctx: &Context, d: &Found) -> Result<bool, ApiError> {
    let ns = Some(c::namespace(&d.object)).filter(|n| !n.is_empty());
    match ctx.client.get(d.resource, ns, c::name(&d.object)) {
        Ok(_) => Ok(true),
        Err(e) if e.code == 404 => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
#[path = "garbage_collector_tests.rs"]
mod tests;
