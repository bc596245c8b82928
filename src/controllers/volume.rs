//! The persistent volume controller (kube-controller-manager's `persistentvolume-binder`,
//! with the pvc- and pv-protection controllers) and a simulated external provisioner for
//! the default StorageClass (kind's `standard`, `rancher.io/local-path`).
//!
//! Claims: a claim naming a volume is Bound once that volume names it back; an unbound claim
//! binds to the smallest Available volume of its class whose access modes, size, volume mode
//! and selector fit; failing that, a class with a provisioner gets a new volume
//! (`pvc-<claim uid>`) — at once for `Immediate`, and for `WaitForFirstConsumer` once the
//! scheduler has written the node it chose (`volume.kubernetes.io/selected-node`). A claim
//! being deleted loses its protection finalizer when no pod uses it.
//!
//! Volumes: Available without a claim, Bound with one, Released when their claim is gone;
//! then `Delete` removes them and `Retain` keeps them. A volume being deleted loses its
//! protection finalizer once it is not Bound.

use super::common as c;
use crate::api::options::{DeleteOptions, ListOptions, PatchType, WatchEvent, WriteOptions};
use crate::api::quantity::Quantity;
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers, Wake};
use serde_json::{Map, Value, json};

const NAME: &str = "persistentvolume-controller";
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";
const STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
const BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
const BETA_CLASS: &str = "volume.beta.kubernetes.io/storage-class";
const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
/// The provisioner kubelite simulates (the one kind, k3s and minikube-style clusters ship).
pub const LOCAL_PATH: &str = "rancher.io/local-path";
/// The event source of the simulated provisioner (its pod's name and a fixed instance id).
const PROVISIONER_SOURCE: &str = "rancher.io/local-path_local-path-provisioner-7577fdbbfb-kubelite_8d7a0c52-6f5e-4a52-9d6b-6b1f9a3c2e10";

/// The claim side, run by the controller runtime.
pub type ClaimController = Controller<Claims>;
/// The volume side.
pub type VolumeController = Controller<Volumes>;

#[derive(Default)]
pub struct Claims;

#[derive(Default)]
pub struct Volumes;

fn s<'a>(o: &'a Value, pointer: &str) -> &'a str {
    c::str_at(o, pointer)
}

fn annotation<'a>(o: &'a Value, key: &str) -> Option<&'a str> {
    o.get("metadata")?.get("annotations")?.get(key)?.as_str()
}

/// A claim's class: the beta annotation, else `spec.storageClassName` (None when unset).
pub fn claim_class(pvc: &Value) -> Option<&str> {
    annotation(pvc, BETA_CLASS).or_else(|| pvc.pointer("/spec/storageClassName")?.as_str())
}

fn volume_class(pv: &Value) -> &str {
    annotation(pv, BETA_CLASS).unwrap_or_else(|| s(pv, "/spec/storageClassName"))
}

fn has_finalizer(o: &Value, f: &str) -> bool {
    o.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|l| l.iter().any(|x| x == f))
}

/// Removes a finalizer by a JSON patch guarded by the list as read.
fn drop_finalizer(ctx: &Context, plural: &str, o: &Value, f: &str) -> Result<bool, ApiError> {
    let list: Vec<Value> = o
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let kept: Vec<Value> = list.iter().filter(|x| *x != f).cloned().collect();
    let r = ctx.resource(plural)?;
    let ns = Some(c::namespace(o)).filter(|n| !n.is_empty());
    let patch = json!([
        {"op": "test", "path": "/metadata/finalizers", "value": list},
        {"op": "replace", "path": "/metadata/finalizers", "value": kept},
    ]);
    match ctx.client.patch(
        r,
        ns,
        c::name(o),
        PatchType::Json,
        &patch,
        &WriteOptions::default(),
    ) {
        Ok(_) => Ok(true),
        Err(e) if e.code == 404 || e.code == 409 || e.code == 422 => Ok(true),
        Err(e) => Err(e),
    }
}

