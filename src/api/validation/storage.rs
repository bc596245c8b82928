//! StatefulSets and the volume kinds: PersistentVolumeClaim, PersistentVolume, StorageClass.

use super::apps::{selector_and_template, selector_immutable};
use super::field_error::{FieldError, child, index, key, nonnegative};
use super::meta;
use crate::api::quantity::Quantity;
use serde_json::{Value, json};

const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];
/// The volume sources a PersistentVolume may name (exactly one of them).
const PV_SOURCES: &[&str] = &[
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "hostPath",
    "glusterfs",
    "nfs",
    "rbd",
    "iscsi",
    "cinder",
    "cephfs",
    "fc",
    "flocker",
    "flexVolume",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "local",
    "storageos",
    "csi",
];
/// The spec fields a StatefulSet update may change.
const STS_MUTABLE: &[&str] = &[
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
];

fn str_of<'a>(v: Option<&'a Value>, k: &str) -> &'a str {
    v.and_then(|v| v.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

pub fn validate_stateful_set(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("StatefulSet", obj, old);
    let spec = obj.get("spec");
    match str_of(spec, "podManagementPolicy") {
        "OrderedReady" | "Parallel" => {}
        "" => errs.push(FieldError::required("spec.podManagementPolicy", "")),
        other => errs.push(FieldError::invalid(
            "spec.podManagementPolicy",
            json!(other),
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    let strategy = spec.and_then(|s| s.get("updateStrategy"));
    let rolling = strategy
        .and_then(|s| s.get("rollingUpdate"))
        .filter(|r| !r.is_null());
    match str_of(strategy, "type") {
        "" => errs.push(FieldError::required("spec.updateStrategy", "")),
        "OnDelete" => {
            if rolling.is_some() {
                errs.push(FieldError::invalid_repr(
                    "spec.updateStrategy.rollingUpdate",
                    "(*apps.RollingUpdateStatefulSetStrategy)(...)".into(),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        "RollingUpdate" => nonnegative(
            rolling,
            "partition",
            "spec.updateStrategy.rollingUpdate",
            &mut errs,
        ),
        other => errs.push(FieldError::invalid_repr(
            "spec.updateStrategy",
            format!(
                "apps.StatefulSetUpdateStrategy{{Type:\"{other}\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}}"
            ),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    let policy = spec.and_then(|s| s.get("persistentVolumeClaimRetentionPolicy"));
    for when in ["whenDeleted", "whenScaled"] {
        let v = str_of(policy, when);
        if !matches!(v, "Retain" | "Delete") {
            errs.push(FieldError::not_supported(
                &format!("spec.persistentVolumeClaimRetentionPolicy.{when}"),
                json!(v),
                &["Retain", "Delete"],
            ));
        }
    }
    nonnegative(spec, "replicas", "spec", &mut errs);
    nonnegative(spec, "minReadySeconds", "spec", &mut errs);
    nonnegative(
        spec.and_then(|s| s.get("ordinals")),
        "start",
        "spec.ordinals",
        &mut errs,
    );
    errs.extend(selector_and_template(spec, "statefulset", true));
    let claims = spec
        .and_then(|s| s.get("volumeClaimTemplates"))
        .and_then(Value::as_array);
    for (i, claim) in claims.into_iter().flatten().enumerate() {
        let path = index("spec.volumeClaimTemplates", i);
        errs.extend(claim_spec(claim.get("spec"), &child(&path, "spec")));
    }
    if let Some(old) = old {
        let frozen = |o: &Value| {
            let mut spec = o.get("spec").cloned().unwrap_or(json!({}));
            if let Some(m) = spec.as_object_mut() {
                m.retain(|k, _| !STS_MUTABLE.contains(&k.as_str()));
            }
            spec
        };
        if frozen(obj) != frozen(old) {
            errs.push(FieldError::forbidden(
                "spec",
                "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            ));
        }
        selector_immutable(obj, old, &mut errs);
    }
    errs
}

/// A claim's spec: access modes, the storage request, the volume mode.
fn claim_spec(spec: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let modes = spec
        .and_then(|s| s.get("accessModes"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if modes.is_empty() {
        errs.push(FieldError::required(
            &child(path, "accessModes"),
            "at least 1 access mode is required",
        ));
    }
    access_modes(modes, &child(path, "accessModes"), &mut errs);
    let storage = spec
        .and_then(|s| s.pointer("/resources/requests/storage"))
        .filter(|v| !v.is_null());
    let storage_path = key(&child(path, "resources"), "storage");
    match storage.map(|v| (v, Quantity::from_json(v))) {
        None => errs.push(FieldError::required(&storage_path, "")),
        Some((v, Some(q))) if q.milli_value() <= 0 => errs.push(FieldError::invalid(
            &storage_path,
            json!(v.as_str().map_or_else(|| v.to_string(), str::to_string)),
            "must be greater than zero",
        )),
        _ => {}
    }
    volume_mode(spec, path, &mut errs);
    errs
}

fn access_modes(modes: &[Value], path: &str, errs: &mut Vec<FieldError>) {
    for m in modes {
        let s = m.as_str().unwrap_or("");
        if !ACCESS_MODES.contains(&s) {
            errs.push(FieldError::not_supported(path, json!(s), ACCESS_MODES));
        }
    }
    let has = |m: &str| modes.iter().any(|v| v.as_str() == Some(m));
    if has("ReadWriteOncePod") && modes.len() > 1 {
        errs.push(FieldError::forbidden(
            path,
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
}

fn volume_mode(spec: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(mode) = spec
        .and_then(|s| s.get("volumeMode"))
        .and_then(Value::as_str)
        && !matches!(mode, "Block" | "Filesystem")
    {
        errs.push(FieldError::not_supported(
            &child(path, "volumeMode"),
            json!(mode),
            &["Block", "Filesystem"],
        ));
    }
}

pub fn validate_pvc(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("PersistentVolumeClaim", obj, old);
    errs.extend(claim_spec(obj.get("spec"), "spec"));
    if let Some(old) = old {
        errs.extend(claim_update(obj, old));
    }
    errs
}

/// kube-apiserver's words for a claim's spec changed after creation. (kube appends a Go
/// diff of the two specs, whose spacing it varies on purpose: it is left out here.)
pub const PVC_SPEC_IMMUTABLE: &str = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";

/// What an update of a claim may change in its spec: the volume name once (binding), the
/// class name once from none (a default class given later), and for a bound claim its
/// storage request (not below its capacity) and volume attributes class.
fn claim_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let empty = json!({});
    let (new_spec, old_spec) = (
        new.get("spec").unwrap_or(&empty),
        old.get("spec").unwrap_or(&empty),
    );
    let mut new_clone = new_spec.clone();
    let mut old_clone = old_spec.clone();
    if str_of(Some(old_spec), "volumeName").is_empty() {
        set_or_remove(&mut old_clone, "volumeName", new_spec.get("volumeName"));
    }
    let beta = "volume.beta.kubernetes.io/storage-class";
    let annotation = |o: &Value| {
        o.pointer("/metadata/annotations")
            .and_then(|a| a.get(beta))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let class = |s: &Value| {
        s.get("storageClassName")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (old_note, new_note) = (annotation(old), annotation(new));
    let (old_class, new_class) = (class(old_spec), class(new_spec));
    let from_annotation = old_note.is_some()
        && old_class.is_none()
        && new_class.is_some()
        && new_class == old_note
        && (new_note.is_none() || new_note == old_note);
    let from_none =
        new_class.is_some() && old_class.is_none() && (old_note.is_none() || new_class == old_note);
    if from_annotation || from_none {
        set_or_remove(
            &mut new_clone,
            "storageClassName",
            old_spec.get("storageClassName"),
        );
    }
    // kube's strategy keeps the stored status on an update: the claim is bound as stored.
    let bound = str_of(old.get("status"), "phase") == "Bound";
    if bound {
        if let Some(requests) = new_clone
            .pointer_mut("/resources/requests")
            .and_then(Value::as_object_mut)
        {
            match old_spec.pointer("/resources/requests/storage") {
                Some(v) => {
                    requests.insert("storage".into(), v.clone());
                }
                None => {
                    requests.shift_remove("storage");
                }
            }
        }
        if new_spec
            .get("volumeAttributesClassName")
            .is_some_and(|v| !v.is_null())
        {
            set_or_remove(
                &mut new_clone,
                "volumeAttributesClassName",
                old_spec.get("volumeAttributesClassName"),
            );
        }
    }
    if !same_spec(&new_clone, &old_clone) {
        errs.push(FieldError::forbidden("spec", PVC_SPEC_IMMUTABLE));
    }
    let size = |s: &Value, p: &str| {
        s.pointer(p)
            .and_then(Quantity::from_json)
            .map(|q| q.milli_value())
    };
    let new_size = size(new_spec, "/resources/requests/storage").unwrap_or(0);
    let old_size = size(old_spec, "/resources/requests/storage").unwrap_or(0);
    let capacity = size(old, "/status/capacity/storage").unwrap_or(0);
    // RecoverVolumeExpansionFailure (on in 1.32): a request may shrink, down to above
    // what the volume has.
    if new_size < old_size && new_size <= capacity {
        errs.push(FieldError::forbidden(
            "spec.resources.requests.storage",
            "field can not be less than status.capacity",
        ));
    }
    let mode = |s: &Value| s.get("volumeMode").cloned().unwrap_or(Value::Null);
    if mode(new_spec) != mode(old_spec) {
        // kube names this field without its `spec.`.
        errs.push(FieldError::invalid(
            "volumeMode",
            mode(new_spec),
            "field is immutable",
        ));
    }
    errs
}

fn set_or_remove(spec: &mut Value, k: &str, v: Option<&Value>) {
    let Some(m) = spec.as_object_mut() else {
        return;
    };
    match v {
        Some(v) => {
            m.insert(k.to_string(), v.clone());
        }
        None => {
            m.shift_remove(k);
        }
    }
}

/// kube's semantic equality of two specs: key order aside, an empty list or map is no
/// list or map, and quantities are equal by value (`1Gi` is `1073741824`).
fn same_spec(a: &Value, b: &Value) -> bool {
    fn norm(v: &Value) -> Option<Value> {
        match v {
            Value::Null => None,
            Value::Array(items) if items.is_empty() => None,
            Value::Object(m) if m.is_empty() => None,
            Value::Object(m) => {
                let mut out: Vec<(String, Value)> = m
                    .iter()
                    .filter_map(|(k, v)| norm(v).map(|v| (k.clone(), v)))
                    .collect();
                out.sort_by(|x, y| x.0.cmp(&y.0));
                Some(Value::Object(out.into_iter().collect()))
            }
            Value::Array(items) => Some(Value::Array(
                items
                    .iter()
                    .map(|i| norm(i).unwrap_or(Value::Null))
                    .collect(),
            )),
            v => Some(v.clone()),
        }
    }
    let by_value = |spec: &Value| {
        let mut spec = spec.clone();
        for part in ["requests", "limits"] {
            if let Some(Value::Object(m)) = spec.pointer_mut(&format!("/resources/{part}")) {
                for q in m.values_mut() {
                    if let Some(parsed) = Quantity::from_json(q) {
                        *q = json!(parsed.milli_value().to_string());
                    }
                }
            }
        }
        norm(&spec)
    };
    by_value(a) == by_value(b)
}

pub fn validate_pv(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("PersistentVolume", obj, old);
    let spec = obj.get("spec");
    let modes = spec
        .and_then(|s| s.get("accessModes"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if modes.is_empty() {
        errs.push(FieldError::required("spec.accessModes", ""));
    }
    access_modes(modes, "spec.accessModes", &mut errs);
    let capacity = spec
        .and_then(|s| s.get("capacity"))
        .and_then(Value::as_object);
    match capacity {
        None => errs.push(FieldError::required("spec.capacity", "")),
        Some(c) if c.is_empty() => errs.push(FieldError::required("spec.capacity", "")),
        Some(c) => {
            for k in c.keys().filter(|k| *k != "storage") {
                errs.push(FieldError::not_supported(
                    "spec.capacity",
                    json!(k),
                    &["storage"],
                ));
            }
        }
    }
    let policy = str_of(spec, "persistentVolumeReclaimPolicy");
    if !matches!(policy, "Delete" | "Recycle" | "Retain") {
        errs.push(FieldError::not_supported(
            "spec.persistentVolumeReclaimPolicy",
            json!(policy),
            &["Delete", "Recycle", "Retain"],
        ));
    }
    let sources: Vec<&str> = PV_SOURCES
        .iter()
        .copied()
        .filter(|s| spec.and_then(|sp| sp.get(*s)).is_some_and(|v| !v.is_null()))
        .collect();
    match sources.as_slice() {
        [] => errs.push(FieldError::required("spec", "must specify a volume type")),
        [_] => {}
        [_, rest @ ..] => {
            for s in rest {
                errs.push(FieldError::forbidden(
                    &format!("spec.{s}"),
                    "may not specify more than 1 volume type",
                ));
            }
        }
    }
    if let Some(host) = spec.and_then(|s| s.get("hostPath"))
        && str_of(Some(host), "path").is_empty()
    {
        errs.push(FieldError::required("spec.hostPath.path", ""));
    }
    volume_mode(spec, "spec", &mut errs);
    errs
}

pub fn validate_storage_class(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("StorageClass", obj, old);
    let provisioner = str_of(Some(obj), "provisioner");
    if provisioner.is_empty() {
        errs.push(FieldError::required("provisioner", ""));
    }
    let policy = str_of(Some(obj), "reclaimPolicy");
    if !matches!(policy, "Delete" | "Retain") {
        errs.push(FieldError::not_supported(
            "reclaimPolicy",
            json!(policy),
            &["Delete", "Retain"],
        ));
    }
    let mode = str_of(Some(obj), "volumeBindingMode");
    if !matches!(mode, "Immediate" | "WaitForFirstConsumer") {
        errs.push(FieldError::not_supported(
            "volumeBindingMode",
            json!(mode),
            &["Immediate", "WaitForFirstConsumer"],
        ));
    }
    if let Some(old) = old {
        if obj.get("parameters") != old.get("parameters") {
            errs.push(FieldError::forbidden(
                "parameters",
                "updates to parameters are forbidden.",
            ));
        }
        if provisioner != str_of(Some(old), "provisioner") {
            errs.push(FieldError::forbidden(
                "provisioner",
                "updates to provisioner are forbidden.",
            ));
        }
        if policy != str_of(Some(old), "reclaimPolicy") {
            errs.push(FieldError::forbidden(
                "reclaimPolicy",
                "updates to reclaimPolicy are forbidden.",
            ));
        }
        if mode != str_of(Some(old), "volumeBindingMode") {
            errs.push(FieldError::invalid(
                "volumeBindingMode",
                json!(mode),
                "field is immutable",
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn claim_needs_modes_and_storage() {
        let pvc = json!({"metadata": {"name": "data", "namespace": "default"},
                         "spec": {"volumeMode": "Filesystem"}});
        assert_eq!(
            messages(&validate_pvc(&pvc, None)),
            [
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.resources[storage]: Required value",
            ]
        );
    }

    #[test]
    fn storage_class_needs_a_provisioner() {
        let sc = json!({"metadata": {"name": "fast"}, "reclaimPolicy": "Recycle",
                        "volumeBindingMode": "Immediate"});
        assert_eq!(
            messages(&validate_storage_class(&sc, None)),
            [
                "provisioner: Required value",
                "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
            ]
        );
    }
}