fn storage(o: &Value, pointer: &str) -> Option<Quantity> {
    o.pointer(pointer).and_then(Quantity::from_json)
}

fn modes(o: &Value, pointer: &str) -> Vec<String> {
    o.pointer(pointer)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn volume_mode(o: &Value, pointer: &str) -> String {
    match o.pointer(pointer).and_then(Value::as_str) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => "Filesystem".to_string(),
    }
}

/// Whether a volume can serve a claim: class, access modes, size, volume mode, selector.
fn fits(pv: &Value, pvc: &Value) -> bool {
    if volume_class(pv) != claim_class(pvc).unwrap_or("") {
        return false;
    }
    let have = modes(pv, "/spec/accessModes");
    if !modes(pvc, "/spec/accessModes")
        .iter()
        .all(|m| have.contains(m))
    {
        return false;
    }
    let (Some(size), Some(want)) = (
        storage(pv, "/spec/capacity/storage"),
        storage(pvc, "/spec/resources/requests/storage"),
    ) else {
        return false;
    };
    if size.milli_value() < want.milli_value() {
        return false;
    }
    if volume_mode(pv, "/spec/volumeMode") != volume_mode(pvc, "/spec/volumeMode") {
        return false;
    }
    match pvc.pointer("/spec/selector").filter(|v| !v.is_null()) {
        Some(sel) => LabelSelector::from_object(sel).is_ok_and(|sel| sel.matches(c::labels(pv))),
        None => true,
    }
}

/// Whether a volume's claimRef names this claim (by uid once it has one).
fn claimed_by(pv: &Value, pvc: &Value) -> bool {
    let Some(r) = pv.pointer("/spec/claimRef").filter(|r| r.is_object()) else {
        return false;
    };
    s(r, "/namespace") == c::namespace(pvc)
        && s(r, "/name") == c::name(pvc)
        && (s(r, "/uid").is_empty() || s(r, "/uid") == c::uid(pvc))
}

fn claim_ref(pvc: &Value) -> Value {
    json!({
        "kind": "PersistentVolumeClaim",
        "namespace": c::namespace(pvc),
        "name": c::name(pvc),
        "uid": c::uid(pvc),
        "apiVersion": "v1",
        "resourceVersion": s(pvc, "/metadata/resourceVersion"),
    })
}

fn record(ctx: &Context, source: &str, o: &Value, kind: &str, reason: &str, message: &str) {
    let involved = c::with_kind(o.clone(), "PersistentVolumeClaim", "v1");
    // An event that cannot be written does not stop the binding.
    let _ = c::record(ctx, source, &involved, kind, reason, message);
}

impl Reconciler for Claims {
    fn name(&self) -> &'static str {
        NAME
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "persistentvolumeclaims",
                kind: "PersistentVolumeClaim",
                api_version: "v1",
            },
            others: vec![
                Trigger {
                    plural: "persistentvolumes",
                    mapping: Mapping::By(volume_wakes_claims),
                },
                Trigger {
                    plural: "pods",
                    mapping: Mapping::By(pod_wakes_claims),
                },
                Trigger {
                    plural: "storageclasses",
                    mapping: Mapping::By(|_, _, wake| {
                        wake.all();
                        Ok(())
                    }),
                },
            ],
            timed: None,
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        pvc: &Value,
    ) -> Result<Reconciled, ApiError> {
        if c::is_terminating(pvc) {
            return Ok(Reconciled::wrote(release_claim(ctx, pvc)?));
        }
        let volume = s(pvc, "/spec/volumeName");
        if !volume.is_empty() {
            return Ok(Reconciled::wrote(sync_bound_claim(ctx, pvc, volume)?));
        }
        Ok(Reconciled::wrote(bind_or_provision(ctx, cache, pvc)?))
    }
}

/// A volume that names a claim wakes it; a free volume wakes every claim (one may fit).
fn volume_wakes_claims(_: &Context, e: &WatchEvent, wake: &mut Wake) -> Result<(), ApiError> {
    match e.object.pointer("/spec/claimRef").filter(|r| r.is_object()) {
        Some(r) => wake.key(s(r, "/namespace"), s(r, "/name")),
        None => wake.all(),
    }
    Ok(())
}

/// A pod wakes the claims it mounts (a claim being deleted waits for its pods).
fn pod_wakes_claims(_: &Context, e: &WatchEvent, wake: &mut Wake) -> Result<(), ApiError> {
    for name in pod_claims(&e.object) {
        wake.key(c::namespace(&e.object), &name);
    }
    Ok(())
}

/// The claims a pod mounts: named ones and its generic ephemeral volumes'.
pub fn pod_claims(pod: &Value) -> Vec<String> {
    let pod_name = c::name(pod);
    pod.pointer("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            if let Some(claim) = v.pointer("/persistentVolumeClaim/claimName") {
                return claim.as_str().map(str::to_string);
            }
            v.get("ephemeral")
                .filter(|e| e.is_object())
                .map(|_| format!("{pod_name}-{}", s(v, "/name")))
        })
        .collect()
}

/// pvc-protection: the finalizer goes once no unfinished pod mounts the claim.
fn release_claim(ctx: &Context, pvc: &Value) -> Result<bool, ApiError> {
    if !has_finalizer(pvc, PVC_PROTECTION) {
        return Ok(false);
    }
    let pods = ctx.list("pods", Some(c::namespace(pvc)), &ListOptions::default())?;
    let in_use = pods.iter().any(|p| {
        !matches!(s(p, "/status/phase"), "Succeeded" | "Failed")
            && pod_claims(p).iter().any(|n| n == c::name(pvc))
    });
    if in_use {
        return Ok(false);
    }
    drop_finalizer(ctx, "persistentvolumeclaims", pvc, PVC_PROTECTION)
}

/// A claim that names its volume: Bound when the volume names it back, Lost when the
/// volume is gone; a volume pre-bound to nothing is claimed for it.
fn sync_bound_claim(ctx: &Context, pvc: &Value, volume: &str) -> Result<bool, ApiError> {
    let pvs = ctx.resource("persistentvolumes")?;
    let pv = match ctx.client.get(pvs, None, volume) {
        Ok(pv) => pv,
        Err(e) if e.code == 404 => {
            if s(pvc, "/status/phase") == "Lost" {
                return Ok(false);
            }
            record(
                ctx,
                NAME,
                pvc,
                "Warning",
                "ClaimLost",
                "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
            );
            return write_claim_status(ctx, pvc, json!({"phase": "Lost"}));
        }
        Err(e) => return Err(e),
    };
    if !claimed_by(&pv, pvc) {
        if pv.pointer("/spec/claimRef").is_some_and(|r| r.is_object()) {
            // The volume belongs to another claim: this one waits (kube says so in events).
            return Ok(false);
        }
        return bind_volume(ctx, &pv, pvc).map(|_| true);
    }
    let mut wrote = finish_claim(ctx, pvc, &pv)?;
    wrote |= write_volume_phase(ctx, &pv, "Bound")?;
    Ok(wrote)
}

/// The claim's side of a binding: annotations, then status Bound with the volume's modes
/// and capacity.
fn finish_claim(ctx: &Context, pvc: &Value, pv: &Value) -> Result<bool, ApiError> {
    let mut wrote = false;
    let mut current = pvc.clone();
    if annotation(pvc, BIND_COMPLETED) != Some("yes") {
        let patch = json!({"metadata": {"annotations": {BIND_COMPLETED: "yes", BOUND_BY_CONTROLLER: "yes"}}});
        let r = ctx.resource("persistentvolumeclaims")?;
        current = ctx.client.patch(
            r,
            Some(c::namespace(pvc)),
            c::name(pvc),
            PatchType::Merge,
            &patch,
            &WriteOptions::default(),
        )?;
        wrote = true;
    }
    let mut status = Map::new();
    status.insert("phase".into(), json!("Bound"));
    if let Some(m) = pv.pointer("/spec/accessModes") {
        status.insert("accessModes".into(), m.clone());
    }
    if let Some(cap) = pv.pointer("/spec/capacity") {
        status.insert("capacity".into(), cap.clone());
    }
    wrote |= write_claim_status(ctx, &current, Value::Object(status))?;
    Ok(wrote)
}

fn write_claim_status(ctx: &Context, pvc: &Value, status: Value) -> Result<bool, ApiError> {
    c::write_status(ctx, "persistentvolumeclaims", pvc, status)
}

/// Puts a claimRef on a free volume (the volume's side of a binding; the claim follows
/// when the volume's change wakes it).
fn bind_volume(ctx: &Context, pv: &Value, pvc: &Value) -> Result<Value, ApiError> {
    let r = ctx.resource("persistentvolumes")?;
    let mut updated = pv.clone();
    updated["spec"]["claimRef"] = claim_ref(pvc);
    let annotations = updated["metadata"]
        .as_object_mut()
        .map(|m| m.entry("annotations").or_insert_with(|| json!({})));
    if let Some(Value::Object(a)) = annotations {
        a.insert(BOUND_BY_CONTROLLER.into(), json!("yes"));
    }
    let written = ctx
        .client
        .update(r, None, c::name(pv), updated, &WriteOptions::default())?;
    // The claim names the volume at once, as kube's binder does right after.
    let claims = ctx.resource("persistentvolumeclaims")?;
    let patch = json!({"spec": {"volumeName": c::name(pv)}});
    ctx.client.patch(
        claims,
        Some(c::namespace(pvc)),
        c::name(pvc),
        PatchType::Merge,
        &patch,
        &WriteOptions::default(),
    )?;
    Ok(written)
}

/// An unbound claim: bind it to a fitting volume, or have its class provision one.
fn bind_or_provision(ctx: &Context, cache: &mut Cache, pvc: &Value) -> Result<bool, ApiError> {
    // Every volume as it is now (the list kept between passes, caught up with what changed,
    // including what the claims before this one bound or provisioned).
    cache.forget("persistentvolumes", None);
    let all = cache.list(ctx, "persistentvolumes", None)?;
    // A volume pre-bound to this claim first, then the smallest free volume that fits.
    let prebound = all.iter().find(|pv| claimed_by(pv, pvc) && fits(pv, pvc));
    let class_name = claim_class(pvc).unwrap_or("");
    let class = if class_name.is_empty() {
        None
    } else {
        let r = ctx.resource("storageclasses")?;
        match ctx.client.get(r, None, class_name) {
            Ok(sc) => Some(sc),
            Err(e) if e.code == 404 => None,
            Err(e) => return Err(e),
        }
    };
    let delayed = class
        .as_ref()
        .is_some_and(|sc| s(sc, "/volumeBindingMode") == "WaitForFirstConsumer");
    let selected = annotation(pvc, SELECTED_NODE).map(str::to_string);
    if let Some(pv) = prebound {
        bind_volume(ctx, pv, pvc)?;
        return Ok(true);
    }
    if delayed && selected.is_none() {
        record(
            ctx,
            NAME,
            pvc,
            "Normal",
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding",
        );
        return Ok(false);
    }
    let free = all
        .iter()
        .filter(|pv| {
            !pv.pointer("/spec/claimRef").is_some_and(Value::is_object)
                && !c::is_terminating(pv)
                && fits(pv, pvc)
        })
        .min_by_key(|pv| storage(pv, "/spec/capacity/storage").map(|q| q.milli_value()));
    if let Some(pv) = free {
        bind_volume(ctx, pv, pvc)?;
        return Ok(true);
    }
    match class {
        Some(sc) if s(&sc, "/provisioner") == LOCAL_PATH => {
            provision(ctx, pvc, &sc, selected.as_deref())
        }
        Some(sc) => {
            // Another provisioner: kube waits for it; nothing here will answer.
            let message = format!(
                "Waiting for a volume to be created either by the external provisioner '{}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
                s(&sc, "/provisioner")
            );
            record(ctx, NAME, pvc, "Normal", "ExternalProvisioning", &message);
            Ok(false)
        }
        None if class_name.is_empty() => {
            record(
                ctx,
                NAME,
                pvc,
                "Normal",
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set",
            );
            Ok(false)
        }
        None => {
            let message = format!("storageclass.storage.k8s.io \"{class_name}\" not found");
            record(ctx, NAME, pvc, "Warning", "ProvisioningFailed", &message);
            Ok(false)
        }
    }
}

/// The simulated local-path provisioner: a hostPath volume `pvc-<claim uid>` of the size
/// asked, on the selected node (pinned there by node affinity), pre-bound to the claim.
fn provision(ctx: &Context, pvc: &Value, sc: &Value, node: Option<&str>) -> Result<bool, ApiError> {
    let provisioner = s(sc, "/provisioner");
    // The controller hands the claim to the provisioner, which (simulated here, in the
    // same sync, so that a claim costs one pass) creates the volume and binds the claim.
    let mut handed = pvc.clone();
    if annotation(pvc, STORAGE_PROVISIONER) != Some(provisioner) {
        let message = format!(
            "Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
        );
        record(ctx, NAME, pvc, "Normal", "ExternalProvisioning", &message);
        let patch = json!({"metadata": {"annotations": {
            BETA_STORAGE_PROVISIONER: provisioner, STORAGE_PROVISIONER: provisioner}}});
        let r = ctx.resource("persistentvolumeclaims")?;
        handed = ctx.client.patch(
            r,
            Some(c::namespace(pvc)),
            c::name(pvc),
            PatchType::Merge,
            &patch,
            &WriteOptions::default(),
        )?;
    }
    let pvc = &handed;
    let ns = c::namespace(pvc);
    let claim = c::name(pvc);
    let name = format!("pvc-{}", c::uid(pvc));
    record(
        ctx,
        PROVISIONER_SOURCE,
        pvc,
        "Normal",
        "Provisioning",
        &format!("External provisioner is provisioning volume for claim \"{ns}/{claim}\""),
    );
    let mut annotations = Map::new();
    if let Some(n) = node {
        annotations.insert("local.path.provisioner/selected-node".into(), json!(n));
    }
    annotations.insert(PROVISIONED_BY.into(), json!(provisioner));
    let mut spec = Map::new();
    spec.insert(
        "capacity".into(),
        json!({"storage": pvc.pointer("/spec/resources/requests/storage").cloned().unwrap_or(json!("0"))}),
    );
    spec.insert(
        "hostPath".into(),
        json!({"path": format!("/var/local-path-provisioner/{name}_{ns}_{claim}"), "type": "DirectoryOrCreate"}),
    );
    spec.insert(
        "accessModes".into(),
        pvc.pointer("/spec/accessModes")
            .cloned()
            .unwrap_or(json!([])),
    );
    spec.insert("claimRef".into(), claim_ref(pvc));
    let reclaim = match s(sc, "/reclaimPolicy") {
        "" => "Delete",
        p => p,
    };
    spec.insert("persistentVolumeReclaimPolicy".into(), json!(reclaim));
    spec.insert("storageClassName".into(), json!(c::name(sc)));
    spec.insert(
        "volumeMode".into(),
        json!(volume_mode(pvc, "/spec/volumeMode")),
    );
    if let Some(n) = node {
        spec.insert(
            "nodeAffinity".into(),
            json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [n]}]}]}}),
        );
    }
    let pv = json!({
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name, "annotations": annotations},
        "spec": spec,
    });
    let r = ctx.resource("persistentvolumes")?;
    let created = match ctx.client.create(r, None, pv, &WriteOptions::default()) {
        Ok(pv) => pv,
        Err(e) if e.code == 409 => return Ok(false),
        Err(e) => {
            let message = format!(
                "failed to provision volume with StorageClass \"{}\": {}",
                c::name(sc),
                e.message
            );
            record(
                ctx,
                PROVISIONER_SOURCE,
                pvc,
                "Warning",
                "ProvisioningFailed",
                &message,
            );
            return Ok(false);
        }
    };
    record(
        ctx,
        PROVISIONER_SOURCE,
        pvc,
        "Normal",
        "ProvisioningSucceeded",
        &format!("Successfully provisioned volume {name}"),
    );
    // The binder's part, at once: the claim names its volume and is Bound.
    let claims = ctx.resource("persistentvolumeclaims")?;
    let patch = json!({"spec": {"volumeName": name}});
    let named = ctx.client.patch(
        claims,
        Some(ns),
        claim,
        PatchType::Merge,
        &patch,
        &WriteOptions::default(),
    )?;
    finish_claim(ctx, &named, &created)?;
    Ok(true)
}

/// Sets a volume's phase (and when it changed), if it differs.
fn write_volume_phase(ctx: &Context, pv: &Value, phase: &str) -> Result<bool, ApiError> {
    if s(pv, "/status/phase") == phase {
        return Ok(false);
    }
    let mut status = Map::new();
    status.insert("phase".into(), json!(phase));
    status.insert(
        "lastPhaseTransitionTime".into(),
        json!(crate::clock::timestamp(ctx.now)),
    );
    c::write_status(ctx, "persistentvolumes", pv, Value::Object(status))
}

impl Reconciler for Volumes {
    fn name(&self) -> &'static str {
        NAME
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "persistentvolumes",
                kind: "PersistentVolume",
                api_version: "v1",
            },
            others: vec![Trigger {
                plural: "persistentvolumeclaims",
                mapping: Mapping::By(claim_wakes_volume),
            }],
            timed: None,
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        pv: &Value,
    ) -> Result<Reconciled, ApiError> {
        Ok(Reconciled::wrote(sync_volume(ctx, pv)?))
    }
}

/// A claim wakes the volume it names (its deletion may release it).
fn claim_wakes_volume(_: &Context, e: &WatchEvent, wake: &mut Wake) -> Result<(), ApiError> {
    let volume = s(&e.object, "/spec/volumeName");
    if !volume.is_empty() {
        wake.key("", volume);
    }
    Ok(())
}

fn sync_volume(ctx: &Context, pv: &Value) -> Result<bool, ApiError> {
    if c::is_terminating(pv) {
        // pv-protection: a volume in use by a claim keeps its finalizer.
        if has_finalizer(pv, PV_PROTECTION) && s(pv, "/status/phase") != "Bound" {
            return drop_finalizer(ctx, "persistentvolumes", pv, PV_PROTECTION);
        }
        return Ok(false);
    }
    let Some(r) = pv.pointer("/spec/claimRef").filter(|r| r.is_object()) else {
        return write_volume_phase(ctx, pv, "Available");
    };
    let claims = ctx.resource("persistentvolumeclaims")?;
    let claim = match ctx
        .client
        .get(claims, Some(s(r, "/namespace")), s(r, "/name"))
    {
        Ok(pvc) => Some(pvc),
        Err(e) if e.code == 404 => None,
        Err(e) => return Err(e),
    };
    match claim {
        // Pre-bound to a claim not made yet, or bound to it.
        None if s(r, "/uid").is_empty() => write_volume_phase(ctx, pv, "Available"),
        Some(pvc) if s(r, "/uid").is_empty() || s(r, "/uid") == c::uid(&pvc) => {
            if s(&pvc, "/spec/volumeName") == c::name(pv) {
                write_volume_phase(ctx, pv, "Bound")
            } else {
                // The claim is told by the binder; until then the volume waits.
                Ok(false)
            }
        }
        // The claim is gone (or was replaced): released, then reclaimed.
        _ => {
            let wrote = write_volume_phase(ctx, pv, "Released")?;
            if s(pv, "/spec/persistentVolumeReclaimPolicy") == "Delete" {
                return c::delete(
                    ctx,
                    "persistentvolumes",
                    None,
                    c::name(pv),
                    &DeleteOptions::default(),
                )
                .map(|d| d || wrote);
            }
            Ok(wrote)
        }
    }
}

#[cfg(test)]
#[path = "volume_tests.rs"]
mod tests;
